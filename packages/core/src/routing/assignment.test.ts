import { describe, expect, test } from 'vitest';
import type { AssignmentRequest, TeamMember } from './assignment.ts';
import { chooseAssignee } from './assignment.ts';

const team: TeamMember[] = [{ id: 'ana' }, { id: 'beto' }, { id: 'carla' }, { id: 'dario' }];

describe('chooseAssignee', () => {
  test('manual teams get no automatic assignee', () => {
    expect(chooseAssignee({ strategy: 'manual' })).toMatchObject({ officerId: null, outcome: 'manual' });
  });

  test.each([
    ['starts at the top without history', { members: team, lastAssignedId: null }, 'ana'],
    ['continues after the last assignee', { members: team, lastAssignedId: 'beto' }, 'carla'],
    ['wraps around', { members: team, lastAssignedId: 'dario' }, 'ana'],
    ['restarts when the last assignee left the team', { members: team, lastAssignedId: 'zoe' }, 'ana'],
    [
      'skips officers away',
      { members: [{ id: 'ana' }, { id: 'beto', away: true }, { id: 'carla' }], lastAssignedId: 'ana' },
      'carla',
    ],
    [
      'skips officers at their cap',
      { members: team, lastAssignedId: 'ana', openCounts: { beto: 5 }, defaultCap: 5 },
      'carla',
    ],
    [
      'a personal cap overrides the team cap',
      {
        members: [{ id: 'ana', cap: 10 }, { id: 'beto' }],
        lastAssignedId: 'beto',
        openCounts: { ana: 7, beto: 0 },
        defaultCap: 5,
      },
      'ana',
    ],
  ] as const)('round robin %s', (_name, rotation, expected) => {
    const decision = chooseAssignee({ strategy: 'round_robin', ...rotation } as AssignmentRequest);
    expect(decision).toMatchObject({ officerId: expected, outcome: 'chosen' });
  });

  test('a full rotation visits every available officer once', () => {
    let last: string | null = null;
    const seen: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      last = chooseAssignee({ strategy: 'round_robin', members: team, lastAssignedId: last }).officerId;
      seen.push(last);
    }
    expect(seen).toEqual(['ana', 'beto', 'carla', 'dario']);
  });

  test.each([
    [
      'picks the officer with fewest open tickets',
      { members: team, openCounts: { ana: 4, beto: 2, carla: 3, dario: 5 } },
      'beto',
    ],
    [
      'counts a missing officer as empty',
      { members: team, openCounts: { ana: 1, beto: 1, carla: 1 } },
      'dario',
    ],
    [
      'breaks ties in rotation order after the last assignee',
      { members: team, openCounts: { ana: 1, beto: 1, carla: 1, dario: 1 }, lastAssignedId: 'beto' },
      'carla',
    ],
    [
      'breaks ties in team order without history',
      { members: team, openCounts: { ana: 2, beto: 1, carla: 1, dario: 2 } },
      'beto',
    ],
    [
      'skips the least loaded when away',
      { members: [{ id: 'ana', away: true }, { id: 'beto' }], openCounts: { ana: 0, beto: 9 } },
      'beto',
    ],
    [
      'skips officers at the cap',
      { members: team, openCounts: { ana: 3, beto: 3, carla: 3, dario: 2 }, defaultCap: 3 },
      'dario',
    ],
    [
      'lets a personal cap exceed the team cap',
      { members: [{ id: 'ana', cap: 20 }, { id: 'beto' }], openCounts: { ana: 12, beto: 3 }, defaultCap: 3 },
      'ana',
    ],
  ] as const)('least loaded %s', (_name, load, expected) => {
    const decision = chooseAssignee({ strategy: 'least_loaded', ...load } as AssignmentRequest);
    expect(decision).toMatchObject({ officerId: expected, outcome: 'chosen' });
  });

  test.each([
    ['round_robin', { members: [] }, 'no_members'],
    ['least_loaded', { members: [], openCounts: {} }, 'no_members'],
    [
      'round_robin',
      {
        members: [
          { id: 'ana', away: true },
          { id: 'beto', away: true },
        ],
      },
      'all_away',
    ],
    ['least_loaded', { members: [{ id: 'ana', away: true }], openCounts: {} }, 'all_away'],
    [
      'least_loaded',
      { members: [{ id: 'ana', away: true }, { id: 'beto' }], openCounts: { beto: 4 }, defaultCap: 4 },
      'all_at_capacity',
    ],
    ['round_robin', { members: [{ id: 'ana', cap: 1 }], openCounts: { ana: 1 } }, 'all_at_capacity'],
  ] as const)('%s with %o → nobody (%s)', (strategy, input, outcome) => {
    const decision = chooseAssignee({ strategy, ...input } as AssignmentRequest);
    expect(decision).toMatchObject({ officerId: null, outcome });
  });

  test('reports whom it skipped and why', () => {
    const decision = chooseAssignee({
      strategy: 'least_loaded',
      members: [{ id: 'ana', away: true }, { id: 'beto' }, { id: 'carla' }],
      openCounts: { beto: 2, carla: 1 },
      defaultCap: 2,
    });
    expect(decision).toEqual({
      officerId: 'carla',
      outcome: 'chosen',
      reason: 'least loaded (1 open)',
      load: 1,
      skipped: [
        { id: 'ana', why: 'away' },
        { id: 'beto', why: 'at_capacity' },
      ],
    });
  });
});
