import Router from '@koa/router';
import {
  CommandError,
  createOrganisation,
  createTeam,
  createUser,
  isSlug,
  MIN_PASSWORD_LENGTH,
  type StaffPrincipal,
  updateTeam,
  updateUser,
} from '@quipu/commands';
import { ASSIGNMENT_STRATEGIES, type AssignmentStrategy } from '@quipu/core/routing';
import { STAFF_ROLES, ticketLabel } from '@quipu/core/tickets';
import { isObjectId, type OrganisationRecord, type TeamRecord, type UserRecord } from '@quipu/db';
import type { AppDeps } from '@quipu/http';
import type { Middleware } from 'koa';
import { commandMessage } from '../command-messages.ts';
import { PageError, pageNotFound } from '../errors.ts';
import { checkbox, csrfField, errorSummary, type FieldErrors, formBody, input, select } from '../forms.ts';
import { page, seeOther } from '../handler.ts';
import { attr, html, type SafeHtml } from '../html.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';
import { sendPage } from '../layout.ts';
import { checkChoice, checkEmail, checkText } from '../validate-form.ts';
import { commandsOf, type WebContext } from '../web-context.ts';
import { requireStaffPage } from './desk.ts';

/** Who may read the directory: the API's admin lists allow admins and managers (their subtree). */
export function canSeeAdmin(principal: StaffPrincipal): boolean {
  return principal.roles.includes('admin') || principal.roles.includes('manager');
}

const isAdmin = (principal: StaffPrincipal) => principal.roles.includes('admin');

/** The same roles as the API's admin routes: reading for `reader`, changes for `admin`. */
function requireRoles(allowed: (principal: StaffPrincipal) => boolean): Middleware {
  return async function requireRolesMiddleware(ctx, next) {
    if (!allowed((ctx as unknown as WebContext).state.principal!))
      throw new PageError(403, 'error.forbidden');
    await next();
  };
}

const DONE = {
  'institucion-creada': 'admin.done.organisationCreated',
  'institucion-editada': 'admin.done.organisationUpdated',
  'equipo-creado': 'admin.done.teamCreated',
  'equipo-editado': 'admin.done.teamUpdated',
  'usuario-creado': 'admin.done.userCreated',
  'usuario-editado': 'admin.done.userUpdated',
} as const satisfies Record<string, MessageKey>;

/** Form values as sent: one string per field, a list for checkbox groups. */
type Values = Record<string, string | string[]>;

interface FormState {
  values?: Values;
  errors?: FieldErrors;
  status?: number;
}

const one = (values: Values | undefined, key: string) => {
  const value = values?.[key];
  return typeof value === 'string' ? value : undefined;
};
const many = (values: Values | undefined, key: string) => {
  const value = values?.[key];
  return Array.isArray(value) ? value : undefined;
};

/** Every value of a repeated field (a checkbox group); formBody keeps only the first. */
function formList(ctx: WebContext, name: string, max = 500): string[] {
  const raw = (ctx.request as { body?: Record<string, unknown> }).body?.[name];
  // The body parser (qs) turns more than 20 repeats of a name into an object with numeric keys.
  const all =
    typeof raw === 'string'
      ? [raw]
      : Array.isArray(raw)
        ? raw
        : raw && typeof raw === 'object'
          ? Object.values(raw)
          : [];
  return [...new Set(all.filter((v): v is string => typeof v === 'string'))].slice(0, max);
}

/** Checkboxes in a fieldset whose legend names the group; the fieldset is where the error summary links. */
function checkboxGroup(props: {
  t: Translate;
  name: string;
  legend: string;
  options: Array<{ value: string; label: string }>;
  checked: readonly string[];
  hint?: string;
  error?: string | undefined;
}): SafeHtml {
  const { name } = props;
  const described = [props.hint ? `${name}-hint` : '', props.error ? `${name}-error` : '']
    .filter(Boolean)
    .join(' ');
  return html`<fieldset id="${name}" tabindex="-1"${described ? html` aria-describedby="${described}"` : ''}>
<legend>${props.legend}</legend>
${props.hint ? html`<span class="hint" id="${name}-hint">${props.hint}</span>` : ''}
${props.error ? html`<span class="field-error" id="${name}-error">${props.error}</span>` : ''}
${
  props.options.length
    ? html`<div class="admin-checks">${props.options.map(
        (o) =>
          html`<div class="check"><input type="checkbox" id="${name}-${o.value}" name="${name}" value="${o.value}"${attr('checked', props.checked.includes(o.value))}${props.error ? html` aria-invalid="true"` : ''}><label for="${name}-${o.value}">${o.label}</label></div>`,
      )}</div>`
    : html`<p>${props.t('admin.noChoices')}</p>`
}
</fieldset>`;
}

