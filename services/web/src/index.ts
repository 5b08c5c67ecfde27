import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type Router from '@koa/router';
import type { AppDeps, Mount } from '@quipu/api';
import type Koa from 'koa';
import { webErrors } from './errors.ts';
import { assetUrls } from './layout.ts';
import { dashboardPages } from './pages/dashboard.ts';
import { deskPages } from './pages/desk.ts';
import { intakePages } from './pages/intake.ts';
import { moderationPages } from './pages/moderation.ts';
import { publicTicketPages } from './pages/public-tickets.ts';
import { trackingPages, verificationPages } from './pages/tracking.ts';
import { transparencyPages } from './pages/transparency.ts';
import { widgetPages } from './pages/widget.ts';
import { webContext } from './web-context.ts';

const CSS = readFileSync(new URL('./assets/site.css', import.meta.url), 'utf8');
const CSS_HASH = createHash('sha256').update(CSS).digest('hex').slice(0, 12);
assetUrls.css = `/static/site.css?v=${CSS_HASH}`;

/** Pages share the app with the JSON API; they answer everything outside /api/. */
function pagesOnly(middleware: Koa.Middleware): Koa.Middleware {
  return async function pagesOnlyMiddleware(ctx, next) {
    if (ctx.path.startsWith('/api/')) return await next();
    return await middleware(ctx, next);
  };
}

function staticAssets(): Koa.Middleware {
  return async function staticAssetsMiddleware(ctx, next) {
    if (ctx.path !== '/static/site.css' || !['GET', 'HEAD'].includes(ctx.method)) return await next();
    ctx.type = 'text/css; charset=utf-8';
    ctx.set('ETag', `"${CSS_HASH}"`);
    // The URL carries the content hash: a new stylesheet is a new URL, so this one never changes.
    ctx.set(
      'Cache-Control',
      ctx.query.v === CSS_HASH ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    );
    if (ctx.get('If-None-Match') === `"${CSS_HASH}"`) {
      ctx.status = 304;
      return;
    }
    ctx.body = CSS;
  };
}

/** The web UI: public pages, the reporter's tracking pages, the officers' desk, the widget. */
export const mountWeb: Mount = (app: Koa, deps: AppDeps) => {
  app.use(staticAssets());
  app.use(pagesOnly(webContext(deps) as unknown as Koa.Middleware));
  app.use(pagesOnly(webErrors as unknown as Koa.Middleware));
  const routers: Router[] = [
    intakePages(deps),
    publicTicketPages(deps),
    trackingPages(deps),
    verificationPages(deps),
    widgetPages(deps),
    deskPages(deps),
    moderationPages(deps),
    dashboardPages(deps),
    transparencyPages(deps),
  ];
  for (const router of routers) {
    app.use(pagesOnly(router.routes() as unknown as Koa.Middleware));
    app.use(pagesOnly(router.allowedMethods() as unknown as Koa.Middleware));
  }
};
