import type { Types } from 'mongoose';
import type { Models } from '../models/index.ts';
import type { OutboxEntry } from '../outbox.ts';

export interface NotificationRecord {
  _id: string;
  kind: string;
  ticketId?: Types.ObjectId;
  to: string;
  recipientKind?: string;
  language: string;
  data: Record<string, unknown>;
  state: 'pending' | 'sent' | 'failed' | 'suppressed';
  attempts: number;
  lastError?: string;
  sentAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** The admin's view of e-mail: failed (or any state) notifications, newest first, and re-sending. */
export function notificationAdminRepository(models: Models) {
  const { Notification } = models;
  return {
    /** Served by the `{ state: 1, updatedAt: -1 }` index. */
    async listByState(
      state: string,
      options: { limit?: number; before?: Date | undefined } = {},
    ): Promise<NotificationRecord[]> {
      const filter: Record<string, unknown> = { state };
      if (options.before) filter.updatedAt = { $lt: options.before };
      return (await Notification.find(filter, { outbox: 0 })
        .sort({ updatedAt: -1 })
        .limit(Math.min(Math.max(options.limit ?? 50, 1), 200))
        .lean()) as unknown as NotificationRecord[];
    },
    async find(id: string): Promise<NotificationRecord | null> {
      return (await Notification.findById(id, { outbox: 0 }).lean()) as unknown as NotificationRecord | null;
    },
    /**
     * Back to `pending` with the re-send job in the same write (the notification's own outbox),
     * only from `failed` so that two clicks queue one re-send.
     */
    async queueResend(id: string, entry: OutboxEntry): Promise<NotificationRecord | null> {
      return (await Notification.findOneAndUpdate(
        { _id: id, state: 'failed' },
        { $set: { state: 'pending', attempts: 0 }, $push: { outbox: { $each: [entry] } } },
        { returnDocument: 'after' },
      ).lean()) as unknown as NotificationRecord | null;
    },
    /** Notifications held back for a digest (`state: 'suppressed'`, `data.digest` set) not yet sent in one. */
    async pendingDigestItems(limit = 5_000): Promise<NotificationRecord[]> {
      return (await Notification.find({ state: 'suppressed', 'data.digest.state': 'waiting' }, { outbox: 0 })
        .limit(limit)
        .lean()) as unknown as NotificationRecord[];
    },
    async markDigested(ids: readonly string[], digestId: string): Promise<void> {
      if (!ids.length) return;
      await Notification.updateMany(
        { _id: { $in: [...ids] } },
        { $set: { 'data.digest.state': 'sent', 'data.digest.in': digestId } },
      );
    },
  };
}
