import Router from '@koa/router';
import { qualityReportRepository, registerModels } from '@quipu/db';
import type { AppDeps } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { registerOperation } from '../../openapi.ts';

registerOperation({
  method: 'get',
  path: '/api/v1/reports/:id',
  summary: 'One check report in full (availability, validity with the first errors, metadata, freshness)',
  tags: ['quality'],
  security: 'public',
  responses: { 200: { description: 'Report' }, 404: { description: 'No such report' } },
});

/** Check reports are about public data and carry nothing personal; withdrawn datasets' reports are hidden. */
export function reportsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/v1/reports' });
  const models = registerModels(deps.connection);
  const reports = qualityReportRepository(models);
  router.get('/:id', async (ctx) => {
    const id = ctx.params.id!;
    const report = /^qr-[0-9a-f]{32}$/.test(id) ? await reports.findById(id) : null;
    if (!report) throw notFound('report');
    const visible = await models.Dataset.exists({ _id: report.datasetId, withdrawnAt: { $exists: false } });
    if (!visible) throw notFound('report');
    ctx.body = {
      id: report._id,
      datasetId: String(report.datasetId),
      resourceId: report.resourceId,
      runId: report.runId,
      checkedAt: report.checkedAt,
      durationMs: report.durationMs,
      url: report.url ?? null,
      skipped: report.skipped ?? null,
      failing: report.failing,
      availability: report.availability,
      validity: report.validity,
      metadata: report.metadata,
      freshness: report.freshness,
    };
  });
  return router;
}
