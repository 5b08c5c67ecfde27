import type Router from '@koa/router';
import {
  addComment,
  assignTicket,
  CommandError,
  editTicket,
  linkDataset,
  mergeTickets,
  transferTicket,
  transitionTicket,
} from '@quipu/commands';
import { isObjectId } from '@quipu/db';
import { transferBody } from '@quipu/http';
import type { Middleware } from 'koa';
import { formBody } from '../../forms.ts';
import { page, seeOther } from '../../handler.ts';
import { parseForm } from '../../validate-form.ts';
import { commandsOf } from '../../web-context.ts';
import { principalOf } from './staff.ts';
import { refused, ticketPage } from './ticket.ts';

/**
 * The ticket page's forms: comment, transition, assign, edit, merge, transfer, link. Each
 * answers with a redirect back to the ticket, or the ticket page with the form's errors.
 */
export function ticketActionPages(router: Router, staff: Middleware): void {
  router.post(
    '/mesa/tickets/:ref/comentarios',
    staff,
    page(async (ctx) => {
      const body = formBody(ctx);
      const values = {
        body: (body.body ?? '').slice(0, 6000),
        visibility: body.visibility === 'internal' ? 'internal' : 'public',
      };
      const { t } = ctx.state.web;
      if (!values.body.trim())
        return await ticketPage(ctx, { form: 'comment', values, errors: { body: t('field.required') } }, 400);
      try {
        await addComment(commandsOf(ctx), principalOf(ctx), {
          ticket: ctx.params.ref ?? '',
          body: values.body.trim(),
          visibility: values.visibility as 'public' | 'internal',
        });
      } catch (error) {
        return await refused(ctx, error, 'comment', values);
      }
      seeOther(ctx, `/mesa/tickets/${encodeURIComponent(ctx.params.ref ?? '')}?hecho=comentario`);
    }),
  );

  router.post(
    '/mesa/tickets/:ref/transiciones',
    staff,
    page(async (ctx) => {
      const body = formBody(ctx);
      const action = (body.action ?? '').slice(0, 40);
      const values: Record<string, string> = {};
      for (const field of ['reason', 'message', 'resolution', 'expectedDate', 'datasetId']) {
        if (body[field] !== undefined) values[field] = body[field].slice(0, 5000);
      }
      const input: Record<string, string> = {};
      for (const [field, value] of Object.entries(values)) if (value.trim()) input[field] = value.trim();
      try {
        if (input.datasetId && !isObjectId(input.datasetId)) {
          // Officers know datasets by their slug; the command takes the id.
          const dataset = await commandsOf(ctx).datasets.find(input.datasetId);
          if (!dataset) throw new CommandError('invalid_field', 'No such dataset.', { field: 'datasetId' });
          input.datasetId = String(dataset._id);
        }
        await transitionTicket(commandsOf(ctx), principalOf(ctx), {
          ticket: ctx.params.ref ?? '',
          action,
          input,
        });
      } catch (error) {
        return await refused(ctx, error, `transition:${action}`, values);
      }
      seeOther(ctx, `/mesa/tickets/${encodeURIComponent(ctx.params.ref ?? '')}?hecho=estado`);
    }),
  );

  router.post(
    '/mesa/tickets/:ref/asignacion',
    staff,
    page(async (ctx) => {
      const body = formBody(ctx);
      const values = {
        teamId: body.teamId ?? '',
        assigneeId: body.assigneeId ?? '',
        reason: (body.reason ?? '').slice(0, 1000),
      };
      try {
        await assignTicket(commandsOf(ctx), principalOf(ctx), {
          ticket: ctx.params.ref ?? '',
          teamId: isObjectId(values.teamId) ? values.teamId : null,
          assigneeId: isObjectId(values.assigneeId) ? values.assigneeId : null,
          reason: values.reason.trim() || undefined,
        });
      } catch (error) {
        return await refused(ctx, error, 'assign', values);
      }
      seeOther(ctx, `/mesa/tickets/${encodeURIComponent(ctx.params.ref ?? '')}?hecho=asignacion`);
    }),
  );

  router.post(
    '/mesa/tickets/:ref/prioridad',
    staff,
    page(async (ctx) => {
      const priority = formBody(ctx).priority ?? '';
      try {
        await editTicket(commandsOf(ctx), principalOf(ctx), { ticket: ctx.params.ref ?? '', priority });
      } catch (error) {
        return await refused(ctx, error, 'priority', { priority });
      }
      seeOther(ctx, `/mesa/tickets/${encodeURIComponent(ctx.params.ref ?? '')}?hecho=prioridad`);
    }),
  );
  router.post(
    '/mesa/tickets/:ref/duplicado',
    staff,
    page(async (ctx) => {
      const { t } = ctx.state.web;
      const into = (formBody(ctx).into ?? '').trim().slice(0, 40);
      const invalid = (message: string) =>
        ticketPage(ctx, { form: 'merge', values: { into }, errors: { into: message } }, 400);
      if (!into) return await invalid(t('field.required'));
      try {
        await mergeTickets(commandsOf(ctx), principalOf(ctx), {
          victim: ctx.params.ref ?? '',
          survivor: into,
        });
      } catch (error) {
        // The survivor's ref is the only thing the officer typed: an unknown one is a field error.
        if (error instanceof CommandError && error.code === 'not_found')
          return await invalid(t('field.invalid'));
        return await refused(ctx, error, 'merge', { into });
      }
      seeOther(ctx, `/mesa/tickets/${encodeURIComponent(ctx.params.ref ?? '')}?hecho=duplicado`);
    }),
  );

  router.post(
    '/mesa/tickets/:ref/derivacion',
    staff,
    page(async (ctx) => {
      const { t } = ctx.state.web;
      const body = formBody(ctx);
      const values = {
        organisation: (body.organisation ?? '').slice(0, 200),
        reason: (body.reason ?? '').slice(0, 1000),
      };
      // An empty reason is as refused as a short one: the requester is owed the why.
      const tooShort = t('field.tooShort', { min: transferBody.shape.reason.minLength ?? 1 });
      const form = parseForm(transferBody, values, t, {
        order: ['organisation', 'reason'],
        empty: { organisation: t('field.choose'), reason: tooShort },
        refused: { organisation: t('field.choose') },
      });
      if (!form.data) return await ticketPage(ctx, { form: 'transfer', values, errors: form.errors }, 400);
      try {
        await transferTicket(commandsOf(ctx), principalOf(ctx), {
          ticket: ctx.params.ref ?? '',
          ...form.data,
        });
      } catch (error) {
        return await refused(ctx, error, 'transfer', values);
      }
      // After a transfer the ticket may be out of this officer's reach: back to the inbox then.
      const still = await commandsOf(ctx).tickets.findByRef(principalOf(ctx).scope, ctx.params.ref ?? '');
      seeOther(ctx, still ? `/mesa/tickets/${encodeURIComponent(still.ref)}?hecho=derivado` : '/mesa');
    }),
  );

  router.post(
    '/mesa/tickets/:ref/conjunto',
    staff,
    page(async (ctx) => {
      const { t } = ctx.state.web;
      const dataset = (formBody(ctx).dataset ?? '').trim().slice(0, 200);
      if (!dataset)
        return await ticketPage(
          ctx,
          { form: 'link', values: { dataset }, errors: { dataset: t('field.required') } },
          400,
        );
      try {
        await linkDataset(commandsOf(ctx), principalOf(ctx), { ticket: ctx.params.ref ?? '', dataset });
      } catch (error) {
        return await refused(ctx, error, 'link', { dataset });
      }
      seeOther(ctx, `/mesa/tickets/${encodeURIComponent(ctx.params.ref ?? '')}?hecho=vinculado`);
    }),
  );
}
