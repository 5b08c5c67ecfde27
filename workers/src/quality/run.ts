import {
  DEFAULT_FAILURES_BEFORE_TICKET,
  type QualityTicketOutcome,
  qualityDedupeKey,
  reportPath,
  syncQualityTicket,
} from '@quipu/commands';
import { type DatasetChecks, type ScorableDataset, scoreDataset, scoreTrend } from '@quipu/core/scoring';
import {
  type CatalogDatasetRecord,
  type DatasetQualityBlock,
  datasetRepository,
  EVERYTHING,
  QUALITY_HISTORY_KEPT,
  type QualityFamily,
  type QualityReportRecord,
  qualityReportRepository,
  type ResourceQualityState,
  registerModels,
  ticketRepository,
} from '@quipu/db';
import { type HostLimiter, hostLimiter } from '@quipu/fetch';
import { type Runtime, workerCommands } from '../runtime.ts';
import { type CheckableResource, checkResource, freshnessFamily, metadataFamily } from './check.ts';
import { notifySubscribers, type QualityMail } from './subscribers.ts';

/** Politeness towards one host across every worker process (the portal's publishers are small servers). */
export const QUALITY_POLITENESS = { maxConcurrent: 2, minIntervalMs: 200, maxWaitMs: 10 * 60_000 };

const limiters = new WeakMap<object, { hosts: HostLimiter; datasets: HostLimiter }>();

function limitersFor(runtime: Runtime): { hosts: HostLimiter; datasets: HostLimiter } {
  let found = limiters.get(runtime.redis);
  if (!found) {
    found = {
      hosts: hostLimiter(runtime.redis, {
        prefix: `${runtime.queues.prefix}:quality`,
        ...QUALITY_POLITENESS,
      }),
      // One run per dataset at a time, across processes (a scheduled run and a harvest's run may
      // meet): the run is the only writer of the dataset's quality block. A try-lock; a busy
      // dataset fails the job, which BullMQ retries with backoff.
      datasets: hostLimiter(runtime.redis, {
        prefix: `${runtime.queues.prefix}:quality-run`,
        maxConcurrent: 1,
        minIntervalMs: 0,
        maxWaitMs: 0,
      }),
    };
    limiters.set(runtime.redis, found);
  }
  return found;
}

export interface QualityRunResult {
  status: 'done' | 'skipped';
  reason?: string;
  reports?: Array<{ id: string; resourceId: string; failing: string[]; created: boolean; skipped?: string }>;
  tickets?: Array<{ key: string; action: string; ticketId?: string }>;
  score?: number;
}

type DatasetDoc = CatalogDatasetRecord & {
  quality?: Partial<DatasetQualityBlock> & {
    failuresBeforeTicket?: number;
    datasetFamilies?: Partial<Record<QualityFamily, { ok: boolean; streak: number; runId: string }>>;
  };
};

function nextState(
  previous: ResourceQualityState | undefined,
  report: QualityReportRecord,
  now: Date,
): ResourceQualityState {
  const failing = report.failing;
  const availabilityOk = !failing.includes('availability');
  const validityMeasured = report.validity.ok === true || report.validity.ok === false;
  const streak = (family: QualityFamily, measured: boolean) =>
    !measured
      ? (previous?.streaks?.[family] ?? 0)
      : failing.includes(family)
        ? (previous?.streaks?.[family] ?? 0) + 1
        : 0;
  const consecutiveFailures = availabilityOk ? 0 : (previous?.consecutiveFailures ?? 0) + 1;
  return {
    resourceId: report.resourceId,
    lastRunId: report.runId,
    lastReportId: report._id,
    checkedAt: now,
    failing,
    streaks: { availability: streak('availability', true), validity: streak('validity', validityMeasured) },
    consecutiveFailures,
    firstFailureAt: availabilityOk
      ? null
      : previous?.consecutiveFailures
        ? (previous.firstFailureAt ?? now)
        : now,
    lastFailureAt: availabilityOk ? (previous?.lastFailureAt ?? null) : now,
    lastSuccessAt: availabilityOk ? now : (previous?.lastSuccessAt ?? null),
    etag: report.etag ?? (availabilityOk ? null : (previous?.etag ?? null)),
    lastModified: report.lastModified ?? (availabilityOk ? null : (previous?.lastModified ?? null)),
    validity: validityMeasured
      ? {
          ok: report.validity.ok,
          errorCount: report.validity.errorCount ?? 0,
          counts: report.validity.counts ?? {},
          schemaSource: report.validity.schemaSource ?? null,
          reportId: (report.validity.reusedFrom as string | undefined) ?? report._id,
        }
      : (previous?.validity ?? null),
    availability: {
      ok: availabilityOk,
      status: (report.availability.status as number | null) ?? null,
      contentTypeMatches: (report.availability.contentTypeMatches as boolean | null) ?? null,
    },
  };
}

