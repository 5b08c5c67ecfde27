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
export async function connectDatabase(options: ConnectOptions): Promise<Connection> {
  const retries = options.retries ?? 10;
  let attempt = 0;
  for (;;) {
    const connection = mongoose.createConnection(options.url, {
      ...(options.dbName ? { dbName: options.dbName } : {}),
      autoIndex: options.autoIndex ?? false,
      // Collections are created on first write; FerretDB and MongoDB agree on that path.
      autoCreate: false,
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000,
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
 * Creates every index declared on the connection's models. Production runs this as an
 * explicit step (`quipu db:indexes`, and at start) instead of relying on autoIndex.
 */
export async function ensureIndexes(connection: Connection): Promise<string[]> {
  const done: string[] = [];
  for (const model of Object.values(connection.models)) {
    await model.createIndexes();
    done.push(model.collection.collectionName);
  }
  return done;
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]+)@/, '//***@');
}
