import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  type Calendar,
  calendarFromDescriptor,
  resolveCalendars,
  withExtraHolidays,
} from '../time/index.ts';
import { computeSla, type SlaEvent } from './clock.ts';
import { parsePolicies, type SlaPolicy } from './policy.ts';

const root = new URL('../../../../config/', import.meta.url);
const json = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const pe = resolveCalendars([json('calendars/pe.json')]).get('pe')!;
const policies = parsePolicies(json('sla-policies.json'));
const preset = (id: string) => policies.find((p) => p.id === id)!;

const H = 3_600_000;
const lima = (local: string) => new Date(`${local}-05:00`);
const status = (local: string, s: string): SlaEvent => ({ type: 'status', at: lima(local), status: s });
const reply = (local: string): SlaEvent => ({ type: 'staff_reply', at: lima(local) });

// A plain operational policy in business hours, so that pauses are easy to follow by hand.
const hours16: SlaPolicy = {
  id: 'ops-16h',
  version: 1,
  name: 'Operativa 16 h',
  countFrom: 'receipt',
  targets: { resolution: { amount: 16, unit: 'business_hours' } },
};

describe('legal preset: access to information (10 business days from the next business day)', () => {
  const policy = preset('pe-access-to-information');
  const receivedAt = lima('2026-04-01T19:00:00'); // Holy Wednesday evening

  it('skips Holy Thursday, Good Friday and the weekend', () => {
    // Easter 2026 = Sun 5 Apr. Thu 2 and Fri 3 are holidays, Sat 4/Sun 5 weekend: day 1 = Mon 6 Apr,
    // day 10 = Fri 17 Apr → due 17:30 Lima. Warning at 70 % = end of day 7 = Tue 14 Apr 17:30.
    // First response (2 days) = Tue 7 Apr 17:30, which is also the deadline to notify an extension.
    const r = computeSla({ policy, calendar: pe, receivedAt, now: lima('2026-04-06T12:00:00') });
    const res = r.targets.resolution!;
    expect(r.clockStart).toEqual(lima('2026-04-06T08:30:00'));
    expect(res.state).toBe('running');
    expect(res.due).toEqual(lima('2026-04-17T17:30:00'));
    expect(res.warnAt).toEqual(lima('2026-04-14T17:30:00'));
    expect(r.targets.firstResponse!.due).toEqual(lima('2026-04-07T17:30:00'));
    expect(r.extensionNoticeDeadline).toEqual(lima('2026-04-07T17:30:00'));
    // Mon 6 Apr 08:30–12:00 = 3.5 business hours, 3.5/9 of a business day.
    expect(res.elapsedMs).toBe(3.5 * H);
    expect(res.elapsed).toBeCloseTo(3.5 / 9, 12);
  });

  it('breaches at the due instant when nothing happens, not before', () => {
    const atDue = computeSla({ policy, calendar: pe, receivedAt, now: lima('2026-04-17T17:30:00') });
    expect(atDue.targets.resolution!.state).toBe('running');
    const after = computeSla({ policy, calendar: pe, receivedAt, now: lima('2026-04-20T09:00:00') });
    expect(after.targets.resolution!.state).toBe('breached');
    expect(after.targets.resolution!.breachedAt).toEqual(lima('2026-04-17T17:30:00'));
    expect(after.targets.firstResponse!.breachedAt).toEqual(lima('2026-04-07T17:30:00'));
  });

  it('a decreed non-working day added later moves the due date by one day', () => {
    const now = lima('2026-04-08T12:00:00');
    const decreed = withExtraHolidays(pe, [{ date: '2026-04-13', name: 'Día no laborable' }]);
    expect(computeSla({ policy, calendar: pe, receivedAt, now }).targets.resolution!.due).toEqual(
      lima('2026-04-17T17:30:00'),
    );
    expect(computeSla({ policy, calendar: decreed, receivedAt, now }).targets.resolution!.due).toEqual(
      lima('2026-04-20T17:30:00'),
    );
  });

  it('accepts one extension notified in time to a later date, and refuses the others', () => {
    const ext = (local: string, newDue: string): SlaEvent => ({
      type: 'extension',
      at: lima(local),
      newDue: lima(newDue),
    });
    const r = computeSla({
      policy,
      calendar: pe,
      receivedAt,
      now: lima('2026-04-20T09:00:00'),
      events: [
        ext('2026-04-07T10:00:00', '2026-04-10T17:30:00'), // before the current due: refused
        ext('2026-04-07T11:00:00', '2026-04-30T17:30:00'), // accepted
        ext('2026-04-07T12:00:00', '2026-05-05T17:30:00'), // a second one: refused
        ext('2026-04-08T09:00:00', '2026-05-06T17:30:00'), // after the 2-day notice deadline
      ],
    });
    expect(r.extensions.map((e) => e.refusal ?? 'accepted')).toEqual([
      'not_after_current_due',
      'accepted',
      'already_extended',
      'already_extended',
    ]);
    expect(r.extensions[1]!.previousDue).toEqual(lima('2026-04-17T17:30:00'));
    const res = r.targets.resolution!;
    expect(res.due).toEqual(lima('2026-04-30T17:30:00'));
    expect(res.state).toBe('running'); // 20 Apr is past the original due, but it was extended
  });

  it('refuses an extension after the notice deadline even when it is the first', () => {
    const r = computeSla({
      policy,
      calendar: pe,
      receivedAt,
      now: lima('2026-04-09T09:00:00'),
      events: [{ type: 'extension', at: lima('2026-04-08T09:00:00'), newDue: lima('2026-04-30T17:30:00') }],
    });
    expect(r.extensions[0]!.refusal).toBe('notice_deadline_passed');
    expect(r.targets.resolution!.due).toEqual(lima('2026-04-17T17:30:00'));
  });

  it('policies without an extension rule refuse extensions', () => {
    const r = computeSla({
      policy: hours16,
      calendar: pe,
      receivedAt,
      now: lima('2026-04-06T09:00:00'),
      events: [{ type: 'extension', at: lima('2026-04-06T09:00:00'), newDue: lima('2026-04-30T17:30:00') }],
    });
    expect(r.extensions[0]!.refusal).toBe('no_extension_rule');
  });
});

