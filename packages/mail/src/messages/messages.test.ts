import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { es } from './es.ts';

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('message catalogs', () => {
  it('have identical key sets', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
  });

  it('have no empty strings', () => {
    for (const [lang, catalog] of Object.entries({ es, en })) {
      for (const [key, value] of Object.entries(catalog)) {
        expect(value.trim(), `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(es) as Array<keyof typeof es>) {
      expect(placeholders(en[key]), key).toEqual(placeholders(es[key]));
    }
  });

  it('contain no markup, since values are escaped as plain text', () => {
    for (const value of [...Object.values(es), ...Object.values(en)]) {
      expect(value).not.toMatch(/<[a-z/]/i);
    }
  });
});