/** Field messages the directory commands can give, in the reader's language. */
const FIELD_MESSAGES: Record<string, MessageKey> = {
  slug: 'admin.slugFormat',
  parent: 'field.unknownOrganisation',
  organisation: 'field.unknownOrganisation',
  organisations: 'admin.user.organisationsNeeded',
  memberIds: 'admin.team.membersOutside',
  roles: 'admin.user.rolesNeeded',
  password: 'admin.user.passwordLength',
};

/**
 * A command's refusal becomes a message next to the field it names, as in desk.ts (a taken
 * slug or e-mail is "ya existe"); anything else goes to the error page.
 */
async function refused(
  ctx: WebContext,
  error: unknown,
  values: Values,
  render: (state: FormState) => Promise<void>,
) {
  if (!(error instanceof CommandError) || typeof error.details.field !== 'string') throw error;
  const { t, locale } = ctx.state.web;
  const field = error.details.field;
  const key = error.code === 'conflict' ? 'admin.exists' : FIELD_MESSAGES[field];
  const message = key ? t(key, { min: MIN_PASSWORD_LENGTH }) : commandMessage(error, locale, t);
  await render({ values, errors: { [field]: message }, status: 400 });
}

function formPage(
  ctx: WebContext,
  props: { title: string; state: FormState; intro?: SafeHtml; form: SafeHtml },
) {
  const { t } = ctx.state.web;
  sendPage(ctx, {
    status: props.state.status ?? 200,
    current: '/mesa/admin',
    title: props.title,
    main: html`<p><a href="/mesa/admin">← ${t('admin.back')}</a></p>
<h1>${props.title}</h1>
${props.intro ?? ''}
${errorSummary(props.state.errors ?? {}, t)}
${props.form}`,
  });
}

const roleLabel = (ctx: WebContext, role: string) => ticketLabel(ctx.state.web.locale, 'role', role);
const strategyLabel = (t: Translate, strategy: string | null | undefined) =>
  t(`admin.strategy.${strategy ?? 'manual'}` as MessageKey);

// ---- overview

