// Field readers, compiled once per field: frictionless-py's create_cell_reader (missing
// values, type reader, constraints) with the same notes, in the same order.

import {
  decimalKey,
  hasNonAscii,
  isPySpace,
  pyDecimal,
  pyFloatRepr,
  pyInt,
  pyRepr,
  pyStr,
  pyStringRepr,
  pyStrip,
} from '../py.ts';
import type { FieldDescriptor, MissingValues, TableSchema } from '../types.ts';
import {
  dateTimeKey,
  dateTimeOrdinal,
  dateTimeStr,
  isoparse,
  type PyDateTime,
  strptime,
} from './datetime.ts';
import { dateutilParse } from './dateutil-parse.ts';

export const FAIL: unique symbol = Symbol('type-error');
export type ReadResult = unknown;

export interface ConstraintCheck {
  name: string;
  note: string;
  test: (value: unknown) => boolean;
}

export interface CompiledField {
  name: string;
  type: string;
  format: string;
  descriptor: FieldDescriptor;
  missing: Set<string>;
  /** Reads a non-missing cell; FAIL when the type reader rejects it. */
  read: (cell: string) => unknown;
  /** Reads a value that is not a string (array items, JSON values); FAIL when rejected. */
  readValue: (value: unknown) => unknown;
  typeNote: string;
  required: boolean;
  requiredNote: string;
  unique: boolean;
  /** Constraints other than `required`, in frictionless-py's supported_constraints order. */
  checks: ConstraintCheck[];
  /** Equality key with Python semantics (1 == 1.0 == True; aware datetimes by instant). */
  key: (value: unknown) => string;
  /** Python str() of a parsed value (unique-error cells, foreign-key notes). */
  str: (value: unknown) => string;
  /** A number for ordering (min/max summaries), when the type has one. */
  ordinal?: (value: unknown) => number;
  /** Reader of array items (array type with arrayItem). */
  arrayItem?: CompiledField;
}

const SUPPORTED: Record<string, string[]> = {
  any: ['required', 'enum'],
  string: ['required', 'minLength', 'maxLength', 'pattern', 'enum'],
  integer: ['required', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'enum'],
  number: ['required', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'enum'],
  boolean: ['required', 'enum'],
  date: ['required', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'enum'],
  datetime: ['required', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'enum'],
  time: ['required', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'enum'],
  year: ['required', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'enum'],
  yearmonth: ['required', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'enum'],
  duration: ['required', 'enum'],
  geopoint: ['required', 'enum'],
  geojson: ['required', 'enum'],
  object: ['required', 'minLength', 'maxLength', 'enum'],
  array: ['required', 'minLength', 'maxLength', 'enum'],
  list: ['required', 'minLength', 'maxLength'],
};

export const FIELD_TYPES = Object.keys(SUPPORTED);

export function supportedConstraints(type: string): string[] {
  return SUPPORTED[type] ?? [];
}

export function missingValuesOf(values: MissingValues | undefined): string[] | undefined {
  if (!values) return undefined;
  return values.map((v) => (typeof v === 'string' ? v : String(v.value)));
}

interface TypeImpl {
  read: (cell: string) => unknown;
  readValue?: (value: unknown) => unknown;
  key: (value: unknown) => string;
  str: (value: unknown) => string;
  ordinal?: (value: unknown) => number;
  compare?: (a: unknown, b: unknown) => number;
  length?: (value: unknown) => number;
}

const DEFAULT_TRUE = ['true', 'True', 'TRUE', '1'];
const DEFAULT_FALSE = ['false', 'False', 'FALSE', '0'];

/** Python len() of a str: code points, not UTF-16 units. */
export function pyLen(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      n--;
      i++;
    }
  }
  return n;
}

const numKey = (v: unknown): string => {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return `nan:${Math.random()}`;
    // an unsafe integer-valued double keys like the BigInt of the same value
    return Number.isInteger(v) && !Number.isSafeInteger(v) ? `n${BigInt(v)}` : `n${v === 0 ? 0 : v}`;
  }
  if (typeof v === 'bigint') return `n${v}`;
  if (v === true) return 'n1';
  if (v === false) return 'n0';
  return `x${pyRepr(v)}`;
};

function stringType(format: string): TypeImpl {
  let check: ((s: string) => boolean) | undefined;
  if (format === 'email') check = isEmail;
  else if (format === 'uri') check = isUri;
  else if (format === 'uuid') check = isUuid;
  else if (format === 'binary') check = isBase64;
  else if (format === 'wkt') check = isWkt;
  const read = check ? (cell: string) => (check(cell) ? cell : FAIL) : (cell: string) => cell;
  return {
    read,
    readValue: (v) => (typeof v === 'string' ? read(v) : FAIL),
    key: (v) => `s${v as string}`,
    str: (v) => v as string,
    compare: (a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0),
    length: (v) => pyLen(v as string),
  };
}

