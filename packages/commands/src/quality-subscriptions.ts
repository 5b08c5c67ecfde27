import { qualitySubscriptionRepository } from '@quipu/db';
import { JOBS } from '@quipu/queue';
import { Types } from 'mongoose';
import type { CommandContext } from './context.ts';
import { CommandError } from './errors.ts';
import { emailHash, linkToken, sha256 } from './secrets.ts';

/** The link token of a dataset quality subscription (its own id space: `quality-<id>`). */
export function qualitySubscriptionToken(secret: string, subscriptionId: string): string {
  return linkToken(secret, 'subscription', `quality-${subscriptionId}`);
}

/**
 * A reuser asks to hear when a dataset's checks start failing or recover. Like ticket follows
 * (engagement.ts): stored with a verification e-mail in its outbox, counted once the link in
 * that e-mail is opened; one subscription per e-mail and dataset.
 */
export async function subscribeToDatasetQuality(
  ctx: CommandContext,
  props: { dataset: string; email: string; language: 'es' | 'en' },
): Promise<{ pending: boolean; created: boolean; subscriptionId: string; verificationJobId: string | null }> {
  const dataset = await ctx.datasets.find(props.dataset);
  if (!dataset || (dataset as { withdrawnAt?: Date }).withdrawnAt)
    throw new CommandError('not_found', 'No such dataset.', { what: 'dataset' });
  const now = ctx.now();
  const id = new Types.ObjectId();
  const token = qualitySubscriptionToken(ctx.config.session.secret, id.toHexString());
  const entryId = `qsubverify-${id.toHexString()}`;
  const result = await qualitySubscriptionRepository(ctx.models).upsert({
    _id: id,
    datasetId: String(dataset._id),
    email: props.email.trim().toLowerCase(),
    emailHash: emailHash(props.email),
    tokenHash: sha256(token),
    language: props.language,
    outbox: [
      JOBS.qualitySubscriptionVerification.entry({ subscriptionId: id.toHexString() }, { id: entryId, now }),
    ],
  });
  const subscriptionId = String(result.subscription._id);
  if (result.created) await ctx.kickOutbox(subscriptionId, 'quality_subscriptions');
  const pendingEntry = result.subscription.outbox?.at(-1)?._id ?? null;
  return {
    pending: !result.subscription.verifiedAt,
    created: result.created,
    subscriptionId,
    verificationJobId: result.created ? pendingEntry : null,
  };
}

export async function verifyDatasetQualitySubscription(ctx: CommandContext, token: string) {
  const repository = qualitySubscriptionRepository(ctx.models);
  const subscription = token.length <= 100 ? await repository.findByToken(sha256(token)) : null;
  if (!subscription || subscription.unsubscribedAt)
    throw new CommandError('not_found', 'No subscription for this link.', { what: 'subscription' });
  await repository.verify(subscription._id, ctx.now());
  return { datasetId: String(subscription.datasetId) };
}

export async function unsubscribeDatasetQuality(ctx: CommandContext, token: string) {
  const repository = qualitySubscriptionRepository(ctx.models);
  const subscription = token.length <= 100 ? await repository.findByToken(sha256(token)) : null;
  if (!subscription)
    throw new CommandError('not_found', 'No subscription for this link.', { what: 'subscription' });
  await repository.unsubscribe(subscription._id, ctx.now());
  return { datasetId: String(subscription.datasetId) };
}
