import Router from '@koa/router';
import { findPublicReport } from '@quipu/commands';
import { QUALITY_FAMILIES, type QualityReportRecord, registerModels } from '@quipu/db';
import { type AppDeps, presentReport } from '@quipu/http';
import { pageNotFound } from '../errors.ts';
import { formatNumber } from '../format.ts';
import { page } from '../handler.ts';
import { html, type SafeHtml } from '../html.ts';
import type { MessageKey } from '../i18n/index.ts';
import { sendPage } from '../layout.ts';
import { time } from '../ticket-parts.ts';
import { commandsOf, type WebContext, type WebState } from '../web-context.ts';

/** One error as the quality worker keeps it (frictionless-shaped; see ReportError in @quipu/quality). */
interface StoredError {
  type: string;
  title?: string;
  description?: string;
  message?: string;
  tags?: string[];
  rowNumber?: number;
  fieldNumber?: number;
  fieldName?: string;
  cells?: string[];
  cell?: string;
  label?: string;
  labels?: string[];
}

interface FieldSummary {
  name: string;
  type?: string;
  nulls?: number;
  distinct?: number;
  min?: string;
  max?: string;
  typeErrors?: number;
  topTypeErrors?: Array<{ cell: string; count: number }>;
}

/** `validity` as validitySummary (workers/src/quality/check.ts) stores it; every part may be absent. */
interface Validity {
  ok?: boolean | null;
  status?: 'checked' | 'not_checked' | 'not_tabular';
  errorCount?: number;
  counts?: Record<string, number>;
  errors?: StoredError[];
  stats?: { rows?: number; bytes?: number; fields?: number } | null;
  fields?: FieldSummary[];
  encoding?: string | null;
  dialect?: { delimiter?: string } | null;
  labels?: string[];
  schemaSource?: 'declared' | 'inferred' | null;
  schemaError?: string;
  /** Set when the file answered 304: the errors live on that earlier report. */
  reusedFrom?: string | null;
}

/** Wider rows show the first column and a few around each bad cell (the rest scrolls, or is left out). */
const ALL_COLUMNS_UP_TO = 30;
const AROUND_BAD_CELL = 3;
/** A cell is a value to recognise, not to read in full: long texts are cut. */
const CELL_CHARS = 80;

const DELIMITERS: Record<string, MessageKey> = {
  ',': 'qreport.delimiter.comma',
  ';': 'qreport.delimiter.semicolon',
  '\t': 'qreport.delimiter.tab',
  '|': 'qreport.delimiter.pipe',
};

/** The catalog's text for a key built at run time, or null when the catalog has none. */
function known(web: WebState, key: string, vars?: Record<string, string | number>): string | null {
  const text = web.t(key as MessageKey, vars);
  return text === key ? null : text;
}

function typeTitle(web: WebState, error: Pick<StoredError, 'type' | 'title'>): string {
  return known(web, `qreport.type.${error.type}`) ?? error.title ?? error.type;
}

function typeHelp(web: WebState, error: Pick<StoredError, 'type' | 'description'>): string {
  return known(web, `qreport.typeHelp.${error.type}`) ?? error.description ?? '';
}

function num(web: WebState, value: unknown): string {
  return typeof value === 'number' ? formatNumber(value, web.locale) : '—';
}

function clip(text: string): string {
  return text.length > CELL_CHARS ? `${text.slice(0, CELL_CHARS - 1)}…` : text;
}

/** Passed, failed or not measured: a word and a badge outline, never colour alone. */
function resultBadge(web: WebState, ok: unknown): SafeHtml {
  if (ok === true) return html`<span class="badge ok">${web.t('qreport.ok')}</span>`;
  if (ok === false) return html`<span class="badge danger">${web.t('qreport.failed')}</span>`;
  return html`<span class="badge">${web.t('qreport.notMeasured')}</span>`;
}

function familyDetail(web: WebState, report: QualityReportRecord, family: string): SafeHtml {
  const { t } = web;
  if (family === 'availability') {
    const a = report.availability as { status?: number | null; error?: { message?: string } | null };
    return html`${typeof a.status === 'number' ? t('qreport.httpStatus', { status: a.status }) : ''}${
      a.error?.message ? html` · <span lang="en">${a.error.message}</span>` : ''
    }`;
  }
  if (family === 'validity') {
    const v = report.validity as Validity;
    if (v.status === 'not_checked' || v.status === 'not_tabular')
      return html`${t(`qreport.validity.${v.status}`)}`;
    return html`${typeof v.errorCount === 'number' ? t('qreport.errorsFound', { n: num(web, v.errorCount) }) : ''}`;
  }
  if (family === 'metadata') {
    const missing = (report.metadata as { missing?: string[] }).missing ?? [];
    return html`${missing.length ? t('qreport.missing', { list: missing.map((m) => known(web, `qreport.missing.${m}`) ?? m).join(', ') }) : ''}`;
  }
  const f = report.freshness as { status?: string; daysLate?: number };
  return html`${f.status ? (known(web, `qreport.freshness.${f.status}`, { days: f.daysLate ?? 0 }) ?? f.status) : ''}`;
}

