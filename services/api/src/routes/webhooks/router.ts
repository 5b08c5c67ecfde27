import Router from '@koa/router';
import { type CommandContext, registerWebhook, type StaffPrincipal } from '@quipu/commands';
import { type WebhookDeliveryRecord, type WebhookRecord, webhookRepository } from '@quipu/db';
import { notFound, requireStaff } from '@quipu/http';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';
import { webhookBody, webhookPatch } from './schema.ts';

registerOperation({
  method: 'get',
  path: '/api/v1/admin/webhooks',
  summary: 'Outgoing webhooks',
  tags: ['admin'],
  security: 'admin',
  responses: { 200: { description: 'Webhooks' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/admin/webhooks',
  summary: 'Register a webhook (signed JSON POSTs of ticket events); the secret is shown once',
  tags: ['admin'],
  security: 'admin',
  body: webhookBody,
  responses: { 201: { description: 'Registered' } },
});
registerOperation({
  method: 'patch',
  path: '/api/v1/admin/webhooks/:id',
  summary: 'Pause or resume a webhook',
  tags: ['admin'],
  security: 'admin',
  body: webhookPatch,
  responses: { 200: { description: 'Changed' } },
});
registerOperation({
  method: 'delete',
  path: '/api/v1/admin/webhooks/:id',
  summary: 'Remove a webhook',
  tags: ['admin'],
  security: 'admin',
  responses: { 204: { description: 'Removed' } },
});
registerOperation({
  method: 'get',
  path: '/api/v1/admin/webhooks/:id/deliveries',
  summary: 'Delivery log of a webhook, newest first',
  tags: ['admin'],
  security: 'admin',
  responses: { 200: { description: 'Deliveries' } },
});

function body(ctx: { request: unknown }): unknown {
  return (ctx.request as { body?: unknown }).body;
}

// The secret is shown once, when registered (see the POST handler), never here.
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

/** Outgoing webhooks (admins only): register, pause, remove, and each one's delivery log. */
export function webhooksRouter(commands: CommandContext): Router {
  const router = new Router();
  const admin = requireStaff({ roles: ['admin'] });
  const principalOf = (ctx: { state: { principal?: StaffPrincipal } }) => ctx.state.principal!;

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

  return router;
}
