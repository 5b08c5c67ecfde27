import { type CatalogPage, dcatUsCatalog, mapDcatJsonLd } from '@quipu/core/catalog';
import type { HarvestCursor } from '@quipu/db';
import { CatalogFormatError } from './ckan.ts';
import type { CatalogClient } from './fetching.ts';
import { type CatalogSnapshot, emptySnapshot } from './snapshot.ts';

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The identifier a DCAT-US entry carries even when the rest of it cannot be read. */
function rawIdentifier(document: unknown, index: number): string | null {
  const list = (document as { dataset?: unknown } | null)?.dataset;
  const item = Array.isArray(list) ? list[index] : undefined;
  const id = (item as { identifier?: unknown } | null | undefined)?.identifier;
  return typeof id === 'string' && id.trim() ? id.trim() : null;
}

/**
 * Reads a whole DCAT catalog in one capped GET: a Project Open Data `data.json` or a
 * DCAT-AP JSON-LD graph. Conditional on the last ETag / Last-Modified, so an unchanged
 * document costs one 304. Always a full listing.
 */
export async function readDcatCatalog(
  client: CatalogClient,
  kind: 'dcat-us' | 'dcat-jsonld',
  url: string,
  cursor: HarvestCursor,
  options: { full: boolean },
): Promise<CatalogSnapshot> {
  const snapshot = emptySnapshot({ ...cursor });
  snapshot.full = true;
  const response = await client.getJson(
    url,
    options.full ? {} : { ifNoneMatch: cursor.etag, ifModifiedSince: cursor.httpLastModified },
  );
  snapshot.pages = 1;
  if (response.notModified) {
    snapshot.notModified = true;
    snapshot.full = false;
    return snapshot;
  }
  const page: CatalogPage = kind === 'dcat-us' ? dcatUsCatalog(response.json) : mapDcatJsonLd(response.json);
  const fatal = page.errors.find((error) => error.index === undefined);
  // A document with no dataset at all is far more likely a broken export than an emptied catalog.
  if (fatal) throw new CatalogFormatError(`${kind} document: ${fatal.message}`);
  snapshot.reportedCount = page.count;
  for (const dataset of page.items) snapshot.entries.push({ dataset, sourceModified: dataset.modified });
  for (const error of page.errors) {
    const id =
      error.externalId ??
      (kind === 'dcat-us' && error.index !== undefined ? rawIdentifier(response.json, error.index) : null);
    snapshot.malformed.push({
      code: error.code,
      message: error.message,
      ...(error.index !== undefined ? { index: error.index } : {}),
      ...(id ? { externalId: id } : {}),
    });
    if (id) snapshot.malformedIds.push(id);
  }
  const etag = header(response.headers.etag);
  const lastModified = header(response.headers['last-modified']);
  snapshot.cursor = {
    ...(etag ? { etag } : {}),
    ...(lastModified ? { httpLastModified: lastModified } : {}),
  };
  return snapshot;
}
