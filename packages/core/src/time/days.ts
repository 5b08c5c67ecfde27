import { type Calendar, type HolidayRule, holidaysOfYear } from './calendar.ts';
import { DAY_MS, fromEpochDay, isoWeekday, localToUtc } from './zone.ts';

/** Everything the walk needs about one local day of a calendar, with instants in UTC ms. */
export interface DayInfo {
  /** Epoch day number of the local date. */
  readonly day: number;
  /** ISO weekday, 1 = Monday. */
  readonly weekday: number;
  /** UTC ms of local midnight (or of the first instant of the day when midnight falls in a DST gap). */
  readonly startUtc: number;
  /** UTC ms of the next day's start. */
  readonly endUtc: number;
  /** Holiday rules falling on this date (it is closed when non-empty). */
  readonly holidays: readonly HolidayRule[];
  /** Opening intervals as flat UTC ms pairs [s0, e0, s1, e1, …], sorted, disjoint, non-empty. */
  readonly open: readonly number[];
  /** Business ms in the day (sum of `open`). */
  readonly openMs: number;
}

// Days are cached per calendar object; the cache is bounded so that a long-running worker that
// walks through decades of dates does not grow without limit.
const MAX_CACHED_DAYS = 40_000;
const dayCache = new WeakMap<Calendar, Map<number, DayInfo>>();

/** The cached {@link DayInfo} of local date `day` (epoch day number) in `calendar`. */
export function dayInfo(calendar: Calendar, day: number): DayInfo {
  let cache = dayCache.get(calendar);
  if (!cache) {
    cache = new Map();
    dayCache.set(calendar, cache);
  }
  const hit = cache.get(day);
  if (hit) return hit;
  if (cache.size >= MAX_CACHED_DAYS) cache.clear();
  const zone = calendar.timezone;
  const weekday = isoWeekday(day);
  const holidays = holidaysOfYear(calendar, fromEpochDay(day).year).get(day) ?? [];
  const startLocal = day * DAY_MS;
  const open: number[] = [];
  let openMs = 0;
  if (holidays.length === 0) {
    for (const iv of calendar.weeklyHours[weekday - 1] ?? []) {
      const s = localToUtc(zone, startLocal + iv.start * 60_000);
      const e = localToUtc(zone, startLocal + iv.end * 60_000);
      const prev = open.length ? open[open.length - 1]! : Number.NEGATIVE_INFINITY;
      const from = Math.max(s, prev);
      if (e <= from) continue; // swallowed by a DST transition
      if (from === prev) open[open.length - 1] = e;
      else open.push(from, e);
      openMs += e - from;
    }
  }
  const info: DayInfo = {
    day,
    weekday,
    startUtc: localToUtc(zone, startLocal),
    endUtc: localToUtc(zone, startLocal + DAY_MS),
    holidays,
    open,
    openMs,
  };
  cache.set(day, info);
  return info;
}

/** Epoch day number of the local date, in `calendar`'s zone, of the UTC instant `t` (ms). */
export function localDayOf(calendar: Calendar, t: number): number {
  // A zone is at most ±14 h from UTC, so the local date is the UTC date or a neighbour.
  let d = Math.floor(t / DAY_MS);
  while (t < dayInfo(calendar, d).startUtc) d--;
  while (t >= dayInfo(calendar, d).endUtc) d++;
  return d;
}
