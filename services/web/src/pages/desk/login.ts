import { randomBytes, timingSafeEqual } from 'node:crypto';
import type Router from '@koa/router';
import { CommandError, login, logout } from '@quipu/commands';
import { type AppDeps, clearSessionCookie, rateLimit, SESSION_COOKIE, setSessionCookie } from '@quipu/http';
import type { Middleware } from 'koa';
import { PageError } from '../../errors.ts';
import { errorSummary, type FieldErrors, formBody, input } from '../../forms.ts';
import { page, seeOther } from '../../handler.ts';
import { html } from '../../html.ts';
import { sendPage } from '../../layout.ts';
import { commandsOf, type WebContext } from '../../web-context.ts';

/** Where to go after signing in: only our own desk pages (no open redirect). */
function safeReturn(value: unknown): string {
  return typeof value === 'string' && /^\/mesa(?:[/?]|$)/.test(value) && !value.startsWith('//')
    ? value
    : '/mesa';
}

const LOGIN_COOKIE = 'quipu_login';

/**
 * Login CSRF (someone signing a victim into the attacker's account): the form carries a
 * random token that must match a cookie only this site can set (double submit).
 */
function loginToken(ctx: WebContext): string {
  const token = randomBytes(18).toString('base64url');
  ctx.cookies.set(LOGIN_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/mesa/ingresar',
    maxAge: 3_600_000,
    overwrite: true,
  });
  return token;
}

function loginTokenMatches(ctx: WebContext, sent: string | undefined): boolean {
  const kept = ctx.cookies.get(LOGIN_COOKIE);
  if (!kept || !sent || kept.length !== sent.length) return false;
  return timingSafeEqual(Buffer.from(kept), Buffer.from(sent));
}

function loginPage(
  ctx: WebContext,
  values: { email?: string; volver?: string },
  failed: boolean,
  status = 200,
) {
  const { t } = ctx.state.web;
  const token = loginToken(ctx);
  const errors: FieldErrors = failed ? { email: t('login.failed') } : {};
  sendPage(ctx, {
    status,
    title: t('login.title'),
    main: html`<h1>${t('login.title')}</h1>
${errorSummary(errors, t)}
<form method="post" action="/mesa/ingresar" class="stack">
<input type="hidden" name="_csrf" value="${token}">
<input type="hidden" name="volver" value="${safeReturn(values.volver)}">
${input({ t, name: 'email', type: 'email', label: t('login.email'), value: values.email, error: errors.email, required: true, autocomplete: 'username' })}
${input({ t, name: 'password', type: 'password', label: t('login.password'), required: true, autocomplete: 'current-password' })}
<button type="submit">${t('login.submit')}</button>
</form>`,
  });
}

/** The desk's sign-in and sign-out. */
export function loginPages(router: Router, deps: AppDeps, staff: Middleware): void {
  router.get(
    '/mesa/ingresar',
    page((ctx) => {
      if (ctx.state.principal && ctx.state.via === 'session')
        return seeOther(ctx, safeReturn(ctx.query.volver));
      loginPage(ctx, { volver: typeof ctx.query.volver === 'string' ? ctx.query.volver : undefined }, false);
    }),
  );
  router.post(
    '/mesa/ingresar',
    rateLimit({
      redis: deps.redis,
      prefix: deps.config.redis.prefix,
      name: 'web-login',
      limit: 10,
      windowSeconds: 60,
    }),
    page(async (ctx) => {
      const body = formBody(ctx);
      if (!loginTokenMatches(ctx, body._csrf)) throw new PageError(403, 'error.csrf');
      const email = (body.email ?? '').trim().slice(0, 254);
      try {
        const session = await login(commandsOf(ctx), {
          email,
          password: (body.password ?? '').slice(0, 1000),
        });
        setSessionCookie(ctx, deps.config, session.sessionId);
        seeOther(ctx, safeReturn(body.volver));
      } catch (error) {
        if (!(error instanceof CommandError) || error.code !== 'invalid_credentials') throw error;
        loginPage(ctx, { email, volver: body.volver }, true, 401);
      }
    }),
  );
  router.post(
    '/mesa/salir',
    staff,
    page(async (ctx) => {
      const cookie = ctx.cookies.get(SESSION_COOKIE);
      if (cookie) await logout(commandsOf(ctx), cookie);
      clearSessionCookie(ctx);
      seeOther(ctx, '/');
    }),
  );
}
