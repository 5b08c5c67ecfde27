import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addBusinessTime,
  businessDaysBetween,
  businessTimeBetween,
  isBusinessDay,
  isBusinessInstant,
  localDateOf,
} from './business-time.ts';
import { type Calendar, type CalendarDescriptor, calendarFromDescriptor } from './calendar.ts';

const H = 3_600_000;
const dir = new URL('../../../../config/calendars/', import.meta.url);
const pe = calendarFromDescriptor(JSON.parse(readFileSync(new URL('pe.json', dir), 'utf8')));

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const office = (id: string, timezone: string): CalendarDescriptor => ({
  id,
  timezone,
  hours: {
    ...Object.fromEntries(
      weekdays.map((d) => [
        d,
        [
          ['08:30', '13:00'],
          ['14:00', '17:30'],
        ],
      ]),
    ),
    sat: [['09:00', '12:00']],
  },
  holidays: [
    { name: 'Año Nuevo', month: 1, day: 1 },
    { name: 'Viernes Santo', easterOffset: -2 },
    { name: 'Navidad', month: 12, day: 25 },
  ],
});
// Night shifts straddle the 01:00–03:00 transitions of New York/Madrid and the Saturday-midnight
// transitions of Santiago, so that gaps and repeated hours are exercised.
const night = (id: string, timezone: string): CalendarDescriptor => ({
  id,
  timezone,
  hours: { sat: [['22:00', '24:00']], sun: [['00:00', '04:00']], wed: [['10:00', '11:00']] },
});

const zones = ['America/Lima', 'America/Santiago', 'Europe/Madrid', 'America/New_York'];
const calendars: Calendar[] = [
  pe,
  ...zones.flatMap((z, i) => [
    calendarFromDescriptor(office(`office-${i}`, z)),
    calendarFromDescriptor(night(`night-${i}`, z)),
  ]),
];

// Independent oracle for "open at t": read the wall clock with Intl and compare with the
// descriptor's hours, without the library's zone conversion.
const wall = new Map<string, Intl.DateTimeFormat>();
function wallClock(zone: string, t: number) {
  let f = wall.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    wall.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  return {
    weekday: String(p.weekday).toLowerCase().slice(0, 3),
    date: `${p.year}-${p.month}-${p.day}`,
    minutes: Number(p.hour) * 60 + Number(p.minute),
  };
}
function oracleOpen(cal: Calendar, t: number): boolean {
  const w = wallClock(cal.timezone, t);
  const idx = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(w.weekday);
  const open = (cal.weeklyHours[idx] ?? []).some((iv) => w.minutes >= iv.start && w.minutes < iv.end);
  return open && isBusinessDay(cal, w.date);
}

const calArb = fc.constantFrom(...calendars);
// 2024–2028, on whole minutes so that the wall-clock oracle (minute precision) is exact.
const instantArb = fc
  .integer({ min: Date.UTC(2024, 0, 1) / 60_000, max: Date.UTC(2028, 11, 31) / 60_000 })
  .map((m) => new Date(m * 60_000));
const durationArb = fc.integer({ min: 0, max: 300 * H });

describe('business-time properties (Lima, Santiago, Madrid, New York)', () => {
  it('add-then-measure returns the same duration', () => {
    fc.assert(
      fc.property(calArb, instantArb, durationArb, (cal, start, d) => {
        expect(businessTimeBetween(cal, start, addBusinessTime(cal, start, d))).toBe(d);
      }),
      { numRuns: 400 },
    );
  });

  it('a positive duration lands inside an opening interval or exactly on its closing, never later', () => {
    // Precisely: r = add(start, d) is the earliest instant with measure(start, r) = d, so the
    // millisecond just before r is open and measuring up to it gives d − 1.
    fc.assert(
      fc.property(calArb, instantArb, fc.integer({ min: 1, max: 300 * H }), (cal, start, d) => {
        const r = addBusinessTime(cal, start, d);
        const before = new Date(r.getTime() - 1);
        expect(isBusinessInstant(cal, before)).toBe(true);
        expect(businessTimeBetween(cal, start, before)).toBe(d - 1);
      }),
      { numRuns: 400 },
    );
  });

  it('is monotonic in duration and additive', () => {
    fc.assert(
      fc.property(calArb, instantArb, durationArb, durationArb, (cal, start, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(cal, start, lo).getTime()).toBeLessThanOrEqual(
          addBusinessTime(cal, start, hi).getTime(),
        );
        expect(addBusinessTime(cal, addBusinessTime(cal, start, a), b)).toEqual(
          addBusinessTime(cal, start, a + b),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with a wall-clock oracle on whether an instant is open (holidays and DST included)', () => {
    fc.assert(
      fc.property(calArb, instantArb, (cal, t) => {
        expect(isBusinessInstant(cal, t)).toBe(oracleOpen(cal, t.getTime()));
      }),
      { numRuns: 2000 },
    );
  });

  it('measures exactly the open minutes an oracle counts, across transitions', () => {
    // Sample windows of up to 3 days around the 2026 transitions and count open minutes one by one.
    const transitions = [
      '2026-03-08T07:00:00Z', // New York spring
      '2026-11-01T06:00:00Z', // New York autumn
      '2026-03-29T01:00:00Z', // Madrid spring
      '2026-10-25T01:00:00Z', // Madrid autumn
      '2026-04-05T03:00:00Z', // Santiago autumn
      '2026-09-06T04:00:00Z', // Santiago spring
    ].map((s) => Date.parse(s));
    fc.assert(
      fc.property(
        calArb,
        fc.constantFrom(...transitions),
        fc.integer({ min: -36 * 60, max: 0 }),
        fc.integer({ min: 1, max: 72 * 60 }),
        (cal, tr, offsetMin, lengthMin) => {
          const a = tr + offsetMin * 60_000;
          const b = a + lengthMin * 60_000;
          let open = 0;
          for (let t = a; t < b; t += 60_000) if (oracleOpen(cal, t)) open++;
          expect(businessTimeBetween(cal, new Date(a), new Date(b))).toBe(open * 60_000);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('day-based counting never ends on a closed day and counts exactly n business days', () => {
    fc.assert(
      fc.property(
        calArb,
        instantArb,
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (cal, start, n, fromNext) => {
          const due = addBusinessDays(cal, start, n, { countFromNextBusinessDay: fromNext });
          const lastMs = new Date(due.getTime() - 1);
          expect(isBusinessInstant(cal, lastMs)).toBe(true);
          expect(isBusinessDay(cal, localDateOf(cal, lastMs))).toBe(true);
          // Nothing of that business day is left after the due instant (it is the day's closing).
          const later = addBusinessTime(cal, due, 1);
          expect(localDateOf(cal, new Date(later.getTime() - 1))).not.toBe(localDateOf(cal, lastMs));
          const counted = businessDaysBetween(cal, start, lastMs);
          const receiptCounts = !fromNext && counted === n - 1;
          expect(counted === n || receiptCounts).toBe(true);
          if (receiptCounts) expect(isBusinessDay(cal, localDateOf(cal, start))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('in a 24/7 calendar business time is elapsed time, DST or not', () => {
    const always = zones.map((z, i) =>
      calendarFromDescriptor({
        id: `always-${i}`,
        timezone: z,
        hours: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]),
        ),
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...always), instantArb, durationArb, (cal, start, d) => {
        expect(addBusinessTime(cal, start, d).getTime()).toBe(start.getTime() + d);
      }),
      { numRuns: 300 },
    );
  });
});
