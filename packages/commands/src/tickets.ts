import { randomUUID } from 'node:crypto';
import {
  type EffectHint,
  isRef,
  isTerminalStatus,
  normaliseRef,
  type PlanError,
  planAssign,
  planChangeCategory,
  planLinkDataset,
  planMerge,
  planSetPriority,
  planTransfer,
  planTransition,
  type TicketSnapshot,
  type TransitionInput,
} from '@quipu/core/tickets';
import { isObjectId, type OutboxEntry, type Scope, type TicketRecord } from '@quipu/db';
import { Types } from 'mongoose';
import type { CommandContext } from './context.ts';
import { CommandError, concurrentChange, fromPlanError, notFoundError } from './errors.ts';
import { needsNotification, notifyEntry, type StoredEvent, storedEvent } from './events.ts';
import type { Principal, StaffPrincipal } from './principal.ts';
import { computeTicketSla } from './sla.ts';
import { webhookEntries } from './webhooks.ts';

/** Comments a ticket may hold (comments live inside the ticket document; see db/models/ticket.ts). */
export const MAX_COMMENTS = 500;

export function snapshotOf(ticket: TicketRecord): TicketSnapshot {
  return {
    id: String(ticket._id),
    ref: ticket.ref,
    kind: ticket.kind as TicketSnapshot['kind'],
    status: ticket.status as TicketSnapshot['status'],
    category: ticket.category ?? null,
    priority: (ticket.priority ?? 'normal') as TicketSnapshot['priority'],
    organisationId: String(ticket.organisationId),
    organisationAncestorIds: (ticket.organisationAncestorIds ?? []).map(String),
    teamId: ticket.teamId ? String(ticket.teamId) : null,
    assigneeId: ticket.assigneeId ? String(ticket.assigneeId) : null,
    datasetId: ticket.datasetId ? String(ticket.datasetId) : null,
    resourceId: ticket.resourceId ?? null,
    firstResponseAt: ticket.sla?.firstResponseAt ?? null,
  };
}

function scopeOf(principal: Principal): Scope {
  if (principal.kind === 'reporter') return { kind: 'everything' };
  return principal.scope;
}

function actorName(principal: Principal): string | undefined {
  return principal.kind === 'staff' ? principal.name : undefined;
}

/** Loads a ticket by ref or id within the principal's reach; a reporter reaches only their own. */
export async function loadTicket(
  ctx: CommandContext,
  principal: Principal,
  key: string,
): Promise<TicketRecord> {
  const scope = scopeOf(principal);
  const ref = normaliseRef(key);
  const ticket = ref
    ? await ctx.tickets.findByRef(scope, ref)
    : isObjectId(key)
      ? await ctx.tickets.findById(scope, key)
      : null;
  if (!ticket || (principal.kind === 'reporter' && String(ticket._id) !== principal.ticketId))
    throw notFoundError('ticket');
  return ticket;
}

function ensure<T>(plan: T | PlanError): Exclude<T, PlanError> {
  if ((plan as PlanError).ok === false) throw fromPlanError(plan as PlanError);
  return plan as Exclude<T, PlanError>;
}

interface WriteProps {
  ticket: TicketRecord;
  principal: Principal;
  events: StoredEvent[];
  set?: Record<string, unknown>;
  unset?: string[];
  inc?: Record<string, number>;
  push?: Record<string, unknown[]>;
  /** Guard on the status read (default: yes). */
  guardStatus?: boolean;
  guard?: Record<string, unknown>;
  /** Recompute the SLA (status change, staff reply, priority/category change). */
  recomputeSla?: boolean;
}

/**
 * Writes a planned change in ONE findOneAndUpdate: the fields, the events, the recomputed SLA
 * block and the outbox entries (notifications, deadline jobs). Guarded by the status that was
 * read, so two concurrent plans cannot both apply.
 */
