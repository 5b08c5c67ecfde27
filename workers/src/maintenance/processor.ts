import { anonymiseClosedTickets, rebuildAssignmentLoads, rebuildFigures } from '@quipu/commands';
import { JOBS, relayOutbox } from '@quipu/queue';
import { defineProcessor, schedule } from '../processor.ts';
import { workerCommands } from '../runtime.ts';

/**
 * Housekeeping: the outbox sweep (anything a request's own relay left behind) and the daily
 * retention pass (anonymise reporters of long-closed tickets; expire sessions and idempotency keys)
 * and the nightly recounts of officers' open tickets and of the figures' rollups (what a crash
 * between two writes left off).
 */
export const maintenanceProcessor = defineProcessor({
  group: 'maintenance',
  queue: 'maintenance',
  jobs: [JOBS.outboxSweep, JOBS.retention, JOBS.loadsRebuild, JOBS.figuresRebuild],
  concurrency: 1,
  async process(job, runtime) {
    if (job.name === JOBS.outboxSweep.name) {
      return await relayOutbox({
        stores: runtime.outboxStores,
        queues: runtime.queues,
        onError: (error, entryId) =>
          runtime.logger.warn({ entryId, err: error.message }, 'outbox entry not relayed'),
      });
    }
    if (job.name === JOBS.retention.name) return await anonymiseClosedTickets(workerCommands(runtime));
    if (job.name === JOBS.loadsRebuild.name) return await rebuildAssignmentLoads(workerCommands(runtime));
    if (job.name === JOBS.figuresRebuild.name) return await rebuildFigures(workerCommands(runtime));
    return { skipped: `unknown job ${job.name}` };
  },
  schedules: () => [
    schedule(JOBS.outboxSweep, 'outbox-sweep', { every: 10_000 }, {}),
    schedule(JOBS.retention, 'retention', { pattern: '0 3 * * *', tz: 'America/Lima' }, {}),
    schedule(JOBS.loadsRebuild, 'loads-rebuild', { pattern: '30 3 * * *', tz: 'America/Lima' }, {}),
    schedule(JOBS.figuresRebuild, 'figures-rebuild', { pattern: '45 3 * * *', tz: 'America/Lima' }, {}),
  ],
});