function familiesTable(web: WebState, report: QualityReportRecord): SafeHtml {
  const { t } = web;
  return html`<h2>${t('qreport.families')}</h2>
<div class="table-wrap"><table>
<caption class="visually-hidden">${t('qreport.families')}</caption>
<thead><tr><th scope="col">${t('qreport.family')}</th><th scope="col">${t('qreport.result')}</th><th scope="col">${t('qreport.detail')}</th></tr></thead>
<tbody>${QUALITY_FAMILIES.map((family) => {
    const block = report[family] as { ok?: boolean | null } | undefined;
    return html`<tr><th scope="row">${t(`qreport.family.${family}`)}</th><td>${resultBadge(web, block?.ok)}</td><td>${familyDetail(web, report, family)}</td></tr>`;
  })}</tbody>
</table></div>`;
}

function fileFacts(web: WebState, v: Validity): SafeHtml {
  const { t } = web;
  const delimiter = v.dialect?.delimiter;
  const delimiterName = delimiter !== undefined ? DELIMITERS[delimiter] : undefined;
  return html`<dl class="meta">
${v.encoding ? html`<dt>${t('qreport.encoding')}</dt><dd>${v.encoding}</dd>` : ''}
${delimiter !== undefined ? html`<dt>${t('qreport.delimiter')}</dt><dd>${delimiterName ? t(delimiterName) : html`<code>${delimiter}</code>`}</dd>` : ''}
${v.stats ? html`<dt>${t('qreport.rows')}</dt><dd>${num(web, v.stats.rows)}</dd><dt>${t('qreport.columns')}</dt><dd>${num(web, v.stats.fields)}</dd><dt>${t('qreport.bytes')}</dt><dd>${t('qreport.bytesValue', { n: num(web, v.stats.bytes) })}</dd>` : ''}
${v.schemaSource ? html`<dt>${t('qreport.schema')}</dt><dd>${t(`qreport.schema.${v.schemaSource}`)}</dd>` : ''}
</dl>
${v.schemaError ? html`<p class="notice warn">${t('qreport.schemaError', { error: v.schemaError })}</p>` : ''}`;
}

