import type { StaffPrincipal } from '@quipu/commands';
import { ALL_STATUSES, OPEN_STATUSES, TICKET_KINDS, ticketLabel } from '@quipu/core/tickets';
import type { TicketFilters } from '@quipu/db';
import { presentStaffSummary } from '@quipu/http';
import { input, select } from '../../forms.ts';
import { html, type SafeHtml } from '../../html.ts';
import type { MessageKey, Translate } from '../../i18n/index.ts';
import { assetUrls, sendPage } from '../../layout.ts';
import { categoryOf, kindLabel, type SlaView, statusBadge, time } from '../../ticket-parts.ts';
import { commandsOf, type WebContext } from '../../web-context.ts';
import { principalOf } from './staff.ts';

export const VIEWS = ['mine', 'team', 'unassigned', 'due_soon', 'breached', 'waiting'] as const;
type View = (typeof VIEWS)[number];
const SORTS = ['newest', 'oldest', 'most_supported'] as const;
const OPEN = [...OPEN_STATUSES];

function viewFilters(
  principal: StaffPrincipal,
  view: View | undefined,
  now: Date,
  base: TicketFilters,
): TicketFilters {
  const filters = { ...base };
  switch (view) {
    case 'mine':
      return { ...filters, assigneeId: principal.userId, status: filters.status ?? OPEN };
    case 'team':
      return principal.teamIds[0]
        ? { ...filters, teamId: principal.teamIds[0], status: filters.status ?? OPEN }
        : filters;
    case 'unassigned':
      return { ...filters, assigneeId: 'none', status: filters.status ?? OPEN };
    case 'due_soon':
      return {
        ...filters,
        dueBefore: new Date(now.getTime() + 2 * 86_400_000),
        status: filters.status ?? OPEN,
      };
    case 'breached':
      return { ...filters, breached: true, status: filters.status ?? OPEN };
    case 'waiting':
      return { ...filters, status: ['waiting_reporter'] };
    default:
      return filters;
  }
}

function nextDue(sla: SlaView | null): Date | string | null {
  const pending = (sla?.targets ?? []).filter((t) => t.dueAt && !t.metAt);
  return (
    pending.map((t) => t.dueAt!).sort((a, b) => new Date(a).getTime() - new Date(b).getTime())[0] ?? null
  );
}

/**
 * The keyboard shortcuts of assets/desk.js, listed for everyone (with or without JavaScript).
 * The `?` dialog shows the same list; it stays closed (hidden, inert) unless the script opens
 * it, and the script unhides the switch that turns the shortcuts off.
 */
export function shortcutsHelp(t: Translate): SafeHtml {
  const seq = (...keys: string[]) =>
    keys.map((k, i) => html`${i ? ` ${t('shortcuts.then')} ` : ''}<kbd>${k}</kbd>`);
  const entries: Array<[SafeHtml[] | SafeHtml, MessageKey]> = [
    [seq('j'), 'shortcuts.next'],
    [seq('k'), 'shortcuts.previous'],
    [html`<kbd>${t('shortcuts.keyEnter')}</kbd> / <kbd>o</kbd>`, 'shortcuts.open'],
    [seq('/'), 'shortcuts.search'],
    [seq('g', 'i'), 'shortcuts.goInbox'],
    [seq('g', 'm'), 'shortcuts.goMine'],
    [seq('g', 'u'), 'shortcuts.goUnassigned'],
    [seq('g', 'b'), 'shortcuts.goBreached'],
    [seq('g', 'p'), 'shortcuts.goDashboard'],
    [seq('?'), 'shortcuts.help'],
    [seq('r'), 'shortcuts.reply'],
    [seq('u'), 'shortcuts.back'],
  ];
  const list = html`<dl class="shortcuts-list">${entries.map(([keys, key]) => html`<dt>${keys}</dt><dd>${t(key)}</dd>`)}</dl>`;
  return html`<details class="shortcuts" id="shortcuts">
<summary>${t('shortcuts.title')}</summary>
<p>${t('shortcuts.intro')}</p>
<div class="check" hidden><input type="checkbox" id="shortcuts-on" checked><label for="shortcuts-on">${t('shortcuts.enable')}</label></div>
${list}
</details>
<dialog class="shortcuts-dialog" id="shortcuts-dialog" aria-labelledby="shortcuts-dialog-title">
<h2 id="shortcuts-dialog-title">${t('shortcuts.title')}</h2>
${list}
<form method="dialog"><button type="submit">${t('shortcuts.close')}</button></form>
</dialog>`;
}

