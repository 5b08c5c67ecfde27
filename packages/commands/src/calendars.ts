import { type Calendar, holidaysOfYear, isBusinessDay, withExtraHolidays } from '@quipu/core/time';
import { type CalendarOverrideRecord, calendarOverrideRepository } from '@quipu/db';
import type { CommandContext } from './context.ts';
import { CommandError } from './errors.ts';
import type { StaffPrincipal } from './principal.ts';

/** The last merged set, keyed by the overrides it was built from (Calendar objects carry caches: reuse them). */
let cached: { key: string; base: Map<string, Calendar>; calendars: Map<string, Calendar> } | null = null;

function merge(
  base: Map<string, Calendar>,
  overrides: readonly CalendarOverrideRecord[],
): Map<string, Calendar> {
  const byId = new Map(overrides.map((o) => [o._id, o.holidays ?? []]));
  const out = new Map<string, Calendar>();
  for (const [id, calendar] of base) {
    // A holiday decreed on a base calendar (pe) applies to every calendar that extends it (pe-amazonas).
    const extra = calendar.lineage.flatMap((ancestor) => byId.get(ancestor) ?? []);
    out.set(
      id,
      extra.length
        ? withExtraHolidays(
            calendar,
            extra.map((h) => ({
              date: h.date,
              name: h.name,
              ...(h.nameEn ? { nameEn: h.nameEn } : {}),
              ...(h.law ? { law: h.law } : {}),
            })),
          )
        : calendar,
    );
  }
  return out;
}

/**
 * The business calendars in force: config/calendars merged with the decreed non-working days
 * stored in `calendar_overrides`. One small query; the merged map is reused while the
 * overrides are unchanged, so every process sees a new decree on its next computation.
 */
export async function effectiveCalendars(ctx: CommandContext): Promise<Map<string, Calendar>> {
  const overrides = await calendarOverrideRepository(ctx.models).list();
  const key = JSON.stringify(overrides.map((o) => [o._id, (o.holidays ?? []).map((h) => h.date)]));
  if (cached && cached.key === key && cached.base === ctx.domain.calendars) return cached.calendars;
  const calendars = merge(ctx.domain.calendars, overrides);
  cached = { key, base: ctx.domain.calendars, calendars };
  return calendars;
}

/** The calendar of an organisation (its `calendarId`, else the portal default), overrides included. */
export function calendarFor(
  calendars: Map<string, Calendar>,
  ctx: CommandContext,
  calendarId?: string | null,
) {
  return calendars.get(calendarId ?? '') ?? calendars.get(ctx.domain.defaultCalendarId)!;
}

/** A calendar as the admin API shows it: zone, lineage, weekly hours and the holidays of a year. */
export function describeCalendar(calendar: Calendar, year: number, overrides: CalendarOverrideRecord[]) {
  const days = holidaysOfYear(calendar, year);
  const holidays = [...days.entries()]
    .sort(([a], [b]) => a - b)
    .map(([day, rules]) => ({
      date: new Date(day * 86_400_000).toISOString().slice(0, 10),
      names: rules.map((r) => r.name),
      namesEn: rules.map((r) => r.nameEn ?? r.name),
      law: rules.find((r) => r.law)?.law ?? null,
      decreed: rules.some((r) => r.kind === 'once'),
    }));
  const names = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const hh = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return {
    id: calendar.id,
    name: calendar.name,
    timezone: calendar.timezone,
    lineage: calendar.lineage,
    hours: Object.fromEntries(
      calendar.weeklyHours.map((intervals, i) => [names[i], intervals.map((x) => [hh(x.start), hh(x.end)])]),
    ),
    year,
    holidays,
    overrides: overrides
      .filter((o) => calendar.lineage.includes(o._id))
      .flatMap((o) => o.holidays.map((h) => ({ calendarId: o._id, ...h }))),
  };
}

export interface AddHolidayProps {
  /** Calendar id (config/calendars/<id>.json). */
  calendar: string;
  /** YYYY-MM-DD, a local date in the calendar's zone. */
  date: string;
  name: string;
  nameEn?: string | undefined;
  /** The decree, e.g. "DS 123-2026-PCM". */
  law?: string | undefined;
}

/**
 * Decrees a one-off non-working day on a calendar (and every calendar extending it), then
 * queues `recompute-calendar` on the `sla` queue: open tickets on those calendars get their
 * SLA block rewritten and their new deadline jobs scheduled. Overrides carry no outbox, so the
 * job is added directly; if Redis is down, the SLA reconciliation sweep still rewrites every
 * block whose stored due differs from the computed one.
 */
export async function addCalendarHoliday(
  ctx: CommandContext,
  principal: StaffPrincipal,
  props: AddHolidayProps,
  enqueue: (calendarId: string, jobId: string) => Promise<void>,
): Promise<{ added: boolean; calendarIds: string[] }> {
  if (!principal.roles.includes('admin')) throw new CommandError('forbidden', 'Only admins edit calendars.');
  const base = ctx.domain.calendars.get(props.calendar);
  if (!base) throw new CommandError('not_found', 'No such calendar.', { what: 'calendar' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(props.date) || Number.isNaN(Date.parse(`${props.date}T00:00:00Z`)))
    throw new CommandError('invalid_field', 'Use a date as YYYY-MM-DD.', { field: 'date' });
  const repo = calendarOverrideRepository(ctx.models);
  const existing = (await repo.list()).find((o) => o._id === props.calendar);
  if (existing?.holidays.some((h) => h.date === props.date)) return { added: false, calendarIds: [] };
  const calendars = await effectiveCalendars(ctx);
  const current = calendars.get(props.calendar)!;
  if (!isBusinessDay(current, props.date))
    throw new CommandError('not_a_business_day', 'That day is already a non-working day on this calendar.', {
      field: 'date',
    });
  const added = await repo.addHoliday(props.calendar, {
    date: props.date,
    name: props.name,
    ...(props.nameEn ? { nameEn: props.nameEn } : {}),
    ...(props.law ? { law: props.law } : {}),
    addedAt: ctx.now(),
    addedBy: principal.userId,
  });
  const affected = [...ctx.domain.calendars.values()]
    .filter((c) => c.lineage.includes(props.calendar))
    .map((c) => c.id);
  if (added) await enqueue(props.calendar, `recompute-${props.calendar}-${props.date}`);
  return { added, calendarIds: affected };
}
