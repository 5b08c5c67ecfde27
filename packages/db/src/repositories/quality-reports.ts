import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import { isDuplicateKeyError } from '../errors.ts';
import type { Models } from '../models/index.ts';
import { type CatalogDatasetRecord, datasetScopeFilter } from './datasets.ts';
import { isObjectId, type Scope, toObjectId } from './scope.ts';

export {
  type QualitySubscriptionRecord,
  type QualitySubscriptionRepository,
  qualitySubscriptionRepository,
} from './quality-subscriptions.ts';

export const QUALITY_FAMILIES = ['availability', 'validity', 'metadata', 'freshness'] as const;
export type QualityFamily = (typeof QUALITY_FAMILIES)[number];

export interface QualityReportRecord {
  _id: string;
  datasetId: Types.ObjectId;
  resourceId: string;
  runId: string;
  organisationId?: Types.ObjectId;
  checkedAt: Date;
  durationMs: number;
  url?: string;
  skipped?: 'not_modified';
  etag?: string;
  lastModified?: string;
  availability: Record<string, unknown>;
  validity: Record<string, unknown>;
  metadata: Record<string, unknown>;
  freshness: Record<string, unknown>;
  failing: QualityFamily[];
  createdAt?: Date;
}

export type QualityReportInput = Omit<QualityReportRecord, '_id' | 'createdAt'>;

/** The report id of a (run, resource): deterministic, so a retried run finds its own report. */
export function qualityReportId(runId: string, resourceId: string): string {
  return `qr-${createHash('sha256').update(`${runId}\n${resourceId}`).digest('hex').slice(0, 32)}`;
}

/**
 * What the quality worker keeps per resource on `dataset.quality.resources[]` (an array, rewritten
 * whole: resource ids may hold dots, and FerretDB has no positional updates). Link history in the
 * manner of ckanext-archiver: first failure of the current streak, last success, streak length.
 */
export interface ResourceQualityState {
  resourceId: string;
  lastRunId: string;
  lastReportId: string;
  checkedAt: Date;
  failing: QualityFamily[];
  /** Consecutive failing runs per family (0 when the last run passed it). */
  streaks: Partial<Record<QualityFamily, number>>;
  consecutiveFailures: number;
  firstFailureAt: Date | null;
  lastFailureAt: Date | null;
  lastSuccessAt: Date | null;
  etag: string | null;
  lastModified: string | null;
  /** Last measured validity, reused when the server answers 304. */
  validity: Record<string, unknown> | null;
  availability: { ok: boolean; status: number | null; contentTypeMatches: boolean | null };
}

export interface DatasetQualityBlock {
  score: number;
  grade: string;
  stars: number;
  criteria: unknown[];
  dimensions: unknown[];
  freshness: string;
  checkedAt: Date;
  lastRunId: string;
  history: Array<{ at: Date; score: number }>;
  resources: ResourceQualityState[];
}

/** What admins set (kept apart from what the worker writes, which never touches these paths). */
export interface DatasetQualitySettings {
  schedule?: { every?: number; pattern?: string; tz?: string } | undefined;
  failuresBeforeTicket?: number | undefined;
}

/** History points kept on the dataset for the trend (one per run; ~3 months of daily runs). */
export const QUALITY_HISTORY_KEPT = 90;

