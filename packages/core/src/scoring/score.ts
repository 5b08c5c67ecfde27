import type { CatalogDataset, CatalogResource } from '../catalog/types.ts';
import {
  isKnownFormat,
  isKnownMediaType,
  isMachineReadable,
  isNonProprietary,
  isTabularFormat,
} from './formats.ts';
import { type FreshnessOptions, type FreshnessStatus, freshness, toInstant } from './freshness.ts';
import { datasetStars, type Stars } from './stars.ts';

// The quality score. Five dimensions mirror data.europa.eu's Metadata Quality Assessment
// (MQA) with its point weights (findability 100, accessibility 100, interoperability 110,
// reusability 75, contextuality 20; https://data.europa.eu/mqa/methodology). Two are
// Quipu's own, because a desk that checks data can say more than metadata does: validity
// (the data matches its Table Schema) 60 and freshness (updated as often as promised) 40.
// The sum of points earned over points measurable is scaled to 0–100.
//
// A criterion that cannot be measured yet (no availability check has run, no tabular
// resource to validate, an irregular cadence) is left out of both sums rather than
// counted as failed, and says so with `passed: null`.

export type Dimension =
  | 'findability'
  | 'accessibility'
  | 'interoperability'
  | 'reusability'
  | 'contextuality'
  | 'validity'
  | 'freshness';

export interface Bilingual {
  es: string;
  en: string;
}

export interface CriterionResult {
  id: string;
  dimension: Dimension;
  label: Bilingual;
  /** Points this criterion is worth when it can be measured. */
  weight: number;
  /** Points earned, rounded to two decimals; partial when only some resources pass. */
  earned: number;
  /** `weight` when measured, 0 when not. */
  possible: number;
  /** true: full points; false: some or all points missing; null: not measurable yet. */
  passed: boolean | null;
  /** How to raise it. */
  hint: Bilingual;
}

export interface DimensionResult {
  id: Dimension;
  earned: number;
  possible: number;
}

export type Grade = 'A' | 'B' | 'C' | 'D' | 'E';

export interface QualityScore {
  /** 0–100, integer. */
  score: number;
  grade: Grade;
  criteria: CriterionResult[];
  dimensions: DimensionResult[];
  stars: Stars;
  freshness: FreshnessStatus;
}

export interface AvailabilityCheck {
  /** The URL answered 2xx (after allowed redirects) on the last check. */
  ok: boolean;
  status?: number | null;
  /** The served Content-Type agrees with the declared media type or format; null if unknown. */
  contentTypeMatches?: boolean | null;
  checkedAt?: string | null;
  lastSuccess?: string | null;
}

export interface ValidityCheck {
  valid: boolean;
  errorCount: number;
  rowCount?: number | null;
  errorTypes?: string[];
  /** The check ran against a Table Schema (declared, or registered in Quipu). */
  hasSchema: boolean;
  checkedAt?: string | null;
}

export interface DatasetChecks {
  /** Keyed by resource `externalId`. */
  availability?: Record<string, AvailabilityCheck>;
  /** Keyed by resource `externalId`. */
  validity?: Record<string, ValidityCheck>;
  freshness?: {
    /** The last time Quipu saw the data itself change (content hash), if later than `modified`. */
    lastChange?: string | null;
  };
}

// Records from the database or a form may miss any field or hold null in it.
type Loose<T> = { [K in keyof T]?: T[K] | null };
export type ScorableResource = Loose<Omit<CatalogResource, 'externalId'>> & { externalId: string };
export type ScorableDataset = Loose<Omit<CatalogDataset, 'resources'>> & { resources: ScorableResource[] };

export interface ScoreInput {
  dataset: ScorableDataset;
  checks?: DatasetChecks;
  now: Date | string | number;
  freshnessOptions?: FreshnessOptions;
}

interface Measure {
  /** 0–1, or null when not measurable. */
  ratio: number | null;
}

interface CriterionDefinition {
  id: string;
  dimension: Dimension;
  weight: number;
  label: Bilingual;
  hint: Bilingual;
  measure: (context: Context) => Measure;
}

interface Context {
  dataset: ScorableDataset;
  resources: ScorableResource[];
  availability: Record<string, AvailabilityCheck>;
  validity: Record<string, ValidityCheck>;
  freshness: FreshnessStatus;
}

const has = (value: unknown): boolean =>
  Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined && value !== '';

