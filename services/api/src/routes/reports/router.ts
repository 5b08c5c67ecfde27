import Router from '@koa/router';
import { type Models, type QualityReportRecord, qualityReportRepository, registerModels } from '@quipu/db';
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

/**
 * A report the public may read: a well-formed id, stored, of a dataset not withdrawn. Check
 * reports are about public data and carry nothing personal; withdrawn datasets' reports are
 * hidden. Shared with the web's report page, so both answer 404 alike.
 */
export async function findPublicReport(models: Models, id: string): Promise<QualityReportRecord | null> {
  if (!/^qr-[0-9a-f]{32}$/.test(id)) return null;
  const report = await qualityReportRepository(models).findById(id);
  if (!report) return null;
  const visible = await models.Dataset.exists({ _id: report.datasetId, withdrawnAt: { $exists: false } });
  return visible ? report : null;
}

/** The public body of a report (the API's answer and the web's JSON download). */
export function presentReport(report: QualityReportRecord) {
  return {
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
}

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
