import Router from '@koa/router';
import { moderateComment, moderateTicket, type StaffPrincipal } from '@quipu/commands';
import type { AppDeps } from '@quipu/http';
import { PageError } from '../errors.ts';
import { csrfField, formBody } from '../forms.ts';
import { page, seeOther } from '../handler.ts';
import { html } from '../html.ts';
import { sendPage } from '../layout.ts';
import { kindLabel, statusBadge, time } from '../ticket-parts.ts';
import { commandsOf, type WebContext } from '../web-context.ts';
import { requireStaffPage } from './desk/staff.ts';

const DECISIONS = ['publish', 'hide'] as const;
const DONE = {
  public: 'moderation.done.public',
  pending: 'moderation.done.pending',
  hidden: 'moderation.done.hidden',
  'comentario-visible': 'moderation.done.commentShown',
  'comentario-oculto': 'moderation.done.commentHidden',
} as const;

/** What a moderator needs to decide: why the case was held, and its text (staff see it all). */
interface HeldTicket {
  ref: string;
  kind: string;
  status: string;
  title: string;
  description?: string;
  createdAt: Date;
  flagCount?: number;
  visibility: string;
  moderation?: { spamSuspected?: boolean; reasons?: string[] } | null;
  reporter?: { email?: string; emailVerified?: boolean } | null;
  comments?: Array<{ _id: string; body?: string; hidden?: boolean; flagCount?: number; createdAt?: Date }>;
}

/** Held itself (spam words, or hidden by flags), as opposed to held for one of its comments. */
function ticketHeld(ticket: HeldTicket): boolean {
  return (
    Boolean(ticket.moderation?.spamSuspected) ||
    (ticket.visibility === 'hidden' && (ticket.flagCount ?? 0) > 0)
  );
}

function heldComments(ticket: HeldTicket) {
  return (ticket.comments ?? []).filter((c) => c.hidden && (c.flagCount ?? 0) > 0);
}

function decisionForm(ctx: WebContext, action: string, label: string) {
  const { t } = ctx.state.web;
  return html`<form method="post" action="${action}" class="row" aria-label="${label}">
${csrfField(ctx.state.csrfToken)}
<button type="submit" name="decision" value="publish">${t('moderation.publish')}</button>
<button type="submit" name="decision" value="hide" class="secondary">${t('moderation.hide')}</button>
</form>`;
}

