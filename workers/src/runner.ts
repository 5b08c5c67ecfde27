import { createRedis } from '@quipu/queue';
import { type Job, Worker } from 'bullmq';
import { digestProcessor } from './digest/processor.ts';
import { harvestProcessor } from './harvest/processor.ts';
import { maintenanceProcessor } from './maintenance/processor.ts';
import { notifyProcessor } from './notify/processor.ts';
import type { Processor } from './processor.ts';
import { qualityProcessor } from './quality/processor.ts';
import type { Runtime } from './runtime.ts';
import { slaProcessor } from './sla/processor.ts';
import { webhooksProcessor } from './webhooks/processor.ts';

/** Every processor Quipu has; `quipu worker --only a,b` hosts a subset. */
export const PROCESSORS: Processor[] = [
  maintenanceProcessor,
  notifyProcessor,
  harvestProcessor,
  qualityProcessor,
  slaProcessor,
  digestProcessor,
  webhooksProcessor,
];

export const PROCESSOR_GROUPS = () => [...new Set(PROCESSORS.map((p) => p.group))];

export interface WorkerHost {
  groups: string[];
  close(): Promise<void>;
}

/** Runs a job of the processor's queue if the processor declares its name; skips any other. */
export async function runDeclared(processor: Processor, job: Job, runtime: Runtime): Promise<unknown> {
  if (!processor.jobs.some((declared) => declared.name === job.name))
    return { skipped: `unknown job ${job.name}` };
  return await processor.process(job, runtime);
}

/**
 * Starts BullMQ workers for the chosen processor groups and declares their recurring jobs, all
 * from each processor's own declaration. Closing waits for running jobs to finish (graceful shutdown).
 */
export async function startWorkers(
  runtime: Runtime,
  options: { only?: string[]; processors?: Processor[] } = {},
): Promise<WorkerHost> {
  const available = options.processors ?? PROCESSORS;
  const known = new Set(available.map((p) => p.group));
  for (const name of options.only ?? []) {
    if (!known.has(name)) throw new Error(`unknown worker "${name}" (known: ${[...known].join(', ')})`);
  }
  const chosen = options.only?.length ? available.filter((p) => options.only!.includes(p.group)) : available;
  const redisUrl = runtime.config.redis.url;
  if (!redisUrl) throw new Error('workers need redis.url');
  const workers: Worker[] = [];
  const connections: ReturnType<typeof createRedis>[] = [];
  for (const processor of chosen) {
    const connection = createRedis(redisUrl, 'worker');
    connections.push(connection);
    const worker = new Worker(processor.queue, (job) => runDeclared(processor, job, runtime), {
      connection,
      prefix: runtime.queues.prefix,
      concurrency: processor.concurrency,
    });
    worker.on('failed', (job, error) => {
      // One line per final failure, not per retry (STYLE.md: avoid logging every retry).
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        runtime.logger.error(
          { queue: processor.queue, jobId: job.id, err: error.message },
          'job failed for good',
        );
      }
    });
    worker.on('error', (error) =>
      runtime.logger.warn({ queue: processor.queue, err: error.message }, 'worker error'),
    );
    workers.push(worker);
    for (const schedule of processor.schedules?.(runtime) ?? []) await schedule.declare(runtime.queues);
  }
  return {
    groups: chosen.map((p) => p.group),
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
