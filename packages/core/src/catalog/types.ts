// The catalog record every harvester produces, whatever the source speaks (CKAN Action
// API, Project Open Data data.json, DCAT-AP JSON-LD). Scoring, routing and the web pages
// read only this shape, so source quirks stop at the mappers.

export type CatalogSource = 'ckan' | 'dcat' | 'manual';

// Named cadences cover the EU frequency vocabulary and the usual CKAN free text; anything
// else that is a regular period stays an ISO 8601 duration such as `P2D` or `PT6H`.
export type FrequencyCode =
  | 'continuous'
  | 'hourly'
  | 'daily'
  | 'weekly'
  | 'biweekly'
  | 'monthly'
  | 'quarterly'
  | 'semiannual'
  | 'annual'
  | 'biennial'
  | 'irregular'
  | 'never'
  | 'unknown';

export type IsoDuration = `P${string}`;

export type UpdateFrequency = FrequencyCode | IsoDuration;

export type AccessRights = 'public' | 'restricted' | 'non-public';

export interface CatalogOrganisation {
  /** The source's own id; null when the source names the publisher but gives it no id. */
  externalId: string | null;
  name: string;
  title: string;
}

export interface CatalogLicence {
  /** Our canonical id (CKAN's ids: `cc-by`, `odc-odbl`…), null when the licence is not one we know. */
  id: string | null;
  title: string | null;
  url: string | null;
  isOpen: boolean;
}

export interface CatalogContactPoint {
  name: string | null;
  email: string | null;
}

export interface CatalogHash {
  algorithm: string;
  value: string;
}

/** A Frictionless Table Schema descriptor, kept as the source gave it. */
export type TableSchemaDescriptor = Record<string, unknown>;

export interface CatalogResource {
  externalId: string;
  name: string | null;
  description: string | null;
  /** The URL to fetch: the download URL when there is one, else the access URL. */
  url: string | null;
  accessUrl: string | null;
  downloadUrl: string | null;
  /** Upper case, aliases folded: CSV, XLSX, JSON, GEOJSON, ZIP… */
  format: string | null;
  /** Lower case `type/subtype`, parameters dropped. */
  mediaType: string | null;
  /** Bytes as declared by the catalog (may be stale). */
  size: number | null;
  hash: CatalogHash | null;
  /** Inline descriptor, or the URL of one. */
  schema: TableSchemaDescriptor | string | null;
  issued: string | null;
  modified: string | null;
}

export interface CatalogDataset {
  source: CatalogSource;
  externalId: string;
  name: string;
  title: string;
  description: string | null;
  organisation: CatalogOrganisation | null;
  licence: CatalogLicence | null;
  keywords: string[];
  /** Categories / groups / dcat:theme, as labels or URIs. */
  themes: string[];
  contactPoint: CatalogContactPoint | null;
  updateFrequency: UpdateFrequency;
  issued: string | null;
  modified: string | null;
  landingPage: string | null;
  accessRights: AccessRights | null;
  rights: string | null;
  spatial: string | null;
  temporal: string | null;
  resources: CatalogResource[];
}

export interface CatalogMappingError {
  code:
    | 'not-an-object'
    | 'missing-id'
    | 'missing-title'
    | 'invalid-response'
    | 'source-error'
    | 'no-datasets';
  message: string;
  /** Position in the page or graph, when the error comes from a list. */
  index?: number;
  externalId?: string;
}

/** Something dropped or guessed while mapping; the dataset is still usable. */
export interface CatalogMappingWarning {
  code: 'resource-skipped' | 'value-ignored';
  message: string;
  path: string;
}

export type MapResult<T> =
  | { ok: true; value: T; warnings: CatalogMappingWarning[] }
  | { ok: false; error: CatalogMappingError };

export type DatasetMapResult =
  | { ok: true; dataset: CatalogDataset; warnings: CatalogMappingWarning[] }
  | { ok: false; error: CatalogMappingError };

export interface CatalogPage {
  items: CatalogDataset[];
  /** Total the source reports (CKAN `count`); the number of datasets seen otherwise. */
  count: number;
  errors: CatalogMappingError[];
  warnings: Array<CatalogMappingWarning & { externalId: string }>;
}

export interface MappingOptions {
  /**
   * UTC offset for timestamps the source prints in local time without a zone (DKAN's
   * "Lun, 05/18/2020 - 15:16"), e.g. `-05:00` for Peru. ISO timestamps without a zone are
   * CKAN's and are UTC by CKAN's convention.
   */
  localUtcOffset?: string;
  /** Portal base URL, to build a landing page from the dataset slug when the source has none. */
  siteUrl?: string;
  /** Language preference for language-tagged literals (JSON-LD). Default `['es', 'en']`. */
  languages?: string[];
}
