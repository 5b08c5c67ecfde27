import { businessTimeBetween, type Calendar, nonBusinessDaysBetween } from '../time/index.ts';
import { type ComputeSlaInput, clockStartReason, computeSla, type TargetState } from './clock.ts';
import type { CountFrom, DurationSpec, TargetName } from './policy.ts';

/** A non-working day the count skipped. */
export interface SkippedHoliday {
  date: string;
  /** Spanish names of the holiday rules observed that day. */
  names: string[];
  /** English names (falling back to the Spanish one). */
  namesEn: string[];
  law?: string;
  calendarId: string;
}

/** A structured answer to "why is this due then?". Instants are UTC; `timezone` is the zone to show them in. */
export interface DueExplanation {
  target: TargetName;
  policy: { id: string; version: number; name: string; nameEn?: string; law?: string };
  spec: DurationSpec;
  countFrom: CountFrom;
  receivedAt: Date;
  /** Where counting started and why. */
  clockStart: Date;
  startReason: 'receipt' | 'next_opening' | 'next_business_day';
  timezone: string;
  calendarIds: string[];
  /** Pauses (e.g. waiting for the reporter) with their business duration. */
  pauses: { from: Date; to: Date | null; status: string; businessMs: number }[];
  /** Periods the ticket spent resolved before being reopened. */
  stops: { from: Date; to: Date | null; status: string }[];
  extensions: { at: Date; previousDue: Date; newDue: Date }[];
  refusedExtensions: { at: Date; newDue: Date; refusal: string }[];
  /** Holidays between receipt (for `update`, the last reply) and the due (or now). */
  holidays: SkippedHoliday[];
  /** Days closed by the weekly hours (weekends) in the same span. */
  weekendDays: number;
  policyChanges: { at: Date; from: string; to: string }[];
  state: TargetState;
  due: Date | null;
  dueIfResumedNow: Date | null;
  breachedAt: Date | null;
  decidedAt: Date | null;
}

/**
 * Explains one target's deadline for the ticket history in `input` (same input as
 * {@link computeSla}). Returns undefined when the policy has no such target (or `update` has
 * not started). Render it with {@link renderExplanation}.
 */
export function explainDue(input: ComputeSlaInput, target: TargetName): DueExplanation | undefined {
  const result = computeSla(input);
  const t = result.targets[target];
  if (!t) return undefined;
  const finalPolicy = input.events?.filter((e) => e.type === 'policy').at(-1)?.policy ?? input.policy;
  const end = t.due ?? t.dueIfResumedNow ?? input.now;
  const holidays: SkippedHoliday[] = [];
  let weekendDays = 0;
  const periods = result.calendarPeriods;
  // From receipt, not from the clock start, so that the days that pushed the start are listed too.
  const spanStart = target === 'update' ? t.clockStart : input.receivedAt;
  // Each stretch of the count is explained with the calendar in force then.
  periods.forEach((p, i) => {
    const from = new Date(Math.max(p.from.getTime(), spanStart.getTime()));
    const to = new Date(Math.min((p.to ?? end).getTime(), end.getTime()));
    if (to.getTime() < from.getTime()) return;
    for (const d of nonBusinessDaysBetween(p.calendar, from, to)) {
      if (i > 0 && holidays.some((h) => h.date === d.date)) continue;
      if (d.reason === 'holiday') {
        const first = d.holidays[0];
        const h: SkippedHoliday = {
          date: d.date,
          names: d.holidays.map((r) => r.name),
          namesEn: d.holidays.map((r) => r.nameEn ?? r.name),
          calendarId: first?.calendarId ?? p.calendar.id,
        };
        if (first?.law !== undefined) h.law = first.law;
        holidays.push(h);
      } else weekendDays++;
    }
  });
  const calendarAt = (at: Date): Calendar =>
    periods.findLast((p) => p.from.getTime() <= at.getTime())?.calendar ?? input.calendar;
  const policy: DueExplanation['policy'] = {
    id: finalPolicy.id,
    version: finalPolicy.version,
    name: finalPolicy.name,
  };
  if (finalPolicy.nameEn !== undefined) policy.nameEn = finalPolicy.nameEn;
  if (finalPolicy.law !== undefined) policy.law = finalPolicy.law;
  return {
    target,
    policy,
    spec: t.spec,
    countFrom: input.policy.countFrom ?? 'receipt',
    receivedAt: input.receivedAt,
    clockStart: t.clockStart,
    startReason:
      target === 'update' ? 'receipt' : clockStartReason(input.policy, input.calendar, input.receivedAt),
    timezone: (periods.at(-1)?.calendar ?? input.calendar).timezone,
    calendarIds: [...new Set(periods.map((p) => p.calendar.id))],
    pauses: t.pausedIntervals.map((p) => ({
      ...p,
      businessMs: businessTimeBetween(calendarAt(p.from), p.from, p.to ?? input.now),
    })),
    stops: target === 'resolution' ? result.stoppedIntervals.filter((s) => s.to !== null) : [],
    extensions:
      target === 'resolution'
        ? result.extensions
            .filter((e) => e.accepted)
            .map((e) => ({ at: e.at, previousDue: e.previousDue!, newDue: e.newDue }))
        : [],
    refusedExtensions:
      target === 'resolution'
        ? result.extensions
            .filter((e) => !e.accepted)
            .map((e) => ({ at: e.at, newDue: e.newDue, refusal: e.refusal! }))
        : [],
    holidays,
    weekendDays,
    policyChanges: result.policyChanges,
    state: t.state,
    due: t.due,
    dueIfResumedNow: t.dueIfResumedNow,
    breachedAt: t.breachedAt,
    decidedAt: t.decidedAt,
  };
}

