import type { OutboxEntry, OutboxStore } from '@quipu/db';
import { addJobs, isJobOf, isQueueName, type JobName, type JobRequest, type QueueName } from './jobs.ts';
import type { QueueRegistry } from './queues.ts';

export interface RelayResult {
  relayed: number;
  failed: number;
}

/**
 * Moves outbox entries to BullMQ: add with `jobId` = entry id, then pull the entry. If the
 * process dies between the two, the next pass adds the same job id again and BullMQ ignores
 * it, so each entry becomes exactly one job. If Redis is down, the add fails and the entry
 * simply stays for the sweep. Pass `documentId` to relay one document right after its write.
 */
export async function relayOutbox(props: {
  stores: OutboxStore[];
  queues: QueueRegistry;
  documentId?: string;
  /** Entries the caller just wrote (with `stores` naming their one collection). */
  known?: Array<{ documentId: string; entries: OutboxEntry[] }>;
  limit?: number;
  /** A producer waits this long for Redis before leaving the entry to the sweep (default 3 s). */
  addTimeoutMs?: number;
  onError?: (error: Error, entryId: string) => void;
}): Promise<RelayResult> {
  const result: RelayResult = { relayed: 0, failed: 0 };
  for (const store of props.stores) {
    // Right after a write the caller knows the entries it wrote: no need to read them back.
    const pending = props.known ?? (await store.pending(props.limit ?? 500, props.documentId));
    for (const { documentId, entries } of pending) {
      const known = entries.filter((entry): entry is CataloguedEntry => {
        const problem = !isQueueName(entry.queue)
          ? `unknown queue "${entry.queue}"`
          : !isJobOf(entry.queue, entry.name)
            ? `unknown job "${entry.name}" on queue "${entry.queue}"`
            : null;
        if (!problem) return true;
        props.onError?.(new Error(problem), entry._id);
        result.failed += 1;
        return false;
      });
      if (known.length === 0) continue;
      // A document's entries go to Redis in one bulk add per queue, then are pulled in one update.
      const byQueue = new Map<QueueName, CataloguedEntry[]>();
      for (const entry of known) byQueue.set(entry.queue, [...(byQueue.get(entry.queue) ?? []), entry]);
      const outcomes = new Map<string, boolean>();
      await Promise.all(
        [...byQueue].map(async ([queue, group]) => {
          try {
            // If this times out but the add lands later, the next pass adds the same job ids: still one job each.
            await withTimeout(
              addJobs(props.queues, queue, group.map(requestOf)),
              props.addTimeoutMs ?? 3_000,
            );
            for (const entry of group) outcomes.set(entry._id, true);
          } catch (error) {
            for (const entry of group) {
              outcomes.set(entry._id, false);
              props.onError?.(error as Error, entry._id);
            }
          }
        }),
      );
      const done = known.filter((entry) => outcomes.get(entry._id));
      if (done.length) await store.remove(documentId, done);
      result.relayed += done.length;
      result.failed += known.length - done.length;
      // Redis is likely down: other documents would fail the same way; the sweep will retry.
      if (done.length < known.length) return result;
    }
  }
  return result;
}

/** An entry whose queue and job name are in the catalogue (entries are built by `JOBS.<job>.entry`). */
type CataloguedEntry = OutboxEntry & { queue: QueueName };

function requestOf(entry: CataloguedEntry): JobRequest<QueueName> {
  const delay = entry.runAt ? Math.max(0, new Date(entry.runAt).getTime() - Date.now()) : 0;
  return {
    name: entry.name as JobName<QueueName>,
    // Written by the job's own `entry()` builder, so the payload has the job's type.
    data: entry.data as JobRequest<QueueName>['data'],
    opts: { jobId: entry._id, ...(delay > 0 ? { delay } : {}) },
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
