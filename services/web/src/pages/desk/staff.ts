import type { StaffPrincipal } from '@quipu/commands';
import { checkCsrf } from '@quipu/http';
import type { Middleware } from 'koa';
import { PageError } from '../../errors.ts';
import { seeOther } from '../../handler.ts';
import type { WebContext } from '../../web-context.ts';

/** Staff pages need a cookie session; a state-changing POST also needs the session's CSRF token. */
export function requireStaffPage(): Middleware {
  return async function requireStaffPageMiddleware(ctx, next) {
    const web = ctx as unknown as WebContext;
    if (!web.state.principal || web.state.via !== 'session') {
      if (ctx.method === 'GET' || ctx.method === 'HEAD') {
        seeOther(web, `/mesa/ingresar?volver=${encodeURIComponent(ctx.originalUrl)}`);
        return;
      }
      throw new PageError(401, 'error.unauthenticated');
    }
    if (ctx.method === 'POST') checkCsrf(ctx);
    await next();
  };
}

export function principalOf(ctx: WebContext): StaffPrincipal {
  return ctx.state.principal!;
}
