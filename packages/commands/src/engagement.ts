import { shouldHide } from '@quipu/core/tickets';
import type { TicketRecord } from '@quipu/db';
import { JOBS } from '@quipu/queue';
import { Types } from 'mongoose';
import type { CommandContext } from './context.ts';
import { CommandError } from './errors.ts';
import { storedEvent } from './events.ts';
import { ticketByTrackingToken } from './intake.ts';
import type { StaffPrincipal } from './principal.ts';
import { loadPublicTicket, PUBLIC_PRINCIPAL } from './public.ts';
import { emailHash, linkToken, sha256 } from './secrets.ts';
import { loadTicket } from './tickets/load.ts';

/**
 * "+1" (support) or follow, by e-mail. It counts once the e-mail is verified through the link
 * sent to it; the unique index keeps it to one per e-mail and ticket.
 */
export async function subscribe(
  ctx: CommandContext,
  props: { ticket: string; kind: 'support' | 'follow'; email: string; language: 'es' | 'en' },
) {
  const ticket = await loadPublicTicket(ctx, props.ticket);
  if (props.kind === 'support' && ticket.kind === 'quality_issue')
    throw new CommandError('invalid_field', 'Quality issues take no support.', { field: 'kind' });
  const now = ctx.now();
  const id = new Types.ObjectId();
  const token = linkToken(ctx.config.session.secret, 'subscription', id.toHexString());
  const entryId = `subverify-${id.toHexString()}`;
  const result = await ctx.engagement.upsertSubscription({
    ticketId: String(ticket._id),
    kind: props.kind,
    email: props.email.trim().toLowerCase(),
    emailHash: emailHash(props.email),
    tokenHash: sha256(token),
    language: props.language,
    outbox: [JOBS.subscriptionVerification.entry({ subscriptionId: id.toHexString() }, { id: entryId, now })],
    ...({ _id: id } as object),
  } as never);
  if (result.created) await ctx.kickOutbox(String(result.subscription._id), 'subscriptions');
  return { pending: !result.subscription.verifiedAt, created: result.created };
}

/** The e-mail link: the subscription counts from now on. */
export async function verifySubscription(ctx: CommandContext, token: string) {
  const subscription = await ctx.engagement.findSubscriptionByToken(sha256(token));
  if (!subscription)
    throw new CommandError('not_found', 'No subscription for this link.', { what: 'subscription' });
  const now = ctx.now();
  const verified = await ctx.engagement.verifySubscription(subscription._id, now);
  if (verified) {
    const field = verified.kind === 'support' ? 'supportersCount' : 'followersCount';
    await ctx.tickets.applyChange(
      { kind: 'everything' },
      {
        id: String(verified.ticketId),
        inc: { [field]: 1 },
        events: [
          storedEvent({
            type: verified.kind === 'support' ? 'supported' : 'followed',
            actor: { id: null, role: 'reporter' },
            at: now,
          }),
        ],
      },
    );
  }
  return { ticketId: String(subscription.ticketId), kind: subscription.kind };
}

/** Unsubscribe without logging in (the link in every e-mail). */
export async function unsubscribeSubscription(ctx: CommandContext, token: string) {
  const subscription = await ctx.engagement.findSubscriptionByToken(sha256(token));
  if (!subscription)
    throw new CommandError('not_found', 'No subscription for this link.', { what: 'subscription' });
  const done = await ctx.engagement.unsubscribe(subscription._id, ctx.now());
  if (done?.verifiedAt && done.kind === 'follow') {
    await ctx.tickets.applyChange(
      { kind: 'everything' },
      { id: String(done.ticketId), inc: { followersCount: -1 } },
    );
  }
  return { ticketId: String(subscription.ticketId) };
}

/** The reporter stops all e-mail about their ticket (the tracking link's unsubscribe). */
export async function unsubscribeReporter(ctx: CommandContext, token: string): Promise<TicketRecord> {
  const ticket = await ticketByTrackingToken(ctx, token);
  const updated = await ctx.tickets.applyChange(
    { kind: 'everything' },
    {
      id: String(ticket._id),
      set: { 'reporter.unsubscribed': true },
      events: [
        storedEvent({ type: 'reporter_unsubscribed', actor: { id: null, role: 'reporter' }, at: ctx.now() }),
      ],
    },
  );
  return updated ?? ticket;
}

/**
 * Anyone may flag a ticket or a comment, once per client. After `intake.flagsToHide` flags the
 * target is hidden pending moderation (ckanext-issues' strikes).
 */
