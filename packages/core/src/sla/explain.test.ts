import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveCalendars } from '../time/index.ts';
import { computeSla } from './clock.ts';
import { explainDue, renderExplanation } from './explain.ts';
import { deadlineJobId, deadlineJobs, escalationSchedule } from './jobs.ts';
import { parsePolicies } from './policy.ts';

const root = new URL('../../../../config/', import.meta.url);
const json = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const pe = resolveCalendars([json('calendars/pe.json')]).get('pe')!;
const policies = parsePolicies(json('sla-policies.json'));
const access = policies.find((p) => p.id === 'pe-access-to-information')!;
const lima = (local: string) => new Date(`${local}-05:00`);
const receivedAt = lima('2026-04-01T19:00:00');

describe('explainDue', () => {
  it('lists why the count starts Monday, the holidays by name, the weekends and the due', () => {
    const x = explainDue(
      { policy: access, calendar: pe, receivedAt, now: lima('2026-04-06T10:00:00') },
      'resolution',
    )!;
    expect(x.startReason).toBe('next_business_day');
    expect(x.clockStart).toEqual(lima('2026-04-06T08:30:00'));
    expect(x.holidays.map((h) => [h.date, h.names[0], h.namesEn[0]])).toEqual([
      ['2026-04-02', 'Jueves Santo', 'Holy Thursday'],
      ['2026-04-03', 'Viernes Santo', 'Good Friday'],
    ]);
    // Sat/Sun 4–5, 11–12 April; the due is Friday 17.
    expect(x.weekendDays).toBe(4);
    expect(x.due).toEqual(lima('2026-04-17T17:30:00'));
    expect(x.spec).toEqual({ amount: 10, unit: 'business_days' });

    const es = renderExplanation(x);
    expect(es).toMatch(/10 días hábiles/);
    expect(es).toMatch(/día hábil siguiente a la recepción/);
    expect(es).toMatch(/Jueves Santo \(2026-04-02\), Viernes Santo \(2026-04-03\) y 4 días de fin de semana/);
    expect(es).toMatch(/Vence el .*17 abr.* 2026.*17:30 \(America\/Lima\)/);
    const en = renderExplanation(x, 'en');
    expect(en).toMatch(/counted from the business day after receipt/);
    expect(en).toMatch(/Holy Thursday \(2026-04-02\), Good Friday \(2026-04-03\) and 4 weekend days/);
    expect(en).toMatch(/Due .*17 Apr 2026.*17:30/);
  });

  it('explains pauses, extensions and a breach', () => {
    const input = {
      policy: access,
      calendar: pe,
      receivedAt,
      now: lima('2026-05-04T09:00:00'),
      events: [
        { type: 'extension' as const, at: lima('2026-04-07T11:00:00'), newDue: lima('2026-04-24T17:30:00') },
        { type: 'status' as const, at: lima('2026-04-08T08:30:00'), status: 'waiting_reporter' },
        { type: 'status' as const, at: lima('2026-04-09T08:30:00'), status: 'under_review' },
      ],
    };
    const x = explainDue(input, 'resolution')!;
    // Extended to Fri 24 Apr, then paused one whole business day → due Mon 27 Apr, breached by 4 May.
    expect(x.extensions).toEqual([
      {
        at: lima('2026-04-07T11:00:00'),
        previousDue: lima('2026-04-17T17:30:00'),
        newDue: lima('2026-04-24T17:30:00'),
      },
    ]);
    expect(x.pauses).toEqual([
      {
        from: lima('2026-04-08T08:30:00'),
        to: lima('2026-04-09T08:30:00'),
        status: 'waiting_reporter',
        businessMs: 9 * 3_600_000,
      },
    ]);
    expect(x.state).toBe('breached');
    expect(x.due).toEqual(lima('2026-04-27T17:30:00'));
    const es = renderExplanation(x);
    expect(es).toMatch(/Suspendido en espera del solicitante/);
    expect(es).toMatch(/Prorrogado el/);
    expect(es).toMatch(/Venció el/);
    expect(renderExplanation(x, 'en')).toMatch(/Paused \(waiting for the reporter\)/);
  });

  it('is undefined for a target the policy does not set', () => {
    expect(
      explainDue({ policy: access, calendar: pe, receivedAt, now: receivedAt }, 'update'),
    ).toBeUndefined();
  });
});

describe('deadline jobs and escalation', () => {
  it('job ids are deterministic and carry the due instant', () => {
    expect(deadlineJobId('t1', 'resolution', 'breach', lima('2026-04-17T17:30:00'))).toBe(
      'sla-t1-resolution-breach-1776465000000',
    );
    expect(deadlineJobId('t1', 'resolution', 'warn', '2026-04-17T22:30:00Z')).toBe(
      'sla-t1-resolution-warn-1776465000000',
    );
  });

  it('the jobs a running ticket needs do not depend on when they are computed', () => {
    const at = (now: string) =>
      deadlineJobs('t1', computeSla({ policy: access, calendar: pe, receivedAt, now: lima(now) }));
    const early = at('2026-04-02T10:00:00');
    expect(early.map((j) => j.jobId)).toEqual([
      'sla-t1-firstResponse-warn-1775601000000',
      'sla-t1-firstResponse-breach-1775601000000',
      'sla-t1-resolution-warn-1776465000000',
      'sla-t1-resolution-breach-1776465000000',
    ]);
    expect(early[0]!.runAt).toEqual(lima('2026-04-07T12:06:00'));
    // First-response warning at 70 % of 2 days = Tue 7 Apr 08:30 + 3 h 36 min = 12:06. At 13:00 it is
    // past and no longer scheduled; the ids that remain are the same.
    const later = at('2026-04-07T13:00:00').map((j) => j.jobId);
    expect(later).toEqual(
      early.map((j) => j.jobId).filter((id) => !id.startsWith('sla-t1-firstResponse-warn')),
    );
  });

  it('plans the escalation chain on business days after the breach', () => {
    const r = computeSla({ policy: access, calendar: pe, receivedAt, now: lima('2026-04-20T09:00:00') });
    const plan = escalationSchedule(access, pe, r.targets.resolution!);
    expect(plan).toEqual([
      { level: 1, to: 'assignee', at: lima('2026-04-14T17:30:00') }, // warning, 70 % = end of day 7
      { level: 2, to: 'team_lead', at: lima('2026-04-17T17:30:00') },
      { level: 3, to: 'manager', at: lima('2026-04-21T17:30:00') }, // 2 business days: Mon 20, Tue 21
      { level: 4, to: 'parent_organisation', at: lima('2026-04-24T17:30:00') }, // 5 days: 20–24 Apr
    ]);
    const met = computeSla({
      policy: access,
      calendar: pe,
      receivedAt,
      events: [{ type: 'status', at: lima('2026-04-10T10:00:00'), status: 'published' }],
      now: lima('2026-04-20T09:00:00'),
    });
    expect(escalationSchedule(access, pe, met.targets.resolution!)).toEqual([]);
  });
});
