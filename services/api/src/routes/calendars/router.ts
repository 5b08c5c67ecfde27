import Router from '@koa/router';
import {
  addCalendarHoliday,
  type CommandContext,
  describeCalendar,
  effectiveCalendars,
  type StaffPrincipal,
} from '@quipu/commands';
import { calendarOverrideRepository } from '@quipu/db';
import { type AppDeps, requireStaff } from '@quipu/http';
import { JOBS } from '@quipu/queue';
import { registerOperation } from '../../openapi.ts';
import { parse } from '../../validate.ts';
import { calendarsQuery, holidayBody } from './schema.ts';

registerOperation({
  method: 'get',
  path: '/api/v1/admin/calendars',
  summary: 'Business calendars in force (config + decreed days), with a year of holidays',
  tags: ['admin'],
  security: 'admin',
  query: calendarsQuery,
  responses: { 200: { description: 'Calendars' } },
});
registerOperation({
  method: 'post',
  path: '/api/v1/admin/calendars/:id/holidays',
  summary: 'Decree a one-off non-working day; open tickets on the calendar are recomputed',
  tags: ['admin'],
  security: 'admin',
  body: holidayBody,
  responses: { 201: { description: 'Added' }, 200: { description: 'Already decreed' } },
});

function body(ctx: { request: unknown }): unknown {
  return (ctx.request as { body?: unknown }).body;
}

/** The business calendars in force, and the holidays admins decree over config/calendars. */
export function calendarsRouter(deps: AppDeps, commands: CommandContext): Router {
  const router = new Router();
  const admin = requireStaff({ roles: ['admin'] });
  const reader = requireStaff({ roles: ['admin', 'manager'] });
  const principalOf = (ctx: { state: { principal?: StaffPrincipal } }) => ctx.state.principal!;

  router.get('/api/v1/admin/calendars', reader, async (ctx) => {
    const { year } = parse(calendarsQuery, ctx.query);
    const y =
      year ??
      Number(
        new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: deps.config.portal.timeZone }).format(
          commands.now(),
        ),
      );
    const calendars = await effectiveCalendars(commands);
    const overrides = await calendarOverrideRepository(commands.models).list();
    ctx.body = { items: [...calendars.values()].map((c) => describeCalendar(c, y, overrides)) };
  });

  router.post('/api/v1/admin/calendars/:id/holidays', admin, async (ctx) => {
    const input = parse(holidayBody, body(ctx));
    const result = await addCalendarHoliday(
      commands,
      principalOf(ctx),
      { calendar: ctx.params.id!, ...input },
      async (calendarId, jobId) => {
        try {
          await JOBS.recomputeCalendar.add(deps.queues, { calendarId }, { jobId });
        } catch (error) {
          // Redis down: the SLA reconciliation sweep rewrites every block that no longer matches.
          ctx.state.log?.warn({ err: (error as Error).message }, 'recompute-calendar not queued');
        }
      },
    );
    ctx.status = result.added ? 201 : 200;
    ctx.body = result;
  });

  return router;
}
