import { Types } from 'mongoose';
import type { Models } from '../models/index.ts';
import type { OutboxEntry } from '../outbox.ts';
import { isObjectId, toObjectId } from './scope.ts';

/** A decreed non-working day stored over the config calendars. */
export interface CalendarOverrideHoliday {
  date: string;
  name: string;
  nameEn?: string | undefined;
  law?: string | undefined;
  addedAt: Date;
  addedBy?: string | undefined;
}

export interface CalendarOverrideRecord {
  _id: string;
  holidays: CalendarOverrideHoliday[];
  updatedAt?: Date;
}

/** Statuses after which no SLA clock runs (the union of every policy's default stopOn and closing states). */
export const CLOSED_TICKET_STATUSES = ['resolved', 'closed', 'rejected', 'duplicate', 'published', 'planned'];

/** Calendar overrides: one small document per calendar, read whole. */
export function calendarOverrideRepository(models: Models) {
  const { CalendarOverride } = models;
  return {
    async list(): Promise<CalendarOverrideRecord[]> {
      return (await CalendarOverride.find({}).sort({ _id: 1 }).lean()) as unknown as CalendarOverrideRecord[];
    },
    /** Adds a one-off holiday once: false when that date is already decreed for the calendar. */
    async addHoliday(calendarId: string, holiday: CalendarOverrideHoliday): Promise<boolean> {
      await CalendarOverride.updateOne(
        { _id: calendarId },
        { $setOnInsert: { holidays: [] } },
        { upsert: true },
      );
      const result = await CalendarOverride.updateOne(
        { _id: calendarId, 'holidays.date': { $ne: holiday.date } },
        { $push: { holidays: { $each: [holiday] } } },
      );
      return result.modifiedCount === 1;
    },
  };
}

export interface WebhookRecord {
  _id: Types.ObjectId;
  url: string;
  secret: string;
  events: string[];
  organisationIds: Types.ObjectId[];
  active: boolean;
  description?: string;
  createdAt: Date;
}

export interface WebhookDeliveryRecord {
  _id: string;
  webhookId: Types.ObjectId;
  ticketId?: Types.ObjectId;
  eventId: string;
  eventType: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus?: number;
  lastError?: string;
  deliveredAt?: Date;
  log: Array<{ at: Date; status?: number; error?: string; durationMs?: number }>;
  createdAt: Date;
}

/** Webhooks and their delivery log (kept to the last 20 attempts per delivery). */
/** Attempts kept on a webhook delivery, newest last. */
const DELIVERY_LOG_KEPT = 20;