export async function inbox(ctx: WebContext) {
  const web = ctx.state.web;
  const { t, locale } = web;
  const principal = principalOf(ctx);
  const commands = commandsOf(ctx);
  const q = ctx.query;
  const view = (VIEWS as readonly string[]).includes(String(q.vista)) ? (q.vista as View) : undefined;
  const status =
    typeof q.estado === 'string' && (ALL_STATUSES as readonly string[]).includes(q.estado)
      ? q.estado
      : undefined;
  const kind =
    typeof q.tipo === 'string' && (TICKET_KINDS as readonly string[]).includes(q.tipo) ? q.tipo : undefined;
  const sort = (SORTS as readonly string[]).includes(String(q.orden))
    ? (q.orden as (typeof SORTS)[number])
    : 'newest';
  const text = typeof q.q === 'string' && q.q.trim() ? q.q.trim().slice(0, 200) : undefined;
  const cursor = typeof q.desde === 'string' ? q.desde.slice(0, 500) : undefined;
  const filters = viewFilters(principal, view, commands.now(), {
    kind,
    status: status ? [status] : undefined,
    text,
  });
  const [pageOf, counts] = await Promise.all([
    commands.tickets.list(principal.scope, filters, { sort, cursor, limit: 25 }),
    commands.tickets.countByStatus(principal.scope, { ...filters, status: undefined }),
  ]);
  const items = pageOf.items.map(presentStaffSummary);
  const users = await commands.directory.findUsers([
    ...new Set(items.map((i) => i.assigneeId).filter((id): id is string => Boolean(id))),
  ]);
  const names = new Map(users.map((u) => [String(u._id), u.name]));
  const params = (extra: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({
      vista: view,
      tipo: kind,
      estado: status,
      q: text,
      orden: sort,
      ...extra,
    }))
      if (v) p.set(k, v);
    return `/mesa?${p.toString()}`;
  };
  const viewLink = (v: View | undefined, key: MessageKey) =>
    html`<li><a href="${v ? `/mesa?vista=${v}` : '/mesa'}"${v === view ? html` aria-current="page"` : ''}>${t(key)}</a></li>`;
  sendPage(ctx, {
    current: '/mesa',
    title: t('desk.title'),
    scripts: [assetUrls.deskJs],
    main: html`<h1>${t('desk.title')}</h1>
<p>${t('desk.signedInAs', { name: principal.name })}</p>
<nav aria-label="${t('desk.views')}"><ul class="tabs">
${viewLink(undefined, 'desk.view.all')}
${VIEWS.map((v) => viewLink(v, `desk.view.${v}` as MessageKey))}
</ul></nav>
<h2>${t('desk.countsTitle')}</h2>
<ul class="counts">${Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([s, n]) =>
          html`<li><a href="${params({ estado: s, desde: undefined })}"${s === status ? html` aria-current="true"` : ''}>${ticketLabel(locale, 'status', s)}</a>: <strong>${n}</strong></li>`,
      )}</ul>
<form method="get" action="/mesa" class="row" role="search">
${view ? html`<input type="hidden" name="vista" value="${view}">` : ''}
${input({ t, name: 'q', type: 'search', label: t('desk.search'), value: text, required: true })}
${select({ t, name: 'tipo', label: t('ticket.kind'), required: true, options: [{ value: '', label: t('desk.allKinds') }, ...TICKET_KINDS.map((k) => ({ value: k, label: ticketLabel(locale, 'kind', k) }))], value: kind ?? '' })}
${select({ t, name: 'estado', label: t('ticket.status'), required: true, options: [{ value: '', label: t('requests.allStatuses') }, ...ALL_STATUSES.map((s) => ({ value: s, label: ticketLabel(locale, 'status', s) }))], value: status ?? '' })}
${select({ t, name: 'orden', label: t('requests.sort'), required: true, options: SORTS.map((s) => ({ value: s, label: t(`requests.sort.${s}`) })), value: sort })}
<div class="field"><button type="submit" class="secondary">${t('common.search')}</button></div>
</form>
${
  items.length
    ? html`<div class="table-wrap"><table data-shortcuts="inbox">
<caption>${view ? t(`desk.view.${view}` as MessageKey) : t('desk.view.all')}</caption>
<thead><tr><th scope="col">${t('ticket.reference')}</th><th scope="col">${t('report.subject')}</th><th scope="col">${t('ticket.status')}</th><th scope="col">${t('desk.priority')}</th><th scope="col">${t('desk.assignee')}</th><th scope="col">${t('ticket.due')}</th><th scope="col">${t('ticket.created')}</th></tr></thead>
<tbody>${items.map((item) => {
        const due = nextDue(item.sla as SlaView | null);
        return html`<tr>
<td class="nowrap"><a href="/mesa/tickets/${item.ref}">${item.ref}</a></td>
<td>${item.title}<br><small>${kindLabel(web, item.kind)}${item.category ? html` · ${categoryOf(web, item.kind, item.category)}` : ''}</small></td>
<td>${statusBadge(web, item.status)}${item.sla?.breached ? html` <span class="badge danger">${t('ticket.slaBreached')}</span>` : ''}</td>
<td>${ticketLabel(locale, 'priority', item.priority ?? 'normal')}</td>
<td>${item.assigneeId ? (names.get(item.assigneeId) ?? '') : t('desk.unassigned')}</td>
<td>${due ? time(web, due) : ''}</td>
<td>${time(web, item.createdAt, 'date')}</td>
</tr>`;
      })}</tbody></table></div>`
    : html`<p>${t('desk.empty')}</p>`
}
<nav aria-label="${t('common.next')}">
${cursor ? html`<a href="${params({ desde: undefined })}">${t('common.first')}</a> ` : ''}
${pageOf.nextCursor ? html`<a href="${params({ desde: pageOf.nextCursor })}">${t('common.next')}</a>` : ''}
</nav>
${shortcutsHelp(t)}`,
  });
}
