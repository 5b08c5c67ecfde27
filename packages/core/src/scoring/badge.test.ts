import { describe, expect, it } from 'vitest';
import { BADGE_COLOURS, qualityBadge, renderBadge, scoreColour, textWidth } from './badge.ts';

/**
 * A small well-formedness check: every tag closes in order, attributes are quoted, and
 * text holds no raw `<` or bare `&`. Enough to catch broken escaping or nesting.
 */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let match: RegExpExecArray | null = token.exec(xml);
  let consumed = 0;
  while (match !== null) {
    expect(match.index).toBe(consumed);
    consumed = token.lastIndex;
    const [, closing, name, , selfClosing, textContent, stray] = match;
    if (stray) throw new Error(`stray < at ${match.index}`);
    if (textContent !== undefined) {
      expect(textContent).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i);
      expect(textContent).not.toContain('>');
    } else if (closing) {
      expect(stack.pop()).toBe(name);
    } else if (!selfClosing) {
      stack.push(name!);
    }
    match = token.exec(xml);
  }
  expect(consumed).toBe(xml.length);
  expect(stack).toEqual([]);
}

function attribute(svg: string, name: string): string | undefined {
  return new RegExp(`<svg[^>]*\\s${name}="([^"]*)"`).exec(svg)?.[1];
}

describe('renderBadge', () => {
  it('draws a well-formed, accessible SVG', () => {
    const svg = renderBadge({ label: 'calidad', message: '87/100', color: 'brightgreen' });
    assertWellFormed(svg);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(attribute(svg, 'role')).toBe('img');
    expect(attribute(svg, 'aria-label')).toBe('calidad: 87/100');
    expect(svg).toContain('<title>calidad: 87/100</title>');
    expect(svg).toContain('<linearGradient');
    expect(svg).toContain(`fill="${BADGE_COLOURS.brightgreen}"`);
  });

  it('escapes label and message everywhere they appear', () => {
    const svg = renderBadge({ label: 'a<b&c"d\'', message: '</text><script>alert(1)</script>' });
    assertWellFormed(svg);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('a&lt;b&amp;c&quot;d&apos;');
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;');
    expect(attribute(svg, 'aria-label')).toBe(
      'a&lt;b&amp;c&quot;d&apos;: &lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;',
    );
  });

  it('refuses colours that are not a name or a hex value', () => {
    const svg = renderBadge({ label: 'x', message: 'y', color: '"/><script>alert(1)</script>' });
    assertWellFormed(svg);
    expect(svg).not.toContain('script');
    expect(svg).toContain(`fill="${BADGE_COLOURS.lightgrey}"`);
    expect(renderBadge({ label: 'x', message: 'y', color: '#ABCDEF' })).toContain('fill="#abcdef"');
  });

  it('drops control characters, which XML cannot carry', () => {
    const svg = renderBadge({ label: 'bad\u0000\u0007label', message: 'ok' });
    assertWellFormed(svg);
    expect(svg).toContain('badlabel');
  });

  it('grows with its text', () => {
    const short = Number(attribute(renderBadge({ label: 'q', message: '1' }), 'width'));
    const longer = Number(attribute(renderBadge({ label: 'quality', message: '100/100' }), 'width'));
    const longest = Number(
      attribute(renderBadge({ label: 'calidad de los datos', message: '100/100' }), 'width'),
    );
    expect(short).toBeLessThan(longer);
    expect(longer).toBeLessThan(longest);
    expect(textWidth('WWW')).toBeGreaterThan(textWidth('iii'));
    expect(textWidth('Ñandú')).toBeCloseTo(textWidth('Nandu'));
    expect(textWidth('')).toBe(0);
  });

  it('gives different badges different ids, so several can share a page', () => {
    const id = (svg: string) => /<linearGradient id="([^"]+)"/.exec(svg)?.[1];
    expect(id(qualityBadge(80))).not.toBe(id(qualityBadge(81)));
    expect(id(qualityBadge(80))).toBe(id(qualityBadge(80)));
  });
});

describe('qualityBadge', () => {
  it('shows the score out of 100 in Spanish or English', () => {
    const es = qualityBadge(87, 'es');
    expect(es).toContain('>calidad</text>');
    expect(es).toContain('>87/100</text>');
    const en = qualityBadge(87.4, 'en');
    expect(en).toContain('>quality</text>');
    expect(en).toContain('>87/100</text>');
  });

  it('says so when there is no score yet', () => {
    expect(qualityBadge(null, 'es')).toContain('>sin datos</text>');
    expect(qualityBadge(undefined, 'en')).toContain('>unknown</text>');
    expect(qualityBadge(Number.NaN, 'en')).toContain(`fill="${BADGE_COLOURS.lightgrey}"`);
  });

  it('clamps out-of-range scores', () => {
    expect(qualityBadge(140)).toContain('>100/100</text>');
    expect(qualityBadge(-3)).toContain('>0/100</text>');
  });

  it.each([
    [100, 'brightgreen'],
    [87, 'brightgreen'],
    [86, 'green'],
    [70, 'green'],
    [69, 'yellow'],
    [55, 'yellow'],
    [54, 'orange'],
    [30, 'orange'],
    [29, 'red'],
    [0, 'red'],
    [null, 'lightgrey'],
  ] as const)('score %s is %s', (score, colour) => {
    expect(scoreColour(score)).toBe(colour);
    expect(qualityBadge(score)).toContain(`fill="${BADGE_COLOURS[colour]}"`);
  });
});