type Locale = 'es' | 'en';

const UNIT_WORDS: Record<Locale, Record<DurationSpec['unit'], [string, string]>> = {
  es: {
    business_days: ['día hábil', 'días hábiles'],
    business_hours: ['hora hábil', 'horas hábiles'],
    hours: ['hora', 'horas'],
    days: ['día calendario', 'días calendario'],
  },
  en: {
    business_days: ['business day', 'business days'],
    business_hours: ['business hour', 'business hours'],
    hours: ['hour', 'hours'],
    days: ['calendar day', 'calendar days'],
  },
};

const TARGET_WORDS: Record<Locale, Record<TargetName, string>> = {
  es: { firstResponse: 'primera respuesta', resolution: 'respuesta', update: 'actualización' },
  en: { firstResponse: 'first response', resolution: 'resolution', update: 'update' },
};

function list(items: string[], locale: Locale): string {
  if (items.length <= 1) return items.join('');
  const and = locale === 'es' ? ' y ' : ' and ';
  return `${items.slice(0, -1).join(', ')}${and}${items.at(-1)}`;
}

/**
 * Renders an explanation as a few short sentences in Spanish (default) or English, with instants
 * shown in the calendar's zone, e.g. "Plazo de respuesta: 10 días hábiles (…), contados desde el
 * día hábil siguiente a la recepción (mié, 1 abr 2026, 19:00). Vence el vie, 17 abr 2026, 17:30
 * (America/Lima). No se cuentan: Jueves Santo (2026-04-02), Viernes Santo (2026-04-03) y 2 días
 * de fin de semana."
 */