async function write(ctx: CommandContext, props: WriteProps): Promise<TicketRecord> {
  const now = ctx.now();
  const ticketId = String(props.ticket._id);
  const set: Record<string, unknown> = { ...(props.set ?? {}) };
  const events = [...props.events];
  const outbox = [
    ...props.events.filter(needsNotification).map((e) => notifyEntry(ticketId, e, now)),
    // Every event goes to the registered webhooks (the worker filters by what each subscribed to).
    ...webhookEntries(ticketId, props.events, now),
  ];
  if (props.recomputeSla) {
    const projected = {
      ...props.ticket,
      ...(set.status ? { status: set.status } : {}),
      ...(set.priority ? { priority: set.priority } : {}),
      ...(set.category !== undefined ? { category: set.category } : {}),
    };
    const sla = await computeTicketSla(ctx, projected as TicketRecord, props.events, now);
    if (sla) {
      set.sla = sla.block;
      outbox.push(...sla.outbox);
      events.push(...sla.changeEvents);
    }
  }
  if (props.events.some((e) => e.public)) set.lastPublicActivityAt = now;
  const updated = await ctx.tickets.applyChange(scopeOf(props.principal), {
    id: ticketId,
    ...(props.guardStatus === false ? {} : { expectedStatus: props.ticket.status }),
    ...(props.guard ? { guard: props.guard } : {}),
    set,
    ...(props.unset ? { unset: props.unset } : {}),
    ...(props.inc ? { inc: props.inc } : {}),
    ...(props.push ? { push: props.push } : {}),
    events,
    outbox,
  });
  if (!updated) throw concurrentChange();
  if (outbox.length) await ctx.kickOutbox(ticketId, 'tickets', (updated.outbox ?? []) as OutboxEntry[]);
  return updated;
}

export interface TransitionProps {
  ticket: string;
  action: string;
  input?: TransitionInput;
}

/** Moves a ticket through its state machine (the table in @quipu/core/tickets). */
export async function transitionTicket(
  ctx: CommandContext,
  principal: Principal,
  props: TransitionProps,
): Promise<TicketRecord> {
  const ticket = await loadTicket(ctx, principal, props.ticket);
  const now = ctx.now();
  if (props.input?.duplicateOf) {
    // The survivor must exist, be of the same kind and still be open: merge does the real work.
    throw new CommandError(
      'use_merge',
      'Mark duplicates with the merge endpoint, which moves supporters and followers.',
      { field: 'duplicateOf' },
    );
  }
  const plan = ensure(
    planTransition({
      ticket: snapshotOf(ticket),
      action: props.action,
      actor: principal.actor,
      input: props.input ?? {},
      now,
    }),
  );
  const event = storedEvent(
    { ...plan.event, actor: { ...plan.event.actor, name: actorName(principal) } } as never,
    { public: true, effects: plan.effects },
  );
  return await write(ctx, {
    ticket,
    principal,
    events: [event],
    set: statusFields(ticket, plan.to, plan.event.fields, plan.effects, now),
    ...reopenIncrement(ticket, plan.effects),
    recomputeSla: true,
  });
}

/** A reopen (the clock resumes from a resolved-like status): counted, and no longer resolved or closed. */
function reopenIncrement(
  ticket: TicketRecord,
  effects: EffectHint[],
): { inc?: Record<string, number>; unset?: string[] } {
  const reopened =
    effects.includes('resumeClock') &&
    ['resolved', 'closed', 'rejected', 'duplicate', 'published', 'planned'].includes(ticket.status);
  return reopened ? { inc: { reopenCount: 1 }, unset: ['resolvedAt', 'closedAt'] } : {};
}

function statusFields(
  ticket: TicketRecord,
  to: string,
  fields: Record<string, unknown>,
  effects: EffectHint[],
  now: Date,
): Record<string, unknown> {
  const set: Record<string, unknown> = { status: to };
  if (fields.expectedDate) set.expectedDate = fields.expectedDate;
  if (fields.datasetId && isObjectId(fields.datasetId))
    set.fulfilledByDatasetId = new Types.ObjectId(String(fields.datasetId));
  if (effects.includes('stopClock') || ['resolved', 'published'].includes(to)) {
    set.resolvedAt = now;
    if (!ticket.firstResolvedAt) set.firstResolvedAt = now;
  }
  if (['closed', 'rejected', 'duplicate', 'published'].includes(to)) set.closedAt = now;
  return set;
}

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
  const updated = await write(ctx, {
    ticket,
    principal,
    events,
    set,
    push: { comments: [comment] },
    recomputeSla: staffReply || Boolean(set.status),
  });
  return { ticket: updated, commentId };
}

