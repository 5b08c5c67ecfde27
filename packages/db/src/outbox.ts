import { randomUUID } from 'node:crypto';
import { type Connection, Schema, Types } from 'mongoose';

/**
 * A side effect waiting to become a job. It is written in the same `findOneAndUpdate` as the
 * change that justifies it (ARCHITECTURE.md: no multi-document transactions), then moved to
 * BullMQ by the relay with `jobId` = `_id`, then pulled.
 */
export interface OutboxEntry {
  _id: string;
  queue: string;
  name: string;
  data: Record<string, unknown>;
  createdAt: Date;
  /** Earliest run (delayed jobs such as SLA deadlines). */
  runAt?: Date;
}

export const outboxEntrySchema = new Schema<OutboxEntry>(
  {
    _id: { type: String, required: true },
    queue: { type: String, required: true },
    name: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    createdAt: { type: Date, required: true },
    runAt: { type: Date },
  },
  { _id: false, minimize: false },
);

/** Builds an entry; the id is the job id, so building it twice gives two jobs — build once per effect. */
export function outboxEntry(
  queue: string,
  name: string,
  data: Record<string, unknown>,
  options: { id?: string; now?: Date; runAt?: Date } = {},
): OutboxEntry {
  return {
    _id: options.id ?? `ob-${randomUUID()}`,
    queue,
    name,
    data,
    createdAt: options.now ?? new Date(),
    ...(options.runAt ? { runAt: options.runAt } : {}),
  };
}

/** Where the relay finds pending entries: one per collection that carries an `outbox` array. */
export interface OutboxStore {
  readonly name: string;
  pending(limit: number, documentId?: string): Promise<Array<{ documentId: string; entries: OutboxEntry[] }>>;
  /** Pulls relayed entries by their exact stored values, in one update (see below). */
  remove(documentId: string, entries: OutboxEntry[]): Promise<void>;
}

/**
 * The outbox store over one collection. Its query `{ 'outbox._id': { $exists: true } }` is
 * served by the `outbox._id` index that every collection with an outbox declares.
 */
export function outboxStore(connection: Connection, collectionName: string): OutboxStore {
  const collection = () => connection.collection(collectionName);
  return {
    name: collectionName,
    async pending(limit, documentId) {
      const filter: Record<string, unknown> = { 'outbox._id': { $exists: true } };
      if (documentId) filter._id = toId(documentId);
      const docs = await collection()
        .find(filter, { projection: { outbox: 1 } })
        .limit(limit)
        .toArray();
      return docs.map((doc) => ({
        documentId: String(doc._id),
        entries: (doc.outbox ?? []) as OutboxEntry[],
      }));
    },
    async remove(documentId, entries) {
      // FerretDB 1.24 ignores `$pull` with a condition on embedded documents ({ _id: … } matches
      // nothing) and has no positional `$`; pulling the exact elements as they were read
      // (`$pullAll`) works on both servers, since the relay hands back what it read.
      await collection().updateOne(
        { _id: toId(documentId) as never },
        { $pullAll: { outbox: entries } as never },
      );
    },
  };
}

function toId(id: string): Types.ObjectId | string {
  return /^[0-9a-f]{24}$/.test(id) ? new Types.ObjectId(id) : id;
}
