import Router from '@koa/router';
import type { AppDeps } from '@quipu/http';
import { CATALOGS } from '../i18n/index.ts';

/**
 * The embeddable widget: `<script src="…/widget.js" data-dataset="slug" async>` puts a link
 * to the report form (pre-filled with the dataset, in a new tab) right after the tag. It sets
 * no cookie, sends nothing anywhere and loads nothing else; a portal can style `.quipu-widget`.
 * Attributes: data-dataset (required), data-lang (es|en), data-label (own text).
 */
function widgetSource(): string {
  const labels = JSON.stringify({ es: CATALOGS.es['widget.label'], en: CATALOGS.en['widget.label'] });
  return `(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.parentNode) return;
  var slug = script.getAttribute('data-dataset') || '';
  var lang = script.getAttribute('data-lang') === 'en' ? 'en' : 'es';
  var labels = ${labels};
  var base = script.src.replace(/\\/widget\\.js(?:[?#].*)?$/, '');
  var link = document.createElement('a');
  link.href = base + '/reportar?dataset=' + encodeURIComponent(slug) + (lang === 'en' ? '&lang=en' : '');
  link.target = '_blank';
  link.rel = 'noopener';
  link.className = 'quipu-widget';
  link.setAttribute('data-quipu-dataset', slug);
  link.textContent = script.getAttribute('data-label') || labels[lang];
  script.parentNode.insertBefore(link, script.nextSibling);
})();
`;
}

export function widgetPages(_deps: AppDeps): Router {
  const router = new Router();
  const source = widgetSource();
  router.get('/widget.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    // Portals on other origins load it: allow that explicitly, cache for an hour, never a cookie.
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.body = source;
  });
  return router;
}
