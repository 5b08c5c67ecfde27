import {
  decodeFacts,
  encodeFacts,
  type FigureCounter,
  type FigureFacts,
  type FigureRollupRepository,
  type FigureSettler,
  type Tally,
  tallies,
  tallyMove,
} from '@quipu/db';
import type { Redis } from 'ioredis';
import type { CommandContext } from '../context.ts';
import { withKeyLock } from '../key-lock.ts';

// The figures' rollups in Redis, where increments are atomic (FerretDB's `$inc` loses them under
// concurrency). Per institution: `…:fig:<org>:m:YYYY-MM` (daily counters of one month),
// `…:fig:<org>:all` (all-time counters), `…:fig:<org>:open` (open tickets by day received) and
// the lists `…:fig:<org>:z:<name>`; `…:fig:orgs` and `…:fig:<org>:months` say which exist;
// `…:fig:built` holds when they were last rebuilt from the tickets (commands/figures/rebuild.ts).
export const figureKeys = (prefix: string) => ({
  root: `${prefix}:fig`,
  built: `${prefix}:fig:built`,
  rebuilding: `${prefix}:fig:rebuilding`,
  journal: `${prefix}:fig:journal`,
  orgs: `${prefix}:fig:orgs`,
  months: (org: string) => `${prefix}:fig:${org}:months`,
  hash: (org: string, hash: string) => `${prefix}:fig:${org}:${hash}`,
  set: (org: string, set: string) => `${prefix}:fig:${org}:z:${set}`,
});

// One move, applied at once: counters that reach zero are dropped, so a hash holds only what
// some ticket still counts for. While a rebuild runs (KEYS[1] exists) the move is also journaled
// (KEYS[2], ARGV[1]) for the rebuild to replay. ARGV[2…]: groups of four (op, key, field or
// member, amount or score).
const APPLY = `
if ARGV[1] ~= '' and redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RPUSH', KEYS[2], ARGV[1]) end
for i = 2, #ARGV, 4 do
  local op, key, a, b = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if op == 'h' then
    if redis.call('HINCRBY', key, a, b) == 0 then redis.call('HDEL', key, a) end
  elseif op == 'za' then
    redis.call('ZADD', key, b, a)
  elseif op == 'zr' then
    redis.call('ZREM', key, a)
  else
    redis.call('SADD', key, a)
  end
end
return 1`;

interface Applying {
  quipuFiguresApply(...args: string[]): Promise<unknown>;
}

/** The client (and its MULTIs) with APPLY as a command of its own (sent by its SHA once loaded). */
function withApply(redis: Redis): Redis & Applying {
  const r = redis as Redis & Partial<Applying>;
  if (!r.quipuFiguresApply) r.defineCommand('quipuFiguresApply', { numberOfKeys: 2, lua: APPLY });
  return r as Redis & Applying;
}

/** The Redis commands (as APPLY's ARGV) that add `counts` and `members`. */
export function applyArgs(
  prefix: string,
  counts: ReadonlyArray<Extract<Tally, { kind: 'count' }>>,
  added: ReadonlyArray<Extract<Tally, { kind: 'member' }>>,
  removed: ReadonlyArray<Extract<Tally, { kind: 'member' }>>,
): string[] {
  const keys = figureKeys(prefix);
  const args: string[] = [];
  const orgs = new Set<string>();
  const months = new Set<string>();
  for (const c of counts) {
    args.push('h', keys.hash(c.organisationId, c.hash), c.field, String(c.n));
    orgs.add(c.organisationId);
    if (c.hash.startsWith('m:')) months.add(`${c.organisationId}\u0000${c.hash.slice(2)}`);
  }
  for (const m of removed) args.push('zr', keys.set(m.organisationId, m.set), m.member, '0');
  for (const m of added) args.push('za', keys.set(m.organisationId, m.set), m.member, String(m.score));
  for (const org of orgs) args.push('s', keys.orgs, org, '0');
  for (const key of months) {
    const [org, month] = key.split('\u0000') as [string, string];
    args.push('s', keys.months(org), month, '0');
  }
  return args;
}

/** The counter the tickets repository moves; a move Redis cannot take marks the rollups stale. */
export function redisFigureCounter(
  redis: Redis | undefined,
  prefix: string,
  rollups: Pick<FigureRollupRepository, 'markDirty'>,
  now: () => Date,
): FigureCounter {
  return {
    async move(ticketId: string, before: FigureFacts | null, after: FigureFacts | null) {
      const { counts, added, removed } = tallyMove(ticketId, before, after);
      if (!counts.length && !added.length && !removed.length) return;
      try {
        if (redis?.status !== 'ready') throw new Error('Redis is not ready');
        const keys = figureKeys(prefix);
        const entry = JSON.stringify([ticketId, encodeFacts(before), encodeFacts(after)]);
        await withApply(redis).quipuFiguresApply(
          keys.rebuilding,
          keys.journal,
          entry,
          ...applyArgs(prefix, counts, added, removed),
        );
      } catch {
        await rollups.markDirty(now());
      }
    },
  };
}

