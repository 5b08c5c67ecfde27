import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CalendarError, holidaysOfYear, resolveCalendars, validateCalendarDescriptor } from './calendar.ts';
import { easterSunday } from './easter.ts';
import { epochDay, formatEpochDay, isoWeekday } from './zone.ts';

const dir = new URL('../../../../config/calendars/', import.meta.url);
const load = (id: string): unknown => JSON.parse(readFileSync(new URL(`${id}.json`, dir), 'utf8'));

describe('Easter (computus)', () => {
  it('matches published dates', () => {
    // Published Gregorian Easter dates.
    const known: [number, string][] = [
      [1818, '1818-03-22'],
      [1943, '1943-04-25'],
      [2000, '2000-04-23'],
      [2019, '2019-04-21'],
      [2024, '2024-03-31'],
      [2025, '2025-04-20'],
      [2026, '2026-04-05'],
      [2027, '2027-03-28'],
      [2038, '2038-04-25'],
      [2285, '2285-03-22'],
    ];
    for (const [y, iso] of known) {
      const e = easterSunday(y);
      expect(formatEpochDay(epochDay(e.year, e.month, e.day))).toBe(iso);
    }
  });

  it('is always a Sunday between 22 March and 25 April', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 9999 }), (y) => {
        const { month, day } = easterSunday(y);
        expect(isoWeekday(epochDay(y, month, day))).toBe(7);
        const md = month * 100 + day;
        expect(md >= 322 && md <= 425).toBe(true);
      }),
    );
  });
});

describe('calendar descriptors', () => {
  it('the national calendar of Peru lists every current holiday with its law', () => {
    const pe = resolveCalendars([load('pe')]).get('pe')!;
    expect(pe.timezone).toBe('America/Lima');
    expect(pe.note).toMatch(/override/);
    for (const h of pe.holidays) expect(h.law, h.name).toBeTruthy();
    const dates = [...holidaysOfYear(pe, 2026).keys()].sort((a, b) => a - b).map(formatEpochDay);
    expect(dates).toEqual([
      '2026-01-01',
      '2026-04-02',
      '2026-04-03',
      '2026-05-01',
      '2026-06-07',
      '2026-06-29',
      '2026-07-23',
      '2026-07-28',
      '2026-07-29',
      '2026-08-06',
      '2026-08-30',
      '2026-10-08',
      '2026-11-01',
      '2026-12-08',
      '2026-12-09',
      '2026-12-25',
    ]);
    // Before the 2022/2023 laws only the DL 713 list applies.
    expect(holidaysOfYear(pe, 2021).size).toBe(12);
    expect(pe.weeklyHours[0]).toEqual([{ start: 8 * 60 + 30, end: 17 * 60 + 30 }]);
    expect(pe.weeklyHours[5]).toEqual([]);
  });

  it('extends: inherits zone, hours and holidays; overrides listed weekdays; removes by id', () => {
    const cals = resolveCalendars([
      load('pe'),
      {
        id: 'desk',
        extends: 'pe',
        hours: { mon: [['08:00', '13:00']], sat: [['09:00', '12:00']] },
        removeHolidays: ['santa-rosa'],
        holidays: [{ date: '2026-10-09', name: 'Día no laborable', law: 'DS 000-2026-PCM (example)' }],
      },
    ]);
    const desk = cals.get('desk')!;
    expect(desk.timezone).toBe('America/Lima');
    expect(desk.weeklyHours[0]).toEqual([{ start: 480, end: 780 }]);
    expect(desk.weeklyHours[1]).toEqual(cals.get('pe')!.weeklyHours[1]);
    expect(desk.weeklyHours[5]).toEqual([{ start: 540, end: 720 }]);
    const days = holidaysOfYear(desk, 2026);
    expect(days.has(epochDay(2026, 8, 30))).toBe(false);
    expect(days.get(epochDay(2026, 10, 9))?.[0]?.calendarId).toBe('desk');
    expect(days.get(epochDay(2026, 12, 25))?.[0]?.calendarId).toBe('pe');
  });

  it('reports every problem of a bad descriptor', () => {
    const issues = validateCalendarDescriptor({
      id: 'Bad Id',
      timezone: 'Mars/Olympus',
      hours: {
        mon: [
          ['09:00', '13:00'],
          ['12:00', '14:00'],
        ],
        tue: [['18:00', '08:00']],
        fun: [],
      },
      holidays: [
        { name: 'x', month: 2, day: 30 },
        { name: 'y', easterOffset: -2, date: '2026-01-01' },
        { month: 1, day: 1 },
      ],
      holidys: [],
    });
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'id',
        'timezone',
        'hours.mon[1]',
        'hours.tue[0]',
        'hours.fun',
        'holidays[0].day',
        'holidays[1]',
        'holidays[2].name',
        'holidys',
      ]),
    );
  });

  it('rejects unknown or cyclic bases and weeks without hours', () => {
    expect(() => resolveCalendars([{ id: 'a', extends: 'nowhere' }])).toThrow(CalendarError);
    expect(() =>
      resolveCalendars([
        { id: 'a', extends: 'b' },
        { id: 'b', extends: 'a' },
      ]),
    ).toThrow(/cyclic/);
    expect(() => resolveCalendars([{ id: 'a', timezone: 'America/Lima', hours: {} }])).toThrow(
      /no opening hour/,
    );
    expect(() => resolveCalendars([load('pe'), load('pe')])).toThrow(/duplicate/);
  });

  it('every shipped calendar resolves', () => {
    const cals = resolveCalendars([load('pe'), load('pe-amazonas')]);
    expect([...cals.keys()].sort()).toEqual(['pe', 'pe-amazonas']);
  });
});
