import Router from '@koa/router';
import {
  explainTicketSla,
  flag,
  loadPublicTicket,
  subscribe,
  unsubscribeDatasetQuality,
  unsubscribeSubscription,
  verifyDatasetQualitySubscription,
  verifySubscription,
} from '@quipu/commands';
import { DATA_REQUEST_STATUSES, OPEN_STATUSES, ticketLabel } from '@quipu/core/tickets';
import { isObjectId } from '@quipu/db';
import {
  type AppDeps,
  presentPublicTicket,
  presentTicketSummary,
  publicRateLimit,
  subscribeBody,
} from '@quipu/http';
import { pageNotFound } from '../errors.ts';
import { errorSummary, type FieldErrors, formBody, input, select } from '../forms.ts';
import { page, seeOther } from '../handler.ts';
import { html } from '../html.ts';
import { CATALOGS, type MessageKey } from '../i18n/index.ts';
import { sendPage } from '../layout.ts';
import {
  categoryOf,
  comments,
  dueOf,
  kindLabel,
  resolutionPart,
  type SlaView,
  slaExplanations,
  statusBadge,
  type TimelineEntry,
  time,
  timeline,
} from '../ticket-parts.ts';
import { parseForm } from '../validate-form.ts';
import { commandsOf, type WebContext } from '../web-context.ts';

const SORTS = ['most_supported', 'newest', 'oldest'] as const;

async function organisationNames(ctx: WebContext): Promise<Map<string, { name: string; slug: string }>> {
  const list = await commandsOf(ctx).directory.listOrganisations({ kind: 'everything' });
  return new Map(list.map((o) => [String(o._id), { name: o.name, slug: o.slug }]));
}

async function requestBoard(ctx: WebContext) {
  const { t, locale } = ctx.state.web;
  const commands = commandsOf(ctx);
  const q = ctx.query;
  const status =
    typeof q.estado === 'string' && (DATA_REQUEST_STATUSES as readonly string[]).includes(q.estado)
      ? q.estado
      : '';
  const sort = (SORTS as readonly string[]).includes(String(q.orden))
    ? (q.orden as (typeof SORTS)[number])
    : 'most_supported';
  const organisations = await organisationNames(ctx);
  const orgSlug = typeof q.institucion === 'string' ? q.institucion.slice(0, 200) : '';
  const orgId = [...organisations.entries()].find(([, o]) => o.slug === orgSlug)?.[0];
  const cursor = typeof q.desde === 'string' ? q.desde.slice(0, 500) : undefined;
  const filters = {
    kind: 'data_request',
    status: status ? [status] : undefined,
    organisationId: orgSlug ? (orgId ?? '000000000000000000000000') : undefined,
  };
  const [pageOf, total] = await Promise.all([
    commands.tickets.list({ kind: 'public' }, filters, { sort, cursor, limit: 20 }),
    commands.tickets.count({ kind: 'public' }, filters),
  ]);
  const items = pageOf.items.map(presentTicketSummary);
  const keep = new URLSearchParams({
    ...(status ? { estado: status } : {}),
    ...(orgSlug ? { institucion: orgSlug } : {}),
    orden: sort,
  });
  sendPage(ctx, {
    current: '/solicitudes',
    title: t('requests.title'),
    main: html`<h1>${t('requests.title')}</h1>
<p class="lead">${t('requests.lead')}</p>
<p><a class="button" href="/solicitar">${t('requests.new')}</a></p>
<form method="get" action="/solicitudes" class="row" aria-label="${t('requests.filter')}">
${select({ t, name: 'estado', label: t('requests.status'), required: true, options: [{ value: '', label: t('requests.allStatuses') }, ...DATA_REQUEST_STATUSES.map((s) => ({ value: s, label: ticketLabel(locale, 'status', s) }))], value: status })}
${select({ t, name: 'institucion', label: t('requests.organisation'), required: true, options: [{ value: '', label: t('requests.allOrganisations') }, ...[...organisations.values()].map((o) => ({ value: o.slug, label: o.name }))], value: orgSlug })}
${select({ t, name: 'orden', label: t('requests.sort'), required: true, options: SORTS.map((s) => ({ value: s, label: t(`requests.sort.${s}`) })), value: sort })}
<div class="field"><button type="submit" class="secondary">${t('requests.filter')}</button></div>
</form>
<p role="status">${t('requests.count', { n: total })}</p>
${
  items.length
    ? html`<ul class="cards">${items.map(
        (item) => html`<li class="card">
<h2><a href="/tickets/${item.ref}">${item.title}</a></h2>
<p>${statusBadge(ctx.state.web, item.status)} · ${organisations.get(item.organisationId)?.name ?? ''} · ${t('ticket.supporters')}: ${item.supportersCount}</p>
<p>${item.excerpt}</p>
<p><small>${item.ref} · ${time(ctx.state.web, item.createdAt, 'date')}</small></p>
</li>`,
      )}</ul>`
    : html`<p>${t('requests.empty')}</p>`
}
<nav aria-label="${t('common.next')}">
${cursor ? html`<a href="/solicitudes?${keep.toString()}">${t('common.first')}</a> ` : ''}
${pageOf.nextCursor ? html`<a href="/solicitudes?${keep.toString()}&amp;desde=${encodeURIComponent(pageOf.nextCursor)}">${t('common.next')}</a>` : ''}
</nav>`,
  });
}

