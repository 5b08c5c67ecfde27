import { createHash } from 'node:crypto';
import { type NotificationRecord, notificationAdminRepository } from '@quipu/db';
import { JOBS } from '@quipu/queue';
import type { CommandContext } from './context.ts';

export type NotificationResend =
  | { outcome: 'queued'; notification: NotificationRecord }
  | { outcome: 'not_found' }
  /** Only failed e-mails are sent again (two clicks queue one re-send). */
  | { outcome: 'not_failed' };

/**
 * Puts a failed e-mail back to `pending` with a `resend` job for the notify worker in the same
 * write (the notification's own outbox), then relays that outbox.
 */
export async function queueNotificationResend(ctx: CommandContext, id: string): Promise<NotificationResend> {
  const repo = notificationAdminRepository(ctx.models);
  const now = ctx.now();
  // Notification ids hold ':' (`<event>:<recipient>`), which BullMQ refuses in job ids: hash it.
  const jobId = `resend-${createHash('sha256').update(id).digest('hex').slice(0, 24)}-${now.getTime()}`;
  const updated = await repo.queueResend(
    id,
    JOBS.resendNotification.entry({ notificationId: id }, { id: jobId, now }),
  );
  if (!updated) return { outcome: (await repo.find(id)) ? 'not_failed' : 'not_found' };
  await ctx.kickOutbox(id, 'notifications');
  return { outcome: 'queued', notification: updated };
}
