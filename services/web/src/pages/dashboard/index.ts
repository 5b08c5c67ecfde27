import Router from '@koa/router';
import { calendarFor, effectiveCalendars, figuresReader, type StaffPrincipal } from '@quipu/commands';
import { ticketLabel } from '@quipu/core/tickets';
import { type AgeRow, type BreachRow, lateByMs, NO_TEAM, type TeamRow, teamTable } from '@quipu/db';
import type { AppDeps } from '@quipu/http';
import { barChart, toCsv } from '../../chart.ts';
import { formatDate } from '../../format.ts';
import { page } from '../../handler.ts';
import { attr, html } from '../../html.ts';
import type { MessageKey, Translate } from '../../i18n/index.ts';
import { sendPage } from '../../layout.ts';
import { commandsOf, type WebContext } from '../../web-context.ts';
import { requireStaffPage } from '../desk/staff.ts';
import { figuresAvailable } from '../figures-unavailable.ts';
import { panelUrl, readFilters, weeksOf } from './filters.ts';

/** Rows of the breaches list: a page a manager can read, and a CSV that still opens quickly. */
const BREACHES_ON_PAGE = 100;
const BREACHES_IN_CSV = 5000;
const TABLES = [
  'levels',
  'weekly',
  'age',
  'sla',
  'breaches',
  'organisations',
  'teams',
  'officers',
  'demand',
  'demand-organisations',
] as const;
type Table = (typeof TABLES)[number];
type Cell = string | number | null;

function sendCsv(ctx: WebContext, name: string, rows: Cell[][]) {
  ctx.type = 'text/csv; charset=utf-8';
  ctx.set('Content-Disposition', `attachment; filename="quipu-${name}.csv"`);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = toCsv(rows);
}

function targetLabel(t: Translate, target: string): string {
  const key = `panel.target.${target}` as MessageKey;
  const text = t(key);
  return text === key ? target : text;
}

