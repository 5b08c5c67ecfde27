import { toInstant } from './freshness.ts';

export interface ScorePoint {
  at: Date | string | number;
  score: number;
}

export type TrendDirection = 'up' | 'down' | 'flat' | 'unknown';

export interface ScoreTrend {
  direction: TrendDirection;
  /** Latest score minus the earliest score of the history given; 0 when unknown. */
  delta: number;
  /** Latest score minus the one before it; 0 when unknown. */
  lastDelta: number;
  first: number | null;
  latest: number | null;
  points: number;
}

/**
 * Which way a dataset's score moved over the history given (the caller chooses the window,
 * e.g. the last 90 days). Points with an unreadable date or score are ignored; their order
 * in the array does not matter. Moves smaller than `threshold` points count as flat, so a
 * one-point wobble from a flaky link does not show as a trend.
 */
export function scoreTrend(history: readonly ScorePoint[], options: { threshold?: number } = {}): ScoreTrend {
  const threshold = options.threshold ?? 1;
  const points = history
    .map((point) => ({ time: toInstant(point.at), score: point.score }))
    .filter(
      (point): point is { time: number; score: number } =>
        point.time !== null && Number.isFinite(point.score),
    )
    .sort((a, b) => a.time - b.time);
  if (points.length < 2) {
    const only = points[0]?.score ?? null;
    return { direction: 'unknown', delta: 0, lastDelta: 0, first: only, latest: only, points: points.length };
  }
  const first = points[0]!.score;
  const latest = points[points.length - 1]!.score;
  const previous = points[points.length - 2]!.score;
  const delta = latest - first;
  const direction: TrendDirection = Math.abs(delta) < threshold ? 'flat' : delta > 0 ? 'up' : 'down';
  return { direction, delta, lastDelta: latest - previous, first, latest, points: points.length };
}