// validators.email (python-validators): user part and domain part regexes.
const EMAIL_DOT_ATOM = /^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*$/i;
function isEmailUser(user: string): boolean {
  if (EMAIL_DOT_ATOM.test(user)) return true;
  if (user.length < 2 || user[0] !== '"' || user[user.length - 1] !== '"') return false;
  for (let i = 1; i < user.length - 1; i++) {
    const c = user.charCodeAt(i);
    if (c === 0x5c) {
      const n = user.charCodeAt(++i);
      if (!(n >= 1 && n <= 0x7f) || n === 0x0a || i >= user.length - 1) return false;
    } else if (
      !(
        (c >= 1 && c <= 8) ||
        c === 11 ||
        c === 12 ||
        (c >= 14 && c <= 31) ||
        c === 33 ||
        (c >= 35 && c <= 91) ||
        (c >= 93 && c <= 127)
      )
    )
      return false;
  }
  return true;
}
const EMAIL_DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/i;
function isEmail(s: string): boolean {
  if (!s?.includes('@')) return false;
  const at = s.lastIndexOf('@');
  const user = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (!user || !domain || user.length > 64 || domain.length > 253) return false;
  if (!isEmailUser(user)) return false;
  if (/^\[.*\]$/.test(domain)) return true;
  let ascii = domain;
  try {
    ascii = new URL(`http://${domain}`).hostname;
  } catch {
    return false;
  }
  return EMAIL_DOMAIN.test(ascii);
}

