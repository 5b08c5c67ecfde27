import Router from '@koa/router';
import { type CommandContext, queueNotificationResend } from '@quipu/commands';
import { type NotificationRecord, notificationAdminRepository } from '@quipu/db';
import { conflict, notFound, requireStaff } from '@quipu/http';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';
import { notificationsQuery } from './schema.ts';

registerOperation({
  method: 'get',
  path: '/api/v1/admin/notifications',
  summary: 'E-mails by state (default: failed), newest first',
  tags: ['admin'],
  security: 'admin',
  query: notificationsQuery,
  responses: { 200: { description: 'Notifications' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/admin/notifications/:id/resend',
  summary: 'Send a failed e-mail again',
  tags: ['admin'],
  security: 'admin',
  responses: { 202: { description: 'Queued' }, 409: { description: 'Not failed' } },
});

const presentNotification = (n: NotificationRecord) => ({
  id: n._id,
  kind: n.kind,
  ticketId: n.ticketId ? String(n.ticketId) : null,
  // Staff-only admin endpoint: the address is needed to judge a bounce.
  to: n.to,
  recipientKind: n.recipientKind ?? null,
  state: n.state,
  attempts: n.attempts,
  lastError: n.lastError ?? null,
  sentAt: n.sentAt ?? null,
  updatedAt: n.updatedAt,
});

/** The admin's view of e-mail: notifications by state, and sending a failed one again. */
export function notificationsRouter(commands: CommandContext): Router {
  const router = new Router();
  const admin = requireStaff({ roles: ['admin'] });

  router.get('/api/v1/admin/notifications', admin, async (ctx) => {
    const query = parse(notificationsQuery, ctx.query);
    const items = await notificationAdminRepository(commands.models).listByState(query.state, {
      limit: query.limit,
      before: query.before ? new Date(query.before) : undefined,
    });
    ctx.body = { items: items.map(presentNotification) };
  });

  router.post('/api/v1/admin/notifications/:id/resend', admin, async (ctx) => {
    const resend = await queueNotificationResend(commands, ctx.params.id!);
    if (resend.outcome === 'not_found') throw notFound('notification');
    if (resend.outcome === 'not_failed')
      throw conflict('not_failed', 'Only failed e-mails can be sent again.');
    ctx.status = 202;
    ctx.body = presentNotification(resend.notification);
  });

  return router;
}
