import { html, type SafeHtml } from './html.ts';
import type { WebContext } from './web-context.ts';

export interface PageProps {
  title: string;
  main: SafeHtml;
  /** Nav entry to mark as the current page. */
  current?: string;
  /** Our own scripts (URLs from `assetUrls`), loaded with `defer`; pages work without them. */
  scripts?: readonly string[];
}

/** Set by index.ts once the assets are read (their hashes bust caches). */
export const assetUrls = { css: '/static/site.css', deskJs: '/static/desk.js' };

function navLink(href: string, label: string, current: string | undefined) {
  return html`<li><a href="${href}"${current === href ? html` aria-current="page"` : ''}>${label}</a></li>`;
}

export function layout(ctx: WebContext, props: PageProps): SafeHtml {
  const { t, locale, portalName, here } = ctx.state.web;
  const principal = ctx.state.principal;
  const other = locale === 'es' ? 'en' : 'es';
  const switchHref = `${here}${here.includes('?') ? '&' : '?'}lang=${other}`;
  const staff = principal && ctx.state.via === 'session';
  // Admins change the directory; managers read it (as the admin API allows).
  const administers = staff && principal.roles.some((role) => role === 'admin' || role === 'manager');
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${props.title} · ${portalName}</title>
<link rel="stylesheet" href="${assetUrls.css}">
${(props.scripts ?? []).map((src) => html`<script src="${src}" defer></script>\n`)}</head>
<body>
<a class="skip" href="#main">${t('layout.skip')}</a>
<header class="site-header">
<div class="wrap">
<a class="brand" href="/">${portalName}</a>
<nav class="site-nav" aria-label="${t('layout.nav')}">
<ul>
${navLink('/reportar', t('nav.report'), props.current)}
${navLink('/solicitar', t('nav.request'), props.current)}
${navLink('/solicitudes', t('nav.requests'), props.current)}
${navLink('/transparencia', t('nav.transparency'), props.current)}
</ul>
</nav>
<a class="lang" href="${switchHref}" lang="${other}" hreflang="${other}">${t('lang.switch')}</a>
</div>
${
  // The desk's own bar, one line that scrolls sideways on a phone rather than a wall of links.
  staff
    ? html`<nav class="desk-nav" aria-label="${t('layout.deskNav')}"><div class="wrap"><ul>
${navLink('/mesa', t('nav.desk'), props.current)}${navLink('/mesa/panel', t('nav.dashboard'), props.current)}${navLink('/mesa/moderacion', t('nav.moderation'), props.current)}${administers ? navLink('/mesa/admin', t('nav.admin'), props.current) : ''}${navLink('/mesa/cuenta', t('nav.account'), props.current)}
<li><form class="inline-form" method="post" action="/mesa/salir"><input type="hidden" name="_csrf" value="${ctx.state.csrfToken ?? ''}"><button class="link-button" type="submit">${t('nav.logout')}</button></form></li>
</ul></div></nav>`
    : ''
}
</header>
<main id="main" class="wrap" tabindex="-1">
${props.main}
</main>
<footer class="site-footer">
<div class="wrap">
<p>${t('layout.footer')}</p>
<p>${t('layout.privacy')}</p>
${staff ? '' : html`<p><a href="/mesa/ingresar">${t('nav.login')}</a></p>`}
</div>
</footer>
</body>
</html>`;
}

export function sendPage(
  ctx: WebContext,
  props: PageProps & { status?: number; cache?: 'private' | 'public' },
) {
  ctx.status = props.status ?? 200;
  ctx.type = 'text/html; charset=utf-8';
  // Pages change with every reply and may show a session's or a link holder's view: not stored by caches.
  // A signed-in page carries a CSRF token, and a response that sets a cookie is someone's: never shared.
  const shareable = props.cache === 'public' && !ctx.state.principal && !ctx.response.get('Set-Cookie');
  ctx.set('Cache-Control', shareable ? 'public, max-age=60' : 'no-store');
  if (ctx.path.startsWith('/mesa') || ctx.path.startsWith('/seguimiento')) ctx.set('X-Robots-Tag', 'noindex');
  ctx.body = layout(ctx, props).value;
}
