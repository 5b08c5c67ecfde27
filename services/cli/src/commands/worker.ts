import { createLogger } from '@quipu/api';
import type { Config } from '@quipu/config';
import { startWorkers } from '@quipu/workers';
import { onShutdown } from '../process.ts';
import { createRuntime } from '../runtime.ts';

/** `quipu worker [--only a,b]`: BullMQ workers only, against configured MongoDB and Redis. */
export async function worker(config: Config, options: { only: string[] }): Promise<number> {
  const logger = createLogger(config.log.level);
  if (!config.mongodb.url || !config.redis.url) {
    process.stderr.write(
      'quipu worker: set MONGODB_URL and REDIS_URL (embedded servers are for `quipu start`)\n',
    );
    return 78;
  }
  const runtime = await createRuntime(config, { logger });
  const host = await startWorkers(runtime, { only: options.only });
  logger.info({ groups: host.groups }, 'workers started');
  return await onShutdown(logger, [() => host.close(), () => runtime.close()]);
}
