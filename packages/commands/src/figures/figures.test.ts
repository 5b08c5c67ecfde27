import { EVERYTHING, figuresRecount, PUBLIC, type Scope, type View, weekStarts } from '@quipu/db';
import { useHarness } from '@quipu/test/harness';
import { startStack } from '@quipu/test/stack';
import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { figuresReader } from './reader.ts';
import { rebuildFigures, redisFigureCounter } from './rollups.ts';

// The rollups against the recount over the tickets, after a random history written through the
// tickets repository (where the rollups move), some of it concurrently.
const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;

const DAY = 86_400_000;
const NOW = new Date('2026-06-15T17:00:00Z');
const ZONE = 'America/Lima';
const TICKETS = 300;
const CHANGES = 2000;
const ids = (n: number) => Array.from({ length: n }, () => new Types.ObjectId());
const orgs = ids(3);
const teams = ids(4);
const officers = ids(6);

/** A seeded generator, so that a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
  };
}

const STATUSES = {
  complaint: ['new', 'triaged', 'in_progress', 'waiting_reporter', 'resolved', 'closed', 'rejected'],
  data_request: ['submitted', 'under_review', 'planned', 'published', 'rejected'],
  quality_issue: ['open', 'acknowledged', 'in_progress', 'resolved', 'closed'],
} as const;
type Kind = keyof typeof STATUSES;

let serial = 0;
const created: Array<{ id: string; kind: Kind; createdAt: Date }> = [];

async function insertTicket(r: ReturnType<typeof random>) {
  serial += 1;
  const kind = r.pick(['complaint', 'complaint', 'data_request', 'quality_issue'] as const);
  const createdAt = new Date(NOW.getTime() - r.int(150) * DAY - r.int(DAY));
  const ticket = await stack.commands.tickets.insert({
    ref: `FIG-${serial}`,
    kind,
    category: r.pick(['wrong_data', 'missing', 'format', undefined]),
    title: `Caso ${serial}`,
    status: STATUSES[kind][0],
    organisationId: r.pick(orgs),
    ...(r.chance(0.7) ? { teamId: r.pick(teams) } : {}),
    ...(r.chance(0.6) ? { assigneeId: r.pick(officers) } : {}),
    visibility: r.pick(['pending', 'public', 'public', 'hidden']),
    dedupeKey: `fig-${serial}`,
    createdAt,
  });
  created.push({ id: String(ticket._id), kind, createdAt });
}

/** One random change of the kinds the commands make: status, owner, SLA, satisfaction, demand… */
async function changeTicket(r: ReturnType<typeof random>) {
  const ticket = r.pick(created);
  const at = new Date(Math.min(NOW.getTime(), ticket.createdAt.getTime() + r.int(40) * DAY + r.int(DAY)));
  const minutes = (max: number) => (1 + r.int(max)) * 60_000;
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  const inc: Record<string, number> = {};
  switch (r.int(9)) {
    case 0: {
      const status = r.pick(STATUSES[ticket.kind]);
      set.status = status;
      if (['resolved', 'closed', 'published', 'planned'].includes(status)) {
        set.firstResolvedAt = at;
        set.resolvedAt = at;
        set['sla.resolutionMs'] = minutes(9000);
      }
      break;
    }
    case 1:
      if (r.chance(0.2)) unset.push('assigneeId');
      else set.assigneeId = r.pick(officers);
      if (r.chance(0.5)) set.teamId = r.pick(teams);
      break;
    case 2:
      set['sla.firstResponseAt'] = at;
      set['sla.firstResponseMs'] = minutes(3000);
      if (r.chance(0.3)) {
        set['sla.firstResponseBreached'] = true;
        set['sla.breached'] = true;
        set['sla.targets'] = [{ target: 'firstResponse', dueAt: at, breachedAt: at }];
      }
      break;
    case 3:
      set['sla.resolutionBreached'] = true;
      set['sla.breached'] = true;
      set['sla.targets'] = [
        { target: 'firstResponse', dueAt: ticket.createdAt, metAt: at },
        { target: 'resolution', dueAt: at, breachedAt: at },
      ];
      break;
    case 4:
      inc.reopenCount = 1;
      set.status = STATUSES[ticket.kind][1];
      break;
    case 5:
      set.satisfaction = { answer: r.pick(['yes', 'no', 'partly']), at };
      break;
    case 6:
      inc.supportersCount = 1 + r.int(5);
      if (ticket.kind === 'data_request' && r.chance(0.2)) set.fulfilledByDatasetId = new Types.ObjectId();
      break;
    case 7:
      set.visibility = r.pick(['pending', 'public', 'hidden']);
      break;
    default:
      if (r.chance(0.3)) set.organisationId = r.pick(orgs);
      else set.category = r.pick(['wrong_data', 'missing', 'a|b c']);
  }
  await stack.commands.tickets.applyChange(EVERYTHING, { id: ticket.id, set, unset, inc });
}

