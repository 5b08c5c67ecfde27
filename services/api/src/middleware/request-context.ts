import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';

const ACCEPTABLE_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Path segments this long are link tokens or ids, never words of a route. */
const SECRET_LIKE_SEGMENT = /^[^/]{20,}$/;

/**
 * What the access log names a request by: the matched route pattern (`/seguimiento/:token`),
 * because tracking and verification tokens are path segments and a tracking token opens the
 * reporter's view. A request no router matched (assets, 404s) keeps its short segments only.
 * The query string is never logged: it may carry tokens too.
 */
export function routeOf(ctx: { _matchedRoute?: unknown; path: string }): string {
  if (typeof ctx._matchedRoute === 'string') return ctx._matchedRoute;
  return ctx.path
    .split('/')
    .map((segment) => (SECRET_LIKE_SEGMENT.test(segment) ? ':redacted' : segment))
    .join('/');
}

/** Gives each request an id (kept from X-Request-Id when sane), a child logger, and an access log line. */
export function requestContext(options: { logger: Logger }): Middleware {
  return async function requestContextMiddleware(ctx, next) {
    const incoming = ctx.get('X-Request-Id');
    const requestId = ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = options.logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      ctx.state.log.info(
        {
          method: ctx.method,
          route: routeOf(ctx as unknown as Parameters<typeof routeOf>[0]),
          status: ctx.status,
          ms,
        },
        'request',
      );
    }
  };
}