// rfc3986 uri_reference + require_presence_of("scheme").
const URI_RE = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;
function isUri(s: string): boolean {
  const m = URI_RE.exec(s);
  if (!m) return false;
  return !/[\s<>"{}|\\^`]/.test(s);
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

// base64.b64decode without validate=True: non-alphabet characters are discarded, then the
// padding must be right.
function isBase64(s: string): boolean {
  if (hasNonAscii(s)) return false;
  const clean = s.replace(/[^A-Za-z0-9+/=]/g, '');
  const body = clean.replace(/=+$/, '');
  if (body.includes('=')) {
    // '=' inside: Python stops at the first padding group it can complete.
    return clean.length % 4 === 0;
  }
  const rem = body.length % 4;
  if (rem === 1) return false;
  if (rem === 0) return true;
  return clean.length % 4 === 0 || clean.length - body.length >= 4 - rem;
}

const WKT_TYPES =
  'POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION|CIRCULARSTRING|COMPOUNDCURVE|CURVEPOLYGON|MULTICURVE|MULTISURFACE|CURVE|SURFACE|POLYHEDRALSURFACE|TIN|TRIANGLE';
const WKT_HEAD = new RegExp(`^\\s*(?:SRID=\\d+;)?\\s*(?:${WKT_TYPES})\\s*(?:ZM|Z|M)?\\s*`, 'i');
const WKT_NESTED = new RegExp(`^(?:${WKT_TYPES})\\s*(?:ZM|Z|M)?\\s*`, 'i');
const WKT_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

/** A WKT geometry: known type, EMPTY or a balanced list of coordinates and nested geometries. */
function isWkt(s: string): boolean {
  const head = WKT_HEAD.exec(s);
  if (!head) return false;
  let rest = s.slice(head[0].length);
  if (/^EMPTY\s*$/i.test(rest)) return true;
  let depth = 0;
  let expectValue = true;
  while (rest.length) {
    const ws = /^\s+/.exec(rest);
    if (ws) {
      rest = rest.slice(ws[0].length);
      continue;
    }
    const c = rest[0];
    if (c === '(') {
      depth++;
      expectValue = true;
      rest = rest.slice(1);
    } else if (c === ')') {
      if (depth === 0 || expectValue) return false;
      depth--;
      rest = rest.slice(1);
      if (depth === 0) return /^\s*$/.test(rest.slice(0));
    } else if (c === ',') {
      if (expectValue) return false;
      expectValue = true;
      rest = rest.slice(1);
    } else {
      const num = WKT_NUMBER.exec(rest);
      if (num) {
        if (depth === 0) return false;
        expectValue = false;
        rest = rest.slice(num[0].length);
        continue;
      }
      const nested = WKT_NESTED.exec(rest);
      if (!nested || depth === 0) return false;
      rest = rest.slice(nested[0].length);
      if (/^EMPTY/i.test(rest)) {
        rest = rest.slice(5);
        expectValue = false;
      }
    }
  }
  return false;
}

const BARE_STRIP = /((^[^-\d]*)|(\D*$))/g;

/** A descriptor that declares a Data Package / Table Schema v2 profile in `$schema`. */
export function isV2(descriptor: { $schema?: unknown } | undefined): boolean {
  const profile = descriptor?.$schema;
  return typeof profile === 'string' && /\/2\.\d+\//.test(profile);
}

function integerType(d: FieldDescriptor, v2: boolean): TypeImpl {
  const bare = d.bareNumber !== false;
  // An integer's groupChar is a v2 addition: v1 (and frictionless-py) ignore it.
  const groupChar = v2 && typeof d.groupChar === 'string' ? d.groupChar : '';
  const read = (cell: string): unknown => {
    let s = cell;
    if (!bare) s = pyStrip(s).replace(BARE_STRIP, '');
    if (groupChar) s = s.split(groupChar).join(''); // Data Package v2 integer groupChar
    const v = pyInt(s);
    return v === undefined ? FAIL : v;
  };
  return {
    read,
    readValue: (v) => {
      if (typeof v === 'string') return read(v);
      if (typeof v === 'boolean') return FAIL;
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'bigint') return v;
      return FAIL;
    },
    key: numKey,
    str: (v) => String(v),
    ordinal: (v) => Number(v),
    compare: numCompare,
  };
}

function numCompare(a: unknown, b: unknown): number {
  // Past 2^53 a double no longer tells neighbouring integers apart: compare exactly.
  if (typeof a === 'bigint' || typeof b === 'bigint') return exactCompare(a, b);
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.NaN;
}

function exactCompare(a: unknown, b: unknown): number {
  if (typeof a !== 'bigint') return -exactCompare(b, a);
  if (typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const y = Number(b);
  if (Number.isNaN(y)) return Number.NaN;
  if (!Number.isFinite(y)) return y > 0 ? -1 : 1;
  if (Number.isInteger(y)) {
    const big = BigInt(y);
    return a < big ? -1 : a > big ? 1 : 0;
  }
  // y lies strictly between two integers: a is on one side of it.
  return a <= BigInt(Math.floor(y)) ? -1 : 1;
}

/** A number value keeps the source text so str() can print it like Python's Decimal. */
function numberType(d: FieldDescriptor): TypeImpl {
  const bare = d.bareNumber !== false;
  const hasProcessor = 'groupChar' in d || 'decimalChar' in d || 'bareNumber' in d;
  const groupChar = typeof d.groupChar === 'string' ? d.groupChar : '';
  const decimalChar = typeof d.decimalChar === 'string' ? d.decimalChar : '.';
  const floatNumber = d.floatNumber === true;
  const process = (cell: string): string | undefined => {
    let s = pyStrip(cell);
    if (!hasProcessor) return s;
    if (!bare) s = s.replace(BARE_STRIP, '');
    if (groupChar) s = s.split(groupChar).join('');
    if (decimalChar !== '.' && s.includes('.')) return undefined;
    if (decimalChar !== '.') s = s.split(decimalChar).join('.');
    return s;
  };
  const read = (cell: string): unknown => {
    // Fast path: [-]digits[.digits]
    if (!hasProcessor) {
      const n = cell.length;
      let i = cell.charCodeAt(0) === 45 ? 1 : 0;
      let digits = 0;
      let dot = false;
      for (; i < n; i++) {
        const c = cell.charCodeAt(i);
        if (c >= 48 && c <= 57) digits++;
        else if (c === 46 && !dot) dot = true;
        else break;
      }
      if (
        i === n &&
        digits > 0 &&
        digits < 16 &&
        cell.charCodeAt(n - 1) !== 46 &&
        cell.charCodeAt(cell.charCodeAt(0) === 45 ? 1 : 0) !== 46
      )
        return +cell;
    }
    const s = process(cell);
    if (s === undefined) return FAIL;
    if (floatNumber) {
      const f = pyFloat(s);
      return f === undefined ? FAIL : f;
    }
    const dec = pyDecimal(s);
    return dec === undefined ? FAIL : dec.num;
  };
  // str() needs the Decimal text; recomputed from the raw cell when an error quotes it.
  return {
    read,
    readValue: (v) => {
      if (typeof v === 'string') return read(v);
      if (typeof v === 'boolean') return FAIL;
      if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
      return FAIL;
    },
    key: numKey,
    str: (v) => (floatNumber ? pyFloatRepr(v as number) : String(v)),
    ordinal: (v) => v as number,
    compare: numCompare,
  };
}

/** Python str() of a number-field value, from the cell it was read from. */
export function numberCellStr(field: CompiledField, cell: string): string {
  const d = field.descriptor;
  if (d.floatNumber === true) {
    const v = field.read(cell);
    return typeof v === 'number' ? pyFloatRepr(v) : cell;
  }
  let s = pyStrip(cell);
  if ('groupChar' in d || 'decimalChar' in d || 'bareNumber' in d) {
    if (d.bareNumber === false) s = s.replace(BARE_STRIP, '');
    if (typeof d.groupChar === 'string' && d.groupChar) s = s.split(d.groupChar).join('');
    if (typeof d.decimalChar === 'string' && d.decimalChar !== '.') s = s.split(d.decimalChar).join('.');
  }
  return pyDecimal(s)?.str ?? cell;
}

/** Python float(str). */
export function pyFloat(raw: string): number | undefined {
  const s = pyStrip(raw);
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return Number.NaN;
  if (!/^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?$/.test(s))
    return undefined;
  return Number(s.replace(/_/g, ''));
}

function booleanType(d: FieldDescriptor): TypeImpl {
  const map = new Map<string, boolean>();
  for (const v of Array.isArray(d.trueValues) ? d.trueValues : DEFAULT_TRUE) map.set(String(v), true);
  for (const v of Array.isArray(d.falseValues) ? d.falseValues : DEFAULT_FALSE) map.set(String(v), false);
  const read = (cell: string): unknown => {
    const v = map.get(cell);
    return v === undefined ? FAIL : v;
  };
  return {
    read,
    readValue: (v) => (typeof v === 'boolean' ? v : typeof v === 'string' ? read(v) : FAIL),
    key: numKey,
    str: (v) => (v ? 'True' : 'False'),
    ordinal: (v) => (v ? 1 : 0),
    compare: numCompare,
  };
}

const dtKey = (v: unknown) => `d${dateTimeKey(v as PyDateTime)}`;
const dtStr = (v: unknown) => dateTimeStr(v as PyDateTime);
const dtOrd = (v: unknown) => dateTimeOrdinal(v as PyDateTime);
const dtCompare = (a: unknown, b: unknown) => {
  const x = a as PyDateTime;
  const y = b as PyDateTime;
  if ((x.offset === null) !== (y.offset === null) && x.kind !== 'date') return Number.NaN; // Python raises TypeError
  const d = dtOrd(a) - dtOrd(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
};

function dateType(format: string): TypeImpl {
  const read = (cell: string): unknown => {
    let v: PyDateTime | undefined;
    if (format === 'default') v = strptime(cell, '%Y-%m-%d');
    else if (format === 'any') v = dateutilParse(cell);
    else v = strptime(cell, format);
    if (!v) return FAIL;
    // the readers return a new object each time: made a date in place, not copied
    v.kind = 'date';
    v.hour = 0;
    v.minute = 0;
    v.second = 0;
    v.micro = 0;
    v.offset = null;
    return v;
  };
  return { read, key: dtKey, str: dtStr, ordinal: dtOrd, compare: dtCompare };
}

function datetimeType(format: string): TypeImpl {
  const read = (cell: string): unknown => {
    let v: PyDateTime | undefined;
    if (format === 'default') {
      if (cell.length < 19 || cell[16] !== ':') return FAIL;
      v = isoparse(cell);
    } else if (format === 'any') v = dateutilParse(cell);
    else v = strptime(cell, format);
    return v ?? FAIL;
  };
  return { read, key: dtKey, str: dtStr, ordinal: dtOrd, compare: dtCompare };
}

function timeType(format: string): TypeImpl {
  const read = (cell: string): unknown => {
    let v: PyDateTime | undefined;
    if (format === 'default') {
      if (cell.length < 8 || cell[5] !== ':') return FAIL;
      v = isoparse(`2000-01-01T${cell}`);
    } else if (format === 'any') v = dateutilParse(cell);
    else v = strptime(cell, format);
    if (!v) return FAIL;
    return { ...v, kind: 'time', year: 1900, month: 1, day: 1 };
  };
  return { read, key: dtKey, str: dtStr, ordinal: dtOrd, compare: dtCompare };
}

function yearType(): TypeImpl {
  const read = (cell: string): unknown => {
    if (pyLen(cell) !== 4) return FAIL;
    const v = pyInt(cell);
    if (v === undefined || typeof v === 'bigint' || v < 0 || v > 9999) return FAIL;
    return v;
  };
  return {
    read,
    readValue: (v) =>
      typeof v === 'number' && Number.isInteger(v)
        ? v < 0 || v > 9999
          ? FAIL
          : v
        : typeof v === 'string'
          ? read(v)
          : FAIL,
    key: numKey,
    str: (v) => String(v),
    ordinal: (v) => v as number,
    compare: numCompare,
  };
}

interface YearMonth {
  year: number;
  month: number;
}
function yearmonthType(): TypeImpl {
  const read = (cell: string): unknown => {
    const parts = cell.split('-');
    if (parts.length !== 2) return FAIL;
    const y = pyInt(parts[0] ?? '');
    const mo = pyInt(parts[1] ?? '');
    if (y === undefined || mo === undefined || typeof y === 'bigint' || typeof mo === 'bigint') return FAIL;
    if (mo < 1 || mo > 12) return FAIL;
    return { year: y, month: mo } satisfies YearMonth;
  };
  return {
    read,
    readValue: (v) => {
      if (typeof v === 'string') return read(v);
      if (Array.isArray(v) && v.length === 2) return { year: v[0], month: v[1] };
      return FAIL;
    },
    key: (v) => `ym${(v as YearMonth).year}-${(v as YearMonth).month}`,
    str: (v) => `yearmonth(year=${(v as YearMonth).year}, month=${(v as YearMonth).month})`,
    ordinal: (v) => (v as YearMonth).year * 12 + (v as YearMonth).month,
    compare: (a, b) => {
      const x = (a as YearMonth).year * 12 + (a as YearMonth).month;
      const y = (b as YearMonth).year * 12 + (b as YearMonth).month;
      return x < y ? -1 : x > y ? 1 : 0;
    },
  };
}

interface Duration {
  months: number;
  seconds: number;
  text: string;
}
const DURATION_RE =
  /^([+-])?P(?!\b)(?:(\d+(?:[,.]\d+)?)Y)?(?:(\d+(?:[,.]\d+)?)M)?(?:(\d+(?:[,.]\d+)?)W)?(?:(\d+(?:[,.]\d+)?)D)?(?:(T)(?:(\d+(?:[,.]\d+)?)H)?(?:(\d+(?:[,.]\d+)?)M)?(?:(\d+(?:[,.]\d+)?)S)?)?$/;
function durationType(): TypeImpl {
  const read = (cell: string): unknown => {
    const m = DURATION_RE.exec(cell);
    if (!m) {
      // isodate's alternative form PYYYY-MM-DDThh:mm:ss
      const alt = /^([+-])?P(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2}))?$/.exec(cell);
      if (!alt) return FAIL;
      const months = Number(alt[2]) * 12 + Number(alt[3]);
      const seconds =
        Number(alt[4]) * 86400 + Number(alt[5] ?? 0) * 3600 + Number(alt[6] ?? 0) * 60 + Number(alt[7] ?? 0);
      const sign = alt[1] === '-' ? -1 : 1;
      return { months: sign * months, seconds: sign * seconds, text: cell } satisfies Duration;
    }
    const num = (s: string | undefined) => (s ? Number(s.replace(',', '.')) : 0);
    const sign = m[1] === '-' ? -1 : 1;
    const months = num(m[2]) * 12 + num(m[3]);
    const seconds = num(m[4]) * 7 * 86400 + num(m[5]) * 86400 + num(m[7]) * 3600 + num(m[8]) * 60 + num(m[9]);
    if (!Number.isFinite(seconds) || Math.abs(seconds) / 86400 > 999999999) return FAIL; // timedelta overflow
    return { months: sign * months, seconds: sign * seconds, text: cell } satisfies Duration;
  };
  return {
    read,
    key: (v) => `du${(v as Duration).months}:${(v as Duration).seconds}`,
    str: (v) => durationStr(v as Duration),
    ordinal: (v) => (v as Duration).months * 30 * 86400 + (v as Duration).seconds,
    compare: (a, b) => {
      const x = (a as Duration).months * 2629746 + (a as Duration).seconds;
      const y = (b as Duration).months * 2629746 + (b as Duration).seconds;
      return x < y ? -1 : x > y ? 1 : 0;
    },
  };
}

// str(datetime.timedelta): "1 day, 2:03:04".
function durationStr(d: Duration): string {
  if (d.months) return d.text;
  let total = d.seconds;
  const days = Math.floor(total / 86400);
  total -= days * 86400;
  const h = Math.floor(total / 3600);
  const mi = Math.floor((total - h * 3600) / 60);
  const s = total - h * 3600 - mi * 60;
  const whole = Math.floor(s);
  const micro = Math.round((s - whole) * 1e6);
  let out = `${h}:${String(mi).padStart(2, '0')}:${String(whole).padStart(2, '0')}`;
  if (micro) out += `.${String(micro).padStart(6, '0')}`;
  if (days) out = `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${out}`;
  return out;
}

interface GeoPoint {
  lon: string;
  lat: string;
}
function geopointType(format: string): TypeImpl {
  const decimal = (v: unknown): string | undefined => {
    if (typeof v === 'number')
      return Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : String(v)) : undefined;
    if (typeof v === 'string') return pyDecimal(v)?.str;
    return undefined;
  };
  const make = (lonRaw: unknown, latRaw: unknown): unknown => {
    const lon = decimal(lonRaw);
    const lat = decimal(latRaw);
    if (lon === undefined || lat === undefined) return FAIL;
    const x = Number(lon);
    const y = Number(lat);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return FAIL; // NaN comparisons raise
    if (x > 180 || x < -180 || y > 90 || y < -90) return FAIL;
    return { lon, lat } satisfies GeoPoint;
  };
  const read = (cell: string): unknown => {
    try {
      if (format === 'default') {
        const parts = cell.split(',');
        if (parts.length !== 2) return FAIL;
        return make(pyStrip(parts[0] ?? ''), pyStrip(parts[1] ?? ''));
      }
      if (format === 'array') {
        const v = pyJsonParse(cell);
        if (!Array.isArray(v) && !(typeof v === 'string')) return FAIL;
        const arr = Array.isArray(v) ? v : [...(v as string)];
        if (arr.length !== 2) return FAIL;
        return make(arr[0], arr[1]);
      }
      if (format === 'object') {
        const v = pyJsonParse(cell);
        if (!v || typeof v !== 'object' || Array.isArray(v)) return FAIL;
        const o = v as Record<string, unknown>;
        if (Object.keys(o).length !== 2 || !('lon' in o) || !('lat' in o)) return FAIL;
        return make(o.lon, o.lat);
      }
      return FAIL;
    } catch {
      return FAIL;
    }
  };
  return {
    read,
    key: (v) => `g${(v as GeoPoint).lon},${(v as GeoPoint).lat}`,
    str: (v) => `geopoint(lon=Decimal('${(v as GeoPoint).lon}'), lat=Decimal('${(v as GeoPoint).lat}'))`,
  };
}

