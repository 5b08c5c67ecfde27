/**
 * SLA policies and clocks. Pure: the ticket's history and `now` come in, deadlines, states and
 * explanations come out. Business time comes from `@quipu/core/time`.
 */
export {
  type ComputeSlaInput,
  clockStartOf,
  clockStartReason,
  computeSla,
  type ExtensionOutcome,
  type ExtensionRefusal,
  extensionNoticeDeadline,
  type SlaEvent,
  type SlaResult,
  type StatusInterval,
  type TargetResult,
  type TargetState,
} from './clock.ts';
export { type DueExplanation, explainDue, renderExplanation, type SkippedHoliday } from './explain.ts';
export {
  type DeadlineJob,
  type DeadlineKind,
  deadlineJobId,
  deadlineJobs,
  type EscalationPlan,
  escalationSchedule,
} from './jobs.ts';
export {
  type CountFrom,
  DEFAULT_PAUSE_STATUSES,
  DEFAULT_STOP_STATUSES,
  DEFAULT_WARN_AT,
  DURATION_UNITS,
  type DurationSpec,
  type DurationUnit,
  type EscalationStep,
  type ExtensionRule,
  type PolicyConditions,
  PolicyError,
  type PolicyIssue,
  type PolicySubject,
  parsePolicies,
  type SlaPolicy,
  selectPolicy,
  TARGET_NAMES,
  type TargetName,
  validatePolicies,
} from './policy.ts';
export { advance as advanceInUnit, budgetOf, measure as measureInUnit } from './units.ts';
