import { describe, expect, test } from 'vitest';
import type { AssigneeCandidate, AssignInput } from './edits.ts';
import { planAssign, planChangeCategory, planLinkDataset, planSetPriority, planTransfer } from './edits.ts';
import type { Actor } from './events.ts';
import type { Role } from './model.ts';
import { actorAs, NOW, ORG, OTHER_ORG, ticketOf } from './test-fixtures.ts';

const member = (
  id: string,
  teamIds: string[] = ['team-datos'],
  organisationIds: string[] = [ORG],
): AssigneeCandidate => ({
  id,
  organisationIds,
  teamIds,
});
const lead: Actor = { id: 'lead-1', roles: ['team_lead'], organisationIds: [ORG], teamIds: ['team-datos'] };
const officer: Actor = {
  id: 'officer-2',
  roles: ['officer'],
  organisationIds: [ORG],
  teamIds: ['team-datos'],
};
const OWN_TEAM = { id: 'team-datos', organisationId: ORG };
const OTHER_TEAM = { id: 'team-web', organisationId: ORG };

describe('planAssign', () => {
  test.each([
    // [who, current assignee, input, expected outcome]
    [
      'admin assigns anyone of the organisation',
      actorAs('admin'),
      'officer-1',
      { assignee: member('x', ['team-web']) },
      'ok',
    ],
    ['manager moves to another team', actorAs('manager'), 'officer-1', { team: OTHER_TEAM }, 'ok'],
    [
      'system assigns the routed team and officer',
      actorAs('system'),
      null,
      { team: OTHER_TEAM, assignee: member('y', ['team-web']) },
      'ok',
    ],
    ['team lead assigns a member of their team', lead, null, { assignee: member('officer-3') }, 'ok'],
    [
      'team lead cannot assign someone of another team',
      lead,
      null,
      { assignee: member('z', ['team-web']) },
      'forbidden',
    ],
    ['team lead hands their ticket to another team', lead, 'officer-1', { team: OTHER_TEAM }, 'ok'],
    ['officer takes a ticket', officer, null, { assignee: member('officer-2') }, 'ok'],
    ['officer gives theirs back', officer, 'officer-2', { assignee: null }, 'ok'],
    ['officer cannot assign a colleague', officer, null, { assignee: member('officer-3') }, 'forbidden'],
    ["officer cannot unassign a colleague's ticket", officer, 'officer-1', { assignee: null }, 'forbidden'],
    ['officer cannot change the team', officer, null, { team: OTHER_TEAM }, 'forbidden'],
    [
      'officer of another organisation',
      actorAs('officer', [OTHER_ORG]),
      null,
      { assignee: member('officer-1') },
      'forbidden',
    ],
    ['reporter', actorAs('reporter'), null, { assignee: member('officer-1') }, 'forbidden'],
    [
      'assignee outside the organisation',
      actorAs('admin'),
      null,
      { assignee: member('q', ['t'], [OTHER_ORG]) },
      'invalid_field',
    ],
    [
      'team of another organisation',
      actorAs('admin'),
      null,
      { team: { id: 'team-mef', organisationId: OTHER_ORG } },
      'invalid_field',
    ],
    ['same assignee again', actorAs('admin'), 'officer-1', { assignee: member('officer-1') }, 'no_change'],
  ] as [string, Actor, string | null, AssignInput, string][])(
    '%s → %s',
    (_name, actor, current, input, expected) => {
      const plan = planAssign({
        ticket: ticketOf('complaint', 'triaged', { assigneeId: current }),
        actor,
        input,
        now: NOW,
      });
      expect(plan.ok ? 'ok' : plan.code).toBe(expected);
    },
  );

  test('team lead pulls a ticket from another team into their own', () => {
    const plan = planAssign({
      ticket: ticketOf('complaint', 'triaged', { teamId: 'team-web', assigneeId: null }),
      actor: lead,
      input: { team: OWN_TEAM, assignee: member('officer-3') },
      now: NOW,
    });
    expect(plan).toMatchObject({
      ok: true,
      event: { to: { teamId: 'team-datos', assigneeId: 'officer-3' } },
    });
  });

  test('team lead of neither team cannot move a ticket between two other teams', () => {
    const plan = planAssign({
      ticket: ticketOf('complaint', 'triaged', { teamId: 'team-web' }),
      actor: lead,
      input: { team: { id: 'team-geo', organisationId: ORG } },
      now: NOW,
    });
    expect(plan).toMatchObject({ ok: false, code: 'forbidden' });
  });

  test('moving to another team clears the assignee unless one is given', () => {
    const plan = planAssign({
      ticket: ticketOf('complaint', 'in_progress'),
      actor: actorAs('manager'),
      input: { team: OTHER_TEAM, reason: ' mal enrutado ' },
      now: NOW,
    });
    expect(plan).toEqual({
      ok: true,
      event: {
        type: 'assigned',
        actor: { id: 'manager-1', role: 'manager' },
        from: { teamId: 'team-datos', assigneeId: 'officer-1' },
        to: { teamId: 'team-web', assigneeId: null },
        reason: 'mal enrutado',
        at: NOW,
      },
      effects: [],
    });
  });

  test('the new assignee is notified unless they assigned themselves', () => {
    const byLead = planAssign({
      ticket: ticketOf('complaint', 'new', { assigneeId: null }),
      actor: lead,
      input: { assignee: member('officer-3') },
      now: NOW,
    });
    const bySelf = planAssign({
      ticket: ticketOf('complaint', 'new', { assigneeId: null }),
      actor: officer,
      input: { assignee: member('officer-2') },
      now: NOW,
    });
    expect(byLead.ok && byLead.effects).toEqual(['notifyAssignee']);
    expect(bySelf.ok && bySelf.effects).toEqual([]);
  });

  test('finished tickets are not assigned', () => {
    const plan = planAssign({
      ticket: ticketOf('complaint', 'closed'),
      actor: actorAs('admin'),
      input: { assignee: member('x') },
      now: NOW,
    });
    expect(plan).toMatchObject({ ok: false, code: 'invalid_transition' });
  });
});

