import { gradeFor } from './score.ts';

// Shields.io-style "flat" badges, drawn here so the web service can answer
// /badges/<dataset>.svg without a network call. Text widths come from Verdana's advance
// widths (units per em 2048) scaled to 11px, which is what shields.io measures with; a
// badge never needs exact metrics, only enough room for its text.

// biome-ignore format: a lookup table reads best packed
const VERDANA_ADVANCE: Record<string, number> = {
  ' ': 720, '!': 809, '"': 942, '#': 1677, $: 1303, '%': 2211, '&': 1497, "'": 550, '(': 930, ')': 930,
  '*': 1303, '+': 1677, ',': 744, '-': 864, '.': 744, '/': 1034, ':': 889, ';': 889, '<': 1677, '=': 1677,
  '>': 1677, '?': 1117, '@': 2048, '[': 930, '\\': 1034, ']': 930, '^': 1677, _: 1303, '`': 1303, '{': 1300,
  '|': 930, '}': 1300, '~': 1677,
  0: 1303, 1: 1303, 2: 1303, 3: 1303, 4: 1303, 5: 1303, 6: 1303, 7: 1303, 8: 1303, 9: 1303,
  A: 1401, B: 1405, C: 1430, D: 1577, E: 1294, F: 1178, G: 1587, H: 1540, I: 866, J: 924, K: 1440, L: 1145,
  M: 1726, N: 1532, O: 1612, P: 1246, Q: 1612, R: 1430, S: 1405, T: 1237, U: 1499, V: 1401, W: 2026, X: 1403,
  Y: 1237, Z: 1403,
  a: 1229, b: 1276, c: 1067, d: 1276, e: 1208, f: 720, g: 1276, h: 1296, i: 562, j: 614, k: 1208, l: 562,
  m: 1992, n: 1296, o: 1243, p: 1276, q: 1276, r: 874, s: 1067, t: 807, u: 1296, v: 1208, w: 1673, x: 1208,
  y: 1208, z: 1051,
};
// Unknown characters (CJK, symbols) get a wide default so text never overflows.
const DEFAULT_ADVANCE = 1700;
const FONT_SIZE = 11;
const UNITS_PER_EM = 2048;
const HORIZONTAL_PADDING = 5;

/** Approximate rendered width of `text` in Verdana 11px, in pixels. */
export function textWidth(text: string): number {
  let units = 0;
  for (const char of text) {
    // Accented Latin letters take their base letter's width (á → a, Ñ → N).
    const base = char.normalize('NFD')[0] ?? char;
    units += VERDANA_ADVANCE[char] ?? VERDANA_ADVANCE[base] ?? DEFAULT_ADVANCE;
  }
  return (units * FONT_SIZE) / UNITS_PER_EM;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

// Characters XML 1.0 forbids even escaped: control characters other than tab and newlines.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function clean(text: string, maxLength = 64): string {
  const single = text.replace(XML_FORBIDDEN, '').replace(/\s+/g, ' ').trim();
  const chars = [...single];
  return chars.length > maxLength ? `${chars.slice(0, maxLength - 1).join('')}…` : single;
}

export const BADGE_COLOURS = {
  brightgreen: '#4c1',
  green: '#97ca00',
  yellowgreen: '#a4a61d',
  yellow: '#dfb317',
  orange: '#fe7d37',
  red: '#e05d44',
  blue: '#007ec6',
  grey: '#555',
  lightgrey: '#9f9f9f',
} as const;

export type BadgeColourName = keyof typeof BADGE_COLOURS;

/** A named colour or a hex colour; anything else becomes light grey, so no markup can ride in. */
export function resolveColour(colour: string | null | undefined): string {
  if (!colour) return BADGE_COLOURS.lightgrey;
  const named = BADGE_COLOURS[colour as BadgeColourName];
  if (named) return named;
  return /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(colour) ? colour.toLowerCase() : BADGE_COLOURS.lightgrey;
}

// Ids must be unique when several badges are inlined in one page; a hash of the content
// keeps the function pure and the output stable.
function idSuffix(text: string): string {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0).toString(36);
}

export interface BadgeInput {
  label: string;
  message: string;
  color?: string | null;
  labelColor?: string | null;
}

export function renderBadge(input: BadgeInput): string {
  const label = clean(input.label);
  const message = clean(input.message);
  const colour = resolveColour(input.color);
  const labelColour = input.labelColor ? resolveColour(input.labelColor) : BADGE_COLOURS.grey;

  const labelTextWidth = Math.ceil(textWidth(label));
  const messageTextWidth = Math.ceil(textWidth(message));
  const labelWidth = label === '' ? 0 : labelTextWidth + 2 * HORIZONTAL_PADDING;
  const messageWidth = messageTextWidth + 2 * HORIZONTAL_PADDING;
  const width = labelWidth + messageWidth;

  const title = label === '' ? message : `${label}: ${message}`;
  const suffix = idSuffix(`${title}|${colour}|${labelColour}`);
  const gradientId = `s${suffix}`;
  const clipId = `r${suffix}`;
  // Text is drawn at 10× and scaled down, as shields.io does, for sub-pixel placement.
  const text = (value: string, centre: number, length: number) =>
    `<text aria-hidden="true" x="${centre * 10}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="${length * 10}">${escapeXml(value)}</text>` +
    `<text x="${centre * 10}" y="140" transform="scale(.1)" fill="#fff" textLength="${length * 10}">${escapeXml(value)}</text>`;

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${escapeXml(title)}">` +
    `<title>${escapeXml(title)}</title>` +
    `<linearGradient id="${gradientId}" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="${clipId}"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#${clipId})">` +
    (labelWidth > 0 ? `<rect width="${labelWidth}" height="20" fill="${labelColour}"/>` : '') +
    `<rect x="${labelWidth}" width="${messageWidth}" height="20" fill="${colour}"/>` +
    `<rect width="${width}" height="20" fill="url(#${gradientId})"/>` +
    `</g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">` +
    (labelWidth > 0 ? text(label, labelWidth / 2, labelTextWidth) : '') +
    text(message, labelWidth + messageWidth / 2, messageTextWidth) +
    `</g></svg>`
  );
}

const GRADE_COLOURS = {
  A: 'brightgreen',
  B: 'green',
  C: 'yellow',
  D: 'orange',
  E: 'red',
} as const satisfies Record<string, BadgeColourName>;

/** The colour band for a score, following the grades. */
export function scoreColour(score: number | null | undefined): BadgeColourName {
  if (score === null || score === undefined || !Number.isFinite(score)) return 'lightgrey';
  return GRADE_COLOURS[gradeFor(Math.round(score))];
}

const QUALITY_TEXT = {
  es: { label: 'calidad', unknown: 'sin datos' },
  en: { label: 'quality', unknown: 'unknown' },
} as const;

/**
 * The public quality badge of a dataset. It shows the score and nothing else: no names,
 * no e-mails, nothing about who reported what.
 */
export function qualityBadge(score: number | null | undefined, lang: 'es' | 'en' = 'es'): string {
  const words = QUALITY_TEXT[lang] ?? QUALITY_TEXT.es;
  const known = score !== null && score !== undefined && Number.isFinite(score);
  const value = known ? Math.min(100, Math.max(0, Math.round(score))) : null;
  return renderBadge({
    label: words.label,
    message: value === null ? words.unknown : `${value}/100`,
    color: scoreColour(value),
  });
}