function scorable(dataset: DatasetDoc): ScorableDataset {
  const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
  return {
    source: dataset.source,
    externalId: dataset.externalId,
    name: dataset.slug,
    title: dataset.title,
    description: dataset.description || null,
    organisation: { externalId: null, name: String(dataset.organisationId), title: '' },
    licence: (dataset.licence as ScorableDataset['licence']) ?? null,
    keywords: dataset.tags ?? [],
    themes: dataset.themes ?? [],
    contactPoint: (dataset.contactPoint as ScorableDataset['contactPoint']) ?? null,
    updateFrequency: (dataset.updateFrequency as ScorableDataset['updateFrequency']) ?? null,
    issued: iso(dataset.issued),
    modified: iso(dataset.modified),
    landingPage: dataset.landingPage ?? null,
    accessRights: (dataset.accessRights as ScorableDataset['accessRights']) ?? null,
    rights: dataset.rights ?? null,
    spatial: dataset.spatial ?? null,
    temporal: dataset.temporal ?? null,
    resources: (dataset.resources ?? []).map((r) => ({
      externalId: r._id,
      name: r.name ?? null,
      url: r.url ?? null,
      accessUrl: r.accessUrl ?? null,
      downloadUrl: r.downloadUrl ?? null,
      format: r.format ?? null,
      mediaType: r.mediaType ?? null,
      size: r.size ?? null,
      schema: (r.schema as never) ?? null,
      issued: iso(r.issued),
      modified: iso(r.modified),
    })),
  };
}

function checksOf(dataset: DatasetDoc, states: ResourceQualityState[]): DatasetChecks {
  const checks: Required<Pick<DatasetChecks, 'availability' | 'validity'>> & DatasetChecks = {
    availability: {},
    validity: {},
  };
  for (const state of states) {
    checks.availability[state.resourceId] = {
      ok: state.availability.ok,
      status: state.availability.status,
      contentTypeMatches: state.availability.contentTypeMatches,
      checkedAt: new Date(state.checkedAt).toISOString(),
      lastSuccess: state.lastSuccessAt ? new Date(state.lastSuccessAt).toISOString() : null,
    };
    const validity = state.validity as { ok?: boolean; errorCount?: number; schemaSource?: string } | null;
    if (validity && typeof validity.ok === 'boolean')
      checks.validity[state.resourceId] = {
        valid: validity.ok,
        errorCount: validity.errorCount ?? 0,
        hasSchema: validity.schemaSource === 'declared',
        checkedAt: new Date(state.checkedAt).toISOString(),
      };
  }
  if (dataset.harvest?.changedAt)
    checks.freshness = { lastChange: new Date(dataset.harvest.changedAt).toISOString() };
  return checks;
}

function summaryOf(family: QualityFamily, report: QualityReportRecord): string {
  switch (family) {
    case 'availability': {
      const error = report.availability.error as { code?: string; message?: string } | null;
      return `No se pudo descargar ${report.url}: ${error?.message ?? 'error'}`;
    }
    case 'validity': {
      const counts = (report.validity.counts ?? {}) as Record<string, number>;
      const parts = Object.entries(counts).map(([type, n]) => `${type} × ${n}`);
      return `${report.validity.errorCount ?? 0} errores de validación (${parts.join(', ') || 'sin detalle'}).`;
    }
    case 'metadata':
      return `Faltan metadatos: ${((report.metadata.missing as string[]) ?? []).join(', ')}.`;
    case 'freshness':
      return `Sin actualizar desde ${report.freshness.modified ? new Date(report.freshness.modified as Date).toISOString().slice(0, 10) : '—'} (frecuencia declarada: ${report.freshness.frequency ?? '—'}).`;
  }
}

/**
 * One check run of a dataset: every resource (or the one asked for) in turn, in this one job —
 * the job is the only writer of the dataset's quality block while it runs, and writes it once at
 * the end. A report is stored per resource in one insert; the same run id twice finds the stored
 * reports and the saved state instead of checking again, so a retried job repeats nothing.
 */
