// Merging a duplicate (the victim) into the ticket that carries on (the survivor). The
// victim takes the `mark_duplicate` transition; the survivor inherits the people who care:
// supporters ("me too") and followers, the victim's reporter among both, so they hear
// about the outcome on the surviving ticket.
import type {
  Actor,
  DuplicateMergedEvent,
  EffectHint,
  PlanError,
  StatusChangedEvent,
  TicketSnapshot,
} from './events.ts';
import { planError } from './events.ts';
import { optionalReason } from './fields.ts';
import { staffRoleOn } from './permissions.ts';
import { isTerminalStatus } from './state-machine.ts';
import { planTransition } from './transitions.ts';

export interface MergeTicket extends TicketSnapshot {
  /** A stable key of the reporter (user id or hashed e-mail); null for worker-opened tickets. */
  reporterId?: string | null;
  supporterIds?: readonly string[];
  followerIds?: readonly string[];
}

export interface MergeRequest {
  survivor: MergeTicket;
  victim: MergeTicket;
  actor: Actor;
  input?: { reason?: string | null };
  now: Date;
}

export interface MergePlan {
  ok: true;
  victim: { to: 'duplicate'; event: StatusChangedEvent; effects: EffectHint[] };
  survivor: {
    event: DuplicateMergedEvent;
    effects: EffectHint[];
    /** Ids to `$addToSet` on the survivor; the supporters count grows by `supporterIds.length`. */
    moves: { supporterIds: string[]; followerIds: string[] };
  };
}

function newcomers(
  candidates: readonly (string | null | undefined)[],
  existing: readonly (string | null | undefined)[],
) {
  const have = new Set(existing.filter((id): id is string => typeof id === 'string'));
  const added: string[] = [];
  for (const id of candidates) {
    if (typeof id !== 'string' || have.has(id)) continue;
    have.add(id);
    added.push(id);
  }
  return added;
}

function sameTicket(a: MergeTicket, b: MergeTicket): boolean {
  return (a.id !== undefined && a.id === b.id) || (a.ref !== undefined && a.ref === b.ref);
}

export function planMerge(request: MergeRequest): MergePlan | PlanError {
  const { survivor, victim, actor, now } = request;
  if (sameTicket(survivor, victim)) {
    return planError('invalid_merge', 'a ticket cannot be merged into itself', { problem: 'same_ticket' });
  }
  if (survivor.kind !== victim.kind) {
    return planError('invalid_merge', `cannot merge a ${victim.kind} into a ${survivor.kind}`, {
      problem: 'cross_kind',
      victimKind: victim.kind,
      survivorKind: survivor.kind,
    });
  }
  // A finished survivor (closed, rejected, duplicate, published) would leave the people
  // moved onto it waiting for news that will not come.
  if (isTerminalStatus(survivor.kind, survivor.status)) {
    return planError('invalid_merge', `cannot merge into a ${survivor.status} ticket`, {
      problem: 'survivor_finished',
      survivorStatus: survivor.status,
    });
  }
  if (survivor.ref === undefined) {
    return planError('invalid_merge', 'the survivor has no ref to point the duplicate at', {
      problem: 'survivor_without_ref',
    });
  }
  const reason = optionalReason(request.input?.reason);
  if (reason !== null && typeof reason === 'object') return reason;
  const victimPlan = planTransition({
    ticket: victim,
    action: 'mark_duplicate',
    actor,
    input: { duplicateOf: survivor.ref, reason },
    now,
  });
  if (!victimPlan.ok) return victimPlan;
  const survivorRole = staffRoleOn(actor, survivor);
  if (survivorRole === null) {
    return planError('forbidden', 'not allowed to merge into this ticket', { problem: 'out_of_scope' });
  }
  const existing = [survivor.reporterId, ...(survivor.supporterIds ?? [])];
  const supporterIds = newcomers([victim.reporterId, ...(victim.supporterIds ?? [])], existing);
  const followerIds = newcomers(
    [victim.reporterId, ...(victim.followerIds ?? [])],
    [survivor.reporterId, ...(survivor.followerIds ?? [])],
  );
  return {
    ok: true,
    victim: { to: 'duplicate', event: victimPlan.event, effects: victimPlan.effects },
    survivor: {
      event: {
        type: 'duplicate_merged',
        actor: { id: actor.id, role: survivorRole },
        victimRef: victim.ref ?? null,
        victimId: victim.id ?? null,
        supporterIdsAdded: supporterIds,
        followerIdsAdded: followerIds,
        reason,
        at: now,
      },
      effects: survivor.assigneeId ? ['notifyAssignee'] : [],
      moves: { supporterIds, followerIds },
    },
  };
}
