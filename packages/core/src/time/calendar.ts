import { easterEpochDay } from './easter.ts';
import { epochDay, fromEpochDay, isValidTimeZone, parseLocalDate } from './zone.ts';

/** Weekday keys of a descriptor's `hours`, Monday first. */
export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

/** Fields every holiday rule may carry. */
export interface HolidayRuleCommon {
  /** Stable id, so that an extending calendar can remove the rule (`removeHolidays`). */
  id?: string;
  /** Name shown in explanations, in Spanish (e.g. "Jueves Santo"). */
  name: string;
  /** English name, used by the English renderer when present. */
  nameEn?: string;
  /** Legal basis, e.g. "DL 713 art. 6; Ley 31788". */
  law?: string;
  note?: string;
}

/** A holiday on the same month/day each year, optionally only within [since, until] (years, inclusive). */
export interface FixedHolidayDescriptor extends HolidayRuleCommon {
  month: number;
  day: number;
  since?: number;
  until?: number;
}
/** A holiday a number of days from Easter Sunday (−3 Holy Thursday, −2 Good Friday). */
export interface EasterHolidayDescriptor extends HolidayRuleCommon {
  easterOffset: number;
  since?: number;
  until?: number;
}
/** A one-off non-working day (e.g. a decreed public-sector non-working day), `YYYY-MM-DD`. */
export interface OneOffHolidayDescriptor extends HolidayRuleCommon {
  date: string;
}
export type HolidayDescriptor = FixedHolidayDescriptor | EasterHolidayDescriptor | OneOffHolidayDescriptor;

/**
 * A calendar as stored in `config/calendars/<id>.json`.
 * Opening intervals are `["HH:MM","HH:MM"]` wall-clock times in the calendar's zone, end exclusive,
 * `"24:00"` allowed as an end. Without `extends`, a weekday absent from `hours` is closed; with
 * `extends`, a weekday present in `hours` replaces the base calendar's hours for that day (use `[]`
 * to close it) and the others are inherited.
 */
export interface CalendarDescriptor {
  id: string;
  name?: string;
  /** IANA zone, e.g. "America/Lima". Required unless inherited through `extends`. */
  timezone?: string;
  note?: string;
  /** Id of a base calendar whose hours and holidays this one inherits. */
  extends?: string;
  hours?: Partial<Record<WeekdayKey, [string, string][]>>;
  holidays?: HolidayDescriptor[];
  /** Ids of base-calendar holiday rules this calendar does not observe. */
  removeHolidays?: string[];
}

/** An opening interval in minutes from local midnight, `end` exclusive and at most 1440. */
export interface OpeningInterval {
  start: number;
  end: number;
}

/** A resolved holiday rule; `calendarId` tells which calendar of the `extends` chain declared it. */
export type HolidayRule = HolidayRuleCommon & { calendarId: string } & (
    | { kind: 'fixed'; month: number; day: number; since?: number; until?: number }
    | { kind: 'easter'; easterOffset: number; since?: number; until?: number }
    | { kind: 'once'; date: string }
  );

/** A resolved, validated business calendar (its `extends` chain already applied). Treat as immutable. */
export interface Calendar {
  readonly id: string;
  readonly name: string;
  readonly timezone: string;
  readonly note?: string;
  /** This calendar's id followed by the ids of the calendars it extends, nearest first. */
  readonly lineage: readonly string[];
  /** Opening intervals per ISO weekday, index 0 = Monday … 6 = Sunday, sorted and disjoint. */
  readonly weeklyHours: readonly (readonly OpeningInterval[])[];
  readonly holidays: readonly HolidayRule[];
}

/** One problem found while validating a descriptor. */
export interface CalendarIssue {
  path: string;
  message: string;
}

