import type Router from '@koa/router';
import { CommandError, explainTicketSla, loadTicket, snapshotOf } from '@quipu/commands';
import { availableActions, PRIORITIES, ticketLabel } from '@quipu/core/tickets';
import { presentTicketForStaff } from '@quipu/http';
import type { Middleware } from 'koa';
import { commandMessage } from '../../command-messages.ts';
import { csrfField, errorSummary, type FieldErrors, input, select, textarea } from '../../forms.ts';
import { page } from '../../handler.ts';
import { attr, html, type SafeHtml } from '../../html.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { assetUrls, sendPage } from '../../layout.ts';
import {
  categoryOf,
  comments,
  kindLabel,
  resolutionPart,
  type SlaView,
  slaExplanations,
  slaList,
  statusBadge,
  type TimelineEntry,
  time,
  timeline,
} from '../../ticket-parts.ts';
import { commandsOf, type WebContext } from '../../web-context.ts';
import { shortcutsHelp } from './inbox.ts';
import { principalOf } from './staff.ts';

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

export async function ticketPage(ctx: WebContext, state: FormState = {}, status = 200) {
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
${resolutionPart(web, ticket.resolution)}
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
export async function refused(ctx: WebContext, error: unknown, form: string, values: Record<string, string>) {
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

/** A ticket as an officer sees it, with the forms of what they may do to it. */
export function ticketPages(router: Router, staff: Middleware): void {
  router.get(
    '/mesa/tickets/:ref',
    staff,
    page((ctx) => ticketPage(ctx)),
  );
}
