import Router from '@koa/router';
import { findPublicReport } from '@quipu/commands';
import { registerModels } from '@quipu/db';
import { type AppDeps, notFound, presentReport } from '@quipu/http';
import { registerOperation } from '../../openapi.ts';

registerOperation({
  method: 'get',
  path: '/api/v1/reports/:id',
  summary: 'One check report in full (availability, validity with the first errors, metadata, freshness)',
  tags: ['quality'],
  security: 'public',
  responses: { 200: { description: 'Report' }, 404: { description: 'No such report' } },
});

export function reportsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/v1/reports' });
  const models = registerModels(deps.connection);
  router.get('/:id', async (ctx) => {
    const report = await findPublicReport(models, ctx.params.id!);
    if (!report) throw notFound('report');
    ctx.body = presentReport(report);
  });
  return router;
}
