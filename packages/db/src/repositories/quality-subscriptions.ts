import type { Types } from 'mongoose';
import { isDuplicateKeyError } from '../errors.ts';
import type { Models } from '../models/index.ts';
import type { OutboxEntry } from '../outbox.ts';
import { isObjectId, toObjectId } from './scope.ts';

export interface QualitySubscriptionRecord {
  _id: Types.ObjectId;
  datasetId: Types.ObjectId;
  email: string;
  emailHash: string;
  tokenHash: string;
  language: 'es' | 'en';
  verifiedAt?: Date;
  unsubscribedAt?: Date;
  outbox: OutboxEntry[];
  createdAt: Date;
}

/** Reusers' e-mail subscriptions to a dataset's quality events (personal data: never public). */
export function qualitySubscriptionRepository(models: Models) {
  const { QualitySubscription } = models;
  return {
    /**
     * One subscription per e-mail and dataset (unique index): a second request for the same
     * address returns the first, with no new verification mail; one that unsubscribed starts over.
     */
    async upsert(doc: {
      _id: Types.ObjectId;
      datasetId: string;
      email: string;
      emailHash: string;
      tokenHash: string;
      language: 'es' | 'en';
      outbox: OutboxEntry[];
    }): Promise<{ subscription: QualitySubscriptionRecord; created: boolean }> {
      try {
        const created = await QualitySubscription.create({ ...doc, datasetId: toObjectId(doc.datasetId) });
        return { subscription: created.toObject() as unknown as QualitySubscriptionRecord, created: true };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const existing = (await QualitySubscription.findOne({
          datasetId: toObjectId(doc.datasetId),
          emailHash: doc.emailHash,
        }).lean()) as unknown as QualitySubscriptionRecord | null;
        if (!existing) throw error;
        if (!existing.unsubscribedAt) return { subscription: existing, created: false };
        const renewed = (await QualitySubscription.findOneAndUpdate(
          { _id: existing._id, unsubscribedAt: { $exists: true } },
          {
            $set: { tokenHash: doc.tokenHash, language: doc.language },
            $unset: { unsubscribedAt: 1, verifiedAt: 1 },
            $push: { outbox: { $each: doc.outbox } },
          },
          { returnDocument: 'after' },
        ).lean()) as unknown as QualitySubscriptionRecord | null;
        return { subscription: renewed ?? existing, created: renewed !== null };
      }
    },

    async findById(id: string): Promise<QualitySubscriptionRecord | null> {
      if (!isObjectId(id)) return null;
      return (await QualitySubscription.findById(id).lean()) as unknown as QualitySubscriptionRecord | null;
    },

    async findByToken(tokenHash: string): Promise<QualitySubscriptionRecord | null> {
      // Served by { tokenHash } (unique).
      return (await QualitySubscription.findOne({
        tokenHash,
      }).lean()) as unknown as QualitySubscriptionRecord | null;
    },

    async verify(id: Types.ObjectId, now: Date): Promise<QualitySubscriptionRecord | null> {
      return (await QualitySubscription.findOneAndUpdate(
        { _id: id, verifiedAt: { $exists: false }, unsubscribedAt: { $exists: false } },
        { $set: { verifiedAt: now } },
        { returnDocument: 'after' },
      ).lean()) as unknown as QualitySubscriptionRecord | null;
    },

    async unsubscribe(id: Types.ObjectId, now: Date): Promise<void> {
      await QualitySubscription.updateOne({ _id: id }, { $set: { unsubscribedAt: now } });
    },

    /** Verified, still subscribed (served by { datasetId, verifiedAt }). */
    async verifiedOf(datasetId: string): Promise<QualitySubscriptionRecord[]> {
      return (await QualitySubscription.find({
        datasetId: toObjectId(datasetId),
        verifiedAt: { $exists: true },
        unsubscribedAt: { $exists: false },
      })
        .limit(10_000)
        .lean()) as unknown as QualitySubscriptionRecord[];
    },
  };
}

export type QualitySubscriptionRepository = ReturnType<typeof qualitySubscriptionRepository>;
