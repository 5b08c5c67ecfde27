import { randomUUID } from 'node:crypto';
import type { CommandContext } from './context.ts';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Runs `work` while holding a Redis lock on `key` (SET NX PX, released only by its holder), so two
 * processes changing the same document take turns: FerretDB applies concurrent updates of one
 * document as read-modify-write and keeps only one of them. Waits up to `waitMs` for the lock,
 * then runs anyway (the lease outlived a crashed holder, or Redis is slow); without Redis it
 * runs at once. MongoDB needs none of this, and loses nothing by it.
 */
export async function withKeyLock<T>(
  ctx: CommandContext,
  key: string,
  work: () => Promise<T>,
  options: { leaseMs?: number; waitMs?: number } = {},
): Promise<T> {
  const redis = ctx.redis;
  if (redis?.status !== 'ready') return await work();
  const lock = `${ctx.config.redis.prefix}:lock:${key}`;
  const token = randomUUID();
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  let held = false;
  try {
    for (;;) {
      held = (await redis.set(lock, token, 'PX', options.leaseMs ?? 30_000, 'NX')) === 'OK';
      if (held || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } catch {
    held = false;
  }
  try {
    return await work();
  } finally {
    if (held) await redis.eval(RELEASE, 1, lock, token).catch(() => {});
  }
}
