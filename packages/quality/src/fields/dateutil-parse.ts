// dateutil.parser.parse(cell) with its defaults (dayfirst=False, yearfirst=False, not fuzzy),
// which frictionless-py's date, datetime and time readers call for format "any": its lexer
// (_timelex), its token loop (_parse, _parse_numeric_token), its Y/M/D resolution (_ymd) and
// its defaults. Parts the text leaves out come from today's date at midnight, local time, as
// dateutil takes them (a missing year, month or day, a weekday alone, and the century of a
// two-digit year); time-zone names other than UTC/GMT/Z leave the value naive, as dateutil
// does on a machine whose local zone is UTC.

import type { PyDateTime } from './datetime.ts';

const JUMP = new Set([
  ' ',
  '.',
  ',',
  ';',
  '-',
  '/',
  "'",
  'at',
  'on',
  'and',
  'ad',
  'm',
  't',
  'of',
  'st',
  'nd',
  'rd',
  'th',
]);
const WEEKDAYS = [
  ['mon', 'monday'],
  ['tue', 'tuesday'],
  ['wed', 'wednesday'],
  ['thu', 'thursday'],
  ['fri', 'friday'],
  ['sat', 'saturday'],
  ['sun', 'sunday'],
];
const MONTHS = [
  ['jan', 'january'],
  ['feb', 'february'],
  ['mar', 'march'],
  ['apr', 'april'],
  ['may'],
  ['jun', 'june'],
  ['jul', 'july'],
  ['aug', 'august'],
  ['sep', 'sept', 'september'],
  ['oct', 'october'],
  ['nov', 'november'],
  ['dec', 'december'],
];
const HMS = [
  ['h', 'hour', 'hours'],
  ['m', 'minute', 'minutes'],
  ['s', 'second', 'seconds'],
];
const AMPM = [
  ['am', 'a'],
  ['pm', 'p'],
];
const UTCZONE = ['UTC', 'GMT', 'Z', 'z'];

const lookup = (table: string[][]) => {
  const map = new Map<string, number>();
  table.forEach((names, i) => {
    for (const n of names) map.set(n, i);
  });
  return (name: string) => map.get(name.toLowerCase());
};
const weekdayOf = lookup(WEEKDAYS);
const monthIndexOf = lookup(MONTHS);
const monthOf = (name: string) => {
  const i = monthIndexOf(name);
  return i === undefined ? undefined : i + 1;
};
const hmsOf = lookup(HMS);
const ampmOf = lookup(AMPM);
const jump = (name: string) => JUMP.has(name.toLowerCase());
const utczone = (name: string) => UTCZONE.some((z) => z.toLowerCase() === name.toLowerCase());

/** dateutil gives up (ParserError, ValueError, IndexError): the cell is not a date. */
class Fail extends Error {}
const fail = (): never => {
  throw new Fail();
};

const isWord = (c: string) => /\p{L}/u.test(c);
const isNum = (c: string) => /^[0-9]$/.test(c);
const isSpace = (c: string) => /\s/u.test(c);
const isDigits = (s: string) => /^[0-9]+$/.test(s);

