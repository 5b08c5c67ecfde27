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
const TABLES = ['weekly', 'age', 'organisations', 'levels', 'officers', 'demand'] as const;

/** Midnight of a calendar day in the portal's zone, as an instant. */
function startOfDay(day: string, timeZone: string): Date {
  const noonUtc = new Date(`${day}T12:00:00Z`);
  const offsetMs = noonUtc.getTime() - new Date(noonUtc.toLocaleString('en-US', { timeZone })).getTime();
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + Math.round(offsetMs / 60_000) * 60_000);
}

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
      // Date range for the service levels (default: the last 90 days), as calendar days in the portal's zone.
      const dayParam = (value: unknown) =>
        typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
      const iso = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(d);
      const fromDay = dayParam(ctx.query.desde) ?? iso(new Date(now.getTime() - 90 * 86_400_000));
      const toDay = dayParam(ctx.query.hasta) ?? iso(now);
      const from = startOfDay(fromDay, timeZone);
      const to = new Date(startOfDay(toDay, timeZone).getTime() + 86_400_000);
      const [weekly, ages, sla, byOrg, organisations, levels, byOfficer, demand] = await Promise.all([
        figures.weekly(principal.scope, weekStarts(now, timeZone, WEEKS), now),
        figures.backlogByAge(principal.scope, now),
        figures.slaBreaches(principal.scope),
        figures.byOrganisation(principal.scope),
        commands.directory.listOrganisations({ kind: 'everything' }),
        figures.serviceLevels(principal.scope, from, to),
        figures.byOfficer(principal.scope, from, to),
        figures.topRequests(principal.scope),
      ]);
      const officers = new Map(
        (await commands.directory.findUsers(byOfficer.map((o) => o.userId))).map((u) => [
          String(u._id),
          u.name,
        ]),
      );
      const pct = (x: number | null) =>
        x === null ? t('dashboard.levels.none') : `${(x * 100).toFixed(1)} %`;
      const hours = (ms: number | null) =>
        ms === null ? t('dashboard.levels.none') : (ms / 3_600_000).toFixed(1);
      const names = new Map(organisations.map((o) => [String(o._id), o.name]));
      const day = (d: Date) => formatDate(d, locale, timeZone, 'date');
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
        if (table === 'levels')
          return sendCsv(ctx, 'service-levels', [
            ['target', 'compliance', 'decided', 'median_business_hours', 'p90_business_hours'],
            ...(['firstResponse', 'resolution'] as const).map((k) => [
              k,
              levels[k].compliance,
              levels[k].decided,
              levels[k].median === null ? null : levels[k].median! / 3_600_000,
              levels[k].p90 === null ? null : levels[k].p90! / 3_600_000,
            ]),
            ['reopen_rate', levels.reopenRate, null, null, null],
            ['satisfaction', levels.satisfaction, levels.answered, null, null],
          ]);
        if (table === 'officers')
          return sendCsv(ctx, 'by-officer', [
            ['officer', 'assigned', 'open', 'resolved', 'sla_breached'],
            ...byOfficer.map((o) => [
              officers.get(o.userId) ?? o.userId,
              o.assigned,
              o.open,
              o.resolved,
              o.breached,
            ]),
          ]);
        if (table === 'demand')
          return sendCsv(ctx, 'data-demand', [
            ['ref', 'title', 'supporters', 'organisation'],
            ...demand.map((d) => [
              d.ref,
              d.title,
              d.supportersCount ?? 0,
              names.get(String(d.organisationId)) ?? String(d.organisationId),
            ]),
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
<form method="get" action="/mesa/panel" class="filters">
<fieldset><legend>${t('dashboard.range')}</legend>
<label for="desde">${t('dashboard.from')}</label> <input type="date" id="desde" name="desde" value="${fromDay}">
<label for="hasta">${t('dashboard.to')}</label> <input type="date" id="hasta" name="hasta" value="${toDay}">
<button type="submit">${t('dashboard.apply')}</button>
</fieldset>
</form>
<section aria-labelledby="levels-h">
<h2 id="levels-h">${t('dashboard.levels')}</h2>
<div class="table-wrap"><table id="levels-table">
<caption class="visually-hidden">${t('dashboard.levels')}</caption>
<thead><tr><th scope="col"></th><th scope="col" class="num">${t('dashboard.levels.compliance')}</th><th scope="col" class="num">${t('dashboard.levels.decided')}</th><th scope="col" class="num">${t('dashboard.levels.median')}</th><th scope="col" class="num">${t('dashboard.levels.p90')}</th></tr></thead>
<tbody>${(['firstResponse', 'resolution'] as const).map((k) => html`<tr><th scope="row">${t(`dashboard.levels.${k}` as MessageKey)}</th><td class="num">${pct(levels[k].compliance)}</td><td class="num">${levels[k].decided}</td><td class="num">${hours(levels[k].median)}</td><td class="num">${hours(levels[k].p90)}</td></tr>`)}
<tr><th scope="row">${t('dashboard.levels.reopen')}</th><td class="num">${pct(levels.reopenRate)}</td><td></td><td></td><td></td></tr>
<tr><th scope="row">${t('dashboard.levels.satisfaction')}</th><td class="num">${pct(levels.satisfaction)}</td><td class="num">${levels.answered}</td><td></td><td></td></tr>
</tbody></table></div>
${csv('levels')}
</section>
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
</section>
<section aria-labelledby="officers-h">
<h2 id="officers-h">${t('dashboard.byOfficer')}</h2>
<div class="table-wrap"><table id="officers-table">
<caption class="visually-hidden">${t('dashboard.byOfficer')}</caption>
<thead><tr><th scope="col">${t('dashboard.officer')}</th><th scope="col" class="num">${t('dashboard.assigned')}</th><th scope="col" class="num">${t('dashboard.open')}</th><th scope="col" class="num">${t('dashboard.resolved')}</th><th scope="col" class="num">${t('dashboard.sla.any')}</th></tr></thead>
<tbody>${byOfficer.map((o) => html`<tr><th scope="row">${officers.get(o.userId) ?? o.userId}</th><td class="num">${o.assigned}</td><td class="num">${o.open}</td><td class="num">${o.resolved}</td><td class="num">${o.breached}</td></tr>`)}</tbody>
</table></div>
${csv('officers')}
</section>
<section aria-labelledby="demand-h">
<h2 id="demand-h">${t('dashboard.demand')}</h2>
<div class="table-wrap"><table id="demand-table">
<caption class="visually-hidden">${t('dashboard.demand')}</caption>
<thead><tr><th scope="col">${t('dashboard.request')}</th><th scope="col">${t('transparency.institution')}</th><th scope="col" class="num">${t('dashboard.supporters')}</th></tr></thead>
<tbody>${demand.map((d) => html`<tr><th scope="row"><a href="/tickets/${d.ref}">${d.title}</a></th><td>${names.get(String(d.organisationId)) ?? ''}</td><td class="num">${d.supportersCount ?? 0}</td></tr>`)}</tbody>
</table></div>
${csv('demand')}
</section>`,
      });
    }),
  );
  return router;
}
