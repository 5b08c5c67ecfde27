import { createHash } from 'node:crypto';
import Router from '@koa/router';
import {
  addCalendarHoliday,
  type CommandContext,
  describeCalendar,
  effectiveCalendars,
  explainTicketSla,
  extendDeadline,
  loadPublicTicket,
  loadTicket,
  registerWebhook,
  type StaffPrincipal,
  setSubscriptionDigest,
} from '@quipu/commands';
import {
  calendarOverrideRepository,
  type NotificationRecord,
  notificationAdminRepository,
  preferenceRepository,
  type WebhookDeliveryRecord,
  type WebhookRecord,
  webhookRepository,
} from '@quipu/db';
import { type AppDeps, conflict, notFound, requireStaff } from '@quipu/http';
import { JOBS } from '@quipu/queue';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';
import {
  calendarsQuery,
  digestBody,
  extensionBody,
  holidayBody,
  langQuery,
  notificationsQuery,
  preferencesBody,
  webhookBody,
  webhookPatch,
} from './schema.ts';

const ops: Array<Parameters<typeof registerOperation>[0]> = [
  {
    method: 'get',
    path: '/api/v1/tickets/:ref/sla',
    summary: 'Why each deadline of a public ticket is what it is (start, pauses, holidays skipped)',
    tags: ['tickets'],
    query: langQuery,
    responses: { 200: { description: 'Deadlines explained' }, 404: { description: 'Not public or unknown' } },
  },
  {
    method: 'get',
    path: '/api/v1/staff/tickets/:ref/sla',
    summary: 'Deadlines of a ticket, explained, with extensions',
    tags: ['staff'],
    security: 'staff',
    query: langQuery,
    responses: { 200: { description: 'Deadlines explained' } },
  },
  {
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
  },
  {
    method: 'get',
    path: '/api/v1/admin/calendars',
    summary: 'Business calendars in force (config + decreed days), with a year of holidays',
    tags: ['admin'],
    security: 'admin',
    query: calendarsQuery,
    responses: { 200: { description: 'Calendars' } },
  },
  {
    method: 'post',
    path: '/api/v1/admin/calendars/:id/holidays',
    summary: 'Decree a one-off non-working day; open tickets on the calendar are recomputed',
    tags: ['admin'],
    security: 'admin',
    body: holidayBody,
    responses: { 201: { description: 'Added' }, 200: { description: 'Already decreed' } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/notifications',
    summary: 'E-mails by state (default: failed), newest first',
    tags: ['admin'],
    security: 'admin',
    query: notificationsQuery,
    responses: { 200: { description: 'Notifications' } },
  },
  {
    method: 'post',
    path: '/api/v1/admin/notifications/:id/resend',
    summary: 'Send a failed e-mail again',
    tags: ['admin'],
    security: 'admin',
    responses: { 202: { description: 'Queued' }, 409: { description: 'Not failed' } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/webhooks',
    summary: 'Outgoing webhooks',
    tags: ['admin'],
    security: 'admin',
    responses: { 200: { description: 'Webhooks' } },
  },
  {
    method: 'post',
    path: '/api/v1/admin/webhooks',
    summary: 'Register a webhook (signed JSON POSTs of ticket events); the secret is shown once',
    tags: ['admin'],
    security: 'admin',
    body: webhookBody,
    responses: { 201: { description: 'Registered' } },
  },
  {
    method: 'patch',
    path: '/api/v1/admin/webhooks/:id',
    summary: 'Pause or resume a webhook',
    tags: ['admin'],
    security: 'admin',
    body: webhookPatch,
    responses: { 200: { description: 'Changed' } },
  },
  {
    method: 'delete',
    path: '/api/v1/admin/webhooks/:id',
    summary: 'Remove a webhook',
    tags: ['admin'],
    security: 'admin',
    responses: { 204: { description: 'Removed' } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/webhooks/:id/deliveries',
    summary: 'Delivery log of a webhook, newest first',
    tags: ['admin'],
    security: 'admin',
    responses: { 200: { description: 'Deliveries' } },
  },
  {
    method: 'post',
    path: '/api/v1/subscriptions/:token/digest',
    summary: 'Follow by daily digest instead of one e-mail per update (link from the e-mail)',
    tags: ['tickets'],
    body: digestBody,
    responses: { 200: { description: 'Saved' }, 404: { description: 'Unknown link' } },
  },
  {
    method: 'put',
    path: '/api/v1/staff/preferences',
    summary: 'My e-mail preferences (daily digest)',
    tags: ['staff'],
    security: 'staff',
    body: preferencesBody,
    responses: { 200: { description: 'Saved' } },
  },
];
for (const op of ops) registerOperation(op);

function body(ctx: { request: unknown }): unknown {
  return (ctx.request as { body?: unknown }).body;
}

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

const presentWebhook = (w: WebhookRecord) => ({
  id: String(w._id),
  url: w.url,
  events: w.events,
  organisationIds: (w.organisationIds ?? []).map(String),
  active: w.active,
  description: w.description ?? null,
  createdAt: w.createdAt,
});

const presentDelivery = (d: WebhookDeliveryRecord) => ({
  id: d._id,
  eventId: d.eventId,
  eventType: d.eventType,
  ticketId: d.ticketId ? String(d.ticketId) : null,
  state: d.state,
  attempts: d.attempts,
  lastStatus: d.lastStatus ?? null,
  lastError: d.lastError ?? null,
  deliveredAt: d.deliveredAt ?? null,
  log: d.log,
});

/**
 * SLA explanations and extensions, calendars, failed e-mails and webhooks (issue 6). Absolute
 * paths: they sit beside the ticket and admin routers without sharing their middleware.
 */
export function slaRouter(deps: AppDeps, commands: CommandContext): Router {
  const router = new Router();
  const staff = requireStaff();
  const admin = requireStaff({ roles: ['admin'] });
  const reader = requireStaff({ roles: ['admin', 'manager'] });
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

  router.get('/api/v1/admin/calendars', reader, async (ctx) => {
    const { year } = parse(calendarsQuery, ctx.query);
    const y =
      year ??
      Number(
        new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: deps.config.portal.timeZone }).format(
          commands.now(),
        ),
      );
    const calendars = await effectiveCalendars(commands);
    const overrides = await calendarOverrideRepository(commands.models).list();
    ctx.body = { items: [...calendars.values()].map((c) => describeCalendar(c, y, overrides)) };
  });

  router.post('/api/v1/admin/calendars/:id/holidays', admin, async (ctx) => {
    const input = parse(holidayBody, body(ctx));
    const result = await addCalendarHoliday(
      commands,
      principalOf(ctx),
      { calendar: ctx.params.id!, ...input },
      async (calendarId, jobId) => {
        try {
          await JOBS.recomputeCalendar.add(deps.queues, { calendarId }, { jobId });
        } catch (error) {
          // Redis down: the SLA reconciliation sweep rewrites every block that no longer matches.
          ctx.state.log?.warn({ err: (error as Error).message }, 'recompute-calendar not queued');
        }
      },
    );
    ctx.status = result.added ? 201 : 200;
    ctx.body = result;
  });

  router.get('/api/v1/admin/notifications', admin, async (ctx) => {
    const query = parse(notificationsQuery, ctx.query);
    const items = await notificationAdminRepository(commands.models).listByState(query.state, {
      limit: query.limit,
      before: query.before ? new Date(query.before) : undefined,
    });
    ctx.body = { items: items.map(presentNotification) };
  });

  router.post('/api/v1/admin/notifications/:id/resend', admin, async (ctx) => {
    const id = ctx.params.id!;
    const repo = notificationAdminRepository(commands.models);
    const now = commands.now();
    // Notification ids hold ':' (`<event>:<recipient>`), which BullMQ refuses in job ids: hash it.
    const jobId = `resend-${createHash('sha256').update(id).digest('hex').slice(0, 24)}-${now.getTime()}`;
    const updated = await repo.queueResend(
      id,
      JOBS.resendNotification.entry({ notificationId: id }, { id: jobId, now }),
    );
    if (!updated) {
      if (!(await repo.find(id))) throw notFound('notification');
      throw conflict('not_failed', 'Only failed e-mails can be sent again.');
    }
    await deps.kickOutbox(id, 'notifications');
    ctx.status = 202;
    ctx.body = presentNotification(updated);
  });

  router.get('/api/v1/admin/webhooks', admin, async (ctx) => {
    ctx.body = { items: (await webhookRepository(commands.models).list()).map(presentWebhook) };
  });

  router.post('/api/v1/admin/webhooks', admin, async (ctx) => {
    const input = parse(webhookBody, body(ctx));
    const { webhook, secret } = await registerWebhook(commands, principalOf(ctx), input);
    ctx.status = 201;
    ctx.body = { ...presentWebhook(webhook), secret };
  });

  router.patch('/api/v1/admin/webhooks/:id', admin, async (ctx) => {
    const { active } = parse(webhookPatch, body(ctx));
    const updated = await webhookRepository(commands.models).setActive(ctx.params.id!, active);
    if (!updated) throw notFound('webhook');
    ctx.body = presentWebhook(updated);
  });

  router.delete('/api/v1/admin/webhooks/:id', admin, async (ctx) => {
    if (!(await webhookRepository(commands.models).remove(ctx.params.id!))) throw notFound('webhook');
    ctx.status = 204;
  });

  router.get('/api/v1/admin/webhooks/:id/deliveries', admin, async (ctx) => {
    const repo = webhookRepository(commands.models);
    if (!(await repo.find(ctx.params.id!))) throw notFound('webhook');
    ctx.body = { items: (await repo.deliveries(ctx.params.id!)).map(presentDelivery) };
  });

  router.post('/api/v1/subscriptions/:token/digest', async (ctx) => {
    const { digest } = parse(digestBody, body(ctx));
    ctx.body = await setSubscriptionDigest(commands, ctx.params.token!, digest);
  });

  router.put('/api/v1/staff/preferences', staff, async (ctx) => {
    const { dailyDigest } = parse(preferencesBody, body(ctx));
    await preferenceRepository(commands.models).setDailyDigest(principalOf(ctx).userId, dailyDigest);
    ctx.body = { dailyDigest };
  });

  return router;
}