/** _timelex.split */
export function timelex(input: string): string[] {
  const chars = [...input.replace(/\0/g, '')];
  let pos = 0;
  const stack: string[] = [];
  const tokens: string[] = [];
  const pushback: string[] = [];
  const nextChar = (): string | undefined => (pushback.length ? pushback.shift() : chars[pos++]);
  for (;;) {
    if (stack.length) {
      tokens.push(stack.shift() as string);
      continue;
    }
    let seenLetters = false;
    let token: string | undefined;
    let state: '' | 'a' | '0' | 'a.' | '0.' = '';
    for (;;) {
      const c = nextChar();
      if (c === undefined) break;
      if (!state) {
        token = c;
        if (isWord(c)) state = 'a';
        else if (isNum(c)) state = '0';
        else {
          if (isSpace(c)) token = ' ';
          break;
        }
      } else if (state === 'a') {
        seenLetters = true;
        if (isWord(c)) token += c;
        else if (c === '.') {
          token += c;
          state = 'a.';
        } else {
          pushback.push(c);
          break;
        }
      } else if (state === '0') {
        if (isNum(c)) token += c;
        else if (c === '.' || (c === ',' && (token as string).length >= 2)) {
          token += c;
          state = '0.';
        } else {
          pushback.push(c);
          break;
        }
      } else if (state === 'a.') {
        seenLetters = true;
        if (c === '.' || isWord(c)) token += c;
        else if (isNum(c) && (token as string).endsWith('.')) {
          token += c;
          state = '0.';
        } else {
          pushback.push(c);
          break;
        }
      } else {
        if (c === '.' || isNum(c)) token += c;
        else if (isWord(c) && (token as string).endsWith('.')) {
          token += c;
          state = 'a.';
        } else {
          pushback.push(c);
          break;
        }
      }
    }
    if (token === undefined) break;
    if (
      (state === 'a.' || state === '0.') &&
      (seenLetters || token.split('.').length > 2 || token.endsWith('.') || token.endsWith(','))
    ) {
      const parts = token.split(/([.,])/);
      token = parts[0] as string;
      for (const p of parts.slice(1)) if (p) stack.push(p);
    }
    if (state === '0.' && !token.includes('.')) token = token.replace(/,/g, '.');
    tokens.push(token);
  }
  return tokens;
}

/** Python's float() accepts the token (dateutil's test for a numeric token). */
const isFloat = (s: string) =>
  /^\s*[+-]?(?:[0-9]+(?:_[0-9]+)*(?:\.(?:[0-9]+(?:_[0-9]+)*)?)?|\.[0-9]+(?:_[0-9]+)*)(?:[eE][+-]?[0-9]+)?\s*$/.test(
    s,
  ) || /^\s*[+-]?(?:inf|infinity|nan)\s*$/i.test(s);

/** Decimal(token), finite, as a number (dateutil's _to_decimal). */
function toDecimal(s: string): number {
  if (!/^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s)) fail();
  return Number(s);
}

/** int(str) */
function pyIntOf(s: string): number {
  if (!/^\s*[+-]?[0-9]+(?:_[0-9]+)*\s*$/.test(s)) fail();
  return Number(s.replace(/_/g, ''));
}

/** int(60 * (value % 1)) computed exactly from the decimal text. */
function sixtiethsOf(repr: string): number {
  const frac = /\.([0-9]+)/.exec(repr)?.[1];
  if (!frac) return 0;
  return Number((60n * BigInt(frac)) / 10n ** BigInt(frac.length));
}

function parsems(value: string): [number, number] {
  if (!value.includes('.')) return [pyIntOf(value), 0];
  const parts = value.split('.');
  if (parts.length !== 2) fail();
  return [pyIntOf(parts[0] as string), pyIntOf((parts[1] as string).padEnd(6, '0').slice(0, 6))];
}

function parseMinSec(repr: string, value: number): [number, number | null] {
  const minute = Math.trunc(value);
  const second = value % 1 ? sixtiethsOf(repr) : null;
  return [minute, second];
}

