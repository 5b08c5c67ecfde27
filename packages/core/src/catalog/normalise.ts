import { formatFacts, formatForExtension, formatForMediaType } from '../scoring/formats.ts';
import type { CatalogHash, FrequencyCode, TableSchemaDescriptor, UpdateFrequency } from './types.ts';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A trimmed non-empty string, or null. Numbers become strings (ids are sometimes numeric). */
export function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * An absolute http(s) URL, percent-encoded, or null. Portals upload files whose names have
 * spaces and accents and link them unencoded; the URL parser encodes them.
 */
export function httpUrl(value: unknown): string | null {
  const candidate = text(value);
  if (!candidate || !/^https?:\/\//i.test(candidate)) return null;
  try {
    const url = new URL(candidate);
    return url.hostname === '' ? null : url.href;
  } catch {
    return null;
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Catalog descriptions are often HTML (DKAN, CKAN with rich editors); we keep plain text. */
export function plainText(value: unknown): string | null {
  const raw = text(value);
  if (raw === null) return null;
  const stripped = raw
    .replace(/<(br|\/p|\/div|\/li)\s*\/?>/gi, '\n')
    .replace(/<\/?[a-z!][^>]*>/gi, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
      if (entity.startsWith('#x') || entity.startsWith('#X'))
        return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
      if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
      return ENTITIES[entity.toLowerCase()] ?? whole;
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return stripped === '' ? null : stripped;
}

export function slugify(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Trimmed, de-duplicated (case-insensitively), order kept. */
export function uniqueTexts(values: Iterable<unknown>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const candidate = text(value);
    if (candidate === null) continue;
    const key = candidate.toLocaleLowerCase('es');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(candidate);
  }
  return out;
}

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
// DKAN/Drupal's localised medium format, optionally after a label: "Lun, 05/18/2020 - 15:16",
// "Date changed  Mié, 04/29/2020 - 21:16". Month comes first on datosabiertos.gob.pe.
const DRUPAL_DATE = /(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s*-\s*(\d{1,2}):(\d{2}))?/;

function offsetMinutes(offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

function buildInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  offset: number,
): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset * 60_000;
  const check = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31 February into March; a date that rolls over was not a date.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return new Date(utc).toISOString();
}

/**
 * An instant as an ISO 8601 UTC string, or null when the value is not a date we can read.
 * ISO values without a zone are taken as UTC (CKAN stores UTC without saying so);
 * localised DKAN values use `localUtcOffset` (default UTC).
 */
export function parseCatalogDate(value: unknown, localUtcOffset = 'Z'): string | null {
  const raw = text(value);
  if (raw === null) return null;
  const iso = ISO_DATE.exec(raw);
  if (iso) {
    const fraction = (iso[7] ?? '0').padEnd(3, '0').slice(0, 3);
    return buildInstant(
      Number(iso[1]),
      Number(iso[2]),
      Number(iso[3]),
      Number(iso[4] ?? 0),
      Number(iso[5] ?? 0),
      Number(iso[6] ?? 0),
      Number(fraction),
      offsetMinutes(iso[8] ?? 'Z'),
    );
  }
  const drupal = DRUPAL_DATE.exec(raw);
  if (drupal) {
    let month = Number(drupal[1]);
    let day = Number(drupal[2]);
    if (month > 12 && day <= 12) [month, day] = [day, month];
    return buildInstant(
      Number(drupal[3]),
      month,
      day,
      Number(drupal[4] ?? 0),
      Number(drupal[5] ?? 0),
      0,
      0,
      offsetMinutes(localUtcOffset),
    );
  }
  return null;
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/**
 * Bytes from a number or from a human string ("643.02 KB", "1,5 MB"). Drupal and CKAN
 * themes print binary multiples under decimal names, so KB is 1024 here.
 */
export function parseByteSize(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
  const raw = text(value);
  if (raw === null) return null;
  const match = /^(\d+(?:[.,]\d+)?)\s*([a-z]*)$/i.exec(raw.replace(/\s+/g, ' '));
  if (!match) return null;
  const amount = Number(match[1]!.replace(',', '.'));
  const unit = match[2]!.toLowerCase() || 'b';
  const factor = SIZE_UNITS[unit];
  if (factor === undefined || !Number.isFinite(amount)) return null;
  return Math.round(amount * factor);
}

const HASH_LENGTHS: Record<number, string> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };

/**
 * `md5:abc…`, `sha256:…` or a bare hex digest. Frictionless reads a bare hash as md5; we
 * go by the length because CKAN harvesters store sha1 and sha256 bare as well; a bare hex
 * string of no digest's length is not taken for one.
 */
export function parseHash(value: unknown): CatalogHash | null {
  if (typeof value !== 'string') return null;
  const raw = value.trim();
  const prefixed = /^([a-z0-9-]+):\s*([0-9a-f]{8,})$/i.exec(raw);
  if (prefixed)
    return { algorithm: prefixed[1]!.toLowerCase().replace('-', ''), value: prefixed[2]!.toLowerCase() };
  const algorithm = HASH_LENGTHS[raw.length];
  if (algorithm && /^[0-9a-f]+$/i.test(raw)) return { algorithm, value: raw.toLowerCase() };
  return null;
}

/** Inline Table Schema (object or JSON text) or its URL; anything else is not a schema. */
export function parseSchema(value: unknown): TableSchemaDescriptor | string | null {
  if (isRecord(value)) return Array.isArray(value.fields) ? value : null;
  const raw = text(value);
  if (raw === null) return null;
  if (raw.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      return isRecord(parsed) && Array.isArray(parsed.fields) ? parsed : null;
    } catch {
      return null;
    }
  }
  return httpUrl(raw);
}

export function normaliseMediaType(value: unknown): string | null {
  const raw = text(value);
  if (raw === null) return null;
  const bare = raw
    .replace(/^https?:\/\/www\.iana\.org\/assignments\/media-types\//i, '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(bare) ? bare : null;
}

// Values catalogs put in `format` that say nothing about the bytes.
const GENERIC_FORMATS = new Set(['DATA', 'FILE', 'OTHER', 'OTRO', 'OTROS', 'UNKNOWN', 'BINARY', 'DOWNLOAD']);

function extensionOf(url: string | null): string | null {
  if (!url) return null;
  try {
    const path = new URL(url).pathname;
    const match = /\.([a-z0-9]{1,8})$/i.exec(path);
    return match ? match[1]!.toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * The format in upper case with aliases folded. A declared format wins, except when it is
 * a placeholder ("data") or is the legacy sibling of what the media type and URL both
 * show: datosabiertos.gob.pe declares `xls` for a `.xlsx` file served as xlsx.
 */
export function normaliseFormat(
  declared: unknown,
  mediaType: string | null,
  url: string | null,
): string | null {
  const raw = text(declared);
  const fromUrl = formatForExtension(extensionOf(url))?.format;
  const fromMediaType = formatForMediaType(mediaType)?.format;
  if (raw !== null) {
    const cleaned = raw
      .replace(/^https?:\/\/publications\.europa\.eu\/resource\/authority\/file-type\//i, '')
      .replace(/^\./, '')
      .trim()
      .toUpperCase();
    if (!GENERIC_FORMATS.has(cleaned)) {
      const known = formatFacts(cleaned)?.format ?? formatFacts(cleaned.replace(/_/g, '-'))?.format;
      if (known === 'XLS' && (fromMediaType === 'XLSX' || fromUrl === 'XLSX')) return 'XLSX';
      return known ?? cleaned;
    }
  }
  return fromMediaType ?? fromUrl ?? null;
}

const FREQUENCY_WORDS: Record<string, FrequencyCode> = {
  // English and the EU vocabulary's codes (…/authority/frequency/<CODE>)
  cont: 'continuous',
  continuous: 'continuous',
  update_cont: 'continuous',
  realtime: 'continuous',
  'real-time': 'continuous',
  hourly: 'hourly',
  daily: 'daily',
  weekly: 'weekly',
  biweekly: 'biweekly',
  fortnightly: 'biweekly',
  monthly: 'monthly',
  quarterly: 'quarterly',
  annual_2: 'semiannual',
  semiannual: 'semiannual',
  biannual: 'semiannual',
  'semi-annual': 'semiannual',
  annual: 'annual',
  annually: 'annual',
  yearly: 'annual',
  biennial: 'biennial',
  irreg: 'irregular',
  irregular: 'irregular',
  as_needed: 'irregular',
  'as needed': 'irregular',
  never: 'never',
  unknown: 'unknown',
  op_datpro: 'unknown',
  // Spanish, as Peruvian and other Latin American portals write it
  'tiempo real': 'continuous',
  continuo: 'continuous',
  continua: 'continuous',
  'cada hora': 'hourly',
  diario: 'daily',
  diaria: 'daily',
  diariamente: 'daily',
  semanal: 'weekly',
  semanalmente: 'weekly',
  quincenal: 'biweekly',
  mensual: 'monthly',
  mensualmente: 'monthly',
  trimestral: 'quarterly',
  semestral: 'semiannual',
  anual: 'annual',
  anualmente: 'annual',
  bienal: 'biennial',
  'a demanda': 'irregular',
  eventual: 'irregular',
  nunca: 'never',
  'no se actualiza': 'never',
  desconocida: 'unknown',
  desconocido: 'unknown',
};

const DURATION_CODES: Record<string, FrequencyCode> = {
  PT1H: 'hourly',
  P1D: 'daily',
  P1W: 'weekly',
  P7D: 'weekly',
  P2W: 'biweekly',
  P14D: 'biweekly',
  P1M: 'monthly',
  P3M: 'quarterly',
  P6M: 'semiannual',
  P1Y: 'annual',
  P12M: 'annual',
  P2Y: 'biennial',
};

const DURATION =
  /^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/;

export function isIsoDuration(value: string): value is `P${string}` {
  return DURATION.test(value);
}

/**
 * One cadence from Project Open Data's `R/P1M`, the EU vocabulary's URIs, Dublin Core's
 * `freq` URIs and free text in Spanish or English. Unreadable values are `unknown`.
 */
export function normaliseFrequency(value: unknown): UpdateFrequency {
  const raw = text(value);
  if (raw === null) return 'unknown';
  const lastSegment =
    raw
      .replace(/[#/]+$/, '')
      .split(/[/#]/)
      .pop() ?? raw;
  const repeating = /^R\d*\/(P.+)$/i.exec(raw);
  const duration = (repeating ? repeating[1]! : raw).toUpperCase();
  if (isIsoDuration(duration)) return DURATION_CODES[duration] ?? duration;
  const word = (/^https?:/i.test(raw) ? lastSegment : raw)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase();
  return FREQUENCY_WORDS[word] ?? FREQUENCY_WORDS[word.replace(/-/g, '_')] ?? 'unknown';
}