describe('pauses, stops and reopens (16 business hours from receipt)', () => {
  const receivedAt = lima('2026-03-02T10:00:00'); // Monday

  it('without events: Mon 10:00–17:30 (7.5 h) + Tue 08:30–17:00 (8.5 h) → Tue 17:00', () => {
    const r = computeSla({ policy: hours16, calendar: pe, receivedAt, now: receivedAt });
    expect(r.targets.resolution!.due).toEqual(lima('2026-03-03T17:00:00'));
    // 75 % = 12 h: Mon 7.5 h + Tue 4.5 h → Tue 13:00.
    expect(r.targets.resolution!.warnAt).toEqual(lima('2026-03-03T13:00:00'));
  });

  it('waiting_reporter stops the clock and resuming continues it', () => {
    const events = [
      status('2026-03-02T12:00:00', 'waiting_reporter'),
      status('2026-03-03T12:00:00', 'in_progress'),
    ];
    // During the pause (Tue 11:00): 2 h used, 14 h left; if resumed now: Tue 11:00–17:30 (6.5 h)
    // then Wed 08:30 + 7.5 h = 16:00.
    const paused = computeSla({
      policy: hours16,
      calendar: pe,
      receivedAt,
      events,
      now: lima('2026-03-03T11:00:00'),
    });
    const p = paused.targets.resolution!;
    expect(p.state).toBe('paused');
    expect(p.due).toBeNull();
    expect(p.dueIfResumedNow).toEqual(lima('2026-03-04T16:00:00'));
    expect(p.elapsedMs).toBe(2 * H);
    expect(p.pausedIntervals).toEqual([
      { from: lima('2026-03-02T12:00:00'), to: null, status: 'waiting_reporter' },
    ]);
    // After resuming Tue 12:00 with 14 h left: Tue 12:00–17:30 (5.5 h), Wed 08:30 + 8.5 h = 17:00.
    const resumed = computeSla({
      policy: hours16,
      calendar: pe,
      receivedAt,
      events,
      now: lima('2026-03-04T09:00:00'),
    });
    const r = resumed.targets.resolution!;
    expect(r.state).toBe('running');
    expect(r.due).toEqual(lima('2026-03-04T17:00:00'));
    expect(r.elapsedMs).toBe((2 + 5.5 + 0.5) * H);
    expect(r.remainingMs).toBe(8 * H);
    expect(resumed.pausedIntervals[0]!.to).toEqual(lima('2026-03-03T12:00:00'));
  });

  it('a repeated status event does not split a pause', () => {
    const events = [
      status('2026-03-02T12:00:00', 'waiting_reporter'),
      status('2026-03-02T15:00:00', 'waiting_reporter'),
      status('2026-03-03T12:00:00', 'in_progress'),
    ];
    const r = computeSla({
      policy: hours16,
      calendar: pe,
      receivedAt,
      events,
      now: lima('2026-03-04T09:00:00'),
    });
    expect(r.pausedIntervals).toEqual([
      { from: lima('2026-03-02T12:00:00'), to: lima('2026-03-03T12:00:00'), status: 'waiting_reporter' },
    ]);
    expect(r.targets.resolution!.due).toEqual(lima('2026-03-04T17:00:00'));
  });

  it('reopen resumes where the clock stopped, without reset, and can then breach', () => {
    const events = [status('2026-03-02T15:00:00', 'resolved'), status('2026-03-04T09:00:00', 'in_progress')];
    const whileResolved = computeSla({
      policy: hours16,
      calendar: pe,
      receivedAt,
      events,
      now: lima('2026-03-03T10:00:00'),
    });
    expect(whileResolved.targets.resolution!.state).toBe('met');
    expect(whileResolved.targets.resolution!.decidedAt).toEqual(lima('2026-03-02T15:00:00'));
    // 5 h used on Monday; reopened Wed 09:00 with 11 h left: Wed 09:00–17:30 (8.5 h), Thu 08:30 + 2.5 h = 11:00.
    const reopened = computeSla({
      policy: hours16,
      calendar: pe,
      receivedAt,
      events,
      now: lima('2026-03-05T10:00:00'),
    });
    const r = reopened.targets.resolution!;
    expect(r.state).toBe('running');
    expect(r.due).toEqual(lima('2026-03-05T11:00:00'));
    expect(r.firstMetAt).toEqual(lima('2026-03-02T15:00:00'));
    expect(reopened.reopenedAt).toEqual([lima('2026-03-04T09:00:00')]);
    expect(reopened.stoppedIntervals).toEqual([
      { from: lima('2026-03-02T15:00:00'), to: lima('2026-03-04T09:00:00'), status: 'resolved' },
    ]);
    const late = computeSla({
      policy: hours16,
      calendar: pe,
      receivedAt,
      events,
      now: lima('2026-03-05T12:00:00'),
    });
    expect(late.targets.resolution!.state).toBe('breached');
    expect(late.targets.resolution!.breachedAt).toEqual(lima('2026-03-05T11:00:00'));
  });

  it('resolved late is breached with the resolution instant kept', () => {
    const events = [status('2026-03-04T10:00:00', 'resolved')];
    const r = computeSla({
      policy: hours16,
      calendar: pe,
      receivedAt,
      events,
      now: lima('2026-03-06T10:00:00'),
    });
    expect(r.targets.resolution!.state).toBe('breached');
    expect(r.targets.resolution!.breachedAt).toEqual(lima('2026-03-03T17:00:00'));
    expect(r.targets.resolution!.decidedAt).toEqual(lima('2026-03-04T10:00:00'));
  });

  it('resolved exactly at the due is met', () => {
    const events = [status('2026-03-03T17:00:00', 'resolved')];
    const r = computeSla({
      policy: hours16,
      calendar: pe,
      receivedAt,
      events,
      now: lima('2026-03-06T10:00:00'),
    });
    expect(r.targets.resolution!.state).toBe('met');
  });

  it('received while closed, the count starts at the next opening', () => {
    // Saturday 7 Mar: 16 h = Mon 9 h + Tue 7 h → Tue 10 Mar 15:30.
    const r = computeSla({
      policy: hours16,
      calendar: pe,
      receivedAt: lima('2026-03-07T11:00:00'),
      now: lima('2026-03-07T11:00:00'),
    });
    expect(r.targets.resolution!.due).toEqual(lima('2026-03-10T15:30:00'));
  });
});

