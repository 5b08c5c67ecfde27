import { randomBytes, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import {
  addComment,
  assignTicket,
  CommandError,
  editTicket,
  explainTicketSla,
  linkDataset,
  loadTicket,
  login,
  logout,
  mergeTickets,
  type StaffPrincipal,
  snapshotOf,
  transferTicket,
  transitionTicket,
} from '@quipu/commands';
import {
  ALL_STATUSES,
  availableActions,
  OPEN_STATUSES,
  PRIORITIES,
  TICKET_KINDS,
  ticketLabel,
} from '@quipu/core/tickets';
import { isObjectId, type TicketFilters } from '@quipu/db';
import {
  type AppDeps,
  checkCsrf,
  clearSessionCookie,
  presentStaffSummary,
  presentTicketForStaff,
  rateLimit,
  SESSION_COOKIE,
  setSessionCookie,
} from '@quipu/http';
import type { Middleware } from 'koa';
import { commandMessage } from '../command-messages.ts';
import { PageError } from '../errors.ts';
import { csrfField, errorSummary, type FieldErrors, formBody, input, select, textarea } from '../forms.ts';
import { page, seeOther } from '../handler.ts';
import { attr, html, type SafeHtml } from '../html.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';
import { assetUrls, sendPage } from '../layout.ts';
import {
  categoryOf,
  comments,
  kindLabel,
  type SlaView,
  slaExplanations,
  slaList,
  statusBadge,
  type TimelineEntry,
  time,
  timeline,
} from '../ticket-parts.ts';
import { commandsOf, type WebContext } from '../web-context.ts';

export const VIEWS = ['mine', 'team', 'unassigned', 'due_soon', 'breached', 'waiting'] as const;
type View = (typeof VIEWS)[number];
const SORTS = ['newest', 'oldest', 'most_supported'] as const;
const OPEN = [...OPEN_STATUSES];

/** Staff pages need a cookie session; a state-changing POST also needs the session's CSRF token. */
export function requireStaffPage(): Middleware {
  return async function requireStaffPageMiddleware(ctx, next) {
    const web = ctx as unknown as WebContext;
    if (!web.state.principal || web.state.via !== 'session') {
      if (ctx.method === 'GET' || ctx.method === 'HEAD') {
        seeOther(web, `/mesa/ingresar?volver=${encodeURIComponent(ctx.originalUrl)}`);
        return;
      }
      throw new PageError(401, 'error.unauthenticated');
    }
    if (ctx.method === 'POST') checkCsrf(ctx);
    await next();
  };
}

function principalOf(ctx: WebContext): StaffPrincipal {
  return ctx.state.principal!;
}

/** Where to go after signing in: only our own desk pages (no open redirect). */
function safeReturn(value: unknown): string {
  return typeof value === 'string' && /^\/mesa(?:[/?]|$)/.test(value) && !value.startsWith('//')
    ? value
    : '/mesa';
}

const LOGIN_COOKIE = 'quipu_login';

/**
 * Login CSRF (someone signing a victim into the attacker's account): the form carries a
 * random token that must match a cookie only this site can set (double submit).
 */
function loginToken(ctx: WebContext): string {
  const token = randomBytes(18).toString('base64url');
  ctx.cookies.set(LOGIN_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/mesa/ingresar',
    maxAge: 3_600_000,
    overwrite: true,
  });
  return token;
}

function loginTokenMatches(ctx: WebContext, sent: string | undefined): boolean {
  const kept = ctx.cookies.get(LOGIN_COOKIE);
  if (!kept || !sent || kept.length !== sent.length) return false;
  return timingSafeEqual(Buffer.from(kept), Buffer.from(sent));
}

