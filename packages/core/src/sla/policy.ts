/**
 * SLA policies: what each ticket is promised, chosen by ordered conditions (first match wins,
 * a policy without conditions is the fallback). Descriptors live in `config/sla-policies.json`.
 */

/** How a target's amount is counted. Business units follow the ticket's calendar; `hours`/`days` are elapsed time (a day = 24 h). */
export const DURATION_UNITS = ['business_hours', 'business_days', 'hours', 'days'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** An amount of time, e.g. `{ amount: 10, unit: 'business_days' }`. */
export interface DurationSpec {
  amount: number;
  unit: DurationUnit;
}

/** Targets a policy can set. `update`: the longest silence allowed between public staff replies. */
export const TARGET_NAMES = ['firstResponse', 'resolution', 'update'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** Where counting starts: the receipt instant, or the opening of the first business day after the receipt date (LPAG). */
export type CountFrom = 'receipt' | 'next_business_day';

/**
 * A one-time (or `times`-time) extension of the resolution deadline, as in Peru's Ley 27806 art. 11:
 * the entity may set a later date once, provided it tells the requester within 2 business days of receipt.
 */
export interface ExtensionRule {
  /** How many extensions are allowed (Ley 27806: 1). */
  times: number;
  /** The extension must be granted (notified) within this time of receipt, counted like the policy (`countFrom`). */
  noticeWithin: DurationSpec;
  /** Optional cap: the new due may not be later than this after the current due. */
  maxExtension?: DurationSpec;
  law?: string;
}

/** Who is told, and when, once a target is at risk or breached. */
export interface EscalationStep {
  /** Role or audience: `assignee`, `team_lead`, `manager`, `parent_organisation`, … */
  to: string;
  /** Which instant the delay counts from (default `breach`). */
  from?: 'warn' | 'breach';
  /** Delay after that instant, on the ticket's calendar for business units (0 = at once). */
  after: DurationSpec;
}

/** Ticket attributes a policy can match on; a listed key must contain the ticket's value. */
export interface PolicyConditions {
  kind?: string[];
  category?: string[];
  priority?: string[];
  organisation?: string[];
  /** Legal regime the request was filed under, e.g. `access_to_information`, `complaints_book`. */
  regime?: string[];
}

/** One SLA policy. */
export interface SlaPolicy {
  id: string;
  /** Stored on the ticket with `id`, so that a later edit of the file does not rewrite history silently. */
  version: number;
  /** Spanish name shown to staff and in explanations. */
  name: string;
  nameEn?: string;
  /** Legal basis for legal presets. */
  law?: string;
  note?: string;
  conditions?: PolicyConditions;
  targets: Partial<Record<TargetName, DurationSpec>>;
  /** Fraction of each target at which a warning fires (default 0.75). */
  warnAt?: number;
  /** Default `receipt`. */
  countFrom?: CountFrom;
  extension?: ExtensionRule;
  escalation?: EscalationStep[];
  /** Statuses during which every clock is paused (default {@link DEFAULT_PAUSE_STATUSES}). */
  pauseOn?: string[];
  /** Statuses that stop the clocks: the resolution target is met (default {@link DEFAULT_STOP_STATUSES}). */
  stopOn?: string[];
}

export const DEFAULT_WARN_AT = 0.75;
export const DEFAULT_PAUSE_STATUSES: readonly string[] = ['waiting_reporter'];
export const DEFAULT_STOP_STATUSES: readonly string[] = [
  'resolved',
  'closed',
  'rejected',
  'duplicate',
  'published',
];

/** The ticket attributes {@link selectPolicy} looks at. */
export interface PolicySubject {
  kind: string;
  category?: string | null;
  priority?: string | null;
  organisation?: string | null;
  regime?: string | null;
}

/** The first policy whose conditions all match `ticket`, or `undefined` when none does. */
export function selectPolicy(policies: readonly SlaPolicy[], ticket: PolicySubject): SlaPolicy | undefined {
  return policies.find((p) => {
    const c = p.conditions ?? {};
    const ok = (allowed: string[] | undefined, value: string | null | undefined) =>
      allowed === undefined || (value != null && allowed.includes(value));
    return (
      ok(c.kind, ticket.kind) &&
      ok(c.category, ticket.category) &&
      ok(c.priority, ticket.priority) &&
      ok(c.organisation, ticket.organisation) &&
      ok(c.regime, ticket.regime)
    );
  });
}

/** One problem found in a policy file. */
export interface PolicyIssue {
  path: string;
  message: string;
}

/** Thrown by {@link parsePolicies} with every issue found. */
export class PolicyError extends Error {
  readonly issues: PolicyIssue[];
  constructor(issues: PolicyIssue[]) {
    super(`invalid SLA policies: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
    this.name = 'PolicyError';
    this.issues = issues;
  }
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

const POLICY_KEYS = new Set([
  'id',
  'version',
  'name',
  'nameEn',
  'law',
  'note',
  'conditions',
  'targets',
  'warnAt',
  'countFrom',
  'extension',
  'escalation',
  'pauseOn',
  'stopOn',
]);
const CONDITION_KEYS = ['kind', 'category', 'priority', 'organisation', 'regime'];

function checkDuration(
  x: unknown,
  path: string,
  bad: (p: string, m: string) => void,
  allowZero = false,
): void {
  if (!isObject(x)) {
    bad(path, 'must be { amount, unit }');
    return;
  }
  for (const k of Object.keys(x)) if (k !== 'amount' && k !== 'unit') bad(`${path}.${k}`, 'unknown key');
  if (!(DURATION_UNITS as readonly string[]).includes(String(x.unit)))
    bad(`${path}.unit`, `must be one of ${DURATION_UNITS.join(', ')}`);
  const a = x.amount;
  if (typeof a !== 'number' || !Number.isFinite(a) || a < 0 || (!allowZero && a === 0))
    bad(`${path}.amount`, allowZero ? 'must be ≥ 0' : 'must be > 0');
  else if (x.unit === 'business_days' && !allowZero && !Number.isInteger(a))
    bad(`${path}.amount`, 'business days must be a whole number');
}

function checkStrings(x: unknown, path: string, bad: (p: string, m: string) => void): void {
  if (!Array.isArray(x) || x.length === 0 || !x.every((s) => typeof s === 'string' && s !== ''))
    bad(path, 'must be a non-empty list of strings');
}

/** Validates a parsed `config/sla-policies.json` (`{ "policies": [...] }`) and lists every problem. */
export function validatePolicies(input: unknown): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const bad = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  if (!isObject(input) || !Array.isArray(input.policies))
    return [{ path: 'policies', message: 'must be a list' }];
  const seen = new Set<string>();
  input.policies.forEach((p: unknown, i: number) => {
    const at = `policies[${i}]`;
    if (!isObject(p)) {
      bad(at, 'must be an object');
      return;
    }
    for (const k of Object.keys(p)) if (!POLICY_KEYS.has(k)) bad(`${at}.${k}`, 'unknown key');
    if (typeof p.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(p.id))
      bad(`${at}.id`, 'must be a lower-case slug');
    else if (seen.has(p.id)) bad(`${at}.id`, 'duplicate id');
    else seen.add(p.id);
    if (!Number.isInteger(p.version) || (p.version as number) < 1)
      bad(`${at}.version`, 'must be an integer ≥ 1');
    if (typeof p.name !== 'string' || p.name === '') bad(`${at}.name`, 'is required');
    for (const k of ['nameEn', 'law', 'note'] as const)
      if (p[k] !== undefined && typeof p[k] !== 'string') bad(`${at}.${k}`, 'must be a string');
    if (p.conditions !== undefined) {
      if (!isObject(p.conditions)) bad(`${at}.conditions`, 'must be an object');
      else
        for (const [k, v] of Object.entries(p.conditions)) {
          if (!CONDITION_KEYS.includes(k)) bad(`${at}.conditions.${k}`, 'unknown condition');
          else checkStrings(v, `${at}.conditions.${k}`, bad);
        }
    }
    if (!isObject(p.targets)) bad(`${at}.targets`, 'must be an object');
    else {
      const keys = Object.keys(p.targets);
      if (keys.length === 0) bad(`${at}.targets`, 'needs at least one target');
      for (const k of keys) {
        if (!(TARGET_NAMES as readonly string[]).includes(k)) bad(`${at}.targets.${k}`, 'unknown target');
        else checkDuration(p.targets[k], `${at}.targets.${k}`, bad);
      }
    }
    if (p.warnAt !== undefined && (typeof p.warnAt !== 'number' || !(p.warnAt > 0 && p.warnAt < 1)))
      bad(`${at}.warnAt`, 'must be a fraction between 0 and 1');
    if (p.countFrom !== undefined && p.countFrom !== 'receipt' && p.countFrom !== 'next_business_day')
      bad(`${at}.countFrom`, 'must be receipt or next_business_day');
    if (p.extension !== undefined) {
      const e = p.extension;
      if (!isObject(e)) bad(`${at}.extension`, 'must be an object');
      else {
        for (const k of Object.keys(e))
          if (!['times', 'noticeWithin', 'maxExtension', 'law'].includes(k))
            bad(`${at}.extension.${k}`, 'unknown key');
        if (!Number.isInteger(e.times) || (e.times as number) < 1)
          bad(`${at}.extension.times`, 'must be an integer ≥ 1');
        checkDuration(e.noticeWithin, `${at}.extension.noticeWithin`, bad);
        if (e.maxExtension !== undefined) checkDuration(e.maxExtension, `${at}.extension.maxExtension`, bad);
        if (isObject(p.targets) && p.targets.resolution === undefined)
          bad(`${at}.extension`, 'extends the resolution target, which this policy lacks');
      }
    }
    if (p.escalation !== undefined) {
      if (!Array.isArray(p.escalation)) bad(`${at}.escalation`, 'must be a list');
      else
        p.escalation.forEach((s: unknown, j: number) => {
          const sp = `${at}.escalation[${j}]`;
          if (!isObject(s)) {
            bad(sp, 'must be an object');
            return;
          }
          for (const k of Object.keys(s))
            if (!['to', 'from', 'after'].includes(k)) bad(`${sp}.${k}`, 'unknown key');
          if (typeof s.to !== 'string' || s.to === '') bad(`${sp}.to`, 'is required');
          if (s.from !== undefined && s.from !== 'warn' && s.from !== 'breach')
            bad(`${sp}.from`, 'must be warn or breach');
          checkDuration(s.after, `${sp}.after`, bad, true);
        });
    }
    for (const k of ['pauseOn', 'stopOn'] as const)
      if (p[k] !== undefined) checkStrings(p[k], `${at}.${k}`, bad);
  });
  return issues;
}

/** Parses a `config/sla-policies.json` object into ordered policies; throws {@link PolicyError}. */
export function parsePolicies(input: unknown): SlaPolicy[] {
  const issues = validatePolicies(input);
  if (issues.length) throw new PolicyError(issues);
  return (input as { policies: SlaPolicy[] }).policies;
}
