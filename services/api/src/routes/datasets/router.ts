import Router from '@koa/router';
import {
  type CommandContext,
  type StaffPrincipal,
  subscribeToDatasetQuality,
  unsubscribeDatasetQuality,
  verifyDatasetQualitySubscription,
} from '@quipu/commands';
import { scoreTrend } from '@quipu/core/scoring';
import {
  type CatalogDatasetRecord,
  datasetRepository,
  EVERYTHING,
  harvestSourceRepository,
  isDuplicateKeyError,
  isObjectId,
  PUBLIC,
  type QualityReportRecord,
  qualityReportRepository,
  type ResourceQualityState,
  registerModels,
} from '@quipu/db';
import { type AppDeps, badRequest, conflict, notFound, rateLimit, requireStaff } from '@quipu/http';
import { JOBS } from '@quipu/queue';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';
import {
  checkBody,
  datasetBody,
  datasetPatch,
  harvestSourceBody,
  reportsQuery,
  subscriptionBody,
} from './schema.ts';

const ops: Array<Parameters<typeof registerOperation>[0]> = [
  {
    method: 'get',
    path: '/api/v1/datasets/:id/quality',
    summary: 'Quality of a dataset: score, grade, stars, criteria with hints (es/en), trend, latest reports',
    tags: ['quality'],
    security: 'public',
    responses: { 200: { description: 'Quality' }, 404: { description: 'No such dataset' } },
  },
  {
    method: 'get',
    path: '/api/v1/datasets/:id/reports',
    summary: 'Check reports of a dataset (or one resource), newest first',
    tags: ['quality'],
    security: 'public',
    query: reportsQuery,
    responses: { 200: { description: 'Reports' }, 404: { description: 'No such dataset' } },
  },
  {
    method: 'post',
    path: '/api/v1/datasets/:id/subscriptions',
    summary: 'Subscribe by e-mail to quality events of a dataset (verified by a link)',
    tags: ['quality'],
    security: 'public',
    body: subscriptionBody,
    responses: {
      202: { description: 'Verification e-mail on its way' },
      404: { description: 'No such dataset' },
    },
  },
  {
    method: 'post',
    path: '/api/v1/quality-subscriptions/:token/verify',
    summary: 'Confirm a dataset quality subscription',
    tags: ['quality'],
    security: 'public',
    responses: { 200: { description: 'Verified' }, 404: { description: 'Unknown link' } },
  },
  {
    method: 'post',
    path: '/api/v1/quality-subscriptions/:token/unsubscribe',
    summary: 'End a dataset quality subscription',
    tags: ['quality'],
    security: 'public',
    responses: { 200: { description: 'Unsubscribed' }, 404: { description: 'Unknown link' } },
  },
  {
    method: 'get',
    path: '/api/v1/organisations/:id/quality',
    summary: 'Quality summary of an organisation: datasets, mean score, failing resources',
    tags: ['quality'],
    security: 'public',
    responses: { 200: { description: 'Summary' }, 404: { description: 'No such organisation' } },
  },
  {
    method: 'post',
    path: '/api/v1/admin/datasets',
    summary: 'Register a dataset by hand',
    tags: ['admin'],
    security: 'admin',
    body: datasetBody,
    responses: { 201: { description: 'Created' }, 409: { description: 'Slug taken' } },
  },
  {
    method: 'patch',
    path: '/api/v1/admin/datasets/:id',
    summary: 'Responsible officers, check schedule, failures before a ticket',
    tags: ['admin'],
    security: 'admin',
    body: datasetPatch,
    responses: { 200: { description: 'Changed' }, 404: { description: 'No such dataset' } },
  },
  {
    method: 'post',
    path: '/api/v1/admin/datasets/:id/checks',
    summary: 'Check a dataset (or one resource) now',
    tags: ['admin'],
    security: 'admin',
    body: checkBody,
    responses: { 202: { description: 'Queued' }, 404: { description: 'No such dataset' } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/harvest-sources',
    summary: 'Harvest sources with their last run',
    tags: ['admin'],
    security: 'admin',
    responses: { 200: { description: 'List' } },
  },
  {
    method: 'post',
    path: '/api/v1/admin/harvest-sources',
    summary: 'Add a catalog to harvest (CKAN, DCAT-US, DCAT-AP JSON-LD)',
    tags: ['admin'],
    security: 'admin',
    body: harvestSourceBody,
    responses: { 201: { description: 'Created' }, 409: { description: 'Already registered' } },
  },
];
for (const op of ops) registerOperation(op);

function body(ctx: { request: unknown }): unknown {
  return (ctx.request as { body?: unknown }).body;
}

type QualityBlock = {
  score?: number;
  grade?: string;
  stars?: number;
  criteria?: Array<Record<string, unknown>>;
  dimensions?: unknown[];
  freshness?: string;
  checkedAt?: Date;
  history?: Array<{ at: Date; score: number }>;
  resources?: ResourceQualityState[];
  schedule?: unknown;
  failuresBeforeTicket?: number;
};

function reportSummary(report: QualityReportRecord) {
  return {
    id: report._id,
    resourceId: report.resourceId,
    runId: report.runId,
    checkedAt: report.checkedAt,
    skipped: report.skipped ?? null,
    failing: report.failing,
    availability: {
      ok: report.availability.ok ?? null,
      status: report.availability.status ?? null,
      error: report.availability.error ?? null,
      ms: report.availability.ms ?? null,
    },
    validity: {
      ok: report.validity.ok ?? null,
      errorCount: report.validity.errorCount ?? null,
      counts: report.validity.counts ?? {},
      schemaSource: report.validity.schemaSource ?? null,
    },
    metadata: { ok: report.metadata.ok ?? null, missing: report.metadata.missing ?? [] },
    freshness: { ok: report.freshness.ok ?? null, status: report.freshness.status ?? null },
    url: `/api/v1/reports/${report._id}`,
  };
}

/** Public view of a dataset's quality: no officer ids, no settings, no personal data. */
export async function presentQuality(
  dataset: CatalogDatasetRecord,
  latest: (resourceId: string) => Promise<QualityReportRecord | null>,
) {
  const quality = (dataset.quality ?? {}) as QualityBlock;
  const history = (quality.history ?? []).map((p) => ({ at: p.at, score: p.score }));
  const states = new Map((quality.resources ?? []).map((s) => [s.resourceId, s]));
  const resources = [];
  for (const resource of dataset.resources ?? []) {
    const state = states.get(resource._id);
    const report = state ? await latest(resource._id) : null;
    resources.push({
      id: resource._id,
      name: resource.name ?? null,
      format: resource.format ?? null,
      failing: state?.failing ?? [],
      consecutiveFailures: state?.consecutiveFailures ?? 0,
      firstFailureAt: state?.firstFailureAt ?? null,
      lastSuccessAt: state?.lastSuccessAt ?? null,
      checkedAt: state?.checkedAt ?? null,
      latestReport: report ? reportSummary(report) : null,
    });
  }
  return {
    datasetId: String(dataset._id),
    slug: dataset.slug,
    title: dataset.title,
    score: quality.score ?? null,
    grade: quality.grade ?? null,
    stars: quality.stars ?? null,
    freshness: quality.freshness ?? null,
    checkedAt: quality.checkedAt ?? null,
    criteria: (quality.criteria ?? []).map((c) => ({
      id: c.id,
      dimension: c.dimension,
      label: c.label,
      earned: c.earned,
      possible: c.possible,
      weight: c.weight,
      passed: c.passed,
      hint: c.hint,
    })),
    dimensions: quality.dimensions ?? [],
    trend: { ...scoreTrend(history), history },
    resources,
    badge: `/badges/datasets/${String(dataset._id)}.svg`,
  };
}

/** Public quality pages of datasets and organisations, subscriptions, and the catalog's admin side. */
export function datasetsRouter(deps: AppDeps, commands: CommandContext): Router {
  const router = new Router();
  const models = registerModels(deps.connection);
  const datasets = datasetRepository(models);
  const reports = qualityReportRepository(models);
  const sources = harvestSourceRepository(models);
  const admin = requireStaff({ roles: ['admin'] });
  const scope = (ctx: { state: { principal: StaffPrincipal } }) => ctx.state.principal.scope;
  const latestOf = (datasetId: string) => async (resourceId: string) =>
    (await reports.listByDataset(datasetId, { resourceId, limit: 1 }))[0] ?? null;
  const subscribeLimit = rateLimit({
    redis: deps.redis,
    prefix: deps.queues.prefix,
    name: 'quality-subscribe',
    limit: deps.config.intake.rateLimitPerMinute,
    windowSeconds: 60,
  });
  const queueCheck = async (datasetId: string, runId: string, resourceId?: string) => {
    await JOBS.qualityCheck.add(deps.queues, { datasetId, runId, ...(resourceId ? { resourceId } : {}) });
  };
  // Schedules are declared by the quality worker (its sync job); the API only asks for a sync.
  const requestScheduleSync = async (queue: 'quality' | 'harvest') => {
    const sync = queue === 'quality' ? JOBS.qualityScheduleSync : JOBS.harvestScheduleSync;
    await sync
      .add(deps.queues, {}, { jobId: `sync-schedules-${deps.now().getTime()}` })
      .catch((error: Error) => deps.logger.warn({ err: error.message }, 'schedule sync deferred'));
  };

  router.get('/api/v1/datasets/:id/quality', async (ctx) => {
    const dataset = await datasets.findByKey(PUBLIC, ctx.params.id!);
    if (!dataset) throw notFound('dataset');
    ctx.body = await presentQuality(dataset, latestOf(String(dataset._id)));
  });

  router.get('/api/v1/datasets/:id/reports', async (ctx) => {
    const query = parse(reportsQuery, ctx.query);
    const dataset = await datasets.findByKey(PUBLIC, ctx.params.id!);
    if (!dataset) throw notFound('dataset');
    const items = await reports.listByDataset(String(dataset._id), {
      resourceId: query.resource,
      limit: query.limit,
      before: query.before,
    });
    ctx.body = {
      items: items.map(reportSummary),
      next: items.length === query.limit ? (items.at(-1)?.checkedAt ?? null) : null,
    };
  });

  router.post('/api/v1/datasets/:id/subscriptions', subscribeLimit, async (ctx) => {
    const input = parse(subscriptionBody, body(ctx));
    const dataset = await datasets.findByKey(PUBLIC, ctx.params.id!);
    if (!dataset) throw notFound('dataset');
    // A filled honeypot gets the same answer and nothing happens.
    if (!input.website) {
      const result = await subscribeToDatasetQuality(commands, {
        dataset: String(dataset._id),
        email: input.email,
        language: input.language,
      });
      if (result.verificationJobId) {
        // The outbox entry is the durable record; this add (same job id) only saves the sweep's delay.
        await JOBS.qualitySubscriptionVerification
          .add(deps.queues, { subscriptionId: result.subscriptionId }, { jobId: result.verificationJobId })
          .catch(() => {});
      }
    }
    ctx.status = 202;
    ctx.body = { status: 'pending_verification' };
  });

  router.post('/api/v1/quality-subscriptions/:token/verify', async (ctx) => {
    ctx.body = {
      status: 'verified',
      ...(await verifyDatasetQualitySubscription(commands, ctx.params.token!)),
    };
  });
  router.post('/api/v1/quality-subscriptions/:token/unsubscribe', async (ctx) => {
    ctx.body = { status: 'unsubscribed', ...(await unsubscribeDatasetQuality(commands, ctx.params.token!)) };
  });

  router.get('/api/v1/organisations/:id/quality', async (ctx) => {
    const organisation = await commands.directory.findOrganisation(EVERYTHING, ctx.params.id!);
    if (!organisation) throw notFound('organisation');
    const summary = await reports.organisationSummary(PUBLIC, String(organisation._id));
    ctx.body = {
      organisationId: String(organisation._id),
      slug: organisation.slug,
      name: organisation.name,
      datasets: summary.datasets,
      scoredDatasets: summary.scored,
      meanScore: summary.scored ? Math.round((summary.scoreSum / summary.scored) * 10) / 10 : null,
      failingResources: summary.failingResources.slice(0, 500),
      failingResourceCount: summary.failingResources.length,
    };
  });

  router.post('/api/v1/admin/datasets', admin, async (ctx) => {
    const input = parse(datasetBody, body(ctx));
    const organisation = await commands.directory.findOrganisation(scope(ctx), input.organisation);
    if (!organisation) throw badRequest('unknown_organisation', 'No such organisation.');
    const created = await reports.createManual({
      slug: input.slug,
      title: input.title,
      description: input.description,
      organisationId: String(organisation._id),
      officerIds: input.officerIds,
      tags: input.tags,
      licence: input.licence,
      contactPoint: input.contactEmail ? { name: null, email: input.contactEmail } : undefined,
      updateFrequency: input.updateFrequency,
      landingPage: input.landingPage,
      modified: input.modified,
      resources: input.resources.map((r, i) => ({
        _id: r.id ?? `r${i + 1}`,
        externalId: r.id ?? `r${i + 1}`,
        name: r.name,
        url: r.url,
        ...(r.format ? { format: r.format.toUpperCase() } : {}),
        ...(r.mediaType ? { mediaType: r.mediaType } : {}),
        ...(r.schema ? { schema: r.schema } : {}),
      })),
      quality: {
        ...(input.schedule ? { schedule: input.schedule } : {}),
        ...(input.failuresBeforeTicket ? { failuresBeforeTicket: input.failuresBeforeTicket } : {}),
      },
    });
    if (created === 'slug_taken') throw conflict('slug_taken', 'A dataset already has this slug.');
    await requestScheduleSync('quality');
    ctx.status = 201;
    ctx.body = {
      id: String(created._id),
      slug: created.slug,
      title: created.title,
      organisationId: String(created.organisationId),
      officerIds: (created.officerIds ?? []).map(String),
      resources: created.resources.map((r) => ({ id: r._id, name: r.name ?? null, url: r.url })),
    };
  });

  router.patch('/api/v1/admin/datasets/:id', admin, async (ctx) => {
    const input = parse(datasetPatch, body(ctx));
    const existing = isObjectId(ctx.params.id) ? await datasets.findByKey(scope(ctx), ctx.params.id!) : null;
    if (!existing) throw notFound('dataset');
    const updated = await reports.saveSettings(String(existing._id), input);
    if (!updated) throw notFound('dataset');
    if (input.schedule) await requestScheduleSync('quality');
    const quality = (updated.quality ?? {}) as QualityBlock;
    ctx.body = {
      id: String(updated._id),
      officerIds: (updated.officerIds ?? []).map(String),
      schedule: quality.schedule ?? null,
      failuresBeforeTicket: quality.failuresBeforeTicket ?? null,
    };
  });

  router.post('/api/v1/admin/datasets/:id/checks', admin, async (ctx) => {
    const input = parse(checkBody, body(ctx)) ?? {};
    const dataset = isObjectId(ctx.params.id) ? await datasets.findByKey(scope(ctx), ctx.params.id!) : null;
    if (!dataset) throw notFound('dataset');
    if (input.resourceId && !dataset.resources.some((r) => r._id === input.resourceId))
      throw badRequest('unknown_resource', 'No such resource in this dataset.');
    const runId = `manual-${String(dataset._id)}-${deps.now().getTime()}`;
    await queueCheck(String(dataset._id), runId, input.resourceId);
    ctx.status = 202;
    ctx.body = { status: 'queued', runId };
  });

  router.get('/api/v1/admin/harvest-sources', admin, async (ctx) => {
    ctx.body = { items: (await sources.list(scope(ctx))).map(presentSource) };
  });

  router.post('/api/v1/admin/harvest-sources', admin, async (ctx) => {
    const input = parse(harvestSourceBody, body(ctx));
    let organisationId: string | undefined;
    if (input.organisation) {
      const organisation = await commands.directory.findOrganisation(scope(ctx), input.organisation);
      if (!organisation) throw badRequest('unknown_organisation', 'No such organisation.');
      organisationId = String(organisation._id);
    }
    try {
      const created = await sources.create({
        kind: input.kind,
        url: input.url,
        name: input.name,
        organisationId,
        ...(input.schedule ? { schedule: input.schedule } : {}),
        enabled: input.enabled,
      });
      await requestScheduleSync('harvest');
      ctx.status = 201;
      ctx.body = presentSource(created);
    } catch (error) {
      if (isDuplicateKeyError(error))
        throw conflict('source_exists', 'This catalog is already registered with this kind.');
      throw error;
    }
  });

  return router;
}

function presentSource(source: Awaited<ReturnType<ReturnType<typeof harvestSourceRepository>['create']>>) {
  return {
    id: String(source._id),
    kind: source.kind,
    url: source.url,
    name: source.name,
    organisationId: source.organisationId ? String(source.organisationId) : null,
    schedule: source.schedule,
    enabled: source.enabled,
    lastRunAt: source.lastRunAt ?? null,
    lastSuccessAt: source.lastSuccessAt ?? null,
    lastError: source.lastError ?? null,
    stats: source.stats ?? null,
  };
}
