import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import {
  CommandError,
  type FormSubmission,
  type OpenTicketProps,
  submitIntakeForm,
  trackingUrl,
} from '@quipu/commands';
import { COMPLAINT_CATEGORIES, categoryLabel, DATA_REQUEST_CATEGORIES } from '@quipu/core/tickets';
import type { DatasetRecord } from '@quipu/db';
import { type AppDeps, complaintBody, dataRequestBody, publicRateLimit } from '@quipu/http';
import { checkbox, errorSummary, type FieldErrors, formBody, input, select, textarea } from '../forms.ts';
import { page, seeOther } from '../handler.ts';
import { html } from '../html.ts';
import type { Translate } from '../i18n/index.ts';
import { sendPage } from '../layout.ts';
import { type FormRules, parseForm } from '../validate-form.ts';
import { commandsOf, type WebContext } from '../web-context.ts';

type Values = Record<string, string>;

/** Why the form came back without opening a case (item by item, what the reporter can do). */
type Held = 'duplicate' | 'changed' | 'pending';

/**
 * Each form carries its own token: sending the same form twice (a reload of the answer, a double
 * press, Back and send) opens one case. A validation error keeps the token; a new page gets a new one.
 */
function formToken(values: Values): string {
  return values._form && /^[A-Za-z0-9_-]{16,64}$/.test(values._form)
    ? values._form
    : randomBytes(18).toString('base64url');
}

function heldNotice(t: Translate, held: Held | undefined, values: Values) {
  if (!held) return '';
  if (held === 'duplicate')
    return html`<div class="notice warn" role="alert"><p>${t('report.duplicate')}</p>
${checkbox({ name: 'confirmar', label: t('report.duplicateConfirm'), checked: values.confirmar === 'si' })}</div>`;
  return html`<p class="notice warn" role="alert">${t(held === 'changed' ? 'report.formChanged' : 'report.pending')}</p>`;
}

function home(ctx: WebContext) {
  const { t } = ctx.state.web;
  sendPage(ctx, {
    title: t('home.title'),
    cache: 'public',
    main: html`<h1>${t('home.title')}</h1>
<p class="lead">${t('home.lead')}</p>
<ul class="cards">
<li class="card"><h2><a href="/reportar">${t('nav.report')}</a></h2><p>${t('home.report')}</p></li>
<li class="card"><h2><a href="/solicitar">${t('nav.request')}</a></h2><p>${t('home.request')}</p></li>
<li class="card"><h2><a href="/solicitudes">${t('nav.requests')}</a></h2><p>${t('home.requests')}</p></li>
<li class="card"><h2><a href="/transparencia">${t('nav.transparency')}</a></h2><p>${t('home.transparency')}</p></li>
</ul>`,
  });
}

function personFields(ctx: WebContext, values: Values, errors: FieldErrors) {
  const { t } = ctx.state.web;
  return html`<fieldset>
<legend>${t('report.aboutYou')}</legend>
${input({ t, name: 'email', type: 'email', label: t('report.email'), hint: t('report.emailHint'), value: values.email, error: errors.email, required: true, autocomplete: 'email', maxlength: 254 })}
${input({ t, name: 'name', label: t('report.name'), hint: t('report.nameHint'), value: values.name, error: errors.name, autocomplete: 'name', maxlength: 120 })}
<div class="hp" aria-hidden="true"><label for="website">${t('report.website')}</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off" value=""></div>
${checkbox({ name: 'consent', label: t('report.consent'), checked: values.consent === 'si', error: errors.consent, required: true })}
</fieldset>`;
}

