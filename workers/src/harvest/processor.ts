import { EVERYTHING, harvestSourceRepository, isObjectId, registerModels } from '@quipu/db';
import { JOBS } from '@quipu/queue';
import { UnrecoverableError } from 'bullmq';
import { defineProcessor, schedule } from '../processor.ts';
import type { Runtime } from '../runtime.ts';
import { runHarvest } from './run.ts';

export { onDatasetsChanged } from './hooks.ts';
export { FULL_RUN_EVERY_MS, type HarvestRunOptions, type HarvestRunResult, runHarvest } from './run.ts';

/** BullMQ refuses ':' in custom ids unless they have exactly three parts, hence '-'. */
export function harvestSchedulerId(sourceId: string): string {
  return `harvest-${sourceId}`;
}

const SCHEDULER_ID = /^harvest-([0-9a-f]{24})$/;

export interface ScheduleSync {
  /** Schedulers created or changed. */
  upserted: string[];
  /** Schedulers of disabled or deleted sources. */
  removed: string[];
  unchanged: number;
  /** Sources whose schedule BullMQ refused (e.g. a cron pattern it cannot parse), with why. */
  refused: Array<{ id: string; error: string }>;
}

/**
 * Makes the harvest queue's schedulers match the enabled sources: one `harvest-<sourceId>`
 * scheduler each, with the source's pattern (and time zone) or interval. Unchanged
 * schedulers are left alone so that their next run time is kept. Call it after creating or
 * changing a source; the harvest worker also runs it every few minutes.
 */
export async function syncHarvestSchedules(runtime: Runtime): Promise<ScheduleSync> {
  const sources = await harvestSourceRepository(registerModels(runtime.connection)).list(EVERYTHING, {
    enabled: true,
  });
  const queue = runtime.queues.get('harvest');
  const current = new Map((await queue.getJobSchedulers(0, -1)).map((s) => [s.key, s]));
  const result: ScheduleSync = { upserted: [], removed: [], unchanged: 0, refused: [] };
  const wanted = new Set<string>();
  for (const source of sources) {
    const id = harvestSchedulerId(String(source._id));
    wanted.add(id);
    const pattern = source.schedule?.pattern;
    const repeat = pattern
      ? { pattern, ...(source.schedule.tz ? { tz: source.schedule.tz } : {}) }
      : { every: source.schedule?.every ?? 24 * 60 * 60_000 };
    const existing = current.get(id);
    const same =
      existing &&
      (pattern
        ? existing.pattern === pattern && (existing.tz ?? undefined) === (source.schedule.tz ?? undefined)
        : Number(existing.every) === repeat.every);
    if (same) {
      result.unchanged += 1;
      continue;
    }
    try {
      await JOBS.harvestSource.schedule(runtime.queues, id, repeat, { sourceId: String(source._id) });
      result.upserted.push(id);
    } catch (error) {
      // One bad schedule must not keep the other sources unscheduled.
      result.refused.push({ id, error: (error as Error).message });
      runtime.logger.warn(
        { sourceId: String(source._id), err: (error as Error).message },
        'harvest schedule refused',
      );
    }
  }
  for (const key of current.keys()) {
    if (SCHEDULER_ID.test(key) && !wanted.has(key)) {
      await queue.removeJobScheduler(key);
      result.removed.push(key);
    }
  }
  return result;
}

/**
 * Copies catalogs (CKAN, DCAT) into the datasets collection. A job carries a source id
 * only; the run reloads the source and claims it, so a duplicate job is skipped.
 */
export const harvestProcessor = defineProcessor({
  group: 'harvest',
  queue: 'harvest',
  jobs: [JOBS.harvestSource, JOBS.harvestScheduleSync],
  concurrency: 2,
  async process(job, runtime) {
    if (job.name === JOBS.harvestScheduleSync.name) return await syncHarvestSchedules(runtime);
    const sourceId = (job.data as { sourceId?: unknown } | undefined)?.sourceId;
    if (typeof sourceId !== 'string' || !isObjectId(sourceId)) {
      throw new UnrecoverableError(`harvest job ${job.id} has no valid sourceId`);
    }
    // `full: true` lets an admin's "harvest everything now" job sweep withdrawals.
    const full = (job.data as { full?: unknown }).full === true;
    const result = await runHarvest(runtime, sourceId, full ? { full } : {});
    if (result.status === 'failed') {
      const message = `${result.error.code}: ${result.error.message}`;
      throw result.transient ? new Error(message) : new UnrecoverableError(message);
    }
    return result.status === 'done'
      ? { status: 'done', stats: { ...result.stats, problems: result.stats.problems.length } }
      : result;
  },
  schedules: () => [schedule(JOBS.harvestScheduleSync, 'harvest-schedules', { every: 5 * 60_000 }, {})],
});
