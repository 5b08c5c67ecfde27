import type { Logger } from 'pino';

/**
 * Graceful shutdown on SIGTERM/SIGINT: run the closers in order (stop HTTP, close workers,
 * queues, Redis, MongoDB), then exit. A second signal exits at once.
 */
export function onShutdown(logger: Logger, closers: Array<() => Promise<void>>): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) process.exit(130);
      stopping = true;
      logger.info({ signal }, 'shutting down');
      for (const close of closers) {
        try {
          await close();
        } catch (error) {
          logger.warn({ err: (error as Error).message }, 'error during shutdown');
        }
      }
      logger.info('stopped');
      resolve(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}