async function overview(ctx: WebContext) {
  const { t } = ctx.state.web;
  const principal = ctx.state.principal!;
  const commands = commandsOf(ctx);
  const admin = isAdmin(principal);
  const [organisations, teams, users] = await Promise.all([
    commands.directory.listOrganisations(principal.scope),
    commands.directory.listTeams(principal.scope),
    commands.directory.listUsers(principal.scope),
  ]);
  // A manager's top organisation has a parent outside their scope: its name is still shown.
  const orgNames = new Map(organisations.map((o) => [String(o._id), o.name]));
  const missingParents = organisations
    .map((o) => (o.parentId ? String(o.parentId) : ''))
    .filter((id) => id && !orgNames.has(id));
  for (const o of await commands.directory.findOrganisationsByKeys([...new Set(missingParents)]))
    orgNames.set(String(o._id), o.name);
  const userNames = new Map(users.map((u) => [String(u._id), u.name]));
  const names = (ids: readonly unknown[] | null | undefined) =>
    (ids ?? [])
      .map((id) => userNames.get(String(id)))
      .filter(Boolean)
      .join(', ');
  const done = typeof ctx.query.hecho === 'string' ? DONE[ctx.query.hecho as keyof typeof DONE] : undefined;
  const editLink = (href: string, name: string) =>
    html`<a href="${href}">${t('admin.edit')}<span class="visually-hidden"> ${name}</span></a>`;
  const actionsHead = admin ? html`<th scope="col">${t('admin.actions')}</th>` : '';

  const teamTable = (organisation: OrganisationRecord, list: TeamRecord[]) =>
    html`<div class="table-wrap"><table>
<caption>${organisation.name}</caption>
<thead><tr><th scope="col">${t('admin.team.name')}</th><th scope="col">${t('admin.slug')}</th><th scope="col">${t('admin.team.leads')}</th><th scope="col">${t('admin.team.members')}</th><th scope="col">${t('admin.team.strategy')}</th>${actionsHead}</tr></thead>
<tbody>${list.map(
      (team) => html`<tr>
<th scope="row">${team.name}</th><td><code>${team.slug}</code></td><td>${names(team.leadIds) || '—'}</td><td>${names(team.memberIds) || '—'}</td><td>${strategyLabel(t, team.strategy)}</td>
${admin ? html`<td>${editLink(`/mesa/admin/equipos/${team._id}`, team.name)}</td>` : ''}
</tr>`,
    )}</tbody></table></div>`;

  sendPage(ctx, {
    current: '/mesa/admin',
    title: t('admin.title'),
    main: html`<h1>${t('admin.title')}</h1>
<p class="lead">${admin ? t('admin.lead') : t('admin.readOnly')}</p>
${done ? html`<p class="notice ok" role="status">${t(done)}</p>` : ''}
<nav aria-label="${t('admin.sections')}"><ul class="tabs">
<li><a href="#instituciones">${t('admin.organisations')}</a></li>
<li><a href="#equipos">${t('admin.teams')}</a></li>
<li><a href="#usuarios">${t('admin.users')}</a></li>
</ul></nav>

<section aria-labelledby="instituciones">
<h2 id="instituciones">${t('admin.organisations')}</h2>
${admin ? html`<p><a class="button secondary" href="/mesa/admin/instituciones/nueva">${t('admin.organisation.new')}</a></p>` : ''}
${
  organisations.length
    ? html`<div class="table-wrap"><table>
<caption class="visually-hidden">${t('admin.organisations')}</caption>
<thead><tr><th scope="col">${t('admin.organisation.name')}</th><th scope="col">${t('admin.slug')}</th><th scope="col">${t('admin.organisation.parent')}</th>${actionsHead}</tr></thead>
<tbody>${organisations.map(
        (o) => html`<tr>
<th scope="row">${o.name}</th><td><code>${o.slug}</code></td><td>${o.parentId ? (orgNames.get(String(o.parentId)) ?? '—') : '—'}</td>
${admin ? html`<td>${editLink(`/mesa/admin/instituciones/${o._id}`, o.name)}</td>` : ''}
</tr>`,
      )}</tbody></table></div>`
    : html`<p>${t('admin.empty')}</p>`
}
</section>

<section aria-labelledby="equipos">
<h2 id="equipos">${t('admin.teams')}</h2>
${organisations.map((o) => {
  const list = teams.filter((team) => String(team.organisationId) === String(o._id));
  const create = admin
    ? html`<p><a href="/mesa/admin/equipos/nuevo?institucion=${o._id}">${t('admin.team.newIn', { organisation: o.name })}</a></p>`
    : '';
  if (!list.length && !admin) return '';
  return html`${list.length ? teamTable(o, list) : html`<h3>${o.name}</h3><p>${t('admin.team.none')}</p>`}${create}`;
})}
</section>

<section aria-labelledby="usuarios">
<h2 id="usuarios">${t('admin.users')}</h2>
${admin ? html`<p><a class="button secondary" href="/mesa/admin/usuarios/nuevo">${t('admin.user.new')}</a></p>` : ''}
${
  users.length
    ? html`<div class="table-wrap"><table>
<caption class="visually-hidden">${t('admin.users')}</caption>
<thead><tr><th scope="col">${t('admin.user.name')}</th><th scope="col">${t('admin.user.email')}</th><th scope="col">${t('admin.user.roles')}</th><th scope="col">${t('admin.user.organisations')}</th><th scope="col">${t('admin.user.state')}</th>${actionsHead}</tr></thead>
<tbody>${users.map(
        (u) => html`<tr>
<th scope="row">${u.name}</th><td>${u.email}</td><td>${(u.roles ?? []).map((r) => roleLabel(ctx, r)).join(', ')}</td>
<td>${
          (u.organisationIds ?? [])
            .map((id) => orgNames.get(String(id)))
            .filter(Boolean)
            .join(', ') || '—'
        }</td>
<td>${u.active === false ? html`<span class="badge danger">${t('admin.user.inactive')}</span>` : t('admin.user.active')}</td>
${admin ? html`<td>${editLink(`/mesa/admin/usuarios/${u._id}`, u.name)}</td>` : ''}
</tr>`,
      )}</tbody></table></div>`
    : html`<p>${t('admin.empty')}</p>`
}
</section>`,
  });
}

