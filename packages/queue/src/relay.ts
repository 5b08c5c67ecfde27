import type { OutboxStore } from '@quipu/db';
import { isQueueName } from './names.ts';
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
  limit?: number;
  /** A producer waits this long for Redis before leaving the entry to the sweep (default 3 s). */
  addTimeoutMs?: number;
  onError?: (error: Error, entryId: string) => void;
}): Promise<RelayResult> {
  const result: RelayResult = { relayed: 0, failed: 0 };
  for (const store of props.stores) {
    const pending = await store.pending(props.limit ?? 500, props.documentId);
    for (const { documentId, entries } of pending) {
      for (const entry of entries) {
        if (!isQueueName(entry.queue)) {
          props.onError?.(new Error(`unknown queue "${entry.queue}"`), entry._id);
          result.failed += 1;
          continue;
        }
        try {
          const delay = entry.runAt ? Math.max(0, new Date(entry.runAt).getTime() - Date.now()) : 0;
          // If this times out but the add lands later, the next pass adds the same job id: still one job.
          await withTimeout(
            props.queues.get(entry.queue).add(entry.name as never, entry.data as never, {
              jobId: entry._id,
              ...(delay > 0 ? { delay } : {}),
            }),
            props.addTimeoutMs ?? 3_000,
          );
          await store.remove(documentId, entry);
          result.relayed += 1;
        } catch (error) {
          result.failed += 1;
          props.onError?.(error as Error, entry._id);
          // Redis is likely down: the rest would fail the same way; the sweep will retry.
          return result;
        }
      }
    }
  }
  return result;
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