function loginPage(
  ctx: WebContext,
  values: { email?: string; volver?: string },
  failed: boolean,
  status = 200,
) {
  const { t } = ctx.state.web;
  const token = loginToken(ctx);
  const errors: FieldErrors = failed ? { email: t('login.failed') } : {};
  sendPage(ctx, {
    status,
    title: t('login.title'),
    main: html`<h1>${t('login.title')}</h1>
${errorSummary(errors, t)}
<form method="post" action="/mesa/ingresar" class="stack">
<input type="hidden" name="_csrf" value="${token}">
<input type="hidden" name="volver" value="${safeReturn(values.volver)}">
${input({ t, name: 'email', type: 'email', label: t('login.email'), value: values.email, error: errors.email, required: true, autocomplete: 'username' })}
${input({ t, name: 'password', type: 'password', label: t('login.password'), required: true, autocomplete: 'current-password' })}
<button type="submit">${t('login.submit')}</button>
</form>`,
  });
}

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
function shortcutsHelp(t: Translate): SafeHtml {
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

async function inbox(ctx: WebContext) {
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

/** The id of the input a form's field error points at (forms on this page share field names). */
function summaryId(form: string | undefined, field: string): string {
  if (form?.startsWith('transition:')) return `${form.slice(11)}-${field}`;
  if (form === 'merge') return 'merge-into';
  if (form === 'transfer') return `transfer-${field}`;
  if (form === 'link') return 'link-dataset';
  return field;
}

interface FormState {
  /** Which form the errors belong to, e.g. `transition:resolve`, `comment`, `assign`, `priority`. */
  form?: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
  problem?: string;
}

const DONE: Record<string, MessageKey> = {
  comentario: 'desk.ticket.done.comment',
  estado: 'desk.ticket.done.transition',
  asignacion: 'desk.ticket.done.assign',
  prioridad: 'desk.ticket.done.priority',
  duplicado: 'desk.ticket.done.merge',
  derivado: 'desk.ticket.done.transfer',
  vinculado: 'desk.ticket.done.link',
};

function transitionForm(
  ctx: WebContext,
  ref: string,
  action: { action: string; requires: readonly string[] },
  state: FormState,
): SafeHtml {
  const { t, locale } = ctx.state.web;
  const mine = state.form === `transition:${action.action}`;
  const errors = mine ? (state.errors ?? {}) : {};
  const values = mine ? (state.values ?? {}) : {};
  const id = (field: string) => `${action.action}-${field}`;
  const fields = action.requires.map((field) => {
    const label = ticketLabel(locale, 'field', field);
    const common = {
      t,
      id: id(field),
      name: field,
      label,
      value: values[field],
      error: errors[field],
      required: true,
    };
    if (field === 'expectedDate') return input({ ...common, type: 'date' });
    if (field === 'datasetId') return input({ ...common, maxlength: 200 });
    return textarea({ ...common, rows: 3, maxlength: 5000 });
  });
  return html`<form method="post" action="/mesa/tickets/${ref}/transiciones" class="card stack" novalidate>
${csrfField(ctx.state.csrfToken)}
<input type="hidden" name="action" value="${action.action}">
${fields}
<button type="submit"${action.requires.length ? '' : html` class="secondary"`}>${ticketLabel(locale, 'action', action.action)}</button>
</form>`;
}

async function ticketPage(ctx: WebContext, state: FormState = {}, status = 200) {
  const web = ctx.state.web;
  const { t, locale } = web;
  const principal = principalOf(ctx);
  const commands = commandsOf(ctx);
  const record = await loadTicket(commands, principal, ctx.params.ref ?? '');
  const ticket = presentTicketForStaff(record);
  const explanations = await slaExplanations(() =>
    explainTicketSla(commands, record, web.locale === 'en' ? 'en' : 'es'),
  );
  const actions = availableActions(snapshotOf(record), principal.actor).filter(
    (a) => !a.requires.includes('duplicateOf'),
  );
  const [organisation, teams, officers, organisations] = await Promise.all([
    commands.directory.findOrganisation({ kind: 'everything' }, ticket.organisationId),
    commands.directory.listTeams({ kind: 'everything' }, ticket.organisationId),
    commands.directory.listUsers({ kind: 'everything' }, { organisationId: ticket.organisationId }),
    commands.directory.listOrganisations({ kind: 'everything' }),
  ]);
  const assignee = officers.find((u) => String(u._id) === ticket.assigneeId);
  // The dataset's public page and the quality reports the events cite (reports of a withdrawn
  // dataset are not shown publicly, so neither link is offered for one).
  const found = ticket.dataset ? await commands.datasets.find(ticket.dataset.id) : null;
  const dataset = found && !found.withdrawnAt ? found : null;
  const reports = new Map<string, Date | string>();
  for (const entry of ticket.timeline as Array<{ at: Date | string; fields?: { reportId?: unknown } }>) {
    const id = entry.fields?.reportId;
    if (dataset && typeof id === 'string' && !reports.has(id)) reports.set(id, entry.at);
  }
  const done = typeof ctx.query.hecho === 'string' ? DONE[ctx.query.hecho] : undefined;
  const errorsOf = (form: string) => (state.form === form ? (state.errors ?? {}) : {});
  const valuesOf = (form: string) => (state.form === form ? (state.values ?? {}) : {});
  sendPage(ctx, {
    status,
    current: '/mesa',
    title: `${ticket.ref} · ${ticket.title}`,
    scripts: [assetUrls.deskJs],
    main: html`<p><a href="/mesa">← ${t('desk.ticket.back')}</a></p>
<p><small>${kindLabel(web, ticket.kind)} · ${ticket.ref}</small></p>
<h1>${ticket.title}</h1>
${done ? html`<p class="notice ok" role="status">${t(done)}</p>` : ''}
${state.problem ? html`<p class="notice error" role="alert">${state.problem}</p>` : ''}
${errorSummary(
  Object.fromEntries(
    Object.entries(state.errors ?? {}).map(([field, message]) => [summaryId(state.form, field), message]),
  ),
  t,
)}
<div class="grid2">
<div>
<dl class="meta">
<dt>${t('ticket.status')}</dt><dd>${statusBadge(web, ticket.status)}${ticket.sla?.breached ? html` <span class="badge danger">${t('ticket.slaBreached')}</span>` : ''}</dd>
<dt>${t('desk.priority')}</dt><dd>${ticketLabel(locale, 'priority', ticket.priority ?? 'normal')}</dd>
${ticket.category ? html`<dt>${t('ticket.category')}</dt><dd>${categoryOf(web, ticket.kind, ticket.category)}</dd>` : ''}
<dt>${t('ticket.organisation')}</dt><dd>${organisation?.name ?? ''}</dd>
<dt>${t('desk.team')}</dt><dd>${teams.find((tm) => String(tm._id) === ticket.teamId)?.name ?? t('common.none')}</dd>
<dt>${t('desk.assignee')}</dt><dd>${assignee?.name ?? t('desk.unassigned')}</dd>
${ticket.dataset ? html`<dt>${t('ticket.dataset')}</dt><dd>${dataset ? html`<a href="/datos/${dataset.slug}">${dataset.title}</a>` : (ticket.dataset.title ?? ticket.dataset.id)}</dd>` : ''}
${reports.size ? html`<dt>${t('qreport.desk.reports')}</dt><dd><ul class="plain">${[...reports].map(([id, at]) => html`<li><a href="/informes/${id}">${t('qreport.desk.reportOf')} ${time(web, at)}</a></li>`)}</ul></dd>` : ''}
<dt>${t('ticket.created')}</dt><dd>${time(web, ticket.createdAt)}</dd>
<dt>${t('desk.ticket.visibility')}</dt><dd>${t(`desk.ticket.${ticket.visibility}` as MessageKey)}${ticket.visibility === 'public' ? html` · <a href="/tickets/${ticket.ref}">/tickets/${ticket.ref}</a>` : ''}</dd>
<dt>${t('desk.ticket.reporter')}</dt><dd>${ticket.reporter ? html`${ticket.reporter.name ?? ''} &lt;${ticket.reporter.email ?? ''}&gt; · ${ticket.reporter.emailVerified ? t('desk.ticket.verified') : t('desk.ticket.unverified')}` : '—'}</dd>
</dl>
<h2>${t('desk.ticket.sla')}</h2>
${slaList(web, ticket.sla as SlaView | null, explanations)}
<h2>${t('ticket.description')}</h2>
<p class="pre">${ticket.description}</p>
<h2>${t('ticket.conversation')}</h2>
${comments(web, ticket.comments as never, { staff: true })}
<form method="post" action="/mesa/tickets/${ticket.ref}/comentarios" class="stack" novalidate>
<h3>${t('desk.ticket.reply')}</h3>
${csrfField(ctx.state.csrfToken)}
${textarea({ t, name: 'body', label: t('desk.ticket.replyBody'), value: valuesOf('comment').body, error: errorsOf('comment').body, required: true, maxlength: 5000, rows: 5 })}
<fieldset>
<legend>${t('desk.ticket.visibility')}</legend>
<div class="check"><input type="radio" id="visibility-public" name="visibility" value="public"${attr('checked', valuesOf('comment').visibility !== 'internal')}><label for="visibility-public">${t('desk.ticket.visibilityPublic')}</label></div>
<div class="check"><input type="radio" id="visibility-internal" name="visibility" value="internal"${attr('checked', valuesOf('comment').visibility === 'internal')}><label for="visibility-internal">${t('desk.ticket.visibilityInternal')}</label></div>
</fieldset>
<button type="submit">${t('common.send')}</button>
</form>
<h2>${t('ticket.timeline')}</h2>
${timeline(web, ticket.timeline as TimelineEntry[], { staff: true })}
</div>
<aside>
<h2>${t('desk.ticket.actions')}</h2>
${actions.length ? actions.map((a) => transitionForm(ctx, ticket.ref, a, state)) : html`<p>${t('desk.ticket.noActions')}</p>`}
<h2>${t('desk.ticket.assign')}</h2>
<form method="post" action="/mesa/tickets/${ticket.ref}/asignacion" class="card stack" novalidate>
${csrfField(ctx.state.csrfToken)}
${select({ t, name: 'teamId', label: t('desk.team'), required: true, options: [{ value: '', label: t('common.none') }, ...teams.map((tm) => ({ value: String(tm._id), label: tm.name }))], value: valuesOf('assign').teamId ?? ticket.teamId ?? '', error: errorsOf('assign').teamId })}
${select({ t, name: 'assigneeId', label: t('desk.assignee'), required: true, options: [{ value: '', label: t('desk.unassigned') }, ...officers.filter((u) => u.active !== false).map((u) => ({ value: String(u._id), label: u.name }))], value: valuesOf('assign').assigneeId ?? ticket.assigneeId ?? '', error: errorsOf('assign').assigneeId })}
${input({ t, id: 'assign-reason', name: 'reason', label: t('desk.ticket.reason'), value: valuesOf('assign').reason, maxlength: 1000 })}
<button type="submit" class="secondary">${t('desk.ticket.assignSubmit')}</button>
</form>
<h2>${t('desk.priority')}</h2>
<form method="post" action="/mesa/tickets/${ticket.ref}/prioridad" class="card stack" novalidate>
${csrfField(ctx.state.csrfToken)}
${select({ t, name: 'priority', label: t('desk.priority'), required: true, options: PRIORITIES.map((p) => ({ value: p, label: ticketLabel(locale, 'priority', p) })), value: ticket.priority ?? 'normal', error: errorsOf('priority').priority })}
<button type="submit" class="secondary">${t('desk.ticket.prioritySubmit')}</button>
</form>
<h2>${t('desk.ticket.more')}</h2>
<form method="post" action="/mesa/tickets/${ticket.ref}/duplicado" class="card stack" novalidate>
<h3>${t('desk.ticket.merge')}</h3>
${csrfField(ctx.state.csrfToken)}
${input({ t, id: 'merge-into', name: 'into', label: t('desk.ticket.mergeInto'), hint: t('desk.ticket.mergeHint'), value: valuesOf('merge').into, error: errorsOf('merge').into, required: true, maxlength: 40 })}
<button type="submit" class="secondary">${t('desk.ticket.mergeSubmit')}</button>
</form>
<form method="post" action="/mesa/tickets/${ticket.ref}/derivacion" class="card stack" novalidate>
<h3>${t('desk.ticket.transfer')}</h3>
${csrfField(ctx.state.csrfToken)}
${select({ t, id: 'transfer-organisation', name: 'organisation', label: t('desk.ticket.transferTo'), required: true, options: organisations.filter((o) => String(o._id) !== ticket.organisationId).map((o) => ({ value: o.slug, label: o.name })), placeholder: t('request.organisationPlaceholder'), value: valuesOf('transfer').organisation, error: errorsOf('transfer').organisation })}
${textarea({ t, id: 'transfer-reason', name: 'reason', label: t('desk.ticket.transferReason'), value: valuesOf('transfer').reason, error: errorsOf('transfer').reason, required: true, rows: 2, maxlength: 1000 })}
<button type="submit" class="secondary">${t('desk.ticket.transferSubmit')}</button>
</form>
<form method="post" action="/mesa/tickets/${ticket.ref}/conjunto" class="card stack" novalidate>
<h3>${t('desk.ticket.link')}</h3>
${csrfField(ctx.state.csrfToken)}
${input({ t, id: 'link-dataset', name: 'dataset', label: t('desk.ticket.linkDataset'), value: valuesOf('link').dataset, error: errorsOf('link').dataset, required: true, maxlength: 200 })}
<button type="submit" class="secondary">${t('desk.ticket.linkSubmit')}</button>
</form>
</aside>
</div>
${shortcutsHelp(t)}`,
  });
}

/** A command's refusal becomes a message next to the field it names, or at the top of the page. */
async function refused(ctx: WebContext, error: unknown, form: string, values: Record<string, string>) {
  if (!(error instanceof CommandError) || error.code === 'not_found') throw error;
  const { locale, t } = ctx.state.web;
  const message = commandMessage(error, locale, t);
  const fields = Array.isArray(error.details.fields)
    ? (error.details.fields as unknown[]).filter((f): f is string => typeof f === 'string')
    : typeof error.details.field === 'string'
      ? [error.details.field]
      : [];
  if (fields.length) {
    const errors = Object.fromEntries(fields.map((field) => [field, message]));
    return await ticketPage(ctx, { form, values, errors }, 400);
  }
  await ticketPage(ctx, { form, values, problem: message }, error.code === 'forbidden' ? 403 : 409);
}

export function deskPages(deps: AppDeps): Router {
  const router = new Router();
  const staff = requireStaffPage();

  router.get(
    '/mesa/ingresar',
    page((ctx) => {
      if (ctx.state.principal && ctx.state.via === 'session')
        return seeOther(ctx, safeReturn(ctx.query.volver));
      loginPage(ctx, { volver: typeof ctx.query.volver === 'string' ? ctx.query.volver : undefined }, false);
    }),
  );
  router.post(
    '/mesa/ingresar',
    rateLimit({
      redis: deps.redis,
      prefix: deps.config.redis.prefix,
      name: 'web-login',
      limit: 10,
      windowSeconds: 60,
    }),
    page(async (ctx) => {
      const body = formBody(ctx);
      if (!loginTokenMatches(ctx, body._csrf)) throw new PageError(403, 'error.csrf');
      const email = (body.email ?? '').trim().slice(0, 254);
      try {
        const session = await login(commandsOf(ctx), {
          email,
          password: (body.password ?? '').slice(0, 1000),
        });
        setSessionCookie(ctx, deps.config, session.sessionId);
        seeOther(ctx, safeReturn(body.volver));
      } catch (error) {
        if (!(error instanceof CommandError) || error.code !== 'invalid_credentials') throw error;
        loginPage(ctx, { email, volver: body.volver }, true, 401);
      }
    }),
  );
  router.post(
    '/mesa/salir',
    staff,
    page(async (ctx) => {
      const cookie = ctx.cookies.get(SESSION_COOKIE);
      if (cookie) await logout(commandsOf(ctx), cookie);
      clearSessionCookie(ctx);
      seeOther(ctx, '/');
    }),
  );

  router.get('/mesa', staff, page(inbox));
  router.get(
    '/mesa/tickets/:ref',
    staff,
    page((ctx) => ticketPage(ctx)),
  );

  router.post(
    '/mesa/tickets/:ref/comentarios',
    staff,
    page(async (ctx) => {
      const body = formBody(ctx);
      const values = {
        body: (body.body ?? '').slice(0, 6000),
        visibility: body.visibility === 'internal' ? 'internal' : 'public',
      };
      const { t } = ctx.state.web;
      if (!values.body.trim())
        return await ticketPage(ctx, { form: 'comment', values, errors: { body: t('field.required') } }, 400);
      try {
        await addComment(commandsOf(ctx), principalOf(ctx), {
          ticket: ctx.params.ref ?? '',
          body: values.body.trim(),
          visibility: values.visibility as 'public' | 'internal',
        });
      } catch (error) {
        return await refused(ctx, error, 'comment', values);
      }
      seeOther(ctx, `/mesa/tickets/${encodeURIComponent(ctx.params.ref ?? '')}?hecho=comentario`);
    }),
  );

  router.post(
    '/mesa/tickets/:ref/transiciones',
    staff,
    page(async (ctx) => {
      const body = formBody(ctx);
      const action = (body.action ?? '').slice(0, 40);
      const values: Record<string, string> = {};
      for (const field of ['reason', 'message', 'resolution', 'expectedDate', 'datasetId']) {
        if (body[field] !== undefined) values[field] = body[field].slice(0, 5000);
      }
      const input: Record<string, string> = {};
      for (const [field, value] of Object.entries(values)) if (value.trim()) input[field] = value.trim();
      try {
        if (input.datasetId && !isObjectId(input.datasetId)) {
          // Officers know datasets by their slug; the command takes the id.
          const dataset = await commandsOf(ctx).datasets.find(input.datasetId);
          if (!dataset) throw new CommandError('invalid_field', 'No such dataset.', { field: 'datasetId' });
          input.datasetId = String(dataset._id);
        }
        await transitionTicket(commandsOf(ctx), principalOf(ctx), {
          ticket: ctx.params.ref ?? '',
          action,
          input,
        });
      } catch (error) {
        return await refused(ctx, error, `transition:${action}`, values);
      }
      seeOther(ctx, `/mesa/tickets/${encodeURIComponent(ctx.params.ref ?? '')}?hecho=estado`);
    }),
  );

  router.post(
    '/mesa/tickets/:ref/asignacion',
    staff,
    page(async (ctx) => {
      const body = formBody(ctx);
      const values = {
        teamId: body.teamId ?? '',
        assigneeId: body.assigneeId ?? '',
        reason: (body.reason ?? '').slice(0, 1000),
      };
      try {
        await assignTicket(commandsOf(ctx), principalOf(ctx), {
          ticket: ctx.params.ref ?? '',
          teamId: isObjectId(values.teamId) ? values.teamId : null,
          assigneeId: isObjectId(values.assigneeId) ? values.assigneeId : null,
          reason: values.reason.trim() || undefined,
        });
      } catch (error) {
        return await refused(ctx, error, 'assign', values);
      }
      seeOther(ctx, `/mesa/tickets/${encodeURIComponent(ctx.params.ref ?? '')}?hecho=asignacion`);
    }),
  );

  router.post(
    '/mesa/tickets/:ref/prioridad',
    staff,
    page(async (ctx) => {
      const priority = formBody(ctx).priority ?? '';
      try {
        await editTicket(commandsOf(ctx), principalOf(ctx), { ticket: ctx.params.ref ?? '', priority });
      } catch (error) {
        return await refused(ctx, error, 'priority', { priority });
      }
      seeOther(ctx, `/mesa/tickets/${encodeURIComponent(ctx.params.ref ?? '')}?hecho=prioridad`);
    }),
  );
  router.post(
    '/mesa/tickets/:ref/duplicado',
    staff,
    page(async (ctx) => {
      const { t } = ctx.state.web;
      const into = (formBody(ctx).into ?? '').trim().slice(0, 40);
      const invalid = (message: string) =>
        ticketPage(ctx, { form: 'merge', values: { into }, errors: { into: message } }, 400);
      if (!into) return await invalid(t('field.required'));
      try {
        await mergeTickets(commandsOf(ctx), principalOf(ctx), {
          victim: ctx.params.ref ?? '',
          survivor: into,
        });
      } catch (error) {
        // The survivor's ref is the only thing the officer typed: an unknown one is a field error.
        if (error instanceof CommandError && error.code === 'not_found')
          return await invalid(t('field.invalid'));
        return await refused(ctx, error, 'merge', { into });
      }
      seeOther(ctx, `/mesa/tickets/${encodeURIComponent(ctx.params.ref ?? '')}?hecho=duplicado`);
    }),
  );

  router.post(
    '/mesa/tickets/:ref/derivacion',
    staff,
    page(async (ctx) => {
      const { t } = ctx.state.web;
      const body = formBody(ctx);
      const values = {
        organisation: (body.organisation ?? '').slice(0, 200),
        reason: (body.reason ?? '').slice(0, 1000),
      };
      const errors: FieldErrors = {};
      if (!values.organisation) errors.organisation = t('field.choose');
      if (values.reason.trim().length < 3) errors.reason = t('field.tooShort', { min: 3 });
      if (Object.keys(errors).length) return await ticketPage(ctx, { form: 'transfer', values, errors }, 400);
      try {
        await transferTicket(commandsOf(ctx), principalOf(ctx), {
          ticket: ctx.params.ref ?? '',
          organisation: values.organisation,
          reason: values.reason.trim(),
        });
      } catch (error) {
        return await refused(ctx, error, 'transfer', values);
      }
      // After a transfer the ticket may be out of this officer's reach: back to the inbox then.
      const still = await commandsOf(ctx).tickets.findByRef(principalOf(ctx).scope, ctx.params.ref ?? '');
      seeOther(ctx, still ? `/mesa/tickets/${encodeURIComponent(still.ref)}?hecho=derivado` : '/mesa');
    }),
  );

  router.post(
    '/mesa/tickets/:ref/conjunto',
    staff,
    page(async (ctx) => {
      const { t } = ctx.state.web;
      const dataset = (formBody(ctx).dataset ?? '').trim().slice(0, 200);
      if (!dataset)
        return await ticketPage(
          ctx,
          { form: 'link', values: { dataset }, errors: { dataset: t('field.required') } },
          400,
        );
      try {
        await linkDataset(commandsOf(ctx), principalOf(ctx), { ticket: ctx.params.ref ?? '', dataset });
      } catch (error) {
        return await refused(ctx, error, 'link', { dataset });
      }
      seeOther(ctx, `/mesa/tickets/${encodeURIComponent(ctx.params.ref ?? '')}?hecho=vinculado`);
    }),
  );
  return router;
}
