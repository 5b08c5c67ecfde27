import type { CatalogOrganisation } from '@quipu/core/catalog';
import {
  type CatalogOrganisationRef,
  catalogOrganisationRepository,
  datasetRepository,
  EVERYTHING,
  emptyHarvestStats,
  type HarvestSourceRecord,
  type HarvestStats,
  harvestSourceRepository,
  registerModels,
} from '@quipu/db';
import { FetchError, HostBusyError, hostLimiter } from '@quipu/fetch';
import { mongo } from 'mongoose';
import type { Runtime } from '../runtime.ts';
import { CatalogFormatError, readCkanCatalog } from './ckan.ts';
import { readDcatCatalog } from './dcat.ts';
import { catalogClient } from './fetching.ts';
import { onDatasetsChanged } from './hooks.ts';
import { type CatalogSnapshot, toHarvestedDataset } from './snapshot.ts';

/** A run holds its source this long without renewing (renewed after every page). */
const LEASE_MS = 15 * 60_000;
/** Incremental CKAN runs cannot see deletions; a full listing is forced this often. */
export const FULL_RUN_EVERY_MS = 7 * 24 * 60 * 60_000;

export interface HarvestRunOptions {
  /** `package_search` rows per page. Default 100. */
  pageSize?: number;
  /** `organization_list` page size. Default 25 (CKAN's cap with all_fields). */
  organisationPageSize?: number;
  /** List everything and sweep withdrawals, whatever the cursor says. */
  full?: boolean;
  signal?: AbortSignal;
}

export type HarvestRunResult =
  | { status: 'done'; sourceId: string; stats: HarvestStats; changedDatasetIds: string[] }
  | { status: 'skipped'; sourceId: string; reason: 'unknown' | 'disabled' | 'running' }
  | {
      status: 'failed';
      sourceId: string;
      stats: HarvestStats;
      error: { code: string; message: string };
      /** Worth retrying (timeouts, 5xx, busy host); false for what retrying cannot fix. */
      transient: boolean;
    };

function slugOf(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
}

class LeaseLostError extends Error {
  readonly code = 'lease_lost';
}

function describeFailure(error: unknown): { code: string; message: string; transient: boolean } {
  if (error instanceof LeaseLostError) return { code: error.code, message: error.message, transient: false };
  if (error instanceof FetchError)
    return { code: error.code, message: error.message, transient: error.transient };
  if (error instanceof HostBusyError) return { code: error.code, message: error.message, transient: true };
  if (error instanceof CatalogFormatError)
    return { code: error.code, message: error.message, transient: false };
  // Database and other unexpected errors: retry, the job's backoff gives the database time.
  return { code: 'internal', message: (error as Error)?.message ?? String(error), transient: true };
}

function isValidationError(error: unknown): boolean {
  return (error as Error)?.name === 'ValidationError' || (error as Error)?.name === 'CastError';
}

/**
 * One harvest of one source: claim it (one run at a time, across processes), read the
 * whole answer (nothing is written if reading fails), then upsert organisations and
 * datasets, sweep withdrawals on complete full listings, record the outcome, and hand the
 * datasets whose resources changed to `onDatasetsChanged`. Running it twice over the same
 * catalog changes nothing the second time.
 */
export async function runHarvest(
  runtime: Runtime,
  sourceId: string,
  options: HarvestRunOptions = {},
): Promise<HarvestRunResult> {
  const models = registerModels(runtime.connection);
  const sources = harvestSourceRepository(models);
  const existing = await sources.get(EVERYTHING, sourceId);
  if (!existing) return { status: 'skipped', sourceId, reason: 'unknown' };
  if (!existing.enabled) return { status: 'skipped', sourceId, reason: 'disabled' };
  // FerretDB 1.24 runs findOneAndUpdate as a read then a write, so two processes can both
  // "claim" the source there; a Redis SET NX lock (one slot, no wait) is the real mutual
  // exclusion, and the MongoDB lease fences what a run may record.
  const lock = await runLocks(runtime)
    .acquire(`source-${sourceId}`)
    .catch((error: unknown) => {
      if (error instanceof HostBusyError) return null;
      throw error;
    });
  if (!lock) return { status: 'skipped', sourceId, reason: 'running' };
  try {
    const claim = await sources.claim(sourceId, { now: runtime.now(), leaseMs: LEASE_MS });
    if (!claim) return { status: 'skipped', sourceId, reason: 'running' };
    return await claimedRun(runtime, claim, options);
  } finally {
    await lock.release().catch(() => {});
  }
}

