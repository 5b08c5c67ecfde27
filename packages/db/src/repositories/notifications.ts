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
  unsubscribeUrl?: string;
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

/** What a notification is about, written once under its id (`<event id>:<recipient key>`). */
export interface NotificationEntry {
  id: string;
  kind: string;
  to: string;
  recipientKind: string;
  language: string;
  data: object;
  ticketId?: string | undefined;
  unsubscribeUrl?: string | undefined;
}

/**
 * The notify worker's log of e-mail: each notification is recorded before it is sent (its id is
 * the idempotency key), then marked sent or failed. A record already sent or suppressed is never
 * sent again, so a retried job sends only what is missing.
 */
export function notificationLogRepository(models: Models) {
  const { Notification } = models;
  const insertOnce = async (
    entry: NotificationEntry,
    state: 'pending' | 'suppressed',
    outbox: OutboxEntry[] = [],
  ) =>
    Notification.updateOne(
      { _id: entry.id },
      {
        $setOnInsert: {
          kind: entry.kind,
          to: entry.to,
          recipientKind: entry.recipientKind,
          language: entry.language,
          data: entry.data,
          state,
          attempts: 0,
          outbox,
          ...(entry.ticketId ? { ticketId: entry.ticketId } : {}),
          ...(entry.unsubscribeUrl ? { unsubscribeUrl: entry.unsubscribeUrl } : {}),
        },
      },
      { upsert: true },
    );
  return {
    /** Records a pending e-mail (once) and says its state now. */
    async recordPending(entry: NotificationEntry): Promise<NotificationRecord['state'] | undefined> {
      await insertOnce(entry, 'pending');
      const record = (await Notification.findById(entry.id, { state: 1 }).lean()) as {
        state: NotificationRecord['state'];
      } | null;
      return record?.state;
    },
    /**
     * Records an e-mail for the notify worker to send, with its job in the same write (the
     * outbox): nothing is lost if Redis or SMTP is down now. 'exists' when it was recorded before.
     */
    async queue(entry: NotificationEntry, job: OutboxEntry): Promise<'queued' | 'exists'> {
      const result = await insertOnce(entry, 'pending', [job]);
      return result.upsertedCount === 1 ? 'queued' : 'exists';
    },
    /** Records an update held back for a digest instead of sent; 'exists' when it was already there. */
    async recordHeld(entry: NotificationEntry): Promise<'held' | 'exists'> {
      const result = await insertOnce(entry, 'suppressed');
      return result.upsertedCount === 1 ? 'held' : 'exists';
    },
    async markSent(id: string, messageId: string | undefined, at: Date): Promise<void> {
      await Notification.updateOne(
        { _id: id },
        { $set: { state: 'sent', sentAt: at, messageId }, $inc: { attempts: 1 }, $unset: { lastError: 1 } },
      );
    },
    /** One failed attempt; `final` leaves it `failed` (visible and re-sendable by an admin). */
    async markAttemptFailed(id: string, message: string, final: boolean): Promise<void> {
      await Notification.updateOne(
        { _id: id },
        { $set: { lastError: message, ...(final ? { state: 'failed' } : {}) }, $inc: { attempts: 1 } },
      );
    },
  };
}
