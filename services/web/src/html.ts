/**
 * Server-side HTML with escaping by default. Every value interpolated into `html\`…\`` is
 * escaped unless it is itself the result of `html` (or `raw`, kept for our own constant
 * markup). Node's native type stripping runs no JSX transform, so templates are tagged
 * strings rather than .tsx components; the guarantee is the same: user text cannot become
 * markup.
 */
const MARK = Symbol('quipu.safe-html');

export interface SafeHtml {
  readonly [MARK]: true;
  readonly value: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

function safe(value: string): SafeHtml {
  return { [MARK]: true, value };
}

export function isSafeHtml(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && MARK in value;
}

/** Renders one interpolated value: nothing for null/undefined/false, arrays joined, the rest escaped. */
function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (isSafeHtml(value)) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return safe(out);
}

/** Markup we wrote ourselves (never user input). */
export function raw(markup: string): SafeHtml {
  return safe(markup);
}

/** `checked`/`selected`/`disabled`-style boolean attribute. */
export function attr(name: string, on: boolean): SafeHtml {
  return safe(on ? ` ${name}` : '');
}
