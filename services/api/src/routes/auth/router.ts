import Router from '@koa/router';
import { type CommandContext, createApiToken, login, logout, type StaffPrincipal } from '@quipu/commands';
import {
  type AppDeps,
  clearSessionCookie,
  notFound,
  rateLimit,
  requireStaff,
  SESSION_COOKIE,
  setSessionCookie,
} from '@quipu/http';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';
import { loginBody, tokenBody } from './schema.ts';

registerOperation({
  method: 'post',
  path: '/api/v1/auth/login',
  summary: 'Staff login: sets the session cookie, returns the CSRF token',
  tags: ['auth'],
  body: loginBody,
  responses: {
    200: { description: 'Signed in' },
    401: { description: 'Wrong credentials' },
    429: {
      description:
        'Too many attempts from this address (across accounts) or on this account from this address; see Retry-After',
    },
  },
});
registerOperation({
  method: 'post',
  path: '/api/v1/auth/logout',
  summary: 'End the session',
  tags: ['auth'],
  security: 'staff',
  responses: { 204: { description: 'Signed out' } },
});
registerOperation({
  method: 'get',
  path: '/api/v1/auth/me',
  summary: 'The signed-in user',
  tags: ['auth'],
  security: 'staff',
  responses: { 200: { description: 'The user' } },
});
registerOperation({
  method: 'get',
  path: '/api/v1/auth/tokens',
  summary: 'My API tokens (never the secret), each with `expiresAt` (null: until revoked)',
  tags: ['auth'],
  security: 'staff',
  responses: { 200: { description: 'Tokens' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/auth/tokens',
  summary:
    'Create an API token (shown once); `expiresInDays` (1–366) makes it stop working then, answering 401',
  tags: ['auth'],
  security: 'staff',
  body: tokenBody,
  responses: {
    201: {
      description: 'Created: the token, its id, name, prefix, createdAt and expiresAt (null: until revoked)',
    },
    400: { description: 'No name, or an expiry outside 1–366 days' },
  },
});
registerOperation({
  method: 'delete',
  path: '/api/v1/auth/tokens/:id',
  summary: 'Revoke an API token',
  tags: ['auth'],
  security: 'staff',
  responses: { 204: { description: 'Revoked' } },
});

export function presentPrincipal(principal: StaffPrincipal) {
  return {
    id: principal.userId,
    name: principal.name,
    email: principal.email,
    roles: principal.roles,
    organisationIds: principal.organisationIds,
    teamIds: principal.teamIds,
    language: principal.language,
  };
}

export function authRouter(deps: AppDeps, commands: CommandContext): Router {
  const router = new Router({ prefix: '/api/v1/auth' });
  router.post(
    '/login',
    // One budget per address across accounts (spraying one password over many e-mails), then
    // one per address and account (guessing one account's password).
    rateLimit({
      redis: deps.redis,
      prefix: deps.config.redis.prefix,
      name: 'login-address',
      limit: deps.config.auth.loginAttemptsPerAddressPerMinute,
      windowSeconds: 60,
    }),
    rateLimit({
      redis: deps.redis,
      prefix: deps.config.redis.prefix,
      name: 'login',
      limit: deps.config.auth.loginAttemptsPerMinute,
      windowSeconds: 60,
      keyOf: (ctx) =>
        String((ctx.request as { body?: { email?: unknown } }).body?.email ?? '')
          .toLowerCase()
          .slice(0, 254),
    }),
    async (ctx) => {
      const body = parse(loginBody, (ctx.request as { body?: unknown }).body);
      const session = await login(commands, body);
      setSessionCookie(ctx, deps.config, session.sessionId);
      ctx.body = { user: presentPrincipal(session.principal), csrfToken: session.csrfToken };
    },
  );
  router.post('/logout', requireStaff(), async (ctx) => {
    const cookie = ctx.cookies.get(SESSION_COOKIE);
    if (cookie) await logout(commands, cookie);
    clearSessionCookie(ctx);
    ctx.status = 204;
  });
  router.get('/me', requireStaff(), (ctx) => {
    ctx.body = {
      user: presentPrincipal(ctx.state.principal),
      ...(ctx.state.csrfToken ? { csrfToken: ctx.state.csrfToken } : {}),
    };
  });
  router.get('/tokens', requireStaff(), async (ctx) => {
    const tokens = await commands.directory.listApiTokens(ctx.state.principal.userId);
    ctx.body = {
      items: tokens.map((t) => ({
        id: String(t._id),
        name: t.name,
        prefix: t.prefix,
        createdAt: t.createdAt,
        lastUsedAt: t.lastUsedAt ?? null,
        revokedAt: t.revokedAt ?? null,
        expiresAt: t.expiresAt ?? null,
      })),
    };
  });
  router.post('/tokens', requireStaff(), async (ctx) => {
    const body = parse(tokenBody, (ctx.request as { body?: unknown }).body);
    ctx.status = 201;
    ctx.body = await createApiToken(commands, ctx.state.principal, body.name, {
      expiresInDays: body.expiresInDays,
    });
  });
  router.delete('/tokens/:id', requireStaff(), async (ctx) => {
    const revoked = await commands.directory.revokeApiToken(
      ctx.state.principal.userId,
      ctx.params.id!,
      commands.now(),
    );
    if (!revoked) throw notFound('token');
    ctx.status = 204;
  });
  return router;
}
