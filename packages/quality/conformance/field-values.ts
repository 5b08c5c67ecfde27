// The field-case tables (field-cases/<type>.json) hold frictionless-py's cell values in a
// tagged JSON form (see field-cases/README.md). This module says which JavaScript value
// readCell() is expected to return for each of them — in ONE place, toExpected(), so a
// change of representation is a change here — and how two values are compared.

export type Tagged = null | boolean | number | string | Tagged[] | { [key: string]: Tagged };

export type FieldCaseExpected = Tagged | { error: true };

export interface FieldCase {
  field: { name: string; type: string; format?: string; [key: string]: unknown };
  cell: string;
  expected: FieldCaseExpected;
  origin: string;
}

const TAGS = [
  '$decimal',
  '$bigint',
  '$date',
  '$time',
  '$datetime',
  '$duration',
  '$geopoint',
  '$yearmonth',
] as const;
type Tag = (typeof TAGS)[number];

function tagOf(value: Tagged): { tag: Tag; inner: Tagged } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined || !(TAGS as readonly string[]).includes(key)) return undefined;
  return { tag: key as Tag, inner: value[key] as Tagged };
}

export function isErrorExpected(expected: FieldCaseExpected): expected is { error: true } {
  return (
    expected !== null &&
    typeof expected === 'object' &&
    !Array.isArray(expected) &&
    (expected as { error?: unknown }).error === true
  );
}

/**
 * The JavaScript value readCell() should return for a tagged frictionless-py value:
 *   integer → number (bigint beyond Number.MAX_SAFE_INTEGER); number ($decimal) → number;
 *   date → 'YYYY-MM-DD'; time → 'HH:MM:SS[.ffffff][±HH:MM]'; datetime → ISO 8601 string
 *   ('YYYY-MM-DDTHH:MM:SS[.ffffff][±HH:MM]', no offset when naive); duration → ISO 8601
 *   duration string; geopoint → [lon, lat] numbers; yearmonth → [year, month];
 *   year → number; boolean, string, object, array, geojson → as in JSON.
 */
export function toExpected(value: Tagged): unknown {
  const tagged = tagOf(value);
  if (tagged) {
    const { tag, inner } = tagged;
    switch (tag) {
      case '$decimal':
        return Number(inner);
      case '$bigint':
        return BigInt(inner as string);
      case '$date':
      case '$time':
      case '$datetime':
      case '$duration':
        return inner;
      case '$geopoint':
        return (inner as string[]).map(Number);
      case '$yearmonth':
        return inner;
    }
  }
  if (Array.isArray(value)) return value.map(toExpected);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toExpected(v)]));
  return value;
}

/** '+010.50' → '10.5', '1E3' → '1000', '-0' → '0': a decimal's canonical text, for exact comparison. */
export function canonicalDecimal(text: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match) return text.trim();
  const [, sign = '', int = '', frac = '', exp = '0'] = match;
  let digits = `${int}${frac}`;
  let point = int.length + Number(exp);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  const whole = digits.slice(0, point).replace(/^0+/, '') || '0';
  const fraction = digits.slice(point).replace(/0+$/, '');
  const body = fraction ? `${whole}.${fraction}` : whole;
  return body === '0' ? '0' : `${sign === '-' ? '-' : ''}${body}`;
}

function decimalText(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') return canonicalDecimal(String(value));
  if (typeof value === 'string') return canonicalDecimal(value);
  // A decimal library's object (decimal.js, big.js …) prints itself exactly.
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toString?: unknown }).toString === 'function'
  ) {
    const text = String(value);
    if (text !== '[object Object]') return canonicalDecimal(text);
  }
  return undefined;
}

/** '06:00:00Z' → '06:00:00+00:00'; '06:00:00.500000' → '06:00:00.5'; a Date → its UTC ISO form. */
function canonicalClock(value: unknown): string | undefined {
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'string') text = value;
  else return undefined;
  return text
    .replace(' ', 'T')
    .replace(/Z$/, '+00:00')
    .replace(/\.(\d*?)0*(?=$|[+-])/, (_m, digits: string) => (digits ? `.${digits}` : ''));
}

function hasOffset(text: string): boolean {
  return /[+-]\d\d:\d\d$/.test(text);
}

/**
 * [ours, theirs] in one comparable form: values whose representation may legitimately vary
 * (decimals, offsets of datetimes, bigint vs number) are brought to a canonical text; the
 * rest is ours as is against toExpected(theirs). Compare the pair with deep equality.
 */
export function comparable(actual: unknown, expected: Tagged): [unknown, unknown] {
  const tagged = tagOf(expected);
  if (tagged) {
    const { tag, inner } = tagged;
    if (tag === '$decimal' || tag === '$bigint')
      return [decimalText(actual) ?? actual, canonicalDecimal(inner as string)];
    if (tag === '$date') {
      const ours = actual instanceof Date ? actual.toISOString().slice(0, 10) : actual;
      return [ours, inner];
    }
    if (tag === '$time') return [canonicalClock(actual) ?? actual, canonicalClock(inner)];
    if (tag === '$datetime') {
      const theirs = canonicalClock(inner) as string;
      const ours = canonicalClock(actual);
      // Offset-aware values are equal when they denote the same instant (as in Python).
      if (
        ours !== undefined &&
        hasOffset(theirs) &&
        hasOffset(ours) &&
        Date.parse(ours) === Date.parse(theirs)
      )
        return [theirs, theirs];
      return [ours ?? actual, theirs];
    }
    if (tag === '$geopoint') {
      const pair = Array.isArray(actual)
        ? actual
        : actual !== null && typeof actual === 'object'
          ? [(actual as { lon?: unknown }).lon, (actual as { lat?: unknown }).lat]
          : actual;
      const ours = Array.isArray(pair) ? pair.map((v) => decimalText(v) ?? v) : pair;
      return [ours, (inner as string[]).map(canonicalDecimal)];
    }
    if (tag === '$yearmonth') {
      const ours =
        actual !== null && typeof actual === 'object' && !Array.isArray(actual)
          ? [(actual as { year?: unknown }).year, (actual as { month?: unknown }).month]
          : actual;
      return [ours, toExpected(expected)];
    }
    return [actual, toExpected(expected)];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [actual, toExpected(expected)];
    const pairs = expected.map((e, i) => comparable(actual[i], e));
    return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
      return [actual, toExpected(expected)];
    const ours: Record<string, unknown> = { ...(actual as Record<string, unknown>) };
    const theirs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(expected)) {
      const [a, b] = comparable(ours[key], value);
      ours[key] = a;
      theirs[key] = b;
    }
    return [ours, theirs];
  }
  // An integer may come back as a bigint.
  if (typeof expected === 'number' && typeof actual === 'bigint' && Number.isSafeInteger(expected))
    return [Number(actual), expected];
  return [actual, expected];
}
