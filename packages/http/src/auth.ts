import {
  type CommandContext,
  principalFromApiToken,
  principalFromSession,
  type StaffPrincipal,
} from '@quipu/commands';
import type { Middleware, ParameterizedContext } from 'koa';
import { forbidden, unauthenticated } from './errors.ts';

export const SESSION_COOKIE = 'quipu_session';

/** A signed-in session's cookie: HTTP only, same-site lax, `secure` when the portal is on HTTPS. */
export function setSessionCookie(
  ctx: Pick<ParameterizedContext, 'cookies'>,
  config: { http: { publicBaseUrl: string }; session: { ttlHours: number } },
  sessionId: string,
): void {
  ctx.cookies.set(SESSION_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.http.publicBaseUrl.startsWith('https:'),
    path: '/',
    maxAge: config.session.ttlHours * 3_600_000,
    overwrite: true,
  });
}

export function clearSessionCookie(ctx: Pick<ParameterizedContext, 'cookies'>): void {
  ctx.cookies.set(SESSION_COOKIE, null, { path: '/' });
}

export interface AuthState {
  principal?: StaffPrincipal;
  /** How the principal was established; CSRF applies to cookie sessions only. */
  via?: 'session' | 'token';
  csrfToken?: string;
}

/**
 * Establishes who is calling: a bearer API token, or the session cookie. Sets nothing for
 * anonymous callers; routes that need staff use `requireStaff`.
 */
export function authenticate(options: { commands: CommandContext }): Middleware {
  return async function authenticateMiddleware(ctx, next) {
    const header = ctx.get('Authorization');
    if (header.startsWith('Bearer ')) {
      const principal = await principalFromApiToken(options.commands, header.slice(7).trim());
      if (!principal) throw unauthenticated('The API token is not valid.');
      ctx.state.principal = principal;
      ctx.state.via = 'token';
    } else {
      const cookie = ctx.cookies.get(SESSION_COOKIE);
      if (cookie) {
        const found = await principalFromSession(options.commands, cookie);
        if (found) {
          ctx.state.principal = found.principal;
          ctx.state.via = 'session';
          ctx.state.csrfToken = found.csrfToken;
        }
      }
    }
    await next();
  };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Staff only; state-changing requests on a cookie session must carry the CSRF token. */
export function requireStaff(options: { roles?: string[] } = {}): Middleware {
  return async function requireStaffMiddleware(ctx, next) {
    const principal = ctx.state.principal as StaffPrincipal | undefined;
    if (!principal) throw unauthenticated();
    if (ctx.state.via === 'session' && !SAFE.has(ctx.method)) checkCsrf(ctx);
    if (options.roles && !options.roles.some((role) => principal.roles.includes(role))) {
      throw forbidden(`This needs one of the roles: ${options.roles.join(', ')}.`);
    }
    await next();
  };
}

export function checkCsrf(ctx: ParameterizedContext): void {
  const sent =
    ctx.get('X-CSRF-Token') ||
    ((ctx.request as { body?: Record<string, unknown> }).body?._csrf as string | undefined);
  if (!sent || sent !== ctx.state.csrfToken) throw forbidden('Missing or wrong CSRF token.');
}
