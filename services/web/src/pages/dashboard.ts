import Router from '@koa/router';
import type { AppDeps } from '@quipu/api';
import type { StaffPrincipal } from '@quipu/commands';
import { barChart, toCsv } from '../chart.ts';
import { type AgeRow, figuresRepository, weekStarts } from '../figures.ts';
import { formatDate } from '../format.ts';
import { page } from '../handler.ts';
import { html } from '../html.ts';
import type { MessageKey } from '../i18n/index.ts';
import { sendPage } from '../layout.ts';
import { commandsOf, type WebContext } from '../web-context.ts';
import { requireStaffPage } from './desk.ts';

const WEEKS = 12;
const TABLES = ['weekly', 'age', 'organisations'] as const;

function sendCsv(ctx: WebContext, name: string, rows: Array<Array<string | number | null>>) {
  ctx.type = 'text/csv; charset=utf-8';
  ctx.set('Content-Disposition', `attachment; filename="quipu-${name}.csv"`);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = toCsv(rows);
}

/** The manager's dashboard: figures of what the signed-in person may see (their scope). */
export function dashboardPages(_deps: AppDeps): Router {
  const router = new Router();
  router.get(
    '/mesa/panel',
    requireStaffPage(),
    page(async (ctx) => {
      const web = ctx.state.web;
      const { t, locale, timeZone } = web;
      const principal = ctx.state.principal as StaffPrincipal;
      const commands = commandsOf(ctx);
      const figures = figuresRepository(commands.models);
      const now = commands.now();
      const [weekly, ages, sla, byOrg, organisations] = await Promise.all([
        figures.weekly(principal.scope, weekStarts(now, timeZone, WEEKS), now),
        figures.backlogByAge(principal.scope, now),
        figures.slaBreaches(principal.scope),
        figures.byOrganisation(principal.scope),
        commands.directory.listOrganisations({ kind: 'everything' }),
      ]);
      const names = new Map(organisations.map((o) => [String(o._id), o.name]));
      const day = (d: Date) => formatDate(d, locale, timeZone, 'date');
      const iso = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(d);
      const ageLabel = (bucket: AgeRow['bucket']) => t(`dashboard.age.${bucket}` as MessageKey);

      const table =
        typeof ctx.query.table === 'string' && (TABLES as readonly string[]).includes(ctx.query.table)
          ? ctx.query.table
          : 'weekly';
      if (ctx.query.format === 'csv') {
        if (table === 'weekly')
          return sendCsv(ctx, 'weekly', [
            ['week_start', 'received', 'resolved'],
            ...weekly.map((w) => [iso(w.weekStart), w.received, w.resolved]),
          ]);
        if (table === 'age')
          return sendCsv(ctx, 'backlog-by-age', [
            ['age_days', 'open'],
            ...ages.map((a) => [a.bucket, a.open]),
          ]);
        return sendCsv(ctx, 'by-organisation', [
          ['organisation', 'received', 'open', 'resolved', 'sla_breached'],
          ...byOrg.map((o) => [
            names.get(o.organisationId) ?? o.organisationId,
            o.received,
            o.open,
            o.resolved,
            o.breached,
          ]),
        ]);
      }

      const csv = (name: (typeof TABLES)[number]) =>
        html`<p><a href="/mesa/panel?format=csv&amp;table=${name}" download>${t('common.downloadCsv')}</a></p>`;
      sendPage(ctx, {
        current: '/mesa/panel',
        title: t('dashboard.title'),
        main: html`<h1>${t('dashboard.title')}</h1>
<p class="lead">${t('dashboard.lead')}</p>
<section aria-labelledby="weekly-h">
<h2 id="weekly-h">${t('dashboard.weekly')}</h2>
<ul class="legend"><li><span class="swatch a"></span>${t('dashboard.received')}</li><li><span class="swatch b"></span>${t('dashboard.resolved')}</li></ul>
${barChart({
  id: 'weekly-chart',
  title: t('dashboard.chartLabel', { title: t('dashboard.weekly') }),
  labels: weekly.map((w) =>
    formatDate(w.weekStart, locale, timeZone, 'date')
      .replace(/\s*\d{4}$/, '')
      .replace(/ de$/, ''),
  ),
  series: [
    { name: t('dashboard.received'), values: weekly.map((w) => w.received) },
    { name: t('dashboard.resolved'), values: weekly.map((w) => w.resolved) },
  ],
})}
<div class="table-wrap"><table id="weekly-table">
<caption class="visually-hidden">${t('dashboard.weekly')}</caption>
<thead><tr><th scope="col">${t('dashboard.week')}</th><th scope="col" class="num">${t('dashboard.received')}</th><th scope="col" class="num">${t('dashboard.resolved')}</th></tr></thead>
<tbody>${weekly.map((w) => html`<tr><th scope="row">${day(w.weekStart)}</th><td class="num">${w.received}</td><td class="num">${w.resolved}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">${t('common.total')}</th><td class="num">${weekly.reduce((a, w) => a + w.received, 0)}</td><td class="num">${weekly.reduce((a, w) => a + w.resolved, 0)}</td></tr></tfoot>
</table></div>
${csv('weekly')}
</section>
<section aria-labelledby="age-h">
<h2 id="age-h">${t('dashboard.backlog')}</h2>
${barChart({ id: 'age-chart', title: t('dashboard.chartLabel', { title: t('dashboard.backlog') }), labels: ages.map((a) => ageLabel(a.bucket)), series: [{ name: t('dashboard.open'), values: ages.map((a) => a.open) }] })}
<div class="table-wrap"><table id="age-table">
<caption class="visually-hidden">${t('dashboard.backlog')}</caption>
<thead><tr><th scope="col">${t('dashboard.age')}</th><th scope="col" class="num">${t('dashboard.open')}</th></tr></thead>
<tbody>${ages.map((a) => html`<tr><th scope="row">${ageLabel(a.bucket)}</th><td class="num">${a.open}</td></tr>`)}</tbody>
</table></div>
${csv('age')}
</section>
<section aria-labelledby="sla-h">
<h2 id="sla-h">${t('dashboard.sla')}</h2>
<div class="table-wrap"><table id="sla-table">
<caption class="visually-hidden">${t('dashboard.sla')}</caption>
<tbody>
<tr><th scope="row">${t('dashboard.sla.any')}</th><td class="num">${sla.any}</td></tr>
<tr><th scope="row">${t('dashboard.sla.openBreached')}</th><td class="num">${sla.openBreached}</td></tr>
<tr><th scope="row">${t('dashboard.sla.firstResponse')}</th><td class="num">${sla.firstResponse}</td></tr>
<tr><th scope="row">${t('dashboard.sla.resolution')}</th><td class="num">${sla.resolution}</td></tr>
</tbody>
</table></div>
</section>
<section aria-labelledby="org-h">
<h2 id="org-h">${t('dashboard.byOrganisation')}</h2>
<div class="table-wrap"><table id="organisations-table">
<caption class="visually-hidden">${t('dashboard.byOrganisation')}</caption>
<thead><tr><th scope="col">${t('transparency.institution')}</th><th scope="col" class="num">${t('dashboard.received')}</th><th scope="col" class="num">${t('dashboard.open')}</th><th scope="col" class="num">${t('dashboard.resolved')}</th><th scope="col" class="num">${t('dashboard.sla.any')}</th></tr></thead>
<tbody>${byOrg.map((o) => html`<tr><th scope="row">${names.get(o.organisationId) ?? o.organisationId}</th><td class="num">${o.received}</td><td class="num">${o.open}</td><td class="num">${o.resolved}</td><td class="num">${o.breached}</td></tr>`)}</tbody>
</table></div>
${csv('organisations')}
</section>`,
      });
    }),
  );
  return router;
}
