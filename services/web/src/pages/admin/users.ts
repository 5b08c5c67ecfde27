import type Router from '@koa/router';
import { createUser, MIN_PASSWORD_LENGTH, updateUser } from '@quipu/commands';
import { STAFF_ROLES } from '@quipu/core/tickets';
import type { UserRecord } from '@quipu/db';
import { SESSION_COOKIE, userBody } from '@quipu/http';
import { pageNotFound } from '../../errors.ts';
import { checkbox, csrfField, formBody, input } from '../../forms.ts';
import { page } from '../../handler.ts';
import { html } from '../../html.ts';
import type { Translate } from '../../i18n/index.ts';
import { type FormRules, parseForm } from '../../validate-form.ts';
import { commandsOf, type WebContext } from '../../web-context.ts';
import {
  type AdminGuards,
  checkboxGroup,
  type FormState,
  formList,
  formPage,
  many,
  one,
  roleLabel,
  saveForm,
  type Values,
} from './shared.ts';

async function userForm(ctx: WebContext, record: UserRecord | null, state: FormState = {}) {
  const { t } = ctx.state.web;
  const errors = state.errors ?? {};
  const values = state.values;
  const organisations = await commandsOf(ctx).directory.listOrganisations({ kind: 'everything' });
  const roles = STAFF_ROLES.map((r) => ({ value: r, label: roleLabel(ctx, r) }));
  const title = record ? t('admin.user.editTitle', { name: record.name }) : t('admin.user.new');
  const active = record ? (values ? one(values, 'active') === 'si' : record.active !== false) : true;
  formPage(ctx, {
    title,
    state,
    form: html`<form method="post" action="${record ? `/mesa/admin/usuarios/${record._id}` : '/mesa/admin/usuarios'}" class="stack" novalidate autocomplete="off">
${csrfField(ctx.state.csrfToken)}
${
  record
    ? html`<dl class="meta">
<dt>${t('admin.user.email')}</dt><dd>${record.email}</dd>
<dt>${t('admin.user.organisations')}</dt><dd>${
        organisations
          .filter((o) => (record.organisationIds ?? []).map(String).includes(String(o._id)))
          .map((o) => o.name)
          .join(', ') || '—'
      }</dd>
</dl>
<p class="hint">${t('admin.user.fixed')}</p>`
    : input({
        t,
        name: 'email',
        type: 'email',
        label: t('admin.user.email'),
        value: one(values, 'email'),
        error: errors.email,
        required: true,
        maxlength: 254,
        autocomplete: 'off',
      })
}
${input({ t, name: 'name', label: t('admin.user.name'), value: one(values, 'name') ?? record?.name, error: errors.name, required: true, maxlength: 200 })}
${checkboxGroup({ t, name: 'roles', legend: t('admin.user.roles'), options: roles, checked: many(values, 'roles') ?? record?.roles ?? [], error: errors.roles, hint: t('admin.user.rolesHint') })}
${
  record
    ? ''
    : checkboxGroup({
        t,
        name: 'organisations',
        legend: t('admin.user.organisations'),
        options: organisations.map((o) => ({ value: String(o._id), label: o.name })),
        checked: many(values, 'organisations') ?? [],
        error: errors.organisations,
        hint: t('admin.user.organisationsHint'),
      })
}
${input({ t, name: 'password', type: 'password', label: record ? t('admin.user.newPassword') : t('admin.user.password'), hint: record ? t('admin.user.newPasswordHint', { min: MIN_PASSWORD_LENGTH }) : t('admin.user.passwordHint', { min: MIN_PASSWORD_LENGTH }), error: errors.password, required: !record, maxlength: 200, autocomplete: 'new-password' })}
${record ? html`${checkbox({ name: 'active', label: t('admin.user.activeLabel'), checked: active })}<p class="hint">${t('admin.user.activeHint')}</p>` : ''}
<button type="submit">${record ? t('common.save') : t('admin.user.create')}</button>
</form>`,
  });
}

async function findUserOr404(ctx: WebContext): Promise<UserRecord> {
  const found = await commandsOf(ctx).directory.findUser({ kind: 'everything' }, ctx.params.id ?? '');
  if (!found) throw pageNotFound();
  return found;
}

/** The user forms' fields as the API checks them; only a new account must have a password. */
const editedUser = userBody.pick({ name: true, roles: true, password: true });
const newUser = userBody
  .pick({ email: true, name: true, roles: true, password: true })
  .required({ password: true });

function userRules(t: Translate): FormRules {
  return {
    order: ['email', 'name', 'roles', 'password'],
    keepSpaces: ['password'],
    refused: {
      email: t('field.email'),
      roles: t('admin.user.rolesNeeded'),
      password: t('admin.user.passwordLength', { min: MIN_PASSWORD_LENGTH }),
    },
  };
}

/** Creating and editing staff accounts: roles, organisations, password, active. */
export function userPages(router: Router, guards: AdminGuards): void {
  const { staff, admin } = guards;
  // Users
  router.get(
    '/mesa/admin/usuarios/nuevo',
    staff,
    admin,
    page((ctx) => userForm(ctx, null)),
  );
  router.post(
    '/mesa/admin/usuarios',
    staff,
    admin,
    page(async (ctx) => {
      const { t } = ctx.state.web;
      const body = formBody(ctx);
      const password = (body.password ?? '').slice(0, 1000);
      // The password is never sent back to the browser, even when the form comes back with errors.
      const values: Values = {
        email: (body.email ?? '').slice(0, 300),
        name: (body.name ?? '').slice(0, 300),
        roles: formList(ctx, 'roles', 10),
        organisations: formList(ctx, 'organisations', 50),
      };
      const form = parseForm(
        newUser,
        {
          email: one(values, 'email'),
          name: one(values, 'name'),
          roles: many(values, 'roles') ?? [],
          password,
        },
        t,
        userRules(t),
      );
      await saveForm(ctx, {
        form,
        values,
        render: (state) => userForm(ctx, null, state),
        save: (data) =>
          createUser(commandsOf(ctx), { ...data, organisations: many(values, 'organisations') ?? [] }),
        done: 'usuario-creado',
      });
    }),
  );
  router.get(
    '/mesa/admin/usuarios/:id',
    staff,
    admin,
    page(async (ctx) => userForm(ctx, await findUserOr404(ctx))),
  );
  router.post(
    '/mesa/admin/usuarios/:id',
    staff,
    admin,
    page(async (ctx) => {
      const record = await findUserOr404(ctx);
      const { t } = ctx.state.web;
      const body = formBody(ctx);
      const password = (body.password ?? '').slice(0, 1000);
      const values: Values = {
        name: (body.name ?? '').slice(0, 300),
        roles: formList(ctx, 'roles', 10),
        // An unticked checkbox sends nothing: no `active` means deactivate.
        active: body.active === 'si' ? 'si' : '',
      };
      const form = parseForm(
        editedUser,
        { name: one(values, 'name'), roles: many(values, 'roles') ?? [], password },
        t,
        userRules(t),
      );
      await saveForm(ctx, {
        form,
        values,
        render: (state) => userForm(ctx, record, state),
        save: async (data) => {
          const updated = await updateUser(
            commandsOf(ctx),
            ctx.state.principal!.scope,
            String(record._id),
            {
              name: data.name,
              roles: data.roles,
              active: values.active === 'si',
              password: data.password,
            },
            { currentSessionId: ctx.cookies.get(SESSION_COOKIE) },
          );
          if (!updated) throw pageNotFound();
        },
        done: 'usuario-editado',
      });
    }),
  );
}