function errorsByType(web: WebState, v: Validity, errors: StoredError[]): SafeHtml {
  const { t } = web;
  const counts = Object.entries(v.counts ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (!counts.length) return html``;
  // The titles and descriptions the report carries, for codes the catalog does not translate.
  const sample = new Map(errors.map((e) => [e.type, e]));
  return html`<h3>${t('qreport.errorsByType')}</h3>
<div class="table-wrap"><table>
<caption class="visually-hidden">${t('qreport.errorsByType')}</caption>
<thead><tr><th scope="col">${t('qreport.errorType')}</th><th scope="col" class="num">${t('qreport.count')}</th><th scope="col">${t('qreport.meaning')}</th></tr></thead>
<tbody>${counts.map(([type, count]) => {
    const error = sample.get(type) ?? { type };
    return html`<tr><th scope="row">${typeTitle(web, error)} <small><code class="nowrap">${type}</code></small></th><td class="num">${num(web, count)}</td><td>${typeHelp(web, error)}</td></tr>`;
  })}</tbody>
</table></div>`;
}

type Column = number | { skipped: number };

/** The columns shown: all of them, or for wide files the first and those near a bad cell (0-based). */
export function columnsShown(width: number, bad: number[]): Column[] {
  if (width <= ALL_COLUMNS_UP_TO) return Array.from({ length: width }, (_, i) => i);
  const keep = new Set([0]);
  for (const b of bad)
    for (let i = b - AROUND_BAD_CELL; i <= b + AROUND_BAD_CELL; i++) if (i >= 0 && i < width) keep.add(i);
  const out: Column[] = [];
  let last = -1;
  for (const i of [...keep].sort((a, b) => a - b)) {
    if (i > last + 1) out.push({ skipped: i - last - 1 });
    out.push(i);
    last = i;
  }
  if (last < width - 1) out.push({ skipped: width - 1 - last });
  return out;
}

function rowErrorsTable(web: WebState, labels: string[], rows: StoredError[]): SafeHtml {
  const { t } = web;
  if (!rows.length) return html``;
  const width = Math.max(
    labels.length,
    ...rows.map((e) => Math.max(e.cells?.length ?? 0, e.fieldNumber ?? 0)),
  );
  const columns = columnsShown(
    width,
    rows.flatMap((e) => (typeof e.fieldNumber === 'number' ? [e.fieldNumber - 1] : [])),
  );
  const heading = (i: number) => {
    if (i >= labels.length) return t('qreport.noLabel', { n: i + 1 });
    return labels[i] || t('qreport.column', { n: i + 1 });
  };
  const cell = (error: StoredError, i: number) => {
    const cells = error.cells ?? [];
    const value = i < cells.length ? cells[i]! : null;
    if (error.fieldNumber !== i + 1) return html`<td>${value === null ? '' : clip(value)}</td>`;
    // The bad cell: highlighted, framed and named, so colour is never the only sign.
    const shown =
      value === null
        ? html`<em>${t('qreport.missingCell')}</em>`
        : value === ''
          ? html`<em>${t('qreport.emptyCell')}</em>`
          : clip(value);
    return html`<td class="bad-cell"><mark><span class="visually-hidden">${t('qreport.errorCell')}: </span>${shown}</mark></td>`;
  };
  return html`<h3 id="rows-h">${t('qreport.rowErrors')}</h3>
<p>${t('qreport.rowErrorsHelp')}</p>
${width > ALL_COLUMNS_UP_TO ? html`<p>${t('qreport.window', { n: width })}</p>` : ''}
<div class="table-wrap" tabindex="0" role="region" aria-labelledby="rows-h"><table class="row-errors">
<caption class="visually-hidden">${t('qreport.rowErrors')}</caption>
<thead><tr><th scope="col">${t('qreport.row')}</th><th scope="col">${t('qreport.error')}</th>${columns.map(
    (c) =>
      typeof c === 'number'
        ? html`<th scope="col">${heading(c)}</th>`
        : html`<th scope="col"><span aria-hidden="true">…</span><span class="visually-hidden">${t('qreport.skipped', { n: c.skipped })}</span></th>`,
  )}</tr></thead>
<tbody>${rows.map(
    (e) =>
      html`<tr><th scope="row" class="num">${e.rowNumber}</th><td class="row-error"><strong>${typeTitle(web, e)}</strong>${
        e.message ? html`<br><small lang="en">${e.message}</small>` : ''
      }</td>${columns.map((c) => (typeof c === 'number' ? cell(e, c) : html`<td>…</td>`))}</tr>`,
  )}</tbody>
</table></div>`;
}

function errorList(web: WebState, id: string, title: string, errors: StoredError[]): SafeHtml {
  if (!errors.length) return html``;
  return html`<h3 id="${id}">${title}</h3>
<ul aria-labelledby="${id}">${errors.map(
    (e) =>
      html`<li><strong>${typeTitle(web, e)}</strong>${e.message ? html`: <span lang="en">${e.message}</span>` : ''}</li>`,
  )}</ul>`;
}

function fieldsTable(web: WebState, fields: FieldSummary[]): SafeHtml {
  const { t } = web;
  if (!fields.length) return html``;
  return html`<h3 id="fields-h">${t('qreport.fields')}</h3>
<div class="table-wrap" tabindex="0" role="region" aria-labelledby="fields-h"><table class="field-summary">
<caption class="visually-hidden">${t('qreport.fields')}</caption>
<thead><tr>
<th scope="col">${t('qreport.field.name')}</th><th scope="col">${t('qreport.field.type')}</th>
<th scope="col" class="num">${t('qreport.field.nulls')}</th><th scope="col" class="num">${t('qreport.field.distinct')}</th>
<th scope="col">${t('qreport.field.min')}</th><th scope="col">${t('qreport.field.max')}</th>
<th scope="col" class="num">${t('qreport.field.typeErrors')}</th><th scope="col">${t('qreport.field.topTypeErrors')}</th>
</tr></thead>
<tbody>${fields.map(
    (f) => html`<tr><th scope="row">${f.name}</th><td><code>${f.type ?? ''}</code></td>
<td class="num">${num(web, f.nulls)}</td><td class="num">${typeof f.distinct === 'number' ? `≈ ${num(web, f.distinct)}` : '—'}</td>
<td>${f.min === undefined ? '—' : clip(f.min)}</td><td>${f.max === undefined ? '—' : clip(f.max)}</td>
<td class="num">${num(web, f.typeErrors)}</td>
<td>${f.topTypeErrors?.length ? html`<ul class="plain">${f.topTypeErrors.map((b) => html`<li><code>${clip(b.cell)}</code> (${t('qreport.times', { n: num(web, b.count) })})</li>`)}</ul>` : '—'}</td></tr>`,
  )}</tbody>
</table></div>`;
}

function validitySection(web: WebState, v: Validity): SafeHtml {
  const { t } = web;
  if (v.status === 'not_checked' || v.status === 'not_tabular')
    return html`<p>${t(`qreport.validity.${v.status}`)}</p>`;
  const errors = v.errors ?? [];
  // Row errors carry the whole row: they get the table; header and file errors a list each.
  const rows = errors.filter((e) => typeof e.rowNumber === 'number' && Array.isArray(e.cells));
  const others = errors.filter((e) => !rows.includes(e));
  const header = others.filter((e) => e.tags?.includes('#header') || Array.isArray(e.labels));
  const file = others.filter((e) => !header.includes(e));
  const total = v.errorCount ?? errors.length;
  // A 304 reuses the last validity: its counts are here, its errors on the report that read the file.
  const reused = v.reusedFrom
    ? html`<p>${t('qreport.reused')} <a href="/informes/${v.reusedFrom}">${t('qreport.reusedLink')}</a></p>`
    : null;
  return html`${reused ?? fileFacts(web, v)}
${total === 0 ? html`<p class="notice ok">${t('qreport.valid')}</p>` : ''}
${errorsByType(web, v, errors)}
${total > errors.length && !reused ? html`<p class="notice warn">${t('qreport.kept', { kept: num(web, errors.length), total: num(web, total) })}</p>` : ''}
${rowErrorsTable(web, v.labels ?? [], rows)}
${errorList(web, 'header-errors-h', t('qreport.headerErrors'), header)}
${errorList(web, 'file-errors-h', t('qreport.fileErrors'), file)}
${fieldsTable(web, v.fields ?? [])}`;
}

/** The public quality report viewer: /informes/:id, and /informes/:id.json to download it. */
export function qualityReportPages(deps: AppDeps): Router {
  const router = new Router();
  const models = registerModels(deps.connection);
  router.get(
    '/informes/:id',
    page(async (ctx: WebContext) => {
      const param = ctx.params.id ?? '';
      const download = param.endsWith('.json');
      const report = await findPublicReport(models, download ? param.slice(0, -'.json'.length) : param);
      if (!report) throw pageNotFound();
      if (download) {
        // The API's body, as a file; public data, so shared caches may keep it like a public page.
        ctx.attachment(`${report._id}.json`);
        ctx.set('Cache-Control', ctx.response.get('Set-Cookie') ? 'no-store' : 'public, max-age=60');
        ctx.body = presentReport(report);
        return;
      }
      const web = ctx.state.web;
      const { t } = web;
      const dataset = await commandsOf(ctx).datasets.find(String(report.datasetId));
      const resource = dataset?.resources?.find((r) => r._id === report.resourceId);
      const resourceName = resource?.name || report.resourceId;
      const validity = report.validity as Validity;
      const url = report.url && /^https?:\/\//i.test(report.url) ? report.url : null;
      sendPage(ctx, {
        cache: 'public',
        title: t('qreport.title', { resource: resourceName }),
        main: html`<p><small>${t('qreport.kicker')}</small></p>
<h1>${t('qreport.title', { resource: resourceName })}</h1>
<dl class="meta">
<dt>${t('qreport.dataset')}</dt><dd>${dataset ? html`<a href="/datos/${dataset.slug}">${dataset.title}</a>` : String(report.datasetId)}</dd>
<dt>${t('qreport.resource')}</dt><dd>${resourceName}${resource?.format ? ` (${resource.format})` : ''}</dd>
<dt>${t('qreport.checkedAt')}</dt><dd>${time(web, report.checkedAt)}</dd>
${url ? html`<dt>${t('qreport.url')}</dt><dd class="qreport-url"><a href="${url}" rel="nofollow noopener">${url}</a></dd>` : ''}
<dt>${t('qreport.duration')}</dt><dd>${t('qreport.durationMs', { ms: num(web, report.durationMs) })}</dd>
</dl>
${report.skipped === 'not_modified' ? html`<p>${t('qreport.notModified')}</p>` : ''}
<p><a class="button secondary" href="/informes/${report._id}.json" download>${t('qreport.download')}</a></p>
${familiesTable(web, report)}
<section aria-labelledby="validity-h">
<h2 id="validity-h">${t('qreport.family.validity')}</h2>
${validitySection(web, validity)}
</section>`,
      });
    }),
  );
  return router;
}