function canWorkOn(principal: StaffPrincipal, ticket: TicketRecord): boolean {
  if (principal.scope.kind === 'everything') return true;
  if (principal.scope.kind !== 'organisations') return false;
  return principal.scope.organisationIds.includes(String(ticket.organisationId));
}

/** The reporter's answer to "was it solved?": yes closes, no reopens. */
export async function answerSatisfaction(
  ctx: CommandContext,
  principal: Principal,
  props: { ticket: string; answer: 'yes' | 'no' },
) {
  const ticket = await loadTicket(ctx, principal, props.ticket);
  const now = ctx.now();
  const action = props.answer === 'yes' ? 'confirm_resolution' : 'dispute_resolution';
  const plan = ensure(
    planTransition({ ticket: snapshotOf(ticket), action, actor: principal.actor, input: {}, now }),
  );
  const event = storedEvent(plan.event as never, { public: true, effects: plan.effects });
  return await write(ctx, {
    ticket,
    principal,
    events: [event],
    set: {
      ...statusFields(ticket, plan.to, plan.event.fields, plan.effects, now),
      satisfaction: { answer: props.answer, at: now },
    },
    ...reopenIncrement(ticket, plan.effects),
    recomputeSla: true,
  });
}

export interface AssignProps {
  ticket: string;
  teamId?: string | null | undefined;
  assigneeId?: string | null | undefined;
  reason?: string | undefined;
}

export async function assignTicket(ctx: CommandContext, principal: Principal, props: AssignProps) {
  const ticket = await loadTicket(ctx, principal, props.ticket);
  const now = ctx.now();
  let team: { id: string; organisationId: string } | null | undefined;
  if (props.teamId === null) team = null;
  else if (props.teamId) {
    const found = await ctx.directory.findTeam({ kind: 'everything' }, props.teamId);
    if (!found) throw new CommandError('invalid_field', 'No such team.', { field: 'teamId' });
    team = { id: String(found._id), organisationId: String(found.organisationId) };
  }
  let assignee: { id: string; organisationIds: string[]; teamIds: string[] } | null | undefined;
  if (props.assigneeId === null) assignee = null;
  else if (props.assigneeId) {
    const user = await ctx.directory.findUser({ kind: 'everything' }, props.assigneeId);
    if (!user || user.active === false)
      throw new CommandError('invalid_field', 'No such officer.', { field: 'assigneeId' });
    const teams = await ctx.directory.teamsOfUser(String(user._id));
    assignee = {
      id: String(user._id),
      organisationIds: (user.organisationIds ?? []).map(String),
      teamIds: teams.map((t) => String(t._id)),
    };
  }
  const plan = ensure(
    planAssign({
      ticket: snapshotOf(ticket),
      actor: principal.actor,
      input: {
        ...(team !== undefined ? { team } : {}),
        ...(assignee !== undefined ? { assignee } : {}),
        reason: props.reason ?? null,
      },
      now,
    }),
  );
  const event = storedEvent(
    { ...plan.event, actor: { ...plan.event.actor, name: actorName(principal) } } as never,
    { effects: plan.effects },
  );
  const to = plan.event.to;
  return await write(ctx, {
    ticket,
    principal,
    events: [event],
    set: {
      ...(to.teamId ? { teamId: new Types.ObjectId(to.teamId) } : {}),
      ...(to.assigneeId ? { assigneeId: new Types.ObjectId(to.assigneeId) } : {}),
    },
    unset: [...(to.teamId ? [] : ['teamId']), ...(to.assigneeId ? [] : ['assigneeId'])],
  });
}

