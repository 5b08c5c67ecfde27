import { resolveLicence } from './licences.ts';
import {
  httpUrl,
  isRecord,
  normaliseFormat,
  normaliseFrequency,
  normaliseMediaType,
  parseByteSize,
  parseCatalogDate,
  parseHash,
  parseSchema,
  plainText,
  slugify,
  text,
  uniqueTexts,
} from './normalise.ts';
import type {
  AccessRights,
  CatalogContactPoint,
  CatalogDataset,
  CatalogMappingWarning,
  CatalogOrganisation,
  CatalogPage,
  CatalogResource,
  DatasetMapResult,
  MappingOptions,
  MapResult,
} from './types.ts';

// CKAN Action API (`package_show`, `package_search`, `organization_show`). DKAN portals
// such as datosabiertos.gob.pe answer the same calls with a few differences the mapper
// absorbs: `result` is an array, dates are localised, states are capitalised, sizes are
// human strings, and the organisation may be missing (the author names the publisher).

const FREQUENCY_KEYS = ['frequency', 'accrualPeriodicity', 'accrual_periodicity', 'update_frequency'];

function extrasOf(pkg: Record<string, unknown>): Map<string, unknown> {
  const extras = new Map<string, unknown>();
  if (Array.isArray(pkg.extras)) {
    for (const extra of pkg.extras) {
      if (isRecord(extra) && typeof extra.key === 'string') extras.set(extra.key, extra.value);
    }
  } else if (isRecord(pkg.extras)) {
    // Some CKAN 2.x plugins and DKAN return extras as a plain object.
    for (const [key, value] of Object.entries(pkg.extras)) extras.set(key, value);
  }
  return extras;
}

/** A top-level field (ckanext-scheming) wins over the same key in `extras`. */
function field(pkg: Record<string, unknown>, extras: Map<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) {
    if (text(pkg[key]) !== null) return pkg[key];
  }
  for (const key of keys) {
    if (text(extras.get(key)) !== null) return extras.get(key);
  }
  return undefined;
}

export function mapCkanOrganization(org: unknown): MapResult<CatalogOrganisation> {
  if (!isRecord(org)) {
    return { ok: false, error: { code: 'not-an-object', message: 'The organisation is not a JSON object' } };
  }
  const externalId = text(org.id);
  const name = text(org.name);
  if (externalId === null && name === null) {
    return {
      ok: false,
      error: { code: 'missing-id', message: 'The organisation has neither an id nor a name' },
    };
  }
  const title = text(org.title) ?? text(org.display_name) ?? name ?? externalId!;
  return {
    ok: true,
    value: { externalId: externalId ?? name, name: name ?? slugify(title), title },
    warnings: [],
  };
}

function contactPointOf(pkg: Record<string, unknown>): CatalogContactPoint | null {
  const maintainer = { name: text(pkg.maintainer), email: emailOf(pkg.maintainer_email) };
  if (maintainer.name !== null || maintainer.email !== null) return maintainer;
  const author = { name: text(pkg.author), email: emailOf(pkg.author_email) };
  if (author.name !== null || author.email !== null) return author;
  return null;
}

function emailOf(value: unknown): string | null {
  const raw = text(value)?.replace(/^mailto:/i, '') ?? null;
  return raw !== null && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw) ? raw.toLowerCase() : null;
}

function accessRightsOf(pkg: Record<string, unknown>, extras: Map<string, unknown>): AccessRights | null {
  const declared = text(field(pkg, extras, 'access_rights', 'accessLevel', 'access_level'))?.toLowerCase();
  if (declared) {
    if (/non[-_ ]?public|no p[uú]blic/.test(declared)) return 'non-public';
    if (/restrict/.test(declared)) return 'restricted';
    if (/public/.test(declared)) return 'public';
  }
  // An explicit `private: false` from the public API means anyone may read it; `private:
  // true` on a public endpoint is a DKAN artefact (the Peruvian portal sets it on public
  // datasets), so it is not taken as a restriction.
  return pkg.private === false ? 'public' : null;
}

