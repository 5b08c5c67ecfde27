import type { FrequencyCode, UpdateFrequency } from '../catalog/types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Calendar units as averages: freshness is judged with a grace margin, so a day's
// difference between a 30- and a 31-day month does not decide anything.
const MONTH = 30.436875 * DAY;
const YEAR = 365.2425 * DAY;

const CODE_PERIODS: Partial<Record<FrequencyCode, number>> = {
  continuous: HOUR,
  hourly: HOUR,
  daily: DAY,
  weekly: 7 * DAY,
  biweekly: 14 * DAY,
  monthly: MONTH,
  quarterly: 3 * MONTH,
  semiannual: 6 * MONTH,
  annual: YEAR,
  biennial: 2 * YEAR,
};

const DURATION =
  /^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds in an ISO 8601 duration (calendar units averaged), or null. */
export function durationMs(duration: string): number | null {
  const match = DURATION.exec(duration.toUpperCase());
  if (!match) return null;
  const [, years, months, weeks, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  const total =
    years! * YEAR +
    months! * MONTH +
    weeks! * 7 * DAY +
    days! * DAY +
    hours! * HOUR +
    minutes! * 60_000 +
    seconds! * 1000;
  return total > 0 ? total : null;
}

/** How long one update cycle lasts; null for irregular, never and unknown cadences. */
export function frequencyPeriodMs(frequency: UpdateFrequency | string | null | undefined): number | null {
  if (!frequency) return null;
  const fromCode = CODE_PERIODS[frequency as FrequencyCode];
  if (fromCode !== undefined) return fromCode;
  return frequency.startsWith('P') ? durationMs(frequency) : null;
}

export interface FreshnessOptions {
  /** How many cycles may pass before the dataset is late. Default 1.5: half a cycle of slack. */
  graceFactor?: number;
  /**
   * Least slack after one cycle, whatever the cadence. Default one day: Quipu sees a change
   * only when it next harvests, so an hourly dataset cannot be judged by the hour.
   */
  minimumSlackMs?: number;
}

export type FreshnessStatus = 'fresh' | 'stale' | 'unknown' | 'not-applicable';

export interface Freshness {
  /**
   * `fresh`/`stale` against the declared cadence; `unknown` when a regular cadence is
   * declared but no modification date is known; `not-applicable` when the cadence is
   * irregular, never or unknown, so lateness has no meaning.
   */
  status: FreshnessStatus;
  /** When the dataset becomes late (ISO), for regular cadences with a known modification date. */
  dueAt: string | null;
  /** How far past `dueAt` it is, in whole days; 0 when fresh. */
  daysLate: number;
}

export function toInstant(value: Date | string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const time =
    value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(time) ? time : null;
}

export function freshness(
  modified: Date | string | null | undefined,
  frequency: UpdateFrequency | string | null | undefined,
  now: Date | string | number,
  options: FreshnessOptions = {},
): Freshness {
  const period = frequencyPeriodMs(frequency);
  if (period === null || frequency === 'never') return { status: 'not-applicable', dueAt: null, daysLate: 0 };
  const changedAt = toInstant(modified);
  const at = toInstant(now);
  if (changedAt === null || at === null) return { status: 'unknown', dueAt: null, daysLate: 0 };
  const graceFactor = options.graceFactor ?? 1.5;
  const minimumSlack = options.minimumSlackMs ?? DAY;
  const due = changedAt + Math.max(period * graceFactor, period + minimumSlack);
  if (at <= due) return { status: 'fresh', dueAt: new Date(due).toISOString(), daysLate: 0 };
  return { status: 'stale', dueAt: new Date(due).toISOString(), daysLate: Math.floor((at - due) / DAY) };
}

/**
 * True when the dataset has missed its declared cadence by more than the grace margin.
 * Irregular, unknown and never-updated cadences are never stale, and neither is a dataset
 * whose modification date is unknown (there is nothing to measure).
 */
export function isStale(
  modified: Date | string | null | undefined,
  frequency: UpdateFrequency | string | null | undefined,
  now: Date | string | number,
  options: FreshnessOptions = {},
): boolean {
  return freshness(modified, frequency, now, options).status === 'stale';
}
