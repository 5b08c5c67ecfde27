import { describe, expect, test } from 'vitest';
import type { Actor, EffectHint, TicketSnapshot } from './events.ts';
import type { TransitionInput } from './fields.ts';
import type { Role } from './model.ts';
import { actorAs, NOW, ORG, OTHER_ORG, PARENT_ORG, ticketOf } from './test-fixtures.ts';
import { availableActions, planTransition } from './transitions.ts';

interface Step {
  action: string;
  by: Role;
  input?: TransitionInput;
  to: string;
  effects: readonly EffectHint[];
}

/** Runs the steps as the command would: plan, then write status and first response. */
function runLifecycle(start: TicketSnapshot, steps: readonly Step[]): TicketSnapshot {
  let ticket = start;
  let at = NOW.getTime();
  for (const step of steps) {
    at += 60_000;
    const plan = planTransition({
      ticket,
      action: step.action,
      actor: actorAs(step.by),
      input: step.input,
      now: new Date(at),
    });
    if (!plan.ok) throw new Error(`${step.action}: ${plan.code} ${plan.message}`);
    expect({ action: step.action, to: plan.to, effects: plan.effects }).toEqual({
      action: step.action,
      to: step.to,
      effects: step.effects,
    });
    expect(plan.event).toMatchObject({
      type: 'status_changed',
      action: step.action,
      from: ticket.status,
      to: step.to,
    });
    ticket = {
      ...ticket,
      status: plan.to,
      firstResponseAt: plan.effects.includes('firstResponse') ? new Date(at) : ticket.firstResponseAt,
    };
  }
  return ticket;
}