function mapResource(
  raw: unknown,
  index: number,
  pkg: Record<string, unknown>,
  options: MappingOptions,
  warnings: CatalogMappingWarning[],
): CatalogResource | null {
  const path = `resources[${index}]`;
  if (!isRecord(raw)) {
    warnings.push({ code: 'resource-skipped', message: 'The resource is not a JSON object', path });
    return null;
  }
  const state = text(raw.state)?.toLowerCase();
  if (state === 'deleted') {
    warnings.push({ code: 'resource-skipped', message: 'The resource is deleted', path });
    return null;
  }
  const url = httpUrl(raw.url);
  const externalId = text(raw.id) ?? url;
  if (externalId === null) {
    warnings.push({ code: 'resource-skipped', message: 'The resource has neither an id nor a URL', path });
    return null;
  }
  if (text(raw.url) !== null && url === null) {
    warnings.push({
      code: 'value-ignored',
      message: 'The resource URL is not an http(s) URL',
      path: `${path}.url`,
    });
  }
  const mediaType = normaliseMediaType(raw.mimetype);
  const format = normaliseFormat(raw.format, mediaType, url);
  const offset = options.localUtcOffset;
  return {
    externalId,
    name: text(raw.name),
    description: plainText(raw.description),
    url,
    accessUrl: url,
    // CKAN's `url` is the file itself; ckanext-dcat adds `download_url` when they differ.
    downloadUrl: httpUrl(raw.download_url) ?? url,
    format,
    mediaType: mediaType ?? normaliseMediaType(raw.mimetype_inner),
    size: parseByteSize(raw.size),
    hash: parseHash(raw.hash),
    schema: parseSchema(raw.schema),
    issued: parseCatalogDate(raw.created, offset),
    modified:
      parseCatalogDate(raw.last_modified, offset) ??
      parseCatalogDate(raw.metadata_modified, offset) ??
      parseCatalogDate(raw.revision_timestamp, offset) ??
      parseCatalogDate(pkg.metadata_modified, offset),
  };
}

/** One `package_show` result or `package_search` item as a catalog record. Never throws. */
export function mapCkanPackage(pkg: unknown, options: MappingOptions = {}): DatasetMapResult {
  if (!isRecord(pkg)) {
    return { ok: false, error: { code: 'not-an-object', message: 'The package is not a JSON object' } };
  }
  const externalId = text(pkg.id);
  if (externalId === null) {
    return { ok: false, error: { code: 'missing-id', message: 'The package has no id' } };
  }
  const name = text(pkg.name);
  const title = text(pkg.title) ?? name;
  if (title === null) {
    return {
      ok: false,
      error: { code: 'missing-title', message: 'The package has neither a title nor a name', externalId },
    };
  }
  const warnings: CatalogMappingWarning[] = [];
  const extras = extrasOf(pkg);
  const offset = options.localUtcOffset;

  let organisation: CatalogOrganisation | null = null;
  if (pkg.organization !== undefined && pkg.organization !== null) {
    const mapped = mapCkanOrganization(pkg.organization);
    if (mapped.ok) organisation = mapped.value;
    else warnings.push({ code: 'value-ignored', message: mapped.error.message, path: 'organization' });
  }
  const author = text(pkg.author);
  if (organisation === null && author !== null) {
    organisation = { externalId: null, name: slugify(author), title: author };
  }

  const keywords = uniqueTexts(
    Array.isArray(pkg.tags)
      ? pkg.tags.map((tag) => (isRecord(tag) ? (tag.display_name ?? tag.name) : tag))
      : typeof pkg.tags === 'string'
        ? pkg.tags.split(',')
        : [],
  );
  const themes = uniqueTexts([
    ...(Array.isArray(pkg.groups)
      ? pkg.groups.map((group) => (isRecord(group) ? (group.title ?? group.name) : group))
      : []),
    ...(text(field(pkg, extras, 'theme'))?.split(/[,;]/) ?? []),
  ]);

  const resources: CatalogResource[] = [];
  if (Array.isArray(pkg.resources)) {
    pkg.resources.forEach((raw, index) => {
      const resource = mapResource(raw, index, pkg, options, warnings);
      if (resource) resources.push(resource);
    });
  }

  const slug = name ?? slugify(title);
  const landingPage =
    httpUrl(field(pkg, extras, 'landing_page', 'landingPage')) ??
    (options.siteUrl ? `${options.siteUrl.replace(/\/+$/, '')}/dataset/${encodeURIComponent(slug)}` : null) ??
    httpUrl(pkg.url);

  const dataset: CatalogDataset = {
    source: 'ckan',
    externalId,
    name: slug,
    title,
    description: plainText(pkg.notes),
    organisation,
    licence: resolveLicence({
      id: text(pkg.license_id),
      title: text(pkg.license_title),
      url: text(pkg.license_url),
    }),
    keywords,
    themes,
    contactPoint: contactPointOf(pkg),
    updateFrequency: normaliseFrequency(field(pkg, extras, ...FREQUENCY_KEYS)),
    issued:
      parseCatalogDate(field(pkg, extras, 'issued'), offset) ??
      parseCatalogDate(pkg.metadata_created, offset),
    modified:
      parseCatalogDate(field(pkg, extras, 'modified'), offset) ??
      parseCatalogDate(pkg.metadata_modified, offset),
    landingPage,
    accessRights: accessRightsOf(pkg, extras),
    rights: text(field(pkg, extras, 'rights')),
    spatial: text(field(pkg, extras, 'spatial', 'spatial_uri', 'spatial_text')),
    temporal: temporalOf(pkg, extras),
    resources,
  };
  return { ok: true, dataset, warnings };
}