// ---- organisations

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

// ---- teams

/** The people a team of this organisation can have: its active staff, and whoever is in the team already. */
async function teamCandidates(ctx: WebContext, organisationId: string, team: TeamRecord | null) {
  const users = await commandsOf(ctx).directory.listUsers({ kind: 'everything' }, { organisationId });
  const inTeam = new Set([...(team?.memberIds ?? []), ...(team?.leadIds ?? [])].map(String));
  return users
    .filter((u) => u.active !== false || inTeam.has(String(u._id)))
    .map((u) => ({
      value: String(u._id),
      label: u.active === false ? `${u.name} (${ctx.state.web.t('admin.user.inactive')})` : u.name,
    }));
}

async function teamForm(
  ctx: WebContext,
  organisation: OrganisationRecord,
  record: TeamRecord | null,
  state: FormState = {},
) {
  const { t } = ctx.state.web;
  const errors = state.errors ?? {};
  const values = state.values;
  const candidates = await teamCandidates(ctx, String(organisation._id), record);
  const title = record ? t('admin.team.editTitle', { name: record.name }) : t('admin.team.new');
  formPage(ctx, {
    title,
    state,
    form: html`<form method="post" action="${record ? `/mesa/admin/equipos/${record._id}` : '/mesa/admin/equipos'}" class="stack" novalidate>
${csrfField(ctx.state.csrfToken)}
<dl class="meta">
<dt>${t('admin.team.organisation')}</dt><dd>${organisation.name}</dd>
${record ? html`<dt>${t('admin.slug')}</dt><dd><code>${record.slug}</code></dd>` : ''}
</dl>
${
  record
    ? ''
    : html`<input type="hidden" name="organisation" value="${String(organisation._id)}">
${input({ t, name: 'slug', label: t('admin.slug'), hint: t('admin.slugHint'), value: one(values, 'slug'), error: errors.slug, required: true, maxlength: 63, autocomplete: 'off' })}`
}
${input({ t, name: 'name', label: t('admin.team.name'), value: one(values, 'name') ?? record?.name, error: errors.name, required: true, maxlength: 200 })}
${select({ t, name: 'strategy', label: t('admin.team.strategy'), hint: t('admin.team.strategyHint'), required: true, options: ASSIGNMENT_STRATEGIES.map((s) => ({ value: s, label: strategyLabel(t, s) })), value: one(values, 'strategy') ?? record?.strategy ?? 'manual', error: errors.strategy })}
${checkboxGroup({ t, name: 'memberIds', legend: t('admin.team.members'), options: candidates, checked: many(values, 'memberIds') ?? (record?.memberIds ?? []).map(String), error: errors.memberIds, hint: t('admin.team.membersHint') })}
${checkboxGroup({ t, name: 'leadIds', legend: t('admin.team.leads'), options: candidates, checked: many(values, 'leadIds') ?? (record?.leadIds ?? []).map(String), error: errors.leadIds, hint: t('admin.team.leadsHint') })}
<button type="submit">${record ? t('common.save') : t('admin.team.create')}</button>
</form>`,
  });
}

/** Without an organisation yet, the new-team page asks for one first (members depend on it). */
async function chooseOrganisation(ctx: WebContext) {
  const { t } = ctx.state.web;
  const organisations = await commandsOf(ctx).directory.listOrganisations({ kind: 'everything' });
  formPage(ctx, {
    title: t('admin.team.new'),
    state: {},
    form: html`<form method="get" action="/mesa/admin/equipos/nuevo" class="stack">
${select({ t, name: 'institucion', label: t('admin.team.organisation'), required: true, placeholder: t('request.organisationPlaceholder'), options: organisations.map((o) => ({ value: String(o._id), label: o.name })) })}
<button type="submit">${t('admin.team.continue')}</button>
</form>`,
  });
}

async function findTeamOr404(ctx: WebContext) {
  const commands = commandsOf(ctx);
  const team = await commands.directory.findTeam({ kind: 'everything' }, ctx.params.id ?? '');
  const organisation = team
    ? await commands.directory.findOrganisation({ kind: 'everything' }, String(team.organisationId))
    : null;
  if (!team || !organisation) throw pageNotFound();
  return { team, organisation };
}