describe('lifecycles', () => {
  test('complaint: triage, question, answer, resolution disputed, resolved again, confirmed', () => {
    const end = runLifecycle(ticketOf('complaint', 'new'), [
      { action: 'triage', by: 'officer', to: 'triaged', effects: ['notifyReporter', 'firstResponse'] },
      { action: 'start', by: 'officer', to: 'in_progress', effects: ['notifyReporter'] },
      {
        action: 'ask_reporter',
        by: 'officer',
        input: { message: '¿Qué fila?' },
        to: 'waiting_reporter',
        effects: ['notifyReporter', 'pauseClock'],
      },
      {
        action: 'reporter_replied',
        by: 'reporter',
        to: 'in_progress',
        effects: ['resumeClock', 'notifyAssignee'],
      },
      {
        action: 'resolve',
        by: 'officer',
        input: { resolution: 'Enlace corregido' },
        to: 'resolved',
        effects: ['stopClock', 'notifyReporter', 'askSatisfaction', 'scheduleAutoClose'],
      },
      {
        action: 'dispute_resolution',
        by: 'reporter',
        to: 'in_progress',
        effects: ['cancelAutoClose', 'resumeClock', 'notifyAssignee'],
      },
      {
        action: 'resolve',
        by: 'team_lead',
        input: { resolution: 'Ahora sí' },
        to: 'resolved',
        effects: ['stopClock', 'notifyReporter', 'askSatisfaction', 'scheduleAutoClose'],
      },
      {
        action: 'confirm_resolution',
        by: 'reporter',
        to: 'closed',
        effects: ['cancelAutoClose', 'notifyAssignee'],
      },
    ]);
    expect(end.status).toBe('closed');
    expect(availableActions(end, actorAs('admin'))).toEqual([]);
  });

  test('complaint: an unanswered resolution closes by itself; a mistaken rejection is reopened', () => {
    runLifecycle(ticketOf('complaint', 'new'), [
      { action: 'start', by: 'officer', to: 'in_progress', effects: ['notifyReporter', 'firstResponse'] },
      {
        action: 'resolve',
        by: 'officer',
        input: { resolution: 'Listo' },
        to: 'resolved',
        effects: ['stopClock', 'notifyReporter', 'askSatisfaction', 'scheduleAutoClose'],
      },
      { action: 'auto_close', by: 'system', to: 'closed', effects: ['notifyReporter'] },
    ]);
    runLifecycle(ticketOf('complaint', 'new'), [
      {
        action: 'reject',
        by: 'officer',
        input: { reason: 'No es un dato abierto' },
        to: 'rejected',
        effects: ['stopClock', 'notifyReporter', 'firstResponse'],
      },
      {
        action: 'reopen',
        by: 'manager',
        input: { reason: 'Sí lo es' },
        to: 'in_progress',
        effects: ['cancelAutoClose', 'resumeClock', 'notifyReporter'],
      },
      {
        action: 'ask_reporter',
        by: 'officer',
        input: { message: '¿Enlace?' },
        to: 'waiting_reporter',
        effects: ['notifyReporter', 'pauseClock'],
      },
      { action: 'close_unanswered', by: 'system', to: 'closed', effects: ['stopClock', 'notifyReporter'] },
    ]);
  });

  test('data request: review, plan, reschedule, publish, reopen, reject', () => {
    runLifecycle(ticketOf('data_request', 'submitted'), [
      { action: 'review', by: 'officer', to: 'under_review', effects: ['notifyReporter', 'firstResponse'] },
      {
        action: 'plan',
        by: 'officer',
        input: { expectedDate: '2027-03-01' },
        to: 'planned',
        effects: ['stopClock', 'notifyReporter'],
      },
      {
        action: 'reschedule',
        by: 'officer',
        input: { expectedDate: '2027-06-01', reason: 'Falta validar' },
        to: 'planned',
        effects: ['notifyReporter'],
      },
      {
        action: 'publish',
        by: 'officer',
        input: { datasetId: 'ds-1' },
        to: 'published',
        effects: ['notifyReporter', 'notifyFollowers'],
      },
      {
        action: 'reopen',
        by: 'officer',
        input: { reason: 'Falta 2025' },
        to: 'under_review',
        effects: ['resumeClock', 'notifyReporter'],
      },
      {
        action: 'reject',
        by: 'manager',
        input: { reason: 'Información reservada' },
        to: 'rejected',
        effects: ['stopClock', 'notifyReporter'],
      },
    ]);
  });

  test('quality issue: acknowledged, fixed by a passing check, regresses, resolved by staff, auto-closed', () => {
    runLifecycle(ticketOf('quality_issue', 'open'), [
      { action: 'acknowledge', by: 'officer', to: 'acknowledged', effects: ['firstResponse'] },
      { action: 'start', by: 'officer', to: 'in_progress', effects: [] },
      {
        action: 'auto_resolve',
        by: 'system',
        to: 'resolved',
        effects: ['stopClock', 'scheduleAutoClose', 'notifyAssignee'],
      },
      {
        action: 'regress',
        by: 'system',
        to: 'open',
        effects: ['cancelAutoClose', 'resumeClock', 'notifyAssignee'],
      },
      { action: 'resolve', by: 'officer', to: 'resolved', effects: ['stopClock', 'scheduleAutoClose'] },
      { action: 'auto_close', by: 'system', to: 'closed', effects: [] },
    ]);
  });
});