async function reportPage(ctx: WebContext, values: Values, errors: FieldErrors, status = 200, held?: Held) {
  const { t, locale } = ctx.state.web;
  const commands = commandsOf(ctx);
  const slug = values.dataset ?? '';
  const chosen = slug ? await commands.datasets.find(slug) : null;
  const asked = values.q ?? (typeof ctx.query.q === 'string' ? ctx.query.q : '');
  const q = asked.trim().slice(0, 100);
  const results: DatasetRecord[] = !chosen && q.length >= 2 ? await commands.datasets.search(q, 10) : [];
  const categories = COMPLAINT_CATEGORIES.map((c) => ({
    value: c,
    label: categoryLabel(locale, 'complaint', c),
  }));
  sendPage(ctx, {
    status,
    current: '/reportar',
    title: t('report.title'),
    main: html`<h1>${t('report.title')}</h1>
<p class="lead">${t('report.lead')}</p>
${errorSummary(errors, t)}
<form method="post" action="/reportar" class="stack" novalidate>
<input type="hidden" name="_form" value="${formToken(values)}">
<h2>${t('report.findTitle')}</h2>
${
  // The search is part of the report form (its buttons post to /reportar/buscar), so finding
  // or changing the dataset keeps everything typed, with or without JavaScript.
  chosen
    ? html`<p class="notice">${t('report.chosen')} <strong>${chosen.title}</strong> · <button type="submit" class="link-button" name="elegir" value="" formaction="/reportar/buscar" formnovalidate>${t('report.change')}</button></p>`
    : html`<div role="search" class="stack">
<div class="row">
${input({ t, name: 'q', type: 'search', label: t('report.searchLabel'), hint: t('report.searchHint'), value: q, maxlength: 100 })}
<div class="field"><button type="submit" class="secondary" name="buscar" value="si" formaction="/reportar/buscar" formnovalidate>${t('common.search')}</button></div>
</div>
${
  q.length >= 2
    ? html`<section aria-live="polite"><h3>${t('report.results', { q })}</h3>${
        results.length
          ? html`<ul>${results.map(
              (d) =>
                html`<li><strong>${d.title}</strong> · <button type="submit" class="link-button" name="elegir" value="${d.slug}" formaction="/reportar/buscar" formnovalidate>${t('report.choose')}<span class="visually-hidden"> ${d.title}</span></button></li>`,
            )}</ul>`
          : html`<p>${t('report.noResults', { q })}</p>`
      }</section>`
    : ''
}
</div>`
}
${chosen ? html`<input type="hidden" name="dataset" value="${chosen.slug}">` : ''}
${chosen ? '' : input({ t, name: 'datasetUrl', type: 'url', label: t('report.datasetUrl'), hint: t('report.datasetUrlHint'), value: values.datasetUrl, error: errors.datasetUrl, maxlength: 2000 })}
<fieldset>
<legend>${t('report.formTitle')}</legend>
${select({ t, name: 'category', label: t('report.category'), options: categories, placeholder: t('report.categoryPlaceholder'), value: values.category, error: errors.category, required: true })}
${input({ t, name: 'title', label: t('report.subject'), hint: t('report.subjectHint'), value: values.title, error: errors.title, required: true, maxlength: 200 })}
${textarea({ t, name: 'description', label: t('report.description'), hint: t('report.descriptionHint'), value: values.description, error: errors.description, required: true, maxlength: 5000 })}
</fieldset>
${personFields(ctx, values, errors)}
${heldNotice(t, held, values)}
<button type="submit">${t('report.submit')}</button>
</form>`,
  });
}

async function requestPage(ctx: WebContext, values: Values, errors: FieldErrors, status = 200, held?: Held) {
  const { t, locale } = ctx.state.web;
  const organisations = await commandsOf(ctx).directory.listOrganisations({ kind: 'everything' });
  const topics = DATA_REQUEST_CATEGORIES.map((c) => ({
    value: c,
    label: categoryLabel(locale, 'data_request', c),
  }));
  sendPage(ctx, {
    status,
    current: '/solicitar',
    title: t('request.title'),
    main: html`<h1>${t('request.title')}</h1>
<p class="lead">${t('request.lead')}</p>
${errorSummary(errors, t)}
<form method="post" action="/solicitar" class="stack" novalidate>
<input type="hidden" name="_form" value="${formToken(values)}">
<fieldset>
<legend>${t('request.title')}</legend>
${select({ t, name: 'organisation', label: t('request.organisation'), options: organisations.map((o) => ({ value: o.slug, label: o.name })), placeholder: t('request.organisationPlaceholder'), value: values.organisation, error: errors.organisation, required: true })}
${select({ t, name: 'category', label: t('request.topic'), options: topics, placeholder: t('request.topicPlaceholder'), value: values.category, error: errors.category })}
${input({ t, name: 'title', label: t('request.subject'), hint: t('request.subjectHint'), value: values.title, error: errors.title, required: true, maxlength: 200 })}
${textarea({ t, name: 'description', label: t('request.description'), hint: t('request.descriptionHint'), value: values.description, error: errors.description, required: true, maxlength: 5000 })}
${checkbox({ name: 'ley27806', label: t('request.ley27806'), checked: values.ley27806 === 'si' })}
</fieldset>
${personFields(ctx, values, errors)}
${heldNotice(t, held, values)}
<button type="submit">${t('request.submit')}</button>
</form>`,
  });
}

