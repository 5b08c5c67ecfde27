// Planners for edits that are not status changes: assignment, priority, category, dataset
// link, transfer. Each returns the event to append and the effect hints, or a PlanError.
import type {
  Actor,
  AssignedEvent,
  CategoryChangedEvent,
  DatasetLinkedEvent,
  EffectHint,
  EventActor,
  PlanError,
  PriorityChangedEvent,
  TicketSnapshot,
  TransferredEvent,
} from './events.ts';
import { planError } from './events.ts';
import { optionalReason, TEXT_MAX_LENGTH } from './fields.ts';
import type { Priority, Role, TicketCategory } from './model.ts';
import { DEFAULT_PRIORITY, isPriority, isValidCategory, STAFF_ROLES } from './model.ts';
import { grantingRole, holdsAnyRole } from './permissions.ts';
import { isTerminalStatus } from './state-machine.ts';
import { assertValidNow } from './transitions.ts';

export interface EditPlan<E> {
  ok: true;
  event: E;
  effects: EffectHint[];
}

interface EditRequest<I> {
  ticket: TicketSnapshot;
  actor: Actor;
  input: I;
  now: Date;
}

const STAFF_OR_SYSTEM: readonly Role[] = [...STAFF_ROLES, 'system'];

function authorise(
  actor: Actor,
  ticket: TicketSnapshot,
  allowed: readonly Role[],
  what: string,
): EventActor | PlanError {
  const role = grantingRole(actor, ticket, allowed);
  if (role === null) {
    return planError('forbidden', `not allowed to ${what} this ticket`, {
      allowedRoles: allowed,
      problem: holdsAnyRole(actor, allowed) ? 'out_of_scope' : 'role_not_allowed',
    });
  }
  return { id: actor.id, role };
}

function refuseFinished(ticket: TicketSnapshot, what: string): PlanError | null {
  if (!isTerminalStatus(ticket.kind, ticket.status)) return null;
  return planError('invalid_transition', `cannot ${what} a ${ticket.status} ticket`, {
    kind: ticket.kind,
    status: ticket.status,
  });
}

function isError(value: unknown): value is PlanError {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}

// ---------------------------------------------------------------- assignment

export interface AssigneeCandidate {
  id: string;
  organisationIds: readonly string[];
  teamIds: readonly string[];
}

export interface AssignInput {
  /** The team to hand the ticket to; omitted: unchanged. */
  team?: { id: string; organisationId: string } | null;
  /** The officer to assign; omitted: unchanged (cleared when the team changes); null: unassign. */
  assignee?: AssigneeCandidate | null;
  reason?: string | null;
}

/**
 * Who may assign what:
 * - admin, manager, system: any team of the ticket's organisation, any of its staff;
 * - team lead: moves tickets into or out of their own teams, assigns members of their teams;
 * - officer: takes a ticket for themselves, or gives back one assigned to them.
 * The assignee must belong to the ticket's organisation (transfers move tickets across).
 */
export function planAssign(request: EditRequest<AssignInput>): EditPlan<AssignedEvent> | PlanError {
  const { ticket, actor, input, now } = request;
  assertValidNow(now);
  const finished = refuseFinished(ticket, 'assign');
  if (finished) return finished;
  const by = authorise(actor, ticket, STAFF_OR_SYSTEM, 'assign');
  if (isError(by)) return by;
  const reason = optionalReason(input.reason);
  if (isError(reason)) return reason;

  const fromTeam = ticket.teamId ?? null;
  const fromAssignee = ticket.assigneeId ?? null;
  const teamChanges = input.team !== undefined && (input.team?.id ?? null) !== fromTeam;
  const toTeam = input.team === undefined ? fromTeam : (input.team?.id ?? null);
  let toAssignee: string | null;
  if (input.assignee !== undefined) toAssignee = input.assignee?.id ?? null;
  else toAssignee = teamChanges ? null : fromAssignee;

  if (toTeam === fromTeam && toAssignee === fromAssignee) {
    return planError('no_change', 'the ticket already has this team and assignee', {});
  }
  if (input.team && input.team.organisationId !== ticket.organisationId) {
    return planError('invalid_field', 'the team belongs to another organisation; transfer the ticket first', {
      field: 'team',
      problem: 'other_organisation',
    });
  }
  if (input.assignee && !input.assignee.organisationIds.includes(ticket.organisationId)) {
    return planError('invalid_field', "the assignee is not staff of the ticket's organisation", {
      field: 'assignee',
      problem: 'other_organisation',
    });
  }

  const denied = assignmentDenied(by.role, actor, {
    teamChanges,
    fromTeam,
    toTeam,
    fromAssignee,
    toAssignee,
    candidate: input.assignee ?? null,
  });
  if (denied) return planError('forbidden', denied, { problem: 'assignment_not_allowed', role: by.role });

  const effects: EffectHint[] = [];
  if (toAssignee !== null && toAssignee !== fromAssignee && toAssignee !== actor.id)
    effects.push('notifyAssignee');
  return {
    ok: true,
    event: {
      type: 'assigned',
      actor: by,
      from: { teamId: fromTeam, assigneeId: fromAssignee },
      to: { teamId: toTeam, assigneeId: toAssignee },
      reason,
      at: now,
    },
    effects,
  };
}