/** One slot per source, renewed while held, freed at expiry if the process dies. */
function runLocks(runtime: Runtime) {
  return hostLimiter(runtime.redis, {
    prefix: `${runtime.queues.prefix}:harvest-run`,
    maxConcurrent: 1,
    minIntervalMs: 0,
    leaseMs: LEASE_MS,
    maxWaitMs: 0,
  });
}

async function claimedRun(
  runtime: Runtime,
  claim: { source: HarvestSourceRecord; token: string },
  options: HarvestRunOptions,
): Promise<HarvestRunResult> {
  const sources = harvestSourceRepository(registerModels(runtime.connection));
  const { source, token } = claim;
  const sourceId = String(source._id);
  const started = Date.now();
  const stats = emptyHarvestStats();
  const renew = async () => {
    if (!(await sources.renew(sourceId, token, { now: runtime.now(), leaseMs: LEASE_MS }))) {
      throw new LeaseLostError(
        'the run lost its lease on the source (another run took over); nothing more was written',
      );
    }
  };

  try {
    const snapshot = await read(runtime, source, options, renew);
    stats.full = snapshot.full;
    stats.notModified = snapshot.notModified;
    stats.pages = snapshot.pages;
    await renew();
    const changedDatasetIds = snapshot.notModified ? [] : await write(runtime, source, snapshot, stats);
    stats.durationMs = Date.now() - started;
    await sources.recordSuccess(sourceId, token, { now: runtime.now(), stats, cursor: snapshot.cursor });
    runtime.logger.info({ sourceId, ...stats, problems: stats.problems.length }, 'harvest done');
    if (changedDatasetIds.length) {
      // The catalog is written; failing the job here would re-run a harvest that finds
      // nothing new, so the hook's failure is logged, not retried.
      await onDatasetsChanged(runtime, changedDatasetIds).catch((hookError: Error) =>
        runtime.logger.error(
          { sourceId, err: hookError.message, datasets: changedDatasetIds.length },
          'onDatasetsChanged failed',
        ),
      );
    }
    return { status: 'done', sourceId, stats, changedDatasetIds };
  } catch (error) {
    const failure = describeFailure(error);
    stats.durationMs = Date.now() - started;
    await sources
      .recordFailure(sourceId, token, {
        now: runtime.now(),
        error: { code: failure.code, message: failure.message },
        stats,
      })
      .catch(() => {});
    runtime.logger.warn({ sourceId, code: failure.code, err: failure.message }, 'harvest failed');
    return {
      status: 'failed',
      sourceId,
      stats,
      error: { code: failure.code, message: failure.message },
      transient: failure.transient,
    };
  }
}

async function read(
  runtime: Runtime,
  source: HarvestSourceRecord,
  options: HarvestRunOptions,
  renew: () => Promise<void>,
): Promise<CatalogSnapshot> {
  const client = catalogClient(runtime, options.signal);
  const now = runtime.now().getTime();
  const fullDue =
    options.full === true ||
    !source.lastFullRunAt ||
    now - new Date(source.lastFullRunAt).getTime() > FULL_RUN_EVERY_MS;
  const cursor = source.cursor ?? {};
  if (source.kind === 'ckan') {
    return await readCkanCatalog(client, source.url, cursor, {
      pageSize: options.pageSize ?? 100,
      organisationPageSize: options.organisationPageSize ?? 25,
      full: fullDue,
      onPage: renew,
    });
  }
  return await readDcatCatalog(client, source.kind, source.url, cursor, { full: options.full === true });
}

