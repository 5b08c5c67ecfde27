import { resolveLicence } from './licences.ts';
import {
  httpUrl,
  isRecord,
  normaliseFormat,
  normaliseFrequency,
  normaliseMediaType,
  parseByteSize,
  parseCatalogDate,
  plainText,
  slugify,
  text,
  uniqueTexts,
} from './normalise.ts';
import type {
  AccessRights,
  CatalogDataset,
  CatalogMappingWarning,
  CatalogPage,
  CatalogResource,
  DatasetMapResult,
  MappingOptions,
} from './types.ts';

// Project Open Data Metadata Schema v1.1 (the `data.json` catalogs of US federal and many
// Latin American portals): https://resources.data.gov/resources/dcat-us/

function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  return [value];
}

function accessLevelOf(value: unknown): AccessRights | null {
  switch (text(value)?.toLowerCase()) {
    case 'public':
      return 'public';
    case 'restricted public':
      return 'restricted';
    case 'non-public':
      return 'non-public';
    default:
      return null;
  }
}

function emailOf(value: unknown): string | null {
  const raw = text(value)?.replace(/^mailto:/i, '') ?? null;
  return raw !== null && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw) ? raw.toLowerCase() : null;
}

// `describedBy` often points at a PDF data dictionary; only a JSON document can be a Table Schema.
function schemaUrlOf(distribution: Record<string, unknown>): string | null {
  const url = httpUrl(distribution.describedBy);
  if (url === null) return null;
  const type = normaliseMediaType(distribution.describedByType);
  if (type !== null) return type === 'application/json' || type.endsWith('+json') ? url : null;
  return /\.json(?:$|\?)/i.test(url) ? url : null;
}

function mapDistribution(
  raw: unknown,
  index: number,
  datasetId: string,
  warnings: CatalogMappingWarning[],
): CatalogResource | null {
  const path = `distribution[${index}]`;
  if (!isRecord(raw)) {
    warnings.push({ code: 'resource-skipped', message: 'The distribution is not a JSON object', path });
    return null;
  }
  const downloadUrl = httpUrl(raw.downloadURL);
  const accessUrl = httpUrl(raw.accessURL) ?? downloadUrl;
  const url = downloadUrl ?? accessUrl;
  if (url === null) {
    warnings.push({
      code: 'resource-skipped',
      message: 'The distribution has no http(s) downloadURL or accessURL',
      path,
    });
    return null;
  }
  const mediaType = normaliseMediaType(raw.mediaType);
  return {
    // data.json gives distributions no identifier; the URL is the most stable thing they have.
    externalId: text(raw['@id']) ?? text(raw.identifier) ?? url ?? `${datasetId}#${index}`,
    name: text(raw.title),
    description: plainText(raw.description),
    url,
    accessUrl,
    downloadUrl,
    format: normaliseFormat(raw.format, mediaType, url),
    mediaType,
    size: parseByteSize(raw.byteSize),
    hash: null,
    schema: schemaUrlOf(raw),
    issued: parseCatalogDate(raw.issued),
    modified: parseCatalogDate(raw.modified),
  };
}

/** One entry of a data.json `dataset` array. Never throws. */
export function mapDcatUsDataset(item: unknown, options: MappingOptions = {}): DatasetMapResult {
  if (!isRecord(item)) {
    return { ok: false, error: { code: 'not-an-object', message: 'The dataset is not a JSON object' } };
  }
  const externalId = text(item.identifier);
  if (externalId === null) {
    return { ok: false, error: { code: 'missing-id', message: 'The dataset has no identifier' } };
  }
  const title = text(item.title);
  if (title === null) {
    return { ok: false, error: { code: 'missing-title', message: 'The dataset has no title', externalId } };
  }
  const warnings: CatalogMappingWarning[] = [];
  const publisher = isRecord(item.publisher) ? item.publisher : null;
  const publisherName = text(publisher?.name);
  const contact = isRecord(item.contactPoint) ? item.contactPoint : null;
  const contactName = text(contact?.fn);
  const contactEmail = emailOf(contact?.hasEmail);

  const resources: CatalogResource[] = [];
  list(item.distribution).forEach((raw, index) => {
    const resource = mapDistribution(raw, index, externalId, warnings);
    if (resource) resources.push(resource);
  });

  const licenceUrl = text(item.license);
  const dataset: CatalogDataset = {
    source: 'dcat',
    externalId,
    name: slugify(title) || slugify(externalId),
    title,
    description: plainText(item.description),
    organisation: publisherName
      ? { externalId: text(publisher?.['@id']), name: slugify(publisherName), title: publisherName }
      : null,
    licence: licenceUrl ? resolveLicence({ url: licenceUrl }) : null,
    keywords: uniqueTexts(typeof item.keyword === 'string' ? item.keyword.split(',') : list(item.keyword)),
    themes: uniqueTexts(list(item.theme)),
    contactPoint:
      contactName !== null || contactEmail !== null ? { name: contactName, email: contactEmail } : null,
    updateFrequency: normaliseFrequency(item.accrualPeriodicity),
    issued: parseCatalogDate(item.issued, options.localUtcOffset),
    modified: parseCatalogDate(item.modified, options.localUtcOffset),
    landingPage: httpUrl(item.landingPage),
    accessRights: accessLevelOf(item.accessLevel),
    rights: text(item.rights),
    spatial: text(item.spatial),
    temporal: text(item.temporal),
    resources,
  };
  return { ok: true, dataset, warnings };
}

/** A whole data.json catalog: `{ "@type": "dcat:Catalog", dataset: [...] }`. */
export function dcatUsCatalog(document: unknown, options: MappingOptions = {}): CatalogPage {
  if (!isRecord(document) || !Array.isArray(document.dataset)) {
    return {
      items: [],
      count: 0,
      errors: [{ code: 'invalid-response', message: 'The document has no dataset list' }],
      warnings: [],
    };
  }
  const page: CatalogPage = { items: [], count: document.dataset.length, errors: [], warnings: [] };
  document.dataset.forEach((item, index) => {
    const mapped = mapDcatUsDataset(item, options);
    if (mapped.ok) {
      page.items.push(mapped.dataset);
      for (const warning of mapped.warnings)
        page.warnings.push({ ...warning, externalId: mapped.dataset.externalId });
    } else {
      page.errors.push({ ...mapped.error, index });
    }
  });
  return page;
}
