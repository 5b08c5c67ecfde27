import {
  businessDayWindow,
  businessTimeBetween,
  type Calendar,
  isBusinessInstant,
  nextOpening,
} from '../time/index.ts';
import {
  DEFAULT_PAUSE_STATUSES,
  DEFAULT_STOP_STATUSES,
  DEFAULT_WARN_AT,
  type DurationSpec,
  type SlaPolicy,
  TARGET_NAMES,
  type TargetName,
} from './policy.ts';
import { advance, budgetOf, DAY_EPSILON, measure } from './units.ts';

/**
 * What happened to a ticket, in the order it happened. Events after `now` are ignored; events
 * before `receivedAt` are treated as happening at receipt.
 */
export type SlaEvent =
  /** The ticket entered `status`. */
  | { type: 'status'; at: Date; status: string }
  /** A public reply by staff (the first one meets `firstResponse`; each one restarts `update`). */
  | { type: 'staff_reply'; at: Date }
  /** An officer extended the resolution deadline to `newDue` (checked against the policy's extension rule). */
  | { type: 'extension'; at: Date; newDue: Date; reason?: string }
  /** The ticket moved to another calendar (organisation change, edited hours): the rest counts on it. */
  | { type: 'calendar'; at: Date; calendar: Calendar }
  /** The ticket moved to another policy: elapsed time is kept, the new amounts apply. */
  | { type: 'policy'; at: Date; policy: SlaPolicy };

/** Input of {@link computeSla}. */
export interface ComputeSlaInput {
  /** Policy in force at receipt. */
  policy: SlaPolicy;
  /** Calendar in force at receipt. */
  calendar: Calendar;
  receivedAt: Date;
  events?: readonly SlaEvent[];
  /** The instant the state is computed for; never read from the clock. */
  now: Date;
  /** Status at receipt (default `new`, which runs the clocks). */
  initialStatus?: string;
}

/** `running` and `paused` are live; `met`, `breached` and `stopped` are decided (a reopen may revive them). */
export type TargetState = 'running' | 'paused' | 'met' | 'breached' | 'stopped';

/** A period in a status; `to` is null while it lasts. */
export interface StatusInterval {
  from: Date;
  to: Date | null;
  status: string;
}

/** An extension request seen in the history, accepted or not. */
export interface ExtensionOutcome {
  at: Date;
  newDue: Date;
  accepted: boolean;
  /** Why it was refused (see {@link ExtensionRefusal}). */
  refusal?: ExtensionRefusal;
  /** The due it replaced (accepted ones). */
  previousDue?: Date;
  reason?: string;
}

/** Why an extension does not apply. */
export type ExtensionRefusal =
  | 'no_extension_rule'
  | 'no_resolution_target'
  | 'already_extended'
  | 'notice_deadline_passed'
  | 'not_after_current_due'
  | 'beyond_maximum'
  | 'target_decided';

/** The clock of one target. Measures (`elapsed`, `remaining`) are in the target unit's measure: ms, or business days for `business_days`. */
export interface TargetResult {
  target: TargetName;
  /** Amount and unit in force (after policy changes), extensions not included. */
  spec: DurationSpec;
  state: TargetState;
  /** When this target's counting started (for `update`, the last public staff reply). */
  clockStart: Date;
  /**
   * Deadline. Null while paused (see `dueIfResumedNow`) unless already breached. For a met or
   * stopped target, the deadline as it stood then.
   */
  due: Date | null;
  /** Paused targets: the deadline if the clock resumed at `now`. */
  dueIfResumedNow: Date | null;
  /** When the warning fraction is (or was) reached; null while paused. */
  warnAt: Date | null;
  breachedAt: Date | null;
  /** Met or stopped at (the latest time, after reopens). */
  decidedAt: Date | null;
  /** First time the target was met (first resolution survives reopens). */
  firstMetAt: Date | null;
  /** Elapsed counted time, in the unit's measure. */
  elapsed: number;
  /** Elapsed counted time in ms: business ms for business units, wall ms otherwise. */
  elapsedMs: number;
  /** Budget (extensions included) minus elapsed, in the unit's measure; negative once over. */
  remaining: number;
  /** From `now` to `due` (or `dueIfResumedNow`) in ms, business ms for business units; 0 when past. */
  remainingMs: number;
  /** Pauses that fell within this target's clock. */
  pausedIntervals: StatusInterval[];
  /** Earlier breached cycles (`update` only: each silence longer than the interval). */
  earlierBreaches: Date[];
}

