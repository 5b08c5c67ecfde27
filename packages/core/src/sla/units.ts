import {
  addBusinessDayFraction,
  addBusinessTime,
  businessDayFractionBetween,
  businessTimeBetween,
  type Calendar,
} from '../time/index.ts';
import type { DurationSpec, DurationUnit } from './policy.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
// Day fractions are sums of floating divisions; anything below this is rounding noise.
export const DAY_EPSILON = 1e-9;

/**
 * The budget of a target in its own measure: milliseconds for `business_hours`, `hours` and
 * `days`; (fractional) business days for `business_days`.
 */
export function budgetOf(spec: DurationSpec): number {
  switch (spec.unit) {
    case 'business_hours':
    case 'hours':
      return spec.amount * HOUR_MS;
    case 'days':
      return spec.amount * DAY_MS;
    case 'business_days':
      return spec.amount;
  }
}

/** Time between `a` and `b` in the measure of `unit` (see {@link budgetOf}). */
export function measure(unit: DurationUnit, calendar: Calendar, a: Date, b: Date): number {
  if (unit === 'business_hours') return businessTimeBetween(calendar, a, b);
  if (unit === 'business_days') return businessDayFractionBetween(calendar, a, b);
  return b.getTime() - a.getTime();
}

/**
 * The instant `amount` (in the measure of `unit`) is used up when running from `from`.
 * `closeDay`: for `business_days`, return the closing of the business day where it runs out,
 * since a day-based deadline ends with the office day, not at an hour inside it.
 */
export function advance(
  unit: DurationUnit,
  calendar: Calendar,
  from: Date,
  amount: number,
  closeDay: boolean,
): Date {
  if (unit === 'business_days') {
    if (amount <= DAY_EPSILON) {
      if (!closeDay) return from;
      // Already used up: the day closes at the closing of the business day containing `from`, if any.
      return addBusinessDayFraction(calendar, from, DAY_EPSILON).dayClosing;
    }
    const r = addBusinessDayFraction(calendar, from, amount);
    return closeDay ? r.dayClosing : r.instant;
  }
  if (amount <= 0) return from;
  if (unit === 'business_hours') return addBusinessTime(calendar, from, Math.round(amount));
  return new Date(from.getTime() + Math.round(amount));
}