export function webhookRepository(models: Models) {
  const { Webhook, WebhookDelivery } = models;
  return {
    async create(doc: {
      url: string;
      secret: string;
      events: string[];
      organisationIds?: string[];
      description?: string;
      createdBy?: string;
    }): Promise<WebhookRecord> {
      const created = await Webhook.create({
        ...doc,
        organisationIds: (doc.organisationIds ?? []).map(toObjectId),
      });
      return created.toObject() as unknown as WebhookRecord;
    },
    async list(): Promise<WebhookRecord[]> {
      return (await Webhook.find({}).sort({ createdAt: 1 }).lean()) as unknown as WebhookRecord[];
    },
    async find(id: string): Promise<WebhookRecord | null> {
      if (!isObjectId(id)) return null;
      return (await Webhook.findById(id).lean()) as unknown as WebhookRecord | null;
    },
    async setActive(id: string, active: boolean): Promise<WebhookRecord | null> {
      if (!isObjectId(id)) return null;
      return (await Webhook.findByIdAndUpdate(
        id,
        { $set: { active } },
        { returnDocument: 'after' },
      ).lean()) as unknown as WebhookRecord | null;
    },
    async remove(id: string): Promise<boolean> {
      if (!isObjectId(id)) return false;
      return (await Webhook.deleteOne({ _id: toObjectId(id) })).deletedCount === 1;
    },
    /** Active webhooks that want this event type for this organisation. */
    async subscribedTo(eventType: string, organisationId: string | null): Promise<WebhookRecord[]> {
      const all = (await Webhook.find({ active: true }).lean()) as unknown as WebhookRecord[];
      return all.filter(
        (w) =>
          (w.events.includes('*') || w.events.includes(eventType)) &&
          (w.organisationIds.length === 0 ||
            (organisationId !== null && w.organisationIds.some((o) => String(o) === organisationId))),
      );
    },
    /** Creates the delivery record once (its id is the idempotency key) and returns it. */
    async openDelivery(doc: {
      id: string;
      webhookId: Types.ObjectId;
      ticketId?: string;
      eventId: string;
      eventType: string;
    }): Promise<WebhookDeliveryRecord> {
      await WebhookDelivery.updateOne(
        { _id: doc.id },
        {
          $setOnInsert: {
            webhookId: doc.webhookId,
            ...(doc.ticketId && isObjectId(doc.ticketId)
              ? { ticketId: new Types.ObjectId(doc.ticketId) }
              : {}),
            eventId: doc.eventId,
            eventType: doc.eventType,
            state: 'pending',
            attempts: 0,
            log: [],
          },
        },
        { upsert: true },
      );
      return (await WebhookDelivery.findById(doc.id).lean()) as unknown as WebhookDeliveryRecord;
    },
    async recordAttempt(
      id: string,
      attempt: { at: Date; status?: number; error?: string; durationMs: number },
      state: 'pending' | 'delivered' | 'failed',
    ): Promise<void> {
      const updated = (await WebhookDelivery.findOneAndUpdate(
        { _id: id },
        {
          $set: {
            state,
            ...(attempt.status !== undefined ? { lastStatus: attempt.status } : {}),
            ...(attempt.error ? { lastError: attempt.error } : {}),
            ...(state === 'delivered' ? { deliveredAt: attempt.at } : {}),
          },
          $inc: { attempts: 1 },
          $push: { log: { $each: [attempt], $slice: -DELIVERY_LOG_KEPT } },
        },
        // No projection: FerretDB's findAndModify does not take one.
        { returnDocument: 'after' },
      ).lean()) as { log?: unknown[] } | null;
      // FerretDB ignores `$slice` in `$push` (MongoDB honours it): drop the oldest entry here. One
      // attempt adds one entry and the delivery job owns the document, so one `$pop` keeps the cap.
      if ((updated?.log?.length ?? 0) > DELIVERY_LOG_KEPT)
        await WebhookDelivery.updateOne({ _id: id }, { $pop: { log: -1 } });
    },
    async deliveries(webhookId: string, limit = 50): Promise<WebhookDeliveryRecord[]> {
      if (!isObjectId(webhookId)) return [];
      return (await WebhookDelivery.find({ webhookId: toObjectId(webhookId) })
        .sort({ createdAt: -1 })
        .limit(limit)
        .lean()) as unknown as WebhookDeliveryRecord[];
    },
  };
}

/** Staff e-mail preferences: absent documents mean the defaults. */
export function preferenceRepository(models: Models) {
  const { Preference } = models;
  return {
    async dailyDigestOptOuts(userIds: readonly string[]): Promise<Set<string>> {
      const docs = (await Preference.find({
        _id: { $in: [...userIds] },
        dailyDigest: false,
      }).lean()) as Array<{
        _id: string;
      }>;
      return new Set(docs.map((d) => d._id));
    },
    async setDailyDigest(userId: string, dailyDigest: boolean): Promise<void> {
      await Preference.updateOne({ _id: userId }, { $set: { dailyDigest } }, { upsert: true });
    },
  };
}

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

/**
 * The SLA sweeps' walk over open tickets, in `_id` order. One server cursor streamed in batches:
 * FerretDB pushes neither `$gt` on `_id` nor `$nin` down to its storage, so keyset paging
 * (one query per batch) rescans the collection for every batch; a single cursor scans it once.
 * `after` resumes a walk that was cut (e.g. a cursor closed by the server).
 */