/** json.loads: also accepts NaN, Infinity and -Infinity like Python. */
export function pyJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
    const marked = text.replace(
      /("(?:[^"\\]|\\.)*")|(-?Infinity|NaN)/g,
      (m, str: string | undefined, special: string | undefined) =>
        str ? m : `{"__py_special__":"${special}"}`,
    );
    return JSON.parse(marked, (_k, v) =>
      v && typeof v === 'object' && '__py_special__' in v
        ? Number((v as { __py_special__: string }).__py_special__.replace('Infinity', 'Infinity'))
        : v,
    );
  }
}

const TOPOJSON_TYPES = new Set([
  'Topology',
  'GeometryCollection',
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
]);
const GEOJSON_TYPES = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
  'Feature',
  'FeatureCollection',
]);

function isPosition(v: unknown): boolean {
  return Array.isArray(v) && v.length >= 2 && v.every((n) => typeof n === 'number');
}
function validGeometry(g: Record<string, unknown>): boolean {
  const c = g.coordinates;
  switch (g.type) {
    case 'Point':
      return isPosition(c);
    case 'MultiPoint':
    case 'LineString':
      return Array.isArray(c) && c.every(isPosition) && (g.type === 'MultiPoint' || c.length >= 2);
    case 'MultiLineString':
    case 'Polygon':
      return (
        Array.isArray(c) &&
        c.every(
          (l) =>
            Array.isArray(l) &&
            l.every(isPosition) &&
            (g.type === 'MultiLineString' ? l.length >= 2 : l.length >= 4),
        )
      );
    case 'MultiPolygon':
      return (
        Array.isArray(c) &&
        c.every(
          (p) => Array.isArray(p) && p.every((l) => Array.isArray(l) && l.every(isPosition) && l.length >= 4),
        )
      );
    case 'GeometryCollection':
      return (
        Array.isArray(g.geometries) &&
        g.geometries.every((x) => x && typeof x === 'object' && validGeometry(x as Record<string, unknown>))
      );
    default:
      return false;
  }
}
function validGeoJson(v: Record<string, unknown>): boolean {
  if (!GEOJSON_TYPES.has(v.type as string)) return false;
  if (v.type === 'Feature')
    return (
      'geometry' in v &&
      'properties' in v &&
      (v.geometry === null ||
        (typeof v.geometry === 'object' && validGeometry(v.geometry as Record<string, unknown>)))
    );
  if (v.type === 'FeatureCollection')
    return (
      Array.isArray(v.features) &&
      v.features.every((f) => f && typeof f === 'object' && validGeoJson(f as Record<string, unknown>))
    );
  return validGeometry(v);
}