function daysIn(year: number, month: number): number {
  // Date.UTC maps years 0–99 to 1900–1999: the same leap years from 1 on
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

class Ymd {
  values: number[] = [];
  centurySpecified = false;
  dstridx: number | undefined;
  mstridx: number | undefined;
  ystridx: number | undefined;
  get length() {
    return this.values.length;
  }
  couldBeDay(value: number): boolean {
    if (this.dstridx !== undefined) return false;
    if (this.mstridx === undefined) return value >= 1 && value <= 31;
    const month = this.values[this.mstridx] as number;
    const year = this.ystridx === undefined ? 2000 : (this.values[this.ystridx] as number);
    return value >= 1 && value <= monthDays(year, month);
  }
  append(val: string | number, labelIn?: 'Y' | 'M' | 'D'): void {
    let label = labelIn;
    if (typeof val === 'string') {
      if (isDigits(val) && val.length > 2) {
        this.centurySpecified = true;
        if (label !== undefined && label !== 'Y') fail();
        label = 'Y';
      }
    } else if (val > 100) {
      this.centurySpecified = true;
      if (label !== undefined && label !== 'Y') fail();
      label = 'Y';
    }
    this.values.push(typeof val === 'string' ? pyIntOf(val) : Math.trunc(val));
    const at = this.values.length - 1;
    if (label === 'M') {
      if (this.mstridx !== undefined) fail();
      this.mstridx = at;
    } else if (label === 'D') {
      if (this.dstridx !== undefined) fail();
      this.dstridx = at;
    } else if (label === 'Y') {
      if (this.ystridx !== undefined) fail();
      this.ystridx = at;
    }
  }
  resolve(): [number | undefined, number | undefined, number | undefined] {
    const v = this.values;
    const n = v.length;
    const strids = new Map<'y' | 'm' | 'd', number>();
    if (this.ystridx !== undefined) strids.set('y', this.ystridx);
    if (this.mstridx !== undefined) strids.set('m', this.mstridx);
    if (this.dstridx !== undefined) strids.set('d', this.dstridx);
    if ((n === strids.size && n > 0) || (n === 3 && strids.size === 2)) {
      if (n === 3 && strids.size === 2) {
        const used = [...strids.values()];
        const missing = [0, 1, 2].find((x) => !used.includes(x)) as number;
        const key = (['y', 'm', 'd'] as const).find((k) => !strids.has(k)) as 'y' | 'm' | 'd';
        strids.set(key, missing);
      }
      const get = (k: 'y' | 'm' | 'd') => (strids.has(k) ? v[strids.get(k) as number] : undefined);
      return [get('y'), get('m'), get('d')];
    }
    const m = this.mstridx;
    let year: number | undefined;
    let month: number | undefined;
    let day: number | undefined;
    const [a, b, c] = v as [number, number, number];
    if (n > 3) fail();
    else if (n === 1 || (m !== undefined && n === 2)) {
      let other: number;
      if (m !== undefined) {
        month = v[m];
        other = v[m - 1 < 0 ? n - 1 : m - 1] as number;
      } else other = a;
      if (n > 1 || m === undefined) {
        if (other > 31) year = other;
        else day = other;
      }
    } else if (n === 2) {
      if (a > 31) [year, month] = [a, b];
      else if (b > 31) [month, year] = [a, b];
      else [month, day] = [a, b];
    } else if (n === 3) {
      if (m === 0) {
        if (b > 31) [month, year, day] = [a, b, c];
        else [month, day, year] = [a, b, c];
      } else if (m === 1) {
        if (a > 31) [year, month, day] = [a, b, c];
        else [day, month, year] = [a, b, c];
      } else if (m === 2) {
        if (b > 31) [day, year, month] = [a, b, c];
        else [year, day, month] = [a, b, c];
      } else if (a > 31 || this.ystridx === 0) [year, month, day] = [a, b, c];
      else if (a > 12) [day, month, year] = [a, b, c];
      else [month, day, year] = [a, b, c];
    }
    return [year, month, day];
  }
}

function monthDays(year: number, month: number): number {
  if (month < 1 || month > 12) fail();
  return daysIn(year, month);
}

interface Result {
  year?: number;
  month?: number;
  day?: number;
  weekday?: number;
  hour?: number;
  minute?: number;
  second?: number;
  microsecond?: number;
  tzname?: string;
  tzoffset?: number | null;
  ampm?: number;
  centurySpecified?: boolean;
}

function adjustAmpm(hour: number, ampm: number): number {
  if (hour < 12 && ampm === 1) return hour + 12;
  if (hour === 12 && ampm === 0) return 0;
  return hour;
}

const couldBeTzname = (res: Result, token: string, tzoffset = res.tzoffset) =>
  res.hour !== undefined &&
  res.tzname === undefined &&
  (tzoffset === undefined || tzoffset === null) &&
  token.length <= 5 &&
  (/^[A-Z]*$/.test(token) || UTCZONE.includes(token));

function findHmsIdx(idx: number, tokens: string[]): number | undefined {
  const n = tokens.length;
  const hms = (k: number) => hmsOf(tokens[k] as string) !== undefined;
  if (idx + 1 < n && hms(idx + 1)) return idx + 1;
  if (idx + 2 < n && tokens[idx + 1] === ' ' && hms(idx + 2)) return idx + 2;
  if (idx > 0 && hms(idx - 1)) return idx - 1;
  if (idx > 1 && idx === n - 1 && tokens[idx - 1] === ' ' && hms(idx - 2)) return idx - 2;
  return undefined;
}

function parseNumericToken(tokens: string[], idxIn: number, ymd: Ymd, res: Result): number {
  let idx = idxIn;
  const at = (k: number): string => (k < tokens.length ? (tokens[k] as string) : fail());
  const valueRepr = at(idx);
  let value = toDecimal(valueRepr);
  const lenLi = valueRepr.length;
  const n = tokens.length;
  if (
    ymd.length === 3 &&
    (lenLi === 2 || lenLi === 4) &&
    res.hour === undefined &&
    (idx + 1 >= n || (tokens[idx + 1] !== ':' && hmsOf(tokens[idx + 1] as string) === undefined))
  ) {
    res.hour = pyIntOf(valueRepr.slice(0, 2));
    if (lenLi === 4) res.minute = pyIntOf(valueRepr.slice(2));
  } else if (lenLi === 6 || (lenLi > 6 && valueRepr.indexOf('.') === 6)) {
    if (!ymd.length && !valueRepr.includes('.')) {
      ymd.append(valueRepr.slice(0, 2));
      ymd.append(valueRepr.slice(2, 4));
      ymd.append(valueRepr.slice(4));
    } else {
      res.hour = pyIntOf(valueRepr.slice(0, 2));
      res.minute = pyIntOf(valueRepr.slice(2, 4));
      [res.second, res.microsecond] = parsems(valueRepr.slice(4));
    }
  } else if (lenLi === 8 || lenLi === 12 || lenLi === 14) {
    ymd.append(valueRepr.slice(0, 4), 'Y');
    ymd.append(valueRepr.slice(4, 6));
    ymd.append(valueRepr.slice(6, 8));
    if (lenLi > 8) {
      res.hour = pyIntOf(valueRepr.slice(8, 10));
      res.minute = pyIntOf(valueRepr.slice(10, 12));
      if (lenLi > 12) res.second = pyIntOf(valueRepr.slice(12));
    }
  } else if (findHmsIdx(idx, tokens) !== undefined) {
    const hmsIdx = findHmsIdx(idx, tokens) as number;
    let hms: number;
    if (hmsIdx > idx) {
      hms = hmsOf(tokens[hmsIdx] as string) as number;
      idx = hmsIdx;
    } else hms = (hmsOf(tokens[hmsIdx] as string) as number) + 1;
    if (hms === 0) {
      res.hour = Math.trunc(value);
      if (value % 1) res.minute = sixtiethsOf(valueRepr);
    } else if (hms === 1) [res.minute, res.second] = parseMinSec(valueRepr, value) as [number, number];
    else if (hms === 2) [res.second, res.microsecond] = parsems(valueRepr);
    if (res.second === null) res.second = undefined;
  } else if (idx + 2 < n && tokens[idx + 1] === ':') {
    res.hour = Math.trunc(value);
    const minuteRepr = at(idx + 2);
    value = toDecimal(minuteRepr);
    const [minute, second] = parseMinSec(minuteRepr, value);
    res.minute = minute;
    res.second = second === null ? undefined : second;
    if (idx + 4 < n && tokens[idx + 3] === ':') {
      [res.second, res.microsecond] = parsems(at(idx + 4));
      idx += 2;
    }
    idx += 2;
  } else if (idx + 1 < n && (tokens[idx + 1] === '-' || tokens[idx + 1] === '/' || tokens[idx + 1] === '.')) {
    const sep = tokens[idx + 1];
    ymd.append(valueRepr);
    if (idx + 2 < n && !jump(tokens[idx + 2] as string)) {
      const next = tokens[idx + 2] as string;
      if (isDigits(next)) ymd.append(next);
      else {
        const month = monthOf(next);
        if (month === undefined) fail();
        ymd.append(month as number, 'M');
      }
      if (idx + 3 < n && tokens[idx + 3] === sep) {
        const last = at(idx + 4);
        const month = monthOf(last);
        if (month !== undefined) ymd.append(month, 'M');
        else ymd.append(last);
        idx += 2;
      }
      idx += 1;
    }
    idx += 1;
  } else if (idx + 1 >= n || jump(tokens[idx + 1] as string)) {
    if (idx + 2 < n && ampmOf(tokens[idx + 2] as string) !== undefined) {
      res.hour = adjustAmpm(Math.trunc(value), ampmOf(tokens[idx + 2] as string) as number);
      idx += 1;
    } else ymd.append(value);
    idx += 1;
  } else if (ampmOf(tokens[idx + 1] as string) !== undefined && value >= 0 && value < 24) {
    res.hour = adjustAmpm(Math.trunc(value), ampmOf(tokens[idx + 1] as string) as number);
    idx += 1;
  } else if (ymd.couldBeDay(value)) ymd.append(value);
  else fail();
  return idx;
}

function parseTokens(timestr: string): Result {
  const res: Result = {};
  const l = timelex(timestr);
  const ymd = new Ymd();
  const n = l.length;
  const at = (k: number): string => (k < n ? (l[k] as string) : fail());
  let i = 0;
  while (i < n) {
    const token = l[i] as string;
    if (isFloat(token)) i = parseNumericToken(l, i, ymd, res);
    else if (weekdayOf(token) !== undefined) res.weekday = weekdayOf(token);
    else if (monthOf(token) !== undefined) {
      ymd.append(monthOf(token) as number, 'M');
      if (i + 1 < n) {
        if (l[i + 1] === '-' || l[i + 1] === '/') {
          const sep = l[i + 1];
          ymd.append(at(i + 2));
          if (i + 3 < n && l[i + 3] === sep) {
            ymd.append(at(i + 4));
            i += 2;
          }
          i += 2;
        } else if (
          i + 4 < n &&
          l[i + 1] === ' ' &&
          l[i + 3] === ' ' &&
          (l[i + 2] as string).toLowerCase() === 'of'
        ) {
          const y = l[i + 4] as string;
          if (isDigits(y)) ymd.append(String(convertYear(Number(y), false)), 'Y');
          i += 4;
        }
      }
    } else if (ampmOf(token) !== undefined) {
      if (res.hour === undefined || res.hour < 0 || res.hour > 12) fail();
      res.hour = adjustAmpm(res.hour as number, ampmOf(token) as number);
      res.ampm = ampmOf(token);
    } else if (couldBeTzname(res, token)) {
      res.tzname = token;
      res.tzoffset = UTCZONE.includes(token) ? 0 : null;
      if (i + 1 < n && (l[i + 1] === '+' || l[i + 1] === '-')) {
        l[i + 1] = l[i + 1] === '+' ? '-' : '+';
        res.tzoffset = null;
        if (utczone(token)) res.tzname = undefined;
      }
    } else if (res.hour !== undefined && (token === '+' || token === '-')) {
      const sign = token === '+' ? 1 : -1;
      const next = at(i + 1);
      let hourOffset = 0;
      let minOffset = 0;
      if (next.length === 4) {
        hourOffset = pyIntOf(next.slice(0, 2));
        minOffset = pyIntOf(next.slice(2));
      } else if (i + 2 < n && l[i + 2] === ':') {
        hourOffset = pyIntOf(next);
        minOffset = pyIntOf(at(i + 3));
        i += 2;
      } else if (next.length <= 2) {
        hourOffset = pyIntOf(next.slice(0, 2));
      } else fail();
      res.tzoffset = sign * (hourOffset * 3600 + minOffset * 60);
      if (
        i + 5 < n &&
        jump(l[i + 2] as string) &&
        l[i + 3] === '(' &&
        l[i + 5] === ')' &&
        (l[i + 4] as string).length >= 3 &&
        couldBeTzname(res, l[i + 4] as string, null)
      ) {
        res.tzname = l[i + 4];
        i += 4;
      }
      i += 1;
    } else if (!jump(token)) fail();
    i += 1;
  }
  const [year, month, day] = ymd.resolve();
  res.centurySpecified = ymd.centurySpecified;
  res.year = year;
  res.month = month;
  res.day = day;
  // parserinfo.validate
  if (res.year !== undefined) res.year = convertYear(res.year, res.centurySpecified);
  if ((res.tzoffset === 0 && !res.tzname) || res.tzname === 'Z' || res.tzname === 'z') {
    res.tzname = 'UTC';
    res.tzoffset = 0;
  } else if (res.tzoffset !== 0 && res.tzname && utczone(res.tzname)) res.tzoffset = 0;
  return res;
}

function convertYear(yearIn: number, centurySpecified: boolean): number {
  if (yearIn < 0) fail();
  let year = yearIn;
  const current = new Date().getFullYear();
  if (year < 100 && !centurySpecified) {
    year += Math.floor(current / 100) * 100;
    if (year >= current + 50) year -= 100;
    else if (year < current - 50) year += 100;
  }
  return year;
}

/** dateutil.parser.parse(s); undefined where it raises. */
export function dateutilParse(s: string): PyDateTime | undefined {
  let res: Result;
  try {
    res = parseTokens(s);
    const slots = [res.year, res.month, res.day, res.weekday, res.hour, res.minute, res.second];
    const empty =
      slots.every((f) => f === undefined) &&
      res.microsecond === undefined &&
      res.tzname === undefined &&
      (res.tzoffset === undefined || res.tzoffset === null);
    if (empty) return undefined; // "String does not contain a date"
    const today = new Date();
    const year = res.year ?? today.getFullYear();
    const month = res.month ?? today.getMonth() + 1;
    let day = res.day ?? today.getDate();
    if (res.day === undefined) {
      if (month < 1 || month > 12) return undefined;
      day = Math.min(day, daysIn(year, month));
    }
    const hour = res.hour ?? 0;
    const minute = res.minute ?? 0;
    const second = res.second ?? 0;
    const micro = res.microsecond ?? 0;
    // datetime.replace's range checks
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month))
      return undefined;
    if (hour > 23 || minute > 59 || second > 59 || micro > 999999) return undefined;
    const v: PyDateTime = { kind: 'datetime', year, month, day, hour, minute, second, micro, offset: null };
    if (res.weekday !== undefined && !res.day) {
      // relativedelta(weekday=…): the next such weekday, today included
      const date = new Date(Date.UTC(year, month - 1, day));
      const current = (date.getUTCDay() + 6) % 7;
      date.setUTCDate(date.getUTCDate() + ((res.weekday - current + 7) % 7));
      if (date.getUTCFullYear() > 9999) return undefined;
      v.year = date.getUTCFullYear();
      v.month = date.getUTCMonth() + 1;
      v.day = date.getUTCDate();
    }
    if (res.tzoffset === 0) v.offset = 0;
    else if (res.tzoffset) {
      if (Math.abs(res.tzoffset) >= 86400) return undefined;
      v.offset = res.tzoffset;
    }
    return v;
  } catch (error) {
    if (error instanceof Fail) return undefined;
    throw error;
  }
}
