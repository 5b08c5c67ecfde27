import { describe, expect, test } from 'vitest';
import type { MergeTicket } from './merge.ts';
import { planMerge } from './merge.ts';
import { actorAs, NOW, OTHER_ORG, ticketOf } from './test-fixtures.ts';

const survivor = (overrides: Partial<MergeTicket> = {}): MergeTicket => ({
  ...ticketOf('complaint', 'in_progress', { id: 's', ref: 'Q-2026-000010' }),
  reporterId: 'ana',
  supporterIds: ['beto'],
  followerIds: ['ana', 'carla'],
  ...overrides,
});
const victim = (overrides: Partial<MergeTicket> = {}): MergeTicket => ({
  ...ticketOf('complaint', 'new', { id: 'v', ref: 'Q-2026-000011' }),
  reporterId: 'dario',
  supporterIds: ['beto', 'elena'],
  followerIds: ['carla', 'fabio'],
  ...overrides,
});

describe('planMerge', () => {
  test('the victim becomes a duplicate; its reporter, supporters and followers move once each', () => {
    const plan = planMerge({
      survivor: survivor(),
      victim: victim(),
      actor: actorAs('officer'),
      input: { reason: 'mismo problema' },
      now: NOW,
    });
    expect(plan).toMatchObject({
      ok: true,
      victim: {
        to: 'duplicate',
        event: {
          type: 'status_changed',
          action: 'mark_duplicate',
          fields: { duplicateOf: 'Q-2026-000010' },
          reason: 'mismo problema',
        },
        effects: ['stopClock', 'notifyReporter', 'firstResponse'],
      },
      survivor: {
        event: {
          type: 'duplicate_merged',
          victimRef: 'Q-2026-000011',
          victimId: 'v',
          reason: 'mismo problema',
          at: NOW,
        },
        effects: ['notifyAssignee'],
        moves: { supporterIds: ['dario', 'elena'], followerIds: ['dario', 'fabio'] },
      },
    });
  });

  test.each([
    ['into itself (same id)', survivor(), victim({ id: 's' }), 'invalid_merge', 'same_ticket'],
    [
      'into itself (same ref)',
      survivor(),
      victim({ id: undefined, ref: 'Q-2026-000010' }),
      'invalid_merge',
      'same_ticket',
    ],
    [
      'across kinds',
      survivor(),
      victim({ kind: 'data_request', status: 'submitted' }),
      'invalid_merge',
      'cross_kind',
    ],
    ['into a closed ticket', survivor({ status: 'closed' }), victim(), 'invalid_merge', 'survivor_finished'],
    ['into a duplicate', survivor({ status: 'duplicate' }), victim(), 'invalid_merge', 'survivor_finished'],
    [
      'into a rejected ticket',
      survivor({ status: 'rejected' }),
      victim(),
      'invalid_merge',
      'survivor_finished',
    ],
    [
      'into a ticket without ref',
      survivor({ ref: undefined }),
      victim(),
      'invalid_merge',
      'survivor_without_ref',
    ],
    ['a victim already closed', survivor(), victim({ status: 'closed' }), 'invalid_transition', undefined],
    [
      'a victim of another organisation',
      survivor(),
      victim({ organisationId: OTHER_ORG, organisationAncestorIds: [] }),
      'forbidden',
      'out_of_scope',
    ],
    [
      'into a survivor of another organisation',
      survivor({ organisationId: OTHER_ORG, organisationAncestorIds: [] }),
      victim(),
      'forbidden',
      'out_of_scope',
    ],
  ] as [string, MergeTicket, MergeTicket, string, string | undefined][])(
    'refuses to merge %s',
    (_name, s, v, code, problem) => {
      const plan = planMerge({ survivor: s, victim: v, actor: actorAs('officer'), now: NOW });
      expect(plan).toMatchObject({ ok: false, code });
      if (problem && !plan.ok) expect(plan.details.problem).toBe(problem);
    },
  );

  test('a resolved survivor is still open to merges', () => {
    expect(
      planMerge({
        survivor: survivor({ status: 'resolved' }),
        victim: victim(),
        actor: actorAs('officer'),
        now: NOW,
      }).ok,
    ).toBe(true);
  });

  test('reporters cannot merge', () => {
    const plan = planMerge({ survivor: survivor(), victim: victim(), actor: actorAs('reporter'), now: NOW });
    expect(plan).toMatchObject({ ok: false, code: 'forbidden' });
  });

  test('quality issues merge too; worker-opened tickets bring no reporter', () => {
    const plan = planMerge({
      survivor: { ...ticketOf('quality_issue', 'open', { id: 'a', ref: 'Q-2026-000020' }) },
      victim: {
        ...ticketOf('quality_issue', 'acknowledged', { id: 'b', ref: 'Q-2026-000021' }),
        reporterId: null,
      },
      actor: actorAs('team_lead'),
      now: NOW,
    });
    expect(plan).toMatchObject({ ok: true, survivor: { moves: { supporterIds: [], followerIds: [] } } });
  });
});
