import Router from '@koa/router';
import {
  addComment,
  answerSatisfaction,
  type CommandContext,
  reporterPrincipal,
  ticketByTrackingToken,
  unsubscribeReporter,
  verifyReporterEmail,
} from '@quipu/commands';
import { type AppDeps, presentTicketForReporter, publicRateLimit } from '@quipu/http';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';
import { reporterCommentBody, satisfactionBody } from './schema.ts';

registerOperation({
  method: 'get',
  path: '/api/v1/tracking/:token',
  summary: "The reporter's own view (tracking link)",
  tags: ['tracking'],
  security: 'tracking',
  responses: { 200: { description: 'The ticket with the reporter details' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/verifications/:token',
  summary: "Confirm the reporter's e-mail; the ticket becomes public",
  tags: ['tracking'],
  security: 'tracking',
  responses: { 200: { description: 'Verified' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/tracking/:token/comments',
  summary: 'Reporter adds a public comment (attachments metadata)',
  tags: ['tracking'],
  security: 'tracking',
  body: reporterCommentBody,
  responses: { 201: { description: 'Added' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/tracking/:token/satisfaction',
  summary: '"Was it solved?" — yes closes, no reopens',
  tags: ['tracking'],
  security: 'tracking',
  body: satisfactionBody,
  responses: { 200: { description: 'Recorded' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/tracking/:token/unsubscribe',
  summary: 'Stop e-mails about this ticket',
  tags: ['tracking'],
  security: 'tracking',
  responses: { 200: { description: 'Unsubscribed' } },
});

/** The tracking link (an unguessable token sent to the reporter) is their key to the ticket. */
export function trackingRouter(deps: AppDeps, commands: CommandContext): Router {
  const router = new Router({ prefix: '/api/v1' });
  const limit = publicRateLimit(deps, 'tracking');
  router.use(['/tracking', '/verifications'], limit);

  router.get('/tracking/:token', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.body = presentTicketForReporter(await ticketByTrackingToken(commands, ctx.params.token!));
  });
  router.post('/verifications/:token', async (ctx) => {
    ctx.body = presentTicketForReporter(await verifyReporterEmail(commands, ctx.params.token!));
  });
  router.post('/tracking/:token/comments', async (ctx) => {
    const body = parse(reporterCommentBody, (ctx.request as { body?: unknown }).body);
    const ticket = await ticketByTrackingToken(commands, ctx.params.token!);
    const result = await addComment(commands, reporterPrincipal(String(ticket._id)), {
      ticket: String(ticket._id),
      body: body.body,
      visibility: 'public',
      attachments: body.attachments,
    });
    ctx.status = 201;
    ctx.body = { commentId: result.commentId, ticket: presentTicketForReporter(result.ticket) };
  });
  router.post('/tracking/:token/satisfaction', async (ctx) => {
    const body = parse(satisfactionBody, (ctx.request as { body?: unknown }).body);
    const ticket = await ticketByTrackingToken(commands, ctx.params.token!);
    ctx.body = presentTicketForReporter(
      await answerSatisfaction(commands, reporterPrincipal(String(ticket._id)), {
        ticket: String(ticket._id),
        answer: body.answer,
      }),
    );
  });
  router.post('/tracking/:token/unsubscribe', async (ctx) => {
    ctx.body = presentTicketForReporter(await unsubscribeReporter(commands, ctx.params.token!));
  });
  return router;
}