describe('planTransition details', () => {
  test('the event is ready to append: actor with the granting role, normalised fields, trimmed reason', () => {
    const plan = planTransition({
      ticket: ticketOf('complaint', 'triaged'),
      action: 'mark_duplicate',
      actor: { id: 'u-9', roles: ['officer', 'manager'], organisationIds: [ORG] },
      input: { duplicateOf: ' q-2026-77 ', reason: '  mismo enlace  ' },
      now: NOW,
    });
    expect(plan).toEqual({
      ok: true,
      action: 'mark_duplicate',
      from: 'triaged',
      to: 'duplicate',
      event: {
        type: 'status_changed',
        action: 'mark_duplicate',
        actor: { id: 'u-9', role: 'manager' },
        from: 'triaged',
        to: 'duplicate',
        fields: { duplicateOf: 'Q-2026-000077' },
        reason: 'mismo enlace',
        at: NOW,
      },
      effects: ['stopClock', 'notifyReporter', 'firstResponse'],
    });
  });

  test('expectedDate becomes a Date at the start of that UTC day', () => {
    const plan = planTransition({
      ticket: ticketOf('data_request', 'under_review'),
      action: 'plan',
      actor: actorAs('officer'),
      input: { expectedDate: '2027-01-15' },
      now: NOW,
    });
    expect(plan.ok && plan.event.fields.expectedDate).toEqual(new Date('2027-01-15T00:00:00.000Z'));
  });

  test.each([
    ['expectedDate', { expectedDate: '2026-11-25' }, 'in_the_past'],
    ['expectedDate', { expectedDate: '2027-02-31' }, 'not_a_date'],
    ['expectedDate', { expectedDate: 'pronto' }, 'not_a_date'],
    ['expectedDate', { expectedDate: new Date('nope') }, 'not_a_date'],
  ] as const)('plan with a bad %s (%o) → invalid_field %s', (field, input, problem) => {
    const plan = planTransition({
      ticket: ticketOf('data_request', 'under_review'),
      action: 'plan',
      actor: actorAs('officer'),
      input,
      now: NOW,
    });
    expect(plan).toMatchObject({ ok: false, code: 'invalid_field', details: { field, problem } });
  });

  test("yesterday (UTC) is accepted as today in Lima's evening", () => {
    const plan = planTransition({
      ticket: ticketOf('data_request', 'under_review'),
      action: 'plan',
      actor: actorAs('officer'),
      input: { expectedDate: '2026-11-26' },
      now: new Date('2026-11-27T02:00:00Z'),
    });
    expect(plan.ok).toBe(true);
  });

  test.each([
    [{ duplicateOf: 'Q-2026-000123' }, 'self_reference'],
    [{ duplicateOf: 'ticket 5' }, 'not_a_ref'],
  ])('mark_duplicate with %o → invalid_field %s', (input, problem) => {
    const plan = planTransition({
      ticket: ticketOf('complaint', 'new'),
      action: 'mark_duplicate',
      actor: actorAs('officer'),
      input,
      now: NOW,
    });
    expect(plan).toMatchObject({
      ok: false,
      code: 'invalid_field',
      details: { field: 'duplicateOf', problem },
    });
  });

  test('overlong text is refused, not truncated', () => {
    const plan = planTransition({
      ticket: ticketOf('complaint', 'new'),
      action: 'reject',
      actor: actorAs('officer'),
      input: { reason: 'x'.repeat(5001) },
      now: NOW,
    });
    expect(plan).toMatchObject({
      ok: false,
      code: 'invalid_field',
      details: { field: 'reason', problem: 'too_long' },
    });
  });

  test.each([
    [
      'a manager of the parent organisation',
      { id: 'm', roles: ['manager'], organisationIds: [PARENT_ORG] },
      true,
    ],
    [
      'an officer of the parent organisation',
      { id: 'o', roles: ['officer'], organisationIds: [PARENT_ORG] },
      false,
    ],
    [
      'a team lead of the parent organisation',
      { id: 't', roles: ['team_lead'], organisationIds: [PARENT_ORG] },
      false,
    ],
    [
      'a manager of a sibling organisation',
      { id: 'm', roles: ['manager'], organisationIds: [OTHER_ORG] },
      false,
    ],
    ['an admin of no organisation', { id: 'a', roles: ['admin'], organisationIds: [] }, true],
    ['a reporter of another ticket', { id: 'r', roles: [], organisationIds: [], isReporter: false }, false],
  ] as [string, Actor, boolean][])('triage by %s → allowed %s', (_who, actor, allowed) => {
    const plan = planTransition({ ticket: ticketOf('complaint', 'new'), action: 'triage', actor, now: NOW });
    expect(plan.ok).toBe(allowed);
    if (!plan.ok) expect(plan.code).toBe('forbidden');
  });

  test('forbidden details tell a wrong role from a wrong organisation', () => {
    const reporter = planTransition({
      ticket: ticketOf('complaint', 'new'),
      action: 'triage',
      actor: actorAs('reporter'),
      now: NOW,
    });
    const outsider = planTransition({
      ticket: ticketOf('complaint', 'new'),
      action: 'triage',
      actor: actorAs('officer', [OTHER_ORG]),
      now: NOW,
    });
    expect(reporter).toMatchObject({ code: 'forbidden', details: { problem: 'role_not_allowed' } });
    expect(outsider).toMatchObject({ code: 'forbidden', details: { problem: 'out_of_scope' } });
  });

  test('an invalid transition is reported before permissions, with the actions that are possible', () => {
    const plan = planTransition({
      ticket: ticketOf('complaint', 'closed'),
      action: 'resolve',
      actor: actorAs('reporter'),
      now: NOW,
    });
    expect(plan).toMatchObject({ ok: false, code: 'invalid_transition', details: { allowedActions: [] } });
    const unknown = planTransition({
      ticket: ticketOf('complaint', 'new'),
      action: 'publish',
      actor: actorAs('admin'),
      now: NOW,
    });
    expect(unknown).toMatchObject({
      ok: false,
      code: 'invalid_transition',
      details: { allowedActions: ['triage', 'start', 'reject', 'mark_duplicate', 'withdraw'] },
    });
    expect(unknown.ok === false && unknown.message).toContain('not an action');
  });

  test('a status of another kind is an invalid transition', () => {
    const plan = planTransition({
      ticket: ticketOf('complaint', 'planned'),
      action: 'publish',
      actor: actorAs('admin'),
      now: NOW,
    });
    expect(plan).toMatchObject({ ok: false, code: 'invalid_transition' });
  });

  test('requires a valid now', () => {
    expect(() =>
      planTransition({
        ticket: ticketOf('complaint', 'new'),
        action: 'triage',
        actor: actorAs('admin'),
        now: new Date('x'),
      }),
    ).toThrow(TypeError);
  });
});

