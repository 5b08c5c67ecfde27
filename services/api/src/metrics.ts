import { timingSafeEqual } from 'node:crypto';
import type { Config } from '@quipu/config';
import { notFound, unauthenticated } from '@quipu/http';
import type { Middleware } from 'koa';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per app (tests build several apps in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'quipu_' });
  const httpDuration = new Histogram({
    name: 'quipu_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const ticketsCreated = new Counter({
    name: 'quipu_tickets_created_total',
    help: 'Tickets created, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const middleware: Middleware = async function metricsMiddleware(ctx, next) {
    const end = httpDuration.startTimer();
    try {
      await next();
    } finally {
      // The matched route pattern, never the raw path (keeps label cardinality bounded).
      const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      end({ method: ctx.method, route: String(route), status: String(ctx.status) });
    }
  };
  return {
    registry,
    middleware,
    ticketsCreated,
    endpoint: (config: Config['metrics'], listener: 'main' | 'metrics') =>
      metricsEndpoint(registry, config, listener),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameSecret(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `GET /metrics`, which tells anyone the traffic, error rates and queue of the service, so it is
 * never public by default. With `metrics.port`, it is served on that listener only (the main one
 * answers 404). With `metrics.token`, the scraper must send it as a bearer token (401 otherwise).
 * With neither, only a client on this machine reaching the process directly (loopback socket,
 * no proxy's forwarding header) gets it; anyone else gets 404.
 */
function metricsEndpoint(
  registry: Registry,
  config: Config['metrics'],
  listener: 'main' | 'metrics',
): Middleware {
  return async function metricsEndpointMiddleware(ctx, next) {
    if (ctx.path !== '/metrics') return await next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return await next();
    if (listener === 'main' && config.port !== undefined) throw notFound('route');
    if (config.token !== undefined) {
      const header = ctx.get('Authorization');
      const sent = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      if (!sameSecret(sent, config.token)) throw unauthenticated('This needs the metrics token.');
    } else if (listener === 'main') {
      const peer = ctx.req.socket.remoteAddress ?? '';
      const forwarded = ctx.get('X-Forwarded-For') || ctx.get('Forwarded');
      if (!LOOPBACK.has(peer) || forwarded) throw notFound('route');
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  };
}
