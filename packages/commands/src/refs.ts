import { parseRef, refCounterKey } from '@quipu/core/tickets';
import type { CommandContext } from './context.ts';

/**
 * The next human reference number of a year. Redis INCR hands out numbers atomically on every
 * backend (FerretDB's `$inc` is not atomic under concurrency, and colliding numbers would cost
 * retries); a missing key is seeded from the highest reference stored in MongoDB, so Redis holds
 * nothing that cannot be rebuilt. Without Redis, the MongoDB counter. The unique index on `ref`
 * remains the last guard either way (callers retry on a duplicate).
 */
export async function nextRefNumber(ctx: CommandContext, year: number): Promise<number> {
  const redis = ctx.redis;
  if (redis && redis.status === 'ready') {
    try {
      const key = `${ctx.config.redis.prefix}:ref:${year}`;
      const seq = await redis.incr(key);
      if (seq !== 1) return seq;
      const floor = Math.max(
        await highestRefNumber(ctx, year),
        await ctx.tickets.counterValue(refCounterKey(year)),
      );
      return floor > 0 ? await redis.incrby(key, floor) : seq;
    } catch {
      // fall through to MongoDB
    }
  }
  return await ctx.tickets.nextRefNumber(refCounterKey(year));
}

async function highestRefNumber(ctx: CommandContext, year: number): Promise<number> {
  const refs = await ctx.tickets.recentRefsOfYear(year, 50);
  return refs.reduce((max, ref) => Math.max(max, parseRef(ref)?.seq ?? 0), 0);
}
