import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { es } from './es.ts';
import { chooseLocale, translator } from './index.ts';

describe('message catalogs', () => {
  it('have the same keys in Spanish and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
    for (const [key, text] of [...Object.entries(es), ...Object.entries(en)])
      expect(text.trim(), key).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(es) as Array<keyof typeof es>) {
      expect(placeholders(en[key]), key).toEqual(placeholders(es[key]));
    }
  });

  it('fill placeholders', () => {
    expect(translator('es')('thanks.title', { ref: 'Q-2026-000001' })).toBe(
      'Recibimos su caso Q-2026-000001',
    );
  });
});

describe('chooseLocale', () => {
  it('prefers ?lang=, then the cookie, then Accept-Language, then the default', () => {
    expect(chooseLocale({ query: 'en', cookie: 'es', fallback: 'es' })).toEqual({
      locale: 'en',
      remember: true,
    });
    expect(chooseLocale({ query: 'fr', cookie: 'en', fallback: 'es' })).toEqual({
      locale: 'en',
      remember: false,
    });
    expect(chooseLocale({ acceptLanguage: 'fr-FR, en-US;q=0.8, es;q=0.5', fallback: 'es' }).locale).toBe(
      'en',
    );
    expect(chooseLocale({ acceptLanguage: 'es-PE,es;q=0.9', fallback: 'en' }).locale).toBe('es');
    expect(chooseLocale({ acceptLanguage: 'de, fr;q=0.5', fallback: 'es' }).locale).toBe('es');
    expect(chooseLocale({ acceptLanguage: 'en;q=0, es;q=0.1', fallback: 'en' }).locale).toBe('es');
  });
});
