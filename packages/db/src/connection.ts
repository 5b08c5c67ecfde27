import mongoose, { type Connection } from 'mongoose';

export interface ConnectOptions {
  url: string;
  /** Overrides the database named in the URL (the test harness gives each file its own). */
  dbName?: string;
  /** Build indexes when models are first used: on in development and tests, off in production. */
  autoIndex?: boolean;
  /** How many times to retry the first connection before giving up. */
  retries?: number;
  /** Called before each retry; for logs. */
  onRetry?: (attempt: number, delayMs: number, error: Error) => void;
  serverSelectionTimeoutMS?: number;
}

/**
 * Opens a mongoose connection (never the global one), retrying the first connection with
 * exponential backoff (0.5 s doubling, capped at 8 s) so that `quipu start` survives a
 * database that comes up a little after it.
 */
/** Connections (so queries in flight) per process and connection; see connectDatabase. */
export const MAX_POOL_SIZE = 25;

export async function connectDatabase(options: ConnectOptions): Promise<Connection> {
  const retries = options.retries ?? 10;
  let attempt = 0;
  for (;;) {
    const connection = mongoose.createConnection(options.url, {
      ...(options.dbName ? { dbName: options.dbName } : {}),
      autoIndex: options.autoIndex ?? false,
      // Collections are created by ensureIndexes at start (FerretDB can hang creating one under load).
      autoCreate: false,
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000,
      // FerretDB 1.24 over PostgreSQL takes a second pooled connection inside a query: as many
      // queries at once as its pool holds wait for each other for good (README). A process never
      // needs more than a few dozen in flight; the embedded FerretDB pools 150.
      maxPoolSize: MAX_POOL_SIZE,
    });
    try {
      await connection.asPromise();
      return connection;
    } catch (error) {
      await connection.close().catch(() => {});
      attempt += 1;
      if (attempt > retries) {
        throw new Error(
          `cannot connect to MongoDB at ${redactUrl(options.url)} after ${attempt} attempts: ${(error as Error).message}`,
        );
      }
      const delayMs = Math.min(8_000, 500 * 2 ** (attempt - 1));
      options.onRetry?.(attempt, delayMs, error as Error);
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/** True when the server answers a ping now (readiness probes). */
export async function pingDatabase(connection: Connection, timeoutMs = 1_000): Promise<boolean> {
  if (connection.readyState !== 1 || !connection.db) return false;
  try {
    await Promise.race([
      connection.db.admin().command({ ping: 1 }),
      new Promise((_, reject) => setTimeout(() => reject(new Error('ping timeout')), timeoutMs)),
    ]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates every collection and every index declared on the connection's models. Production
 * runs this as an explicit step (`quipu db:indexes`, and at start) instead of relying on
 * autoIndex. Collections are created here rather than by a first insert: FerretDB 1.24 over
 * PostgreSQL can hang for good when it creates a collection during a burst of queries (README).
 */
export async function ensureIndexes(connection: Connection): Promise<string[]> {
  const done: string[] = [];
  for (const model of Object.values(connection.models)) {
    await model.createCollection().catch((error: unknown) => {
      // 48 NamespaceExists: created before (by a previous start, or a concurrent one).
      if ((error as { code?: number }).code !== 48) throw error;
    });
    await model.createIndexes();
    done.push(model.collection.collectionName);
  }
  return done;
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]+)@/, '//***@');
}