export async function editTicket(
  ctx: CommandContext,
  principal: Principal,
  props: {
    ticket: string;
    priority?: string | undefined;
    category?: string | undefined;
    reason?: string | undefined;
  },
) {
  let ticket = await loadTicket(ctx, principal, props.ticket);
  const now = ctx.now();
  if (props.priority !== undefined) {
    const plan = ensure(
      planSetPriority({
        ticket: snapshotOf(ticket),
        actor: principal.actor,
        input: { priority: props.priority, reason: props.reason ?? null },
        now,
      }),
    );
    ticket = await write(ctx, {
      ticket,
      principal,
      events: [storedEvent(plan.event as never, { effects: plan.effects })],
      set: { priority: plan.event.to },
      recomputeSla: true,
    });
  }
  if (props.category !== undefined) {
    const plan = ensure(
      planChangeCategory({
        ticket: snapshotOf(ticket),
        actor: principal.actor,
        input: { category: props.category, reason: props.reason ?? null },
        now,
      }),
    );
    const rerouted = await rerouteForCategory(ctx, ticket, plan.event.to, now);
    ticket = await write(ctx, {
      ticket,
      principal,
      events: [
        storedEvent(plan.event as never, { effects: plan.effects }),
        ...(rerouted ? [rerouted.event] : []),
      ],
      set: { category: plan.event.to, ...(rerouted?.set ?? {}) },
      ...(rerouted?.unset.length ? { unset: rerouted.unset } : {}),
      recomputeSla: true,
    });
  }
  return ticket;
}

/**
 * A new category may belong to another team (routing rules): the ticket follows, unless a
 * person chose its team or assignee by hand, or it is finished. Same organisation only —
 * moving to another organisation is a transfer, with a reason.
 */
async function rerouteForCategory(
  ctx: CommandContext,
  ticket: TicketRecord,
  category: string | null,
  now: Date,
) {
  if (isTerminalStatus(ticket.kind as TicketSnapshot['kind'], ticket.status as TicketSnapshot['status']))
    return null;
  if ((ticket.events ?? []).some((e) => e.type === 'assigned')) return null;
  const organisation = await ctx.directory.findOrganisation(
    { kind: 'everything' },
    String(ticket.organisationId),
  );
  if (!organisation) return null;
  const { reroutedTicket, routedEvent, routeTicket } = await import('./routing.ts');
  const base = { kind: ticket.kind as TicketSnapshot['kind'], organisation };
  const [before, after] = await Promise.all([
    routeTicket(ctx, { ...base, category: ticket.category ?? null }),
    routeTicket(ctx, { ...base, category }),
  ]);
  const sameOrganisation = String(after.organisation._id) === String(ticket.organisationId);
  if (!sameOrganisation || String(before.team?._id ?? '') === String(after.team?._id ?? '')) return null;
  return {
    event: routedEvent(after, {
      at: now,
      reason: `category changed: ${after.reason}`,
      cause: 'category_changed',
      notify: true,
    }),
    ...reroutedTicket(after),
  };
}

export async function linkDataset(
  ctx: CommandContext,
  principal: Principal,
  props: { ticket: string; dataset: string; resourceId?: string | undefined; reason?: string | undefined },
) {
  const ticket = await loadTicket(ctx, principal, props.ticket);
  const dataset = await ctx.datasets.find(props.dataset);
  if (!dataset) throw new CommandError('invalid_field', 'No such dataset.', { field: 'dataset' });
  if (props.resourceId && !dataset.resources?.some((r) => r._id === props.resourceId))
    throw new CommandError('invalid_field', 'No such resource in this dataset.', { field: 'resourceId' });
  const plan = ensure(
    planLinkDataset({
      ticket: snapshotOf(ticket),
      actor: principal.actor,
      input: {
        datasetId: String(dataset._id),
        resourceId: props.resourceId ?? null,
        reason: props.reason ?? null,
      },
      now: ctx.now(),
    }),
  );
  return await write(ctx, {
    ticket,
    principal,
    events: [storedEvent(plan.event as never, { effects: plan.effects })],
    set: {
      datasetId: dataset._id,
      datasetTitle: dataset.title,
      ...(props.resourceId ? { resourceId: props.resourceId } : {}),
    },
  });
}