export function slaTicketQueries(models: Models) {
  const { Ticket } = models;
  const filterOf = (after?: string, organisationIds?: readonly string[]) => {
    const filter: Record<string, unknown> = { status: { $nin: CLOSED_TICKET_STATUSES } };
    if (after) filter._id = { $gt: toObjectId(after) };
    if (organisationIds) filter.organisationId = { $in: organisationIds.map(toObjectId) };
    return filter;
  };
  const PROJECTION = { comments: 0, outbox: 0, description: 0, reporter: 0 };
  return {
    async *openTickets(options: {
      after?: string | undefined;
      batchSize: number;
      organisationIds?: readonly string[] | undefined;
    }): AsyncGenerator<Array<Record<string, unknown> & { _id: Types.ObjectId }>> {
      let after = options.after;
      for (let reopened = 0; reopened < 5; reopened += 1) {
        const cursor = Ticket.collection
          .find(filterOf(after, options.organisationIds), { projection: PROJECTION })
          .sort({ _id: 1 })
          .batchSize(options.batchSize);
        let batch: Array<Record<string, unknown> & { _id: Types.ObjectId }> = [];
        try {
          for await (const doc of cursor) {
            batch.push(doc as never);
            if (batch.length >= options.batchSize) {
              after = String(batch.at(-1)!._id);
              yield batch;
              batch = [];
            }
          }
          if (batch.length) yield batch;
          return;
        } catch (error) {
          // A cursor the server closed (idle, restart): resume after the last batch handed out.
          if (!/cursor/i.test((error as Error).message)) throw error;
        } finally {
          await cursor.close().catch(() => {});
        }
      }
    },
    async openBatch(options: {
      after?: string | undefined;
      limit: number;
      organisationIds?: readonly string[] | undefined;
    }): Promise<Array<Record<string, unknown> & { _id: Types.ObjectId }>> {
      return (await Ticket.find(filterOf(options.after, options.organisationIds), PROJECTION)
        .sort({ _id: 1 })
        .limit(options.limit)
        .lean()) as unknown as Array<Record<string, unknown> & { _id: Types.ObjectId }>;
    },
  };
}

/** The daily digest's figures for one organisation and its descendants (open tickets only). */
export function digestQueries(models: Models) {
  const { Ticket } = models;
  const OPEN = { status: { $nin: CLOSED_TICKET_STATUSES } };
  const list = async (filter: Record<string, unknown>, sort: Record<string, 1 | -1>, limit: number) =>
    (await Ticket.find(filter, { ref: 1, title: 1, assigneeId: 1, sla: 1 })
      .sort(sort)
      .limit(limit)
      .lean()) as unknown as Array<{
      _id: Types.ObjectId;
      ref: string;
      title: string;
      assigneeId?: Types.ObjectId;
      sla?: { targets?: Array<{ target: string; dueAt?: Date; state?: string }> };
    }>;
  const nextDue = (t: { sla?: { targets?: Array<{ dueAt?: Date; state?: string }> } }) =>
    Math.min(
      ...(t.sla?.targets ?? [])
        .filter((x) => x.state === 'running' && x.dueAt)
        .map((x) => new Date(x.dueAt!).getTime()),
    );
  return {
    async forOrganisation(
      organisationId: string,
      now: Date,
      options: { dueWithinMs: number; limit: number },
    ) {
      const id = toObjectId(organisationId);
      // Served by { organisationId, status, createdAt } and { organisationAncestorIds, status }.
      const scope = { $or: [{ organisationId: id }, { organisationAncestorIds: id }] };
      const since = new Date(now.getTime() - 86_400_000);
      const soon = new Date(now.getTime() + options.dueWithinMs);
      const filters = {
        new: { $and: [scope, { createdAt: { $gte: since } }] },
        breached: { $and: [scope, OPEN, { 'sla.breached': true }] },
        unassigned: { $and: [scope, OPEN, { assigneeId: { $exists: false } }] },
      };
      // `$elemMatch` inside a count is refused by FerretDB (counts run as aggregations): the
      // 48-hour window is narrow, so candidates come from the `sla.targets.dueAt` index and the
      // running ones are picked here.
      const candidates = (await Ticket.find(
        { $and: [scope, OPEN, { 'sla.targets.dueAt': { $gt: now, $lte: soon } }] },
        { ref: 1, title: 1, assigneeId: 1, sla: 1 },
      )
        .sort({ _id: 1 })
        .lean()) as unknown as Awaited<ReturnType<typeof list>>;
      const dueSoon = candidates
        .filter((t) =>
          (t.sla?.targets ?? []).some(
            (x) => x.state === 'running' && x.dueAt && x.dueAt > now && x.dueAt <= soon,
          ),
        )
        .sort((a, b) => nextDue(a) - nextDue(b));
      const [nNew, nBreached, nUnassigned] = await Promise.all(
        [filters.new, filters.breached, filters.unassigned].map((f) => Ticket.countDocuments(f)),
      );
      return {
        counts: { new: nNew!, dueSoon: dueSoon.length, breached: nBreached!, unassigned: nUnassigned! },
        lists: {
          new: await list(filters.new, { createdAt: -1 }, options.limit),
          dueSoon: dueSoon.slice(0, options.limit),
          breached: await list(filters.breached, { createdAt: 1 }, options.limit),
          unassigned: await list(filters.unassigned, { createdAt: 1 }, options.limit),
        },
      };
    },
  };
}
