import { notificationLogRepository, registerModels } from '@quipu/db';
import { JOBS } from '@quipu/queue';
import { kickOutbox, type Runtime } from '../runtime.ts';
import { type Delivery, notificationEntry } from './deliver.ts';

/**
 * How every worker but notify sends e-mail: the notification is recorded with its `deliver` job
 * in one write (the notifications collection's outbox), then relayed. The notify worker renders,
 * sends, retries and records it (sent, or failed and re-sendable), as it does ticket e-mails, so
 * an e-mail is never lost to a Redis or SMTP failure at the moment it is decided.
 * Idempotent by the delivery id: a retried job queues nothing twice.
 */
export async function queueDelivery(runtime: Runtime, delivery: Delivery): Promise<'queued' | 'exists'> {
  const log = notificationLogRepository(registerModels(runtime.connection));
  const outcome = await log.queue(
    notificationEntry(delivery),
    JOBS.notifyDelivery.entry({ notificationId: delivery.id }, { now: runtime.now() }),
  );
  if (outcome === 'queued') await kickOutbox(runtime, delivery.id, 'notifications');
  return outcome;
}