async function ticketPage(
  ctx: WebContext,
  errors: FieldErrors = {},
  values: Record<string, string> = {},
  status = 200,
) {
  const web = ctx.state.web;
  const { t } = web;
  const commands = commandsOf(ctx);
  const record = await loadPublicTicket(commands, ctx.params.ref ?? '');
  const ticket = presentPublicTicket(record);
  const explanations = await slaExplanations(() =>
    explainTicketSla(commands, record, web.locale === 'en' ? 'en' : 'es'),
  );
  const organisation = await commands.directory.findOrganisation(
    { kind: 'everything' },
    ticket.organisationId,
  );
  const dataset = ticket.dataset ? await commands.datasets.find(ticket.dataset.id) : null;
  const due = dueOf(ticket.sla as SlaView | null);
  const notices: Record<string, MessageKey> = {
    enviado: 'ticket.subscribed',
    registrado: 'ticket.alreadyCounted',
    denunciado: 'ticket.flagged',
  };
  const noticeKey = typeof ctx.query.aviso === 'string' ? notices[ctx.query.aviso] : undefined;
  const notice = noticeKey ? t(noticeKey) : '';
  const engage =
    ticket.kind !== 'quality_issue' &&
    !['closed', 'rejected', 'duplicate', 'published'].includes(ticket.status);
  sendPage(ctx, {
    status,
    title: `${ticket.ref} · ${ticket.title}`,
    main: html`<p><small>${kindLabel(web, ticket.kind)} · ${ticket.ref}</small></p>
<h1>${ticket.title}</h1>
${notice ? html`<p class="notice ok" role="status">${notice}</p>` : ''}
${errorSummary(errors, t)}
<div class="grid2">
<div>
<dl class="meta">
<dt>${t('ticket.status')}</dt><dd>${statusBadge(web, ticket.status)}${ticket.sla?.breached ? html` <span class="badge danger">${t('ticket.slaBreached')}</span>` : ''}</dd>
${ticket.category ? html`<dt>${t('ticket.category')}</dt><dd>${categoryOf(web, ticket.kind, ticket.category)}</dd>` : ''}
<dt>${t('ticket.organisation')}</dt><dd>${organisation?.name ?? ''}</dd>
${dataset ? html`<dt>${t('ticket.dataset')}</dt><dd><a href="/datos/${dataset.slug}">${dataset.title}</a></dd>` : ''}
<dt>${t('ticket.created')}</dt><dd>${time(web, ticket.createdAt)}</dd>
${due?.dueAt && !due.metAt ? html`<dt>${t('ticket.due')}</dt><dd>${time(web, due.dueAt)}${explanations.get(due.target) ? html`<br><small class="explain">${explanations.get(due.target)}</small>` : ''}</dd>` : ''}
${ticket.expectedDate ? html`<dt>${t('ticket.expected')}</dt><dd>${time(web, ticket.expectedDate, 'date')}</dd>` : ''}
${ticket.duplicateOf ? html`<dt>${t('ticket.status')}</dt><dd><a href="/tickets/${ticket.duplicateOf}">${t('ticket.duplicateOf', { ref: ticket.duplicateOf })}</a></dd>` : ''}
<dt>${t('ticket.supporters')}</dt><dd>${ticket.supportersCount}</dd>
</dl>
${resolutionPart(web, ticket.resolution)}
<h2>${t('ticket.description')}</h2>
<p class="pre">${ticket.description}</p>
<h2>${t('ticket.conversation')}</h2>
${comments(web, ticket.comments as never)}
<h2>${t('ticket.timeline')}</h2>
${timeline(web, ticket.timeline as TimelineEntry[])}
</div>
<aside>
${
  engage
    ? html`${
        ticket.kind === 'data_request' || ticket.kind === 'complaint'
          ? html`<section class="card">
<h2>${t('ticket.support')}</h2>
<p>${t('ticket.supportHelp')}</p>
<form method="post" action="/tickets/${ticket.ref}/apoyar" novalidate>
${input({ t, id: 'support-email', name: 'email', type: 'email', label: t('ticket.yourEmail'), required: true, autocomplete: 'email', value: values.form === 'support' ? values.email : '', error: values.form === 'support' ? errors['support-email'] : undefined })}
<button type="submit">${t('ticket.support')}</button>
</form>
</section>`
          : ''
      }
<section class="card">
<h2>${t('ticket.follow')}</h2>
<p>${t('ticket.followHelp')}</p>
<form method="post" action="/tickets/${ticket.ref}/seguir" novalidate>
${input({ t, id: 'follow-email', name: 'email', type: 'email', label: t('ticket.yourEmail'), required: true, autocomplete: 'email', value: values.form === 'follow' ? values.email : '', error: values.form === 'follow' ? errors['follow-email'] : undefined })}
<button type="submit" class="secondary">${t('ticket.follow')}</button>
</form>
</section>`
    : ''
}
<section class="card">
<h2>${t('ticket.flag')}</h2>
<p>${t('ticket.flagHelp')}</p>
<form method="post" action="/tickets/${ticket.ref}/denunciar"><button type="submit" class="secondary">${t('ticket.flag')}</button></form>
</section>
</aside>
</div>`,
  });
}

