import Router from '@koa/router';
import {
  addComment,
  answerSatisfaction,
  linkToken,
  reporterPrincipal,
  type TrackingPage,
  ticketByTrackingToken,
  trackingUrl,
  unsubscribeReporter,
  verifyReporterEmail,
} from '@quipu/commands';
import { type AppDeps, presentTicketForReporter, publicRateLimit, reporterCommentBody } from '@quipu/http';
import { errorSummary, type FieldErrors, formBody, textarea } from '../forms.ts';
import { page, seeOther } from '../handler.ts';
import { html } from '../html.ts';
import type { MessageKey } from '../i18n/index.ts';
import { sendPage } from '../layout.ts';
import {
  categoryOf,
  comments,
  dueOf,
  kindLabel,
  resolutionPart,
  type SlaView,
  statusBadge,
  type TimelineEntry,
  time,
  timeline,
} from '../ticket-parts.ts';
import { parseForm } from '../validate-form.ts';
import { commandsOf, type WebContext } from '../web-context.ts';

const DONE: Record<string, MessageKey> = {
  confirmado: 'tracking.done.verified',
  respondido: 'tracking.done.replied',
  gracias: 'tracking.done.answered',
  baja: 'tracking.done.unsubscribed',
};

/** The link is the reporter's key: no caching, no referrer leaking it to the sites they click through to. */
function privateHeaders(ctx: WebContext) {
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Robots-Tag', 'noindex');
}

function base(ctx: WebContext, page?: TrackingPage): string {
  return trackingUrl(ctx.params.token ?? '', page ? { page } : {});
}

