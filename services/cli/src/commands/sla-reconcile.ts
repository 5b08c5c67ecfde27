import { createLogger } from '@quipu/api';
import type { Config } from '@quipu/config';
import { reconcileCommand } from '@quipu/workers';
import { createRuntime } from '../runtime.ts';

/** `quipu sla:reconcile`: re-derives every open ticket's deadline jobs from MongoDB (after a Redis loss). */
export async function slaReconcile(config: Config): Promise<number> {
  if (!config.mongodb.url || !config.redis.url) {
    process.stderr.write('quipu sla:reconcile: set MONGODB_URL and REDIS_URL\n');
    return 78;
  }
  const runtime = await createRuntime(config, { logger: createLogger(config.log.level) });
  try {
    const result = await reconcileCommand(runtime);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}