async function queue(ctx: WebContext) {
  const web = ctx.state.web;
  const { t } = web;
  const principal = ctx.state.principal as StaffPrincipal;
  const cursor = typeof ctx.query.desde === 'string' ? ctx.query.desde.slice(0, 500) : undefined;
  const result = await commandsOf(ctx).tickets.list(
    principal.scope,
    { awaitingModeration: true },
    // Comments are what a moderator judges; events and outbox are not needed here.
    { sort: 'oldest', cursor, limit: 25, projection: { events: 0, outbox: 0 } },
  );
  const items = result.items as unknown as HeldTicket[];
  const doneKey =
    typeof ctx.query.hecho === 'string' ? DONE[ctx.query.hecho as keyof typeof DONE] : undefined;
  const doneRef = typeof ctx.query.ref === 'string' ? ctx.query.ref.slice(0, 40) : '';
  const reason = (ticket: HeldTicket) =>
    ticket.moderation?.spamSuspected
      ? t('moderation.reason.spam', { words: (ticket.moderation.reasons ?? []).join(', ') })
      : ticketHeld(ticket)
        ? t('moderation.reason.flags', { count: ticket.flagCount ?? 0 })
        : t('moderation.reason.comments', { count: heldComments(ticket).length });
  sendPage(ctx, {
    current: '/mesa/moderacion',
    title: t('moderation.title'),
    main: html`<h1>${t('moderation.title')}</h1>
<p class="lead">${t('moderation.lead')}</p>
${doneKey ? html`<p class="notice ok" role="status">${t(doneKey, { ref: doneRef })}</p>` : ''}
${
  items.length
    ? html`<ol class="moderation-queue">${items.map(
        (ticket) => html`<li class="card">
<h2><a href="/mesa/tickets/${ticket.ref}">${ticket.ref} · ${ticket.title}</a></h2>
<dl class="meta">
<dt>${t('moderation.reason')}</dt><dd>${reason(ticket)}</dd>
<dt>${t('ticket.kind')}</dt><dd>${kindLabel(web, ticket.kind)} · ${statusBadge(web, ticket.status)}</dd>
<dt>${t('ticket.created')}</dt><dd>${time(web, ticket.createdAt)}</dd>
<dt>${t('moderation.reporter')}</dt><dd>${ticket.reporter?.emailVerified ? t('moderation.verified') : t('moderation.unverified')}</dd>
</dl>
<p class="pre">${(ticket.description ?? '').slice(0, 1200)}</p>
${ticketHeld(ticket) ? decisionForm(ctx, `/mesa/moderacion/${ticket.ref}`, t('moderation.decision', { ref: ticket.ref })) : ''}
${heldComments(ticket).map(
  (comment) => html`<section class="held-comment" aria-label="${t('moderation.comment')}">
<h3>${t('moderation.comment')} · ${t('moderation.reason.commentFlags', { count: comment.flagCount ?? 0 })}</h3>
<p class="pre">${(comment.body ?? '').slice(0, 1200)}</p>
${decisionForm(ctx, `/mesa/moderacion/${ticket.ref}/comentarios/${comment._id}`, t('moderation.commentDecision', { ref: ticket.ref }))}
</section>`,
)}
</li>`,
      )}</ol>`
    : html`<p>${t('moderation.empty')}</p>`
}
<nav aria-label="${t('common.next')}">
${cursor ? html`<a href="/mesa/moderacion">${t('common.first')}</a> ` : ''}
${result.nextCursor ? html`<a href="/mesa/moderacion?desde=${encodeURIComponent(result.nextCursor)}">${t('common.next')}</a>` : ''}
</nav>`,
  });
}

/**
 * The ticket in the path and the decision its moderation form sent; any other decision is a
 * forged or stale form, a 400 page.
 */
function decisionOf(ctx: WebContext): { ref: string; decision: (typeof DECISIONS)[number] } {
  const decision = formBody(ctx).decision;
  if (!(DECISIONS as readonly string[]).includes(decision ?? ''))
    throw new PageError(400, 'moderation.badDecision');
  return { ref: ctx.params.ref ?? '', decision: decision as (typeof DECISIONS)[number] };
}

/** The moderation queue of the desk: held tickets in the viewer's scope, oldest first. */
export function moderationPages(_deps: AppDeps): Router {
  const router = new Router();
  const staff = requireStaffPage();
  router.get('/mesa/moderacion', staff, page(queue));
  router.post(
    '/mesa/moderacion/:ref',
    staff,
    page(async (ctx) => {
      const { ref, decision } = decisionOf(ctx);
      // Out-of-scope and unknown refs are the command's not_found: a 404 page, nothing changed.
      const ticket = await moderateTicket(commandsOf(ctx), ctx.state.principal as StaffPrincipal, {
        ticket: ref,
        decision,
      });
      const visibility = (ticket?.visibility ?? 'hidden') as keyof typeof DONE;
      seeOther(ctx, `/mesa/moderacion?hecho=${visibility}&ref=${encodeURIComponent(ref)}`);
    }),
  );
  router.post(
    '/mesa/moderacion/:ref/comentarios/:comment',
    staff,
    page(async (ctx) => {
      const { ref, decision } = decisionOf(ctx);
      await moderateComment(commandsOf(ctx), ctx.state.principal as StaffPrincipal, {
        ticket: ref,
        commentId: (ctx.params.comment ?? '').slice(0, 100),
        decision,
      });
      const done = decision === 'hide' ? 'comentario-oculto' : 'comentario-visible';
      seeOther(ctx, `/mesa/moderacion?hecho=${done}&ref=${encodeURIComponent(ref)}`);
    }),
  );
  return router;
}