function jsonType(kind: 'object' | 'array' | 'geojson', format: string): TypeImpl {
  const accept = (v: unknown): unknown => {
    if (kind === 'array') return Array.isArray(v) ? v : FAIL;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return FAIL;
    if (kind === 'geojson') {
      if (format === 'default' && !validGeoJson(v as Record<string, unknown>)) return FAIL;
      if (format === 'topojson' && !TOPOJSON_TYPES.has((v as Record<string, unknown>).type as string))
        return FAIL;
    }
    return v;
  };
  return {
    read: (cell) => {
      try {
        return accept(pyJsonParse(cell));
      } catch {
        return FAIL;
      }
    },
    readValue: (v) =>
      typeof v === 'string'
        ? (() => {
            try {
              return accept(pyJsonParse(v));
            } catch {
              return FAIL;
            }
          })()
        : accept(v),
    key: (v) => `j${pyRepr(v)}`,
    str: (v) => pyRepr(v),
    length: (v) => (Array.isArray(v) ? v.length : Object.keys(v as object).length),
  };
}

function anyType(): TypeImpl {
  return {
    read: (cell) => cell,
    readValue: (v) => v,
    key: (v) => (typeof v === 'string' ? `s${v}` : numKey(v)),
    str: (v) => pyStr(v),
  };
}

