import Router from '@koa/router';
import { figuresReader } from '@quipu/commands';
import type { AppDeps } from '@quipu/http';
import { toCsv } from '../chart.ts';
import { formatNumber } from '../format.ts';
import { page } from '../handler.ts';
import { html } from '../html.ts';
import { sendPage } from '../layout.ts';
import { commandsOf, type WebContext } from '../web-context.ts';
import { figuresAvailable } from './figures-unavailable.ts';

/** Medians from fewer cases than this say more about chance than about the institution. */
export const MIN_SAMPLE = 10;
const HOUR_MS = 3_600_000;

/** The published figures, as a Frictionless Table Schema (the CSV and JSON follow it). */
export const TRANSPARENCY_SCHEMA = {
  fields: [
    { name: 'organisation', title: 'Institución', type: 'string', constraints: { required: true } },
    {
      name: 'organisation_slug',
      title: 'Identificador de la institución',
      type: 'string',
      constraints: { required: true, unique: true },
    },
    {
      name: 'received',
      title: 'Reclamos y solicitudes recibidos',
      type: 'integer',
      constraints: { required: true, minimum: 0 },
    },
    {
      name: 'resolved',
      title: 'Resueltos al menos una vez',
      type: 'integer',
      constraints: { required: true, minimum: 0 },
    },
    {
      name: 'first_response_sample',
      title: 'Casos con primera respuesta',
      type: 'integer',
      constraints: { minimum: 0 },
    },
    {
      name: 'median_first_response_hours',
      title: 'Mediana de primera respuesta (horas del plazo)',
      description: `Vacío si hay menos de ${MIN_SAMPLE} casos.`,
      type: 'number',
      constraints: { minimum: 0 },
    },
    {
      name: 'resolution_sample',
      title: 'Casos resueltos con plazo medido',
      type: 'integer',
      constraints: { minimum: 0 },
    },
    {
      name: 'median_resolution_hours',
      title: 'Mediana de solución (horas del plazo)',
      description: `Vacío si hay menos de ${MIN_SAMPLE} casos.`,
      type: 'number',
      constraints: { minimum: 0 },
    },
    {
      name: 'deadline_decided',
      title: 'Casos con plazo legal cumplido o vencido',
      type: 'integer',
      constraints: { required: true, minimum: 0 },
    },
    {
      name: 'deadline_compliance_pct',
      title: 'Cumplimiento del plazo legal (%)',
      description: `Resueltos dentro del plazo de su régimen entre los casos con plazo cumplido o vencido. Vacío si hay menos de ${MIN_SAMPLE} casos.`,
      type: 'number',
      constraints: { minimum: 0, maximum: 100 },
    },
    {
      name: 'data_requests',
      title: 'Solicitudes de datos recibidas',
      type: 'integer',
      constraints: { required: true, minimum: 0 },
    },
    {
      name: 'data_requests_fulfilled',
      title: 'Solicitudes de datos atendidas con un conjunto publicado',
      type: 'integer',
      constraints: { required: true, minimum: 0 },
    },
  ],
  primaryKey: ['organisation_slug'],
  missingValues: [''],
} as const;

interface Row {
  organisation: string;
  organisation_slug: string;
  received: number;
  resolved: number;
  first_response_sample: number;
  median_first_response_hours: number | null;
  resolution_sample: number;
  median_resolution_hours: number | null;
  deadline_decided: number;
  deadline_compliance_pct: number | null;
  data_requests: number;
  data_requests_fulfilled: number;
}

const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / HOUR_MS) * 10) / 10);