/**
 * Sends the form through the intake command with its token. A case opened (now or by an earlier
 * send of the same form) answers 303 to the reporter's tracking page, so reloading it files
 * nothing; otherwise the form comes back with what was typed and why.
 */
async function submit(
  ctx: WebContext,
  props: OpenTicketProps,
  values: Values,
  again: (held: Held, values: Values) => Promise<void>,
) {
  const result: FormSubmission = await submitIntakeForm(commandsOf(ctx), props, {
    formToken: values._form,
    allowDuplicate: values.confirmar === 'si',
  });
  if (result.outcome === 'opened' || result.outcome === 'replayed') {
    // The tracking token is the reporter's key: keep it out of referrers.
    ctx.set('Referrer-Policy', 'no-referrer');
    return seeOther(ctx, `${trackingUrl(result.trackingToken)}?hecho=recibido`);
  }
  // Content changed under a form already sent: it becomes a new form (a new token).
  await again(result.outcome, result.outcome === 'changed' ? { ...values, _form: '' } : values);
}

const COMMAND_FIELD: Record<string, string> = {
  dataset: 'datasetUrl',
  resourceId: 'datasetUrl',
  organisation: 'organisation',
  consent: 'consent',
};

/** A command's refusal naming a field becomes the message next to that field. */
function fieldErrorOf(
  error: unknown,
  ctx: WebContext,
  kind: 'complaint' | 'data_request',
): FieldErrors | null {
  if (!(error instanceof CommandError)) return null;
  const { t } = ctx.state.web;
  const field = typeof error.details.field === 'string' ? error.details.field : undefined;
  if (!field) return null;
  const target =
    kind === 'complaint' ? (COMMAND_FIELD[field] ?? field) : field === 'dataset' ? 'organisation' : field;
  const message =
    error.code === 'unknown_dataset' || error.code === 'unknown_resource'
      ? t('field.unknownDataset')
      : error.code === 'organisation_required'
        ? kind === 'complaint'
          ? t('field.datasetOrUrl')
          : t('field.unknownOrganisation')
        : error.code === 'unknown_organisation'
          ? t('field.unknownOrganisation')
          : error.code === 'consent_required'
            ? t('field.consent')
            : t('field.invalid');
  return { [target]: message };
}

/** The fields both intake forms share: the schema nests the reporter, the form does not. */
function commonFields(values: Values, locale: string) {
  return {
    title: values.title,
    description: values.description,
    reporter: { email: values.email, name: values.name, language: locale },
    consent: values.consent === 'si',
  };
}

function commonRules(t: Translate, order: string[]): FormRules {
  return {
    order,
    fields: { 'reporter.email': 'email', 'reporter.name': 'name' },
    empty: { category: t('field.choose') },
    refused: {
      category: t('field.choose'),
      email: t('field.email'),
      datasetUrl: t('field.url'),
      organisation: t('field.choose'),
      consent: t('field.consent'),
    },
  };
}

/** Problems found before the form was parsed come first, as the page shows those fields first. */
function merged(errors: FieldErrors, more: FieldErrors | null): FieldErrors {
  for (const [field, message] of Object.entries(more ?? {})) errors[field] ??= message;
  return errors;
}

const REPORT_FIELDS = [
  '_form',
  'confirmar',
  'dataset',
  'datasetUrl',
  'category',
  'title',
  'description',
  'email',
  'name',
  'consent',
];

function pick(body: Values, keys: string[]): Values {
  return Object.fromEntries(keys.map((k) => [k, (body[k] ?? '').slice(0, 6000)]));
}

/** The hidden `website` field is filled only by bots: refused with a plain page, nothing stored. */
function honeypotFilled(ctx: WebContext, body: Record<string, string>): boolean {
  if (!body.website) return false;
  const { t } = ctx.state.web;
  sendPage(ctx, {
    status: 400,
    title: t('error.title'),
    main: html`<h1>${t('error.title')}</h1><p class="notice error" role="alert">${t('report.spam')}</p>`,
  });
  return true;
}