async function trackingPage(ctx: WebContext, errors: FieldErrors = {}, reply = '', status = 200) {
  const web = ctx.state.web;
  const { t } = web;
  privateHeaders(ctx);
  const commands = commandsOf(ctx);
  const ticket = presentTicketForReporter(await ticketByTrackingToken(commands, ctx.params.token ?? ''));
  const organisation = await commands.directory.findOrganisation(
    { kind: 'everything' },
    ticket.organisationId,
  );
  const done = typeof ctx.query.hecho === 'string' ? DONE[ctx.query.hecho] : undefined;
  const due = dueOf(ticket.sla as SlaView | null);
  const closed = ['closed', 'duplicate'].includes(ticket.status);
  const here = base(ctx);
  // Where the intake form's POST leads (303): reloading this page files nothing.
  const received = ctx.query.hecho === 'recibido';
  const title = received ? t('thanks.title', { ref: ticket.ref }) : t('tracking.title', { ref: ticket.ref });
  sendPage(ctx, {
    status,
    title,
    main: html`<p><small>${kindLabel(web, ticket.kind)} · ${ticket.ref}</small></p>
<h1>${title}</h1>
${
  received
    ? html`<p class="notice ok" role="status">${ticket.reporter.emailVerified ? '' : html`${t('thanks.email')} `}${t('thanks.tracking')}</p>`
    : html`<p class="notice">${t('tracking.private')}</p>`
}
${done ? html`<p class="notice ok" role="status">${t(done)}</p>` : ''}
${errorSummary(errors, t)}
${
  ticket.reporter.emailVerified
    ? ''
    : html`<section class="card">
<h2>${t('tracking.verifyTitle')}</h2>
<p>${t('tracking.verifyHelp')}</p>
<p>${t('tracking.verifyByMail')}</p>
</section>`
}
${
  ticket.status === 'resolved'
    ? html`<section class="card">
<h2>${t('tracking.solvedTitle')}</h2>
${resolutionPart(web, ticket.resolution, 'h3')}
<p>${t('tracking.solvedHelp')}</p>
<div class="row">
<form method="post" action="${here}/resuelto"><input type="hidden" name="respuesta" value="si"><button type="submit">${t('tracking.solvedYes')}</button></form>
<form method="post" action="${here}/resuelto"><input type="hidden" name="respuesta" value="no"><button type="submit" class="secondary">${t('tracking.solvedNo')}</button></form>
</div>
</section>`
    : ''
}
<h2>${ticket.title}</h2>
<dl class="meta">
<dt>${t('ticket.status')}</dt><dd>${statusBadge(web, ticket.status)}</dd>
${ticket.category ? html`<dt>${t('ticket.category')}</dt><dd>${categoryOf(web, ticket.kind, ticket.category)}</dd>` : ''}
<dt>${t('ticket.organisation')}</dt><dd>${organisation?.name ?? ''}</dd>
${ticket.dataset?.title ? html`<dt>${t('ticket.dataset')}</dt><dd>${ticket.dataset.title}</dd>` : ''}
<dt>${t('ticket.created')}</dt><dd>${time(web, ticket.createdAt)}</dd>
${due?.dueAt && !due.metAt ? html`<dt>${t('ticket.due')}</dt><dd>${time(web, due.dueAt)}</dd>` : ''}
${ticket.expectedDate ? html`<dt>${t('ticket.expected')}</dt><dd>${time(web, ticket.expectedDate, 'date')}</dd>` : ''}
${ticket.satisfaction ? html`<dt>${t('tracking.solvedTitle')}</dt><dd>${ticket.satisfaction === 'yes' ? t('common.yes') : t('common.no')}</dd>` : ''}
</dl>
${ticket.status === 'resolved' ? '' : resolutionPart(web, ticket.resolution)}
${
  ticket.visibility === 'public'
    ? html`<p><a href="/tickets/${ticket.ref}">${t('tracking.publicPage')}</a></p>`
    : ticket.reporter.emailVerified
      ? html`<p>${t('tracking.notPublic')}</p>`
      : ''
}
<h3>${t('tracking.yourDetails')}</h3>
<p>${ticket.reporter.name ?? ''} ${ticket.reporter.email ? html`&lt;${ticket.reporter.email}&gt;` : ''}${
      ticket.reporter.emailVerified ? html` · ${t('tracking.verified')}` : ''
    }</p>
<h3>${t('ticket.description')}</h3>
<p class="pre">${ticket.description}</p>
<h2>${t('ticket.conversation')}</h2>
${comments(web, ticket.comments as never)}
${
  closed
    ? html`<p>${t('tracking.closed')}</p>`
    : html`<form method="post" action="${here}/responder" class="stack" novalidate>
<h3>${t('tracking.reply')}</h3>
${textarea({ t, name: 'body', label: t('tracking.replyLabel'), value: reply, error: errors.body, required: true, maxlength: 5000, rows: 4 })}
<button type="submit">${t('tracking.replySubmit')}</button>
</form>`
}
<h2>${t('ticket.timeline')}</h2>
${timeline(web, ticket.timeline as TimelineEntry[])}
<h2>${t('tracking.unsubscribeTitle')}</h2>
${
  ticket.reporter.unsubscribed
    ? html`<p>${t('tracking.unsubscribed')}</p>`
    : html`<form method="post" action="${here}/baja"><button type="submit" class="secondary">${t('tracking.unsubscribe')}</button></form>`
}`,
  });
}

/**
 * The reporter's own pages behind the tracking link. GET never changes anything (mail
 * scanners and link prefetchers open every link): the e-mail's "yes/no" and "unsubscribe"
 * links lead to a page whose button POSTs.
 */
/**
 * `/verificar/:token`: the confirmation link of the acknowledgement e-mail. GET shows a button
 * (link prefetchers must not confirm anything); its POST confirms and opens the tracking page.
 */
export function verificationPages(deps: AppDeps): Router {
  const router = new Router({ prefix: '/verificar/:token' });
  router.use(publicRateLimit(deps, 'tracking'));
  router.get(
    '/',
    page(async (ctx) => {
      const { t } = ctx.state.web;
      sendPage(ctx, {
        title: t('tracking.verifyTitle'),
        main: html`<h1>${t('tracking.verifyTitle')}</h1>
<p>${t('tracking.verifyHelp')}</p>
<form method="post" action="/verificar/${encodeURIComponent(ctx.params.token ?? '')}"><button type="submit">${t('tracking.verify')}</button></form>`,
      });
    }),
  );
  router.post(
    '/',
    page(async (ctx) => {
      const ticket = await verifyReporterEmail(commandsOf(ctx), ctx.params.token ?? '');
      const tracking = linkToken(deps.config.session.secret, 'tracking', String(ticket._id));
      seeOther(ctx, `${trackingUrl(tracking)}?hecho=confirmado`);
    }),
  );
  return router;
}

