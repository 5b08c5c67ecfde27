import Router from '@koa/router';
import {
  addComment,
  assignTicket,
  type CommandContext,
  editTicket,
  linkDataset,
  loadTicket,
  mergeTickets,
  moderateComment,
  moderateTicket,
  type StaffPrincipal,
  snapshotOf,
  transferTicket,
  transitionTicket,
} from '@quipu/commands';
import { availableActions, OPEN_STATUSES } from '@quipu/core/tickets';
import type { TicketFilters } from '@quipu/db';
import { type AppDeps, presentStaffSummary, presentTicketForStaff, requireStaff } from '@quipu/http';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';

import {
  assignBody,
  commentBody,
  editBody,
  linkBody,
  mergeBody,
  moderateBody,
  staffListQuery,
  transferBody,
  transitionBody,
} from './schema.ts';

const S = 'staff' as const;
registerOperation({
  method: 'get',
  path: '/api/v1/staff/tickets',
  summary: 'Tickets I may see, with filters, saved views and counts per status',
  tags: ['staff'],
  security: S,
  query: staffListQuery,
  responses: { 200: { description: 'A page and counts' } },
});
registerOperation({
  method: 'get',
  path: '/api/v1/staff/tickets/:ref',
  summary: 'One ticket with its full timeline, internal notes and the actions I may take',
  tags: ['staff'],
  security: S,
  responses: { 200: { description: 'The ticket' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/staff/tickets/:ref/transitions',
  summary: 'Change status (state machine; reasons where required)',
  tags: ['staff'],
  security: S,
  body: transitionBody,
  responses: { 200: { description: 'Changed' }, 409: { description: 'Not allowed from this status' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/staff/tickets/:ref/assignment',
  summary: 'Assign to a team and/or officer',
  tags: ['staff'],
  security: S,
  body: assignBody,
  responses: { 200: { description: 'Assigned' } },
});
registerOperation({
  method: 'patch',
  path: '/api/v1/staff/tickets/:ref',
  summary: 'Change priority or category',
  tags: ['staff'],
  security: S,
  body: editBody,
  responses: { 200: { description: 'Changed' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/staff/tickets/:ref/comments',
  summary: 'Public reply or internal note',
  tags: ['staff'],
  security: S,
  body: commentBody,
  responses: { 201: { description: 'Added' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/staff/tickets/:ref/dataset',
  summary: 'Link the dataset (and resource) the ticket is about',
  tags: ['staff'],
  security: S,
  body: linkBody,
  responses: { 200: { description: 'Linked' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/staff/tickets/:ref/merge',
  summary: 'Mark as duplicate of another ticket; supporters and followers move',
  tags: ['staff'],
  security: S,
  body: mergeBody,
  responses: { 200: { description: 'Merged' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/staff/tickets/:ref/transfer',
  summary: 'Transfer to another organisation (re-routed)',
  tags: ['staff'],
  security: S,
  body: transferBody,
  responses: { 200: { description: 'Transferred' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/staff/tickets/:ref/moderation',
  summary: 'Publish or hide a flagged or spam-suspected ticket',
  tags: ['staff'],
  security: S,
  body: moderateBody,
  responses: { 200: { description: 'Moderated' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/staff/tickets/:ref/comments/:commentId/moderation',
  summary: 'Show again or keep hidden a comment hidden by readers’ flags',
  tags: ['staff'],
  security: S,
  body: moderateBody,
  responses: { 200: { description: 'Moderated' }, 404: { description: 'No such ticket or comment' } },
});

function body(ctx: { request: unknown }): unknown {
  return (ctx.request as { body?: unknown }).body;
}

/** The officer's desk over HTTP: every query scoped by the repositories to what the caller may see. */
export function staffTicketsRouter(_deps: AppDeps, commands: CommandContext): Router {
  const router = new Router({ prefix: '/api/v1/staff/tickets' });
  router.use(requireStaff());

  router.get('/', async (ctx) => {
    const principal = ctx.state.principal as StaffPrincipal;
    const query = parse(staffListQuery, ctx.query);
    const filters: TicketFilters = {
      kind: query.kind,
      status: query.status,
      organisationId: query.organisation,
      teamId: query.team,
      assigneeId: query.assignee === 'me' ? principal.userId : query.assignee,
      datasetId: query.dataset,
      text: query.q,
    };
    const open = [...OPEN_STATUSES];
    switch (query.view) {
      case 'mine':
        Object.assign(filters, { assigneeId: principal.userId, status: filters.status ?? open });
        break;
      case 'team':
        if (principal.teamIds[0])
          Object.assign(filters, {
            teamId: query.team ?? principal.teamIds[0],
            status: filters.status ?? open,
          });
        break;
      case 'unassigned':
        Object.assign(filters, { assigneeId: 'none', status: filters.status ?? open });
        break;
      case 'due_soon':
        Object.assign(filters, {
          dueBefore: new Date(commands.now().getTime() + 2 * 86_400_000),
          status: filters.status ?? open,
        });
        break;
      case 'breached':
        Object.assign(filters, { breached: true, status: filters.status ?? open });
        break;
      case 'waiting':
        Object.assign(filters, { status: ['waiting_reporter'] });
        break;
      case 'moderation':
        filters.awaitingModeration = true;
        break;
    }
    const [page, counts] = await Promise.all([
      commands.tickets.list(principal.scope, filters, {
        sort: query.sort,
        cursor: query.cursor,
        limit: query.limit,
      }),
      commands.tickets.countByStatus(principal.scope, { ...filters, status: undefined }),
    ]);
    ctx.body = { items: page.items.map(presentStaffSummary), nextCursor: page.nextCursor, counts };
  });

  router.get('/:ref', async (ctx) => {
    const principal = ctx.state.principal as StaffPrincipal;
    const ticket = await loadTicket(commands, principal, ctx.params.ref!);
    ctx.body = {
      ...presentTicketForStaff(ticket),
      actions: availableActions(snapshotOf(ticket), principal.actor),
    };
  });

  router.post('/:ref/transitions', async (ctx) => {
    const input = parse(transitionBody, body(ctx));
    const { action, ...rest } = input;
    ctx.body = presentTicketForStaff(
      await transitionTicket(commands, ctx.state.principal, { ticket: ctx.params.ref!, action, input: rest }),
    );
  });
  router.post('/:ref/assignment', async (ctx) => {
    const input = parse(assignBody, body(ctx));
    ctx.body = presentTicketForStaff(
      await assignTicket(commands, ctx.state.principal, { ticket: ctx.params.ref!, ...input }),
    );
  });
  router.patch('/:ref', async (ctx) => {
    const input = parse(editBody, body(ctx));
    ctx.body = presentTicketForStaff(
      await editTicket(commands, ctx.state.principal, { ticket: ctx.params.ref!, ...input }),
    );
  });
  router.post('/:ref/comments', async (ctx) => {
    const input = parse(commentBody, body(ctx));
    const result = await addComment(commands, ctx.state.principal, { ticket: ctx.params.ref!, ...input });
    ctx.status = 201;
    ctx.body = { commentId: result.commentId, ticket: presentTicketForStaff(result.ticket) };
  });
  router.post('/:ref/dataset', async (ctx) => {
    const input = parse(linkBody, body(ctx));
    ctx.body = presentTicketForStaff(
      await linkDataset(commands, ctx.state.principal, { ticket: ctx.params.ref!, ...input }),
    );
  });
  router.post('/:ref/merge', async (ctx) => {
    const input = parse(mergeBody, body(ctx));
    const result = await mergeTickets(commands, ctx.state.principal, {
      victim: ctx.params.ref!,
      survivor: input.into,
      reason: input.reason,
    });
    ctx.body = {
      victim: presentTicketForStaff(result.victim),
      survivor: presentTicketForStaff(result.survivor),
    };
  });
  router.post('/:ref/transfer', async (ctx) => {
    const input = parse(transferBody, body(ctx));
    ctx.body = presentTicketForStaff(
      await transferTicket(commands, ctx.state.principal, { ticket: ctx.params.ref!, ...input }),
    );
  });
  router.post('/:ref/comments/:commentId/moderation', async (ctx) => {
    const input = parse(moderateBody, body(ctx));
    ctx.body = presentTicketForStaff(
      await moderateComment(commands, ctx.state.principal, {
        ticket: ctx.params.ref!,
        commentId: ctx.params.commentId!.slice(0, 100),
        decision: input.decision,
      }),
    );
  });
  router.post('/:ref/moderation', async (ctx) => {
    const input = parse(moderateBody, body(ctx));
    ctx.body = presentTicketForStaff(
      (await moderateTicket(commands, ctx.state.principal, {
        ticket: ctx.params.ref!,
        decision: input.decision,
      }))!,
    );
  });
  return router;
}
