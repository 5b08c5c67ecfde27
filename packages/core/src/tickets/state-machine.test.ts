import { describe, expect, test } from 'vitest';
import type { Role, TicketKind, TicketStatus } from './model.ts';
import { INITIAL_STATUS, ROLES, STATUSES_BY_KIND, TICKET_KINDS } from './model.ts';
import type { TransitionRule } from './state-machine.ts';
import {
  actionsOf,
  findTransition,
  isOpenStatus,
  isPausedStatus,
  isResolvedLikeStatus,
  isTerminalStatus,
  REQUIRED_FIELDS,
  RESOLVED_LIKE_STATUSES,
  STATUS_CLASSES,
  TRANSITIONS,
  transitionsFrom,
} from './state-machine.ts';
import { actorAs, NOW, OTHER_ORG, ticketOf, VALID_INPUT } from './test-fixtures.ts';
import { availableActions, effectsFor, planTransition } from './transitions.ts';

// One case per (kind, row, from-status): the unit every other case below is built on.
const rowCases = TICKET_KINDS.flatMap((kind) =>
  TRANSITIONS[kind].flatMap((rule) => rule.from.map((from) => ({ kind, from, rule }))),
);

const roleCases = rowCases.flatMap(({ kind, from, rule }) =>
  ROLES.map((role) => ({
    kind,
    from,
    action: rule.action,
    role,
    allowed: rule.roles.includes(role),
    rule,
  })),
);

