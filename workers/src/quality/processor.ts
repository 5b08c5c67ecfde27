import { createHash } from 'node:crypto';
import { isObjectId, qualityReportRepository, registerModels } from '@quipu/db';
import { JOBS } from '@quipu/queue';
import { type Job, UnrecoverableError } from 'bullmq';
import { defineProcessor, schedule } from '../processor.ts';
import type { Runtime } from '../runtime.ts';
import { runQualityCheck } from './run.ts';
import { sendVerification } from './subscribers.ts';

export { type QualityRunResult, runQualityCheck } from './run.ts';

export const DEFAULT_CHECK_EVERY_MS = 24 * 60 * 60_000;

/** BullMQ refuses ':' in custom ids unless they have exactly three parts, hence '-'. */
export function qualitySchedulerId(datasetId: string): string {
  return `quality-${datasetId}`;
}

const SCHEDULER_ID = /^quality-([0-9a-f]{24})$/;

/** A stable point within the interval for this dataset (1 ms … every − 1). */
export function spreadOffset(datasetId: string, every: number): number {
  const hash = Number.parseInt(createHash('sha256').update(datasetId).digest('hex').slice(0, 12), 16);
  return (hash % Math.max(2, every - 1)) + 1;
}

/**
 * The run id of a job: the payload's when a producer chose one (harvest hook, admin "check
 * now"), else the job id — stable across retries, and unique per scheduler firing — so the same
 * run never stores two reports.
 */
export function runIdOf(job: Pick<Job, 'id' | 'data'>): string {
  const given = (job.data as { runId?: unknown }).runId;
  if (typeof given === 'string' && given.length > 0 && given.length <= 200) return given;
  return `job-${String(job.id ?? 'unknown')}`;
}

/**
 * Makes the quality queue's schedulers match the datasets: one `quality-<datasetId>` scheduler
 * each, daily unless the dataset says otherwise (`quality.schedule`: `every` ms, or a cron
 * `pattern` with `tz`). Unchanged schedulers are left alone so their next run time is kept.
 */
export async function syncQualitySchedules(
  runtime: Runtime,
): Promise<{ upserted: number; removed: number; unchanged: number; refused: number }> {
  const datasets = await qualityReportRepository(registerModels(runtime.connection)).scheduledDatasets();
  const queue = runtime.queues.get('quality');
  const current = new Map((await queue.getJobSchedulers(0, -1)).map((s) => [s.key, s]));
  const result = { upserted: 0, removed: 0, unchanged: 0, refused: 0 };
  const wanted = new Set<string>();
  for (const dataset of datasets) {
    const id = qualitySchedulerId(String(dataset._id));
    wanted.add(id);
    const schedule = dataset.settings.schedule ?? {};
    const every = schedule.every ?? DEFAULT_CHECK_EVERY_MS;
    // An interval starts at a slot of its own (offset from the dataset id), so a thousand
    // datasets are not all checked at the same minute and a new scheduler does not fire at once
    // (the harvest hook has already queued a check of a new or changed dataset).
    const repeat = schedule.pattern
      ? { pattern: schedule.pattern, ...(schedule.tz ? { tz: schedule.tz } : {}) }
      : { every, offset: spreadOffset(String(dataset._id), every) };
    const existing = current.get(id);
    const same =
      existing &&
      ('pattern' in repeat
        ? existing.pattern === repeat.pattern && (existing.tz ?? undefined) === (schedule.tz ?? undefined)
        : Number(existing.every) === repeat.every && Number(existing.offset ?? 0) === repeat.offset);
    if (same) {
      result.unchanged += 1;
      continue;
    }
    try {
      await JOBS.qualityCheck.schedule(runtime.queues, id, repeat, { datasetId: String(dataset._id) });
      result.upserted += 1;
    } catch (error) {
      result.refused += 1;
      runtime.logger.warn(
        { datasetId: String(dataset._id), err: (error as Error).message },
        'quality schedule refused',
      );
    }
  }
  for (const key of current.keys()) {
    if (SCHEDULER_ID.test(key) && !wanted.has(key)) {
      await queue.removeJobScheduler(key);
      result.removed += 1;
    }
  }
  return result;
}

/**
 * Checks datasets: availability, validity, metadata and freshness per resource; reports, scores,
 * tickets and subscriber mails (see run.ts). A check mostly waits (for the publisher's server,
 * for the database: pnpm run bench:checks measured ~40 ms of CPU per check), so 16 run at once; the
 * validator streams, so memory per slot is small, and the host limiter keeps politeness.
 */
export const qualityProcessor = defineProcessor({
  group: 'quality',
  queue: 'quality',
  jobs: [JOBS.qualityCheck, JOBS.qualityScheduleSync, JOBS.qualitySubscriptionVerification],
  concurrency: 16,
  async process(job, runtime) {
    if (job.name === JOBS.qualityScheduleSync.name) return await syncQualitySchedules(runtime);
    if (job.name === JOBS.qualitySubscriptionVerification.name) {
      const subscriptionId = (job.data as { subscriptionId?: unknown }).subscriptionId;
      if (typeof subscriptionId !== 'string') throw new UnrecoverableError('no subscriptionId');
      return await sendVerification(runtime, subscriptionId);
    }
    const datasetId = (job.data as { datasetId?: unknown } | undefined)?.datasetId;
    if (typeof datasetId !== 'string' || !isObjectId(datasetId))
      throw new UnrecoverableError(`quality job ${job.id} has no valid datasetId`);
    const resourceId = (job.data as { resourceId?: unknown }).resourceId;
    return await runQualityCheck(runtime, {
      datasetId,
      runId: runIdOf(job),
      ...(typeof resourceId === 'string' ? { resourceId } : {}),
    });
  },
  schedules: () => [schedule(JOBS.qualityScheduleSync, 'quality-schedules', { every: 5 * 60_000 }, {})],
});