/** Public intake pages: they work without JavaScript, and need no CSRF token (no session is involved). */
export function intakePages(deps: AppDeps): Router {
  const router = new Router();
  const limit = publicRateLimit(deps, 'intake');

  router.get('/', page(home));

  router.get(
    '/reportar',
    page(async (ctx) => {
      const dataset = typeof ctx.query.dataset === 'string' ? ctx.query.dataset.slice(0, 200) : '';
      await reportPage(ctx, { dataset }, {});
    }),
  );

  router.post(
    '/reportar',
    limit,
    page(async (ctx) => {
      const { t, locale } = ctx.state.web;
      const body = formBody(ctx);
      const values = pick(body, REPORT_FIELDS);
      if (honeypotFilled(ctx, body)) return;
      const form = parseForm(
        complaintBody,
        { ...commonFields(values, locale), category: values.category, datasetUrl: values.datasetUrl },
        t,
        commonRules(t, ['datasetUrl', 'category', 'title', 'description', 'email', 'name', 'consent']),
      );
      const errors: FieldErrors = form.errors?.datasetUrl ? { datasetUrl: form.errors.datasetUrl } : {};
      const commands = commandsOf(ctx);
      const datasetUrl = errors.datasetUrl ? undefined : values.datasetUrl?.trim() || undefined;
      let dataset = values.dataset ? await commands.datasets.find(values.dataset) : null;
      if (values.dataset && !dataset) errors.datasetUrl = t('field.unknownDataset');
      if (!dataset && datasetUrl && !errors.datasetUrl) {
        dataset = await commands.datasets.findByUrl(datasetUrl);
        if (!dataset) errors.datasetUrl = t('field.unknownDataset');
      }
      if (!dataset && !datasetUrl && !errors.datasetUrl) errors.datasetUrl = t('field.datasetOrUrl');
      merged(errors, form.errors);
      if (Object.keys(errors).length || !form.data) return await reportPage(ctx, values, errors, 400);
      const input = form.data;
      try {
        const props: OpenTicketProps = {
          kind: 'complaint',
          category: input.category,
          title: input.title,
          description: input.description,
          dataset: dataset ? String(dataset._id) : undefined,
          datasetUrl,
          reporter: { email: input.reporter.email, name: input.reporter.name, language: locale },
          consent: input.consent,
        };
        await submit(ctx, props, values, (held, kept) => reportPage(ctx, kept, {}, 409, held));
      } catch (error) {
        const fieldErrors = fieldErrorOf(error, ctx, 'complaint');
        if (!fieldErrors) throw error;
        await reportPage(ctx, values, fieldErrors, 400);
      }
    }),
  );

  // The report form's search and "choose" buttons: the page again, everything typed kept.
  router.post(
    '/reportar/buscar',
    page(async (ctx) => {
      const body = formBody(ctx);
      const values = pick(body, [...REPORT_FIELDS, 'q']);
      if (body.elegir !== undefined) {
        values.dataset = body.elegir.slice(0, 200);
        values.q = '';
      }
      await reportPage(ctx, values, {});
    }),
  );

  router.get(
    '/solicitar',
    page(async (ctx) => await requestPage(ctx, {}, {})),
  );

  router.post(
    '/solicitar',
    limit,
    page(async (ctx) => {
      const { t, locale } = ctx.state.web;
      const body = formBody(ctx);
      const values = pick(body, [
        '_form',
        'confirmar',
        'organisation',
        'category',
        'title',
        'description',
        'email',
        'name',
        'consent',
        'ley27806',
      ]);
      if (honeypotFilled(ctx, body)) return;
      const form = parseForm(
        dataRequestBody,
        { ...commonFields(values, locale), category: values.category, organisation: values.organisation },
        t,
        commonRules(t, ['organisation', 'category', 'title', 'description', 'email', 'name', 'consent']),
      );
      // The form asks for the organisation; the API lets the routing rules choose one.
      const errors: FieldErrors = values.organisation?.trim() ? {} : { organisation: t('field.choose') };
      merged(errors, form.errors);
      if (Object.keys(errors).length || !form.data) return await requestPage(ctx, values, errors, 400);
      const input = form.data;
      try {
        const props: OpenTicketProps = {
          kind: 'data_request',
          category: input.category,
          title: input.title,
          description: input.description,
          organisation: input.organisation,
          regime: values.ley27806 === 'si' ? 'access_to_information' : undefined,
          reporter: { email: input.reporter.email, name: input.reporter.name, language: locale },
          consent: input.consent,
        };
        await submit(ctx, props, values, (held, kept) => requestPage(ctx, kept, {}, 409, held));
      } catch (error) {
        const fieldErrors = fieldErrorOf(error, ctx, 'data_request');
        if (!fieldErrors) throw error;
        await requestPage(ctx, values, fieldErrors, 400);
      }
    }),
  );
  return router;
}
