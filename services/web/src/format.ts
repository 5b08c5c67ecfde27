import type { Locale } from './i18n/index.ts';

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, timeZone: string, style: 'date' | 'datetime'): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${style}`;
  let found = cache.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale === 'es' ? 'es-PE' : 'en-GB', {
      timeZone,
      dateStyle: 'medium',
      ...(style === 'datetime' ? { timeStyle: 'short' } : {}),
    });
    cache.set(key, found);
  }
  return found;
}

/** A date (and time) as people in the portal's zone (America/Lima) read it. */
export function formatDate(
  value: Date | string | null | undefined,
  locale: Locale,
  timeZone: string,
  style: 'date' | 'datetime' = 'datetime',
): string {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return formatter(locale, timeZone, style).format(date);
}

/** Machine-readable value for `<time datetime>`. */
export function isoOf(value: Date | string | null | undefined): string {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

export function formatNumber(value: number, locale: Locale, digits = 0): string {
  return new Intl.NumberFormat(locale === 'es' ? 'es-PE' : 'en-GB', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(value);
}