interface AssignmentChange {
  teamChanges: boolean;
  fromTeam: string | null;
  toTeam: string | null;
  fromAssignee: string | null;
  toAssignee: string | null;
  candidate: AssigneeCandidate | null;
}

function assignmentDenied(role: Role, actor: Actor, change: AssignmentChange): string | null {
  if (role === 'admin' || role === 'manager' || role === 'system') return null;
  const assigneeChanges = change.toAssignee !== change.fromAssignee;
  if (role === 'officer') {
    if (change.teamChanges) return 'officers cannot move tickets between teams';
    const takes = change.toAssignee === actor.id && actor.id !== null;
    const givesBack = change.toAssignee === null && change.fromAssignee === actor.id && actor.id !== null;
    return assigneeChanges && (takes || givesBack)
      ? null
      : 'officers can only take a ticket or give theirs back';
  }
  if (role === 'team_lead') {
    const leads = actor.teamIds ?? [];
    if (change.teamChanges) {
      const involvesOwnTeam =
        (change.fromTeam !== null && leads.includes(change.fromTeam)) ||
        (change.toTeam !== null && leads.includes(change.toTeam));
      if (!involvesOwnTeam) return 'team leads move tickets into or out of their own teams only';
    }
    if (assigneeChanges && change.candidate) {
      const sharesTeam =
        change.toTeam !== null
          ? leads.includes(change.toTeam) && change.candidate.teamIds.includes(change.toTeam)
          : change.candidate.teamIds.some((team) => leads.includes(team));
      if (!sharesTeam) return 'team leads assign members of their own teams only';
    }
    if (
      assigneeChanges &&
      !change.candidate &&
      change.fromTeam !== null &&
      !leads.includes(change.fromTeam)
    ) {
      return "team leads cannot unassign another team's ticket";
    }
    return null;
  }
  return 'not allowed to assign';
}

// ---------------------------------------------------------------- priority

export function planSetPriority(
  request: EditRequest<{ priority: string; reason?: string | null }>,
): EditPlan<PriorityChangedEvent> | PlanError {
  const { ticket, actor, input, now } = request;
  assertValidNow(now);
  const finished = refuseFinished(ticket, 'reprioritise');
  if (finished) return finished;
  const by = authorise(actor, ticket, STAFF_OR_SYSTEM, 'reprioritise');
  if (isError(by)) return by;
  if (!isPriority(input.priority)) {
    return planError('invalid_field', `"${input.priority}" is not a priority`, {
      field: 'priority',
      problem: 'unknown_priority',
    });
  }
  const from: Priority = ticket.priority ?? DEFAULT_PRIORITY;
  if (from === input.priority) return planError('no_change', `priority is already ${from}`, {});
  const reason = optionalReason(input.reason);
  if (isError(reason)) return reason;
  return {
    ok: true,
    event: { type: 'priority_changed', actor: by, from, to: input.priority, reason, at: now },
    // SLA policies are chosen by priority among other things.
    effects: ['recomputeSla'],
  };
}

// ---------------------------------------------------------------- category