export function trackingPages(deps: AppDeps): Router {
  const router = new Router({ prefix: '/seguimiento/:token' });
  router.use(publicRateLimit(deps, 'tracking'));

  router.get(
    '/',
    page((ctx) => trackingPage(ctx)),
  );

  router.post(
    '/responder',
    page(async (ctx) => {
      const { t } = ctx.state.web;
      const body = formBody(ctx).body ?? '';
      const form = parseForm(reporterCommentBody, { body }, t, { order: ['body'] });
      if (!form.data) return await trackingPage(ctx, form.errors, body.slice(0, 6000), 400);
      const commands = commandsOf(ctx);
      const ticket = await ticketByTrackingToken(commands, ctx.params.token ?? '');
      await addComment(commands, reporterPrincipal(String(ticket._id)), {
        ticket: String(ticket._id),
        body: form.data.body,
        visibility: 'public',
      });
      seeOther(ctx, `${base(ctx)}?hecho=respondido`);
    }),
  );

  router.get(
    '/resuelto',
    page(async (ctx) => {
      const { t } = ctx.state.web;
      privateHeaders(ctx);
      const ticket = await ticketByTrackingToken(commandsOf(ctx), ctx.params.token ?? '');
      const answer = ctx.query.respuesta === 'no' ? 'no' : 'si';
      const open = ticket.status === 'resolved';
      sendPage(ctx, {
        title: t('tracking.solvedTitle'),
        main: html`<h1>${t('tracking.solvedTitle')}</h1>
${
  open
    ? html`<p>${t(answer === 'si' ? 'tracking.solvedConfirmYes' : 'tracking.solvedConfirmNo', { ref: ticket.ref })}</p>
<form method="post" action="${base(ctx, 'resuelto')}"><input type="hidden" name="respuesta" value="${answer}"><button type="submit">${t(answer === 'si' ? 'tracking.solvedYes' : 'tracking.solvedNo')}</button></form>`
    : html`<p class="notice">${t('tracking.notResolved')}</p>`
}
<p><a href="${base(ctx)}">${t('tracking.title', { ref: ticket.ref })}</a></p>`,
      });
    }),
  );

  router.post(
    '/resuelto',
    page(async (ctx) => {
      const answer = formBody(ctx).respuesta === 'no' ? 'no' : 'yes';
      const commands = commandsOf(ctx);
      const ticket = await ticketByTrackingToken(commands, ctx.params.token ?? '');
      await answerSatisfaction(commands, reporterPrincipal(String(ticket._id)), {
        ticket: String(ticket._id),
        answer,
      });
      seeOther(ctx, `${base(ctx)}?hecho=gracias`);
    }),
  );

  router.get(
    '/baja',
    page(async (ctx) => {
      const { t } = ctx.state.web;
      privateHeaders(ctx);
      const ticket = await ticketByTrackingToken(commandsOf(ctx), ctx.params.token ?? '');
      sendPage(ctx, {
        title: t('tracking.unsubscribeTitle'),
        main: html`<h1>${t('tracking.unsubscribeTitle')}</h1>
<p>${t('tracking.unsubscribeHelp', { ref: ticket.ref })}</p>
<form method="post" action="${base(ctx, 'baja')}"><button type="submit">${t('tracking.unsubscribe')}</button></form>
<p><a href="${base(ctx)}">${t('tracking.title', { ref: ticket.ref })}</a></p>`,
      });
    }),
  );

  router.post(
    '/baja',
    page(async (ctx) => {
      await unsubscribeReporter(commandsOf(ctx), ctx.params.token ?? '');
      seeOther(ctx, `${base(ctx)}?hecho=baja`);
    }),
  );
  return router;
}
