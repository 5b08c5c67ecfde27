import Router from '@koa/router';
import { pingDatabase } from '@quipu/db';
import type { AppDeps } from '@quipu/http';
import { pingRedis } from '@quipu/queue';

/** Liveness (the process answers), readiness (MongoDB and Redis answer now); metrics are in metrics.ts. */
export function healthRouter(deps: AppDeps): Router {
  const router = new Router();
  router.get('/health/live', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/health/ready', async (ctx) => {
    const [mongodb, redis] = await Promise.all([pingDatabase(deps.connection), pingRedis(deps.redis)]);
    const ready = mongodb && redis;
    ctx.status = ready ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      status: ready ? 'ready' : 'unavailable',
      checks: { mongodb: mongodb ? 'up' : 'down', redis: redis ? 'up' : 'down' },
    };
  });
  return router;
}
