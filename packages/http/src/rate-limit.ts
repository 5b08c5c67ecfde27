import type { Redis } from 'ioredis';
import type { Middleware } from 'koa';
import type { AppDeps } from './context.ts';
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

/** Per-minute budgets of the public doors that both the JSON API and the pages open. */
const PUBLIC_BUDGETS = {
  /** Complaints and data requests, by `POST /api/v1/complaints|data-requests` or the report form. */
  intake: (config: AppDeps['config']) => config.intake.rateLimitPerMinute,
  /** Supporting, following and flagging public tickets. */
  engage: () => 30,
  /** The reporter's tracking link: view, comment, "was it solved?", unsubscribe. */
  tracking: () => 60,
} as const;

/**
 * The limit of one public door, counted in one bucket per client whichever side it is reached
 * through: the API and the pages share the key, so a client never gets the budget twice.
 */
export function publicRateLimit(
  deps: Pick<AppDeps, 'config' | 'redis'>,
  bucket: keyof typeof PUBLIC_BUDGETS,
) {
  return rateLimit({
    redis: deps.redis,
    prefix: deps.config.redis.prefix,
    name: bucket,
    limit: PUBLIC_BUDGETS[bucket](deps.config),
    windowSeconds: 60,
  });
}
