import { createLogger } from '@quipu/api';
import { createCommandContext, rebuildAssignmentLoads } from '@quipu/commands';
import type { Config } from '@quipu/config';
import { createRuntime } from '../runtime.ts';

/** `quipu loads:rebuild`: recounts every officer's open tickets in one pass over the tickets. */
export async function loadsRebuild(config: Config): Promise<number> {
  if (!config.mongodb.url || !config.redis.url) {
    process.stderr.write('quipu loads:rebuild: set MONGODB_URL and REDIS_URL\n');
    return 78;
  }
  const runtime = await createRuntime(config, { logger: createLogger(config.log.level) });
  try {
    const result = await rebuildAssignmentLoads(createCommandContext(runtime));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}
