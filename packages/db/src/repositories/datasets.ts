import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import { isDuplicateKeyError } from '../errors.ts';
import type { Models } from '../models/index.ts';
import { isObjectId, type Scope, scopeFilter, toObjectId } from './scope.ts';

/** A resource as the harvest writes it; `_id` is the catalog's resource id, kept stable. */
export interface HarvestedResource {
  _id: string;
  externalId: string;
  name: string | null;
  description: string | null;
  url: string;
  accessUrl: string | null;
  downloadUrl: string | null;
  format: string | null;
  mediaType: string | null;
  size: number | null;
  /** `algorithm:value`, e.g. `md5:0cc1…`. */
  hash: string | null;
  schema: Record<string, unknown> | string | null;
  issued: Date | null;
  modified: Date | null;
}

/** A dataset as the harvest writes it: everything the source says, nothing Quipu adds. */
export interface HarvestedDataset {
  sourceId: string;
  source: 'ckan' | 'dcat';
  externalId: string;
  /** Wanted slug (the source's name); kept on later runs even if the source renames. */
  name: string;
  title: string;
  description: string | null;
  organisationId: string;
  tags: string[];
  themes: string[];
  licence: Record<string, unknown> | null;
  contactPoint: Record<string, unknown> | null;
  updateFrequency: string | null;
  landingPage: string | null;
  issued: Date | null;
  modified: Date | null;
  accessRights: 'public' | 'restricted' | 'non-public' | null;
  rights: string | null;
  spatial: string | null;
  temporal: string | null;
  resources: HarvestedResource[];
  /** The source's modification stamp, as printed (bookkeeping, not part of the fingerprint). */
  sourceModified: string | null;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

export interface UpsertResult {
  outcome: UpsertOutcome;
  id: string;
  slug: string;
  /** The dataset is new with resources, or its resources differ from the last harvest. */
  resourcesChanged: boolean;
}

export interface CatalogDatasetRecord {
  _id: Types.ObjectId;
  source: 'ckan' | 'dcat' | 'manual';
  sourceId?: Types.ObjectId;
  externalId: string;
  slug: string;
  title: string;
  description: string;
  organisationId: Types.ObjectId;
  officerIds: Types.ObjectId[];
  tags: string[];
  themes: string[];
  licence?: Record<string, unknown> | null;
  contactPoint?: Record<string, unknown> | null;
  updateFrequency?: string;
  landingPage?: string;
  issued?: Date;
  modified?: Date;
  withdrawnAt?: Date;
  accessRights?: string;
  rights?: string;
  spatial?: string;
  temporal?: string;
  resources: Array<Omit<HarvestedResource, 'issued' | 'modified'> & { issued?: Date; modified?: Date }>;
  harvest?: { fingerprint: string; resourcesFingerprint: string; sourceModified?: string; changedAt: Date };
  quality?: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export interface DatasetFilters {
  organisationId?: string | undefined;
  sourceId?: string | undefined;
  /** Default false: withdrawn datasets are hidden. */
  includeWithdrawn?: boolean | undefined;
}

/** JSON with keys sorted, so equal content always hashes equal. */
function canonical(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function harvestFingerprints(dataset: HarvestedDataset): {
  fingerprint: string;
  resourcesFingerprint: string;
} {
  const { sourceModified: _bookkeeping, name: _slugWish, ...content } = dataset;
  return {
    fingerprint: sha256(canonical(content)),
    resourcesFingerprint: sha256(canonical(dataset.resources)),
  };
}

/** The catalog is public data, except withdrawn datasets, which only staff see. */
export function datasetScopeFilter(scope: Scope): Record<string, unknown> {
  return scopeFilter(scope, { withdrawnAt: { $exists: false } });
}

/** Fields that are null are unset rather than stored as null (enums and optional fields stay clean). */
function splitNulls(fields: Record<string, unknown>): {
  set: Record<string, unknown>;
  unset: Record<string, 1>;
} {
  const set: Record<string, unknown> = {};
  const unset: Record<string, 1> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === null || value === undefined) unset[key] = 1;
    else set[key] = value;
  }
  return { set, unset };
}

function resourceDoc(resource: HarvestedResource): Record<string, unknown> {
  return Object.fromEntries(Object.entries(resource).filter(([, v]) => v !== null && v !== undefined));
}

export function datasetRepository(models: Models) {
  const { Dataset } = models;

  function contentFields(dataset: HarvestedDataset): Record<string, unknown> {
    return {
      source: dataset.source,
      title: dataset.title,
      description: dataset.description ?? '',
      organisationId: toObjectId(dataset.organisationId),
      tags: dataset.tags,
      themes: dataset.themes,
      licence: dataset.licence,
      contactPoint: dataset.contactPoint,
      updateFrequency: dataset.updateFrequency,
      landingPage: dataset.landingPage,
      issued: dataset.issued,
      modified: dataset.modified,
      accessRights: dataset.accessRights,
      rights: dataset.rights,
      spatial: dataset.spatial,
      temporal: dataset.temporal,
      resources: dataset.resources.map(resourceDoc),
    };
  }

  // The outbox is the relay's, never a reader's.
  const findOne = async (scope: Scope, key: Record<string, unknown>) =>
    (await Dataset.findOne(
      // The key at the top of the filter: FerretDB pushes it down to its storage.
      { ...key, $and: [datasetScopeFilter(scope)] },
      { outbox: 0 },
    ).lean()) as unknown as CatalogDatasetRecord | null;

  return {
    async findById(scope: Scope, id: string): Promise<CatalogDatasetRecord | null> {
      if (!isObjectId(id)) return null;
      return await findOne(scope, { _id: toObjectId(id) });
    },

    async findBySlug(scope: Scope, slug: string): Promise<CatalogDatasetRecord | null> {
      return await findOne(scope, { slug });
    },

    /** A dataset by the id or the slug a URL carries (a key shaped like an id is only an id). */
    async findByKey(scope: Scope, key: string): Promise<CatalogDatasetRecord | null> {
      return await findOne(scope, isObjectId(key) ? { _id: toObjectId(key) } : { slug: key });
    },

    /** When the harvest last changed each of the given datasets (unknown ids are left out). */
    async harvestChanges(
      scope: Scope,
      ids: readonly string[],
    ): Promise<Array<{ id: string; changedAt: Date | null }>> {
      const valid = ids.filter(isObjectId);
      if (valid.length === 0) return [];
      const rows = (await Dataset.find(
        { _id: { $in: valid.map(toObjectId) }, $and: [datasetScopeFilter(scope)] },
        { 'harvest.changedAt': 1 },
      ).lean()) as unknown as Array<{ _id: Types.ObjectId; harvest?: { changedAt?: Date } }>;
      return rows.map((row) => ({ id: String(row._id), changedAt: row.harvest?.changedAt ?? null }));
    },

    /** Datasets by title (served by { organisationId, title } when filtered by organisation). */
    async list(
      scope: Scope,
      filters: DatasetFilters = {},
      options: { limit?: number; skip?: number } = {},
    ): Promise<CatalogDatasetRecord[]> {
      const and: Record<string, unknown>[] = [datasetScopeFilter(scope)];
      if (filters.organisationId) and.push({ organisationId: toObjectId(filters.organisationId) });
      if (filters.sourceId) and.push({ sourceId: toObjectId(filters.sourceId) });
      if (!filters.includeWithdrawn) and.push({ withdrawnAt: { $exists: false } });
      return (await Dataset.find({ $and: and }, { outbox: 0 })
        .sort({ title: 1, _id: 1 })
        .skip(Math.max(0, options.skip ?? 0))
        .limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
        .lean()) as unknown as CatalogDatasetRecord[];
    },

    /** External ids a source's datasets carry, with whether each is withdrawn (one indexed query). */
    async externalIdsOfSource(sourceId: string): Promise<Map<string, { id: string; withdrawn: boolean }>> {
      const rows = (await Dataset.find(
        { sourceId: toObjectId(sourceId) },
        { externalId: 1, withdrawnAt: 1 },
      ).lean()) as unknown as Array<{
        _id: Types.ObjectId;
        externalId: string;
        withdrawnAt?: Date;
      }>;
      return new Map(
        rows.map((row) => [
          row.externalId,
          { id: String(row._id), withdrawn: row.withdrawnAt !== undefined },
        ]),
      );
    },

    /**
     * Inserts or updates one harvested dataset by (sourceId, externalId). Writes only when the
     * content fingerprint changed (or the dataset was withdrawn and is back), so a second run
     * over the same catalog writes nothing. Slug, officers, quality and outbox are Quipu's and
     * never touched; `resources` is the harvest's and is replaced whole (FerretDB: no
     * positional updates). Read-then-write: one writer per source at a time (the harvest's
     * per-source lock); the unique slug index settles races between sources.
     */
    async upsertHarvested(dataset: HarvestedDataset, options: { now: Date }): Promise<UpsertResult> {
      const { fingerprint, resourcesFingerprint } = harvestFingerprints(dataset);
      const sourceId = toObjectId(dataset.sourceId);
      const existing = (await Dataset.findOne(
        { sourceId, externalId: dataset.externalId },
        { slug: 1, harvest: 1, withdrawnAt: 1 },
      ).lean()) as unknown as Pick<CatalogDatasetRecord, '_id' | 'slug' | 'harvest' | 'withdrawnAt'> | null;
      const stamp = {
        fingerprint,
        resourcesFingerprint,
        changedAt: options.now,
        ...(dataset.sourceModified ? { sourceModified: dataset.sourceModified } : {}),
      };

      if (existing) {
        const result = { id: String(existing._id), slug: existing.slug };
        if (existing.harvest?.fingerprint === fingerprint && !existing.withdrawnAt) {
          return { ...result, outcome: 'unchanged', resourcesChanged: false };
        }
        const { set, unset } = splitNulls(contentFields(dataset));
        await Dataset.updateOne(
          { _id: existing._id },
          { $set: { ...set, harvest: stamp }, $unset: { ...unset, withdrawnAt: 1 } },
          { runValidators: true },
        );
        return {
          ...result,
          outcome: 'updated',
          resourcesChanged: existing.harvest?.resourcesFingerprint !== resourcesFingerprint,
        };
      }

      // The source's name is unique only within that source: on a collision, the slug gets a
      // suffix derived from the source and then from the external id (stable across runs).
      const candidates = [
        dataset.name,
        `${dataset.name}-${dataset.sourceId.slice(-6)}`,
        `${dataset.name}-${sha256(`${dataset.sourceId}:${dataset.externalId}`).slice(0, 10)}`,
      ];
      const { set } = splitNulls(contentFields(dataset));
      for (const slug of candidates) {
        try {
          const created = await Dataset.create({
            ...set,
            sourceId,
            externalId: dataset.externalId,
            slug,
            harvest: stamp,
          });
          return {
            outcome: 'created',
            id: String(created._id),
            slug,
            resourcesChanged: dataset.resources.length > 0,
          };
        } catch (error) {
          // FerretDB names neither the index nor the key in E11000, so ask whether the slug is taken.
          if (!isDuplicateKeyError(error) || !(await Dataset.exists({ slug }))) throw error;
        }
      }
      throw new Error(`no free slug for dataset ${dataset.externalId} of source ${dataset.sourceId}`);
    },

    /** Marks the given datasets of a source withdrawn (never deletes). Returns how many changed. */
    async withdraw(sourceId: string, datasetIds: readonly string[], options: { now: Date }): Promise<number> {
      if (datasetIds.length === 0) return 0;
      const result = await Dataset.updateMany(
        {
          sourceId: toObjectId(sourceId),
          _id: { $in: datasetIds.map(toObjectId) },
          withdrawnAt: { $exists: false },
        },
        { $set: { withdrawnAt: options.now } },
      );
      return result.modifiedCount;
    },
  };
}

export type DatasetRepository = ReturnType<typeof datasetRepository>;
