import { hostLimiter } from '@quipu/fetch';
import type { CommandContext } from './context.ts';

/**
 * Runs `work` while holding a Redis lock on `key` (the shared slot limiter, one slot, as the
 * harvest locks its sources), so two processes changing the same document take turns: FerretDB
 * applies concurrent updates of one document as read-modify-write and keeps only one of them.
 * Waits up to `waitMs` for the lock, then runs anyway (the lease outlived a crashed holder, or
 * Redis is slow); without Redis it runs at once. MongoDB needs none of this, and loses nothing by it.
 */
export async function withKeyLock<T>(
  ctx: Pick<CommandContext, 'config' | 'redis'>,
  key: string,
  work: () => Promise<T>,
  options: { leaseMs?: number; waitMs?: number } = {},
): Promise<T> {
  const redis = ctx.redis;
  if (redis?.status !== 'ready') return await work();
  const locks = hostLimiter(redis, {
    // The key goes in the prefix: the limiter reads its own key as a URL or host name.
    prefix: `${ctx.config.redis.prefix}:lock:${key}`,
    maxConcurrent: 1,
    minIntervalMs: 0,
    leaseMs: options.leaseMs ?? 30_000,
    maxWaitMs: options.waitMs ?? 10_000,
    retryDelayMs: 25,
  });
  // Busy past the wait, or Redis failing: go on without the lock rather than not at all.
  const lease = await locks.acquire('document').catch(() => null);
  try {
    return await work();
  } finally {
    await lease?.release().catch(() => {});
  }
}
