import Router from '@koa/router';
import { type CommandContext, openTicket, trackingUrl } from '@quipu/commands';
import { type AppDeps, AppError, publicRateLimit } from '@quipu/http';
import { idempotency } from '../../middleware/idempotency.ts';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';
import { complaintBody, dataRequestBody, intakeResponse } from './schema.ts';

registerOperation({
  method: 'post',
  path: '/api/v1/complaints',
  summary: 'Report a problem with a dataset (public)',
  tags: ['intake'],
  body: complaintBody,
  responses: { 201: { description: 'Received', schema: intakeResponse } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/data-requests',
  summary: 'Ask for a dataset that is not published (public)',
  tags: ['intake'],
  body: dataRequestBody,
  responses: { 201: { description: 'Received', schema: intakeResponse } },
});

/** Public intake: complaints and dataset requests, no account needed. */
export function intakeRouter(deps: AppDeps, commands: CommandContext): Router {
  const router = new Router({ prefix: '/api/v1' });
  const limit = publicRateLimit(deps, 'intake');
  const idem = idempotency({ commands });

  for (const [path, kind, schema] of [
    ['/complaints', 'complaint', complaintBody],
    ['/data-requests', 'data_request', dataRequestBody],
  ] as const) {
    router.post(path, limit, idem, async (ctx) => {
      const body = parse(schema, (ctx.request as { body?: unknown }).body);
      if (body.website) {
        throw new AppError({
          status: 400,
          code: 'rejected_as_spam',
          title: 'Invalid request',
          detail: 'The submission looks automated.',
        });
      }
      const { ticket, trackingToken } = await openTicket(commands, {
        kind,
        category: body.category,
        title: body.title,
        description: body.description,
        dataset: body.dataset,
        resourceId: 'resourceId' in body ? body.resourceId : undefined,
        datasetUrl: 'datasetUrl' in body ? body.datasetUrl : undefined,
        organisation: body.organisation,
        regime: body.regime,
        reporter: body.reporter,
        consent: body.consent,
      });
      (
        ctx.app.context as unknown as { metrics?: { ticketsCreated: { inc(l: object): void } } }
      ).metrics?.ticketsCreated.inc({ kind });
      ctx.status = 201;
      ctx.set('Location', `/api/v1/tickets/${ticket.ref}`);
      ctx.body = {
        ref: ticket.ref,
        status: ticket.status,
        trackingUrl: trackingUrl(trackingToken, { base: deps.config.http.publicBaseUrl }),
      };
    });
  }
  return router;
}