describe('transition tables', () => {
  test.each(TICKET_KINDS)('%s rows never overlap, so an (action, status) pair has one meaning', (kind) => {
    const seen = new Set<string>();
    for (const rule of TRANSITIONS[kind]) {
      for (const from of rule.from) {
        const key = `${rule.action}@${from}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    }
  });

  test.each(TICKET_KINDS)('%s rows only name statuses of their kind', (kind) => {
    const statuses: readonly string[] = STATUSES_BY_KIND[kind];
    for (const rule of TRANSITIONS[kind]) {
      expect(statuses).toContain(rule.to);
      for (const from of rule.from) expect(statuses).toContain(from);
      for (const field of rule.requires) expect(REQUIRED_FIELDS).toContain(field);
    }
  });

  test.each(TICKET_KINDS)('every %s status is reachable from the initial one', (kind) => {
    const reached = new Set<TicketStatus>([INITIAL_STATUS[kind]]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const rule of TRANSITIONS[kind]) {
        if (rule.from.some((s) => reached.has(s)) && !reached.has(rule.to)) {
          reached.add(rule.to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...STATUSES_BY_KIND[kind]].sort());
  });

  test.each(TICKET_KINDS)('%s: every open status has a way forward for staff', (kind) => {
    for (const status of STATUS_CLASSES[kind].open) {
      const staffExits = transitionsFrom(kind, status).filter((r) => r.roles.includes('officer'));
      expect(staffExits.length, status).toBeGreaterThan(0);
    }
  });

  test.each(TICKET_KINDS)('%s: terminal statuses are left only by a staff reopen with a reason', (kind) => {
    for (const status of STATUS_CLASSES[kind].terminal) {
      for (const rule of transitionsFrom(kind, status)) {
        expect(rule.action).toBe('reopen');
        expect(rule.requires).toContain('reason');
        expect(rule.roles).not.toContain('reporter');
        expect(rule.roles).not.toContain('system');
      }
    }
  });

  // The SLA worker trusts these hints; a row that forgets one leaves a clock running.
  test.each(rowCases.map((c) => [c.kind, c.rule.action, c.from, c.rule] as const))(
    '%s %s from %s carries the clock effect its status change implies',
    (kind, _action, from, rule: TransitionRule) => {
      const effects = effectsFor(rule, ticketOf(kind, from));
      const wasStopped = isResolvedLikeStatus(kind, from);
      const isStopped = isResolvedLikeStatus(kind, rule.to);
      const wasPaused = isPausedStatus(kind, from);
      const isPaused = isPausedStatus(kind, rule.to);
      if (!wasStopped && isStopped) expect(effects).toContain('stopClock');
      if (wasStopped && !isStopped) expect(effects).toContain('resumeClock');
      if (!wasPaused && isPaused) expect(effects).toContain('pauseClock');
      if (wasPaused && !isPaused && !isStopped) expect(effects).toContain('resumeClock');
      if (wasStopped === isStopped && wasPaused === isPaused) {
        expect(effects).not.toContain('stopClock');
        expect(effects).not.toContain('pauseClock');
        expect(effects).not.toContain('resumeClock');
      }
    },
  );

  test.each([
    ['complaint', 'waiting_reporter', { open: true, paused: true, resolvedLike: false, terminal: false }],
    ['complaint', 'resolved', { open: false, paused: false, resolvedLike: true, terminal: false }],
    ['complaint', 'closed', { open: false, paused: false, resolvedLike: true, terminal: true }],
    ['data_request', 'planned', { open: true, paused: false, resolvedLike: true, terminal: false }],
    ['data_request', 'published', { open: false, paused: false, resolvedLike: true, terminal: true }],
    ['quality_issue', 'in_progress', { open: true, paused: false, resolvedLike: false, terminal: false }],
    ['quality_issue', 'duplicate', { open: false, paused: false, resolvedLike: true, terminal: true }],
  ] as const)('%s %s classes', (kind, status, expected) => {
    expect({
      open: isOpenStatus(kind, status),
      paused: isPausedStatus(kind, status),
      resolvedLike: isResolvedLikeStatus(kind, status),
      terminal: isTerminalStatus(kind, status),
    }).toEqual(expected);
  });

  // The SLA sweeps and the digests skip these by status alone, whatever the ticket's kind.
  test('the resolved-like statuses of every kind, once each', () => {
    expect([...RESOLVED_LIKE_STATUSES].sort()).toEqual(
      ['closed', 'duplicate', 'planned', 'published', 'rejected', 'resolved'].sort(),
    );
    for (const status of RESOLVED_LIKE_STATUSES)
      expect(TICKET_KINDS.some((kind) => STATUS_CLASSES[kind].resolvedLike.includes(status as never))).toBe(
        true,
      );
  });
});

describe('planTransition over every row', () => {
  test.each(roleCases.map((c) => [c.kind, c.action, c.from, c.role, c.allowed, c.rule] as const))(
    '%s %s from %s by %s → allowed: %s',
    (kind, action, from, role, allowed, rule) => {
      const plan = planTransition({
        ticket: ticketOf(kind, from),
        action,
        actor: actorAs(role),
        input: VALID_INPUT,
        now: NOW,
      });
      if (allowed) {
        expect(plan).toMatchObject({ ok: true, from, to: rule.to });
      } else {
        expect(plan).toMatchObject({ ok: false, code: 'forbidden' });
      }
    },
  );

  const scopedStaff = rowCases.flatMap(({ kind, from, rule }) =>
    (['officer', 'team_lead', 'manager'] as const)
      .filter((role) => rule.roles.includes(role))
      .map((role) => [kind, rule.action, from, role] as const),
  );
  test.each(scopedStaff)(
    '%s %s from %s by a %s of another organisation is forbidden',
    (kind, action, from, role) => {
      const plan = planTransition({
        ticket: ticketOf(kind, from),
        action,
        actor: actorAs(role, [OTHER_ORG]),
        input: VALID_INPUT,
        now: NOW,
      });
      expect(plan).toMatchObject({ ok: false, code: 'forbidden', details: { problem: 'out_of_scope' } });
    },
  );

  const fieldCases = rowCases.flatMap(({ kind, from, rule }) =>
    rule.requires.map((field) => [kind, rule.action, from, field, rule.roles[0] as Role] as const),
  );
  test.each(fieldCases)('%s %s from %s without %s → missing_field', (kind, action, from, field, role) => {
    for (const blank of [undefined, null, '   ']) {
      const plan = planTransition({
        ticket: ticketOf(kind, from),
        action,
        actor: actorAs(role),
        input: { ...VALID_INPUT, [field]: blank },
        now: NOW,
      });
      expect(plan).toMatchObject({ ok: false, code: 'missing_field', details: { fields: [field] } });
    }
  });

  const invalidCases = TICKET_KINDS.flatMap((kind: TicketKind) =>
    STATUSES_BY_KIND[kind].flatMap((status: TicketStatus) =>
      actionsOf(kind)
        .filter((action) => !findTransition(kind, status, action))
        .map((action) => [kind, action, status] as const),
    ),
  );
  test.each(invalidCases)('%s %s from %s → invalid_transition, even for an admin', (kind, action, status) => {
    const plan = planTransition({
      ticket: ticketOf(kind, status),
      action,
      actor: actorAs('admin'),
      input: VALID_INPUT,
      now: NOW,
    });
    expect(plan).toMatchObject({ ok: false, code: 'invalid_transition' });
  });

  test('there are invalid pairs to test at all', () => {
    expect(invalidCases.length).toBeGreaterThan(50);
  });
});

describe('availableActions agrees with planTransition', () => {
  const actors = [
    ...ROLES.map((role) => actorAs(role)),
    actorAs('officer', [OTHER_ORG]),
    actorAs('manager', ['org-gob']),
  ];
  const cases = TICKET_KINDS.flatMap((kind) =>
    STATUSES_BY_KIND[kind].flatMap((status: TicketStatus) =>
      actors.map((actor) => [kind, status, actor] as const),
    ),
  );
  test.each(cases)('%s %s for %o', (kind, status, actor) => {
    const ticket = ticketOf(kind, status);
    const offered = new Set(availableActions(ticket, actor).map((a) => a.action));
    for (const action of actionsOf(kind)) {
      const plan = planTransition({ ticket, action, actor, input: VALID_INPUT, now: NOW });
      expect(plan.ok, `${action}`).toBe(offered.has(action));
    }
  });
});
