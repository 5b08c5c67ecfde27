import { describe, expect, it } from 'vitest';
import { scoreTrend } from './trend.ts';

describe('scoreTrend', () => {
  it('compares the latest score with the earliest, whatever the array order', () => {
    expect(
      scoreTrend([
        { at: '2026-11-20T00:00:00Z', score: 70 },
        { at: '2026-10-01T00:00:00Z', score: 55 },
        { at: '2026-11-01T00:00:00Z', score: 62 },
      ]),
    ).toEqual({ direction: 'up', delta: 15, lastDelta: 8, first: 55, latest: 70, points: 3 });
  });

  it('sees a fall', () => {
    const trend = scoreTrend([
      { at: new Date('2026-01-01'), score: 90 },
      { at: new Date('2026-02-01'), score: 60 },
    ]);
    expect(trend.direction).toBe('down');
    expect(trend.delta).toBe(-30);
  });

  it('calls moves under the threshold flat', () => {
    const history = [
      { at: '2026-01-01', score: 80 },
      { at: '2026-02-01', score: 81 },
    ];
    expect(scoreTrend(history).direction).toBe('up');
    expect(scoreTrend(history, { threshold: 2 }).direction).toBe('flat');
    expect(
      scoreTrend([
        { at: '2026-01-01', score: 80 },
        { at: '2026-02-01', score: 80 },
      ]).direction,
    ).toBe('flat');
  });

  it('is unknown with fewer than two usable points', () => {
    expect(scoreTrend([])).toMatchObject({ direction: 'unknown', delta: 0, latest: null });
    expect(
      scoreTrend([
        { at: '2026-01-01', score: 50 },
        { at: 'yesterday', score: 90 },
        { at: '2026-02-01', score: Number.NaN },
      ]),
    ).toMatchObject({ direction: 'unknown', latest: 50, points: 1 });
  });
});