/** Thrown by the loaders; `issues` lists every problem found, not just the first. */
export class CalendarError extends Error {
  readonly issues: CalendarIssue[];
  constructor(message: string, issues: CalendarIssue[]) {
    super(`${message}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
    this.name = 'CalendarError';
    this.issues = issues;
  }
}

const HHMM = /^(\d{2}):(\d{2})$/;

function minutes(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = HHMM.exec(s);
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  if (mi > 59 || h > 24 || (h === 24 && mi !== 0)) return undefined;
  return h * 60 + mi;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const isInt = (x: unknown): x is number => Number.isInteger(x);

const HOLIDAY_KEYS = new Set([
  'id',
  'name',
  'nameEn',
  'law',
  'note',
  'month',
  'day',
  'since',
  'until',
  'easterOffset',
  'date',
]);
const CALENDAR_KEYS = new Set([
  'id',
  'name',
  'timezone',
  'note',
  'extends',
  'hours',
  'holidays',
  'removeHolidays',
]);

/**
 * Checks the shape of one descriptor (not its `extends` target) and lists every problem.
 * Unknown keys are rejected so that a typo ("holidys") cannot silently drop holidays.
 */
export function validateCalendarDescriptor(input: unknown): CalendarIssue[] {
  const issues: CalendarIssue[] = [];
  const bad = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  if (!isObject(input)) return [{ path: '', message: 'must be an object' }];
  for (const k of Object.keys(input)) if (!CALENDAR_KEYS.has(k)) bad(k, 'unknown key');
  if (typeof input.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(input.id))
    bad('id', 'must be a lower-case slug');
  for (const k of ['name', 'note', 'extends'] as const)
    if (input[k] !== undefined && typeof input[k] !== 'string') bad(k, 'must be a string');
  if (input.timezone === undefined) {
    if (input.extends === undefined) bad('timezone', 'is required when the calendar extends nothing');
  } else if (typeof input.timezone !== 'string' || !isValidTimeZone(input.timezone)) {
    bad('timezone', 'must be an IANA time zone');
  }
  if (input.hours !== undefined) {
    if (!isObject(input.hours)) bad('hours', 'must be an object keyed by mon…sun');
    else
      for (const [k, v] of Object.entries(input.hours)) {
        if (!(WEEKDAY_KEYS as readonly string[]).includes(k)) {
          bad(`hours.${k}`, 'unknown weekday');
          continue;
        }
        if (!Array.isArray(v)) {
          bad(`hours.${k}`, 'must be a list of ["HH:MM","HH:MM"]');
          continue;
        }
        let prevEnd = -1;
        for (const [i, pair] of v.entries()) {
          const p = `hours.${k}[${i}]`;
          if (!Array.isArray(pair) || pair.length !== 2) {
            bad(p, 'must be ["HH:MM","HH:MM"]');
            continue;
          }
          const s = minutes(pair[0]);
          const e = minutes(pair[1]);
          if (s === undefined || e === undefined) bad(p, 'times must be HH:MM between 00:00 and 24:00');
          else if (s >= e) bad(p, 'must end after it starts');
          else {
            if (s < prevEnd) bad(p, 'overlaps or precedes the previous interval');
            prevEnd = e;
          }
        }
      }
  }
  if (input.holidays !== undefined) {
    if (!Array.isArray(input.holidays)) bad('holidays', 'must be a list');
    else
      for (const [i, h] of input.holidays.entries()) {
        const p = `holidays[${i}]`;
        if (!isObject(h)) {
          bad(p, 'must be an object');
          continue;
        }
        for (const k of Object.keys(h)) if (!HOLIDAY_KEYS.has(k)) bad(`${p}.${k}`, 'unknown key');
        if (typeof h.name !== 'string' || h.name === '') bad(`${p}.name`, 'is required');
        for (const k of ['id', 'nameEn', 'law', 'note'] as const)
          if (h[k] !== undefined && typeof h[k] !== 'string') bad(`${p}.${k}`, 'must be a string');
        const kinds = [
          h.month !== undefined || h.day !== undefined,
          h.easterOffset !== undefined,
          h.date !== undefined,
        ];
        if (kinds.filter(Boolean).length !== 1) {
          bad(p, 'needs exactly one of {month, day}, {easterOffset} or {date}');
          continue;
        }
        if (kinds[0]) {
          if (!isInt(h.month) || h.month < 1 || h.month > 12) bad(`${p}.month`, 'must be 1–12');
          else if (!isInt(h.day) || h.day < 1 || h.day > new Date(Date.UTC(2024, h.month, 0)).getUTCDate())
            bad(`${p}.day`, 'is not a day of that month');
        }
        if (kinds[1] && (!isInt(h.easterOffset) || Math.abs(h.easterOffset) > 80))
          bad(`${p}.easterOffset`, 'must be an integer within ±80 days');
        if (kinds[2]) {
          try {
            parseLocalDate(String(h.date));
          } catch {
            bad(`${p}.date`, 'must be a real YYYY-MM-DD date');
          }
          if (h.since !== undefined || h.until !== undefined) bad(p, 'a one-off date takes no since/until');
        }
        for (const k of ['since', 'until'] as const)
          if (h[k] !== undefined && (!isInt(h[k]) || h[k] < 1583 || h[k] > 9999))
            bad(`${p}.${k}`, 'must be a year');
        if (isInt(h.since) && isInt(h.until) && h.since > h.until) bad(p, 'since is after until');
      }
  }
  if (input.removeHolidays !== undefined) {
    if (!Array.isArray(input.removeHolidays) || !input.removeHolidays.every((x) => typeof x === 'string'))
      bad('removeHolidays', 'must be a list of holiday ids');
    else if (input.extends === undefined) bad('removeHolidays', 'only makes sense with extends');
  }
  return issues;
}

function toRule(h: HolidayDescriptor, calendarId: string): HolidayRule {
  const common: HolidayRuleCommon & { calendarId: string } = { name: h.name, calendarId };
  if (h.id !== undefined) common.id = h.id;
  if (h.nameEn !== undefined) common.nameEn = h.nameEn;
  if (h.law !== undefined) common.law = h.law;
  if (h.note !== undefined) common.note = h.note;
  if ('date' in h) return { ...common, kind: 'once', date: h.date };
  const range: { since?: number; until?: number } = {};
  if (h.since !== undefined) range.since = h.since;
  if (h.until !== undefined) range.until = h.until;
  if ('easterOffset' in h) return { ...common, ...range, kind: 'easter', easterOffset: h.easterOffset };
  return { ...common, ...range, kind: 'fixed', month: h.month, day: h.day };
}

function parseHours(pairs: [string, string][]): OpeningInterval[] {
  return pairs.map(([s, e]) => ({ start: minutes(s)!, end: minutes(e)! }));
}

/**
 * Resolves a set of descriptors (typically every file of `config/calendars/`) into calendars,
 * applying `extends` chains. Throws {@link CalendarError} listing every problem: invalid
 * descriptors, duplicate ids, unknown or cyclic bases, a week without any opening hour.
 */
export function resolveCalendars(descriptors: readonly unknown[]): Map<string, Calendar> {
  const issues: CalendarIssue[] = [];
  const byId = new Map<string, CalendarDescriptor>();
  descriptors.forEach((d, i) => {
    const found = validateCalendarDescriptor(d);
    const label = isObject(d) && typeof d.id === 'string' ? d.id : `#${i}`;
    for (const f of found) issues.push({ path: `${label}.${f.path}`, message: f.message });
    if (found.length === 0) {
      const cd = d as CalendarDescriptor;
      if (byId.has(cd.id)) issues.push({ path: `${cd.id}.id`, message: 'duplicate calendar id' });
      byId.set(cd.id, cd);
    }
  });
  if (issues.length) throw new CalendarError('invalid calendars', issues);

