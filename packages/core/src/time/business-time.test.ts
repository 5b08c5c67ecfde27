import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addBusinessTime,
  businessDaysBetween,
  businessDayWindow,
  businessTimeBetween,
  holidaysBetween,
  isBusinessDay,
  isBusinessInstant,
  localDateOf,
  nextOpening,
  nonBusinessDaysBetween,
} from './business-time.ts';
import { type Calendar, calendarFromDescriptor, resolveCalendars, withExtraHolidays } from './calendar.ts';

const dir = new URL('../../../../config/calendars/', import.meta.url);
const load = (id: string): unknown => JSON.parse(readFileSync(new URL(`${id}.json`, dir), 'utf8'));
const calendars = resolveCalendars([load('pe'), load('pe-amazonas')]);
const pe = calendars.get('pe')!;
const amazonas = calendars.get('pe-amazonas')!;

const H = 3_600_000;
// Lima is UTC−5 all year: 08:30 Lima = 13:30Z, 17:30 Lima = 22:30Z.
const lima = (local: string) => new Date(`${local}-05:00`);

const split = calendarFromDescriptor({
  id: 'split',
  timezone: 'America/Lima',
  hours: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [
      d,
      [
        ['08:30', '13:00'],
        ['14:00', '17:30'],
      ],
    ]),
  ),
});

const allWeek = (id: string, timezone: string): Calendar =>
  calendarFromDescriptor({
    id,
    timezone,
    hours: Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]),
    ),
  });