export function qualityReportRepository(models: Models) {
  const { QualityReport, Dataset } = models;
  return {
    /**
     * Stores a run's report in one insert. The same (run, resource) twice returns the report
     * stored first (`created: false`): retries and duplicate jobs never store two.
     */
    async insertOnce(input: QualityReportInput): Promise<{ report: QualityReportRecord; created: boolean }> {
      const _id = qualityReportId(input.runId, input.resourceId);
      try {
        const created = await QualityReport.create({ _id, ...input });
        return { report: created.toObject() as unknown as QualityReportRecord, created: true };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const existing = await this.findByRun(input.runId, input.resourceId);
        if (!existing) throw error;
        return { report: existing, created: false };
      }
    },

    async findByRun(runId: string, resourceId: string): Promise<QualityReportRecord | null> {
      // Served by { runId, resourceId } (unique).
      return (await QualityReport.findOne({
        runId,
        resourceId,
      }).lean()) as unknown as QualityReportRecord | null;
    },

    async findById(id: string): Promise<QualityReportRecord | null> {
      return (await QualityReport.findById(id).lean()) as unknown as QualityReportRecord | null;
    },

    /** A dataset's reports (optionally one resource's), newest first, without the error lists. */
    async listByDataset(
      datasetId: string,
      options: { resourceId?: string | undefined; limit?: number; before?: Date | undefined } = {},
    ): Promise<QualityReportRecord[]> {
      if (!isObjectId(datasetId)) return [];
      const filter: Record<string, unknown> = { datasetId: toObjectId(datasetId) };
      if (options.resourceId) filter.resourceId = options.resourceId;
      if (options.before) filter.checkedAt = { $lt: options.before };
      // Served by { datasetId, resourceId, checkedAt } or { datasetId, checkedAt }.
      return (await QualityReport.find(filter, { 'validity.errors': 0, 'validity.fields': 0 })
        .sort({ checkedAt: -1, _id: -1 })
        .limit(Math.min(Math.max(options.limit ?? 20, 1), 100))
        .lean()) as unknown as QualityReportRecord[];
    },

    /** The datasets the quality worker schedules: all that are not withdrawn, with their settings. */
    async scheduledDatasets(): Promise<Array<{ _id: Types.ObjectId; settings: DatasetQualitySettings }>> {
      const rows = (await Dataset.find(
        { withdrawnAt: { $exists: false } },
        { 'quality.schedule': 1, 'quality.failuresBeforeTicket': 1 },
      ).lean()) as unknown as Array<{ _id: Types.ObjectId; quality?: DatasetQualitySettings }>;
      return rows.map((row) => ({
        _id: row._id,
        settings: {
          schedule: row.quality?.schedule,
          failuresBeforeTicket: row.quality?.failuresBeforeTicket,
        },
      }));
    },

    /**
     * Writes the worker's block by sub-paths, so the admins' settings (`quality.schedule`,
     * `quality.failuresBeforeTicket`) stay. One write per run: the job owns the dataset while it
     * runs (FerretDB does not serialise concurrent updates of one document).
     */
    async saveBlock(datasetId: string, block: DatasetQualityBlock): Promise<void> {
      const set: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(block)) set[`quality.${key}`] = value;
      await Dataset.collection.updateOne({ _id: toObjectId(datasetId) }, { $set: set });
    },

    /** The settings an admin changes (PATCH /admin/datasets/:id). */
    async saveSettings(
      datasetId: string,
      settings: DatasetQualitySettings & { officerIds?: string[] | undefined },
    ): Promise<CatalogDatasetRecord | null> {
      if (!isObjectId(datasetId)) return null;
      const set: Record<string, unknown> = {};
      const unset: Record<string, 1> = {};
      if (settings.officerIds) set.officerIds = settings.officerIds.map(toObjectId);
      if (settings.schedule !== undefined) set['quality.schedule'] = settings.schedule;
      if (settings.failuresBeforeTicket !== undefined)
        set['quality.failuresBeforeTicket'] = settings.failuresBeforeTicket;
      if (Object.keys(set).length === 0 && Object.keys(unset).length === 0)
        return (await Dataset.findById(datasetId).lean()) as unknown as CatalogDatasetRecord | null;
      return (await Dataset.findOneAndUpdate(
        { _id: toObjectId(datasetId) },
        { $set: set },
        { returnDocument: 'after' },
      ).lean()) as unknown as CatalogDatasetRecord | null;
    },

    /** A dataset registered by hand (not harvested). */
    async createManual(doc: {
      slug: string;
      title: string;
      description?: string | undefined;
      organisationId: string;
      officerIds?: string[] | undefined;
      tags?: string[] | undefined;
      licence?: Record<string, unknown> | undefined;
      contactPoint?: Record<string, unknown> | undefined;
      updateFrequency?: string | undefined;
      landingPage?: string | undefined;
      modified?: Date | undefined;
      resources: Array<Record<string, unknown>>;
      quality?: DatasetQualitySettings | undefined;
    }): Promise<CatalogDatasetRecord | 'slug_taken'> {
      try {
        const created = await Dataset.create({
          source: 'manual',
          externalId: doc.slug,
          slug: doc.slug,
          title: doc.title,
          description: doc.description ?? '',
          organisationId: toObjectId(doc.organisationId),
          officerIds: (doc.officerIds ?? []).map(toObjectId),
          tags: doc.tags ?? [],
          ...(doc.licence ? { licence: doc.licence } : {}),
          ...(doc.contactPoint ? { contactPoint: doc.contactPoint } : {}),
          ...(doc.updateFrequency ? { updateFrequency: doc.updateFrequency } : {}),
          ...(doc.landingPage ? { landingPage: doc.landingPage } : {}),
          ...(doc.modified ? { modified: doc.modified } : {}),
          resources: doc.resources,
          ...(doc.quality ? { quality: doc.quality } : {}),
        });
        return created.toObject() as unknown as CatalogDatasetRecord;
      } catch (error) {
        if (isDuplicateKeyError(error)) return 'slug_taken';
        throw error;
      }
    },

    /**
     * Per-organisation summary: datasets, mean score (sum ÷ count: FerretDB's $group has only
     * $sum and $count) and failing resources. Served by { organisationId, title }.
     */
    async organisationSummary(
      scope: Scope,
      organisationId: string,
    ): Promise<{
      datasets: number;
      scored: number;
      scoreSum: number;
      failingResources: Array<{ datasetId: string; title: string; resourceId: string; failing: string[] }>;
    }> {
      if (!isObjectId(organisationId)) return { datasets: 0, scored: 0, scoreSum: 0, failingResources: [] };
      const rows = (await Dataset.find(
        {
          $and: [
            datasetScopeFilter(scope),
            { organisationId: toObjectId(organisationId), withdrawnAt: { $exists: false } },
          ],
        },
        { title: 1, 'quality.score': 1, 'quality.resources': 1 },
      )
        .sort({ title: 1 })
        .limit(5000)
        .lean()) as unknown as Array<{
        _id: Types.ObjectId;
        title: string;
        quality?: { score?: number; resources?: ResourceQualityState[] };
      }>;
      let scored = 0;
      let scoreSum = 0;
      const failingResources: Array<{
        datasetId: string;
        title: string;
        resourceId: string;
        failing: string[];
      }> = [];
      for (const row of rows) {
        if (typeof row.quality?.score === 'number') {
          scored += 1;
          scoreSum += row.quality.score;
        }
        for (const state of row.quality?.resources ?? []) {
          if (state.failing?.length)
            failingResources.push({
              datasetId: String(row._id),
              title: row.title,
              resourceId: state.resourceId,
              failing: state.failing,
            });
        }
      }
      return { datasets: rows.length, scored, scoreSum, failingResources };
    },
  };
}

export type QualityReportRepository = ReturnType<typeof qualityReportRepository>;
