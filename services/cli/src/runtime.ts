import type { Config } from '@quipu/config';
import type { OutboxEntry } from '@quipu/db';
import {
  connectDatabase,
  ensureIndexes,
  type OutboxStore,
  outboxStore,
  redactUrl,
  registerModels,
} from '@quipu/db';
import { createQueues, createRedis, relayOutbox } from '@quipu/queue';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';

/** Everything a Quipu process holds (satisfies both the API's AppDeps and the workers' Runtime). */
export interface QuipuRuntime {
  config: Config;
  logger: Logger;
  connection: Connection;
  redis: Redis;
  queues: ReturnType<typeof createQueues>;
  outboxStores: OutboxStore[];
  kickOutbox: (documentId: string, collection?: string, entries?: OutboxEntry[]) => Promise<void>;
  now: () => Date;
  close(): Promise<void>;
}

/** Collections that carry an embedded outbox (ARCHITECTURE.md: change + audit event + outbox in one write). */
export const OUTBOX_COLLECTIONS = [
  'tickets',
  'datasets',
  'notifications',
  'subscriptions',
  'quality_subscriptions',
];

export async function waitForRedis(redis: Redis, url: string, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(`cannot connect to Redis at ${redactUrl(url)} within ${Math.round(timeoutMs / 1000)} s`),
      );
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

export interface RuntimeOptions {
  logger: Logger;
  /** Database name overriding the URL's (tests). */
  dbName?: string;
  now?: () => Date;
  redisTimeoutMs?: number;
}

/** Connects to MongoDB (with retries) and Redis (waiting for it), builds queues and the outbox relay. */
export async function createRuntime(config: Config, options: RuntimeOptions): Promise<QuipuRuntime> {
  const { logger } = options;
  if (!config.mongodb.url || !config.redis.url)
    throw new Error('createRuntime needs mongodb.url and redis.url');
  const connection = await connectDatabase({
    url: config.mongodb.url,
    ...(options.dbName ? { dbName: options.dbName } : {}),
    autoIndex: false,
    retries: config.mongodb.connectRetries,
    onRetry: (attempt, delayMs, error) =>
      logger.warn({ attempt, delayMs, err: error.message }, 'MongoDB not reachable yet, retrying'),
  });
  registerModels(connection);
  await ensureIndexes(connection);
  const redis = createRedis(config.redis.url, 'producer');
  redis.on('error', () => {}); // readiness reports it; ioredis keeps reconnecting
  try {
    await waitForRedis(redis, config.redis.url, options.redisTimeoutMs ?? config.redis.startTimeoutMs);
  } catch (error) {
    redis.disconnect();
    await connection.close();
    throw error;
  }
  const queues = createQueues(redis, config.redis.prefix);
  const outboxStores = OUTBOX_COLLECTIONS.map((name) => outboxStore(connection, name));
  const kickOutbox = async (documentId: string, collection = 'tickets', entries?: OutboxEntry[]) => {
    const stores = outboxStores.filter((store) => store.name === collection);
    const relay = relayOutbox({
      stores,
      queues,
      documentId,
      addTimeoutMs: 1_000,
      ...(entries ? { known: [{ documentId, entries }] } : {}),
    }).catch((error: Error) => {
      logger.warn({ err: error.message, documentId }, 'outbox relay deferred to the sweep');
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([relay, new Promise((resolve) => (timer = setTimeout(resolve, 1_500)))]);
    clearTimeout(timer);
  };
  return {
    config,
    logger,
    connection,
    redis,
    queues,
    outboxStores,
    kickOutbox,
    now: options.now ?? (() => new Date()),
    async close() {
      await queues.close().catch(() => {});
      await redis.quit().catch(() => redis.disconnect());
      await connection.close();
    },
  };
}
