// Shapes shared by every planner: the ticket snapshot they read, the actor, the events
// they produce (appended as-is to `ticket.events[]`) and the effect hints the caller turns
// into outbox entries and SLA updates.
import type { Priority, Role, TicketKind, TicketStatus } from './model.ts';

/**
 * What a planner needs to know about a ticket. Callers pass a projection of the stored
 * document; fields a planner does not use may be omitted.
 */
export interface TicketSnapshot {
  id?: string;
  ref?: string;
  kind: TicketKind;
  status: TicketStatus;
  category?: string | null;
  priority?: Priority;
  organisationId: string;
  /** The organisation's ancestors, nearest parent first; lets managers of a parent act. */
  organisationAncestorIds?: readonly string[];
  teamId?: string | null;
  assigneeId?: string | null;
  datasetId?: string | null;
  resourceId?: string | null;
  /** When the first response was recorded; once set, `firstResponse` is no longer emitted. */
  firstResponseAt?: Date | null;
}

export interface Actor {
  /** User id; null for an anonymous reporter acting through a ticket link, or a worker. */
  id: string | null;
  roles: readonly Role[];
  /** Organisations the user belongs to (staff). Managers also reach their descendants. */
  organisationIds: readonly string[];
  /** Teams the user belongs to; team leads assign within these. */
  teamIds?: readonly string[];
  /** The caller has established that this actor reported this ticket. */
  isReporter?: boolean;
}

/** How the actor appears in an event: who, and under which role the action was allowed. */
export interface EventActor {
  id: string | null;
  role: Role;
}

export const EFFECT_HINTS = [
  'notifyReporter',
  'notifyAssignee',
  'notifyFollowers',
  'askSatisfaction',
  'scheduleAutoClose',
  'cancelAutoClose',
  'firstResponse',
  'stopClock',
  'pauseClock',
  'resumeClock',
  'recomputeSla',
  'reroute',
] as const;
/**
 * What should happen after the write, as hints for the command that applies the plan:
 * - notify*: queue an e-mail (rendered by the notify worker) to that audience;
 * - askSatisfaction: the resolution e-mail carries the "solved? yes / no" links;
 * - scheduleAutoClose / cancelAutoClose: the delayed `auto_close` job for a resolved ticket;
 * - firstResponse: record `now` as the first response (only emitted while none is recorded);
 * - stopClock / pauseClock / resumeClock: the resolution clock of the SLA block;
 * - recomputeSla: the inputs of the SLA policy choice changed (priority, category, org);
 * - reroute: ask routing (`shouldReroute`) whether the team must change.
 */
export type EffectHint = (typeof EFFECT_HINTS)[number];

export type FieldValue = string | Date;

export interface StatusChangedEvent {
  type: 'status_changed';
  action: string;
  actor: EventActor;
  from: TicketStatus;
  to: TicketStatus;
  /** The validated, normalised fields of the action (e.g. `expectedDate`, `datasetId`). */
  fields: Record<string, FieldValue>;
  reason: string | null;
  at: Date;
}

export interface AssignedEvent {
  type: 'assigned';
  actor: EventActor;
  from: { teamId: string | null; assigneeId: string | null };
  to: { teamId: string | null; assigneeId: string | null };
  reason: string | null;
  at: Date;
}

export interface PriorityChangedEvent {
  type: 'priority_changed';
  actor: EventActor;
  from: Priority;
  to: Priority;
  reason: string | null;
  at: Date;
}

export interface CategoryChangedEvent {
  type: 'category_changed';
  actor: EventActor;
  from: string | null;
  to: string | null;
  reason: string | null;
  at: Date;
}

export interface DatasetLinkedEvent {
  type: 'dataset_linked';
  actor: EventActor;
  from: { datasetId: string | null; resourceId: string | null };
  to: { datasetId: string | null; resourceId: string | null };
  reason: string | null;
  at: Date;
}

export interface TransferredEvent {
  type: 'transferred';
  actor: EventActor;
  from: { organisationId: string; teamId: string | null; assigneeId: string | null };
  to: { organisationId: string };
  reason: string;
  at: Date;
}

/** Appended to the survivor of a merge; the victim gets a `status_changed` to `duplicate`. */
export interface DuplicateMergedEvent {
  type: 'duplicate_merged';
  actor: EventActor;
  victimRef: string | null;
  victimId: string | null;
  supporterIdsAdded: readonly string[];
  followerIdsAdded: readonly string[];
  reason: string | null;
  at: Date;
}

export type TicketEvent =
  | StatusChangedEvent
  | AssignedEvent
  | PriorityChangedEvent
  | CategoryChangedEvent
  | DatasetLinkedEvent
  | TransferredEvent
  | DuplicateMergedEvent;

export const PLAN_ERROR_CODES = [
  'invalid_transition',
  'forbidden',
  'missing_field',
  'invalid_field',
  'invalid_merge',
  'no_change',
] as const;
export type PlanErrorCode = (typeof PLAN_ERROR_CODES)[number];

export interface PlanError {
  ok: false;
  code: PlanErrorCode;
  /** English, for logs and developers; the API localises from `code` and `details`. */
  message: string;
  details: Record<string, unknown>;
}

export function planError(
  code: PlanErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): PlanError {
  return { ok: false, code, message, details };
}
