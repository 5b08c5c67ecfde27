import { CommandError, MIN_PASSWORD_LENGTH, type StaffPrincipal } from '@quipu/commands';
import { ticketLabel } from '@quipu/core/tickets';
import type { Middleware } from 'koa';
import { commandMessage } from '../../command-messages.ts';
import { PageError } from '../../errors.ts';
import { errorSummary, type FieldErrors } from '../../forms.ts';
import { seeOther } from '../../handler.ts';
import { attr, html, type SafeHtml } from '../../html.ts';
import type { MessageKey, Translate } from '../../i18n/index.ts';
import { sendPage } from '../../layout.ts';
import type { FormResult } from '../../validate-form.ts';
import type { WebContext } from '../../web-context.ts';

/** Who may read the directory: the API's admin lists allow admins and managers (their subtree). */
export function canSeeAdmin(principal: StaffPrincipal): boolean {
  return principal.roles.includes('admin') || principal.roles.includes('manager');
}

export const isAdmin = (principal: StaffPrincipal) => principal.roles.includes('admin');

/** The same roles as the API's admin routes: reading for `reader`, changes for `admin`. */
export function requireRoles(allowed: (principal: StaffPrincipal) => boolean): Middleware {
  return async function requireRolesMiddleware(ctx, next) {
    if (!allowed((ctx as unknown as WebContext).state.principal!))
      throw new PageError(403, 'error.forbidden');
    await next();
  };
}

export const DONE = {
  'institucion-creada': 'admin.done.organisationCreated',
  'institucion-editada': 'admin.done.organisationUpdated',
  'equipo-creado': 'admin.done.teamCreated',
  'equipo-editado': 'admin.done.teamUpdated',
  'usuario-creado': 'admin.done.userCreated',
  'usuario-editado': 'admin.done.userUpdated',
} as const satisfies Record<string, MessageKey>;

/** Form values as sent: one string per field, a list for checkbox groups. */
export type Values = Record<string, string | string[]>;

export interface FormState {
  values?: Values;
  errors?: FieldErrors;
  status?: number;
}

export const one = (values: Values | undefined, key: string) => {
  const value = values?.[key];
  return typeof value === 'string' ? value : undefined;
};
export const many = (values: Values | undefined, key: string) => {
  const value = values?.[key];
  return Array.isArray(value) ? value : undefined;
};

/** Every value of a repeated field (a checkbox group); formBody keeps only the first. */
export function formList(ctx: WebContext, name: string, max = 500): string[] {
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
export function checkboxGroup(props: {
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

/**
 * The rest of every admin form's POST once its values are parsed: a form with errors comes back
 * with them; a valid one is saved, a refusal comes back next to its field ({@link refused}), and
 * success returns to the overview saying what was done.
 */
export async function saveForm<T>(
  ctx: WebContext,
  props: {
    form: FormResult<T>;
    values: Values;
    render: (state: FormState) => Promise<void>;
    save: (data: T) => Promise<unknown>;
    done: keyof typeof DONE;
  },
): Promise<void> {
  const { form, values, render } = props;
  if (form.errors) return await render({ values, errors: form.errors, status: 400 });
  try {
    await props.save(form.data);
  } catch (error) {
    return await refused(ctx, error, values, render);
  }
  seeOther(ctx, `/mesa/admin?hecho=${props.done}`);
}

export function formPage(
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

export const roleLabel = (ctx: WebContext, role: string) => ticketLabel(ctx.state.web.locale, 'role', role);
export const strategyLabel = (t: Translate, strategy: string | null | undefined) =>
  t(`admin.strategy.${strategy ?? 'manual'}` as MessageKey);

/** The guards of the administration pages: signed-in staff, and admins for every change. */
export interface AdminGuards {
  staff: Middleware;
  admin: Middleware;
}
