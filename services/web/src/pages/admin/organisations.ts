import type Router from '@koa/router';
import { createOrganisation } from '@quipu/commands';
import { isObjectId, type OrganisationRecord } from '@quipu/db';
import { organisationBody } from '@quipu/http';
import { pageNotFound } from '../../errors.ts';
import { csrfField, formBody, input, select } from '../../forms.ts';
import { page } from '../../handler.ts';
import { html } from '../../html.ts';
import { parseForm } from '../../validate-form.ts';
import { commandsOf, type WebContext } from '../../web-context.ts';
import { type AdminGuards, type FormState, formPage, one, saveForm } from './shared.ts';

/** The fields of the new-organisation form, checked as the API checks them. */
const newOrganisation = organisationBody.pick({ slug: true, name: true, parent: true });

async function organisationForm(ctx: WebContext, record: OrganisationRecord | null, state: FormState = {}) {
  const { t } = ctx.state.web;
  const errors = state.errors ?? {};
  const values = state.values;
  const organisations = await commandsOf(ctx).directory.listOrganisations({ kind: 'everything' });
  const parentName = record?.parentId
    ? organisations.find((o) => String(o._id) === String(record.parentId))?.name
    : undefined;
  const title = record
    ? t('admin.organisation.editTitle', { name: record.name })
    : t('admin.organisation.new');
  formPage(ctx, {
    title,
    state,
    form: html`<form method="post" action="${record ? `/mesa/admin/instituciones/${record._id}` : '/mesa/admin/instituciones'}" class="stack" novalidate>
${csrfField(ctx.state.csrfToken)}
${
  record
    ? html`<dl class="meta">
<dt>${t('admin.slug')}</dt><dd><code>${record.slug}</code></dd>
<dt>${t('admin.organisation.parent')}</dt><dd>${parentName ?? '—'}</dd>
</dl>
<p class="hint">${t('admin.organisation.fixed')}</p>`
    : input({
        t,
        name: 'slug',
        label: t('admin.slug'),
        hint: t('admin.slugHint'),
        value: one(values, 'slug'),
        error: errors.slug,
        required: true,
        maxlength: 63,
        autocomplete: 'off',
      })
}
${input({ t, name: 'name', label: t('admin.organisation.name'), value: one(values, 'name') ?? record?.name, error: errors.name, required: true, maxlength: 200 })}
${
  record
    ? ''
    : select({
        t,
        name: 'parent',
        label: t('admin.organisation.parent'),
        hint: t('admin.organisation.parentHint'),
        placeholder: t('admin.organisation.noParent'),
        options: organisations.map((o) => ({ value: String(o._id), label: o.name })),
        value: one(values, 'parent') ?? '',
        error: errors.parent,
      })
}
<button type="submit">${record ? t('common.save') : t('admin.organisation.create')}</button>
</form>`,
  });
}

async function findOrganisationOr404(ctx: WebContext): Promise<OrganisationRecord> {
  const id = ctx.params.id ?? '';
  const found = isObjectId(id)
    ? await commandsOf(ctx).directory.findOrganisation({ kind: 'everything' }, id)
    : null;
  if (!found) throw pageNotFound();
  return found;
}

/** Creating and renaming organisations. */
export function organisationPages(router: Router, guards: AdminGuards): void {
  const { staff, admin } = guards;
  // Organisations
  router.get(
    '/mesa/admin/instituciones/nueva',
    staff,
    admin,
    page((ctx) => organisationForm(ctx, null)),
  );
  router.post(
    '/mesa/admin/instituciones',
    staff,
    admin,
    page(async (ctx) => {
      const { t } = ctx.state.web;
      const body = formBody(ctx);
      const values = {
        slug: (body.slug ?? '').trim().slice(0, 100),
        name: (body.name ?? '').slice(0, 300),
        parent: (body.parent ?? '').slice(0, 100),
      };
      const form = parseForm(newOrganisation, values, t, {
        order: ['slug', 'name', 'parent'],
        refused: { slug: t('admin.slugFormat') },
      });
      await saveForm(ctx, {
        form,
        values,
        render: (state) => organisationForm(ctx, null, state),
        save: (data) => createOrganisation(commandsOf(ctx), data),
        done: 'institucion-creada',
      });
    }),
  );
  router.get(
    '/mesa/admin/instituciones/:id',
    staff,
    admin,
    page(async (ctx) => organisationForm(ctx, await findOrganisationOr404(ctx))),
  );
  router.post(
    '/mesa/admin/instituciones/:id',
    staff,
    admin,
    page(async (ctx) => {
      const record = await findOrganisationOr404(ctx);
      const { t } = ctx.state.web;
      const values = { name: (formBody(ctx).name ?? '').slice(0, 300) };
      // The form always sends the name: required here, where the API's PATCH may leave it out.
      const form = parseForm(organisationBody.pick({ name: true }), values, t, { order: ['name'] });
      await saveForm(ctx, {
        form,
        values,
        render: (state) => organisationForm(ctx, record, state),
        // The API's PATCH does the same: a repository call, nothing else to decide.
        save: async (data) => {
          const updated = await commandsOf(ctx).directory.updateOrganisation(String(record._id), {
            name: data.name,
          });
          if (!updated) throw pageNotFound();
        },
        done: 'institucion-editada',
      });
    }),
  );
}