/** The manager's dashboard: figures of what the signed-in person may see (their scope), filtered. */
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
      const figures = figuresReader(commands);
      const freshness = await figuresAvailable(() => figures.freshness());
      const now = commands.now();
      // What the viewer may pick from (and the names the tables show): their scope only.
      const organisations = await commands.directory.listOrganisations(principal.scope);
      const filters = await readFilters(ctx, commands, principal, organisations, now);
      const { view, from, to } = filters;
      const chosenOrganisation = view.organisationId;
      const [teams, people] = await Promise.all([
        commands.directory.listTeams(principal.scope, chosenOrganisation),
        commands.directory.listUsers(
          principal.scope,
          chosenOrganisation ? { organisationId: chosenOrganisation } : {},
        ),
      ]);
      const names = new Map(organisations.map((o) => [String(o._id), o.name]));
      const teamNames = new Map(teams.map((team) => [String(team._id), team.name]));
      const userNames = async (ids: Array<string | null>) =>
        new Map(
          (await commands.directory.findUsers(ids.filter((id): id is string => Boolean(id)))).map((u) => [
            String(u._id),
            u.name,
          ]),
        );
      const lateHours = async (rows: BreachRow[]) => {
        const calendars = await effectiveCalendars(commands);
        return rows.map(
          (row) => lateByMs(row, calendarFor(calendars, commands, row.calendarId), now) / 3_600_000,
        );
      };
      const load = {
        levels: () => figures.serviceLevels(view, from, to),
        weekly: () => figures.weekly(view, weeksOf(from, to, now, timeZone), from, to),
        age: () => figures.backlogByAge(view, now),
        sla: () => figures.slaBreaches(view, from, to),
        breaches: (cap: number) => figures.breaches(view, from, to, cap),
        organisations: () => figures.byOrganisation(view, from, to),
        teams: async () => teamTable(teams, await figures.byTeam(view, from, to), view),
        officers: () => figures.byOfficer(view, from, to),
        demand: () => figures.topRequests(view),
        demandOrganisations: () => figures.demandByOrganisation(view),
      };
      const iso = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(d);
      const teamName = (row: Pick<TeamRow, 'teamId' | 'name'>) =>
        row.teamId === NO_TEAM ? t('panel.noTeam') : (row.name ?? t('panel.unknownTeam'));
      const hoursOf = (ms: number | null) => (ms === null ? null : ms / 3_600_000);

      const table: Table =
        typeof ctx.query.table === 'string' && (TABLES as readonly string[]).includes(ctx.query.table)
          ? (ctx.query.table as Table)
          : 'weekly';
      if (ctx.query.format === 'csv') {
        // Only the figures of the table asked for; the same filters and range as the page.
        const csv: Record<Table, () => Promise<[string, Cell[][]]>> = {
          weekly: async () => [
            'weekly',
            [
              ['week_start', 'received', 'resolved'],
              ...(await load.weekly()).map((w) => [iso(w.weekStart), w.received, w.resolved]),
            ],
          ],
          age: async () => [
            'backlog-by-age',
            [['age_days', 'open'], ...(await load.age()).map((a) => [a.bucket, a.open])],
          ],
          levels: async () => {
            const levels = await load.levels();
            return [
              'service-levels',
              [
                ['target', 'compliance', 'decided', 'median_business_hours', 'p90_business_hours'],
                ...(['firstResponse', 'resolution'] as const).map((k) => [
                  k,
                  levels[k].compliance,
                  levels[k].decided,
                  hoursOf(levels[k].median),
                  hoursOf(levels[k].p90),
                ]),
                ['reopen_rate', levels.reopenRate, null, null, null],
                ['satisfaction', levels.satisfaction, levels.answered, null, null],
              ],
            ];
          },
          sla: async () => {
            const sla = await load.sla();
            return [
              'sla-breaches',
              [
                ['measure', 'tickets'],
                ['any_breached', sla.any],
                ['open_breached', sla.openBreached],
                ['first_response_breached', sla.firstResponse],
                ['resolution_breached', sla.resolution],
              ],
            ];
          },
          breaches: async () => {
            const list = await load.breaches(BREACHES_IN_CSV);
            const [assignees, late] = await Promise.all([
              userNames(list.rows.map((r) => r.assigneeId)),
              lateHours(list.rows),
            ]);
            return [
              'breaches',
              [
                [
                  'ref',
                  'title',
                  'organisation',
                  'team',
                  'assignee',
                  'status',
                  'target',
                  'due_at',
                  'breached_at',
                  'late_business_hours',
                ],
                ...list.rows.map((r, i) => [
                  r.ref,
                  r.title,
                  names.get(r.organisationId) ?? r.organisationId,
                  r.teamId ? (teamNames.get(r.teamId) ?? r.teamId) : null,
                  r.assigneeId ? (assignees.get(r.assigneeId) ?? r.assigneeId) : null,
                  r.status,
                  r.target,
                  r.dueAt.toISOString(),
                  r.breachedAt.toISOString(),
                  Math.round(late[i]! * 10) / 10,
                ]),
              ],
            ];
          },
          organisations: async () => [
            'by-organisation',
            [
              ['organisation', 'received', 'open', 'resolved', 'sla_breached'],
              ...(await load.organisations()).map((o) => [
                names.get(o.organisationId) ?? o.organisationId,
                o.received,
                o.open,
                o.resolved,
                o.breached,
              ]),
            ],
          ],
          teams: async () => [
            'by-team',
            [
              ['team', 'organisation', 'received', 'open', 'resolved', 'sla_breached'],
              ...(await load.teams()).map((row) => [
                teamName(row),
                row.organisationId ? (names.get(row.organisationId) ?? row.organisationId) : null,
                row.received,
                row.open,
                row.resolved,
                row.breached,
              ]),
            ],
          ],
          officers: async () => {
            const byOfficer = await load.officers();
            const assignees = await userNames(byOfficer.map((o) => o.userId));
            return [
              'by-officer',
              [
                ['officer', 'assigned', 'open', 'resolved', 'sla_breached'],
                ...byOfficer.map((o) => [
                  assignees.get(o.userId) ?? o.userId,
                  o.assigned,
                  o.open,
                  o.resolved,
                  o.breached,
                ]),
              ],
            ];
          },
          demand: async () => [
            'data-demand',
            [
              ['ref', 'title', 'supporters', 'organisation'],
              ...(await load.demand()).map((d) => [
                d.ref,
                d.title,
                d.supportersCount ?? 0,
                names.get(String(d.organisationId)) ?? String(d.organisationId),
              ]),
            ],
          ],
          'demand-organisations': async () => [
            'data-demand-by-organisation',
            [
              ['organisation', 'open_requests', 'supporters'],
              ...(await load.demandOrganisations()).map((d) => [
                names.get(d.organisationId) ?? d.organisationId,
                d.requests,
                d.supporters,
              ]),
            ],
          ],
        };
        const [name, rows] = await csv[table]();
        return sendCsv(ctx, name, rows);
      }

      const [weekly, ages, sla, breaches, byOrg, byTeam, levels, byOfficer, demand, demandByOrg] =
        await Promise.all([
          load.weekly(),
          load.age(),
          load.sla(),
          load.breaches(BREACHES_ON_PAGE),
          load.organisations(),
          load.teams(),
          load.levels(),
          load.officers(),
          load.demand(),
          load.demandOrganisations(),
        ]);
      const [officers, late] = await Promise.all([
        userNames([...byOfficer.map((o) => o.userId), ...breaches.rows.map((r) => r.assigneeId)]),
        lateHours(breaches.rows),
      ]);
      const pct = (x: number | null) =>
        x === null ? t('dashboard.levels.none') : `${(x * 100).toFixed(1)} %`;
      const hours = (ms: number | null) =>
        ms === null ? t('dashboard.levels.none') : (ms / 3_600_000).toFixed(1);
      const day = (d: Date) => formatDate(d, locale, timeZone, 'date');
      const ageLabel = (bucket: AgeRow['bucket']) => t(`dashboard.age.${bucket}` as MessageKey);
      const csv = (name: Table) =>
        html`<p><a href="${panelUrl(filters, { format: 'csv', table: name })}" download>${t('common.downloadCsv')}</a></p>`;
      const several = organisations.length > 1;
      const active = [
        filters.organisation ? `${t('panel.organisation')}: ${filters.organisation.name}` : '',
        filters.team ? `${t('panel.team')}: ${filters.team.name}` : '',
        filters.officer ? `${t('panel.officer')}: ${filters.officer.name}` : '',
      ].filter(Boolean);
      const option = (value: string, label: string, chosen: string | undefined) =>
        html`<option value="${value}"${attr('selected', value === (chosen ?? ''))}>${label}</option>`;

      sendPage(ctx, {
        current: '/mesa/panel',
        title: t('dashboard.title'),
        main: html`<h1>${t('dashboard.title')}</h1>
<p class="lead">${t('dashboard.lead')}</p>
${filters.problems.map((p) => html`<p class="notice warn" role="status">${p}</p>`)}
${freshness.stale ? html`<p class="notice warn" role="status">${t('dashboard.recounting')}</p>` : ''}
<form method="get" action="/mesa/panel" class="filters panel-filters">
<fieldset><legend>${t('dashboard.range')}</legend>
<label for="desde">${t('dashboard.from')}</label> <input type="date" id="desde" name="desde" value="${filters.fromDay}">
<label for="hasta">${t('dashboard.to')}</label> <input type="date" id="hasta" name="hasta" value="${filters.toDay}">
</fieldset>
<fieldset><legend>${t('panel.filters')}</legend>
<div class="row">
<div class="field"><label for="institucion">${t('panel.organisation')}</label>
<select id="institucion" name="institucion">${option('', t('panel.allOrganisations'), view.organisationId)}${organisations.map((o) => option(String(o._id), o.name, view.organisationId))}</select></div>
<div class="field"><label for="equipo">${t('panel.team')}</label>
<select id="equipo" name="equipo">${option('', t('panel.allTeams'), view.teamId)}${teams.map((team) =>
          option(
            String(team._id),
            several && !chosenOrganisation
              ? `${team.name} — ${names.get(String(team.organisationId)) ?? ''}`
              : team.name,
            view.teamId,
          ),
        )}</select></div>
<div class="field"><label for="persona">${t('panel.officer')}</label>
<select id="persona" name="persona">${option('', t('panel.allOfficers'), view.assigneeId)}${people
          .filter((u) => (u.organisationIds ?? []).length > 0)
          .map((u) => option(String(u._id), u.name, view.assigneeId))}</select></div>
</div>
</fieldset>
<button type="submit">${t('dashboard.apply')}</button>
</form>
${active.length ? html`<p class="panel-active">${t('panel.active', { filters: active.join(' · ') })}</p>` : ''}
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
<thead><tr><th scope="col">${t('panel.sla.measure')}</th><th scope="col" class="num">${t('panel.sla.tickets')}</th></tr></thead>
<tbody>
<tr><th scope="row">${t('dashboard.sla.any')}</th><td class="num">${sla.any}</td></tr>
<tr><th scope="row">${t('dashboard.sla.openBreached')}</th><td class="num">${sla.openBreached}</td></tr>
<tr><th scope="row">${t('dashboard.sla.firstResponse')}</th><td class="num">${sla.firstResponse}</td></tr>
<tr><th scope="row">${t('dashboard.sla.resolution')}</th><td class="num">${sla.resolution}</td></tr>
</tbody>
</table></div>
${csv('sla')}
</section>
<section aria-labelledby="breaches-h">
<h2 id="breaches-h">${t('panel.breaches')}</h2>
<p>${t('panel.breaches.lead')}</p>
${
  breaches.rows.length === 0
    ? html`<p id="breaches-none">${t('panel.breaches.none')}</p>`
    : html`${
        breaches.truncated
          ? html`<p class="notice" id="breaches-capped">${t('panel.breaches.capped', {
              shown: breaches.rows.length,
              open: breaches.openTickets,
              closed: breaches.closedTickets,
              csvCap: BREACHES_IN_CSV,
            })}</p>`
          : ''
      }<div class="table-wrap"><table id="breaches-table">
<caption class="visually-hidden">${t('panel.breaches')}</caption>
<thead><tr><th scope="col">${t('panel.breaches.ticket')}</th><th scope="col">${t('panel.breaches.title')}</th><th scope="col">${t('transparency.institution')}</th><th scope="col">${t('panel.team')}</th><th scope="col">${t('panel.officer')}</th><th scope="col">${t('panel.breaches.status')}</th><th scope="col">${t('panel.breaches.target')}</th><th scope="col">${t('panel.breaches.due')}</th><th scope="col" class="num">${t('panel.breaches.late')}</th></tr></thead>
<tbody>${breaches.rows.map(
        (r, i) =>
          html`<tr><th scope="row" class="nowrap"><a href="/mesa/tickets/${r.ref}">${r.ref}</a></th><td>${r.title}</td><td>${names.get(r.organisationId) ?? ''}</td><td>${r.teamId ? (teamNames.get(r.teamId) ?? t('panel.unknownTeam')) : t('panel.noTeam')}</td><td>${r.assigneeId ? (officers.get(r.assigneeId) ?? '') : t('panel.breaches.unassigned')}</td><td>${ticketLabel(locale, 'status', r.status)}</td><td>${targetLabel(t, r.target)}</td><td><time datetime="${r.dueAt.toISOString()}">${formatDate(r.dueAt, locale, timeZone)}</time></td><td class="num">${late[i]!.toFixed(1)}</td></tr>`,
      )}</tbody>
</table></div>`
}
${csv('breaches')}
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
<section aria-labelledby="teams-h">
<h2 id="teams-h">${t('panel.byTeam')}</h2>
<div class="table-wrap"><table id="teams-table">
<caption class="visually-hidden">${t('panel.byTeam')}</caption>
<thead><tr><th scope="col">${t('panel.team')}</th><th scope="col">${t('transparency.institution')}</th><th scope="col" class="num">${t('dashboard.received')}</th><th scope="col" class="num">${t('dashboard.open')}</th><th scope="col" class="num">${t('dashboard.resolved')}</th><th scope="col" class="num">${t('dashboard.sla.any')}</th></tr></thead>
<tbody>${byTeam.map((row) => html`<tr><th scope="row">${teamName(row)}</th><td>${row.organisationId ? (names.get(row.organisationId) ?? '') : ''}</td><td class="num">${row.received}</td><td class="num">${row.open}</td><td class="num">${row.resolved}</td><td class="num">${row.breached}</td></tr>`)}</tbody>
</table></div>
${csv('teams')}
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
</section>
<section aria-labelledby="demand-org-h">
<h2 id="demand-org-h">${t('panel.demandByOrganisation')}</h2>
<div class="table-wrap"><table id="demand-organisations-table">
<caption class="visually-hidden">${t('panel.demandByOrganisation')}</caption>
<thead><tr><th scope="col">${t('transparency.institution')}</th><th scope="col" class="num">${t('panel.demand.requests')}</th><th scope="col" class="num">${t('panel.demand.supporters')}</th></tr></thead>
<tbody>${demandByOrg.map((d) => html`<tr><th scope="row">${names.get(d.organisationId) ?? d.organisationId}</th><td class="num">${d.requests}</td><td class="num">${d.supporters}</td></tr>`)}</tbody>
</table></div>
${csv('demand-organisations')}
</section>`,
      });
    }),
  );
  return router;
}
