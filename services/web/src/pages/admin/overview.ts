import type { OrganisationRecord, TeamRecord } from '@quipu/db';
import { html } from '../../html.ts';
import { sendPage } from '../../layout.ts';
import { commandsOf, type WebContext } from '../../web-context.ts';
import { DONE, isAdmin, roleLabel, strategyLabel } from './shared.ts';

export async function overview(ctx: WebContext) {
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
