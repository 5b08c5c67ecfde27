import type { Calendar, HolidayRule } from './calendar.ts';
import { type DayInfo, dayInfo, localDayOf } from './days.ts';
import { formatEpochDay, parseLocalDate } from './zone.ts';

// A calendar open at least once a week finds an opening within days; ten years of holidays in a
// row means a broken calendar, and failing loudly beats looping forever.
const MAX_SCAN_DAYS = 3660;

function noOpening(calendar: Calendar): never {
  throw new RangeError(`calendar "${calendar.id}" has no opening hour within ten years`);
}

function ms(instant: Date): number {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('invalid Date');
  return t;
}

/** The local date (`YYYY-MM-DD`, calendar's zone) of an instant. */
export function localDateOf(calendar: Calendar, instant: Date): string {
  return formatEpochDay(localDayOf(calendar, ms(instant)));
}

/** True when the calendar is open at `instant` (opening instant included, closing excluded). */
export function isBusinessInstant(calendar: Calendar, instant: Date): boolean {
  const t = ms(instant);
  const { open } = dayInfo(calendar, localDayOf(calendar, t));
  for (let i = 0; i < open.length; i += 2) if (t >= open[i]! && t < open[i + 1]!) return true;
  return false;
}

/** True when the local date `YYYY-MM-DD` is a business day: not a holiday and with opening hours. */
export function isBusinessDay(calendar: Calendar, localDate: string): boolean {
  return dayInfo(calendar, parseLocalDate(localDate)).openMs > 0;
}

/** `instant` itself when the calendar is open then, otherwise the next opening instant. */
export function nextOpening(calendar: Calendar, instant: Date): Date {
  const t = ms(instant);
  const first = localDayOf(calendar, t);
  for (let d = first; d < first + MAX_SCAN_DAYS; d++) {
    const { open } = dayInfo(calendar, d);
    for (let i = 0; i < open.length; i += 2) {
      if (t < open[i + 1]!) return new Date(Math.max(t, open[i]!));
    }
  }
  return noOpening(calendar);
}

/**
 * The instant reached after `durationMs` of business time from `start`.
 * Precisely: the earliest instant `t ≥ start` with `businessTimeBetween(start, t) === durationMs`.
 * Hence a positive duration lands inside an opening interval or exactly on its closing instant
 * (never on the next opening), and a zero duration returns `start` unchanged.
 */
export function addBusinessTime(calendar: Calendar, start: Date, durationMs: number): Date {
  const t0 = ms(start);
  if (!(durationMs >= 0) || !Number.isFinite(durationMs)) throw new RangeError('duration must be ≥ 0');
  if (durationMs === 0) return new Date(t0);
  let left = durationMs;
  const first = localDayOf(calendar, t0);
  for (let d = first; d < first + MAX_SCAN_DAYS; d++) {
    const { open } = dayInfo(calendar, d);
    for (let i = 0; i < open.length; i += 2) {
      const e = open[i + 1]!;
      if (e <= t0) continue;
      const from = Math.max(open[i]!, t0);
      if (left <= e - from) return new Date(from + left);
      left -= e - from;
    }
  }
  return noOpening(calendar);
}

function overlapMs(info: DayInfo, a: number, b: number): number {
  let sum = 0;
  const { open } = info;
  for (let i = 0; i < open.length; i += 2) {
    const s = Math.max(open[i]!, a);
    const e = Math.min(open[i + 1]!, b);
    if (e > s) sum += e - s;
  }
  return sum;
}

/** Business ms between two instants; negative when `b` is before `a`. */
export function businessTimeBetween(calendar: Calendar, a: Date, b: Date): number {
  const ta = ms(a);
  const tb = ms(b);
  if (tb < ta) return -businessTimeBetween(calendar, b, a);
  let sum = 0;
  const last = localDayOf(calendar, tb);
  for (let d = localDayOf(calendar, ta); d <= last; d++) sum += overlapMs(dayInfo(calendar, d), ta, tb);
  return sum;
}

/**
 * Business days elapsed between two instants as a fraction: each business day counts its opened
 * share (three hours of a nine-hour day = 1/3). Used by day-based SLA targets so that a pause or a
 * calendar change consumes days, not hours, whatever each day's length.
 */
