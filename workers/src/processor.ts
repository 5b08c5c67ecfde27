import type { QueueName } from '@quipu/queue';
import type { Job } from 'bullmq';
import type { Runtime } from './runtime.ts';

/** A recurring job, declared with BullMQ's upsertJobScheduler (never setInterval). */
export interface Schedule {
  id: string;
  every?: number;
  pattern?: string;
  /** Time zone of `pattern` (cron), e.g. America/Lima. */
  tz?: string;
  name: string;
  data: Record<string, unknown>;
}

/**
 * One processor folder per queue (workers/<name>/): thin — load by id, check the work is
 * still due, call packages, record. Running a job twice must change nothing the second time.
 */
export interface Processor {
  /** The group name used by `quipu worker --only`. */
  group: string;
  queue: QueueName;
  concurrency: number;
  process(job: Job, runtime: Runtime): Promise<unknown>;
  schedules?(runtime: Runtime): Schedule[];
}
