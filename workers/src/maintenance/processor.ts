import { anonymiseClosedTickets, createCommandContext } from '@quipu/commands';
import { relayOutbox } from '@quipu/queue';
import type { Processor } from '../processor.ts';

/**
 * Housekeeping: the outbox sweep (anything a request's own relay left behind) and the daily
 * retention pass (anonymise reporters of long-closed tickets; expire sessions and idempotency keys).
 */
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
    if (job.data.task === 'retention') {
      return await anonymiseClosedTickets(createCommandContext(runtime as never));
    }
    return { skipped: `unknown task ${job.data.task}` };
  },
  schedules: () => [
    { id: 'outbox-sweep', every: 10_000, name: 'outbox-sweep', data: { task: 'outbox-sweep' } },
    {
      id: 'retention',
      pattern: '0 3 * * *',
      tz: 'America/Lima',
      name: 'retention',
      data: { task: 'retention' },
    },
  ],
};
