import { Types } from 'mongoose';
import type { Models } from '../models/index.ts';
import { isObjectId, toObjectId } from './scope.ts';

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

/** Attempts kept on a webhook delivery, newest last. */
const DELIVERY_LOG_KEPT = 20;

/** Webhooks and their delivery log (kept to the last 20 attempts per delivery). */
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