async function inParallel(n: number, width: number, work: () => Promise<void>) {
  let left = n;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (left > 0) {
        left -= 1;
        await work();
      }
    }),
  );
}

const byKey = <T extends object>(rows: T[], key: keyof T) =>
  [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));

/** Every figure the pages show, for one view and range, from a source with the figures' methods. */
async function everything(
  source: ReturnType<typeof figuresReader> | ReturnType<typeof figuresRecount>,
  view: View,
  from: Date,
  to: Date,
) {
  const starts = weekStarts(
    new Date(to.getTime() - 1),
    ZONE,
    Math.ceil((to.getTime() - from.getTime()) / (7 * DAY)) + 1,
  );
  const breaches = await source.breaches(view, from, to, 100_000);
  const levels = await source.serviceLevels(view, from, to);
  return {
    levels,
    officers: byKey(await source.byOfficer(view, from, to), 'userId'),
    teams: byKey(await source.byTeam(view, from, to), 'teamId'),
    weekly: await source.weekly(view, starts, from, to),
    age: await source.backlogByAge(view, NOW),
    sla: await source.slaBreaches(view, from, to),
    organisations: byKey(await source.byOrganisation(view, from, to), 'organisationId'),
    demand: byKey(await source.demandByOrganisation(view), 'organisationId'),
    top: (await source.topRequests(view, 5)).map((t) => t.ref),
    breaches: {
      ...breaches,
      rows: [...breaches.rows]
        .map((row) => ({ ...row, title: undefined }))
        .sort((a, b) => a.ref.localeCompare(b.ref) || a.target.localeCompare(b.target)),
    },
  };
}

const lima = (day: string) => new Date(`${day}T05:00:00Z`);
const WHOLE: [Date, Date] = [lima('2026-01-01'), lima('2026-06-16')];
const MONTH: [Date, Date] = [lima('2026-05-16'), lima('2026-06-16')];
const MIDDLE: [Date, Date] = [lima('2026-03-02'), lima('2026-04-13')];
/** Views (each scope and slice a page offers) with a date range each (the recount is slow). */
const cases = (): Array<[string, View, [Date, Date]]> => {
  const scope: Scope = { kind: 'organisations', organisationIds: [String(orgs[0]), String(orgs[1])] };
  return [
    ['everything', { scope: EVERYTHING }, WHOLE],
    ['two institutions', { scope }, MONTH],
    ['the public', { scope: PUBLIC }, WHOLE],
    ['one institution', { scope, organisationId: String(orgs[1]) }, MIDDLE],
    ['one team', { scope: EVERYTHING, teamId: String(teams[2]) }, WHOLE],
    ['one officer', { scope, assigneeId: String(officers[3]) }, WHOLE],
  ];
};