export function businessDayFractionBetween(calendar: Calendar, a: Date, b: Date): number {
  const ta = ms(a);
  const tb = ms(b);
  if (tb < ta) return -businessDayFractionBetween(calendar, b, a);
  let sum = 0;
  const last = localDayOf(calendar, tb);
  for (let d = localDayOf(calendar, ta); d <= last; d++) {
    const info = dayInfo(calendar, d);
    if (info.openMs > 0) sum += overlapMs(info, ta, tb) / info.openMs;
  }
  return sum;
}

/** Result of {@link addBusinessDayFraction}. */
export interface DayFractionTarget {
  /** The exact instant the fraction is used up. */
  instant: Date;
  /** Closing instant (end of the last opening interval) of the business day containing `instant`. */
  dayClosing: Date;
  /** That business day, `YYYY-MM-DD`. */
  localDate: string;
}

/**
 * Walks `fraction` business days (see {@link businessDayFractionBetween}) from `start`.
 * `fraction` must be > 0. Sub-millisecond rounding is absorbed so that whole days land on closings.
 */
export function addBusinessDayFraction(calendar: Calendar, start: Date, fraction: number): DayFractionTarget {
  const t0 = ms(start);
  if (!(fraction > 0) || !Number.isFinite(fraction)) throw new RangeError('fraction must be > 0');
  let left = fraction;
  const first = localDayOf(calendar, t0);
  for (let d = first; d < first + MAX_SCAN_DAYS; d++) {
    const info = dayInfo(calendar, d);
    if (info.openMs === 0) continue;
    const avail = overlapMs(info, t0, Number.POSITIVE_INFINITY);
    if (avail === 0) continue;
    const need = left * info.openMs;
    if (need <= avail + 1) {
      const from = Math.max(t0, info.open[0]!);
      const closing = info.open[info.open.length - 1]!;
      const instant =
        need >= avail ? new Date(closing) : addBusinessTime(calendar, new Date(from), Math.round(need));
      return { instant, dayClosing: new Date(closing), localDate: formatEpochDay(d) };
    }
    left -= avail / info.openMs;
  }
  return noOpening(calendar);
}

/** Options of {@link addBusinessDays}. */
export interface BusinessDayOptions {
  /**
   * `true` (default, the legal rule of Peru's LPAG): day 1 is the first business day after the
   * local date of `start`, whatever the hour of receipt. `false`: day 1 is the receipt date itself
   * when it is a business day and `start` is before its closing, otherwise the next business day.
   */
  countFromNextBusinessDay?: boolean;
}

/** The business days a day-based count spans; see {@link businessDayWindow}. */
export interface BusinessDayWindow {
  /** Day 1 of the count, `YYYY-MM-DD`. */
  firstDay: string;
  /** Day n of the count, `YYYY-MM-DD`. */
  lastDay: string;
  /** Where the clock starts: opening of day 1, or `start` itself when day 1 is the receipt day. */
  clockStart: Date;
  /** Closing instant of day n: the end of its last opening interval. */
  due: Date;
}

function firstCountedDay(calendar: Calendar, t: number, fromNext: boolean): number {
  const receiptDay = localDayOf(calendar, t);
  if (!fromNext) {
    const info = dayInfo(calendar, receiptDay);
    if (info.openMs > 0 && t < info.open[info.open.length - 1]!) return receiptDay;
  }
  for (let d = receiptDay + 1; d < receiptDay + MAX_SCAN_DAYS; d++)
    if (dayInfo(calendar, d).openMs > 0) return d;
  return noOpening(calendar);
}

/**
 * The window of an `n`-business-day count (n ≥ 1 integer) starting at `start`; see
 * {@link addBusinessDays} for the rule.
 */
