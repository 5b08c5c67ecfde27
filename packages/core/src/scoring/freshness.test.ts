import { describe, expect, it } from 'vitest';
import { durationMs, frequencyPeriodMs, freshness, isStale } from './freshness.ts';

const NOW = Date.parse('2026-11-27T12:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('isStale per declared frequency (grace factor 1.5, at least one day of slack)', () => {
  it.each([
    ['hourly', 24 * HOUR, 26 * HOUR],
    ['continuous', 24 * HOUR, 26 * HOUR],
    ['daily', 47 * HOUR, 49 * HOUR],
    ['weekly', 10 * DAY, 11 * DAY],
    ['biweekly', 20 * DAY, 22 * DAY],
    ['monthly', 45 * DAY, 46 * DAY],
    ['quarterly', 130 * DAY, 140 * DAY],
    ['semiannual', 270 * DAY, 280 * DAY],
    ['annual', 540 * DAY, 550 * DAY],
    ['biennial', 1090 * DAY, 1100 * DAY],
    ['P3D', 4 * DAY, 5 * DAY],
    ['PT6H', 29 * HOUR, 31 * HOUR],
  ])('%s: fresh after %d ms, stale after %d ms', (frequency, freshAge, staleAge) => {
    expect(isStale(ago(freshAge), frequency, NOW)).toBe(false);
    expect(isStale(ago(staleAge), frequency, NOW)).toBe(true);
  });

  it.each(['irregular', 'never', 'unknown', '', null, 'whenever'])('%j is never stale', (frequency) => {
    expect(isStale(ago(10 * 365 * DAY), frequency, NOW)).toBe(false);
  });

  it('is not stale without a modification date (nothing to measure)', () => {
    expect(isStale(null, 'daily', NOW)).toBe(false);
    expect(isStale('not a date', 'daily', NOW)).toBe(false);
    expect(freshness(null, 'daily', NOW).status).toBe('unknown');
  });

  it('honours a tighter grace factor', () => {
    expect(isStale(ago(40 * DAY), 'monthly', NOW)).toBe(false);
    expect(isStale(ago(40 * DAY), 'monthly', NOW, { graceFactor: 1 })).toBe(true);
  });

  it('accepts Date, ISO string and epoch for now', () => {
    const modified = ago(3 * DAY);
    expect(isStale(modified, 'daily', new Date(NOW))).toBe(true);
    expect(isStale(modified, 'daily', new Date(NOW).toISOString())).toBe(true);
    expect(isStale(modified, 'daily', NOW)).toBe(true);
  });
});

describe('freshness', () => {
  it('reports the due date and how late the dataset is', () => {
    expect(freshness('2026-11-01T00:00:00.000Z', 'daily', NOW)).toEqual({
      status: 'stale',
      dueAt: '2026-11-03T00:00:00.000Z',
      daysLate: 24,
    });
    expect(freshness('2026-11-27T00:00:00.000Z', 'weekly', NOW)).toEqual({
      status: 'fresh',
      dueAt: '2026-12-07T12:00:00.000Z',
      daysLate: 0,
    });
  });

  it('calls irregular and never cadences not applicable', () => {
    expect(freshness(ago(DAY), 'irregular', NOW).status).toBe('not-applicable');
    expect(freshness(ago(DAY), 'never', NOW).status).toBe('not-applicable');
  });
});

describe('durationMs and frequencyPeriodMs', () => {
  it('reads ISO 8601 durations', () => {
    expect(durationMs('P1D')).toBe(DAY);
    expect(durationMs('PT1H30M')).toBe(1.5 * HOUR);
    expect(durationMs('P1W')).toBe(7 * DAY);
    expect(durationMs('P0.5D')).toBe(DAY / 2);
    expect(durationMs('P')).toBeNull();
    expect(durationMs('PT')).toBeNull();
    expect(durationMs('P0D')).toBeNull();
    expect(durationMs('1 day')).toBeNull();
  });

  it('knows the named cadences and nothing else', () => {
    expect(frequencyPeriodMs('daily')).toBe(DAY);
    expect(frequencyPeriodMs('P2D')).toBe(2 * DAY);
    expect(frequencyPeriodMs('irregular')).toBeNull();
    expect(frequencyPeriodMs(undefined)).toBeNull();
  });
});
