import type { CommandContext } from './context.ts';
import { CommandError } from './errors.ts';
import { sha256 } from './secrets.ts';

/**
 * A follower chooses one e-mail a day instead of one per update (the link in every follower
 * e-mail carries the subscription token, so no login is needed).
 */
export async function setSubscriptionDigest(ctx: CommandContext, token: string, digest: boolean) {
  const subscription = await ctx.engagement.findSubscriptionByToken(sha256(token));
  if (!subscription || subscription.unsubscribedAt)
    throw new CommandError('not_found', 'No subscription for this link.', { what: 'subscription' });
  await ctx.engagement.setSubscriptionDigest(subscription._id, digest);
  return { ticketId: String(subscription.ticketId), digest };
}
