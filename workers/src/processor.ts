import type { JobData, JobName, JobType, QueueName, QueueRegistry, Repeat } from '@quipu/queue';
import type { Job } from 'bullmq';
import type { Runtime } from './runtime.ts';

/** A recurring job, declared with BullMQ's upsertJobScheduler (never setInterval). */
export interface Schedule {
  id: string;
  repeat: Repeat;
  /** Upserts the scheduler; an unchanged one keeps its next run. */
  declare(queues: QueueRegistry): Promise<void>;
}

/** `job` runs with `data` every `repeat` (ms, or a cron pattern in a time zone), under scheduler `id`. */
export function schedule<Q extends QueueName, N extends JobName<Q>>(
  job: JobType<Q, N>,
  id: string,
  repeat: Repeat,
  data: JobData<Q, N>,
): Schedule {
  return { id, repeat, declare: (queues) => job.schedule(queues, id, repeat, data) };
}

/**
 * One processor folder per queue (workers/<name>/): thin — load by id, check the work is
 * still due, call packages, record. Running a job twice must change nothing the second time.
 * Like a task class, it declares what the runner needs next to its work: its queue, the
 * catalogue jobs it runs, how many at once, and its recurring jobs.
 */
export interface QueueProcessor<Q extends QueueName> {
  /** The group name used by `quipu worker --only`. */
  group: string;
  queue: Q;
  /** The jobs of the catalogue (`JOBS`) it runs; the runner skips any other name on the queue. */
  jobs: ReadonlyArray<Pick<JobType<Q, JobName<Q>>, 'queue' | 'name'>>;
  concurrency: number;
  schedules?(runtime: Runtime): Schedule[];
  process(job: Job<JobData<Q>>, runtime: Runtime): Promise<unknown>;
}

/** A processor of any queue (what the runner hosts). */
export type Processor = { [Q in QueueName]: QueueProcessor<Q> }[QueueName];

/** Declares a processor with its queue's types (the payloads of `process` follow `queue`). */
export function defineProcessor<Q extends QueueName>(processor: QueueProcessor<Q>): QueueProcessor<Q> {
  return processor;
}
