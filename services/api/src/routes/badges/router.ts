import { createHash } from 'node:crypto';
import Router from '@koa/router';
import { qualityBadge } from '@quipu/core/scoring';
import { datasetRepository, PUBLIC, registerModels } from '@quipu/db';
import { type AppDeps, notFound } from '@quipu/http';
import { registerOperation } from '../../openapi.ts';

registerOperation({
  method: 'get',
  path: '/badges/datasets/:id.svg',
  summary: 'Shields-style SVG badge with the dataset’s quality score (?lang=en)',
  tags: ['quality'],
  security: 'public',
  responses: { 200: { description: 'image/svg+xml' }, 304: { description: 'Unchanged' } },
});

/**
 * Badges portals embed next to a dataset: the score only (no names, no personal data), cached an
 * hour by browsers and CDNs, with an ETag so a revalidation costs a 304.
 */
export function badgesRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/badges' });
  const datasets = datasetRepository(registerModels(deps.connection));
  router.get('/datasets/:file', async (ctx) => {
    const match = /^(.{1,120})\.svg$/.exec(ctx.params.file ?? '');
    if (!match) throw notFound('badge');
    const dataset = await datasets.findByKey(PUBLIC, match[1]!);
    if (!dataset) throw notFound('dataset');
    const lang = ctx.query.lang === 'en' ? 'en' : 'es';
    const score = (dataset.quality as { score?: number } | undefined)?.score;
    const svg = qualityBadge(typeof score === 'number' ? score : null, lang);
    const etag = `"${createHash('sha256').update(svg).digest('base64url').slice(0, 27)}"`;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.set('ETag', etag);
    ctx.set('Vary', 'Accept-Encoding');
    if (ctx.get('If-None-Match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'image/svg+xml; charset=utf-8';
    ctx.body = svg;
  });
  return router;
}