/** Moves a mis-routed ticket to another organisation: team and assignee cleared, reason recorded, routed again. */
export async function transferTicket(
  ctx: CommandContext,
  principal: Principal,
  props: { ticket: string; organisation: string; reason: string },
) {
  const ticket = await loadTicket(ctx, principal, props.ticket);
  const target = await ctx.directory.findOrganisation({ kind: 'everything' }, props.organisation);
  if (!target) throw new CommandError('invalid_field', 'No such organisation.', { field: 'organisation' });
  const now = ctx.now();
  const plan = ensure(
    planTransfer({
      ticket: snapshotOf(ticket),
      actor: principal.actor,
      input: { toOrganisationId: String(target._id), reason: props.reason },
      now,
    }),
  );
  const { reroutedTicket, routedEvent, routeTicket } = await import('./routing.ts');
  const routing = await routeTicket(ctx, {
    kind: ticket.kind as never,
    category: ticket.category ?? null,
    organisation: target,
  });
  const events = [
    storedEvent({ ...plan.event, actor: { ...plan.event.actor, name: actorName(principal) } } as never, {
      public: true,
      effects: plan.effects,
    }),
    routedEvent(routing, { at: now, reason: routing.reason, cause: 'transferred', notify: true }),
  ];
  const { set, unset } = reroutedTicket(routing);
  return await write(ctx, {
    ticket,
    principal,
    events,
    set: {
      organisationId: routing.organisation._id,
      organisationAncestorIds: routing.organisation.ancestorIds ?? [],
      ...set,
    },
    unset,
    recomputeSla: true,
  });
}

/**
 * Marks `victim` a duplicate of `survivor`: the victim's status change, the survivor's merge
 * event, and supporters/followers moved (one per e-mail; the unique index drops repeats).
 * Two documents: the victim is written first (guarded), then the survivor's counters — a
 * crash in between leaves a duplicate whose supporters the reconciliation recounts.
 */
export async function mergeTickets(
  ctx: CommandContext,
  principal: Principal,
  props: { victim: string; survivor: string; reason?: string | undefined },
) {
  const victim = await loadTicket(ctx, principal, props.victim);
  const survivor = await loadTicket(ctx, principal, props.survivor);
  const now = ctx.now();
  const plan = ensure(
    planMerge({
      survivor: snapshotOf(survivor),
      victim: snapshotOf(victim),
      actor: principal.actor,
      input: { reason: props.reason ?? null },
      now,
    }),
  );
  const victimEvent = storedEvent(
    { ...plan.victim.event, fields: { ...plan.victim.event.fields, duplicateOf: survivor.ref } } as never,
    { public: true, effects: plan.victim.effects },
  );
  const updatedVictim = await write(ctx, {
    ticket: victim,
    principal,
    events: [victimEvent],
    set: { ...statusFields(victim, 'duplicate', {}, plan.victim.effects, now), duplicateOf: survivor.ref },
    recomputeSla: true,
  });
  await ctx.engagement.moveSubscriptions(String(victim._id), String(survivor._id));
  const supporters = await ctx.engagement.countVerified(String(survivor._id), 'support');
  const followers = await ctx.engagement.countVerified(String(survivor._id), 'follow');
  const survivorEvent = storedEvent(
    { ...plan.survivor.event, victimRef: victim.ref, victimId: String(victim._id) } as never,
    { public: true, effects: plan.survivor.effects },
  );
  const updatedSurvivor = await write(ctx, {
    ticket: survivor,
    principal,
    events: [survivorEvent],
    set: { supportersCount: supporters, followersCount: followers },
    guardStatus: false,
  });
  return { victim: updatedVictim, survivor: updatedSurvivor };
}

export { isRef };