/** Result of {@link computeSla}. */
export interface SlaResult {
  policyId: string;
  policyVersion: number;
  calendarId: string;
  receivedAt: Date;
  /** Where counting starts (see the policy's `countFrom`). */
  clockStart: Date;
  now: Date;
  status: string;
  targets: Partial<Record<TargetName, TargetResult>>;
  pausedIntervals: StatusInterval[];
  /** Periods in a stopping status (resolved…) that were followed by a reopen, or that last until now. */
  stoppedIntervals: StatusInterval[];
  reopenedAt: Date[];
  extensions: ExtensionOutcome[];
  calendarPeriods: { from: Date; to: Date | null; calendar: Calendar }[];
  policyChanges: { at: Date; from: string; to: string }[];
  /** Deadline for granting an extension, when the policy has an extension rule. */
  extensionNoticeDeadline: Date | null;
}

interface Metrics {
  businessMs: number;
  days: number;
  wallMs: number;
}

interface Tracker {
  name: TargetName;
  spec: DurationSpec;
  budget: number;
  extra: number;
  active: boolean;
  clockStart: Date;
  base: Metrics;
  exhaustedAt: Date | null;
  due: Date | null;
  projectedDue: Date | null;
  warnAt: Date | null;
  projectedWarn: Date | null;
  breachedAt: Date | null;
  outcome: 'met' | 'stopped' | null;
  decidedAt: Date | null;
  dueAtDecision: Date | null;
  firstMetAt: Date | null;
  earlierBreaches: Date[];
}

type StatusClass = 'running' | 'paused' | 'stopped';

const maxDate = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);

/**
 * Where counting starts for a policy: `receivedAt` for `countFrom: 'receipt'`, or the opening
 * of the first business day after the receipt date for `next_business_day`.
 */
export function clockStartOf(policy: SlaPolicy, calendar: Calendar, receivedAt: Date): Date {
  return policy.countFrom === 'next_business_day'
    ? businessDayWindow(calendar, receivedAt, 1, { countFromNextBusinessDay: true }).clockStart
    : receivedAt;
}

/**
 * The share of the first counted business day that lies before `receivedAt` when counting from
 * receipt (0 otherwise), so that "n business days from receipt" ends at the closing of day n.
 */
function dayCredit(policy: SlaPolicy, calendar: Calendar, receivedAt: Date, clockStart: Date): number {
  if (policy.countFrom === 'next_business_day') return 0;
  const w = businessDayWindow(calendar, receivedAt, 1, { countFromNextBusinessDay: false });
  const left = measure('business_days', calendar, maxDate(clockStart, w.clockStart), w.due);
  return Math.max(0, 1 - left);
}

/**
 * Deadline for notifying an extension: `noticeWithin` counted from receipt like the policy
 * (for business days: closing of the n-th business day). Null without an extension rule.
 */
export function extensionNoticeDeadline(
  policy: SlaPolicy,
  calendar: Calendar,
  receivedAt: Date,
): Date | null {
  const rule = policy.extension;
  if (!rule) return null;
  const spec = rule.noticeWithin;
  if (spec.unit === 'business_days')
    return businessDayWindow(calendar, receivedAt, spec.amount, {
      countFromNextBusinessDay: policy.countFrom === 'next_business_day',
    }).due;
  return advance(spec.unit, calendar, clockStartOf(policy, calendar, receivedAt), budgetOf(spec), true);
}

/**
 * Replays a ticket's history against its policy and calendar and returns, per target, the
 * deadline, warning instant, state, elapsed and remaining time and pauses, as of `now`.
 *
 * Rules: statuses in `pauseOn` pause every clock (the paused time is given back, measured in the
 * target's unit); statuses in `stopOn` stop them — the resolution is met, a first response or
 * update still owed is `stopped`; leaving a stopping status (reopen) resumes the clocks where
 * they stopped, never resetting them. A breach is recorded when a running clock passes its due;
 * a met target that was late is `breached` with `decidedAt` set. A calendar change counts the rest
 * on the new calendar; a policy change keeps elapsed time and applies the new amounts.
 * The due instants depend only on the history, not on `now`, so deadline job ids stay stable.
 */