export async function flag(
  ctx: CommandContext,
  props: { ticket: string; commentId?: string | undefined; clientKey: string; reason?: string | undefined },
) {
  const ticket = await loadPublicTicket(ctx, props.ticket);
  const commentIndex = props.commentId
    ? (ticket.comments ?? []).findIndex((c) => c._id === props.commentId && c.visibility === 'public')
    : -1;
  if (props.commentId && commentIndex < 0)
    throw new CommandError('not_found', 'No such comment.', { what: 'comment' });
  const fresh = await ctx.engagement.addFlag({
    ticketId: String(ticket._id),
    commentId: props.commentId ?? '',
    clientHash: sha256(props.clientKey),
    ...(props.reason ? { reason: props.reason } : {}),
  });
  if (!fresh) return { counted: false, hidden: false };
  const threshold = ctx.config.intake.flagsToHide;
  const now = ctx.now();
  if (props.commentId) {
    // Positional `$` is not available on FerretDB: address the comment by its index, guarded by its id.
    const path = `comments.${commentIndex}`;
    const count = (ticket.comments?.[commentIndex]?.flagCount ?? 0) + 1;
    const hide = shouldHide(count, threshold);
    // The moderation queue counts held comments on the ticket (FerretDB cannot `$elemMatch` them).
    const newlyHeld = hide && (count === threshold || !ticket.comments?.[commentIndex]?.hidden);
    await ctx.tickets.applyChange(PUBLIC_PRINCIPAL.scope, {
      id: String(ticket._id),
      guard: { [`${path}._id`]: props.commentId },
      inc: { [`${path}.flagCount`]: 1, ...(newlyHeld ? { 'moderation.commentsHeld': 1 } : {}) },
      ...(hide ? { set: { [`${path}.hidden`]: true } } : {}),
      events: hide
        ? [
            storedEvent({
              type: 'comment_hidden',
              actor: { id: null, role: 'system' },
              fields: { commentId: props.commentId, flags: count },
              reason: 'flags',
              at: now,
            }),
          ]
        : [],
    });
    return { counted: true, hidden: hide };
  }
  const count = (ticket.flagCount ?? 0) + 1;
  const hide = shouldHide(count, threshold);
  await ctx.tickets.applyChange(PUBLIC_PRINCIPAL.scope, {
    id: String(ticket._id),
    inc: { flagCount: 1 },
    ...(hide ? { set: { visibility: 'hidden' } } : {}),
    events: hide
      ? [
          storedEvent({
            type: 'hidden_pending_moderation',
            actor: { id: null, role: 'system' },
            reason: `${count} flags`,
            fields: { flags: count },
            at: now,
          }),
        ]
      : [],
  });
  return { counted: true, hidden: hide };
}

/** A moderator's decision on a hidden or spam-suspected ticket. */
export async function moderateTicket(
  ctx: CommandContext,
  principal: StaffPrincipal,
  props: { ticket: string; decision: 'publish' | 'hide' },
) {
  const ticket = await loadTicket(ctx, principal, props.ticket);
  const now = ctx.now();
  const visibility =
    props.decision === 'publish' &&
    ticket.reporter?.emailVerified !== false &&
    ticket.category !== 'personal_data'
      ? 'public'
      : props.decision === 'publish'
        ? 'pending'
        : 'hidden';
  const updated = await ctx.tickets.applyChange(principal.scope, {
    id: String(ticket._id),
    set: { visibility, 'moderation.reviewedAt': now, 'moderation.spamSuspected': false, flagCount: 0 },
    events: [
      storedEvent({
        type: 'moderated',
        actor: { id: principal.userId, role: principal.roles[0] ?? 'officer', name: principal.name },
        to: visibility,
        at: now,
      }),
    ],
  });
  return updated;
}

/**
 * A moderator's decision on a comment hidden by readers' flags: shown again, or kept hidden.
 * Either way its flags are cleared, so it leaves the moderation queue.
 */
export async function moderateComment(
  ctx: CommandContext,
  principal: StaffPrincipal,
  props: { ticket: string; commentId: string; decision: 'publish' | 'hide' },
) {
  const ticket = await loadTicket(ctx, principal, props.ticket);
  const index = (ticket.comments ?? []).findIndex((c) => c._id === props.commentId);
  if (index < 0) throw new CommandError('not_found', 'No such comment.', { what: 'comment' });
  // Positional `$` is not available on FerretDB: address the comment by its index, guarded by its id.
  const path = `comments.${index}`;
  const comment = ticket.comments![index]!;
  const wasHeld = Boolean(comment.hidden) && (comment.flagCount ?? 0) > 0;
  const updated = await ctx.tickets.applyChange(principal.scope, {
    id: String(ticket._id),
    guard: { [`${path}._id`]: props.commentId },
    set: { [`${path}.hidden`]: props.decision === 'hide', [`${path}.flagCount`]: 0 },
    ...(wasHeld ? { inc: { 'moderation.commentsHeld': -1 } } : {}),
    events: [
      storedEvent({
        type: 'comment_moderated',
        actor: { id: principal.userId, role: principal.roles[0] ?? 'officer', name: principal.name },
        fields: { commentId: props.commentId },
        to: props.decision === 'hide' ? 'hidden' : 'public',
        at: ctx.now(),
      }),
    ],
  });
  if (!updated) throw new CommandError('conflict', 'The comment changed meanwhile; reload and try again.');
  return updated;
}
