import { join, resolve } from 'node:path';
import type { Config } from '@quipu/config';
import { type EmbeddedServer, startMongo, startRedis, TOOLS_BIN_DIR } from '@quipu/embedded';
import type { Logger } from 'pino';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export interface EmbeddedServices {
  config: Config;
  servers: EmbeddedServer[];
  stop(): Promise<void>;
}

/**
 * Brings up what the configuration does not point at: MongoDB (a `ferretdb` binary from
 * .tools/bin or PATH, over PostgreSQL when installed, else SQLite; else mongodb-memory-server) and Redis (`redis-server` from PATH), with
 * data kept under `dataDir`. Mail without SMTP_URL is handled by the notify worker (captured
 * locally). Returns the configuration with the URLs filled in.
 */
export async function startEmbeddedServices(config: Config, logger: Logger): Promise<EmbeddedServices> {
  const servers: EmbeddedServer[] = [];
  const dataDir = resolve(config.dataDir);
  let mongodbUrl = config.mongodb.url;
  let redisUrl = config.redis.url;
  try {
    if (!mongodbUrl) {
      const server = await startMongo({
        dir: join(dataDir, 'mongodb'),
        ...(config.mongodb.embeddedBackend ? { backend: config.mongodb.embeddedBackend } : {}),
        searchDirs: [TOOLS_BIN_DIR, join(REPO_ROOT, '.tools/bin')],
      });
      servers.push(server);
      mongodbUrl = `${server.url.replace(/\/$/, '')}/quipu`;
      logger.info(
        { kind: server.kind, backend: server.backend, url: server.url },
        'embedded MongoDB-compatible server started',
      );
    }
    if (!redisUrl) {
      const server = await startRedis({ dir: join(dataDir, 'redis') });
      servers.push(server);
      redisUrl = server.url;
      logger.info({ url: server.url }, 'embedded Redis started');
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    throw error;
  }
  return {
    config: {
      ...config,
      mongodb: { ...config.mongodb, url: mongodbUrl },
      redis: { ...config.redis, url: redisUrl },
    },
    servers,
    async stop() {
      for (const server of servers.reverse()) await server.stop();
    },
  };
}
