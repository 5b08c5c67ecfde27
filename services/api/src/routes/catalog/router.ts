import Router from '@koa/router';
import type { CommandContext } from '@quipu/commands';
import type { AppDeps } from '@quipu/http';
import { z } from 'zod';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';

const searchQuery = z.strictObject({
  q: z.string().trim().min(2).max(100),
  limit: z.coerce.number().int().min(1).max(25).default(10),
});
registerOperation({
  method: 'get',
  path: '/api/v1/catalog/search',
  summary: 'Find a dataset by title, slug or tag (for the report form)',
  tags: ['catalog'],
  query: searchQuery,
  responses: { 200: { description: 'Matches' } },
});

export function catalogRouter(_deps: AppDeps, commands: CommandContext): Router {
  const router = new Router({ prefix: '/api/v1/catalog' });
  router.get('/search', async (ctx) => {
    const query = parse(searchQuery, ctx.query);
    const found = await commands.datasets.search(query.q, query.limit);
    ctx.body = {
      items: found.map((d) => ({
        id: String(d._id),
        slug: d.slug,
        title: d.title,
        organisationId: String(d.organisationId),
        resources: (d.resources ?? []).map((r) => ({
          id: r._id,
          name: r.name ?? null,
          format: r.format ?? null,
        })),
      })),
    };
  });
  return router;
}