async function rows(ctx: WebContext): Promise<Row[]> {
  const commands = commandsOf(ctx);
  const [figures, organisations] = await Promise.all([
    figuresAvailable(() => figuresReader(commands).transparency(MIN_SAMPLE)),
    commands.directory.listOrganisations({ kind: 'everything' }),
  ]);
  const byId = new Map(organisations.map((o) => [String(o._id), o]));
  return figures
    .filter((f) => byId.has(f.organisationId))
    .map((f) => ({
      organisation: byId.get(f.organisationId)!.name,
      organisation_slug: byId.get(f.organisationId)!.slug,
      received: f.received,
      resolved: f.resolved,
      first_response_sample: f.firstResponse.n,
      median_first_response_hours: hours(f.firstResponse.median),
      resolution_sample: f.resolution.n,
      median_resolution_hours: hours(f.resolution.median),
      deadline_decided: f.deadline.decided,
      deadline_compliance_pct:
        f.deadline.compliance === null ? null : Math.round(f.deadline.compliance * 1000) / 10,
      data_requests: f.dataRequests,
      data_requests_fulfilled: f.dataRequestsFulfilled,
    }))
    .sort((a, b) => b.received - a.received || a.organisation.localeCompare(b.organisation));
}

/** Public figures per institution; no person appears in them (counts and medians only). */
export function transparencyPages(_deps: AppDeps): Router {
  const router = new Router();
  const open = (ctx: WebContext) => {
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cache-Control', 'public, max-age=300');
  };

  router.get(
    '/transparencia',
    page(async (ctx) => {
      const { t, locale } = ctx.state.web;
      const list = await rows(ctx);
      const median = (value: number | null) =>
        value === null
          ? html`<span class="hint-inline">${t('transparency.insufficient')}</span>`
          : formatNumber(value, locale, 1);
      sendPage(ctx, {
        cache: 'public',
        current: '/transparencia',
        title: t('transparency.title'),
        main: html`<h1>${t('transparency.title')}</h1>
<p class="lead">${t('transparency.lead', { min: MIN_SAMPLE })}</p>
${
  list.length
    ? html`<div class="table-wrap"><table>
<caption>${t('transparency.title')}</caption>
<thead><tr><th scope="col">${t('transparency.institution')}</th><th scope="col" class="num">${t('transparency.received')}</th><th scope="col" class="num">${t('transparency.resolved')}</th><th scope="col" class="num">${t('transparency.medianResponse')}</th><th scope="col" class="num">${t('transparency.medianResolution')}</th><th scope="col" class="num">${t('transparency.deadline')}</th><th scope="col" class="num">${t('transparency.requestsFulfilled')}</th></tr></thead>
<tbody>${list.map(
        (r) =>
          html`<tr><th scope="row">${r.organisation}</th><td class="num">${r.received}</td><td class="num">${r.resolved}</td><td class="num">${median(r.median_first_response_hours)}</td><td class="num">${median(r.median_resolution_hours)}</td><td class="num">${r.deadline_compliance_pct === null ? html`<span class="hint-inline">${t('transparency.insufficient')}</span>` : html`${formatNumber(r.deadline_compliance_pct, locale, 1)} %<br><small>${t('transparency.ofCases', { n: r.deadline_decided })}</small>`}</td><td class="num">${r.data_requests_fulfilled} / ${r.data_requests}</td></tr>`,
      )}</tbody>
</table></div>`
    : html`<p>${t('transparency.empty')}</p>`
}
<ul>
<li><a href="/transparencia.csv">${t('common.downloadCsv')}</a></li>
<li><a href="/transparencia.json">${t('common.downloadJson')}</a></li>
<li><a href="/transparencia.schema.json">${t('common.schema')}</a></li>
</ul>`,
      });
    }),
  );

  router.get(
    '/transparencia.csv',
    page(async (ctx) => {
      const list = await rows(ctx);
      const names = TRANSPARENCY_SCHEMA.fields.map((f) => f.name);
      open(ctx);
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', 'attachment; filename="transparencia.csv"');
      ctx.set('Link', '</transparencia.schema.json>; rel="describedby"');
      ctx.body = toCsv([names, ...list.map((r) => names.map((n) => r[n as keyof Row]))]);
    }),
  );
  router.get(
    '/transparencia.json',
    page(async (ctx) => {
      open(ctx);
      ctx.set('Link', '</transparencia.schema.json>; rel="describedby"');
      ctx.body = await rows(ctx);
    }),
  );
  router.get(
    '/transparencia.schema.json',
    page((ctx) => {
      open(ctx);
      ctx.type = 'application/json';
      ctx.body = TRANSPARENCY_SCHEMA;
    }),
  );
  return router;
}
