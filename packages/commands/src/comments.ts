import { randomUUID } from 'node:crypto';
import { planTransition } from '@quipu/core/tickets';
import type { CommandContext } from './context.ts';
import { CommandError } from './errors.ts';
import { type StoredEvent, storedEvent } from './events.ts';
import type { Principal } from './principal.ts';
import { actorName, canWorkOn, loadTicket, snapshotOf } from './tickets/load.ts';
import { ensure, writeTicketChange } from './tickets/write.ts';

/** Comments a ticket may hold (comments live inside the ticket document; see db/models/ticket.ts). */
export const MAX_COMMENTS = 500;

export interface CommentProps {
  ticket: string;
  body: string;
  visibility: 'public' | 'internal';
  attachments?: Array<{ name: string; size: number; mediaType: string; url?: string | undefined }>;
}

/**
 * A public reply (to the reporter and followers), an internal note (staff only), or the
 * reporter's own comment through the tracking link. A reporter's comment on a ticket waiting
 * for them resumes it (`reporter_replied`) in the same write.
 */
export async function addComment(ctx: CommandContext, principal: Principal, props: CommentProps) {
  const ticket = await loadTicket(ctx, principal, props.ticket);
  const now = ctx.now();
  if ((ticket.comments?.length ?? 0) >= MAX_COMMENTS)
    throw new CommandError('too_many_comments', `A ticket holds at most ${MAX_COMMENTS} comments.`);
  const isReporter = principal.kind === 'reporter';
  if (isReporter && props.visibility !== 'public')
    throw new CommandError('forbidden', 'Reporters write public comments only.');
  if (principal.kind === 'staff' && !canWorkOn(principal, ticket))
    throw new CommandError('forbidden', 'Not your organisation’s ticket.');
  if (['closed', 'duplicate'].includes(ticket.status) && isReporter)
    throw new CommandError('invalid_transition', 'This ticket is closed.');
  const commentId = `c-${randomUUID()}`;
  const author = isReporter
    ? { kind: 'reporter', name: ticket.reporter?.name ?? null }
    : principal.kind === 'staff'
      ? { kind: 'user', id: principal.userId, name: principal.name }
      : { kind: 'system', name: 'Quipu' };
  const comment = {
    _id: commentId,
    visibility: props.visibility,
    author,
    body: props.body,
    attachments: props.attachments ?? [],
    flagCount: 0,
    hidden: false,
    at: now,
  };
  const role = isReporter
    ? 'reporter'
    : principal.kind === 'staff'
      ? (principal.roles[0] ?? 'officer')
      : 'system';
  const effects: string[] =
    props.visibility === 'public'
      ? isReporter
        ? ['notifyAssignee']
        : ['notifyReporter', 'notifyFollowers']
      : [];
  const events: StoredEvent[] = [
    storedEvent(
      {
        type: 'comment_added',
        actor: { id: principal.kind === 'staff' ? principal.userId : null, role, name: actorName(principal) },
        fields: { commentId, visibility: props.visibility },
        at: now,
      },
      { public: props.visibility === 'public', effects },
    ),
  ];
  const set: Record<string, unknown> = {};
  if (isReporter && ticket.status === 'waiting_reporter') {
    const plan = ensure(
      planTransition({
        ticket: snapshotOf(ticket),
        action: 'reporter_replied',
        actor: principal.actor,
        input: {},
        now,
      }),
    );
    events.push(
      storedEvent(plan.event as never, {
        public: true,
        effects: plan.effects.filter((e) => e !== 'notifyAssignee'),
      }),
    );
    set.status = plan.to;
  }
  const staffReply = props.visibility === 'public' && principal.kind === 'staff';
  const updated = await writeTicketChange(ctx, {
    ticket,
    principal,
    events,
    set,
    push: { comments: [comment] },
    recomputeSla: staffReply || Boolean(set.status),
  });
  return { ticket: updated, commentId };
}