describe('first response and update targets', () => {
  const complaint = preset('complaint'); // first response 2 business days from receipt
  const receivedAt = lima('2026-03-02T10:00:00');

  it('first response: counting from receipt, day 1 is the receipt day; a late reply is a breach', () => {
    const r = computeSla({
      policy: complaint,
      calendar: pe,
      receivedAt,
      events: [reply('2026-03-04T09:00:00')],
      now: lima('2026-03-04T10:00:00'),
    });
    const fr = r.targets.firstResponse!;
    expect(fr.state).toBe('breached');
    expect(fr.breachedAt).toEqual(lima('2026-03-03T17:30:00'));
    expect(fr.decidedAt).toEqual(lima('2026-03-04T09:00:00'));
    expect(r.targets.resolution!.due).toEqual(
      addBusinessDays(pe, receivedAt, 10, { countFromNextBusinessDay: false }),
    );
  });

  it('closing a ticket without any reply stops the first-response target and meets the resolution', () => {
    const r = computeSla({
      policy: complaint,
      calendar: pe,
      receivedAt,
      events: [status('2026-03-02T11:00:00', 'rejected')],
      now: lima('2026-03-09T10:00:00'),
    });
    expect(r.targets.firstResponse!.state).toBe('stopped');
    expect(r.targets.resolution!.state).toBe('met');
  });

  it('update: each public reply restarts the interval; a long silence is recorded as a breach', () => {
    const policy: SlaPolicy = {
      id: 'upd',
      version: 1,
      name: 'upd',
      targets: {
        resolution: { amount: 10, unit: 'business_days' },
        update: { amount: 4, unit: 'business_hours' },
      },
    };
    const start = lima('2026-03-02T09:00:00');
    const before = computeSla({ policy, calendar: pe, receivedAt: start, now: lima('2026-03-02T09:30:00') });
    expect(before.targets.update).toBeUndefined();
    const events = [reply('2026-03-02T10:00:00'), reply('2026-03-02T13:00:00')];
    // Second reply Mon 13:00 + 4 h → 17:00.
    const r1 = computeSla({
      policy,
      calendar: pe,
      receivedAt: start,
      events,
      now: lima('2026-03-02T14:00:00'),
    });
    expect(r1.targets.update!.due).toEqual(lima('2026-03-02T17:00:00'));
    const r2 = computeSla({
      policy,
      calendar: pe,
      receivedAt: start,
      events,
      now: lima('2026-03-03T09:00:00'),
    });
    expect(r2.targets.update!.state).toBe('breached');
    const r3 = computeSla({
      policy,
      calendar: pe,
      receivedAt: start,
      events: [...events, reply('2026-03-03T10:00:00')],
      now: lima('2026-03-03T10:30:00'),
    });
    expect(r3.targets.update!.state).toBe('running');
    expect(r3.targets.update!.earlierBreaches).toEqual([lima('2026-03-02T17:00:00')]);
    expect(r3.targets.update!.due).toEqual(lima('2026-03-03T14:00:00'));
  });
});