function listType(d: FieldDescriptor): TypeImpl {
  const delimiter = typeof d.delimiter === 'string' ? d.delimiter : ',';
  const itemType = typeof d.itemType === 'string' ? d.itemType : 'string';
  const item = typeImpl({ name: 'item', type: itemType });
  const read = (cell: string): unknown => {
    const parts = cell.split(delimiter);
    const out: unknown[] = [];
    for (const p of parts) {
      const v = item.read(p);
      if (v === FAIL) return FAIL;
      out.push(v);
    }
    return out;
  };
  return {
    read,
    key: (v) => `l${(v as unknown[]).map((x) => item.key(x)).join('\u0001')}`,
    str: (v) =>
      `[${(v as unknown[]).map((x) => (typeof x === 'string' ? pyStringRepr(x) : item.str(x))).join(', ')}]`,
    length: (v) => (v as unknown[]).length,
  };
}

function typeImpl(d: FieldDescriptor, v2 = false): TypeImpl {
  const type = d.type ?? 'string';
  const format = typeof d.format === 'string' ? d.format.replace(/^fmt:/, '') : 'default';
  switch (type) {
    case 'string':
      return stringType(format);
    case 'integer':
      return integerType(d, v2);
    case 'number':
      return numberType(d);
    case 'boolean':
      return booleanType(d);
    case 'date':
      return dateType(format);
    case 'datetime':
      return datetimeType(format);
    case 'time':
      return timeType(format);
    case 'year':
      return yearType();
    case 'yearmonth':
      return yearmonthType();
    case 'duration':
      return durationType();
    case 'geopoint':
      return geopointType(format);
    case 'geojson':
      return jsonType('geojson', format);
    case 'object':
      return jsonType('object', format);
    case 'array':
      return jsonType('array', format);
    case 'list':
      return listType(d);
    default:
      return anyType();
  }
}

