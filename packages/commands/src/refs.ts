import type { CommandContext } from './context.ts';

/** Claims given up on before a reference is refused (each lost race costs one). */
const MAX_CLAIMS = 200;

// Raises the Redis counter to a number found taken in MongoDB, never lowers it (a counter
// restored from an old snapshot or lost would otherwise hand out taken numbers for ever).
const RAISE_TO = `local c = tonumber(redis.call('GET', KEYS[1]) or '0')
if c < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return c`;

/**
 * Reserves the next human reference number of a year, unique and gapless whether Redis is up,
 * down, flapping, emptied or restored from an old snapshot.
 *
 * MongoDB decides: a number belongs to whoever inserts its claim first (`refRepository`), and the
 * claimed numbers form an unbroken run 1…N. Redis INCR only spreads concurrent callers over
 * different numbers so they rarely race for the same claim. When a candidate is taken (Redis
 * behind, or Redis down and the MongoDB hint lagging), a galloping search over claims finds N+1
 * in O(log distance) reads by `_id`, and Redis is raised to it. Nothing scans the tickets.
 *
 * A number is skipped only if the process dies, or the database fails, between the claim and
 * the ticket's insert.
 */
export async function nextRefNumber(ctx: CommandContext, year: number): Promise<number> {
  const floor = await ctx.refs.legacyFloor(year);
  const fromRedis = await redisNext(ctx, year);
  let candidate = fromRedis !== undefined && fromRedis > floor ? fromRedis : undefined;
  if (candidate === undefined) candidate = Math.max(floor, await ctx.refs.hint(year)) + 1;
  for (let attempt = 0; attempt < MAX_CLAIMS; attempt += 1) {
    if (await ctx.refs.claim(year, candidate)) {
      // The MongoDB hint is kept only when Redis did not hand the number out (it is where a
      // search starts when Redis is gone); with Redis, one write per ticket saved.
      if (candidate !== fromRedis) {
        await ctx.refs.raiseHint(year, candidate);
        await raiseRedis(ctx, year, candidate);
      }
      return candidate;
    }
    const from = Math.max(candidate + 1, floor + 1, (await ctx.refs.hint(year)) + 1);
    candidate = await firstUnclaimed(ctx, year, from);
  }
  throw new Error(`no free reference number for ${year} after ${MAX_CLAIMS} claims`);
}

/** The first unclaimed number ≥ `from`, claims being a prefix: gallop up, then bisect. */
async function firstUnclaimed(ctx: CommandContext, year: number, from: number): Promise<number> {
  if (!(await ctx.refs.isClaimed(year, from))) return from;
  let taken = from;
  let step = 1;
  let free = from + step;
  while (await ctx.refs.isClaimed(year, free)) {
    taken = free;
    step *= 2;
    free = from + step;
  }
  while (free - taken > 1) {
    const mid = taken + Math.floor((free - taken) / 2);
    if (await ctx.refs.isClaimed(year, mid)) taken = mid;
    else free = mid;
  }
  return free;
}

function redisKey(ctx: CommandContext, year: number): string {
  return `${ctx.config.redis.prefix}:ref:${year}`;
}

async function redisNext(ctx: CommandContext, year: number): Promise<number | undefined> {
  if (ctx.redis?.status !== 'ready') return undefined;
  try {
    return await ctx.redis.incr(redisKey(ctx, year));
  } catch {
    return undefined;
  }
}

async function raiseRedis(ctx: CommandContext, year: number, seq: number): Promise<void> {
  if (ctx.redis?.status !== 'ready') return;
  try {
    await ctx.redis.eval(RAISE_TO, 1, redisKey(ctx, year), String(seq));
  } catch {
    // Redis catches up at the next search.
  }
}