describe('Peru national calendar, day-based legal counting', () => {
  it('a complaint filed on Holy Wednesday evening is due at closing of the 10th business day', () => {
    // Easter 2026 is Sunday 5 April. Received Wed 1 Apr 19:00 Lima (after closing).
    // Thu 2 Apr Jueves Santo and Fri 3 Apr Viernes Santo are holidays, Sat 4/Sun 5 weekend.
    // Day 1 = Mon 6; days 1–5 = 6–10 Apr, days 6–10 = 13–17 Apr → due Fri 17 Apr 17:30 Lima.
    const received = lima('2026-04-01T19:00:00');
    const w = businessDayWindow(pe, received, 10);
    expect(w.firstDay).toBe('2026-04-06');
    expect(w.lastDay).toBe('2026-04-17');
    expect(w.clockStart).toEqual(lima('2026-04-06T08:30:00'));
    expect(w.due).toEqual(new Date('2026-04-17T22:30:00Z'));
    // Counting from receipt changes nothing here: receipt was after closing on a day before holidays.
    expect(addBusinessDays(pe, received, 10, { countFromNextBusinessDay: false })).toEqual(w.due);
    expect(businessDaysBetween(pe, received, w.due)).toBe(10);
  });

  it('skips 23, 28, 29 July and 6 August 2026', () => {
    // Received Mon 20 Jul 10:00. Counted: Tue 21 (1), Wed 22 (2), [Thu 23 FAP], Fri 24 (3), Mon 27 (4),
    // [Tue 28, Wed 29 Fiestas Patrias], Thu 30 (5), Fri 31 (6), Mon 3 Aug (7), Tue 4 (8), Wed 5 (9),
    // [Thu 6 Junín], Fri 7 (10) → due Fri 7 Aug 17:30 Lima.
    expect(addBusinessDays(pe, lima('2026-07-20T10:00:00'), 10)).toEqual(lima('2026-08-07T17:30:00'));
    const names = holidaysBetween(pe, lima('2026-07-20T10:00:00'), lima('2026-08-07T17:30:00')).map((h) => [
      h.date,
      h.rules[0]!.name,
    ]);
    expect(names).toEqual([
      ['2026-07-23', 'Día de la Fuerza Aérea del Perú'],
      ['2026-07-28', 'Fiestas Patrias (Día de la Independencia)'],
      ['2026-07-29', 'Fiestas Patrias'],
      ['2026-08-06', 'Batalla de Junín'],
    ]);
  });

  it('applies since-years of holidays created by later laws', () => {
    expect(isBusinessDay(pe, '2022-06-07')).toBe(true); // Tue, before Ley 31788
    expect(isBusinessDay(pe, '2023-06-07')).toBe(false); // Wed
    expect(isBusinessDay(pe, '2021-12-09')).toBe(true); // Thu, before Ley 31381 was first observed
    expect(isBusinessDay(pe, '2022-12-09')).toBe(false); // Fri
    expect(isBusinessDay(pe, '2021-08-06')).toBe(true); // Fri, before Ley 31530
    expect(isBusinessDay(pe, '2025-08-06')).toBe(false); // Wed
    expect(isBusinessDay(pe, '2022-07-22')).toBe(true); // Fri; 23 Jul only since 2023 (and a Sat in 2022)
    expect(isBusinessDay(pe, '2025-07-23')).toBe(false); // Wed
  });

  it('the regional calendar adds 6 June on top of the national holidays', () => {
    expect(isBusinessDay(pe, '2025-06-06')).toBe(true); // Fri
    expect(isBusinessDay(amazonas, '2025-06-06')).toBe(false);
    expect(isBusinessDay(amazonas, '2025-12-25')).toBe(false); // inherited
    expect(amazonas.timezone).toBe('America/Lima');
    expect(amazonas.lineage).toEqual(['pe-amazonas', 'pe']);
  });

  it('adding a decreed non-working day moves the due date by one business day', () => {
    const received = lima('2026-04-01T19:00:00');
    const decreed = withExtraHolidays(pe, [{ date: '2026-04-13', name: 'Día no laborable (decreto)' }]);
    expect(addBusinessDays(pe, received, 10)).toEqual(lima('2026-04-17T17:30:00'));
    expect(addBusinessDays(decreed, received, 10)).toEqual(lima('2026-04-20T17:30:00'));
  });

  it('a plain week: received Monday at any hour, 10 days end the second Monday after', () => {
    // Days 1–10: Tue 3, Wed 4, Thu 5, Fri 6, Mon 9 … Fri 13, Mon 16 March 2026.
    for (const at of [
      '2026-03-02T00:00:00',
      '2026-03-02T08:00:00',
      '2026-03-02T12:00:00',
      '2026-03-02T23:59:00',
    ])
      expect(addBusinessDays(pe, lima(at), 10)).toEqual(lima('2026-03-16T17:30:00'));
  });

  it('counting from receipt includes the receipt day only when received before closing', () => {
    const monMorning = lima('2026-03-02T10:00:00');
    expect(addBusinessDays(pe, monMorning, 2, { countFromNextBusinessDay: false })).toEqual(
      lima('2026-03-03T17:30:00'),
    );
    expect(addBusinessDays(pe, monMorning, 2)).toEqual(lima('2026-03-04T17:30:00'));
    const monEvening = lima('2026-03-02T18:00:00');
    expect(addBusinessDays(pe, monEvening, 2, { countFromNextBusinessDay: false })).toEqual(
      lima('2026-03-04T17:30:00'),
    );
    // Received on Saturday: day 1 is Monday either way.
    expect(addBusinessDays(pe, lima('2026-03-07T10:00:00'), 1, { countFromNextBusinessDay: false })).toEqual(
      lima('2026-03-09T17:30:00'),
    );
  });

  it('rejects a non-integer or non-positive day count', () => {
    expect(() => addBusinessDays(pe, lima('2026-03-02T10:00:00'), 0)).toThrow(RangeError);
    expect(() => addBusinessDays(pe, lima('2026-03-02T10:00:00'), 1.5)).toThrow(RangeError);
  });

  it('lists closed days with their reason', () => {
    const closed = nonBusinessDaysBetween(pe, lima('2026-04-01T19:00:00'), lima('2026-04-06T09:00:00'));
    expect(closed.map((d) => [d.date, d.reason])).toEqual([
      ['2026-04-02', 'holiday'],
      ['2026-04-03', 'holiday'],
      ['2026-04-04', 'no_hours'],
      ['2026-04-05', 'no_hours'],
    ]);
    expect(closed[0]!.holidays[0]!.name).toBe('Jueves Santo');
    expect(closed[1]!.holidays[0]!.law).toMatch(/DL 713/);
  });
});