  const out = new Map<string, Calendar>();
  const resolving = new Set<string>();
  const resolve = (id: string, from: string): Calendar | undefined => {
    const done = out.get(id);
    if (done) return done;
    const d = byId.get(id);
    if (!d) {
      issues.push({ path: `${from}.extends`, message: `unknown calendar "${id}"` });
      return undefined;
    }
    if (resolving.has(id)) {
      issues.push({ path: `${id}.extends`, message: 'cyclic extends' });
      return undefined;
    }
    resolving.add(id);
    const base = d.extends !== undefined ? resolve(d.extends, id) : undefined;
    resolving.delete(id);
    if (d.extends !== undefined && !base) return undefined;
    const weeklyHours = WEEKDAY_KEYS.map((k, i) => {
      const own = d.hours?.[k];
      if (own) return parseHours(own);
      return base ? [...(base.weeklyHours[i] ?? [])] : [];
    });
    if (weeklyHours.every((w) => w.length === 0)) {
      issues.push({ path: `${id}.hours`, message: 'the week has no opening hour' });
      return undefined;
    }
    const removed = new Set(d.removeHolidays ?? []);
    const known = new Set(base?.holidays.map((h) => h.id).filter((x) => x !== undefined));
    for (const r of removed)
      if (!known.has(r)) issues.push({ path: `${id}.removeHolidays`, message: `no base holiday "${r}"` });
    const holidays = [
      ...(base?.holidays.filter((h) => h.id === undefined || !removed.has(h.id)) ?? []),
      ...(d.holidays ?? []).map((h) => toRule(h, id)),
    ];
    const cal: Calendar = {
      id,
      name: d.name ?? base?.name ?? id,
      timezone: d.timezone ?? base!.timezone,
      lineage: [id, ...(base?.lineage ?? [])],
      weeklyHours,
      holidays,
      ...(d.note !== undefined ? { note: d.note } : base?.note !== undefined ? { note: base.note } : {}),
    };
    out.set(id, cal);
    return cal;
  };
  for (const id of byId.keys()) resolve(id, id);
  if (issues.length) throw new CalendarError('invalid calendars', issues);
  return out;
}

