import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import { isDuplicateKeyError } from '../errors.ts';
import { DAILY_MS, HARVEST_PROBLEMS_KEPT, type HarvestSourceKind } from '../models/catalog.ts';
import type { Models } from '../models/index.ts';
import { isObjectId, type Scope, scopeFilter, toObjectId } from './scope.ts';

export { HARVEST_SOURCE_KINDS, type HarvestSourceKind } from '../models/catalog.ts';

export interface HarvestSchedule {
  pattern?: string | undefined;
  every?: number | undefined;
  tz?: string | undefined;
}

export interface HarvestStats {
  full: boolean;
  notModified: boolean;
  pages: number;
  seen: number;
  created: number;
  updated: number;
  unchanged: number;
  withdrawn: number;
  malformed: number;
  organisationsCreated: number;
  durationMs: number;
  problems: Array<{ code: string; message: string; externalId?: string; index?: number }>;
}

export interface HarvestCursor {
  lastModified?: string | undefined;
  etag?: string | undefined;
  httpLastModified?: string | undefined;
}

export interface HarvestSourceRecord {
  _id: Types.ObjectId;
  kind: HarvestSourceKind;
  url: string;
  name: string;
  organisationId?: Types.ObjectId;
  schedule: HarvestSchedule;
  enabled: boolean;
  lastRunAt?: Date;
  lastSuccessAt?: Date;
  lastFullRunAt?: Date;
  lastError?: { code: string; message: string; at: Date };
  cursor: HarvestCursor;
  stats?: HarvestStats;
  lease?: { token: string; until: Date };
  createdAt: Date;
  updatedAt: Date;
}

export interface HarvestSourceInput {
  kind: HarvestSourceKind;
  url: string;
  name: string;
  organisationId?: string | undefined;
  /** Default: every 24 hours. */
  schedule?: HarvestSchedule | undefined;
  enabled?: boolean | undefined;
}

export type HarvestSourcePatch = Partial<Omit<HarvestSourceInput, 'organisationId'>> & {
  /** null removes the default owner. */
  organisationId?: string | null | undefined;
};

export function emptyHarvestStats(): HarvestStats {
  return {
    full: false,
    notModified: false,
    pages: 0,
    seen: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    withdrawn: 0,
    malformed: 0,
    organisationsCreated: 0,
    durationMs: 0,
    problems: [],
  };
}

// Five or six space-separated cron fields; BullMQ parses the rest when the scheduler is upserted.
const CRON = /^(\S+\s+){4,5}\S+$/;

function checkSchedule(schedule: HarvestSchedule): HarvestSchedule {
  const pattern = schedule.pattern?.trim();
  if (pattern) {
    if (!CRON.test(pattern)) throw new Error(`schedule.pattern is not a cron pattern: ${pattern}`);
    return { pattern, ...(schedule.tz ? { tz: schedule.tz } : {}) };
  }
  const every = schedule.every ?? DAILY_MS;
  if (!Number.isInteger(every) || every < 60_000) throw new Error('schedule.every must be at least 60000 ms');
  return { every };
}

/** Sources are staff configuration: admins (everything) and their own organisation's staff. */
function sourceScopeFilter(scope: Scope): Record<string, unknown> {
  // Source URLs and errors are internal; nothing is public.
  return scopeFilter(scope, { _id: { $exists: false } });
}

