// Python's datetime.strptime (C locale) and dateutil's isoparse, as frictionless-py's date,
// time and datetime readers use them. Values are plain objects whose `str` is Python's str().

import { hasNonAscii } from '../py.ts';

export interface PyDateTime {
  kind: 'date' | 'datetime' | 'time';
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
  /** UTC offset in seconds, or null for naive values. */
  offset: number | null;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function alt(names: string[]): string {
  return `(${names
    .slice()
    .sort((a, b) => b.length - a.length)
    .join('|')})`;
}

// _strptime.TimeRE: one regex group per directive.
const DIRECTIVES: Record<string, string> = {
  d: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  f: '([0-9]{1,6})',
  H: '(2[0-3]|[0-1]\\d|\\d)',
  I: '(1[0-2]|0[1-9]|[1-9])',
  G: '(\\d\\d\\d\\d)',
  j: '(36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])',
  m: '(1[0-2]|0[1-9]|[1-9])',
  M: '([0-5]\\d|\\d)',
  S: '(6[0-1]|[0-5]\\d|\\d)',
  U: '(5[0-3]|[0-4]\\d|\\d)',
  w: '([0-6])',
  u: '([1-7])',
  V: '(5[0-3]|0[1-9]|[1-4]\\d|\\d)',
  y: '(\\d\\d)',
  Y: '(\\d\\d\\d\\d)',
  z: '(?:([+-])(\\d\\d):?([0-5]\\d)(?::?([0-5]\\d)(?:\\.(\\d{1,6}))?)?|(Z))',
  A: alt(DAYS),
  a: alt(DAYS.map((d) => d.slice(0, 3))),
  B: alt(MONTHS),
  b: alt(MONTHS.map((m) => m.slice(0, 3))),
  p: '(am|pm)',
  W: '(5[0-3]|[0-4]\\d|\\d)',
  Z: '(utc|gmt)',
  '%': '%',
};
DIRECTIVES.h = DIRECTIVES.b ?? '';

interface CompiledFormat {
  re: RegExp;
  slots: string[];
}

const formatCache = new Map<string, CompiledFormat | null>();

function compileFormat(format: string): CompiledFormat | null {
  const cached = formatCache.get(format);
  if (cached !== undefined) return cached;
  let src = '';
  const slots: string[] = [];
  // Python: whitespace runs in the format match \s+; regex specials are escaped.
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] ?? '';
    if (ch === '%') {
      const d = format[i + 1];
      i++;
      if (d === undefined) {
        formatCache.set(format, null);
        return null; // "stray % in format"
      }
      const pattern = DIRECTIVES[d];
      if (pattern === undefined) {
        formatCache.set(format, null);
        return null; // bad directive
      }
      if (d === '%') {
        src += '%';
        continue;
      }
      if (d === 'c' || d === 'x' || d === 'X') {
        formatCache.set(format, null);
        return null;
      }
      src += pattern;
      slots.push(d);
    } else if (/\s/.test(ch)) {
      while (i + 1 < format.length && /\s/.test(format[i + 1] ?? '')) i++;
      src += '\\s+';
    } else {
      src += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  const compiled = { re: new RegExp(`^${src}`, 'i'), slots };
  formatCache.set(format, compiled);
  return compiled;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function ymdFromOrdinal(year: number, yday: number): [number, number] {
  let m = 1;
  let d = yday;
  while (m <= 12 && d > daysInMonth(year, m)) {
    d -= daysInMonth(year, m);
    m++;
  }
  return [m, d];
}

/** strptime(cell, '%Y-%m-%d') without the regex: YYYY-M[M]-D[D] (also ' D' as %d allows). */
function isoDate(cell: string): PyDateTime | undefined | null {
  const n = cell.length;
  if (n < 8 || n > 10) return null;
  const d = (i: number) => cell.charCodeAt(i) - 48;
  for (let i = 0; i < 4; i++) if (d(i) < 0 || d(i) > 9) return null;
  if (cell.charCodeAt(4) !== 45) return null;
  let i = 5;
  let month = d(i++);
  if (month < 0 || month > 9) return null;
  if (cell.charCodeAt(i) !== 45) {
    const m2 = d(i++);
    if (m2 < 0 || m2 > 9) return null;
    month = month * 10 + m2;
  }
  if (cell.charCodeAt(i++) !== 45) return null;
  const rest = n - i;
  if (rest < 1 || rest > 2) return null;
  let day = d(i++);
  if (day < 0 || day > 9) return null;
  if (rest === 2) {
    const d2 = d(i);
    if (d2 < 0 || d2 > 9) return null;
    day = day * 10 + d2;
  }
  const year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { kind: 'datetime', year, month, day, hour: 0, minute: 0, second: 0, micro: 0, offset: null };
}

/** datetime.strptime(cell, format); undefined where Python raises ValueError. */
export function strptime(cell: string, format: string): PyDateTime | undefined {
  if (format === '%Y-%m-%d') {
    const fast = isoDate(cell);
    if (fast !== null) return fast;
  }
  const compiled = compileFormat(format);
  if (!compiled) return undefined;
  const m = compiled.re.exec(cell);
  if (!m || m[0].length !== cell.length) return undefined;
  let year = 1900;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let micro = 0;
  let offset: number | null = null;
  let ampm: string | undefined;
  let yday: number | undefined;
  let hour12: number | undefined;
  let g = 1;
  for (const slot of compiled.slots) {
    if (slot === 'z') {
      const [sign, hh, mm, ss, frac, zulu] = [m[g], m[g + 1], m[g + 2], m[g + 3], m[g + 4], m[g + 5]];
      g += 6;
      if (zulu) offset = 0;
      else if (sign) {
        let off = Number(hh) * 3600 + Number(mm) * 60 + (ss ? Number(ss) : 0);
        if (frac) off += Number(frac.padEnd(6, '0')) / 1e6;
        offset = sign === '-' ? -off : off;
      }
      continue;
    }
    const v = m[g++] ?? '';
    switch (slot) {
      case 'Y':
        year = Number(v);
        break;
      case 'y': {
        const y = Number(v);
        year = y <= 68 ? 2000 + y : 1900 + y;
        break;
      }
      case 'm':
        month = Number(v);
        break;
      case 'B':
        month = MONTHS.indexOf(v.toLowerCase()) + 1;
        break;
      case 'b':
      case 'h':
        month = MONTHS.findIndex((x) => x.startsWith(v.toLowerCase())) + 1;
        break;
      case 'd':
        day = Number(v.trim());
        break;
      case 'H':
        hour = Number(v);
        break;
      case 'I':
        hour12 = Number(v);
        break;
      case 'M':
        minute = Number(v);
        break;
      case 'S':
        second = Number(v);
        break;
      case 'f':
        micro = Number(v.padEnd(6, '0'));
        break;
      case 'p':
        ampm = v.toLowerCase();
        break;
      case 'j':
        yday = Number(v);
        break;
      case 'Z':
        break;
      default:
        break;
    }
  }
  if (hour12 !== undefined) {
    hour = hour12 % 12;
    if (ampm === 'pm') hour += 12;
  }
  if (second > 59) return undefined; // %S accepts 60 and 61, datetime() then refuses them
  if (
    yday !== undefined &&
    compiled.slots.includes('j') &&
    !compiled.slots.includes('m') &&
    !compiled.slots.includes('d')
  ) {
    const max = daysInMonth(year, 2) === 29 ? 366 : 365;
    if (yday > max) return undefined;
    [month, day] = ymdFromOrdinal(year, yday);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { kind: 'datetime', year, month, day, hour, minute, second, micro, offset };
}

// dateutil.parser.isoparse --------------------------------------------------------------

function int2(s: string): number | undefined {
  // Python int() of a short slice: whitespace, a sign, digits.
  if (!/^\s*[+-]?\d+\s*$/.test(s)) return undefined;
  return Number.parseInt(s.trim(), 10);
}

function parseIsoDate(s: string): { comps: [number, number, number]; pos: number } | undefined {
  const len = s.length;
  if (len < 4) return undefined;
  const year = int2(s.slice(0, 4));
  if (year === undefined) return undefined;
  const comps: [number, number, number] = [year, 1, 1];
  let pos = 4;
  if (pos >= len) return { comps, pos };
  const hasSep = s[pos] === '-';
  if (hasSep) pos++;
  if (len - pos < 2) return parseUncommon(s);
  const month = int2(s.slice(pos, pos + 2));
  if (month === undefined) return parseUncommon(s);
  comps[1] = month;
  pos += 2;
  if (pos >= len) return hasSep ? { comps, pos } : undefined;
  if (hasSep) {
    if (s[pos] !== '-') return parseUncommon(s);
    pos++;
  }
  if (len - pos < 2) return parseUncommon(s);
  const day = int2(s.slice(pos, pos + 2));
  if (day === undefined) return parseUncommon(s);
  comps[2] = day;
  return { comps, pos: pos + 2 };
}

// ISO week dates (2020-W01-1) and ordinal dates (2020-123).
function parseUncommon(s: string): { comps: [number, number, number]; pos: number } | undefined {
  if (s.length < 4) return undefined;
  const year = int2(s.slice(0, 4));
  if (year === undefined) return undefined;
  let pos = 4;
  const hasSep = s[pos] === '-';
  if (hasSep) pos++;
  if (s[pos] === 'W') {
    pos++;
    const week = int2(s.slice(pos, pos + 2));
    if (week === undefined) return undefined;
    pos += 2;
    let dow = 1;
    if (s.length > pos) {
      if ((s[pos] === '-') !== hasSep) return undefined;
      if (hasSep) pos++;
      const d = int2(s.slice(pos, pos + 1));
      if (d === undefined) return undefined;
      dow = d;
      pos++;
    }
    if (week < 1 || week > 53 || dow < 1 || dow > 7) return undefined;
    // ISO calendar: week 1 contains Jan 4th.
    const jan4 = new Date(Date.UTC(year, 0, 4));
    const jan4dow = (jan4.getUTCDay() + 6) % 7;
    const start = Date.UTC(year, 0, 4 - jan4dow) + ((week - 1) * 7 + (dow - 1)) * 86400000;
    const d = new Date(start);
    return { comps: [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()], pos };
  }
  if (s.length - pos < 3) return undefined;
  const ord = int2(s.slice(pos, pos + 3));
  if (ord === undefined) return undefined;
  pos += 3;
  const max = daysInMonth(year, 2) === 29 ? 366 : 365;
  if (ord < 1 || ord > max) return undefined;
  const [month, day] = ymdFromOrdinal(year, ord);
  return { comps: [year, month, day], pos };
}

function parseTz(s: string): number | undefined {
  if (s === 'Z' || s === 'z') return 0;
  if (s.length !== 3 && s.length !== 5 && s.length !== 6) return undefined;
  const sign = s[0] === '-' ? -1 : s[0] === '+' ? 1 : 0;
  if (!sign) return undefined;
  const hours = int2(s.slice(1, 3));
  if (hours === undefined) return undefined;
  let minutes = 0;
  if (s.length > 3) {
    const m = int2(s.slice(s[3] === ':' ? 4 : 3));
    if (m === undefined) return undefined;
    minutes = m;
  }
  if (hours === 0 && minutes === 0) return 0;
  if (minutes > 59 || hours > 23) return undefined;
  return sign * (hours * 60 + minutes) * 60;
}

function parseIsoTime(s: string): [number, number, number, number, number | null] | undefined {
  const len = s.length;
  const comps: [number, number, number, number, number | null] = [0, 0, 0, 0, null];
  if (len < 2) return undefined;
  let pos = 0;
  let comp = -1;
  let hasSep = false;
  while (pos < len && comp < 5) {
    comp++;
    const ch = s[pos] ?? '';
    if (ch === '-' || ch === '+' || ch === 'Z' || ch === 'z') {
      const tz = parseTz(s.slice(pos));
      if (tz === undefined) return undefined;
      comps[4] = tz;
      pos = len;
      break;
    }
    if (comp === 1 && ch === ':') {
      hasSep = true;
      pos++;
    } else if (comp === 2 && hasSep) {
      if (ch !== ':') return undefined;
      pos++;
    }
    if (comp < 3) {
      const v = int2(s.slice(pos, pos + 2));
      if (v === undefined) return undefined;
      comps[comp] = v;
      pos += 2;
    } else if (comp === 3) {
      const frac = /^[.,]([0-9]+)/.exec(s.slice(pos));
      if (!frac) continue;
      const us = (frac[1] ?? '').slice(0, 6);
      comps[3] = Number(us) * 10 ** (6 - us.length);
      pos += frac[0].length;
    }
  }
  if (pos < len) return undefined;
  if (comps[0] === 24 && (comps[1] !== 0 || comps[2] !== 0 || comps[3] !== 0)) return undefined;
  return comps;
}

/** dateutil.parser.isoparse(s); undefined where it raises. */
export function isoparse(s: string): PyDateTime | undefined {
  // dateutil encodes to ASCII first.
  if (hasNonAscii(s)) return undefined;
  const date = parseIsoDate(s);
  if (!date) return undefined;
  let [year, month, day] = date.comps;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let micro = 0;
  let offset: number | null = null;
  if (s.length > date.pos) {
    const time = parseIsoTime(s.slice(date.pos + 1));
    if (!time) return undefined;
    [hour, minute, second, micro, offset] = time;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || year < 1) return undefined;
  if (hour > 24 || minute > 59 || second > 59) return undefined;
  if (hour === 24) {
    hour = 0;
    const d = new Date(Date.UTC(year, month - 1, day + 1));
    if (d.getUTCFullYear() > 9999) return undefined;
    year = d.getUTCFullYear();
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  }
  return { kind: 'datetime', year, month, day, hour, minute, second, micro, offset };
}

// str() and comparison keys ----------------------------------------------------------------

const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const p4 = (n: number) => String(n).padStart(4, '0');

function offsetStr(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  let rest = Math.abs(offset);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest -= m * 60;
  const sec = Math.floor(rest);
  const us = Math.round((rest - sec) * 1e6);
  let out = `${sign}${p2(h)}:${p2(m)}`;
  if (sec || us) out += `:${p2(sec)}`;
  if (us) out += `.${String(us).padStart(6, '0')}`;
  return out;
}

function timeStr(v: PyDateTime): string {
  let out = `${p2(v.hour)}:${p2(v.minute)}:${p2(v.second)}`;
  if (v.micro) out += `.${String(v.micro).padStart(6, '0')}`;
  if (v.offset !== null) out += offsetStr(v.offset);
  return out;
}

export function dateTimeStr(v: PyDateTime): string {
  const date = `${p4(v.year)}-${p2(v.month)}-${p2(v.day)}`;
  if (v.kind === 'date') return date;
  if (v.kind === 'time') return timeStr(v);
  return `${date} ${timeStr(v)}`;
}

/** Equality key: aware values compare by instant, naive ones by their fields. */
export function dateTimeKey(v: PyDateTime): string {
  if (v.kind === 'date') return `${p4(v.year)}-${p2(v.month)}-${p2(v.day)}`;
  if (v.offset === null || v.offset === 0) return dateTimeStr(v) + (v.offset === null ? '' : 'Z');
  const ms = Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second) - v.offset * 1000;
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(v.micro).padStart(6, '0')}Z`;
}

/** Ordering number in seconds (aware values by instant). */
export function dateTimeOrdinal(v: PyDateTime): number {
  if (v.kind === 'date') return ((v.year * 12 + v.month) * 31 + v.day) * 86400; // order only
  const d = new Date(0);
  if (v.kind !== 'time') d.setUTCFullYear(v.year, v.month - 1, v.day);
  d.setUTCHours(v.hour, v.minute, v.second, 0);
  return d.getTime() / 1000 + v.micro / 1e6 - (v.offset ?? 0);
}