/**
 * Builds one calendar from its descriptor; `bases` supplies the descriptors its `extends` chain
 * needs. Convenience over {@link resolveCalendars}.
 */
export function calendarFromDescriptor(descriptor: unknown, bases: readonly unknown[] = []): Calendar {
  const all = resolveCalendars([descriptor, ...bases]);
  return all.get((descriptor as CalendarDescriptor).id)!;
}

/**
 * A copy of `calendar` with extra one-off non-working days (e.g. a decree published today).
 * Returns a new object, so the per-calendar caches of the old one stay valid for it.
 */
export function withExtraHolidays(calendar: Calendar, extra: readonly HolidayDescriptor[]): Calendar {
  return { ...calendar, holidays: [...calendar.holidays, ...extra.map((h) => toRule(h, calendar.id))] };
}

const yearCache = new WeakMap<Calendar, Map<number, Map<number, HolidayRule[]>>>();

function inRange(rule: { since?: number; until?: number }, year: number): boolean {
  return (rule.since === undefined || year >= rule.since) && (rule.until === undefined || year <= rule.until);
}

/**
 * Holidays of `calendar` observed in `year`, keyed by epoch day (several rules may fall on one day).
 * Computed once per calendar and year.
 */
export function holidaysOfYear(
  calendar: Calendar,
  year: number,
): ReadonlyMap<number, readonly HolidayRule[]> {
  let perYear = yearCache.get(calendar);
  if (!perYear) {
    perYear = new Map();
    yearCache.set(calendar, perYear);
  }
  let days = perYear.get(year);
  if (days) return days;
  days = new Map();
  const add = (n: number, r: HolidayRule) => {
    const list = days!.get(n);
    if (list) list.push(r);
    else days!.set(n, [r]);
  };
  for (const r of calendar.holidays) {
    if (r.kind === 'fixed') {
      if (
        inRange(r, year) &&
        !(r.month === 2 && r.day === 29 && new Date(Date.UTC(year, 1, 29)).getUTCDate() !== 29)
      )
        add(epochDay(year, r.month, r.day), r);
    } else if (r.kind === 'easter') {
      if (inRange(r, year)) {
        const n = easterEpochDay(year) + r.easterOffset;
        if (fromEpochDay(n).year === year) add(n, r);
      }
    } else {
      const n = parseLocalDate(r.date);
      if (fromEpochDay(n).year === year) add(n, r);
    }
  }
  perYear.set(year, days);
  return days;
}