describe('business-hour arithmetic', () => {
  it('measures only opening hours, split shifts included', () => {
    expect(businessTimeBetween(pe, lima('2026-03-02T08:00:00'), lima('2026-03-02T18:00:00'))).toBe(9 * H);
    expect(businessTimeBetween(split, lima('2026-03-02T08:00:00'), lima('2026-03-02T18:00:00'))).toBe(8 * H);
    // Fri 17:00 → Mon 09:00 = 30 min Friday + 30 min Monday.
    expect(businessTimeBetween(pe, lima('2026-03-06T17:00:00'), lima('2026-03-09T09:00:00'))).toBe(H);
    expect(businessTimeBetween(pe, lima('2026-03-09T09:00:00'), lima('2026-03-06T17:00:00'))).toBe(-H);
  });

  it('lands on a closing instant rather than the next opening, and crosses weekends', () => {
    expect(addBusinessTime(pe, lima('2026-03-06T17:00:00'), H / 2)).toEqual(lima('2026-03-06T17:30:00'));
    expect(addBusinessTime(pe, lima('2026-03-06T17:00:00'), H)).toEqual(lima('2026-03-09T09:00:00'));
    expect(addBusinessTime(split, lima('2026-03-02T12:00:00'), 2 * H)).toEqual(lima('2026-03-02T15:00:00'));
    // Starting while closed: the walk moves to the opening first.
    expect(addBusinessTime(pe, lima('2026-04-01T19:00:00'), H)).toEqual(lima('2026-04-06T09:30:00'));
    expect(addBusinessTime(pe, lima('2026-03-07T12:00:00'), 0)).toEqual(lima('2026-03-07T12:00:00'));
    expect(() => addBusinessTime(pe, lima('2026-03-07T12:00:00'), -1)).toThrow(RangeError);
  });

  it('finds the next opening and treats opening as open, closing as closed', () => {
    expect(nextOpening(pe, lima('2026-03-06T17:30:00'))).toEqual(lima('2026-03-09T08:30:00'));
    expect(nextOpening(split, lima('2026-03-02T13:30:00'))).toEqual(lima('2026-03-02T14:00:00'));
    expect(nextOpening(pe, lima('2026-03-02T10:00:00'))).toEqual(lima('2026-03-02T10:00:00'));
    expect(isBusinessInstant(pe, lima('2026-03-02T08:30:00'))).toBe(true);
    expect(isBusinessInstant(pe, lima('2026-03-02T17:30:00'))).toBe(false);
    expect(isBusinessInstant(pe, lima('2026-04-02T10:00:00'))).toBe(false); // Jueves Santo
    expect(localDateOf(pe, new Date('2026-04-02T03:00:00Z'))).toBe('2026-04-01');
  });
});

describe('daylight-saving zones', () => {
  it('a 24/7 calendar in New York counts 23 h on the spring day and 25 h on the autumn day', () => {
    const ny = allWeek('ny', 'America/New_York');
    // 8 Mar 2026: 00:00 EST = 05:00Z → 9 Mar 00:00 EDT = 04:00Z.
    expect(businessTimeBetween(ny, new Date('2026-03-08T05:00:00Z'), new Date('2026-03-09T04:00:00Z'))).toBe(
      23 * H,
    );
    // 1 Nov 2026: 00:00 EDT = 04:00Z → 2 Nov 00:00 EST = 05:00Z.
    expect(businessTimeBetween(ny, new Date('2026-11-01T04:00:00Z'), new Date('2026-11-02T05:00:00Z'))).toBe(
      25 * H,
    );
  });

  it('Madrid office hours keep their wall-clock times across the March change', () => {
    const madrid = calendarFromDescriptor({
      id: 'es-madrid',
      timezone: 'Europe/Madrid',
      hours: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [
          d,
          [
            ['09:00', '14:00'],
            ['15:00', '18:00'],
          ],
        ]),
      ),
    });
    // Fri 27 Mar 17:00 CET = 16:00Z; one hour left Friday, then Mon 30 Mar opens 09:00 CEST = 07:00Z.
    expect(addBusinessTime(madrid, new Date('2026-03-27T16:00:00Z'), 2 * H)).toEqual(
      new Date('2026-03-30T08:00:00Z'),
    );
    expect(nextOpening(madrid, new Date('2026-03-28T10:00:00Z'))).toEqual(new Date('2026-03-30T07:00:00Z'));
  });

  it('Santiago: midnight transitions shorten or lengthen the night shift', () => {
    const night = calendarFromDescriptor({
      id: 'cl-night',
      timezone: 'America/Santiago',
      hours: { sat: [['22:00', '24:00']], sun: [['00:00', '02:00']] },
    });
    // Sun 6 Sep 2026: clocks jump 00:00 → 01:00 (−04 → −03) at 04:00Z; only 01:00–02:00 −03
    // (04:00Z–05:00Z) exists on Sunday. Sat 5 Sep 22:00–24:00 −04 is 02:00Z–04:00Z.
    expect(
      businessTimeBetween(night, new Date('2026-09-06T04:00:00Z'), new Date('2026-09-06T08:00:00Z')),
    ).toBe(H);
    expect(
      businessTimeBetween(night, new Date('2026-09-06T00:00:00Z'), new Date('2026-09-06T08:00:00Z')),
    ).toBe(3 * H);
    expect(addBusinessTime(night, new Date('2026-09-06T02:00:00Z'), 2.5 * H)).toEqual(
      new Date('2026-09-06T04:30:00Z'),
    );
    // Sat 4 Apr 2026 22:00 −03 = 01:00Z; clocks go back at Sun 00:00 −03 to Sat 23:00 −04, so
    // Saturday 22:00–24:00 lasts 3 h and ends at Sun 00:00 −04 = 04:00Z.
    expect(
      businessTimeBetween(night, new Date('2026-04-05T00:00:00Z'), new Date('2026-04-05T04:00:00Z')),
    ).toBe(3 * H);
    expect(localDateOf(night, new Date('2026-04-05T03:30:00Z'))).toBe('2026-04-04');
  });
});
