import type { Redis } from 'ioredis';
import type { Middleware } from 'koa';
import { tooManyRequests } from './errors.ts';

/**
 * Fixed-window limit per client in Redis (shared by every API process). If Redis is down the
 * request goes through: a complaint must not be lost because the limiter cannot count.
 */
export function rateLimit(options: {
  redis: Redis;
  prefix: string;
  name: string;
  limit: number;
  windowSeconds: number;
  /** Extra part of the client key (e.g. the e-mail tried at login). */
  keyOf?: (ctx: Parameters<Middleware>[0]) => string;
}): Middleware {
  return async function rateLimitMiddleware(ctx, next) {
    const window = Math.floor(Date.now() / 1000 / options.windowSeconds);
    const extra = options.keyOf ? `:${options.keyOf(ctx)}` : '';
    const key = `${options.prefix}:rl:${options.name}:${ctx.ip}${extra}:${window}`;
    let count = 0;
    try {
      const result = await options.redis.multi().incr(key).expire(key, options.windowSeconds).exec();
      count = Number(result?.[0]?.[1] ?? 0);
    } catch {
      count = 0;
    }
    if (count > options.limit) {
      const retryAfter = options.windowSeconds - (Math.floor(Date.now() / 1000) % options.windowSeconds);
      throw tooManyRequests(Math.max(1, retryAfter));
    }
    await next();
  };
}
