import Router from '@koa/router';
import {
  type CommandContext,
  createOrganisation,
  createTeam,
  createUser,
  resetRoutingConfig,
  routingConfigOf,
  type StaffPrincipal,
  saveRoutingConfig,
  updateTeam,
  updateUser,
} from '@quipu/commands';
import type { OrganisationRecord, TeamRecord, UserRecord } from '@quipu/db';
import { type AppDeps, notFound, requireStaff, SESSION_COOKIE } from '@quipu/http';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';
import { organisationBody, organisationPatch, teamBody, teamPatch, userBody, userPatch } from './schema.ts';

const A = 'admin' as const;
registerOperation({
  method: 'get',
  path: '/api/v1/admin/organisations',
  summary: 'Organisations (admins: all; managers: theirs)',
  tags: ['admin'],
  security: A,
  responses: { 200: { description: 'List' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/admin/organisations',
  summary: 'Create an organisation (with parent)',
  tags: ['admin'],
  security: A,
  body: organisationBody,
  responses: { 201: { description: 'Created' } },
});
registerOperation({
  method: 'patch',
  path: '/api/v1/admin/organisations/:id',
  summary: 'Edit an organisation',
  tags: ['admin'],
  security: A,
  body: organisationPatch,
  responses: { 200: { description: 'Changed' } },
});
registerOperation({
  method: 'get',
  path: '/api/v1/admin/teams',
  summary: 'Teams',
  tags: ['admin'],
  security: A,
  responses: { 200: { description: 'List' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/admin/teams',
  summary: 'Create a team',
  tags: ['admin'],
  security: A,
  body: teamBody,
  responses: { 201: { description: 'Created' } },
});
registerOperation({
  method: 'patch',
  path: '/api/v1/admin/teams/:id',
  summary: 'Edit a team (members, strategy, cap)',
  tags: ['admin'],
  security: A,
  body: teamPatch,
  responses: { 200: { description: 'Changed' } },
});
registerOperation({
  method: 'get',
  path: '/api/v1/admin/users',
  summary: 'Users',
  tags: ['admin'],
  security: A,
  responses: { 200: { description: 'List' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/admin/users',
  summary: 'Create a user with roles',
  tags: ['admin'],
  security: A,
  body: userBody,
  responses: { 201: { description: 'Created' } },
});
registerOperation({
  method: 'patch',
  path: '/api/v1/admin/users/:id',
  summary:
    'Edit a user (roles, away, active, password); a new password ends their sessions, all but the caller’s own',
  tags: ['admin'],
  security: A,
  body: userPatch,
  responses: { 200: { description: 'Changed' } },
});

const presentOrganisation = (o: OrganisationRecord) => ({
  id: String(o._id),
  slug: o.slug,
  name: o.name,
  parentId: o.parentId ? String(o.parentId) : null,
  calendarId: o.calendarId,
  contactEmail: o.contactEmail ?? null,
});
const presentTeam = (t: TeamRecord) => ({
  id: String(t._id),
  organisationId: String(t.organisationId),
  slug: t.slug,
  name: t.name,
  leadIds: (t.leadIds ?? []).map(String),
  memberIds: (t.memberIds ?? []).map(String),
  strategy: t.strategy,
  capPerOfficer: t.capPerOfficer ?? null,
});
const presentUser = (u: UserRecord) => ({
  id: String(u._id),
  email: u.email,
  name: u.name,
  roles: u.roles,
  organisationIds: (u.organisationIds ?? []).map(String),
  away: Boolean(u.away),
  active: u.active !== false,
  language: u.language,
  lastLoginAt: u.lastLoginAt ?? null,
});

function body(ctx: { request: unknown }): unknown {
  return (ctx.request as { body?: unknown }).body;
}

/** Directory administration. Admins manage everything; managers read their organisations. */
registerOperation({
  method: 'get',
  path: '/api/v1/admin/routing',
  summary: 'The routing rules in force (saved by an admin, else config/routing.json)',
  tags: ['admin'],
  security: A,
  responses: { 200: { description: 'Rules' } },
});
registerOperation({
  method: 'put',
  path: '/api/v1/admin/routing',
  summary: 'Replace the routing rules (validated in full)',
  tags: ['admin'],
  security: A,
  responses: { 200: { description: 'Saved' }, 400: { description: 'Invalid rules, with the problems' } },
});
registerOperation({
  method: 'delete',
  path: '/api/v1/admin/routing',
  summary: 'Go back to config/routing.json',
  tags: ['admin'],
  security: A,
  responses: { 204: { description: 'Reset' } },
});

export function adminRouter(_deps: AppDeps, commands: CommandContext): Router {
  const router = new Router({ prefix: '/api/v1/admin' });
  const admin = requireStaff({ roles: ['admin'] });
  const reader = requireStaff({ roles: ['admin', 'manager'] });
  const scope = (ctx: { state: { principal: StaffPrincipal } }) => ctx.state.principal.scope;

  router.get('/routing', reader, async (ctx) => {
    const { source, config, updatedAt } = await routingConfigOf(commands);
    ctx.body = { source, updatedAt: updatedAt ?? null, ...config };
  });
  router.put('/routing', admin, async (ctx) => {
    const config = await saveRoutingConfig(commands, ctx.state.principal, body(ctx));
    ctx.body = { source: 'admin', ...config };
  });
  router.delete('/routing', admin, async (ctx) => {
    await resetRoutingConfig(commands);
    ctx.status = 204;
  });
  router.get('/organisations', reader, async (ctx) => {
    ctx.body = { items: (await commands.directory.listOrganisations(scope(ctx))).map(presentOrganisation) };
  });
  router.post('/organisations', admin, async (ctx) => {
    ctx.status = 201;
    ctx.body = presentOrganisation(await createOrganisation(commands, parse(organisationBody, body(ctx))));
  });
  router.patch('/organisations/:id', admin, async (ctx) => {
    const updated = await commands.directory.updateOrganisation(
      ctx.params.id!,
      parse(organisationPatch, body(ctx)),
    );
    if (!updated) throw notFound('organisation');
    ctx.body = presentOrganisation(updated);
  });
  router.get('/teams', reader, async (ctx) => {
    ctx.body = { items: (await commands.directory.listTeams(scope(ctx))).map(presentTeam) };
  });
  router.post('/teams', admin, async (ctx) => {
    ctx.status = 201;
    ctx.body = presentTeam(await createTeam(commands, parse(teamBody, body(ctx))));
  });
  router.patch('/teams/:id', admin, async (ctx) => {
    const updated = await updateTeam(commands, scope(ctx), ctx.params.id!, parse(teamPatch, body(ctx)));
    if (!updated) throw notFound('team');
    ctx.body = presentTeam(updated);
  });
  router.get('/users', reader, async (ctx) => {
    ctx.body = { items: (await commands.directory.listUsers(scope(ctx))).map(presentUser) };
  });
  router.post('/users', admin, async (ctx) => {
    ctx.status = 201;
    ctx.body = presentUser(await createUser(commands, parse(userBody, body(ctx))));
  });
  router.patch('/users/:id', admin, async (ctx) => {
    const updated = await updateUser(commands, scope(ctx), ctx.params.id!, parse(userPatch, body(ctx)), {
      currentSessionId: ctx.state.via === 'session' ? ctx.cookies.get(SESSION_COOKIE) : undefined,
    });
    if (!updated) throw notFound('user');
    ctx.body = presentUser(updated);
  });
  return router;
}
