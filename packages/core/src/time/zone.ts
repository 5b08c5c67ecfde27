/**
 * Time-zone arithmetic on top of `Intl` (no dependency): the offset of an IANA zone at an
 * instant, wall-clock → UTC (first occurrence in an overlap, transition instant in a gap), and plain-date
 * helpers on epoch day numbers. Everything here is pure; formatters are cached per zone.
 */

/** Milliseconds in a civil day (a "local millisecond" day; real days may be 23 or 25 h). */
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA time-zone name this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `zone` at the UTC instant `utcMs`, in ms (Lima → −18 000 000). */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  const whole = utcMs - (((utcMs % 1000) + 1000) % 1000);
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const p of formatter(zone).formatToParts(whole)) {
    switch (p.type) {
      case 'year':
        y = Number(p.value);
        break;
      case 'month':
        mo = Number(p.value);
        break;
      case 'day':
        d = Number(p.value);
        break;
      case 'hour':
        h = Number(p.value);
        break;
      case 'minute':
        mi = Number(p.value);
        break;
      case 'second':
        s = Number(p.value);
        break;
    }
  }
  return Date.UTC(y, mo - 1, d, h, mi, s) - whole;
}

/**
 * UTC instant of a wall-clock time, given as "local ms" (the wall clock read as if it were UTC).
 * Wall-clock semantics, so that "open 08:30–17:30" means "open while the office clock shows a
 * time in that range": an ambiguous time (autumn overlap) resolves to its first occurrence; a
 * time that does not exist (inside a spring gap) resolves to the transition instant, the first
 * moment the clock shows a later time (02:30 on a 02:00→03:00 day becomes 03:00).
 * Assumes at most one transition within ±1 day of the time.
 */
export function localToUtc(zone: string, localMs: number): number {
  const before = zoneOffsetMs(zone, localMs - DAY_MS);
  const after = zoneOffsetMs(zone, localMs + DAY_MS);
  const uBefore = localMs - before;
  const validBefore = zoneOffsetMs(zone, uBefore) === before;
  if (before === after && validBefore) return uBefore;
  const uAfter = localMs - after;
  const validAfter = zoneOffsetMs(zone, uAfter) === after;
  if (validBefore && validAfter) return Math.min(uBefore, uAfter);
  if (validBefore) return uBefore;
  if (validAfter) return uAfter;
  // In a gap: uAfter is still on the old offset, uBefore already on the new one; the transition
  // lies between, on a whole second. Bisect on seconds (a dozen steps for a one-hour gap).
  let lo = Math.floor(Math.min(uAfter, uBefore) / 1000);
  let hi = Math.ceil(Math.max(uAfter, uBefore) / 1000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zoneOffsetMs(zone, mid * 1000) === before) lo = mid;
    else hi = mid;
  }
  return hi * 1000;
}

/** A civil date, month 1–12. */
export interface YearMonthDay {
  year: number;
  month: number;
  day: number;
}

/** Epoch day number (days since 1970-01-01) of a civil date. */
export function epochDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** Civil date of an epoch day number. */
export function fromEpochDay(n: number): YearMonthDay {
  const d = new Date(n * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO weekday of an epoch day: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(n: number): number {
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

/** `YYYY-MM-DD` of an epoch day number. */
export function formatEpochDay(n: number): string {
  const { year, month, day } = fromEpochDay(n);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch day of a `YYYY-MM-DD` string; throws RangeError on anything else or an impossible date. */
export function parseLocalDate(s: string): number {
  const m = ISO_DATE.exec(s);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${s}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const n = epochDay(y, mo, d);
  const back = fromEpochDay(n);
  if (back.month !== mo || back.day !== d) throw new RangeError(`no such date: ${s}`);
  return n;
}
