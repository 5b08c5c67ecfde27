import type { Config } from '@quipu/config';
import type { OutboxStore } from '@quipu/db';
import type { QueueRegistry } from '@quipu/queue';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';

/** What a worker process holds: config, database, Redis, queues, logger, outbox stores, the clock. */
export interface Runtime {
  config: Config;
  logger: Logger;
  connection: Connection;
  redis: Redis;
  queues: QueueRegistry;
  outboxStores: OutboxStore[];
  now: () => Date;
}