describe('planSetPriority', () => {
  test.each([
    ['officer', 'high', 'ok'],
    ['team_lead', 'urgent', 'ok'],
    ['system', 'low', 'ok'],
    ['reporter', 'urgent', 'forbidden'],
    ['officer', 'critical', 'invalid_field'],
    ['officer', 'normal', 'no_change'],
  ] as [Role, string, string][])('%s sets %s → %s', (role, priority, expected) => {
    const plan = planSetPriority({
      ticket: ticketOf('complaint', 'triaged'),
      actor: actorAs(role),
      input: { priority },
      now: NOW,
    });
    expect(plan.ok ? 'ok' : plan.code).toBe(expected);
  });

  test('records the change and asks for the SLA to be recomputed', () => {
    const plan = planSetPriority({
      ticket: ticketOf('complaint', 'triaged', { priority: 'low' }),
      actor: actorAs('officer'),
      input: { priority: 'urgent' },
      now: NOW,
    });
    expect(plan).toMatchObject({
      ok: true,
      event: { type: 'priority_changed', from: 'low', to: 'urgent' },
      effects: ['recomputeSla'],
    });
  });
});

describe('planChangeCategory', () => {
  test.each([
    ['complaint', 'broken_link', 'wrong_data', 'ok'],
    ['complaint', 'broken_link', 'freshness', 'invalid_field'],
    ['complaint', 'broken_link', null, 'missing_field'],
    ['complaint', 'broken_link', 'broken_link', 'no_change'],
    ['data_request', 'health', null, 'ok'],
    ['data_request', null, 'education', 'ok'],
    ['quality_issue', 'validity', 'freshness', 'ok'],
    ['quality_issue', 'validity', 'licence', 'invalid_field'],
  ] as const)('%s from %s to %s → %s', (kind, from, to, expected) => {
    const status = kind === 'complaint' ? 'triaged' : kind === 'data_request' ? 'submitted' : 'open';
    const plan = planChangeCategory({
      ticket: ticketOf(kind, status, { category: from }),
      actor: actorAs('officer'),
      input: { category: to },
      now: NOW,
    });
    expect(plan.ok ? 'ok' : plan.code).toBe(expected);
    if (plan.ok) expect(plan.effects).toEqual(['reroute', 'recomputeSla']);
  });

  test('reporters cannot recategorise', () => {
    const plan = planChangeCategory({
      ticket: ticketOf('complaint', 'new', { category: 'other' }),
      actor: actorAs('reporter'),
      input: { category: 'outdated' },
      now: NOW,
    });
    expect(plan).toMatchObject({ ok: false, code: 'forbidden' });
  });
});

