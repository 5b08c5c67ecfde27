import { type CommandContext, createCommandContext } from '@quipu/commands';
import type { Config } from '@quipu/config';
import type { OutboxStore } from '@quipu/db';
import { type QueueRegistry, relayOutbox } from '@quipu/queue';
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

/**
 * Relays one document's outbox at once, waiting at most a second for Redis (the sweep relays
 * whatever is left behind).
 */
export async function kickOutbox(
  runtime: Runtime,
  documentId: string,
  collection = 'tickets',
): Promise<void> {
  const stores = runtime.outboxStores.filter((store) => store.name === collection);
  await relayOutbox({ stores, queues: runtime.queues, documentId, addTimeoutMs: 1_000 }).catch(() => {});
}

/** Commands as every worker uses them: the outbox of a write is relayed at once (`kickOutbox`). */
export function workerCommands(runtime: Runtime): CommandContext {
  return createCommandContext({
    ...runtime,
    kickOutbox: (documentId, collection) => kickOutbox(runtime, documentId, collection),
  });
}
