import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobData, QueueName } from './jobs.ts';

/**
 * Retries with exponential backoff; completed jobs are kept a week so that a job id added
 * again (the relay after a crash, a deadline re-derived by the sweep) is recognised as a
 * duplicate instead of running twice; failed jobs stay inspectable.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** A BullMQ queue typed by the catalogue's payloads (all six parameters given, so generic code type-checks). */
export type QueueOf<Q extends QueueName> = Queue<JobData<Q>, unknown, string, JobData<Q>, unknown, string>;

export interface QueueRegistry {
  prefix: string;
  /** The queue's BullMQ handle; producers go through `JOBS` (jobs.ts) rather than `add` here. */
  get<Q extends QueueName>(name: Q): QueueOf<Q>;
  close(): Promise<void>;
}

export function createQueues(connection: Redis, prefix: string): QueueRegistry {
  const queues = new Map<QueueName, Queue>();
  return {
    prefix,
    get<Q extends QueueName>(name: Q) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
        // Errors surface on the add() promise; this listener only keeps them from crashing the process.
        queue.on('error', () => {});
        queues.set(name, queue);
      }
      return queue as unknown as QueueOf<Q>;
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}
