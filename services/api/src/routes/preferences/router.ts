import Router from '@koa/router';
import type { CommandContext, StaffPrincipal } from '@quipu/commands';
import { preferenceRepository } from '@quipu/db';
import { requireStaff } from '@quipu/http';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';
import { preferencesBody } from './schema.ts';

registerOperation({
  method: 'put',
  path: '/api/v1/staff/preferences',
  summary: 'My e-mail preferences (daily digest)',
  tags: ['staff'],
  security: 'staff',
  body: preferencesBody,
  responses: { 200: { description: 'Saved' } },
});

function body(ctx: { request: unknown }): unknown {
  return (ctx.request as { body?: unknown }).body;
}

/** A staff member's own e-mail preferences (the managers' daily digest). */
export function preferencesRouter(commands: CommandContext): Router {
  const router = new Router();
  const staff = requireStaff();

  router.put('/api/v1/staff/preferences', staff, async (ctx) => {
    const { dailyDigest } = parse(preferencesBody, body(ctx));
    const principal = ctx.state.principal as StaffPrincipal;
    await preferenceRepository(commands.models).setDailyDigest(principal.userId, dailyDigest);
    ctx.body = { dailyDigest };
  });

  return router;
}
