import type { Config } from '@quipu/config';
import type { OutboxEntry } from '@quipu/db';
import type { QueueRegistry } from '@quipu/queue';
import type { Redis } from 'ioredis';
import type Koa from 'koa';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';

/** What the HTTP server (JSON API and pages) is built from; created once by the entry point and shared by all requests. */
export interface AppDeps {
  config: Config;
  connection: Connection;
  /** Producer connection (fails fast): rate limits, idempotency keys, queues. */
  redis: Redis;
  queues: QueueRegistry;
  logger: Logger;
  /** Moves a document's outbox entries to the queues right after a write (best effort). */
  kickOutbox: (documentId: string, collection?: string, entries?: OutboxEntry[]) => Promise<void>;
  /** The clock; tests pass a controllable one. */
  now: () => Date;
}

/** Extra routers mounted by other services (the web UI) on the same Koa app. */
export type Mount = (app: Koa, deps: AppDeps) => void;

/** Per-request state set by middleware (koa's ctx.state). */
export interface RequestState {
  requestId: string;
  log: Logger;
}
