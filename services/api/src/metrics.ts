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
  return { registry, middleware, ticketsCreated };
}

export type Metrics = ReturnType<typeof createMetrics>;