function confirmPage(
  ctx: WebContext,
  props: { title: string; help: string; action: string; button: string },
) {
  const { t } = ctx.state.web;
  ctx.set('Referrer-Policy', 'no-referrer');
  sendPage(ctx, {
    title: props.title,
    main: html`<h1>${props.title}</h1>
<p>${props.help}</p>
<form method="post" action="${props.action}"><button type="submit">${props.button}</button></form>
<p><a href="/">${t('common.cancel')}</a></p>`,
  });
}

function donePage(ctx: WebContext, title: string, message: string, link?: { href: string; label: string }) {
  ctx.set('Referrer-Policy', 'no-referrer');
  sendPage(ctx, {
    title,
    main: html`<h1>${title}</h1><p class="notice ok" role="status">${message}</p>${
      link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''
    }`,
  });
}

async function refOfTicketId(ctx: WebContext, ticketId: string): Promise<string | null> {
  if (!isObjectId(ticketId)) return null;
  const ticket = await commandsOf(ctx).tickets.findById({ kind: 'public' }, ticketId);
  return ticket?.ref ?? null;
}

/** Public pages about tickets: the request board, a ticket, support/follow and their e-mail links. */
export function publicTicketPages(deps: AppDeps): Router {
  const router = new Router();
  const limit = publicRateLimit(deps, 'engage');

  router.get('/solicitudes', page(requestBoard));
  router.get(
    '/tickets/:ref',
    page((ctx) => ticketPage(ctx)),
  );

  for (const [path, kind] of [
    ['apoyar', 'support'],
    ['seguir', 'follow'],
  ] as const) {
    router.post(
      `/tickets/:ref/${path}`,
      limit,
      page(async (ctx) => {
        const { t, locale } = ctx.state.web;
        const body = formBody(ctx);
        const field = `${kind}-email`;
        const form = parseForm(subscribeBody, { email: body.email, language: locale }, t, {
          order: [field],
          fields: { email: field },
          refused: { [field]: t('field.email') },
        });
        if (!form.data) {
          return await ticketPage(
            ctx,
            form.errors,
            { form: kind, email: (body.email ?? '').slice(0, 254) },
            400,
          );
        }
        const result = await subscribe(commandsOf(ctx), {
          ticket: ctx.params.ref ?? '',
          kind,
          email: form.data.email,
          language: locale,
        });
        const ticket = await loadPublicTicket(commandsOf(ctx), ctx.params.ref ?? '');
        seeOther(ctx, `/tickets/${ticket.ref}?aviso=${result.pending ? 'enviado' : 'registrado'}`);
      }),
    );
  }

  router.post(
    '/tickets/:ref/denunciar',
    limit,
    page(async (ctx) => {
      // One flag per client (hashed address) and ticket; enough flags hide it pending moderation.
      const ticket = await loadPublicTicket(commandsOf(ctx), ctx.params.ref ?? '');
      await flag(commandsOf(ctx), { ticket: ticket.ref, clientKey: ctx.ip });
      seeOther(ctx, `/tickets/${ticket.ref}?aviso=denunciado`);
    }),
  );

  router.get(
    '/suscripciones/:token/confirmar',
    page((ctx) => {
      const { t } = ctx.state.web;
      confirmPage(ctx, {
        title: t('subscription.confirmTitle'),
        help: t('subscription.confirmHelp'),
        action: `/suscripciones/${encodeURIComponent(ctx.params.token ?? '')}/confirmar`,
        button: t('common.confirm'),
      });
    }),
  );
  router.post(
    '/suscripciones/:token/confirmar',
    limit,
    page(async (ctx) => {
      const { t } = ctx.state.web;
      const result = await verifySubscription(commandsOf(ctx), ctx.params.token ?? '');
      const ref = await refOfTicketId(ctx, result.ticketId);
      donePage(
        ctx,
        t('subscription.confirmTitle'),
        t('subscription.confirmed'),
        ref ? { href: `/tickets/${ref}`, label: ref } : undefined,
      );
    }),
  );
  // Dataset quality subscriptions (the links of the quality worker's e-mails).
  for (const [path, run, title, help, button, done] of [
    [
      'confirmar',
      verifyDatasetQualitySubscription,
      'subscription.confirmTitle',
      'subscription.confirmHelp',
      'common.confirm',
      'subscription.confirmed',
    ],
    [
      'baja',
      unsubscribeDatasetQuality,
      'subscription.unsubscribeTitle',
      'subscription.unsubscribeHelp',
      'subscription.unsubscribe',
      'subscription.unsubscribed',
    ],
  ] as const) {
    const action = (ctx: WebContext) =>
      `/suscripciones-calidad/${encodeURIComponent(ctx.params.token ?? '')}/${path}`;
    router.get(
      `/suscripciones-calidad/:token/${path}`,
      page((ctx) => {
        const { t } = ctx.state.web;
        confirmPage(ctx, { title: t(title), help: t(help), action: action(ctx), button: t(button) });
      }),
    );
    router.post(
      `/suscripciones-calidad/:token/${path}`,
      limit,
      page(async (ctx) => {
        const { t } = ctx.state.web;
        await run(commandsOf(ctx), ctx.params.token ?? '');
        donePage(ctx, t(title), t(done));
      }),
    );
  }
  router.get(
    '/suscripciones/:token/baja',
    page((ctx) => {
      const { t } = ctx.state.web;
      confirmPage(ctx, {
        title: t('subscription.unsubscribeTitle'),
        help: t('subscription.unsubscribeHelp'),
        action: `/suscripciones/${encodeURIComponent(ctx.params.token ?? '')}/baja`,
        button: t('subscription.unsubscribe'),
      });
    }),
  );
  router.post(
    '/suscripciones/:token/baja',
    limit,
    page(async (ctx) => {
      const { t } = ctx.state.web;
      const result = await unsubscribeSubscription(commandsOf(ctx), ctx.params.token ?? '');
      const ref = await refOfTicketId(ctx, result.ticketId);
      donePage(
        ctx,
        t('subscription.unsubscribeTitle'),
        t('subscription.unsubscribed'),
        ref ? { href: `/tickets/${ref}`, label: ref } : undefined,
      );
    }),
  );

  router.get(
    '/datos/:slug',
    page(async (ctx) => {
      const web = ctx.state.web;
      const { t } = web;
      const commands = commandsOf(ctx);
      const dataset = await commands.datasets.find(ctx.params.slug ?? '');
      if (!dataset || dataset.withdrawnAt || isObjectId(ctx.params.slug)) throw pageNotFound();
      const organisation = await commands.directory.findOrganisation(
        { kind: 'everything' },
        String(dataset.organisationId),
      );
      const open = [...OPEN_STATUSES];
      const tickets = await commands.tickets.list(
        { kind: 'public' },
        { datasetId: String(dataset._id), status: open },
        { limit: 50 },
      );
      const quality = dataset.quality as
        | {
            score?: unknown;
            grade?: unknown;
            stars?: unknown;
            checkedAt?: unknown;
            criteria?: Array<{
              id: string;
              label?: Record<string, string>;
              earned?: number;
              possible?: number;
              passed?: boolean | null;
              hint?: Record<string, string>;
            }>;
            resources?: Array<{
              resourceId: string;
              lastReportId?: string;
              checkedAt?: Date;
              failing?: string[];
            }>;
          }
        | null
        | undefined;
      const lang = web.locale === 'en' ? 'en' : 'es';
      const criteria = (quality?.criteria ?? []).filter((c) => c.passed !== null);
      // The latest report of each resource the quality worker checked (/informes/:id).
      const latestReports = (quality?.resources ?? []).filter((r) => r.lastReportId);
      const resourceName = (id: string) => dataset.resources?.find((r) => r._id === id)?.name || id;
      const score =
        quality && (typeof quality.score === 'number' || typeof quality.score === 'string')
          ? quality.score
          : null;
      const base = deps.config.http.publicBaseUrl.replace(/\/$/, '');
      const reportUrl = `${base}/reportar?dataset=${encodeURIComponent(dataset.slug)}`;
      // The script adds the link; the <noscript> copy serves readers (and portals) without JavaScript.
      const snippet = [
        `<script src="${base}/widget.js" data-dataset="${dataset.slug}" async></script>`,
        `<noscript><a href="${reportUrl}" target="_blank" rel="noopener">${CATALOGS.es['widget.label']}</a></noscript>`,
      ].join('\n');
      sendPage(ctx, {
        cache: 'public',
        title: dataset.title,
        main: html`<p><small>${t('dataset.title')}</small></p>
<h1>${dataset.title}</h1>
<dl class="meta">
<dt>${t('dataset.organisation')}</dt><dd>${organisation?.name ?? ''}</dd>
</dl>
${dataset.description ? html`<p class="pre">${dataset.description}</p>` : ''}
<p><a class="button" href="/reportar?dataset=${encodeURIComponent(dataset.slug)}">${t('dataset.report')}</a></p>
<section aria-labelledby="quality-h">
<h2 id="quality-h">${t('dataset.quality')}</h2>
${score !== null ? html`<p><img src="/badges/datasets/${String(dataset._id)}.svg?lang=${lang}" alt="${t('dataset.score', { score: String(score) })}" height="20"> ${t('dataset.score', { score: String(score) })}${typeof quality?.grade === 'string' ? html` · ${quality.grade}` : ''}${typeof quality?.stars === 'number' ? html` · ${'★'.repeat(quality.stars)}${'☆'.repeat(Math.max(0, 5 - quality.stars))}` : ''}</p>` : html`<p>${t('dataset.qualityPending')}</p>`}
${
  criteria.length
    ? html`<div class="table-wrap"><table id="criteria-table"><caption class="visually-hidden">${t('dataset.quality')}</caption>
<tbody>${criteria.map((c) => html`<tr><th scope="row">${c.label?.[lang] ?? c.id}</th><td class="num">${String(c.earned ?? 0)} / ${String(c.possible ?? 0)}</td><td>${c.passed ? '' : (c.hint?.[lang] ?? '')}</td></tr>`)}</tbody></table></div>`
    : ''
}
${
  latestReports.length
    ? html`<h3>${t('qreport.dataset.latest')}</h3>
<ul class="latest-reports">${latestReports.map(
        (r) =>
          html`<li><a href="/informes/${r.lastReportId}">${resourceName(r.resourceId)}</a> · ${time(web, r.checkedAt)} · ${
            r.failing?.length
              ? html`<span class="badge danger">${t('qreport.dataset.problems', { families: r.failing.map((f) => t(`qreport.family.${f}` as MessageKey)).join(', ') })}</span>`
              : html`<span class="badge ok">${t('qreport.dataset.noProblems')}</span>`
          }</li>`,
      )}</ul>`
    : ''
}
</section>
<h2>${t('dataset.openTickets')}</h2>
${
  tickets.items.length
    ? html`<ul>${tickets.items.map((ticket) => html`<li><a href="/tickets/${ticket.ref}">${ticket.title}</a> · ${statusBadge(web, ticket.status)}</li>`)}</ul>`
    : html`<p>${t('dataset.noOpenTickets')}</p>`
}
${
  dataset.resources?.length
    ? html`<h2>${t('dataset.resources')}</h2><ul>${dataset.resources.map((r) => html`<li>${r.name ?? r._id}${r.format ? html` (${r.format})` : ''}</li>`)}</ul>`
    : ''
}
<h2>${t('dataset.embed')}</h2>
<pre class="snippet" tabindex="0"><code>${snippet}</code></pre>`,
      });
    }),
  );
  return router;
}
