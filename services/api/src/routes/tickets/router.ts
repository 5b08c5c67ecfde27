import Router from '@koa/router';
import {
  type CommandContext,
  flag,
  loadPublicTicket,
  subscribe,
  unsubscribeSubscription,
  verifySubscription,
} from '@quipu/commands';
import { statusesIn } from '@quipu/core/tickets';
import { type AppDeps, presentPublicTicket, presentTicketSummary, publicRateLimit } from '@quipu/http';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';
import { flagBody, listQuery, subscribeBody } from './schema.ts';

registerOperation({
  method: 'get',
  path: '/api/v1/tickets',
  summary: 'Public, verified tickets (filters, cursor pagination)',
  tags: ['tickets'],
  query: listQuery,
  responses: { 200: { description: 'A page' } },
});
registerOperation({
  method: 'get',
  path: '/api/v1/tickets/:ref',
  summary: 'One public ticket with its public timeline',
  tags: ['tickets'],
  responses: { 200: { description: 'The ticket' }, 404: { description: 'Not public or unknown' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/tickets/:ref/supporters',
  summary: 'Support (+1) by e-mail; counts once verified',
  tags: ['tickets'],
  body: subscribeBody,
  responses: { 202: { description: 'Verification e-mail queued' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/tickets/:ref/followers',
  summary: 'Follow updates by e-mail; starts once verified',
  tags: ['tickets'],
  body: subscribeBody,
  responses: { 202: { description: 'Verification e-mail queued' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/tickets/:ref/flags',
  summary: 'Flag a ticket for moderation',
  tags: ['tickets'],
  body: flagBody,
  responses: { 202: { description: 'Counted' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/tickets/:ref/comments/:commentId/flags',
  summary: 'Flag a comment for moderation',
  tags: ['tickets'],
  body: flagBody,
  responses: { 202: { description: 'Counted' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/subscriptions/:token/verify',
  summary: 'Confirm a support or follow (link from the e-mail)',
  tags: ['tickets'],
  responses: { 200: { description: 'Verified' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/subscriptions/:token/unsubscribe',
  summary: 'Stop a follow (link from the e-mail)',
  tags: ['tickets'],
  responses: { 200: { description: 'Unsubscribed' } },
});

/** The public face of tickets: verified ones only, never the reporter, never internal notes. */
export function ticketsRouter(deps: AppDeps, commands: CommandContext): Router {
  const router = new Router({ prefix: '/api/v1' });
  const limit = publicRateLimit(deps, 'engage');

  router.get('/tickets', async (ctx) => {
    const query = parse(listQuery, ctx.query);
    let organisationId: string | undefined;
    if (query.organisation) {
      const organisation = await commands.directory.findOrganisation(
        { kind: 'everything' },
        query.organisation,
      );
      organisationId = organisation ? String(organisation._id) : '000000000000000000000000';
    }
    let datasetId: string | undefined;
    if (query.dataset) {
      const dataset = await commands.datasets.find(query.dataset);
      datasetId = dataset ? String(dataset._id) : '000000000000000000000000';
    }
    const status = query.status
      ? [query.status]
      : query.sort === 'oldest' && query.kind
        ? [...statusesIn(query.kind, 'open')]
        : undefined;
    const filters = { kind: query.kind, status, organisationId, datasetId, text: query.q };
    const page = await commands.tickets.list({ kind: 'public' }, filters, {
      sort: query.sort,
      cursor: query.cursor,
      limit: query.limit,
    });
    ctx.body = {
      items: page.items.map(presentTicketSummary),
      nextCursor: page.nextCursor,
      total: await commands.tickets.count({ kind: 'public' }, filters),
    };
  });

  router.get('/tickets/:ref', async (ctx) => {
    ctx.body = presentPublicTicket(await loadPublicTicket(commands, ctx.params.ref!));
  });

  for (const kind of ['support', 'follow'] as const) {
    router.post(`/tickets/:ref/${kind === 'support' ? 'supporters' : 'followers'}`, limit, async (ctx) => {
      const body = parse(subscribeBody, (ctx.request as { body?: unknown }).body);
      const result = await subscribe(commands, {
        ticket: ctx.params.ref!,
        kind,
        email: body.email,
        language: body.language,
      });
      ctx.status = 202;
      ctx.body = { status: result.pending ? 'verification_sent' : 'already_counted' };
    });
  }

  router.post('/tickets/:ref/flags', limit, async (ctx) => {
    const body = parse(flagBody, (ctx.request as { body?: unknown }).body ?? {});
    ctx.status = 202;
    ctx.body = await flag(commands, { ticket: ctx.params.ref!, clientKey: ctx.ip, reason: body.reason });
  });

  router.post('/tickets/:ref/comments/:commentId/flags', limit, async (ctx) => {
    const body = parse(flagBody, (ctx.request as { body?: unknown }).body ?? {});
    ctx.status = 202;
    ctx.body = await flag(commands, {
      ticket: ctx.params.ref!,
      commentId: ctx.params.commentId!,
      clientKey: ctx.ip,
      reason: body.reason,
    });
  });

  router.post('/subscriptions/:token/verify', async (ctx) => {
    ctx.body = { status: 'verified', ...(await verifySubscription(commands, ctx.params.token!)) };
  });
  router.post('/subscriptions/:token/unsubscribe', async (ctx) => {
    await unsubscribeSubscription(commands, ctx.params.token!);
    ctx.body = { status: 'unsubscribed' };
  });
  return router;
}
