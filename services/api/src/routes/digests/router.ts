import Router from '@koa/router';
import { type CommandContext, setSubscriptionDigest } from '@quipu/commands';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';
import { digestBody } from './schema.ts';

registerOperation({
  method: 'post',
  path: '/api/v1/subscriptions/:token/digest',
  summary: 'Follow by daily digest instead of one e-mail per update (link from the e-mail)',
  tags: ['tickets'],
  body: digestBody,
  responses: { 200: { description: 'Saved' }, 404: { description: 'Unknown link' } },
});

function body(ctx: { request: unknown }): unknown {
  return (ctx.request as { body?: unknown }).body;
}

/** A follower's choice of one e-mail a day, from the link in every follower e-mail (no login). */
export function digestsRouter(commands: CommandContext): Router {
  const router = new Router();

  router.post('/api/v1/subscriptions/:token/digest', async (ctx) => {
    const { digest } = parse(digestBody, body(ctx));
    ctx.body = await setSubscriptionDigest(commands, ctx.params.token!, digest);
  });

  return router;
}
