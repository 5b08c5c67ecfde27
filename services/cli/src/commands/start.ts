import { join, resolve } from 'node:path';
import { createLogger, type Mount, startHttpServer } from '@quipu/api';
import type { Config } from '@quipu/config';
import { mountWeb } from '@quipu/web';
import { startWorkers } from '@quipu/workers';
import { startEmbeddedServices } from '../embedded.ts';
import { onShutdown } from '../process.ts';
import { createRuntime } from '../runtime.ts';
import { seedDemo } from './seed.ts';

/**
 * `quipu start`: the server (API + web UI) and every worker in one process, for a single
 * machine. Whatever the configuration leaves unset is brought up locally: MongoDB/FerretDB
 * and Redis under dataDir, mail written as .eml files under dataDir/mail.
 */
export async function start(
  config: Config,
  options: { 'no-seed'?: boolean | undefined } = {},
): Promise<number> {
  const logger = createLogger(config.log.level);
  const embedded = await startEmbeddedServices(config, logger);
  let effective = embedded.config;
  if (!effective.smtp.url) {
    effective = {
      ...effective,
      smtp: { ...effective.smtp, url: `file://${join(resolve(effective.dataDir), 'mail')}` },
    };
    logger.info({ dir: join(effective.dataDir, 'mail') }, 'no SMTP_URL: e-mail is written to files');
  }
  let runtime: Awaited<ReturnType<typeof createRuntime>>;
  try {
    runtime = await createRuntime(effective, { logger });
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  const workers = await startWorkers(runtime);
  const mounts: Mount[] = [mountWeb];
  const http = await startHttpServer(runtime, mounts);
  if (!options['no-seed'] && effective.env !== 'production') {
    const seeded = await seedDemo(runtime, { onlyIfEmpty: true });
    if (seeded) logger.info(seeded, 'demo data seeded');
  }
  logger.info(
    {
      url: http.url,
      ...(http.metricsUrl ? { metricsUrl: http.metricsUrl } : {}),
      workers: workers.groups,
      publicBaseUrl: effective.http.publicBaseUrl,
    },
    'Quipu is ready',
  );
  return await onShutdown(logger, [
    () => http.close(),
    () => workers.close(),
    () => runtime.close(),
    () => embedded.stop(),
  ]);
}
