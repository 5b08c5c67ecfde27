import { relayOutbox } from '@quipu/queue';
import type { Processor } from '../processor.ts';

/** Housekeeping: the outbox sweep (anything a request's own relay left behind). */
export const maintenanceProcessor: Processor = {
  group: 'maintenance',
  queue: 'maintenance',
  concurrency: 1,
  async process(job, runtime) {
    if (job.data.task === 'outbox-sweep') {
      return await relayOutbox({
        stores: runtime.outboxStores,
        queues: runtime.queues,
        onError: (error, entryId) =>
          runtime.logger.warn({ entryId, err: error.message }, 'outbox entry not relayed'),
      });
    }
    return { skipped: `unknown task ${job.data.task}` };
  },
  schedules: () => [
    { id: 'outbox-sweep', every: 10_000, name: 'outbox-sweep', data: { task: 'outbox-sweep' } },
  ],
};