export function harvestSourceRepository(models: Models) {
  const { HarvestSource } = models;
  const byId = (scope: Scope, id: string) => ({ _id: toObjectId(id), $and: [sourceScopeFilter(scope)] });

  return {
    async create(input: HarvestSourceInput): Promise<HarvestSourceRecord> {
      const created = await HarvestSource.create({
        kind: input.kind,
        url: input.url.trim(),
        name: input.name.trim(),
        ...(input.organisationId ? { organisationId: toObjectId(input.organisationId) } : {}),
        schedule: checkSchedule(input.schedule ?? {}),
        enabled: input.enabled ?? true,
        cursor: {},
      });
      return created.toObject() as unknown as HarvestSourceRecord;
    },

    async list(scope: Scope, filters: { enabled?: boolean } = {}): Promise<HarvestSourceRecord[]> {
      const filter: Record<string, unknown> = { ...sourceScopeFilter(scope) };
      if (filters.enabled !== undefined) filter.enabled = filters.enabled;
      return (await HarvestSource.find(filter)
        .sort({ name: 1, _id: 1 })
        .lean()) as unknown as HarvestSourceRecord[];
    },

    async get(scope: Scope, id: string): Promise<HarvestSourceRecord | null> {
      if (!isObjectId(id)) return null;
      return (await HarvestSource.findOne(byId(scope, id)).lean()) as unknown as HarvestSourceRecord | null;
    },

    /** Configuration changes; a changed URL or kind starts again from a full run. */
    async update(scope: Scope, id: string, patch: HarvestSourcePatch): Promise<HarvestSourceRecord | null> {
      if (!isObjectId(id)) return null;
      const set: Record<string, unknown> = {};
      const unset: Record<string, 1> = {};
      if (patch.name !== undefined) set.name = patch.name.trim();
      if (patch.enabled !== undefined) set.enabled = patch.enabled;
      if (patch.schedule !== undefined) set.schedule = checkSchedule(patch.schedule);
      if (patch.organisationId === null) unset.organisationId = 1;
      else if (patch.organisationId !== undefined) set.organisationId = toObjectId(patch.organisationId);
      if (patch.url !== undefined || patch.kind !== undefined) {
        if (patch.url !== undefined) set.url = patch.url.trim();
        if (patch.kind !== undefined) set.kind = patch.kind;
        set.cursor = {};
        unset.lastFullRunAt = 1;
      }
      const update: Record<string, unknown> = {};
      if (Object.keys(set).length) update.$set = set;
      if (Object.keys(unset).length) update.$unset = unset;
      if (!Object.keys(update).length) return await this.get(scope, id);
      return (await HarvestSource.findOneAndUpdate(byId(scope, id), update, {
        returnDocument: 'after',
        runValidators: true,
      }).lean()) as unknown as HarvestSourceRecord | null;
    },

    /**
     * Takes the source for one run, across processes: succeeds when no lease is held or the
     * held one expired (a worker that died mid-run). Returns the source and the lease token.
     * Atomic on MongoDB only: FerretDB 1.24 runs findOneAndUpdate as a read then a write, so
     * two concurrent claims can both succeed there; callers hold a Redis lock around it (the
     * harvest does) and use the token to fence what they record.
     */
    async claim(
      id: string,
      options: { now: Date; leaseMs: number },
    ): Promise<{ source: HarvestSourceRecord; token: string } | null> {
      const token = randomUUID();
      const source = (await HarvestSource.findOneAndUpdate(
        {
          _id: toObjectId(id),
          $or: [{ lease: { $exists: false } }, { lease: null }, { 'lease.until': { $lt: options.now } }],
        },
        {
          $set: {
            lease: { token, until: new Date(options.now.getTime() + options.leaseMs) },
            lastRunAt: options.now,
          },
        },
        { returnDocument: 'after' },
      ).lean()) as unknown as HarvestSourceRecord | null;
      return source ? { source, token } : null;
    },

    /** Extends a held lease (long runs). False when the lease was lost. */
    async renew(id: string, token: string, options: { now: Date; leaseMs: number }): Promise<boolean> {
      const result = await HarvestSource.updateOne(
        { _id: toObjectId(id), 'lease.token': token },
        { $set: { 'lease.until': new Date(options.now.getTime() + options.leaseMs) } },
      );
      return result.matchedCount === 1;
    },

    /** A successful run: stats, cursor, success stamps; the error is cleared and the lease freed. */
    async recordSuccess(
      id: string,
      token: string,
      result: { now: Date; stats: HarvestStats; cursor: HarvestCursor },
    ): Promise<void> {
      const set: Record<string, unknown> = {
        lastSuccessAt: result.now,
        stats: { ...result.stats, problems: result.stats.problems.slice(0, HARVEST_PROBLEMS_KEPT) },
        cursor: result.cursor,
      };
      if (result.stats.full) set.lastFullRunAt = result.now;
      await HarvestSource.updateOne(
        { _id: toObjectId(id), 'lease.token': token },
        { $set: set, $unset: { lease: 1, lastError: 1 } },
      );
    },

    /** A failed run: the error and what was counted; the cursor stays where it was. */
    async recordFailure(
      id: string,
      token: string,
      result: { now: Date; error: { code: string; message: string }; stats: HarvestStats },
    ): Promise<void> {
      await HarvestSource.updateOne(
        { _id: toObjectId(id), 'lease.token': token },
        {
          $set: {
            lastError: { ...result.error, at: result.now },
            stats: { ...result.stats, problems: result.stats.problems.slice(0, HARVEST_PROBLEMS_KEPT) },
          },
          $unset: { lease: 1 },
        },
      );
    },
  };
}

export type HarvestSourceRepository = ReturnType<typeof harvestSourceRepository>;

/** An organisation as a catalog names it. */
export interface CatalogOrganisationRef {
  /** The source's id for it (CKAN organisation id, DCAT publisher URI); null when it has none. */
  externalId: string | null;
  slug: string;
  name: string;
}

/**
 * The harvest's view of the `organisations` collection: match what a catalog names by
 * external id, then by slug (linking the external id), or create it. Names and hierarchy
 * stay the admins': an existing organisation is never renamed by a harvest.
 */
export function catalogOrganisationRepository(models: Models) {
  const { Organisation } = models;
  return {
    async ensure(org: CatalogOrganisationRef): Promise<{ id: string; created: boolean }> {
      if (org.externalId) {
        // Served by { externalIds: 1 }.
        const known = (await Organisation.findOne({ externalIds: org.externalId }, { _id: 1 }).lean()) as {
          _id: Types.ObjectId;
        } | null;
        if (known) return { id: String(known._id), created: false };
      }
      const link = async () => {
        // Served by { slug: 1 } (unique).
        const bySlug = (await Organisation.findOne({ slug: org.slug }, { _id: 1 }).lean()) as {
          _id: Types.ObjectId;
        } | null;
        if (bySlug && org.externalId) {
          await Organisation.updateOne({ _id: bySlug._id }, { $addToSet: { externalIds: org.externalId } });
        }
        return bySlug;
      };
      const existing = await link();
      if (existing) return { id: String(existing._id), created: false };
      try {
        const created = await Organisation.create({
          slug: org.slug,
          name: org.name,
          externalIds: org.externalId ? [org.externalId] : [],
        });
        return { id: String(created._id), created: true };
      } catch (error) {
        // Another run created it between the read and the write.
        if (!isDuplicateKeyError(error)) throw error;
        const raced = await link();
        if (!raced) throw error;
        return { id: String(raced._id), created: false };
      }
    },
  };
}

export type CatalogOrganisationRepository = ReturnType<typeof catalogOrganisationRepository>;