export function planChangeCategory(
  request: EditRequest<{ category: string | null; reason?: string | null }>,
): EditPlan<CategoryChangedEvent> | PlanError {
  const { ticket, actor, input, now } = request;
  assertValidNow(now);
  const finished = refuseFinished(ticket, 'recategorise');
  if (finished) return finished;
  const by = authorise(actor, ticket, STAFF_OR_SYSTEM, 'recategorise');
  if (isError(by)) return by;
  if (!isValidCategory(ticket.kind, input.category)) {
    return planError(
      input.category == null ? 'missing_field' : 'invalid_field',
      `"${input.category}" is not a category of a ${ticket.kind}`,
      { field: 'category', problem: 'unknown_category', kind: ticket.kind },
    );
  }
  const from = ticket.category ?? null;
  const to = (input.category ?? null) as TicketCategory | null;
  if (from === to) return planError('no_change', 'the ticket already has this category', {});
  const reason = optionalReason(input.reason);
  if (isError(reason)) return reason;
  return {
    ok: true,
    event: { type: 'category_changed', actor: by, from, to, reason, at: now },
    effects: ['reroute', 'recomputeSla'],
  };
}

// ---------------------------------------------------------------- dataset link

const ID_MAX_LENGTH = 200;

/** Links (or unlinks, with null) the dataset and resource a ticket is about; allowed in any status. */
export function planLinkDataset(
  request: EditRequest<{ datasetId: string | null; resourceId?: string | null; reason?: string | null }>,
): EditPlan<DatasetLinkedEvent> | PlanError {
  const { ticket, actor, input, now } = request;
  assertValidNow(now);
  const by = authorise(actor, ticket, STAFF_OR_SYSTEM, 'link a dataset to');
  if (isError(by)) return by;
  const datasetId = input.datasetId?.trim() || null;
  const resourceId = input.resourceId?.trim() || null;
  if (resourceId !== null && datasetId === null) {
    return planError('missing_field', 'a resource is linked together with its dataset', {
      fields: ['datasetId'],
    });
  }
  for (const [field, value] of [
    ['datasetId', datasetId],
    ['resourceId', resourceId],
  ] as const) {
    if (value !== null && value.length > ID_MAX_LENGTH) {
      return planError('invalid_field', `${field} is too long`, { field, problem: 'too_long' });
    }
  }
  const from = { datasetId: ticket.datasetId ?? null, resourceId: ticket.resourceId ?? null };
  if (from.datasetId === datasetId && from.resourceId === resourceId) {
    return planError('no_change', 'the ticket is already linked to this dataset', {});
  }
  const reason = optionalReason(input.reason);
  if (isError(reason)) return reason;
  return {
    ok: true,
    event: { type: 'dataset_linked', actor: by, from, to: { datasetId, resourceId }, reason, at: now },
    // Routing rules match dataset tags and resource formats.
    effects: isTerminalStatus(ticket.kind, ticket.status) ? [] : ['reroute'],
  };
}

// ---------------------------------------------------------------- transfer

/**
 * Hands a ticket to another organisation (the complaint was about a dataset another body
 * publishes). Staff of the current organisation may do it, and `system` when a routing rule
 * targets a team of another organisation; team and assignee are cleared and routing runs
 * again in the receiving organisation; the reporter is told.
 */
export function planTransfer(
  request: EditRequest<{ toOrganisationId: string; reason: string | null | undefined }>,
): EditPlan<TransferredEvent> | PlanError {
  const { ticket, actor, input, now } = request;
  assertValidNow(now);
  const finished = refuseFinished(ticket, 'transfer');
  if (finished) return finished;
  const by = authorise(actor, ticket, STAFF_OR_SYSTEM, 'transfer');
  if (isError(by)) return by;
  const to = input.toOrganisationId?.trim() ?? '';
  const reason = input.reason?.trim() ?? '';
  const missing = [...(to === '' ? ['toOrganisationId'] : []), ...(reason === '' ? ['reason'] : [])];
  if (missing.length > 0) {
    return planError('missing_field', `missing required field(s): ${missing.join(', ')}`, {
      fields: missing,
    });
  }
  if (reason.length > TEXT_MAX_LENGTH) {
    return planError('invalid_field', 'reason is too long', { field: 'reason', problem: 'too_long' });
  }
  if (to === ticket.organisationId) {
    return planError('invalid_field', 'the ticket already belongs to this organisation', {
      field: 'toOrganisationId',
      problem: 'same_organisation',
    });
  }
  return {
    ok: true,
    event: {
      type: 'transferred',
      actor: by,
      from: {
        organisationId: ticket.organisationId,
        teamId: ticket.teamId ?? null,
        assigneeId: ticket.assigneeId ?? null,
      },
      to: { organisationId: to },
      reason,
      at: now,
    },
    effects: ['reroute', 'recomputeSla', 'notifyReporter'],
  };
}