export function renderExplanation(x: DueExplanation, locale: Locale = 'es'): string {
  const es = locale === 'es';
  const dateTime = new Intl.DateTimeFormat(es ? 'es-PE' : 'en-GB', {
    timeZone: x.timezone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const when = (d: Date) => dateTime.format(d).replace(/\./g, '');
  const hours = (ms: number) => {
    const h = Math.round((ms / 3_600_000) * 10) / 10;
    return es ? `${String(h).replace('.', ',')} h hábiles` : `${h} business hours`;
  };
  const [one, many] = UNIT_WORDS[locale][x.spec.unit];
  const amount = `${x.spec.amount} ${x.spec.amount === 1 ? one : many}`;
  const policyName = es ? x.policy.name : (x.policy.nameEn ?? x.policy.name);
  const law = x.policy.law ? `; ${x.policy.law}` : '';
  const out: string[] = [];
  const start =
    x.startReason === 'next_business_day'
      ? es
        ? `contados desde el día hábil siguiente a la recepción (${when(x.receivedAt)})`
        : `counted from the business day after receipt (${when(x.receivedAt)})`
      : x.startReason === 'next_opening'
        ? es
          ? `contados desde la siguiente apertura (${when(x.clockStart)}), recibido fuera de horario (${when(x.receivedAt)})`
          : `counted from the next opening (${when(x.clockStart)}), received out of hours (${when(x.receivedAt)})`
        : es
          ? `contados desde ${x.target === 'update' ? 'la última respuesta' : 'la recepción'} (${when(x.clockStart)})`
          : `counted from ${x.target === 'update' ? 'the last reply' : 'receipt'} (${when(x.clockStart)})`;
  out.push(
    es
      ? `Plazo de ${TARGET_WORDS.es[x.target]}: ${amount} (${policyName}${law}), ${start}.`
      : `${TARGET_WORDS.en[x.target][0]!.toUpperCase()}${TARGET_WORDS.en[x.target].slice(1)} target: ${amount} (${policyName}${law}), ${start}.`,
  );
  for (const p of x.pauses) {
    const pausedWhy =
      p.status === 'waiting_reporter'
        ? es
          ? 'en espera del solicitante'
          : 'waiting for the reporter'
        : p.status;
    out.push(
      es
        ? `Suspendido ${pausedWhy} desde ${when(p.from)}${p.to ? ` hasta ${when(p.to)}` : ''} (${hours(p.businessMs)}).`
        : `Paused (${pausedWhy}) from ${when(p.from)}${p.to ? ` to ${when(p.to)}` : ''} (${hours(p.businessMs)}).`,
    );
  }
  for (const s of x.stops)
    out.push(
      es
        ? `Resuelto el ${when(s.from)} y reabierto el ${when(s.to!)}: el plazo siguió donde se había detenido.`
        : `Resolved on ${when(s.from)} and reopened on ${when(s.to!)}: the clock resumed where it stopped.`,
    );
  for (const e of x.extensions)
    out.push(
      es
        ? `Prorrogado el ${when(e.at)}: del ${when(e.previousDue)} al ${when(e.newDue)}.`
        : `Extended on ${when(e.at)}: from ${when(e.previousDue)} to ${when(e.newDue)}.`,
    );
  if (x.due) {
    const verb = x.state === 'breached' ? (es ? 'Venció el' : 'It fell due on') : es ? 'Vence el' : 'Due';
    out.push(`${verb} ${when(x.due)} (${x.timezone}).`);
  } else if (x.dueIfResumedNow) {
    out.push(
      es
        ? `En pausa; si se reanudara ahora vencería el ${when(x.dueIfResumedNow)} (${x.timezone}).`
        : `Paused; if resumed now it would fall due on ${when(x.dueIfResumedNow)} (${x.timezone}).`,
    );
  }
  const skipped = x.holidays.map((h) => `${(es ? h.names : h.namesEn).join(' / ')} (${h.date})`);
  if (x.weekendDays > 0)
    skipped.push(
      es
        ? `${x.weekendDays} ${x.weekendDays === 1 ? 'día' : 'días'} de fin de semana`
        : `${x.weekendDays} weekend ${x.weekendDays === 1 ? 'day' : 'days'}`,
    );
  if (skipped.length && (x.spec.unit === 'business_days' || x.spec.unit === 'business_hours'))
    out.push(es ? `No se cuentan: ${list(skipped, 'es')}.` : `Not counted: ${list(skipped, 'en')}.`);
  if (x.state === 'met' && x.decidedAt)
    out.push(es ? `Cumplido el ${when(x.decidedAt)}.` : `Met on ${when(x.decidedAt)}.`);
  if (x.state === 'breached' && x.decidedAt)
    out.push(es ? `Atendido fuera de plazo el ${when(x.decidedAt)}.` : `Met late on ${when(x.decidedAt)}.`);
  return out.join(' ');
}