function temporalOf(pkg: Record<string, unknown>, extras: Map<string, unknown>): string | null {
  const single = text(field(pkg, extras, 'temporal', 'temporal_coverage'));
  if (single !== null) return single;
  const start = text(field(pkg, extras, 'temporal_start'));
  const end = text(field(pkg, extras, 'temporal_end'));
  if (start === null && end === null) return null;
  return `${start ?? '..'}/${end ?? '..'}`;
}

function ckanFailure(response: Record<string, unknown>): string {
  const error = response.error;
  if (isRecord(error)) {
    const kind = text(error.__type);
    const message = text(error.message);
    return [kind, message].filter(Boolean).join(': ') || 'CKAN reported a failure';
  }
  return 'CKAN reported a failure';
}

function emptyPage(error: CatalogPage['errors'][number]): CatalogPage {
  return { items: [], count: 0, errors: [error], warnings: [] };
}

/** A `package_search` response: `{ success, result: { count, results } }`. */
export function ckanPackageSearchPage(response: unknown, options: MappingOptions = {}): CatalogPage {
  if (!isRecord(response)) {
    return emptyPage({ code: 'invalid-response', message: 'The response is not a JSON object' });
  }
  if (response.success !== true) {
    return emptyPage({ code: 'source-error', message: ckanFailure(response) });
  }
  const result = response.result;
  if (!isRecord(result) || !Array.isArray(result.results)) {
    return emptyPage({ code: 'invalid-response', message: 'The response has no result.results list' });
  }
  const page: CatalogPage = { items: [], count: 0, errors: [], warnings: [] };
  result.results.forEach((item, index) => {
    const mapped = mapCkanPackage(item, options);
    if (mapped.ok) {
      page.items.push(mapped.dataset);
      for (const warning of mapped.warnings)
        page.warnings.push({ ...warning, externalId: mapped.dataset.externalId });
    } else {
      page.errors.push({ ...mapped.error, index });
    }
  });
  const count = result.count;
  page.count =
    typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : result.results.length;
  return page;
}

/**
 * A `package_show` response. CKAN answers with one package in `result`; DKAN answers with
 * a one-element array, which is taken the same way.
 */
export function ckanPackageShowResult(response: unknown, options: MappingOptions = {}): DatasetMapResult {
  if (!isRecord(response)) {
    return { ok: false, error: { code: 'invalid-response', message: 'The response is not a JSON object' } };
  }
  if (response.success !== true) {
    return { ok: false, error: { code: 'source-error', message: ckanFailure(response) } };
  }
  const result = Array.isArray(response.result) ? response.result[0] : response.result;
  if (result === undefined) {
    return { ok: false, error: { code: 'no-datasets', message: 'The response holds no package' } };
  }
  return mapCkanPackage(result, options);
}
