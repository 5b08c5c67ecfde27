import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type Router from '@koa/router';
import type { AppDeps, Mount } from '@quipu/http';
import type Koa from 'koa';
import { webErrors } from './errors.ts';
import { assetUrls } from './layout.ts';
import { accountPages } from './pages/account.ts';
import { adminPages } from './pages/admin/index.ts';
import { dashboardPages } from './pages/dashboard/index.ts';
import { deskPages } from './pages/desk/index.ts';
import { intakePages } from './pages/intake.ts';
import { moderationPages } from './pages/moderation.ts';
import { publicTicketPages } from './pages/public-tickets.ts';
import { qualityReportPages } from './pages/quality-report.ts';
import { trackingPages, verificationPages } from './pages/tracking.ts';
import { transparencyPages } from './pages/transparency.ts';
import { widgetPages } from './pages/widget.ts';
import { webContext } from './web-context.ts';

interface StaticAsset {
  type: string;
  body: string;
  hash: string;
}

/** A file of ./assets/, served at /static/<file>; its URL carries a hash of its content. */
function staticAsset(file: string, type: string): [string, StaticAsset] {
  const body = readFileSync(new URL(`./assets/${file}`, import.meta.url), 'utf8');
  return [
    `/static/${file}`,
    { type, body, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) },
  ];
}

const ASSETS = new Map([
  staticAsset('site.css', 'text/css; charset=utf-8'),
  staticAsset('desk.js', 'text/javascript; charset=utf-8'),
]);
const urlOf = (path: string) => `${path}?v=${ASSETS.get(path)!.hash}`;
assetUrls.css = urlOf('/static/site.css');
assetUrls.deskJs = urlOf('/static/desk.js');

/** Pages share the app with the JSON API; they answer everything outside /api/. */
function pagesOnly(middleware: Koa.Middleware): Koa.Middleware {
  return async function pagesOnlyMiddleware(ctx, next) {
    if (ctx.path.startsWith('/api/')) return await next();
    return await middleware(ctx, next);
  };
}

function staticAssets(): Koa.Middleware {
  return async function staticAssetsMiddleware(ctx, next) {
    const asset = ASSETS.get(ctx.path);
    if (!asset || !['GET', 'HEAD'].includes(ctx.method)) return await next();
    ctx.type = asset.type;
    ctx.set('ETag', `"${asset.hash}"`);
    // The URL carries the content hash: a new file is a new URL, so this one never changes.
    ctx.set(
      'Cache-Control',
      ctx.query.v === asset.hash ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    );
    if (ctx.get('If-None-Match') === `"${asset.hash}"`) {
      ctx.status = 304;
      return;
    }
    ctx.body = asset.body;
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
    qualityReportPages(deps),
    adminPages(deps),
    accountPages(deps),
  ];
  for (const router of routers) {
    app.use(pagesOnly(router.routes() as unknown as Koa.Middleware));
    app.use(pagesOnly(router.allowedMethods() as unknown as Koa.Middleware));
  }
};
