import type { Config } from '@quipu/config';
import { type Models, notificationAdminRepository } from '@quipu/db';
import type { Notification } from '@quipu/mail';
import { deliver } from './deliver.ts';

/**
 * Sends a notification from its record: the `deliver` job (queued by another worker with the
 * record, queue-delivery.ts) and the `resend` job (queued by the admin API after it put a failed
 * notification back to `pending`). The stored kind, data, language and unsubscribe link are
 * rendered and sent under the record's id (so the Message-ID stays the same and it goes once).
 * Anything not pending (sent meanwhile, or failed and not re-queued) is left alone.
 */
export async function sendStoredNotification(
  models: Models,
  config: Config,
  notificationId: string,
  attempt: { final: boolean },
): Promise<'sent' | 'skipped'> {
  const record = await notificationAdminRepository(models).find(notificationId);
  if (record?.state !== 'pending') return 'skipped';
  return await deliver(
    models,
    config,
    {
      id: record._id,
      to: record.to,
      recipientKind: record.recipientKind ?? 'subscriber',
      language: record.language === 'en' ? 'en' : 'es',
      notification: { kind: record.kind, data: record.data } as unknown as Notification,
      ...(record.ticketId ? { ticketId: String(record.ticketId) } : {}),
      ...(record.unsubscribeUrl ? { unsubscribeUrl: record.unsubscribeUrl } : {}),
    },
    attempt,
  );
}