export async function runQualityCheck(
  runtime: Runtime,
  payload: { datasetId: string; resourceId?: string | undefined; runId: string },
): Promise<QualityRunResult> {
  return await limitersFor(runtime).datasets.run(`dataset-${payload.datasetId}`, () =>
    runLocked(runtime, payload),
  );
}

async function runLocked(
  runtime: Runtime,
  payload: { datasetId: string; resourceId?: string | undefined; runId: string },
): Promise<QualityRunResult> {
  const models = registerModels(runtime.connection);
  const reports = qualityReportRepository(models);
  const dataset = (await datasetRepository(models).findById(
    EVERYTHING,
    payload.datasetId,
  )) as DatasetDoc | null;
  if (!dataset) return { status: 'skipped', reason: 'dataset not found' };
  if (dataset.withdrawnAt) return { status: 'skipped', reason: 'dataset withdrawn' };
  const now = runtime.now();
  const quality = dataset.quality ?? {};
  const previous = new Map((quality.resources ?? []).map((s) => [s.resourceId, s]));
  const resources = (dataset.resources ?? []).filter(
    (r) => !payload.resourceId || r._id === payload.resourceId,
  ) as unknown as CheckableResource[];
  if (payload.resourceId && resources.length === 0)
    return { status: 'skipped', reason: 'resource not found' };
  if (
    quality.lastRunId === payload.runId &&
    resources.every((r) => previous.get(r._id)?.lastRunId === payload.runId)
  )
    return { status: 'skipped', reason: 'run already recorded' };

  const caps = {
    allowPrivateNetwork: runtime.config.fetch.allowPrivateNetwork,
    maxBytes: runtime.config.fetch.maxBytes,
    timeoutMs: runtime.config.fetch.timeoutMs,
    maxRedirects: runtime.config.fetch.maxRedirects,
  };
  const limiter = limitersFor(runtime).hosts;
  const result: QualityRunResult = { status: 'done', reports: [], tickets: [] };
  const states = new Map(previous);
  const decided: Array<{
    resource: CheckableResource;
    report: QualityReportRecord;
    state: ResourceQualityState;
  }> = [];
  for (const resource of resources) {
    const before = previous.get(resource._id);
    let report: QualityReportRecord | null = null;
    let created = false;
    // A retried run finds its saved state; a run killed between the insert and the dataset's
    // write checks again and insertOnce hands back the report stored first.
    if (before?.lastRunId === payload.runId) report = await reports.findById(before.lastReportId);
    if (!report) {
      const input = await checkResource({
        dataset,
        resource,
        previous: before,
        runId: payload.runId,
        now,
        caps,
        limiter,
      });
      const last = before?.validity as
        | {
            ok?: boolean | null;
            errorCount?: number;
            counts?: Record<string, number>;
            schemaSource?: string;
            reportId?: string;
          }
        | null
        | undefined;
      if (input.skipped === 'not_modified' && last && typeof last.ok === 'boolean') {
        // 304: the validity found when the file was last read stands. Its summary is on the
        // dataset; the errors stay on the report that read the file (`reusedFrom`), not copied.
        input.validity = {
          ok: last.ok,
          status: 'checked',
          valid: last.ok,
          errorCount: last.errorCount ?? 0,
          counts: last.counts ?? {},
          schemaSource: last.schemaSource ?? null,
          reusedFrom: last.reportId ?? before?.lastReportId ?? null,
        };
        if (last.ok === false && !input.failing.includes('validity'))
          input.failing = [...input.failing, 'validity'];
      }
      ({ report, created } = await reports.insertOnce(input));
    }
    const state = before?.lastRunId === payload.runId ? before : nextState(before, report, now);
    states.set(resource._id, state);
    decided.push({ resource, report, state });
    result.reports!.push({
      id: report._id,
      resourceId: resource._id,
      failing: report.failing,
      created,
      ...(report.skipped ? { skipped: report.skipped } : {}),
    });
  }

  // Tickets: resource families per resource; metadata and freshness once for the dataset.
  // One query tells which problems already have a ticket: a passing family without one needs
  // no further work (the common case, so a healthy dataset costs one read here, not eight).
  const commands = workerCommands(runtime);
  const keys = [
    ...decided.flatMap(({ resource }) =>
      (['availability', 'validity'] as const).map((f) =>
        qualityDedupeKey(payload.datasetId, resource._id, f),
      ),
    ),
    qualityDedupeKey(payload.datasetId, null, 'metadata'),
    qualityDedupeKey(payload.datasetId, null, 'freshness'),
  ];
  const ticketed = await ticketRepository(models).takenDedupeKeys(EVERYTHING, keys);
  const needsSync = (resourceId: string | null, family: QualityFamily, failing: boolean) =>
    failing || ticketed.has(qualityDedupeKey(payload.datasetId, resourceId, family));
  const failuresBeforeTicket =
    quality.failuresBeforeTicket ??
    runtime.config.quality.failuresBeforeTicket ??
    DEFAULT_FAILURES_BEFORE_TICKET;
  const mails: QualityMail[] = [];
  const track = (key: string, outcome: QualityTicketOutcome, mail?: Omit<QualityMail, 'state'>) => {
    result.tickets!.push({
      key,
      action: outcome.action,
      ...(outcome.ticket ? { ticketId: String(outcome.ticket._id) } : {}),
    });
    if (!mail) return;
    if (outcome.action === 'opened' || outcome.action === 'regressed')
      mails.push({ ...mail, state: 'failing' });
    if (outcome.action === 'resolved') mails.push({ ...mail, state: 'recovered' });
  };
  for (const { resource, report, state } of decided) {
    for (const family of ['availability', 'validity'] as const) {
      const measured =
        family === 'availability' || report.validity.ok === true || report.validity.ok === false;
      if (!measured) continue;
      const failing = report.failing.includes(family);
      if (!needsSync(resource._id, family, failing)) continue;
      const outcome = await syncQualityTicket(commands, {
        dataset,
        resource,
        family,
        failing,
        streak: failing ? (state.streaks[family] ?? 1) : 0,
        failuresBeforeTicket,
        unchanged: family === 'validity' && report.skipped === 'not_modified',
        report: {
          id: report._id,
          summary: summaryOf(family, report),
          ...(family === 'validity' ? { errorCount: Number(report.validity.errorCount ?? 0) } : {}),
        },
      });
      track(`${resource._id}:${family}`, outcome, {
        family,
        resource,
        reportId: report._id,
        errorCount: family === 'validity' ? Number(report.validity.errorCount ?? 0) : undefined,
      });
    }
  }
  const families = { ...(quality.datasetFamilies ?? {}) };
  const first = decided[0];
  if (first && !payload.resourceId) {
    const checks = {
      metadata: metadataFamily(dataset, null).ok && decided.some((d) => d.report.metadata.ok === true),
      freshness: freshnessFamily(dataset, now).ok,
    };
    for (const family of ['metadata', 'freshness'] as const) {
      const before = families[family];
      const ok = checks[family];
      const streak = before?.runId === payload.runId ? before.streak : ok ? 0 : (before?.streak ?? 0) + 1;
      families[family] = { ok, streak, runId: payload.runId };
      if (!needsSync(null, family, !ok)) continue;
      const outcome = await syncQualityTicket(commands, {
        dataset,
        resource: null,
        family,
        failing: !ok,
        streak,
        failuresBeforeTicket,
        report: { id: first.report._id, summary: summaryOf(family, first.report) },
      });
      track(`dataset:${family}`, outcome, { family, resource: null, reportId: first.report._id });
    }
  }

  await notifySubscribers(runtime, dataset, mails, now).catch((error: Error) => {
    // A mail that cannot go now must not undo the run; the next transition mails again.
    runtime.logger.warn({ datasetId: payload.datasetId, err: error.message }, 'quality mail not sent');
  });

  const allStates = (dataset.resources ?? []).flatMap((r) => {
    const state = states.get(r._id);
    return state ? [state] : [];
  });
  const score = scoreDataset({ dataset: scorable(dataset), checks: checksOf(dataset, allStates), now });
  const history =
    quality.lastRunId === payload.runId
      ? (quality.history ?? [])
      : [...(quality.history ?? []), { at: now, score: score.score }].slice(-QUALITY_HISTORY_KEPT);
  await reports.saveBlock(payload.datasetId, {
    score: score.score,
    grade: score.grade,
    stars: score.stars,
    criteria: score.criteria,
    dimensions: score.dimensions,
    freshness: score.freshness,
    checkedAt: now,
    lastRunId: payload.runId,
    history,
    resources: allStates,
    ...({ datasetFamilies: families, trend: scoreTrend(history) } as object),
  } as DatasetQualityBlock);
  result.score = score.score;
  return result;
}

export { reportPath };
