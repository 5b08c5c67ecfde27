import type { Config } from '@quipu/config';
import { type Models, notificationAdminRepository } from '@quipu/db';
import type { Notification } from '@quipu/mail';
import { deliver } from './deliver.ts';

/**
 * The `resend` job of the notify queue ({notificationId}), queued by the admin API after it put
 * a failed notification back to `pending`: the stored kind, data and language are rendered and
 * sent again under the same id (so the Message-ID stays the same and it is sent once more, not
 * twice). Anything not pending (sent meanwhile, or failed again and not re-queued) is left alone.
 */
export async function resendNotification(
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
    },
    attempt,
  );
}
