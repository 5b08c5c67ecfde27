import type { CatalogDataset, CatalogOrganisation } from '@quipu/core/catalog';
import type { HarvestCursor, HarvestedDataset, HarvestedResource } from '@quipu/db';

/** One dataset as read from the source, with the source's own modification stamp. */
export interface CatalogEntry {
  dataset: CatalogDataset;
  /** ISO 8601 UTC (CKAN `metadata_modified`); drives the incremental cursor. */
  sourceModified: string | null;
}

export interface CatalogProblem {
  code: string;
  message: string;
  externalId?: string;
  index?: number;
}

/**
 * Everything one run read from a source, before anything is written: a run that fails while
 * reading (timeout, 500, bad JSON) writes nothing but the source's error.
 */
export interface CatalogSnapshot {
  /** Every dataset the source holds was listed (withdrawals may be swept). */
  full: boolean;
  /** A conditional GET answered 304: the catalog is as last time. */
  notModified: boolean;
  entries: CatalogEntry[];
  /** Entries that could not be mapped: counted, reported, skipped. */
  malformed: CatalogProblem[];
  /** External ids of malformed entries, which still exist upstream and must not be withdrawn. */
  malformedIds: string[];
  /** Problems that did not stop the run (e.g. no organisation list). */
  notes: CatalogProblem[];
  /** Organisations the source lists on their own (CKAN organization_list). */
  organisations: CatalogOrganisation[];
  /** How many datasets the source says the listing holds. */
  reportedCount: number;
  pages: number;
  cursor: HarvestCursor;
}

export function emptySnapshot(cursor: HarvestCursor): CatalogSnapshot {
  return {
    full: false,
    notModified: false,
    entries: [],
    malformed: [],
    malformedIds: [],
    notes: [],
    organisations: [],
    reportedCount: 0,
    pages: 0,
    cursor,
  };
}

function date(value: string | null): Date | null {
  if (value === null) return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/**
 * The normalised record as the dataset repository stores it. Resources without an http(s)
 * URL cannot be checked or reported against, so they are left out; a resource listed twice
 * keeps its first occurrence (the id must stay unique within the dataset).
 */
export function toHarvestedDataset(
  dataset: CatalogDataset,
  context: { sourceId: string; organisationId: string; sourceModified: string | null },
): HarvestedDataset {
  const resources: HarvestedResource[] = [];
  const ids = new Set<string>();
  for (const resource of dataset.resources) {
    if (resource.url === null || ids.has(resource.externalId)) continue;
    ids.add(resource.externalId);
    resources.push({
      _id: resource.externalId,
      externalId: resource.externalId,
      name: resource.name,
      description: resource.description,
      url: resource.url,
      accessUrl: resource.accessUrl,
      downloadUrl: resource.downloadUrl,
      format: resource.format,
      mediaType: resource.mediaType,
      size: resource.size,
      hash: resource.hash ? `${resource.hash.algorithm}:${resource.hash.value}` : null,
      schema: resource.schema,
      issued: date(resource.issued),
      modified: date(resource.modified),
    });
  }
  return {
    sourceId: context.sourceId,
    source: dataset.source === 'ckan' ? 'ckan' : 'dcat',
    externalId: dataset.externalId,
    name: dataset.name,
    title: dataset.title,
    description: dataset.description,
    organisationId: context.organisationId,
    tags: dataset.keywords,
    themes: dataset.themes,
    licence: dataset.licence ? { ...dataset.licence } : null,
    contactPoint: dataset.contactPoint ? { ...dataset.contactPoint } : null,
    updateFrequency: dataset.updateFrequency,
    landingPage: dataset.landingPage,
    issued: date(dataset.issued),
    modified: date(dataset.modified),
    accessRights: dataset.accessRights,
    rights: dataset.rights,
    spatial: dataset.spatial,
    temporal: dataset.temporal,
    resources,
    sourceModified: context.sourceModified,
  };
}
