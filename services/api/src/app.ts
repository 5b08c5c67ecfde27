import { constants as zlib } from 'node:zlib';
import { bodyParser } from '@koa/bodyparser';
import { createCommandContext } from '@quipu/commands';
import {
  type AppDeps,
  authenticate,
  badRequest,
  type Mount,
  payloadTooLarge,
  unsupportedMediaType,
} from '@quipu/http';
import Koa from 'koa';
import compress from 'koa-compress';
import helmet from 'koa-helmet';
import { createMetrics } from './metrics.ts';
import { errorBoundary } from './middleware/error-boundary.ts';
import { requestContext } from './middleware/request-context.ts';
import { openapiRouter } from './openapi.ts';
import { mountQueueBoard } from './queue-board.ts';
import { adminRouter } from './routes/admin/router.ts';
import { authRouter } from './routes/auth/router.ts';
import { calendarsRouter } from './routes/calendars/router.ts';
import { catalogRouter } from './routes/catalog/router.ts';
import { qualityRouters } from './routes/datasets/mount.ts';
import { digestsRouter } from './routes/digests/router.ts';
import { healthRouter } from './routes/health/router.ts';
import { intakeRouter } from './routes/intake/router.ts';
import { notificationsRouter } from './routes/notifications/router.ts';
import { preferencesRouter } from './routes/preferences/router.ts';
import { slaRouter } from './routes/sla/router.ts';
import { staffTicketsRouter } from './routes/staff-tickets/router.ts';
import { ticketsRouter } from './routes/tickets/router.ts';
import { trackingRouter } from './routes/tracking/router.ts';
import { webhooksRouter } from './routes/webhooks/router.ts';

/** Builds the Koa app: request context, error boundary, security headers, body limits, routes. */
export function createApp(deps: AppDeps, mounts: Mount[] = []): Koa {
  const app = new Koa({ proxy: deps.config.http.trustProxy });
  const metrics = createMetrics();
  app.context.metrics = metrics;
  app.use(requestContext({ logger: deps.logger }));
  app.use(errorBoundary());
  app.use(metrics.middleware);
  // Pages and JSON compressed (brotli or gzip) above 1 KB: many citizens reach the portal only on
  // mobile data. Brotli at quality 4 costs about what gzip does; 11, its default, is for static files.
  app.use(compress({ threshold: 1024, br: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } } }));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'self'"],
        },
      },
      crossOriginResourcePolicy: false,
    }),
  );
  app.use(async function rejectNonJsonApiBodies(ctx, next) {
    if (ctx.path.startsWith('/api/') && ['POST', 'PUT', 'PATCH'].includes(ctx.method) && ctx.request.length) {
      if (!ctx.is('application/json'))
        throw unsupportedMediaType('Send a JSON body with Content-Type: application/json.');
    }
    await next();
  });
  // Before authentication: a scraper's bearer token is the metrics token, not an API token.
  app.use(metrics.endpoint(deps.config.metrics, 'main'));
  app.use(
    bodyParser({
      enableTypes: ['json', 'form'],
      jsonLimit: `${deps.config.http.bodyLimitKb}kb`,
      formLimit: `${deps.config.http.bodyLimitKb}kb`,
      encoding: 'utf-8',
      onError: (error) => {
        const status = (error as { status?: number }).status;
        throw status === 413
          ? payloadTooLarge(deps.config.http.bodyLimitKb)
          : badRequest('malformed_body', 'The body could not be parsed (JSON or form expected).');
      },
    }),
  );
  const commands = createCommandContext(deps);
  app.context.commands = commands;
  app.use(authenticate({ commands }));
  const routers = [
    healthRouter(deps),
    openapiRouter(),
    intakeRouter(deps, commands),
    ticketsRouter(deps, commands),
    trackingRouter(deps, commands),
    authRouter(deps, commands),
    staffTicketsRouter(deps, commands),
    adminRouter(deps, commands),
    catalogRouter(deps, commands),
    slaRouter(commands),
    calendarsRouter(deps, commands),
    notificationsRouter(commands),
    webhooksRouter(commands),
    digestsRouter(commands),
    preferencesRouter(commands),
    ...qualityRouters(deps, commands),
  ];
  for (const router of routers) {
    app.use(router.routes()).use(router.allowedMethods());
  }
  mountQueueBoard(app, deps);
  for (const mount of mounts) mount(app, deps);
  return app;
}
