import { createLogger, startHttpServer } from '@quipu/api';
import type { Config } from '@quipu/config';
import { mountWeb } from '@quipu/web';
import { onShutdown } from '../process.ts';
import { createRuntime } from '../runtime.ts';

/** `quipu serve`: the API and web UI only (production runs workers in their own containers). */
export async function serve(config: Config): Promise<number> {
  const logger = createLogger(config.log.level);
  if (!config.mongodb.url || !config.redis.url) {
    process.stderr.write(
      'quipu serve: set MONGODB_URL and REDIS_URL (embedded servers are for `quipu start`)\n',
    );
    return 78;
  }
  const runtime = await createRuntime(config, { logger });
  const http = await startHttpServer(runtime, [mountWeb]);
  logger.info(
    { url: http.url, ...(http.metricsUrl ? { metricsUrl: http.metricsUrl } : {}) },
    'Quipu API is ready',
  );
  return await onShutdown(logger, [() => http.close(), () => runtime.close()]);
}
