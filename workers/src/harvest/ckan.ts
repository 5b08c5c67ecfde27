import {
  type CatalogOrganisation,
  ckanPackageSearchPage,
  mapCkanOrganization,
  parseCatalogDate,
} from '@quipu/core/catalog';
import type { HarvestCursor } from '@quipu/db';
import { FetchError } from '@quipu/fetch';
import type { CatalogClient } from './fetching.ts';
import { type CatalogSnapshot, emptySnapshot } from './snapshot.ts';

export interface CkanReadOptions {
  /** `package_search` rows per page (CKAN caps it at 1000). */
  pageSize: number;
  /** `organization_list` page size (CKAN's default cap with all_fields is 25). */
  organisationPageSize: number;
  /** List everything instead of what changed since the cursor. */
  full: boolean;
  /** Called after each page (lease renewal). */
  onPage?: () => Promise<void>;
}

/** A catalog answered, but not with what the CKAN Action API promises. */
export class CatalogFormatError extends Error {
  readonly code = 'invalid_response';
}

/** `…/api/3/action/` under the source's URL, whether the URL is the site or already the API. */
export function ckanActionBase(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return /\/api\/3\/action$/.test(trimmed) ? `${trimmed}/` : `${trimmed}/api/3/action/`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Solr wants a `Z` instant; CKAN prints UTC without a zone, which parseCatalogDate reads as UTC. */
function solrInstant(iso: string): string {
  return new Date(iso).toISOString();
}

async function readOrganisations(
  client: CatalogClient,
  base: string,
  pageSize: number,
  snapshot: CatalogSnapshot,
) {
  const seen = new Set<string>();
  for (let offset = 0, guard = 0; guard < 1_000; guard++) {
    const url = `${base}organization_list?all_fields=true&limit=${pageSize}&offset=${offset}`;
    let json: unknown;
    try {
      json = (await client.getJson(url)).json;
    } catch (error) {
      // Some CKAN forks (DKAN) do not implement the call: datasets still name their organisation.
      if (error instanceof FetchError && error.code === 'http_status' && !error.transient) {
        snapshot.notes.push({ code: 'organisations-unavailable', message: error.message });
        return;
      }
      throw error;
    }
    if (!isRecord(json) || json.success !== true || !Array.isArray(json.result)) {
      snapshot.notes.push({
        code: 'organisations-unavailable',
        message: 'organization_list did not answer with a list',
      });
      return;
    }
    let fresh = 0;
    json.result.forEach((raw, index) => {
      const mapped = mapCkanOrganization(raw);
      if (!mapped.ok) {
        snapshot.notes.push({
          code: `organisation-${mapped.error.code}`,
          message: mapped.error.message,
          index: offset + index,
        });
        return;
      }
      const key = mapped.value.externalId ?? mapped.value.name;
      if (seen.has(key)) return;
      seen.add(key);
      fresh += 1;
      snapshot.organisations.push(mapped.value);
    });
    // Old CKAN versions ignore limit/offset and answer everything every time.
    if (json.result.length < pageSize || fresh === 0) return;
    offset += pageSize;
  }
}

/**
 * Reads a CKAN catalog through the Action API: the organisations, then `package_search`
 * pages oldest change first, restricted to changes since the cursor unless `full`.
 */
export async function readCkanCatalog(
  client: CatalogClient,
  sourceUrl: string,
  cursor: HarvestCursor,
  options: CkanReadOptions,
): Promise<CatalogSnapshot> {
  const base = ckanActionBase(sourceUrl);
  const incremental = !options.full && cursor.lastModified ? cursor.lastModified : null;
  const snapshot = emptySnapshot({ ...cursor });
  snapshot.full = incremental === null;
  await readOrganisations(client, base, options.organisationPageSize, snapshot);

  let newest = cursor.lastModified ?? null;
  let start = 0;
  let count = Number.POSITIVE_INFINITY;
  while (start < count) {
    const params = new URLSearchParams({
      rows: String(options.pageSize),
      start: String(start),
      sort: 'metadata_modified asc',
    });
    if (incremental) params.set('fq', `metadata_modified:[${solrInstant(incremental)} TO *]`);
    const { json } = await client.getJson(`${base}package_search?${params}`);
    const page = ckanPackageSearchPage(json);
    const fatal = page.errors.find((error) => error.index === undefined);
    if (fatal) throw new CatalogFormatError(`package_search (start=${start}): ${fatal.message}`);
    const results = (json as { result: { results: unknown[] } }).result.results;
    snapshot.pages += 1;
    count = page.count;
    if (snapshot.pages === 1) snapshot.reportedCount = page.count;

    const byId = new Map(page.items.map((item) => [item.externalId, item]));
    results.forEach((raw, index) => {
      const modified = isRecord(raw) ? parseCatalogDate(raw.metadata_modified) : null;
      if (modified !== null && (newest === null || modified > newest)) newest = modified;
      const id = isRecord(raw) && typeof raw.id === 'string' && raw.id.trim() ? raw.id.trim() : null;
      const dataset = id !== null ? byId.get(id) : undefined;
      if (dataset) {
        snapshot.entries.push({ dataset, sourceModified: modified });
        return;
      }
      const error = page.errors.find((e) => e.index === index);
      snapshot.malformed.push({
        code: error?.code ?? 'malformed',
        message: error?.message ?? 'The package could not be read',
        index: start + index,
        ...(id !== null ? { externalId: id } : {}),
      });
      if (id !== null) snapshot.malformedIds.push(id);
    });
    await options.onPage?.();
    if (results.length === 0) break;
    start += results.length;
    // A source that keeps answering past its own count would otherwise page forever.
    if (snapshot.pages > Math.ceil(snapshot.reportedCount / Math.max(1, options.pageSize)) + 10) {
      throw new CatalogFormatError('package_search keeps answering past the count it reported');
    }
  }
  if (newest !== null) snapshot.cursor.lastModified = newest;
  return snapshot;
}

export type { CatalogOrganisation };
