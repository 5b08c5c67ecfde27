import { en } from './en.ts';
import { es, type MessageKey } from './es.ts';

export type { MessageKey } from './es.ts';
export const LOCALES = ['es', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const CATALOGS: Record<Locale, Record<MessageKey, string>> = { es, en };

export function isLocale(value: unknown): value is Locale {
  return value === 'es' || value === 'en';
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** `{name}` placeholders are replaced by vars; the result is plain text (escaped when rendered). */
export function translator(locale: Locale): Translate {
  const catalog = CATALOGS[locale];
  return (key, vars) => {
    const text = catalog[key] ?? key;
    return vars
      ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m))
      : text;
  };
}

/**
 * The language of a request: `?lang=` (remembered in a cookie), then the cookie, then the
 * browser's Accept-Language, then the portal default (Spanish).
 */
export function chooseLocale(input: {
  query?: unknown;
  cookie?: string | undefined;
  acceptLanguage?: string | undefined;
  fallback: Locale;
}): { locale: Locale; remember: boolean } {
  if (isLocale(input.query)) return { locale: input.query, remember: true };
  if (isLocale(input.cookie)) return { locale: input.cookie, remember: false };
  const ranked = (input.acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const found = ranked.find((entry) => isLocale(entry.base));
  return { locale: found ? (found.base as Locale) : input.fallback, remember: false };
}