/** Compiles a field descriptor (schema-level missing values apply unless the field sets its own). */
export function compileField(
  descriptor: FieldDescriptor,
  schema?: Pick<TableSchema, 'missingValues'> & { $schema?: unknown },
): CompiledField {
  const type = descriptor.type ?? 'string';
  const format = typeof descriptor.format === 'string' ? descriptor.format.replace(/^fmt:/, '') : 'default';
  const impl = typeImpl(descriptor, isV2(schema));
  const missing = new Set(
    missingValuesOf(descriptor.missingValues) ?? missingValuesOf(schema?.missingValues) ?? [''],
  );
  const constraints = descriptor.constraints ?? {};
  const supported = supportedConstraints(type);
  const checks: ConstraintCheck[] = [];
  const readValue = (v: unknown): unknown => {
    if (typeof v === 'string') return impl.read(v);
    if (impl.readValue) return impl.readValue(v);
    return FAIL;
  };
  const compare =
    impl.compare ?? ((a: unknown, b: unknown) => (impl.key(a) === impl.key(b) ? 0 : Number.NaN));
  const constraintNote = (name: string) => `constraint "${name}" is "${pyStr(constraints[name])}"`;
  for (const name of supported) {
    if (name === 'required') continue;
    const raw = constraints[name];
    if (raw === undefined || raw === null) continue;
    const note = constraintNote(name);
    if (name === 'minLength' || name === 'maxLength') {
      const limit = Number(raw);
      const length = impl.length ?? ((v: unknown) => pyLen(String(v)));
      // For strings, Python's len() is between half the UTF-16 length and the UTF-16 length:
      // most cells are decided without counting code points.
      const min = (v: unknown) =>
        typeof v === 'string'
          ? v.length >= limit && (v.length >= limit * 2 || pyLen(v) >= limit)
          : length(v) >= limit;
      const max = (v: unknown) =>
        typeof v === 'string' ? v.length <= limit || pyLen(v) <= limit : length(v) <= limit;
      checks.push({ name, note, test: name === 'minLength' ? min : max });
    } else if (
      name === 'minimum' ||
      name === 'maximum' ||
      name === 'exclusiveMinimum' ||
      name === 'exclusiveMaximum'
    ) {
      const bound = readValue(raw);
      if (bound === FAIL) continue;
      const ok: (c: number) => boolean =
        name === 'minimum'
          ? (c) => c >= 0
          : name === 'maximum'
            ? (c) => c <= 0
            : name === 'exclusiveMinimum'
              ? (c) => c > 0
              : (c) => c < 0;
      checks.push({
        name,
        note,
        test: (v) => {
          if (typeof v === 'number' && Number.isNaN(v)) return false;
          const c = compare(v, bound);
          return !Number.isNaN(c) && ok(c);
        },
      });
    } else if (name === 'pattern') {
      const re = pythonRegex(String(raw));
      checks.push({
        name,
        note,
        test: (v) => {
          re.lastIndex = 0;
          return re.test(v as string);
        },
      });
    } else if (name === 'enum') {
      const values = Array.isArray(raw) ? raw : [];
      const keys = new Set<string>();
      const strings = new Set<unknown>();
      for (const item of values) {
        const v = readValue(item);
        if (v === FAIL || v === null || v === undefined) continue;
        keys.add(impl.key(v));
        if (typeof v === 'string') strings.add(v);
      }
      // Strings compare as themselves; other values through their equality key.
      checks.push({
        name,
        note,
        test: (v) =>
          typeof v === 'string' && (type === 'string' || type === 'any')
            ? strings.has(v)
            : keys.has(impl.key(v)),
      });
    }
  }
  // Data Package v2 categories (not in frictionless-py): values must be one of them.
  if (Array.isArray(descriptor.categories) && (type === 'string' || type === 'integer' || type === 'any')) {
    const keys = new Set<string>();
    const shown: unknown[] = [];
    for (const c of descriptor.categories) {
      const value = typeof c === 'object' && c !== null ? c.value : c;
      shown.push(value);
      const v = readValue(typeof value === 'number' && type === 'string' ? String(value) : value);
      if (v !== FAIL) keys.add(impl.key(v));
    }
    checks.push({
      name: 'categories',
      note: `constraint "categories" is "${pyRepr(shown)}"`,
      test: (v) => keys.has(impl.key(v)),
    });
  }
  const requiredRaw = constraints.required;
  const field: CompiledField = {
    name: descriptor.name,
    type,
    format,
    descriptor,
    missing,
    read: impl.read,
    readValue,
    typeNote: `type is "${type}/${format}"`,
    required: requiredRaw === true,
    requiredNote: `constraint "required" is "${pyStr(requiredRaw)}"`,
    unique: constraints.unique === true,
    checks,
    key: impl.key,
    str: impl.str,
  };
  if (impl.ordinal) field.ordinal = impl.ordinal;
  if (type === 'list')
    field.typeNote = `expected item type is "${typeof descriptor.itemType === 'string' ? descriptor.itemType : 'string'}"`;
  if (type === 'array' && descriptor.arrayItem && typeof descriptor.arrayItem === 'object') {
    const itemDescriptor = { ...(descriptor.arrayItem as FieldDescriptor) };
    delete itemDescriptor.arrayItem;
    itemDescriptor.name ??= descriptor.name;
    itemDescriptor.type ??= 'any';
    field.arrayItem = compileField(itemDescriptor);
  }
  return field;
}

