// Python semantics that frictionless-py's messages and readers depend on: str.strip(),
// int(), Decimal(), str()/repr() of JSON values. Kept in one place so every reader and
// error note formats values the way the reference does.

const PY_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** Any character outside ASCII (Python's not str.isascii()). */
export function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return true;
  return false;
}

export function isPySpace(code: number): boolean {
  return code <= 0x20
    ? code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f)
    : PY_SPACE.has(code);
}

/** Python's str.strip() with no argument (differs from String#trim on U+FEFF and U+001C–U+001F). */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isPySpace(s.charCodeAt(start))) start++;
  while (end > start && isPySpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

const INT_RE = /^[+-]?\d+(?:_\d+)*$/;

/**
 * Python int(str): surrounding whitespace, a sign, digits with single underscores between
 * them. Returns a number when safe, a bigint otherwise, undefined when Python would raise.
 */
export function pyInt(raw: string): number | bigint | undefined {
  let s = raw;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  if (isPySpace(first) || isPySpace(last)) s = pyStrip(s);
  const n = s.length;
  if (n === 0) return undefined;
  // Fast path: plain ASCII digits, optional sign, up to 15 digits (exact as a double).
  if (n <= 15) {
    let i = 0;
    let neg = false;
    const c0 = s.charCodeAt(0);
    if (c0 === 45 || c0 === 43) {
      neg = c0 === 45;
      i = 1;
      if (n === 1) return undefined;
    }
    let v = 0;
    let ok = true;
    for (; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) {
        ok = false;
        break;
      }
      v = v * 10 + c;
    }
    if (ok) return neg ? (v === 0 ? 0 : -v) : v;
  }
  if (!INT_RE.test(s)) return nonAsciiInt(s);
  const clean = s.replace(/_/g, '');
  const big = BigInt(clean);
  if (big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(big);
  return big;
}

// Python accepts any Unicode decimal digit (e.g. Arabic-Indic) in int() and Decimal().
function nonAsciiInt(s: string): number | bigint | undefined {
  if (!/^[+-]?\p{Nd}+(?:_\p{Nd}+)*$/u.test(s)) return undefined;
  const ascii = toAsciiDigits(s).replace(/_/g, '');
  if (ascii === undefined) return undefined;
  const big = BigInt(ascii);
  if (big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(big);
  return big;
}

function toAsciiDigits(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 128 || !/\p{Nd}/u.test(ch)) {
      out += ch;
      continue;
    }
    // Unicode decimal digits come in runs of ten: find the run's zero.
    let zero = code;
    while (zero > code - 9 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
    out += String(code - zero);
  }
  return out;
}

const DECIMAL_RE = /^([+-])?(?:(\d+(?:_\d+)*)?(?:\.(\d+(?:_\d+)*)?)?)(?:[eE]([+-]?\d+(?:_\d+)*))?$/;
const SPECIAL_RE = /^([+-])?(inf|infinity|nan|snan)(\d*)$/i;

/** A parsed Python Decimal: its str() form and a float for comparisons. */
export interface PyDecimal {
  str: string;
  num: number;
}

/**
 * Python Decimal(str) after strip(): returns the value as a float plus the exact str() of the
 * Decimal, or undefined where Python raises InvalidOperation.
 */
export function pyDecimal(raw: string): PyDecimal | undefined {
  let s = raw;
  if (s.length && (isPySpace(s.charCodeAt(0)) || isPySpace(s.charCodeAt(s.length - 1)))) s = pyStrip(s);
  const m = DECIMAL_RE.exec(s);
  if (!m) {
    const sp = SPECIAL_RE.exec(s);
    if (!sp) {
      if (hasNonAscii(s)) {
        const ascii = toAsciiDigits(s);
        if (!hasNonAscii(ascii)) return pyDecimal(ascii);
      }
      return undefined;
    }
    const sign = sp[1] === '-' ? '-' : '';
    const word = (sp[2] ?? '').toLowerCase();
    if (word === 'inf' || word === 'infinity') {
      if (sp[3]) return undefined;
      return { str: `${sign}Infinity`, num: sign ? -Infinity : Infinity };
    }
    const payload = sp[3] ? String(BigInt(sp[3])) : '';
    const name = word === 'nan' ? 'NaN' : 'sNaN';
    return { str: `${sign}${name}${payload === '0' ? '' : payload}`, num: Number.NaN };
  }
  const intPart = m[2];
  const fracPart = m[3];
  if (intPart === undefined && fracPart === undefined) return undefined;
  const sign = m[1] === '-' ? '-' : '';
  const digitsRaw = ((intPart ?? '') + (fracPart ?? '')).replace(/_/g, '');
  const exp =
    (m[4] ? Number.parseInt(m[4].replace(/_/g, ''), 10) : 0) -
    (fracPart ? fracPart.replace(/_/g, '').length : 0);
  let digits = digitsRaw.replace(/^0+/, '');
  if (digits === '') digits = '0';
  const str = sign + decimalToSci(digits, exp);
  const num = Number(`${sign}${digits}e${exp}`);
  return { str, num };
}

// Decimal.__str__ (to-scientific-string) from a coefficient and exponent.
function decimalToSci(digits: string, exp: number): string {
  const adjusted = exp + digits.length - 1;
  if (exp <= 0 && adjusted >= -6) {
    if (exp === 0) return digits;
    const point = digits.length + exp;
    if (point > 0) return `${digits.slice(0, point)}.${digits.slice(point)}`;
    return `0.${'0'.repeat(-point)}${digits}`;
  }
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${head}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/** Canonical key of a decimal for equality (Decimal('1.0') == Decimal('1') == 1). */
export function decimalKey(d: PyDecimal): string {
  if (!Number.isFinite(d.num)) return d.str;
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:E([+-]\d+))?$/.exec(d.str);
  if (!m) return d.str;
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let exp = (m[4] ? Number(m[4]) : 0) - (m[3] ? m[3].length : 0);
  digits = digits.replace(/^0+/, '');
  if (digits === '') return '0';
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exp++;
  }
  return `${m[1]}${digits}e${exp}`;
}

/** Python str() of a JSON-decoded value (True, None, [1, 'a'], {'a': 1}). */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  return pyRepr(value);
}

export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pyFloatOrIntRepr(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return pyStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyStringRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

// JSON numbers: integers print as ints, others like Python floats.
function pyFloatOrIntRepr(n: number): string {
  if (Number.isInteger(n) && !Object.is(n, -0) && Math.abs(n) < 1e16) return String(n);
  return pyFloatRepr(n);
}

export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (Object.is(n, -0)) return '-0.0';
  const abs = Math.abs(n);
  if (abs >= 1e16 || (abs !== 0 && abs < 1e-4)) {
    // Python: repr uses scientific when exponent < -4 or >= 16, e.g. 1e+16, 1e-05.
    const [mant, e] = n.toExponential().split('e');
    const ev = Number(e);
    const sign = ev < 0 ? '-' : '+';
    const digits = String(Math.abs(ev)).padStart(2, '0');
    return `${mant}e${sign}${digits}`;
  }
  const s = String(n);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

export function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python "%.2f". */
export function pyFixed2(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return n.toFixed(2);
}