async function write(
  runtime: Runtime,
  source: HarvestSourceRecord,
  snapshot: CatalogSnapshot,
  stats: HarvestStats,
): Promise<string[]> {
  const models = registerModels(runtime.connection);
  const datasets = datasetRepository(models);
  const organisations = catalogOrganisationRepository(models);
  const sourceId = String(source._id);
  const now = runtime.now();
  const problems = stats.problems;

  // Per-run memo (not shared between jobs): each organisation is looked up once per run.
  const memo = new Map<string, Promise<string | null>>();
  const organisationOf = (org: CatalogOrganisation | null): Promise<string | null> => {
    if (org === null) return Promise.resolve(null);
    const slug = slugOf(org.name) || slugOf(org.title);
    if (!slug) return Promise.resolve(null);
    const key = org.externalId ?? `slug:${slug}`;
    let found = memo.get(key);
    if (!found) {
      const ref: CatalogOrganisationRef = { externalId: org.externalId, slug, name: org.title || org.name };
      found = organisations.ensure(ref).then((result) => {
        if (result.created) stats.organisationsCreated += 1;
        return result.id;
      });
      memo.set(key, found);
    }
    return found;
  };

  for (const org of snapshot.organisations) await organisationOf(org);
  for (const note of snapshot.notes) problems.push(note);

  stats.malformed = snapshot.malformed.length;
  for (const problem of snapshot.malformed) problems.push(problem);

  // Paging may show a dataset twice (it changed while we read); the later sighting wins.
  const latest = new Map(snapshot.entries.map((entry) => [entry.dataset.externalId, entry]));
  const changed: string[] = [];
  const defaultOwner = source.organisationId ? String(source.organisationId) : null;
  for (const { dataset, sourceModified } of latest.values()) {
    const organisationId = (await organisationOf(dataset.organisation)) ?? defaultOwner;
    if (organisationId === null) {
      stats.malformed += 1;
      problems.push({
        code: 'no-organisation',
        message: 'The dataset names no organisation and the source has no default owner',
        externalId: dataset.externalId,
      });
      continue;
    }
    try {
      const result = await datasets.upsertHarvested(
        toHarvestedDataset(dataset, { sourceId, organisationId, sourceModified }),
        { now },
      );
      stats[result.outcome] += 1;
      if (result.resourcesChanged) changed.push(result.id);
    } catch (error) {
      // A record the schema refuses is the source's problem; anything else (database down) fails the run.
      if (!isValidationError(error) && !(error instanceof mongo.MongoServerError && error.code === 2))
        throw error;
      stats.malformed += 1;
      problems.push({
        code: 'rejected',
        message: (error as Error).message.slice(0, 300),
        externalId: dataset.externalId,
      });
    }
  }
  stats.seen = latest.size + snapshot.malformed.length;

  if (snapshot.full) stats.withdrawn = await sweepWithdrawals(runtime, sourceId, snapshot, latest, stats);
  return changed;
}

/**
 * Datasets the source no longer lists are withdrawn (never deleted), but only when the
 * listing was complete: a source that lists fewer entries than it reported (paging shifted
 * under us) or nothing at all withdraws nothing.
 */
async function sweepWithdrawals(
  runtime: Runtime,
  sourceId: string,
  snapshot: CatalogSnapshot,
  latest: Map<string, unknown>,
  stats: HarvestStats,
): Promise<number> {
  const datasets = datasetRepository(registerModels(runtime.connection));
  const listed = latest.size + snapshot.malformed.length;
  if (listed === 0 || listed < snapshot.reportedCount) {
    stats.problems.push({
      code: 'withdrawal-skipped',
      message: `the listing was incomplete (${listed} of ${snapshot.reportedCount} entries); no dataset was withdrawn`,
    });
    return 0;
  }
  const stillThere = new Set([...latest.keys(), ...snapshot.malformedIds]);
  const known = await datasets.externalIdsOfSource(sourceId);
  const gone = [...known.entries()]
    .filter(([externalId, row]) => !row.withdrawn && !stillThere.has(externalId))
    .map(([, row]) => row.id);
  return await datasets.withdraw(sourceId, gone, { now: runtime.now() });
}