const yes = (condition: boolean): Measure => ({ ratio: condition ? 1 : 0 });

/**
 * Share of resources that pass, over those where the question can be answered (`judge`
 * returns null when it cannot). No resources at all: nothing passes.
 */
function share(context: Context, judge: (resource: ScorableResource) => boolean | null): Measure {
  if (context.resources.length === 0) return { ratio: 0 };
  let measured = 0;
  let passed = 0;
  for (const resource of context.resources) {
    const verdict = judge(resource);
    if (verdict === null) continue;
    measured += 1;
    if (verdict) passed += 1;
  }
  return { ratio: measured === 0 ? null : passed / measured };
}

/** MQA scores interoperability on the dataset's best distribution: one good one is enough. */
function anyResource(context: Context, test: (resource: ScorableResource) => boolean): Measure {
  return yes(context.resources.some(test));
}

function fetchUrl(resource: ScorableResource): string | null {
  return resource.url ?? resource.downloadUrl ?? resource.accessUrl ?? null;
}

function isTabular(resource: ScorableResource): boolean {
  return isTabularFormat(resource.format) || isTabularFormat(resource.mediaType);
}

export const CRITERIA: readonly CriterionDefinition[] = [
  // Findability — MQA: keywords 30, categories 30, spatial 20, temporal 20
  {
    id: 'keywords',
    dimension: 'findability',
    weight: 30,
    label: { es: 'Palabras clave', en: 'Keywords' },
    hint: {
      es: 'Agregue palabras clave (etiquetas) que un ciudadano usaría para buscar estos datos.',
      en: 'Add keywords (tags) that a citizen would search for to find this data.',
    },
    measure: ({ dataset }) => yes(has(dataset.keywords)),
  },
  {
    id: 'themes',
    dimension: 'findability',
    weight: 30,
    label: { es: 'Categorías', en: 'Categories' },
    hint: {
      es: 'Asigne el conjunto de datos a una categoría o grupo temático del portal.',
      en: 'Assign the dataset to one of the portal’s categories or thematic groups.',
    },
    measure: ({ dataset }) => yes(has(dataset.themes)),
  },
  {
    id: 'spatial',
    dimension: 'findability',
    weight: 20,
    label: { es: 'Cobertura geográfica', en: 'Geographic coverage' },
    hint: {
      es: 'Indique el ámbito geográfico que cubren los datos (distrito, región, país) en el campo de cobertura espacial.',
      en: 'State the area the data covers (district, region, country) in the spatial coverage field.',
    },
    measure: ({ dataset }) => yes(has(dataset.spatial)),
  },
  {
    id: 'temporal',
    dimension: 'findability',
    weight: 20,
    label: { es: 'Cobertura temporal', en: 'Time coverage' },
    hint: {
      es: 'Indique el periodo que cubren los datos (fecha de inicio y de fin).',
      en: 'State the period the data covers (start and end dates).',
    },
    measure: ({ dataset }) => yes(has(dataset.temporal)),
  },

  // Accessibility — MQA: access URL reachable 50, download URL present 20, reachable 30
  {
    id: 'access-url-reachable',
    dimension: 'accessibility',
    weight: 50,
    label: { es: 'Enlaces de acceso disponibles', en: 'Access links work' },
    hint: {
      es: 'Corrija o reemplace los enlaces de los recursos que no responden; cada recurso debe abrir sin error.',
      en: 'Fix or replace resource links that do not answer; every resource must open without an error.',
    },
    measure: (context) =>
      share(context, (resource) => {
        if (fetchUrl(resource) === null) return false;
        const check = context.availability[resource.externalId];
        return check ? check.ok : null;
      }),
  },
  {
    id: 'download-url',
    dimension: 'accessibility',
    weight: 20,
    label: { es: 'Enlace de descarga directa', en: 'Direct download link' },
    hint: {
      es: 'Publique un enlace que descargue el archivo directamente, no solo una página que lo describa.',
      en: 'Publish a link that downloads the file itself, not only a page that describes it.',
    },
    measure: (context) => share(context, (resource) => has(resource.downloadUrl)),
  },
  {
    id: 'download-url-reachable',
    dimension: 'accessibility',
    weight: 30,
    label: { es: 'Descargas disponibles', en: 'Downloads work' },
    hint: {
      es: 'Compruebe que cada enlace de descarga entrega el archivo; reemplace los que fallan.',
      en: 'Check that every download link delivers the file; replace the ones that fail.',
    },
    measure: (context) =>
      share(context, (resource) => {
        if (!has(resource.downloadUrl)) return false;
        const check = context.availability[resource.externalId];
        return check ? check.ok : null;
      }),
  },

  // Interoperability — MQA: format 20, media type 10, vocabulary 10, non-proprietary 20,
  // machine-readable 20, DCAT-AP compliance 30
  {
    id: 'format',
    dimension: 'interoperability',
    weight: 20,
    label: { es: 'Formato declarado', en: 'Format declared' },
    hint: {
      es: 'Indique el formato de cada recurso (CSV, JSON, XLSX…).',
      en: 'State the format of each resource (CSV, JSON, XLSX…).',
    },
    measure: (context) => anyResource(context, (resource) => has(resource.format)),
  },
  {
    id: 'media-type',
    dimension: 'interoperability',
    weight: 10,
    label: { es: 'Tipo de medio correcto', en: 'Correct media type' },
    hint: {
      es: 'Declare el tipo de medio (por ejemplo text/csv) y configure el servidor para que entregue el mismo.',
      en: 'Declare the media type (for example text/csv) and have the server send the same one.',
    },
    measure: (context) =>
      anyResource(
        context,
        (resource) =>
          has(resource.mediaType) && context.availability[resource.externalId]?.contentTypeMatches !== false,
      ),
  },
  {
    id: 'format-vocabulary',
    dimension: 'interoperability',
    weight: 10,
    label: { es: 'Formato reconocido', en: 'Recognised format' },
    hint: {
      es: 'Use un nombre de formato estándar (CSV, JSON, GeoJSON…) o un tipo de medio registrado en IANA.',
      en: 'Use a standard format name (CSV, JSON, GeoJSON…) or a media type registered with IANA.',
    },
    measure: (context) =>
      anyResource(
        context,
        (resource) => isKnownFormat(resource.format) || isKnownMediaType(resource.mediaType),
      ),
  },
  {
    id: 'non-proprietary',
    dimension: 'interoperability',
    weight: 20,
    label: { es: 'Formato abierto', en: 'Non-proprietary format' },
    hint: {
      es: 'Publique también una versión en un formato abierto (CSV, JSON, ODS) además de Excel o Shapefile.',
      en: 'Also publish an open-format copy (CSV, JSON, ODS) next to Excel or Shapefile.',
    },
    measure: (context) =>
      anyResource(
        context,
        (resource) => isNonProprietary(resource.format) || isNonProprietary(resource.mediaType),
      ),
  },
  {
    id: 'machine-readable',
    dimension: 'interoperability',
    weight: 20,
    label: { es: 'Legible por máquina', en: 'Machine-readable' },
    hint: {
      es: 'Publique los datos como tabla o estructura (CSV, JSON, XLSX), no solo como PDF o imagen.',
      en: 'Publish the data as a table or structure (CSV, JSON, XLSX), not only as a PDF or an image.',
    },
    measure: (context) =>
      anyResource(
        context,
        (resource) => isMachineReadable(resource.format) || isMachineReadable(resource.mediaType),
      ),
  },
  {
    id: 'dcat-ap',
    dimension: 'interoperability',
    weight: 30,
    label: { es: 'Metadatos obligatorios DCAT-AP', en: 'DCAT-AP mandatory metadata' },
    hint: {
      es: 'Complete título y descripción, y asegúrese de que cada recurso tenga un enlace de acceso.',
      en: 'Fill in the title and the description, and make sure every resource has an access link.',
    },
    measure: ({ dataset, resources }) => {
      const parts = [
        has(dataset.title),
        has(dataset.description),
        resources.length > 0,
        resources.length > 0 && resources.every((resource) => fetchUrl(resource) !== null),
      ];
      return { ratio: parts.filter(Boolean).length / parts.length };
    },
  },

  // Reusability — MQA: licence 20, licence vocabulary 10, access rights 10 + vocabulary 5,
  // contact point 20, publisher 10. Access rights are only kept when they match the
  // vocabulary, so the two access-rights indicators are one criterion here.
  {
    id: 'licence',
    dimension: 'reusability',
    weight: 20,
    label: { es: 'Licencia indicada', en: 'Licence stated' },
    hint: {
      es: 'Indique bajo qué licencia se publican los datos.',
      en: 'State the licence the data is published under.',
    },
    measure: ({ dataset }) => yes(has(dataset.licence)),
  },
  {
    id: 'licence-open',
    dimension: 'reusability',
    weight: 10,
    label: { es: 'Licencia abierta reconocida', en: 'Recognised open licence' },
    hint: {
      es: 'Use una licencia abierta estándar, como CC BY 4.0, CC0 u ODbL, en lugar de términos propios.',
      en: 'Use a standard open licence such as CC BY 4.0, CC0 or ODbL instead of custom terms.',
    },
    measure: ({ dataset }) => yes(dataset.licence?.isOpen === true && has(dataset.licence.id)),
  },
  {
    id: 'access-rights',
    dimension: 'reusability',
    weight: 15,
    label: { es: 'Condiciones de acceso', en: 'Access rights' },
    hint: {
      es: 'Declare si el acceso es público, restringido o no público.',
      en: 'Declare whether access is public, restricted or non-public.',
    },
    measure: ({ dataset }) => yes(has(dataset.accessRights)),
  },
  {
    id: 'contact-point',
    dimension: 'reusability',
    weight: 20,
    label: { es: 'Punto de contacto', en: 'Contact point' },
    hint: {
      es: 'Indique un correo institucional donde los usuarios puedan hacer consultas sobre los datos.',
      en: 'Give an institutional e-mail address where users can ask about the data.',
    },
    measure: ({ dataset }) => yes(has(dataset.contactPoint?.email)),
  },
  {
    id: 'publisher',
    dimension: 'reusability',
    weight: 10,
    label: { es: 'Entidad publicadora', en: 'Publisher' },
    hint: {
      es: 'Asocie el conjunto de datos a la entidad que lo publica.',
      en: 'Link the dataset to the organisation that publishes it.',
    },
    measure: ({ dataset }) => yes(has(dataset.organisation?.title)),
  },

  // Contextuality — MQA: rights 5, byte size 5, issued 5, modified 5
  {
    id: 'rights',
    dimension: 'contextuality',
    weight: 5,
    label: { es: 'Declaración de derechos', en: 'Rights statement' },
    hint: {
      es: 'Agregue una nota de derechos (por ejemplo, cómo citar la fuente).',
      en: 'Add a rights note (for example, how to credit the source).',
    },
    measure: ({ dataset }) => yes(has(dataset.rights)),
  },
  {
    id: 'byte-size',
    dimension: 'contextuality',
    weight: 5,
    label: { es: 'Tamaño del archivo', en: 'File size' },
    hint: {
      es: 'Indique el tamaño de cada archivo para que el usuario sepa qué descargará.',
      en: 'State each file’s size so users know what they will download.',
    },
    measure: (context) => share(context, (resource) => typeof resource.size === 'number'),
  },
  {
    id: 'issued',
    dimension: 'contextuality',
    weight: 5,
    label: { es: 'Fecha de publicación', en: 'Publication date' },
    hint: {
      es: 'Registre la fecha en que se publicó el conjunto de datos por primera vez.',
      en: 'Record the date the dataset was first published.',
    },
    measure: ({ dataset }) => yes(toInstant(dataset.issued) !== null),
  },
  {
    id: 'modified',
    dimension: 'contextuality',
    weight: 5,
    label: { es: 'Fecha de actualización', en: 'Last-modified date' },
    hint: {
      es: 'Registre la fecha de la última actualización de los datos.',
      en: 'Record the date the data was last updated.',
    },
    measure: ({ dataset }) => yes(toInstant(dataset.modified) !== null),
  },

  // Validity (Quipu) — schema 20, data conforms 40
  {
    id: 'schema',
    dimension: 'validity',
    weight: 20,
    label: { es: 'Esquema de datos', en: 'Data schema' },
    hint: {
      es: 'Publique un Table Schema (diccionario de datos en JSON) para cada tabla: nombres, tipos y restricciones de las columnas.',
      en: 'Publish a Table Schema (a JSON data dictionary) for each table: column names, types and constraints.',
    },
    measure: (context) =>
      share(context, (resource) => {
        if (!isTabular(resource)) return null;
        return has(resource.schema) || context.validity[resource.externalId]?.hasSchema === true;
      }),
  },
  {
    id: 'data-valid',
    dimension: 'validity',
    weight: 40,
    label: { es: 'Datos conformes al esquema', en: 'Data matches its schema' },
    hint: {
      es: 'Corrija las filas y celdas que el informe de validación señala (tipos, valores vacíos, duplicados) y vuelva a publicar.',
      en: 'Fix the rows and cells the validation report points out (types, blanks, duplicates) and publish again.',
    },
    measure: (context) =>
      share(context, (resource) => {
        const check = context.validity[resource.externalId];
        return check ? check.valid : null;
      }),
  },

  // Freshness (Quipu) — cadence declared 10, updated on time 30
  {
    id: 'update-frequency',
    dimension: 'freshness',
    weight: 10,
    label: { es: 'Frecuencia de actualización', en: 'Update frequency' },
    hint: {
      es: 'Declare cada cuánto se actualizan los datos (diaria, mensual, anual, irregular…).',
      en: 'Declare how often the data is updated (daily, monthly, annual, irregular…).',
    },
    measure: ({ dataset }) => yes(has(dataset.updateFrequency) && dataset.updateFrequency !== 'unknown'),
  },
  {
    id: 'up-to-date',
    dimension: 'freshness',
    weight: 30,
    label: { es: 'Actualizado a tiempo', en: 'Updated on time' },
    hint: {
      es: 'Publique la actualización que corresponde a la frecuencia declarada, o corrija la frecuencia si cambió.',
      en: 'Publish the update due under the declared frequency, or correct the frequency if it changed.',
    },
    measure: ({ freshness: status }) => {
      if (status === 'fresh') return { ratio: 1 };
      if (status === 'stale' || status === 'unknown') return { ratio: 0 };
      return { ratio: null };
    },
  },
];

