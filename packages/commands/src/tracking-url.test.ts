import { describe, expect, it } from 'vitest';
import { trackingUrl } from './tracking-url.ts';

describe('trackingUrl', () => {
  it('is relative for the pages and absolute, without a doubled slash, for the e-mails', () => {
    expect(trackingUrl('tok-1_A')).toBe('/seguimiento/tok-1_A');
    expect(trackingUrl('tok', { base: 'https://datos.example.pe/' })).toBe(
      'https://datos.example.pe/seguimiento/tok',
    );
    expect(trackingUrl('tok', { base: 'https://datos.example.pe', page: 'baja' })).toBe(
      'https://datos.example.pe/seguimiento/tok/baja',
    );
  });

  it('keeps a token from a request inside its path segment', () => {
    expect(trackingUrl('a/../b?x')).toBe('/seguimiento/a%2F..%2Fb%3Fx');
  });
});
