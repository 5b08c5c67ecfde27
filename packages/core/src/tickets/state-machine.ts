// The life of each kind of ticket, written as data. Each row says which action moves a
// ticket from which statuses to which status, who may do it, what the actor must supply
// and what should happen afterwards. The planner only interprets these tables, so a change
// of process is a change of rows (and of the tests that read them).
import type { EffectHint } from './events.ts';
import type {
  ComplaintStatus,
  DataRequestStatus,
  QualityStatus,
  Role,
  TicketKind,
  TicketStatus,
} from './model.ts';
import { STAFF_ROLES } from './model.ts';

export const REQUIRED_FIELDS = [
  'reason',
  'duplicateOf',
  'expectedDate',
  'datasetId',
  'message',
  'resolution',
] as const;
/**
 * - reason: why (rejections, reopenings, reschedules, dismissals);
 * - duplicateOf: the ref (`Q-2026-000123`) of the surviving ticket;
 * - expectedDate: when a planned dataset should be published (not in the past);
 * - datasetId: the catalog dataset that fulfils a data request;
 * - message: the question put to the reporter;
 * - resolution: what was done, told to the reporter.
 */
export type RequiredField = (typeof REQUIRED_FIELDS)[number];

export const TICKET_ACTIONS = [
  'triage',
  'start',
  'ask_reporter',
  'reporter_replied',
  'resume',
  'resolve',
  'confirm_resolution',
  'dispute_resolution',
  'reopen',
  'auto_close',
  'close_unanswered',
  'reject',
  'mark_duplicate',
  'withdraw',
  'review',
  'plan',
  'reschedule',
  'publish',
  'acknowledge',
  'auto_resolve',
  'regress',
  'close',
  'dismiss',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

export interface TransitionRule<S extends TicketStatus = TicketStatus> {
  from: readonly S[];
  action: TicketAction;
  to: S;
  roles: readonly Role[];
  requires: readonly RequiredField[];
  effects: readonly EffectHint[];
}

const STAFF = STAFF_ROLES;
const SYSTEM = ['system'] as const;
const REPORTER = ['reporter'] as const;

const COMPLAINT_WORKING = ['new', 'triaged', 'in_progress', 'waiting_reporter'] as const;

// biome-ignore format: one row per line reads as the table it is
export const COMPLAINT_TRANSITIONS: readonly TransitionRule<ComplaintStatus>[] = [
  { from: ['new'], action: 'triage', to: 'triaged', roles: STAFF, requires: [], effects: ['notifyReporter', 'firstResponse'] },
  { from: ['new', 'triaged'], action: 'start', to: 'in_progress', roles: STAFF, requires: [], effects: ['notifyReporter', 'firstResponse'] },
  { from: ['triaged', 'in_progress'], action: 'ask_reporter', to: 'waiting_reporter', roles: STAFF, requires: ['message'], effects: ['notifyReporter', 'pauseClock', 'firstResponse'] },
  // `system`: the inbound e-mail handler recognising the reporter's answer.
  { from: ['waiting_reporter'], action: 'reporter_replied', to: 'in_progress', roles: ['reporter', 'system'], requires: [], effects: ['resumeClock', 'notifyAssignee'] },
  { from: ['waiting_reporter'], action: 'resume', to: 'in_progress', roles: STAFF, requires: [], effects: ['resumeClock'] },
  { from: ['triaged', 'in_progress', 'waiting_reporter'], action: 'resolve', to: 'resolved', roles: STAFF, requires: ['resolution'], effects: ['stopClock', 'notifyReporter', 'askSatisfaction', 'scheduleAutoClose', 'firstResponse'] },
  { from: ['resolved'], action: 'confirm_resolution', to: 'closed', roles: REPORTER, requires: [], effects: ['cancelAutoClose', 'notifyAssignee'] },
  { from: ['resolved'], action: 'dispute_resolution', to: 'in_progress', roles: REPORTER, requires: [], effects: ['cancelAutoClose', 'resumeClock', 'notifyAssignee'] },
  // Staff reopen also corrects a mistaken rejection or duplicate marking; the reason is audited.
  { from: ['resolved', 'rejected', 'duplicate'], action: 'reopen', to: 'in_progress', roles: STAFF, requires: ['reason'], effects: ['cancelAutoClose', 'resumeClock', 'notifyReporter'] },
  { from: ['resolved'], action: 'auto_close', to: 'closed', roles: SYSTEM, requires: [], effects: ['notifyReporter'] },
  { from: ['waiting_reporter'], action: 'close_unanswered', to: 'closed', roles: SYSTEM, requires: [], effects: ['stopClock', 'notifyReporter'] },
  { from: COMPLAINT_WORKING, action: 'reject', to: 'rejected', roles: STAFF, requires: ['reason'], effects: ['stopClock', 'notifyReporter', 'firstResponse'] },
  { from: COMPLAINT_WORKING, action: 'mark_duplicate', to: 'duplicate', roles: STAFF, requires: ['duplicateOf'], effects: ['stopClock', 'notifyReporter', 'firstResponse'] },
  { from: COMPLAINT_WORKING, action: 'withdraw', to: 'closed', roles: REPORTER, requires: [], effects: ['stopClock', 'notifyAssignee'] },
];

const REQUEST_PENDING = ['submitted', 'under_review', 'planned'] as const;

// biome-ignore format: one row per line reads as the table it is
export const DATA_REQUEST_TRANSITIONS: readonly TransitionRule<DataRequestStatus>[] = [
  { from: ['submitted'], action: 'review', to: 'under_review', roles: STAFF, requires: [], effects: ['notifyReporter', 'firstResponse'] },
  // The clock of a data request measures the time to a decision: a dated plan is one.
  { from: ['submitted', 'under_review'], action: 'plan', to: 'planned', roles: STAFF, requires: ['expectedDate'], effects: ['stopClock', 'notifyReporter', 'firstResponse'] },
  { from: ['planned'], action: 'reschedule', to: 'planned', roles: STAFF, requires: ['expectedDate', 'reason'], effects: ['notifyReporter'] },
  { from: REQUEST_PENDING, action: 'publish', to: 'published', roles: STAFF, requires: ['datasetId'], effects: ['stopClock', 'notifyReporter', 'notifyFollowers', 'firstResponse'] },
  { from: REQUEST_PENDING, action: 'reject', to: 'rejected', roles: STAFF, requires: ['reason'], effects: ['stopClock', 'notifyReporter', 'firstResponse'] },
  { from: REQUEST_PENDING, action: 'mark_duplicate', to: 'duplicate', roles: STAFF, requires: ['duplicateOf'], effects: ['stopClock', 'notifyReporter', 'firstResponse'] },
  { from: ['rejected', 'published', 'duplicate'], action: 'reopen', to: 'under_review', roles: STAFF, requires: ['reason'], effects: ['resumeClock', 'notifyReporter'] },
];

const QUALITY_PENDING = ['open', 'acknowledged', 'in_progress'] as const;

// biome-ignore format: one row per line reads as the table it is
export const QUALITY_TRANSITIONS: readonly TransitionRule<QualityStatus>[] = [
  { from: ['open'], action: 'acknowledge', to: 'acknowledged', roles: STAFF, requires: [], effects: ['firstResponse'] },
  { from: ['open', 'acknowledged'], action: 'start', to: 'in_progress', roles: STAFF, requires: [], effects: ['firstResponse'] },
  { from: QUALITY_PENDING, action: 'resolve', to: 'resolved', roles: STAFF, requires: [], effects: ['stopClock', 'scheduleAutoClose', 'firstResponse'] },
  // A later check of the resource passed.
  { from: QUALITY_PENDING, action: 'auto_resolve', to: 'resolved', roles: SYSTEM, requires: [], effects: ['stopClock', 'scheduleAutoClose', 'notifyAssignee'] },
  // The check failed again after the fix: back to the desk, to be acknowledged anew.
  { from: ['resolved'], action: 'regress', to: 'open', roles: SYSTEM, requires: [], effects: ['cancelAutoClose', 'resumeClock', 'notifyAssignee'] },
  { from: ['resolved'], action: 'close', to: 'closed', roles: STAFF, requires: [], effects: ['cancelAutoClose'] },
  { from: ['resolved'], action: 'auto_close', to: 'closed', roles: SYSTEM, requires: [], effects: [] },
  // A false positive (a wrong schema, a check that should not run): closed without a fix.
  { from: QUALITY_PENDING, action: 'dismiss', to: 'closed', roles: STAFF, requires: ['reason'], effects: ['stopClock', 'firstResponse'] },
  { from: QUALITY_PENDING, action: 'mark_duplicate', to: 'duplicate', roles: STAFF, requires: ['duplicateOf'], effects: ['stopClock'] },
];

export const TRANSITIONS: Readonly<Record<TicketKind, readonly TransitionRule[]>> = {
  complaint: COMPLAINT_TRANSITIONS,
  data_request: DATA_REQUEST_TRANSITIONS,
  quality_issue: QUALITY_TRANSITIONS,
};

export interface StatusClasses<S extends TicketStatus = TicketStatus> {
  /** On a team's backlog: somebody (staff or reporter) still has to act. */
  open: readonly S[];
  /** The resolution clock is paused (waiting for the reporter). */
  paused: readonly S[];
  /** The resolution clock is stopped: an answer has been given. */
  resolvedLike: readonly S[];
  /** Finished: no work is expected. Only a staff `reopen` (with a reason) leaves some of these. */
  terminal: readonly S[];
}

// A planned data request is both open (the dataset is still owed) and resolved-like (the
// decision the clock measures has been taken); the expected date is tracked on its own.
export const STATUS_CLASSES: {
  complaint: StatusClasses<ComplaintStatus>;
  data_request: StatusClasses<DataRequestStatus>;
  quality_issue: StatusClasses<QualityStatus>;
} = {
  complaint: {
    open: ['new', 'triaged', 'in_progress', 'waiting_reporter'],
    paused: ['waiting_reporter'],
    resolvedLike: ['resolved', 'closed', 'rejected', 'duplicate'],
    terminal: ['closed', 'rejected', 'duplicate'],
  },
  data_request: {
    open: ['submitted', 'under_review', 'planned'],
    paused: [],
    resolvedLike: ['planned', 'published', 'rejected', 'duplicate'],
    terminal: ['published', 'rejected', 'duplicate'],
  },
  quality_issue: {
    open: ['open', 'acknowledged', 'in_progress'],
    paused: [],
    resolvedLike: ['resolved', 'closed', 'duplicate'],
    terminal: ['closed', 'duplicate'],
  },
};

function classOf(kind: TicketKind, cls: keyof StatusClasses): readonly TicketStatus[] {
  return STATUS_CLASSES[kind][cls];
}

export function isOpenStatus(kind: TicketKind, status: TicketStatus): boolean {
  return classOf(kind, 'open').includes(status);
}

export function isPausedStatus(kind: TicketKind, status: TicketStatus): boolean {
  return classOf(kind, 'paused').includes(status);
}

export function isResolvedLikeStatus(kind: TicketKind, status: TicketStatus): boolean {
  return classOf(kind, 'resolvedLike').includes(status);
}

export function isTerminalStatus(kind: TicketKind, status: TicketStatus): boolean {
  return classOf(kind, 'terminal').includes(status);
}

/** Statuses of a kind in a class, e.g. for a `status: { $in: [...] }` backlog query. */
export function statusesIn(kind: TicketKind, cls: keyof StatusClasses): readonly TicketStatus[] {
  return classOf(kind, cls);
}

/** Statuses that count as open for some kind: inbox views, backlog figures, officer load. */
export const OPEN_STATUSES: readonly TicketStatus[] = [
  ...new Set<TicketStatus>([
    ...STATUS_CLASSES.complaint.open,
    ...STATUS_CLASSES.data_request.open,
    ...STATUS_CLASSES.quality_issue.open,
  ]),
];

/**
 * Statuses in which the decision a clock measures has been taken for some kind (every policy's
 * default stopOn and the closing states): no SLA clock runs, digests leave them out.
 */
export const RESOLVED_LIKE_STATUSES: readonly TicketStatus[] = [
  ...new Set<TicketStatus>([
    ...STATUS_CLASSES.complaint.resolvedLike,
    ...STATUS_CLASSES.data_request.resolvedLike,
    ...STATUS_CLASSES.quality_issue.resolvedLike,
  ]),
];

/** The row that lets `action` leave `status`, if any. Rows never overlap (tested). */
export function findTransition(
  kind: TicketKind,
  status: TicketStatus,
  action: string,
): TransitionRule | undefined {
  return TRANSITIONS[kind].find((rule) => rule.action === action && rule.from.includes(status));
}

/** Rows that can leave `status`, in table order. */
export function transitionsFrom(kind: TicketKind, status: TicketStatus): readonly TransitionRule[] {
  return TRANSITIONS[kind].filter((rule) => rule.from.includes(status));
}

/** Every action name of a kind, in table order, without repeats. */
export function actionsOf(kind: TicketKind): readonly TicketAction[] {
  return [...new Set(TRANSITIONS[kind].map((rule) => rule.action))];
}
