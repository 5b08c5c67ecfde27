import { html, type SafeHtml } from './html.ts';

/**
 * A server-rendered SVG bar chart (grouped bars, one or two series). No script, no inline
 * style: colours come from the stylesheet's `.bar-a` / `.bar-b`. The numbers are also in a
 * table next to it; the SVG is labelled for screen readers.
 */
export function barChart(props: {
  id: string;
  title: string;
  labels: string[];
  series: Array<{ name: string; values: number[] }>;
}): SafeHtml {
  const width = 640;
  const height = 220;
  const top = 16;
  const bottom = 40;
  const left = 36;
  const plotHeight = height - top - bottom;
  const max = Math.max(1, ...props.series.flatMap((s) => s.values));
  const step = (width - left - 8) / Math.max(1, props.labels.length);
  const barWidth = Math.max(2, (step * 0.8) / props.series.length);
  const ticks = [0, Math.round(max / 2), max];
  const y = (v: number) => top + plotHeight - (v / max) * plotHeight;
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${props.id}-title">
<title id="${props.id}-title">${props.title}</title>
${ticks.map((v) => html`<line x1="${left}" x2="${width - 4}" y1="${y(v)}" y2="${y(v)}" stroke="#c9d0d6"/><text x="${left - 4}" y="${y(v) + 4}" text-anchor="end">${v}</text>`)}
${props.labels.map(
  (label, i) => html`<g>
${props.series.map((s, k) => {
  const v = s.values[i] ?? 0;
  const x = left + i * step + step * 0.1 + k * barWidth;
  return html`<rect class="${k === 0 ? 'bar-a' : 'bar-b'}" x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(top + plotHeight - y(v)).toFixed(1)}"><title>${s.name} · ${label}: ${v}</title></rect>`;
})}
<text x="${(left + i * step + step / 2).toFixed(1)}" y="${height - bottom + 14}" text-anchor="middle">${label}</text>
</g>`,
)}
</svg>`;
}

/**
 * Text that a spreadsheet would run as a formula (CSV injection): a leading = + - @ (or their
 * full-width forms, which some spreadsheets read as the ASCII ones), tab or carriage return,
 * also after leading spaces, which some importers trim.
 */
const FORMULA_START = /^[ \u00a0]*[=+\-@\uff1d\uff0b\uff0d\uff20\t\r]/;

/**
 * RFC 4180 CSV. Text cells that could start a formula are prefixed with `'` (the OWASP
 * advice: shown as text, the value still readable); numbers are written as they are.
 */
export function toCsv(rows: Array<Array<string | number | null>>): string {
  const cell = (value: string | number | null) => {
    if (value === null) return '';
    let text = String(value);
    if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