describe('planLinkDataset', () => {
  test('links a dataset and resource and asks routing to look again', () => {
    const plan = planLinkDataset({
      ticket: ticketOf('complaint', 'new'),
      actor: actorAs('officer'),
      input: { datasetId: 'ds-1', resourceId: 'res-2' },
      now: NOW,
    });
    expect(plan).toMatchObject({
      ok: true,
      event: {
        type: 'dataset_linked',
        from: { datasetId: null, resourceId: null },
        to: { datasetId: 'ds-1', resourceId: 'res-2' },
      },
      effects: ['reroute'],
    });
  });

  test.each([
    [{ datasetId: null, resourceId: 'res-2' }, 'missing_field'],
    [{ datasetId: 'ds-1' }, 'no_change'],
    [{ datasetId: 'd'.repeat(201) }, 'invalid_field'],
  ])('%o → %s', (input, expected) => {
    const plan = planLinkDataset({
      ticket: ticketOf('complaint', 'new', { datasetId: 'ds-1' }),
      actor: actorAs('officer'),
      input,
      now: NOW,
    });
    expect(plan).toMatchObject({ ok: false, code: expected });
  });

  test('allowed on a finished ticket, without rerouting it', () => {
    const plan = planLinkDataset({
      ticket: ticketOf('complaint', 'closed'),
      actor: actorAs('officer'),
      input: { datasetId: 'ds-9' },
      now: NOW,
    });
    expect(plan).toMatchObject({ ok: true, effects: [] });
  });
});

describe('planTransfer', () => {
  test('hands the ticket over, clearing team and assignee, telling the reporter', () => {
    const plan = planTransfer({
      ticket: ticketOf('complaint', 'triaged'),
      actor: actorAs('officer'),
      input: { toOrganisationId: OTHER_ORG, reason: 'El conjunto lo publica el MEF' },
      now: NOW,
    });
    expect(plan).toEqual({
      ok: true,
      event: {
        type: 'transferred',
        actor: { id: 'officer-1', role: 'officer' },
        from: { organisationId: ORG, teamId: 'team-datos', assigneeId: 'officer-1' },
        to: { organisationId: OTHER_ORG },
        reason: 'El conjunto lo publica el MEF',
        at: NOW,
      },
      effects: ['reroute', 'recomputeSla', 'notifyReporter'],
    });
  });

  test.each([
    ['no reason', actorAs('officer'), { toOrganisationId: OTHER_ORG, reason: ' ' }, 'missing_field'],
    ['no destination', actorAs('officer'), { toOrganisationId: '', reason: 'x' }, 'missing_field'],
    ['same organisation', actorAs('officer'), { toOrganisationId: ORG, reason: 'x' }, 'invalid_field'],
    [
      'staff of the receiving organisation',
      actorAs('officer', [OTHER_ORG]),
      { toOrganisationId: OTHER_ORG, reason: 'x' },
      'forbidden',
    ],
    ['a reporter', actorAs('reporter'), { toOrganisationId: OTHER_ORG, reason: 'x' }, 'forbidden'],
  ] as [string, Actor, { toOrganisationId: string; reason: string }, string][])(
    '%s → %s',
    (_name, actor, input, expected) => {
      const plan = planTransfer({ ticket: ticketOf('complaint', 'triaged'), actor, input, now: NOW });
      expect(plan).toMatchObject({ ok: false, code: expected });
    },
  );

  test('the system transfers when a routing rule targets a team of another organisation', () => {
    const plan = planTransfer({
      ticket: ticketOf('complaint', 'new', { teamId: null, assigneeId: null }),
      actor: actorAs('system'),
      input: { toOrganisationId: 'pcm-sgtd', reason: 'rule "licences" matched kind=complaint' },
      now: NOW,
    });
    expect(plan).toMatchObject({
      ok: true,
      event: { actor: { id: null, role: 'system' }, to: { organisationId: 'pcm-sgtd' } },
    });
  });

  test('a finished ticket is not transferred', () => {
    const plan = planTransfer({
      ticket: ticketOf('data_request', 'published'),
      actor: actorAs('admin'),
      input: { toOrganisationId: OTHER_ORG, reason: 'x' },
      now: NOW,
    });
    expect(plan).toMatchObject({ ok: false, code: 'invalid_transition' });
  });
});