/** Settles a written ticket's facts, one settle of a ticket at a time (a Redis lock on its id). */
export function lockedFigureSettler(
  ctx: Pick<CommandContext, 'config' | 'redis'>,
  rollups: Pick<FigureRollupRepository, 'inserted' | 'settle'>,
  counter: FigureCounter,
): FigureSettler {
  return {
    inserted: (ticket) => rollups.inserted(ticket, counter),
    settle: (ticketId) =>
      withKeyLock(ctx, `figures:${ticketId}`, () => rollups.settle(ticketId, counter), {
        leaseMs: 10_000,
        waitMs: 5_000,
      }),
  };
}

/** Every key of the rollups (for a rebuild that replaces them). */
async function rollupKeys(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${figureKeys(prefix).root}:*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

type Count = Extract<Tally, { kind: 'count' }>;
type Member = Extract<Tally, { kind: 'member' }>;

/** Totals of counters and list entries, added to by tallies (counts summed, members kept by key). */
class Totals {
  counts = new Map<string, Count>();
  members = new Map<string, Member>();

  add(list: readonly Tally[], sign: 1 | -1): void {
    for (const t of list) {
      if (t.kind === 'member') {
        const key = `${t.organisationId}\u0000${t.set}\u0000${t.member}`;
        if (sign === 1) this.members.set(key, t);
        else this.members.delete(key);
        continue;
      }
      const key = `${t.organisationId}\u0000${t.hash}\u0000${t.field}`;
      const seen = this.counts.get(key);
      if (seen) seen.n += sign * t.n;
      else this.counts.set(key, { ...t, n: sign * t.n });
    }
  }

  clone(): Totals {
    const copy = new Totals();
    for (const [k, c] of this.counts) copy.counts.set(k, { ...c });
    copy.members = new Map(this.members);
    return copy;
  }
}

/**
 * Recomputes the rollups from the tickets in one cursor pass and replaces them in one MULTI
 * (readers see the old ones or the new ones): `quipu figures:rebuild`, nightly, and in the
 * background whenever Redis lost them or missed a move. Moves made during the pass are journaled
 * and replayed onto the pass's totals when the pass read the ticket before them, so that none is
 * lost or counted twice; the MULTI is retried if one more arrives while it is prepared.
 */
export async function rebuildFigures(
  ctx: Pick<CommandContext, 'config' | 'figureRollups' | 'now' | 'redis'>,
): Promise<{ tickets: number; counters: number; listed: number; replayed: number; stored: boolean }> {
  const startedAt = ctx.now().getTime();
  const redis = ctx.redis;
  const prefix = ctx.config.redis.prefix;
  const keys = figureKeys(prefix);
  const live = redis?.status === 'ready' ? redis : null;
  // An hour is far longer than any pass; a rebuild that died leaves no journal growing for ever.
  if (live) await live.multi().del(keys.journal).set(keys.rebuilding, String(startedAt), 'EX', 3600).exec();
  const totals = new Totals();
  const read = new Map<string, string>();
  const { tickets } = await ctx.figureRollups.scan((ticketId, facts, encoded) => {
    totals.add(tallies(facts, ticketId), 1);
    read.set(ticketId, encoded);
  });
  if (live?.status !== 'ready') {
    return { tickets, counters: totals.counts.size, listed: totals.members.size, replayed: 0, stored: false };
  }
  // WATCH holds for a connection: the swap runs on one of its own.
  const own = live.duplicate({ enableOfflineQueue: true });
  try {
    for (let attempt = 0; ; attempt += 1) {
      await own.watch(keys.journal);
      const journal = await own.lrange(keys.journal, 0, -1);
      const final = totals.clone();
      const state = new Map(read);
      let replayed = 0;
      for (const line of journal) {
        const [ticketId, , after] = JSON.parse(line) as [string, string | null, string | null];
        const current = state.get(ticketId) ?? null;
        if (current === after) continue; // the pass read the ticket after this move
        // What the pass (or an earlier move) counted gives way to the move's result: usually the
        // move's own `before`, but a settle racing the pass may have moved from facts it never saw.
        final.add(tallies(decodeFacts(current), ticketId), -1);
        final.add(tallies(decodeFacts(after), ticketId), 1);
        if (after) state.set(ticketId, after);
        else state.delete(ticketId);
        replayed += 1;
      }
      const old = await rollupKeys(own, prefix);
      const multi = withApply(own).multi() as ReturnType<Redis['multi']> & Applying;
      for (let i = 0; i < old.length; i += 1000) multi.del(...old.slice(i, i + 1000));
      const counts = [...final.counts.values()].filter((c) => c.n !== 0);
      const args = applyArgs(prefix, counts, [...final.members.values()], []);
      // Through the same script, in slices (a call's arguments are bounded), inside the one MULTI.
      for (let i = 0; i < args.length; i += 4000) {
        multi.quipuFiguresApply(keys.rebuilding, keys.journal, '', ...args.slice(i, i + 4000));
      }
      multi.del(keys.journal, keys.rebuilding).set(keys.built, String(startedAt));
      if ((await multi.exec()) !== null || attempt >= 20) {
        return { tickets, counters: counts.length, listed: final.members.size, replayed, stored: true };
      }
    }
  } finally {
    own.disconnect();
  }
}