export function businessDayWindow(
  calendar: Calendar,
  start: Date,
  n: number,
  options: BusinessDayOptions = {},
): BusinessDayWindow {
  const t = ms(start);
  if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be an integer ≥ 1');
  const fromNext = options.countFromNextBusinessDay ?? true;
  const first = firstCountedDay(calendar, t, fromNext);
  const firstInfo = dayInfo(calendar, first);
  let d = first;
  let counted = 1;
  while (counted < n) {
    d++;
    if (d > first + MAX_SCAN_DAYS * 2) noOpening(calendar);
    if (dayInfo(calendar, d).openMs > 0) counted++;
  }
  const lastInfo = dayInfo(calendar, d);
  return {
    firstDay: formatEpochDay(first),
    lastDay: formatEpochDay(d),
    clockStart: new Date(Math.max(t, firstInfo.open[0]!)),
    due: new Date(lastInfo.open[lastInfo.open.length - 1]!),
  };
}

/**
 * Due instant of an `n`-business-day count: the closing instant (end of the last opening interval)
 * of the n-th business day. With the default `countFromNextBusinessDay: true`, a request received
 * at any hour of Monday 2 March 2026 in Lima with n = 10 is due Monday 16 March at 17:30 (pe.json
 * hours): days 1–10 are Tue 3 … Fri 6, Mon 9 … Fri 13 and Mon 16.
 */
export function addBusinessDays(
  calendar: Calendar,
  start: Date,
  n: number,
  options: BusinessDayOptions = {},
): Date {
  return businessDayWindow(calendar, start, n, options).due;
}

/**
 * Business days strictly after `a`'s local date up to and including `b`'s local date, so that
 * `addBusinessDays(a, businessDaysBetween(a, b))` falls on `b`'s date when that is a business day.
 * Negative when `b`'s date is before `a`'s; 0 on the same date.
 */
export function businessDaysBetween(calendar: Calendar, a: Date, b: Date): number {
  const da = localDayOf(calendar, ms(a));
  const db = localDayOf(calendar, ms(b));
  const [lo, hi, sign] = da <= db ? [da, db, 1] : [db, da, -1];
  let count = 0;
  for (let d = lo + 1; d <= hi; d++) if (dayInfo(calendar, d).openMs > 0) count++;
  return sign * count;
}

/** A holiday falling on a date of the calendar. */
export interface HolidayOccurrence {
  /** `YYYY-MM-DD`. */
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** Rules observed that day (usually one). */
  rules: readonly HolidayRule[];
  /** Whether the calendar would have been open that day without the holiday. */
  onWorkingWeekday: boolean;
}

/** Holidays on the local dates from `a`'s to `b`'s, both included, in date order. */
export function holidaysBetween(calendar: Calendar, a: Date, b: Date): HolidayOccurrence[] {
  return nonBusinessDaysBetween(calendar, a, b)
    .filter((d) => d.reason === 'holiday')
    .map(({ date, weekday, holidays, onWorkingWeekday }) => ({
      date,
      weekday,
      rules: holidays,
      onWorkingWeekday,
    }));
}

/** A local date on which the calendar is closed. */
export interface ClosedDay {
  date: string;
  weekday: number;
  /** `holiday` when a holiday rule closes it, `no_hours` when the weekly hours do (weekends). */
  reason: 'holiday' | 'no_hours';
  holidays: readonly HolidayRule[];
  onWorkingWeekday: boolean;
}

/** Closed local dates from `a`'s to `b`'s, both included, in date order. */
export function nonBusinessDaysBetween(calendar: Calendar, a: Date, b: Date): ClosedDay[] {
  const out: ClosedDay[] = [];
  let da = localDayOf(calendar, ms(a));
  let db = localDayOf(calendar, ms(b));
  if (db < da) [da, db] = [db, da];
  for (let d = da; d <= db; d++) {
    const info = dayInfo(calendar, d);
    if (info.openMs > 0) continue;
    const hasHours = (calendar.weeklyHours[info.weekday - 1]?.length ?? 0) > 0;
    out.push({
      date: formatEpochDay(d),
      weekday: info.weekday,
      reason: info.holidays.length ? 'holiday' : 'no_hours',
      holidays: info.holidays,
      onWorkingWeekday: hasHours,
    });
  }
  return out;
}

/** Closing instant of the business day containing `instant` (its last opening interval's end), if open that day. */
export function closingOfDay(calendar: Calendar, instant: Date): Date | undefined {
  const { open } = dayInfo(calendar, localDayOf(calendar, ms(instant)));
  return open.length ? new Date(open[open.length - 1]!) : undefined;
}