function teamValues(ctx: WebContext): Values {
  const body = formBody(ctx);
  return {
    slug: (body.slug ?? '').trim().slice(0, 100),
    name: (body.name ?? '').slice(0, 300),
    strategy: (body.strategy ?? '').slice(0, 40),
    memberIds: formList(ctx, 'memberIds'),
    leadIds: formList(ctx, 'leadIds', 50),
  };
}

/**
 * Checks the fields the new-team and edit-team forms share (the slug is only in the first),
 * adding what is wrong to `errors`. The values returned are only meaningful when `errors` stays empty.
 */
function teamFields(t: Translate, values: Values, errors: FieldErrors) {
  const name = checkText(errors, t, 'name', one(values, 'name') ?? '', {
    min: 2,
    max: 200,
    required: true,
  });
  const strategy = checkChoice(
    errors,
    t,
    'strategy',
    one(values, 'strategy') ?? '',
    ASSIGNMENT_STRATEGIES,
    true,
  );
  return {
    name: name!,
    strategy: strategy as AssignmentStrategy,
    memberIds: many(values, 'memberIds'),
    leadIds: many(values, 'leadIds'),
  };
}

// ---- users

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

/** The checks a person can fix on the form; the commands check again and decide the rest. */
function checkPasswordField(errors: FieldErrors, t: Translate, password: string, required: boolean) {
  if (!password) {
    if (required) errors.password = t('field.required');
  } else if (password.length < MIN_PASSWORD_LENGTH || password.length > 200)
    errors.password = t('admin.user.passwordLength', { min: MIN_PASSWORD_LENGTH });
}

function checkRoles(errors: FieldErrors, t: Translate, roles: readonly string[]) {
  if (!roles.length || roles.some((r) => !(STAFF_ROLES as readonly string[]).includes(r)))
    errors.roles = t('admin.user.rolesNeeded');
}

/**
 * Checks the fields the new-user and edit-user forms share (the email is only in the first;
 * the password is required only there), adding what is wrong to `errors`. The values returned
 * are only meaningful when `errors` stays empty.
 */
function userFields(
  t: Translate,
  values: Values,
  errors: FieldErrors,
  password: string,
  passwordRequired: boolean,
) {
  const name = checkText(errors, t, 'name', one(values, 'name') ?? '', {
    min: 2,
    max: 200,
    required: true,
  });
  const roles = many(values, 'roles') ?? [];
  checkRoles(errors, t, roles);
  checkPasswordField(errors, t, password, passwordRequired);
  return { name: name!, roles };
}

/**
 * Administration of organisations, teams and staff in the desk, over the API's admin routes:
 * the same commands and repository calls, the same roles (managers read their subtree,
 * admins change everything).
 */
