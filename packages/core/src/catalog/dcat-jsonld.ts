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
  CatalogContactPoint,
  CatalogDataset,
  CatalogHash,
  CatalogMappingWarning,
  CatalogOrganisation,
  CatalogPage,
  CatalogResource,
  DatasetMapResult,
  MappingOptions,
} from './types.ts';

// DCAT-AP as JSON-LD, read without a JSON-LD processor: compacted documents (`dct:title`,
// `dcterms:title`, bare terms from a context) and expanded ones (full IRIs, every value in
// an array) both work, and references by `@id` are resolved within the same document.
// Contexts fetched from the network are not, on purpose: mapping stays pure.

type Node = Record<string, unknown>;

const NAMESPACES = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  spdx: 'http://spdx.org/rdf/terms#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  locn: 'http://www.w3.org/ns/locn#',
  schema: 'http://schema.org/',
} as const;

type Prefix = keyof typeof NAMESPACES;

const DEFAULT_PREFIXES: Record<Prefix, string[]> = {
  dcat: ['dcat'],
  dct: ['dct', 'dcterms', 'dc'],
  foaf: ['foaf'],
  vcard: ['vcard', 'v'],
  spdx: ['spdx'],
  rdf: ['rdf'],
  rdfs: ['rdfs'],
  skos: ['skos'],
  locn: ['locn'],
  schema: ['schema', 'sdo'],
};

interface Reader {
  index: Map<string, Node>;
  prefixes: Record<Prefix, string[]>;
  languages: string[];
  offset: string | undefined;
}

function prefixesFrom(context: unknown): Record<Prefix, string[]> {
  const prefixes = Object.fromEntries(
    Object.entries(DEFAULT_PREFIXES).map(([key, names]) => [key, [...names]]),
  ) as Record<Prefix, string[]>;
  for (const ctx of Array.isArray(context) ? context : [context]) {
    if (!isRecord(ctx)) continue;
    for (const [term, definition] of Object.entries(ctx)) {
      const iri =
        typeof definition === 'string' ? definition : isRecord(definition) ? definition['@id'] : null;
      if (typeof iri !== 'string') continue;
      for (const [prefix, namespace] of Object.entries(NAMESPACES) as Array<[Prefix, string]>) {
        if (iri === namespace && !prefixes[prefix].includes(term)) prefixes[prefix].push(term);
      }
    }
  }
  return prefixes;
}

/** Every way a compacted or expanded document may spell `prefix:local`, most explicit first. */
function keysFor(reader: Reader, prefix: Prefix, local: string): string[] {
  return [
    `${NAMESPACES[prefix]}${local}`,
    ...reader.prefixes[prefix].map((name) => `${name}:${local}`),
    local,
  ];
}

function values(reader: Reader, node: Node, prefix: Prefix, local: string): unknown[] {
  for (const key of keysFor(reader, prefix, local)) {
    const value = node[key];
    if (value === undefined || value === null) continue;
    return Array.isArray(value) ? value : [value];
  }
  return [];
}

function literal(value: unknown): string | null {
  if (isRecord(value)) {
    if ('@value' in value) return text(value['@value']);
    return null;
  }
  return text(value);
}

function iri(value: unknown): string | null {
  if (isRecord(value)) return text(value['@id']);
  const raw = text(value);
  return raw !== null && /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : null;
}

function resolve(reader: Reader, value: unknown): Node | null {
  if (!isRecord(value)) {
    const id = text(value);
    return id !== null ? (reader.index.get(id) ?? null) : null;
  }
  const id = text(value['@id']);
  const indexed = id !== null ? reader.index.get(id) : undefined;
  if (indexed) return indexed;
  return Object.keys(value).some((key) => !key.startsWith('@')) ? value : null;
}

function languageMatches(tag: unknown, wanted: string): boolean {
  if (typeof tag !== 'string') return false;
  const lower = tag.toLowerCase();
  return lower === wanted || lower.startsWith(`${wanted}-`);
}

/** The literal in the first preferred language present, else the first literal. */
function pick(reader: Reader, node: Node, prefix: Prefix, local: string): string | null {
  const all = values(reader, node, prefix, local);
  for (const language of reader.languages) {
    const found = all.find((value) => isRecord(value) && languageMatches(value['@language'], language));
    if (found !== undefined) return literal(found);
  }
  for (const value of all) {
    const found = literal(value);
    if (found !== null) return found;
  }
  return null;
}

