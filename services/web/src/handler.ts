import type { Middleware } from 'koa';
import type { WebContext } from './web-context.ts';

/** Adapts a page handler to @koa/router, whose context type knows nothing of `ctx.state.web`. */
export function page(fn: (ctx: WebContext) => Promise<void> | void): Middleware {
  return async function pageHandler(ctx) {
    await fn(ctx as unknown as WebContext);
  };
}

/** Post/Redirect/Get: after a successful POST, the browser GETs the page again. */
export function seeOther(ctx: WebContext, location: string) {
  ctx.status = 303;
  ctx.redirect(location);
}
