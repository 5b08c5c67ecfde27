import type { Types } from 'mongoose';
import { isDuplicateKeyError } from '../errors.ts';
import type { SubscriptionDoc } from '../models/engagement.ts';
import type { Models } from '../models/index.ts';
import type { OutboxEntry } from '../outbox.ts';
import { isObjectId, toObjectId } from './scope.ts';

export type SubscriptionRecord = SubscriptionDoc & { _id: Types.ObjectId; createdAt: Date };

/** Supporters, followers, flags and idempotency records. */
export function engagementRepository(models: Models) {
  const { Subscription, Flag, Idempotency } = models;
  return {
    /** Creates a pending subscription, or returns the existing one for this e-mail (unique index). */
    async upsertSubscription(doc: {
      ticketId: string;
      kind: 'support' | 'follow';
      email: string;
      emailHash: string;
      tokenHash: string;
      language: string;
      outbox: OutboxEntry[];
    }) {
      try {
        const created = await Subscription.create({ ...doc, ticketId: toObjectId(doc.ticketId) });
        return { created: true, subscription: created.toObject() as unknown as SubscriptionRecord };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const existing = (await Subscription.findOne({
          ticketId: toObjectId(doc.ticketId),
          kind: doc.kind,
          emailHash: doc.emailHash,
        }).lean()) as unknown as SubscriptionRecord;
        return { created: false, subscription: existing };
      }
    },
    async findSubscriptionByToken(tokenHash: string) {
      return (await Subscription.findOne({ tokenHash }).lean()) as unknown as SubscriptionRecord | null;
    },
    async findSubscriptionById(id: string) {
      if (!isObjectId(id)) return null;
      return (await Subscription.findById(id).lean()) as unknown as SubscriptionRecord | null;
    },
    /** A follower's choice of one e-mail a day instead of one per update. */
    async setSubscriptionDigest(id: Types.ObjectId, digest: boolean) {
      await Subscription.updateOne({ _id: id }, { $set: { digest } });
    },
    /** Marks verified once; returns the subscription only when this call verified it. */
    async verifySubscription(id: Types.ObjectId, at: Date) {
      return (await Subscription.findOneAndUpdate(
        { _id: id, verifiedAt: { $exists: false } },
        { $set: { verifiedAt: at } },
        { returnDocument: 'after' },
      ).lean()) as unknown as SubscriptionRecord | null;
    },
    async unsubscribe(id: Types.ObjectId, at: Date) {
      return (await Subscription.findOneAndUpdate(
        { _id: id, unsubscribedAt: { $exists: false } },
        { $set: { unsubscribedAt: at } },
        { returnDocument: 'after' },
      ).lean()) as unknown as SubscriptionRecord | null;
    },
    async verifiedSubscribers(ticketId: string) {
      return (await Subscription.find({
        ticketId: toObjectId(ticketId),
        verifiedAt: { $exists: true },
        unsubscribedAt: { $exists: false },
      }).lean()) as unknown as SubscriptionRecord[];
    },
    async moveSubscriptions(fromTicketId: string, toTicketId: string): Promise<number> {
      // One by one: the unique index drops e-mails that already support the survivor.
      const subs = await Subscription.find({ ticketId: toObjectId(fromTicketId) }).lean();
      let moved = 0;
      for (const sub of subs) {
        try {
          await Subscription.updateOne({ _id: sub._id }, { $set: { ticketId: toObjectId(toTicketId) } });
          if (sub.verifiedAt && !sub.unsubscribedAt) moved += 1;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
      return moved;
    },
    /** Retention: supporters' and followers' addresses of an anonymised ticket. */
    async forgetSubscribers(ticketId: string) {
      const subs = await Subscription.find({ ticketId: toObjectId(ticketId) }, { _id: 1 }).lean();
      for (const sub of subs) {
        await Subscription.updateOne(
          { _id: sub._id },
          { $set: { email: `forgotten-${String(sub._id)}@invalid`, unsubscribedAt: new Date() } },
        );
      }
      return subs.length;
    },
    async countVerified(ticketId: string, kind: 'support' | 'follow') {
      return await Subscription.countDocuments({
        ticketId: toObjectId(ticketId),
        kind,
        verifiedAt: { $exists: true },
      });
    },

    /** Records a flag; false when this client already flagged the target. */
    async addFlag(doc: { ticketId: string; commentId: string; clientHash: string; reason?: string }) {
      try {
        await Flag.create({ ...doc, ticketId: toObjectId(doc.ticketId) });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },

    /** Claims an idempotency key: 'new' (go ahead), 'replay' (stored response), 'mismatch' or 'pending'. */
    async claimIdempotencyKey(id: string, fingerprint: string, expiresAt: Date, now: Date) {
      try {
        await Idempotency.create({ _id: id, fingerprint, state: 'pending', expiresAt });
        return { outcome: 'new' as const };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const existing = (await Idempotency.findById(id).lean()) as unknown as {
          expiresAt: Date;
          fingerprint: string;
          state: string;
          status?: number;
          body?: unknown;
        } | null;
        if (!existing || existing.expiresAt <= now) {
          await Idempotency.deleteOne({ _id: id });
          await Idempotency.create({ _id: id, fingerprint, state: 'pending', expiresAt });
          return { outcome: 'new' as const };
        }
        if (existing.fingerprint !== fingerprint) return { outcome: 'mismatch' as const };
        if (existing.state === 'pending') return { outcome: 'pending' as const };
        return { outcome: 'replay' as const, status: existing.status!, body: existing.body };
      }
    },
    async completeIdempotencyKey(id: string, status: number, body: unknown) {
      await Idempotency.updateOne({ _id: id }, { $set: { state: 'done', status, body } });
    },
    async releaseIdempotencyKey(id: string) {
      await Idempotency.deleteOne({ _id: id, state: 'pending' });
    },
    async deleteExpiredIdempotencyKeys(now: Date) {
      return (await Idempotency.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
    },
  };
}

export type EngagementRepository = ReturnType<typeof engagementRepository>;