export function adminPages(_deps: AppDeps): Router {
  const router = new Router();
  const staff = requireStaffPage();
  const reader = requireRoles(canSeeAdmin);
  const admin = requireRoles(isAdmin);

  router.get('/mesa/admin', staff, reader, page(overview));

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
      const errors: FieldErrors = {};
      if (!values.slug) errors.slug = t('field.required');
      else if (!isSlug(values.slug)) errors.slug = t('admin.slugFormat');
      const name = checkText(errors, t, 'name', values.name, { min: 2, max: 200, required: true });
      if (Object.keys(errors).length)
        return await organisationForm(ctx, null, { values, errors, status: 400 });
      try {
        await createOrganisation(commandsOf(ctx), {
          slug: values.slug,
          name: name!,
          parent: values.parent || undefined,
        });
      } catch (error) {
        return await refused(ctx, error, values, (state) => organisationForm(ctx, null, state));
      }
      seeOther(ctx, '/mesa/admin?hecho=institucion-creada');
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
      const errors: FieldErrors = {};
      const name = checkText(errors, t, 'name', values.name, { min: 2, max: 200, required: true });
      if (Object.keys(errors).length)
        return await organisationForm(ctx, record, { values, errors, status: 400 });
      // The API's PATCH does the same: a repository call, nothing else to decide.
      const updated = await commandsOf(ctx).directory.updateOrganisation(String(record._id), { name: name! });
      if (!updated) throw pageNotFound();
      seeOther(ctx, '/mesa/admin?hecho=institucion-editada');
    }),
  );

  // Teams
  router.get(
    '/mesa/admin/equipos/nuevo',
    staff,
    admin,
    page(async (ctx) => {
      const key = typeof ctx.query.institucion === 'string' ? ctx.query.institucion : '';
      const organisation = isObjectId(key)
        ? await commandsOf(ctx).directory.findOrganisation({ kind: 'everything' }, key)
        : null;
      if (!organisation) return await chooseOrganisation(ctx);
      await teamForm(ctx, organisation, null);
    }),
  );
  router.post(
    '/mesa/admin/equipos',
    staff,
    admin,
    page(async (ctx) => {
      const { t } = ctx.state.web;
      const key = formBody(ctx).organisation ?? '';
      const organisation = isObjectId(key)
        ? await commandsOf(ctx).directory.findOrganisation({ kind: 'everything' }, key)
        : null;
      // The organisation is a hidden field of the form: only a forged or stale form lacks it.
      if (!organisation) throw new PageError(400, 'field.unknownOrganisation');
      const values = teamValues(ctx);
      const errors: FieldErrors = {};
      const slug = one(values, 'slug') ?? '';
      if (!slug) errors.slug = t('field.required');
      else if (!isSlug(slug)) errors.slug = t('admin.slugFormat');
      const fields = teamFields(t, values, errors);
      const render = (state: FormState) => teamForm(ctx, organisation, null, state);
      if (Object.keys(errors).length) return await render({ values, errors, status: 400 });
      try {
        await createTeam(commandsOf(ctx), { organisation: String(organisation._id), slug, ...fields });
      } catch (error) {
        return await refused(ctx, error, values, render);
      }
      seeOther(ctx, '/mesa/admin?hecho=equipo-creado');
    }),
  );
  router.get(
    '/mesa/admin/equipos/:id',
    staff,
    admin,
    page(async (ctx) => {
      const { team, organisation } = await findTeamOr404(ctx);
      await teamForm(ctx, organisation, team);
    }),
  );
  router.post(
    '/mesa/admin/equipos/:id',
    staff,
    admin,
    page(async (ctx) => {
      const { team, organisation } = await findTeamOr404(ctx);
      const { t } = ctx.state.web;
      const values = teamValues(ctx);
      const errors: FieldErrors = {};
      const fields = teamFields(t, values, errors);
      const render = (state: FormState) => teamForm(ctx, organisation, team, state);
      if (Object.keys(errors).length) return await render({ values, errors, status: 400 });
      try {
        const updated = await updateTeam(
          commandsOf(ctx),
          ctx.state.principal!.scope,
          String(team._id),
          fields,
        );
        if (!updated) throw pageNotFound();
      } catch (error) {
        return await refused(ctx, error, values, render);
      }
      seeOther(ctx, '/mesa/admin?hecho=equipo-editado');
    }),
  );

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
      const errors: FieldErrors = {};
      const email = checkEmail(errors, t, 'email', one(values, 'email') ?? '');
      const { name, roles } = userFields(t, values, errors, password, true);
      const render = (state: FormState) => userForm(ctx, null, state);
      if (Object.keys(errors).length) return await render({ values, errors, status: 400 });
      try {
        await createUser(commandsOf(ctx), {
          email: email!,
          name,
          password,
          roles,
          organisations: many(values, 'organisations') ?? [],
        });
      } catch (error) {
        return await refused(ctx, error, values, render);
      }
      seeOther(ctx, '/mesa/admin?hecho=usuario-creado');
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
      const errors: FieldErrors = {};
      const { name, roles } = userFields(t, values, errors, password, false);
      const render = (state: FormState) => userForm(ctx, record, state);
      if (Object.keys(errors).length) return await render({ values, errors, status: 400 });
      try {
        const updated = await updateUser(commandsOf(ctx), ctx.state.principal!.scope, String(record._id), {
          name,
          roles,
          active: values.active === 'si',
          password: password || undefined,
        });
        if (!updated) throw pageNotFound();
      } catch (error) {
        return await refused(ctx, error, values, render);
      }
      seeOther(ctx, '/mesa/admin?hecho=usuario-editado');
    }),
  );
  return router;
}
