import { OPEN_STATUSES } from '@quipu/core/tickets';
import type { AssignmentRepository, LoadCounter } from '@quipu/db';
import type { Redis } from 'ioredis';
import type { CommandContext } from './context.ts';

// Officers' open-ticket counts, for least-loaded assignment: a Redis hash moved atomically by
// every ticket write (HINCRBY; FerretDB's `$inc` loses increments under concurrency), rebuilt from
// the tickets, which stay the truth. `…:loads:built` holds when the hash was last rebuilt.
const hashKey = (prefix: string) => `${prefix}:loads`;
const builtKey = (prefix: string) => `${prefix}:loads:built`;

/** The counter the tickets repository moves; a move Redis cannot take marks the counts stale. */
export function redisLoadCounter(
  redis: Redis | undefined,
  prefix: string,
  assignment: AssignmentRepository,
  now: () => Date,
): LoadCounter {
  return {
    async move(from, to) {
      if (from === to) return;
      try {
        if (redis?.status !== 'ready') throw new Error('Redis is not ready');
        const multi = redis.multi();
        if (from) multi.hincrby(hashKey(prefix), from, -1);
        if (to) multi.hincrby(hashKey(prefix), to, 1);
        await multi.exec();
      } catch {
        await assignment.markLoadsDirty(now());
      }
    },
  };
}

// One background rebuild at a time per Redis client (that is, per process).
const rebuilding = new WeakMap<Redis, Promise<unknown>>();

/**
 * Open tickets per officer: from Redis (a hash read, whatever the tickets stored) while its counts
 * are whole; else counted over the tickets for this request while a rebuild runs in the background
 * (once per process), e.g. after Redis was wiped or was down during a move.
 */
export async function openCountsOf(
  ctx: CommandContext,
  officerIds: string[],
): Promise<Record<string, number>> {
  if (officerIds.length === 0) return {};
  const redis = ctx.redis;
  if (redis?.status === 'ready') {
    try {
      const prefix = ctx.config.redis.prefix;
      const [built, values, dirtyAt] = await Promise.all([
        redis.get(builtKey(prefix)),
        redis.hmget(hashKey(prefix), ...officerIds),
        ctx.assignment.loadsDirtyAt(),
      ]);
      if (built && (!dirtyAt || dirtyAt.getTime() < Number(built))) {
        return Object.fromEntries(officerIds.map((id, i) => [id, Math.max(0, Number(values[i] ?? 0))]));
      }
      if (!rebuilding.has(redis)) {
        const run = rebuildAssignmentLoads(ctx)
          .catch(() => {})
          .finally(() => rebuilding.delete(redis));
        rebuilding.set(redis, run);
      }
    } catch {
      // counted below
    }
  }
  return await ctx.tickets.openCountsByAssignee(officerIds, [...OPEN_STATUSES]);
}

/**
 * Recounts every officer's open tickets from the tickets and replaces the Redis counts (nightly,
 * `quipu loads:rebuild`, and on demand when they are stale). Moves made during the pass may be
 * off by one until the next rebuild.
 */
export async function rebuildAssignmentLoads(
  ctx: CommandContext,
): Promise<{ tickets: number; fixed: number; officers: number; stored: boolean }> {
  const startedAt = ctx.now().getTime();
  const { tickets, fixed, counts } = await ctx.assignment.rebuild();
  let stored = false;
  const redis = ctx.redis;
  if (redis?.status === 'ready') {
    const prefix = ctx.config.redis.prefix;
    const multi = redis.multi().del(hashKey(prefix));
    if (counts.size) multi.hset(hashKey(prefix), Object.fromEntries(counts));
    await multi.set(builtKey(prefix), String(startedAt)).exec();
    stored = true;
  }
  return { tickets, fixed, officers: counts.size, stored };
}