describe('availableActions', () => {
  test.each([
    ['complaint', 'new', 'officer', ['triage', 'start', 'reject', 'mark_duplicate']],
    ['complaint', 'new', 'reporter', ['withdraw']],
    ['complaint', 'resolved', 'reporter', ['confirm_resolution', 'dispute_resolution']],
    ['complaint', 'resolved', 'officer', ['reopen']],
    ['complaint', 'waiting_reporter', 'system', ['reporter_replied', 'close_unanswered']],
    ['data_request', 'planned', 'manager', ['reschedule', 'publish', 'reject', 'mark_duplicate']],
    ['data_request', 'submitted', 'reporter', []],
    ['quality_issue', 'resolved', 'system', ['regress', 'auto_close']],
    ['quality_issue', 'open', 'team_lead', ['acknowledge', 'start', 'resolve', 'dismiss', 'mark_duplicate']],
  ] as const)('%s %s for a %s: %o', (kind, status, role, expected) => {
    expect(availableActions(ticketOf(kind, status), actorAs(role)).map((a) => a.action)).toEqual(expected);
  });

  test('lists the fields each action requires', () => {
    const actions = availableActions(ticketOf('data_request', 'under_review'), actorAs('officer'));
    expect(actions.find((a) => a.action === 'plan')).toEqual({
      action: 'plan',
      to: 'planned',
      requires: ['expectedDate'],
    });
  });

  test('nothing for staff of another organisation', () => {
    expect(availableActions(ticketOf('complaint', 'new'), actorAs('officer', [OTHER_ORG]))).toEqual([]);
  });
});