/** Python re pattern → JS RegExp anchored like re.compile("^{p}$").match(). */
export function pythonRegex(pattern: string): RegExp {
  const src = pattern
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\Z/g, '$')
    .replace(/\\A/g, '^');
  try {
    return new RegExp(`^${src}(?=\\n?$)`, 'uy');
  } catch {
    return new RegExp(`^${src}(?=\\n?$)`, 'y');
  }
}

export interface CellOutcome {
  value: unknown;
  /** The type-error note, or null when the type reader accepted the cell. */
  typeNote: string | null;
  /** Constraint notes in order (required first). */
  notes: string[];
}

/** Reads one cell like frictionless-py's cell_reader (undefined = cell absent from the row). */
export function readFieldCell(field: CompiledField, cell: string | undefined): CellOutcome {
  let value: unknown = null;
  if (cell !== undefined && !field.missing.has(cell)) {
    value = field.read(cell);
    if (value === FAIL) return { value: null, typeNote: field.typeNote, notes: [] };
  }
  const notes: string[] = [];
  if (field.required && value === null) notes.push(field.requiredNote);
  if (value !== null) {
    for (const check of field.checks) if (!check.test(value)) notes.push(check.note);
  }
  if (field.arrayItem && notes.length === 0 && Array.isArray(value))
    return readArrayItems(field.arrayItem, value);
  return { value, typeNote: null, notes };
}

// ArrayField.create_cell_reader: item notes go into one dict keyed by constraint name
// ("type" included), prefixed "array item "; the "type" entry then becomes a type-error.
function readArrayItems(item: CompiledField, list: unknown[]): CellOutcome {
  const items = list.slice();
  const notes = new Map<string, string>();
  for (let i = 0; i < items.length; i++) {
    const raw = items[i];
    const str = typeof raw === 'string' ? raw : pyStr(raw);
    let v: unknown = null;
    if (raw !== null && raw !== undefined && !item.missing.has(str)) {
      v = item.readValue(raw);
      if (v === FAIL) {
        notes.set('type', `array item ${item.typeNote}`);
        v = null;
        items[i] = null;
        continue;
      }
    }
    if (item.required && v === null) notes.set('required', `array item ${item.requiredNote}`);
    if (v !== null)
      for (const check of item.checks) if (!check.test(v)) notes.set(check.name, `array item ${check.note}`);
    items[i] = v;
  }
  const typeNote = notes.get('type') ?? null;
  notes.delete('type');
  return { value: items, typeNote, notes: [...notes.values()] };
}

export { decimalKey, isPySpace };

/**
 * The value readCell() hands out: JSON-friendly forms of Python's values. date
 * 'YYYY-MM-DD'; time 'HH:MM:SS[.ffffff][±HH:MM]'; datetime 'YYYY-MM-DDTHH:MM:SS[.ffffff][±HH:MM]'
 * (no offset when naive); duration an ISO 8601 duration; geopoint [lon, lat]; yearmonth
 * [year, month]; numbers as numbers (bigint past 2^53).
 */
export function publicValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(publicValue);
  const v = value as Record<string, unknown>;
  if (typeof v.kind === 'string' && 'year' in v && 'micro' in v) {
    const d = value as PyDateTime;
    const str = dateTimeStr(d);
    return d.kind === 'datetime' ? str.replace(' ', 'T') : str;
  }
  if ('months' in v && 'seconds' in v && 'text' in v) return durationIso(value as Duration);
  if ('lon' in v && 'lat' in v && Object.keys(v).length === 2 && typeof v.lon === 'string')
    return [Number(v.lon), Number(v.lat)];
  if ('year' in v && 'month' in v && Object.keys(v).length === 2) return [v.year, v.month];
  return value;
}

// isodate.duration_isoformat: P[nY][nM][nD][T[nH][nM][nS]], weeks as days, "P0D" for zero.
function durationIso(d: Duration): string {
  const sign = d.months < 0 || d.seconds < 0 ? '-' : '';
  const months = Math.abs(d.months);
  let seconds = Math.abs(d.seconds);
  const years = Math.floor(months / 12);
  const m = months % 12;
  const days = Math.floor(seconds / 86400);
  seconds -= days * 86400;
  const h = Math.floor(seconds / 3600);
  seconds -= h * 3600;
  const mi = Math.floor(seconds / 60);
  seconds = Math.round((seconds - mi * 60) * 1e6) / 1e6;
  let out = 'P';
  if (years) out += `${years}Y`;
  if (m) out += `${m}M`;
  if (days) out += `${days}D`;
  if (h || mi || seconds) {
    out += 'T';
    if (h) out += `${h}H`;
    if (mi) out += `${mi}M`;
    if (seconds) out += `${seconds}S`;
  }
  return out === 'P' ? 'P0D' : sign + out;
}