/** All literals in the best language present (untagged ones always count). */
function pickAll(reader: Reader, node: Node, prefix: Prefix, local: string): string[] {
  const all = values(reader, node, prefix, local);
  const tagged = (value: unknown) => isRecord(value) && typeof value['@language'] === 'string';
  const language = reader.languages.find((wanted) =>
    all.some((value) => isRecord(value) && languageMatches(value['@language'], wanted)),
  );
  const chosen = all.filter((value) =>
    !tagged(value) ? true : language === undefined || languageMatches((value as Node)['@language'], language),
  );
  return uniqueTexts(chosen.map(literal));
}

function firstIri(reader: Reader, node: Node, prefix: Prefix, local: string): string | null {
  for (const value of values(reader, node, prefix, local)) {
    const found = iri(value);
    if (found !== null) return found;
  }
  return null;
}

function typesOf(node: Node): string[] {
  const type = node['@type'];
  return (Array.isArray(type) ? type : [type]).filter((value): value is string => typeof value === 'string');
}

function hasType(reader: Reader, node: Node, prefix: Prefix, local: string): boolean {
  const wanted = new Set(keysFor(reader, prefix, local));
  return typesOf(node).some((type) => wanted.has(type));
}

function lastSegment(value: string): string {
  return (
    value
      .replace(/[#/]+$/, '')
      .split(/[/#]/)
      .pop() ?? value
  );
}

/** Collects every node, indexes the identified ones (keeping the fullest description of each). */
function collect(root: unknown): { nodes: Node[]; index: Map<string, Node> } {
  const nodes: Node[] = [];
  const index = new Map<string, Node>();
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isRecord(value) || seen.has(value)) return;
    seen.add(value);
    const described = Object.keys(value).some((key) => key !== '@id' && key !== '@context');
    if (described) nodes.push(value);
    const id = text(value['@id']);
    if (id !== null && described) {
      const previous = index.get(id);
      if (!previous || Object.keys(previous).length < Object.keys(value).length) index.set(id, value);
    }
    for (const [key, child] of Object.entries(value)) {
      if (key !== '@context') visit(child);
    }
  };
  visit(root);
  return { nodes, index };
}

function organisationOf(reader: Reader, node: Node): CatalogOrganisation | null {
  for (const value of values(reader, node, 'dct', 'publisher')) {
    const agent = resolve(reader, value);
    const name = agent
      ? (pick(reader, agent, 'foaf', 'name') ??
        pick(reader, agent, 'skos', 'prefLabel') ??
        pick(reader, agent, 'vcard', 'fn') ??
        pick(reader, agent, 'schema', 'name'))
      : literal(value);
    if (name !== null) {
      const id = agent ? text(agent['@id']) : iri(value);
      return { externalId: id && !id.startsWith('_:') ? id : null, name: slugify(name), title: name };
    }
  }
  return null;
}

function contactPointOf(reader: Reader, node: Node): CatalogContactPoint | null {
  for (const value of values(reader, node, 'dcat', 'contactPoint')) {
    const card = resolve(reader, value);
    if (!card) continue;
    const name = pick(reader, card, 'vcard', 'fn') ?? pick(reader, card, 'vcard', 'organization-name');
    const rawEmail = firstIri(reader, card, 'vcard', 'hasEmail') ?? pick(reader, card, 'vcard', 'hasEmail');
    const email = rawEmail?.replace(/^mailto:/i, '').toLowerCase() ?? null;
    const validEmail = email !== null && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null;
    if (name !== null || validEmail !== null) return { name, email: validEmail };
  }
  return null;
}

function accessRightsOf(reader: Reader, node: Node): AccessRights | null {
  const value = firstIri(reader, node, 'dct', 'accessRights') ?? pick(reader, node, 'dct', 'accessRights');
  if (value === null) return null;
  const code = lastSegment(value).toUpperCase().replace(/[-\s]/g, '_');
  if (code === 'PUBLIC') return 'public';
  if (code === 'RESTRICTED') return 'restricted';
  if (code === 'NON_PUBLIC') return 'non-public';
  return null;
}

function temporalOf(reader: Reader, node: Node): string | null {
  for (const value of values(reader, node, 'dct', 'temporal')) {
    const period = resolve(reader, value);
    if (!period) {
      const raw = literal(value) ?? iri(value);
      if (raw !== null) return raw;
      continue;
    }
    const start =
      pick(reader, period, 'dcat', 'startDate') ?? pick(reader, period, 'schema', 'startDate') ?? null;
    const end = pick(reader, period, 'dcat', 'endDate') ?? pick(reader, period, 'schema', 'endDate') ?? null;
    if (start !== null || end !== null) return `${start ?? '..'}/${end ?? '..'}`;
    const id = text(period['@id']);
    if (id !== null && !id.startsWith('_:')) return id;
  }
  return null;
}

function spatialOf(reader: Reader, node: Node): string | null {
  for (const value of values(reader, node, 'dct', 'spatial')) {
    const id = iri(value);
    if (id !== null && !id.startsWith('_:')) return id;
    const location = resolve(reader, value);
    if (location) {
      const described =
        pick(reader, location, 'dcat', 'bbox') ??
        pick(reader, location, 'locn', 'geometry') ??
        pick(reader, location, 'skos', 'prefLabel');
      if (described !== null) return described;
    }
    const raw = literal(value);
    if (raw !== null) return raw;
  }
  return null;
}

function formatOf(reader: Reader, node: Node): string | null {
  for (const value of values(reader, node, 'dct', 'format')) {
    const id = iri(value);
    if (id !== null && !id.startsWith('_:')) return lastSegment(id);
    const described = resolve(reader, value);
    if (described) {
      const label = pick(reader, described, 'rdfs', 'label') ?? pick(reader, described, 'rdf', 'value');
      if (label !== null) return label;
    }
    const raw = literal(value);
    if (raw !== null) return raw;
  }
  return null;
}

function mediaTypeOf(reader: Reader, node: Node): string | null {
  const value = firstIri(reader, node, 'dcat', 'mediaType') ?? pick(reader, node, 'dcat', 'mediaType');
  return normaliseMediaType(value);
}

function hashOf(reader: Reader, node: Node): CatalogHash | null {
  for (const value of values(reader, node, 'spdx', 'checksum')) {
    const checksum = resolve(reader, value);
    if (!checksum) continue;
    const digest = pick(reader, checksum, 'spdx', 'checksumValue');
    const algorithm =
      firstIri(reader, checksum, 'spdx', 'algorithm') ?? pick(reader, checksum, 'spdx', 'algorithm');
    if (digest === null) continue;
    const name = algorithm ? lastSegment(algorithm).replace(/^checksumAlgorithm_/i, '') : 'md5';
    return { algorithm: name.toLowerCase().replace('-', ''), value: digest.toLowerCase() };
  }
  return null;
}

function licenceOf(reader: Reader, node: Node) {
  for (const value of values(reader, node, 'dct', 'license')) {
    const described = resolve(reader, value);
    const id = iri(value);
    const title = described
      ? (pick(reader, described, 'dct', 'title') ?? pick(reader, described, 'rdfs', 'label'))
      : null;
    const url = id !== null && !id.startsWith('_:') ? id : null;
    const licence = resolveLicence({ url, title: title ?? (url === null ? literal(value) : null) });
    if (licence) return licence;
  }
  return null;
}

function mapDistribution(
  reader: Reader,
  value: unknown,
  index: number,
  datasetId: string,
  warnings: CatalogMappingWarning[],
): CatalogResource | null {
  const path = `distribution[${index}]`;
  const node = resolve(reader, value);
  if (!node) {
    warnings.push({
      code: 'resource-skipped',
      message: 'The distribution reference does not resolve to a node',
      path,
    });
    return null;
  }
  const downloadUrl = httpUrl(
    firstIri(reader, node, 'dcat', 'downloadURL') ?? pick(reader, node, 'dcat', 'downloadURL'),
  );
  const accessUrl =
    httpUrl(firstIri(reader, node, 'dcat', 'accessURL') ?? pick(reader, node, 'dcat', 'accessURL')) ??
    downloadUrl;
  const url = downloadUrl ?? accessUrl;
  if (url === null) {
    warnings.push({
      code: 'resource-skipped',
      message: 'The distribution has no http(s) downloadURL or accessURL',
      path,
    });
    return null;
  }
  const id = text(node['@id']);
  const mediaType = mediaTypeOf(reader, node);
  return {
    externalId:
      (id !== null && !id.startsWith('_:') ? id : null) ??
      pick(reader, node, 'dct', 'identifier') ??
      url ??
      `${datasetId}#${index}`,
    name: pick(reader, node, 'dct', 'title'),
    description: plainText(pick(reader, node, 'dct', 'description')),
    url,
    accessUrl,
    downloadUrl,
    format: normaliseFormat(formatOf(reader, node), mediaType, url),
    mediaType,
    size: parseByteSize(pick(reader, node, 'dcat', 'byteSize')),
    hash: hashOf(reader, node),
    schema: null,
    issued: parseCatalogDate(pick(reader, node, 'dct', 'issued'), reader.offset),
    modified: parseCatalogDate(pick(reader, node, 'dct', 'modified'), reader.offset),
  };
}

function mapDatasetNode(reader: Reader, node: Node): DatasetMapResult {
  const id = text(node['@id']);
  const externalId =
    pick(reader, node, 'dct', 'identifier') ?? (id !== null && !id.startsWith('_:') ? id : null);
  if (externalId === null) {
    return {
      ok: false,
      error: { code: 'missing-id', message: 'The dataset has neither dct:identifier nor an @id' },
    };
  }
  const title = pick(reader, node, 'dct', 'title');
  if (title === null) {
    return {
      ok: false,
      error: { code: 'missing-title', message: 'The dataset has no dct:title', externalId },
    };
  }
  const warnings: CatalogMappingWarning[] = [];
  const resources: CatalogResource[] = [];
  values(reader, node, 'dcat', 'distribution').forEach((value, index) => {
    const resource = mapDistribution(reader, value, index, externalId, warnings);
    if (resource) resources.push(resource);
  });

  // DCAT-AP puts the licence on distributions; a dataset-level one is a convenience.
  let licence = licenceOf(reader, node);
  if (licence === null) {
    for (const value of values(reader, node, 'dcat', 'distribution')) {
      const distribution = resolve(reader, value);
      licence = distribution ? licenceOf(reader, distribution) : null;
      if (licence) break;
    }
  }
  const rights = pick(reader, node, 'dct', 'rights') ?? firstIri(reader, node, 'dct', 'rights');

  const dataset: CatalogDataset = {
    source: 'dcat',
    externalId,
    name: slugify(title) || slugify(externalId),
    title,
    description: plainText(pick(reader, node, 'dct', 'description')),
    organisation: organisationOf(reader, node),
    licence,
    keywords: pickAll(reader, node, 'dcat', 'keyword'),
    themes: uniqueTexts(values(reader, node, 'dcat', 'theme').map((value) => iri(value) ?? literal(value))),
    contactPoint: contactPointOf(reader, node),
    updateFrequency: normaliseFrequency(
      firstIri(reader, node, 'dct', 'accrualPeriodicity') ?? pick(reader, node, 'dct', 'accrualPeriodicity'),
    ),
    issued: parseCatalogDate(pick(reader, node, 'dct', 'issued'), reader.offset),
    modified: parseCatalogDate(pick(reader, node, 'dct', 'modified'), reader.offset),
    landingPage: httpUrl(firstIri(reader, node, 'dcat', 'landingPage')),
    accessRights: accessRightsOf(reader, node),
    rights,
    spatial: spatialOf(reader, node),
    temporal: temporalOf(reader, node),
    resources,
  };
  return { ok: true, dataset, warnings };
}

/**
 * Every `dcat:Dataset` in a DCAT-AP JSON-LD document: a `{ "@context", "@graph" }`
 * document, a bare array of nodes, or a single dataset node. Never throws.
 */
export function mapDcatJsonLd(graph: unknown, options: MappingOptions = {}): CatalogPage {
  if (!isRecord(graph) && !Array.isArray(graph)) {
    return {
      items: [],
      count: 0,
      errors: [
        { code: 'invalid-response', message: 'The document is not JSON-LD (neither an object nor an array)' },
      ],
      warnings: [],
    };
  }
  const { nodes, index } = collect(graph);
  const reader: Reader = {
    index,
    prefixes: prefixesFrom(isRecord(graph) ? graph['@context'] : undefined),
    languages: (options.languages ?? ['es', 'en']).map((language) => language.toLowerCase()),
    offset: options.localUtcOffset,
  };
  const datasets = nodes.filter((node) => hasType(reader, node, 'dcat', 'Dataset'));
  const page: CatalogPage = { items: [], count: 0, errors: [], warnings: [] };
  const mappedIds = new Set<string>();
  datasets.forEach((node, position) => {
    const id = text(node['@id']);
    // The same dataset may appear both inline (under a catalog) and at the top of the graph.
    if (id !== null && index.get(id) !== node) return;
    const mapped = mapDatasetNode(reader, node);
    if (mapped.ok) {
      if (mappedIds.has(mapped.dataset.externalId)) return;
      mappedIds.add(mapped.dataset.externalId);
      page.items.push(mapped.dataset);
      for (const warning of mapped.warnings)
        page.warnings.push({ ...warning, externalId: mapped.dataset.externalId });
    } else {
      page.errors.push({ ...mapped.error, index: position });
    }
  });
  page.count = page.items.length + page.errors.length;
  if (datasets.length === 0) {
    page.errors.push({ code: 'no-datasets', message: 'The document holds no dcat:Dataset node' });
  }
  return page;
}