describe('calendar and policy changes keep the elapsed time', () => {
  const desk: Calendar = calendarFromDescriptor(
    {
      id: 'desk',
      extends: 'pe',
      hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['08:00', '13:00']]])),
    },
    [json('calendars/pe.json')],
  );
  const receivedAt = lima('2026-03-02T08:30:00'); // Monday opening

  it('business hours: 9 h used on the national calendar, the other 7 h on the desk calendar', () => {
    // Change Tue 08:00 to a desk open 08:00–13:00: Tue 5 h, Wed 08:00 + 2 h = 10:00.
    const events: SlaEvent[] = [{ type: 'calendar', at: lima('2026-03-03T08:00:00'), calendar: desk }];
    const r = computeSla({
      policy: hours16,
      calendar: pe,
      receivedAt,
      events,
      now: lima('2026-03-03T08:00:00'),
    });
    expect(r.targets.resolution!.elapsedMs).toBe(9 * H);
    expect(r.targets.resolution!.due).toEqual(lima('2026-03-04T10:00:00'));
    expect(r.calendarId).toBe('desk');
  });

  it('business days: one day used, the two left are the desk’s days (closing 13:00)', () => {
    const policy: SlaPolicy = {
      id: 'd3',
      version: 1,
      name: 'd3',
      targets: { resolution: { amount: 3, unit: 'business_days' } },
    };
    const events: SlaEvent[] = [{ type: 'calendar', at: lima('2026-03-03T08:00:00'), calendar: desk }];
    const r = computeSla({ policy, calendar: pe, receivedAt, events, now: lima('2026-03-03T08:00:00') });
    expect(r.targets.resolution!.elapsed).toBeCloseTo(1, 9);
    expect(r.targets.resolution!.due).toEqual(lima('2026-03-04T13:00:00'));
  });

  it('a policy change applies the new amount to the time already used', () => {
    // Complaint (10 days from receipt) becomes urgent (3 days) on Tue 12:00: still counted from
    // Monday's receipt → closing of day 3 = Wed 4 Mar 17:30.
    const r = computeSla({
      policy: preset('complaint'),
      calendar: pe,
      receivedAt: lima('2026-03-02T10:00:00'),
      events: [{ type: 'policy', at: lima('2026-03-03T12:00:00'), policy: preset('complaint-urgent') }],
      now: lima('2026-03-03T12:00:00'),
    });
    expect(r.policyId).toBe('complaint-urgent');
    expect(r.targets.resolution!.due).toEqual(lima('2026-03-04T17:30:00'));
    expect(r.policyChanges).toEqual([
      { at: lima('2026-03-03T12:00:00'), from: 'complaint', to: 'complaint-urgent' },
    ]);
  });
});