export function computeSla(input: ComputeSlaInput): SlaResult {
  const { receivedAt, now } = input;
  let policy = input.policy;
  let calendar = input.calendar;
  const clockStart = clockStartOf(policy, calendar, receivedAt);
  const credit = dayCredit(policy, calendar, receivedAt, clockStart);
  const metrics: Metrics = { businessMs: 0, days: 0, wallMs: 0 };
  const noticeDeadline = extensionNoticeDeadline(policy, calendar, receivedAt);

  const classify = (status: string): StatusClass =>
    (policy.stopOn ?? DEFAULT_STOP_STATUSES).includes(status)
      ? 'stopped'
      : (policy.pauseOn ?? DEFAULT_PAUSE_STATUSES).includes(status)
        ? 'paused'
        : 'running';
  let status = input.initialStatus ?? 'new';
  let cls = classify(status);

  // The receipt-day credit belongs to the count that starts at receipt; `update` restarts at each reply.
  const budgetFor = (spec: DurationSpec, name: TargetName) =>
    budgetOf(spec) - (spec.unit === 'business_days' && name !== 'update' ? credit : 0);
  const newTracker = (name: TargetName, spec: DurationSpec, active: boolean, start: Date): Tracker => ({
    name,
    spec,
    budget: budgetFor(spec, name),
    extra: 0,
    active,
    clockStart: start,
    base: { ...metrics },
    exhaustedAt: null,
    due: null,
    projectedDue: null,
    warnAt: null,
    projectedWarn: null,
    breachedAt: null,
    outcome: null,
    decidedAt: null,
    dueAtDecision: null,
    firstMetAt: null,
    earlierBreaches: [],
  });
  const trackers = new Map<TargetName, Tracker>();
  for (const name of TARGET_NAMES) {
    const spec = policy.targets[name];
    if (spec) trackers.set(name, newTracker(name, spec, name !== 'update', clockStart));
  }

  const pausedIntervals: StatusInterval[] = [];
  const stoppedIntervals: StatusInterval[] = [];
  const reopenedAt: Date[] = [];
  const extensions: ExtensionOutcome[] = [];
  const calendarPeriods: SlaResult['calendarPeriods'] = [{ from: receivedAt, to: null, calendar }];
  const policyChanges: SlaResult['policyChanges'] = [];
  if (cls === 'paused') pausedIntervals.push({ from: receivedAt, to: null, status });
  if (cls === 'stopped') stoppedIntervals.push({ from: receivedAt, to: null, status });

  const used = (t: Tracker) => {
    const u = t.spec.unit;
    const m = u === 'business_hours' ? 'businessMs' : u === 'business_days' ? 'days' : 'wallMs';
    return metrics[m] - t.base[m];
  };
  const remainingOf = (t: Tracker) => t.budget + t.extra - used(t);
  const warnFraction = () => policy.warnAt ?? DEFAULT_WARN_AT;
  const live = (t: Tracker) => t.active && t.outcome === null;

  /** Runs the clocks over [a0, b) if the ticket is running. */
  const run = (a0: Date, b: Date) => {
    if (cls !== 'running') return;
    const a = maxDate(a0, clockStart);
    for (const t of trackers.values()) {
      if (!live(t)) continue;
      const unit = t.spec.unit;
      const remaining = remainingOf(t);
      if (!t.exhaustedAt) {
        const x = advance(unit, calendar, a, remaining, false);
        const due = advance(unit, calendar, a, remaining, true);
        if (x.getTime() <= b.getTime()) {
          t.exhaustedAt = x;
          t.due = due;
        }
        t.projectedDue = due;
      }
      if (!t.warnAt) {
        const warnLeft = warnFraction() * (t.budget + t.extra) - used(t);
        const w = advance(unit, calendar, a, warnLeft, false);
        if (w.getTime() <= b.getTime()) t.warnAt = w;
        t.projectedWarn = w;
      }
      if (t.exhaustedAt && !t.breachedAt && t.due!.getTime() < b.getTime()) t.breachedAt = maxDate(t.due!, a);
    }
    if (b.getTime() > a.getTime()) {
      metrics.businessMs += businessTimeBetween(calendar, a, b);
      metrics.days += measure('business_days', calendar, a, b);
      metrics.wallMs += b.getTime() - a.getTime();
    }
  };

  /** The target's deadline as it stands at `at` (projected from `at` when not running). */
  const dueAt = (t: Tracker, at: Date): Date => {
    if (t.exhaustedAt) return t.due!;
    if (cls === 'running' && t.projectedDue) return t.projectedDue;
    return advance(t.spec.unit, calendar, maxDate(at, clockStart), remainingOf(t), true);
  };

  const decide = (t: Tracker, outcome: 'met' | 'stopped', at: Date) => {
    t.dueAtDecision = dueAt(t, at);
    t.outcome = outcome;
    t.decidedAt = at;
    if (outcome === 'met' && !t.firstMetAt) t.firstMetAt = at;
  };

  const resetCycle = (t: Tracker) => {
    t.exhaustedAt = null;
    t.due = null;
    t.projectedDue = null;
    t.warnAt = null;
    t.projectedWarn = null;
  };

  const applyExtension = (e: Extract<SlaEvent, { type: 'extension' }>) => {
    const out: ExtensionOutcome = { at: e.at, newDue: e.newDue, accepted: false };
    if (e.reason !== undefined) out.reason = e.reason;
    const t = trackers.get('resolution');
    const rule = policy.extension;
    const refuse = (r: ExtensionRefusal) => {
      out.refusal = r;
      extensions.push(out);
    };
    if (!rule) return refuse('no_extension_rule');
    if (!t) return refuse('no_resolution_target');
    if (extensions.filter((x) => x.accepted).length >= rule.times) return refuse('already_extended');
    if (noticeDeadline && e.at.getTime() > noticeDeadline.getTime()) return refuse('notice_deadline_passed');
    if (t.outcome !== null || t.breachedAt) return refuse('target_decided');
    const current = dueAt(t, e.at);
    if (e.newDue.getTime() <= current.getTime()) return refuse('not_after_current_due');
    if (rule.maxExtension) {
      const cap = advance(rule.maxExtension.unit, calendar, current, budgetOf(rule.maxExtension), true);
      if (e.newDue.getTime() > cap.getTime()) return refuse('beyond_maximum');
    }
    t.extra += measure(t.spec.unit, calendar, current, e.newDue);
    resetCycle(t);
    out.accepted = true;
    out.previousDue = current;
    extensions.push(out);
  };

  const applyStatus = (next: string, at: Date) => {
    if (next === status) return; // a repeated status event changes nothing
    const nextCls = classify(next);
    const open = (list: StatusInterval[]) => list.at(-1)?.to === null;
    if (cls === 'paused' && open(pausedIntervals)) pausedIntervals.at(-1)!.to = at;
    if (cls === 'stopped' && nextCls !== 'stopped') {
      if (open(stoppedIntervals)) stoppedIntervals.at(-1)!.to = at;
      reopenedAt.push(at);
      for (const t of trackers.values()) {
        if (t.outcome === null) continue;
        if (t.name === 'resolution' || t.outcome === 'stopped') {
          t.outcome = null;
          t.decidedAt = null;
          t.dueAtDecision = null;
        }
      }
    }
    if (nextCls === 'stopped' && cls !== 'stopped') {
      stoppedIntervals.push({ from: at, to: null, status: next });
      for (const t of trackers.values()) {
        if (!live(t)) continue;
        decide(t, t.name === 'resolution' ? 'met' : 'stopped', at);
      }
    }
    if (nextCls === 'paused') pausedIntervals.push({ from: at, to: null, status: next });
    status = next;
    cls = nextCls;
  };

  const applyReply = (at: Date) => {
    const first = trackers.get('firstResponse');
    if (first && live(first)) decide(first, 'met', at);
    const upd = trackers.get('update');
    if (!upd || upd.outcome !== null || cls === 'stopped') return;
    if (upd.active && upd.breachedAt) upd.earlierBreaches.push(upd.breachedAt);
    upd.active = true;
    upd.base = { ...metrics };
    upd.clockStart = maxDate(at, clockStart);
    upd.breachedAt = null;
    upd.extra = 0;
    resetCycle(upd);
  };

  const applyPolicy = (next: SlaPolicy, at: Date) => {
    policyChanges.push({ at, from: policy.id, to: next.id });
    policy = next;
    for (const name of TARGET_NAMES) {
      const spec = next.targets[name];
      const t = trackers.get(name);
      if (!spec) {
        if (t && live(t)) decide(t, 'stopped', at);
        continue;
      }
      if (!t) {
        // A new target counts from the ticket's clock start: elapsed time is kept.
        const fresh = newTracker(name, spec, name !== 'update', clockStart);
        fresh.base = { businessMs: 0, days: 0, wallMs: 0 };
        trackers.set(name, fresh);
        continue;
      }
      t.spec = spec;
      t.budget = budgetFor(spec, name);
      if (!t.breachedAt) resetCycle(t);
    }
    cls = classify(status);
  };

  const events = [...(input.events ?? [])]
    .filter((e) => e.at.getTime() <= now.getTime())
    .map((e) => (e.at.getTime() < receivedAt.getTime() ? { ...e, at: receivedAt } : e))
    .sort((x, y) => x.at.getTime() - y.at.getTime());

  let prev = receivedAt;
  for (const e of events) {
    run(prev, e.at);
    prev = e.at;
    switch (e.type) {
      case 'status':
        applyStatus(e.status, e.at);
        break;
      case 'staff_reply':
        applyReply(e.at);
        break;
      case 'extension':
        applyExtension(e);
        break;
      case 'calendar':
        calendarPeriods.at(-1)!.to = e.at;
        calendarPeriods.push({ from: e.at, to: null, calendar: e.calendar });
        calendar = e.calendar;
        break;
      case 'policy':
        applyPolicy(e.policy, e.at);
        break;
    }
  }
  run(prev, now);

  const businessUnit = (t: Tracker) => t.spec.unit === 'business_hours' || t.spec.unit === 'business_days';
  const targets: SlaResult['targets'] = {};
  for (const t of trackers.values()) {
    if (!t.active) continue;
    const elapsed = used(t);
    const elapsedMs = businessUnit(t)
      ? metrics.businessMs - t.base.businessMs
      : metrics.wallMs - t.base.wallMs;
    let state: TargetState;
    let due: Date | null;
    let dueIfResumedNow: Date | null = null;
    let warnAt: Date | null = t.warnAt;
    if (t.outcome !== null) {
      state = t.breachedAt ? 'breached' : t.outcome;
      due = t.dueAtDecision;
    } else if (cls === 'paused' && !t.exhaustedAt) {
      state = t.breachedAt ? 'breached' : 'paused';
      due = null;
      dueIfResumedNow = advance(t.spec.unit, calendar, maxDate(now, clockStart), remainingOf(t), true);
    } else {
      state = t.breachedAt ? 'breached' : cls === 'paused' ? 'paused' : 'running';
      due = t.exhaustedAt ? t.due : t.projectedDue;
      if (!warnAt && cls === 'running') warnAt = t.projectedWarn;
    }
    const until = due ?? dueIfResumedNow;
    let remainingMs = 0;
    if (until && until.getTime() > now.getTime() && t.outcome === null)
      remainingMs = businessUnit(t)
        ? businessTimeBetween(calendar, now, until)
        : until.getTime() - now.getTime();
    const end = t.decidedAt ?? now;
    targets[t.name] = {
      target: t.name,
      spec: t.spec,
      state,
      clockStart: t.clockStart,
      due,
      dueIfResumedNow,
      warnAt,
      breachedAt: t.breachedAt,
      decidedAt: t.decidedAt,
      firstMetAt: t.firstMetAt,
      elapsed: t.spec.unit === 'business_days' && Math.abs(elapsed) < DAY_EPSILON ? 0 : elapsed,
      elapsedMs,
      remaining: remainingOf(t),
      remainingMs,
      pausedIntervals: pausedIntervals.filter(
        (p) => p.from.getTime() < end.getTime() && (p.to === null || p.to.getTime() > t.clockStart.getTime()),
      ),
      earlierBreaches: t.earlierBreaches,
    };
  }

  return {
    policyId: policy.id,
    policyVersion: policy.version,
    calendarId: calendar.id,
    receivedAt,
    clockStart,
    now,
    status,
    targets,
    pausedIntervals,
    stoppedIntervals,
    reopenedAt,
    extensions,
    calendarPeriods,
    policyChanges,
    extensionNoticeDeadline: noticeDeadline,
  };
}

/** Why the count starts where it does (for explanations). */
export function clockStartReason(
  policy: SlaPolicy,
  calendar: Calendar,
  receivedAt: Date,
): 'receipt' | 'next_opening' | 'next_business_day' {
  if (policy.countFrom === 'next_business_day') return 'next_business_day';
  const businessUnits = Object.values(policy.targets).some(
    (s) => s && (s.unit === 'business_hours' || s.unit === 'business_days'),
  );
  if (businessUnits && !isBusinessInstant(calendar, receivedAt)) {
    return nextOpening(calendar, receivedAt).getTime() === receivedAt.getTime() ? 'receipt' : 'next_opening';
  }
  return 'receipt';
}