export const DIMENSIONS: readonly Dimension[] = [
  'findability',
  'accessibility',
  'interoperability',
  'reusability',
  'contextuality',
  'validity',
  'freshness',
];

/** Grades on the 0–100 score; A starts where MQA's "excellent" does (351/405 ≈ 87%). */
export function gradeFor(score: number): Grade {
  if (score >= 87) return 'A';
  if (score >= 70) return 'B';
  if (score >= 55) return 'C';
  if (score >= 30) return 'D';
  return 'E';
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

function latest(...values: Array<string | null | undefined>): string | null {
  let best: number | null = null;
  for (const value of values) {
    const time = toInstant(value);
    if (time !== null && (best === null || time > best)) best = time;
  }
  return best === null ? null : new Date(best).toISOString();
}

export function scoreDataset(input: ScoreInput): QualityScore {
  const { dataset, checks = {}, now } = input;
  const status = freshness(
    latest(dataset.modified, checks.freshness?.lastChange),
    dataset.updateFrequency,
    now,
    input.freshnessOptions,
  ).status;
  const context: Context = {
    dataset,
    resources: dataset.resources ?? [],
    availability: checks.availability ?? {},
    validity: checks.validity ?? {},
    freshness: status,
  };

  const criteria: CriterionResult[] = CRITERIA.map((definition) => {
    const { ratio } = definition.measure(context);
    const measured = ratio !== null;
    const earned = measured ? round2(definition.weight * Math.min(1, Math.max(0, ratio))) : 0;
    return {
      id: definition.id,
      dimension: definition.dimension,
      label: definition.label,
      weight: definition.weight,
      earned,
      possible: measured ? definition.weight : 0,
      passed: measured ? ratio >= 1 : null,
      hint: definition.hint,
    };
  });

  const dimensions: DimensionResult[] = DIMENSIONS.map((id) => {
    const own = criteria.filter((criterion) => criterion.dimension === id);
    return {
      id,
      earned: round2(own.reduce((sum, criterion) => sum + criterion.earned, 0)),
      possible: own.reduce((sum, criterion) => sum + criterion.possible, 0),
    };
  });

  const earned = criteria.reduce((sum, criterion) => sum + criterion.earned, 0);
  const possible = criteria.reduce((sum, criterion) => sum + criterion.possible, 0);
  const score = possible === 0 ? 0 : Math.min(100, Math.max(0, Math.round((100 * earned) / possible)));

  return {
    score,
    grade: gradeFor(score),
    criteria,
    dimensions,
    stars: datasetStars({
      licence: dataset.licence ?? null,
      resources: context.resources.map((resource) => ({
        format: resource.format ?? null,
        mediaType: resource.mediaType ?? null,
        url: fetchUrl(resource),
      })),
    }),
    freshness: status,
  };
}
