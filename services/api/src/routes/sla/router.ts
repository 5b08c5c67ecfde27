import Router from '@koa/router';
import {
  type CommandContext,
  explainTicketSla,
  extendDeadline,
  loadPublicTicket,
  loadTicket,
  type StaffPrincipal,
} from '@quipu/commands';
import { notFound, requireStaff } from '@quipu/http';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';
import { extensionBody, langQuery } from './schema.ts';

registerOperation({
  method: 'get',
  path: '/api/v1/tickets/:ref/sla',
  summary: 'Why each deadline of a public ticket is what it is (start, pauses, holidays skipped)',
  tags: ['tickets'],
  query: langQuery,
  responses: { 200: { description: 'Deadlines explained' }, 404: { description: 'Not public or unknown' } },
});
registerOperation({
  method: 'get',
  path: '/api/v1/staff/tickets/:ref/sla',
  summary: 'Deadlines of a ticket, explained, with extensions',
  tags: ['staff'],
  security: 'staff',
  query: langQuery,
  responses: { 200: { description: 'Deadlines explained' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/staff/tickets/:ref/extension',
  summary: 'Extend the resolution deadline once (Ley 27806 art. 11 b, within 2 business days of receipt)',
  tags: ['staff'],
  security: 'staff',
  body: extensionBody,
  responses: {
    200: { description: 'Extended; the requester is told by e-mail' },
    400: { description: 'Refused' },
  },
});

function body(ctx: { request: unknown }): unknown {
  return (ctx.request as { body?: unknown }).body;
}

/**
 * A ticket's deadlines explained (public and staff) and the one legal extension. Absolute paths:
 * they sit beside the ticket routers without sharing their middleware.
 */
export function slaRouter(commands: CommandContext): Router {
  const router = new Router();
  const staff = requireStaff();
  const principalOf = (ctx: { state: { principal?: StaffPrincipal } }) => ctx.state.principal!;

  router.get('/api/v1/tickets/:ref/sla', async (ctx) => {
    const { lang } = parse(langQuery, ctx.query);
    const ticket = await loadPublicTicket(commands, ctx.params.ref!);
    const explained = await explainTicketSla(commands, ticket, lang);
    if (!explained) throw notFound('SLA');
    ctx.body = { ref: ticket.ref, ...explained };
  });

  router.get('/api/v1/staff/tickets/:ref/sla', staff, async (ctx) => {
    const { lang } = parse(langQuery, ctx.query);
    const ticket = await loadTicket(commands, principalOf(ctx), ctx.params.ref!);
    const explained = await explainTicketSla(commands, ticket, lang);
    if (!explained) throw notFound('SLA');
    ctx.body = { ref: ticket.ref, extension: ticket.sla?.extension ?? null, ...explained };
  });

  router.post('/api/v1/staff/tickets/:ref/extension', staff, async (ctx) => {
    const input = parse(extensionBody, body(ctx));
    const done = await extendDeadline(commands, principalOf(ctx), { ticket: ctx.params.ref!, ...input });
    ctx.body = { ref: done.ticket.ref, previousDue: done.previousDue, newDue: done.newDue };
  });

  return router;
}
