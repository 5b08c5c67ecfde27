import type Router from '@koa/router';
import { createTeam, updateTeam } from '@quipu/commands';
import { ASSIGNMENT_STRATEGIES, type AssignmentStrategy } from '@quipu/core/routing';
import { isObjectId, type OrganisationRecord, type TeamRecord } from '@quipu/db';
import { teamBody } from '@quipu/http';
import { PageError, pageNotFound } from '../../errors.ts';
import { csrfField, formBody, input, select } from '../../forms.ts';
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
  saveForm,
  strategyLabel,
  type Values,
} from './shared.ts';

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

/** The organisation a link or a form names by id, if there is one. */
async function organisationById(ctx: WebContext, key: string): Promise<OrganisationRecord | null> {
  return isObjectId(key)
    ? await commandsOf(ctx).directory.findOrganisation({ kind: 'everything' }, key)
    : null;
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

/** The team forms' fields as the API checks them; the form always sends a strategy. */
const editedTeam = teamBody.pick({ name: true, strategy: true }).required({ strategy: true });
/** Creating also names the team's slug (fixed afterwards). */
const newTeam = editedTeam.extend({ slug: teamBody.shape.slug });

function teamRules(t: Translate): FormRules {
  return {
    order: ['slug', 'name', 'strategy'],
    empty: { strategy: t('field.choose') },
    refused: { slug: t('admin.slugFormat'), strategy: t('field.choose') },
  };
}

/** The command's fields: what the schema parsed, and the members and leads ticked. */
function teamFields(values: Values, parsed: { name: string; strategy: AssignmentStrategy }) {
  return {
    name: parsed.name,
    strategy: parsed.strategy,
    memberIds: many(values, 'memberIds'),
    leadIds: many(values, 'leadIds'),
  };
}

/** Creating and editing teams: members, leads, the assignment strategy. */
export function teamPages(router: Router, guards: AdminGuards): void {
  const { staff, admin } = guards;
  // Teams
  router.get(
    '/mesa/admin/equipos/nuevo',
    staff,
    admin,
    page(async (ctx) => {
      const organisation = await organisationById(
        ctx,
        typeof ctx.query.institucion === 'string' ? ctx.query.institucion : '',
      );
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
      const organisation = await organisationById(ctx, formBody(ctx).organisation ?? '');
      // The organisation is a hidden field of the form: only a forged or stale form lacks it.
      if (!organisation) throw new PageError(400, 'field.unknownOrganisation');
      const values = teamValues(ctx);
      const form = parseForm(
        newTeam,
        { slug: one(values, 'slug'), name: one(values, 'name'), strategy: one(values, 'strategy') },
        t,
        teamRules(t),
      );
      await saveForm(ctx, {
        form,
        values,
        render: (state) => teamForm(ctx, organisation, null, state),
        save: (data) =>
          createTeam(commandsOf(ctx), {
            organisation: String(organisation._id),
            slug: data.slug,
            ...teamFields(values, data),
          }),
        done: 'equipo-creado',
      });
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
      const form = parseForm(
        editedTeam,
        { name: one(values, 'name'), strategy: one(values, 'strategy') },
        t,
        teamRules(t),
      );
      await saveForm(ctx, {
        form,
        values,
        render: (state) => teamForm(ctx, organisation, team, state),
        save: async (data) => {
          const updated = await updateTeam(
            commandsOf(ctx),
            ctx.state.principal!.scope,
            String(team._id),
            teamFields(values, data),
          );
          if (!updated) throw pageNotFound();
        },
        done: 'equipo-editado',
      });
    }),
  );
}