async function expectParity() {
  const reader = figuresReader(stack.commands);
  const recount = figuresRecount(stack.commands.models, ZONE);
  for (const [name, view, [from, to]] of cases()) {
    const expected = await everything(recount, view, from, to);
    const got = await everything(reader, view, from, to);
    expect({ name, ...got }).toEqual({ name, ...expected });
  }
  const published = (rows: Awaited<ReturnType<typeof reader.transparency>>) => byKey(rows, 'organisationId');
  expect(published(await reader.transparency(3))).toEqual(published(await recount.transparency(3)));
}

/** Every rollup key and its content (to see that a replay or a rebuild changes nothing). */
async function snapshot(): Promise<Record<string, unknown>> {
  const redis = stack.runtime.redis;
  const keys = (await redis.keys(`${stack.runtime.config.redis.prefix}:fig:*`)).filter(
    (k) => !k.endsWith(':built'),
  );
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) {
    const type = await redis.type(key);
    out[key] =
      type === 'hash'
        ? await redis.hgetall(key)
        : type === 'zset'
          ? await redis.zrange(key, 0, -1, 'WITHSCORES')
          : (await redis.smembers(key)).sort();
  }
  return out;
}

beforeAll(async () => {
  stack = await startStack(harness, { workers: false, now: NOW });
  const r = random(20260615);
  await inParallel(TICKETS, 6, () => insertTicket(r));
  await inParallel(CHANGES, 8, () => changeTicket(r));
}, 600_000);

describe('figures from rollups', () => {
  it('equal a recount from the tickets, for every view, after a random history', async () => {
    expect(created).toHaveLength(TICKETS);
    await expectParity();
  }, 300_000);

  it('move nothing when a ticket is settled again (a replay)', async () => {
    const before = await snapshot();
    const counter = redisFigureCounter(
      stack.runtime.redis,
      stack.runtime.config.redis.prefix,
      stack.commands.figureRollups,
      () => NOW,
    );
    for (const { id } of created.slice(0, 100)) await stack.commands.figureRollups.settle(id, counter);
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it('are rebuilt to the same counters, also while tickets change during the pass', async () => {
    const before = await snapshot();
    const rebuilt = await rebuildFigures(stack.commands);
    expect(rebuilt).toMatchObject({ tickets: TICKETS, stored: true });
    expect(await snapshot()).toEqual(before);

    // Changes while a pass runs: journaled and replayed, so the result is what a quiet pass gives.
    const r = random(7);
    const [during] = await Promise.all([
      rebuildFigures(stack.commands),
      inParallel(300, 4, () => changeTicket(r)),
    ]);
    expect(during.stored).toBe(true);
    expect(during.replayed).toBeGreaterThan(0);
    const afterPass = await snapshot();
    await rebuildFigures(stack.commands);
    expect(await snapshot()).toEqual(afterPass);
  }, 300_000);

  it('say they are stale after Redis lost them, and come back whole from a rebuild', async () => {
    const reader = figuresReader(stack.commands);
    expect((await reader.freshness()).stale).toBe(false);
    const before = await snapshot();
    const redis = stack.runtime.redis;
    const keys = await redis.keys(`${stack.runtime.config.redis.prefix}:fig:*`);
    await redis.del(...keys);
    expect((await reader.freshness()).stale).toBe(true);
    await rebuildFigures(stack.commands);
    expect((await reader.freshness()).stale).toBe(false);
    expect(await snapshot()).toEqual(before);
  }, 300_000);

  it('mark themselves stale when a move cannot reach Redis', async () => {
    const reader = figuresReader(stack.commands);
    const counter = redisFigureCounter(
      undefined,
      stack.runtime.config.redis.prefix,
      stack.commands.figureRollups,
      () => NOW,
    );
    const ticket = await stack.runtime.connection.collection('tickets').findOne({});
    const facts = (await import('@quipu/db')).figureFacts(ticket as Record<string, unknown>, ZONE);
    await counter.move(String(ticket!._id), null, facts);
    expect((await reader.freshness()).stale).toBe(true);
  });
});
