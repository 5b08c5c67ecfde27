import Router from '@koa/router';
import { createApiToken } from '@quipu/commands';
import { ticketLabel } from '@quipu/core/tickets';
import { type AppDeps, tokenBody } from '@quipu/http';
import { pageNotFound } from '../errors.ts';
import { csrfField, errorSummary, type FieldErrors, formBody, input, select } from '../forms.ts';
import { page, seeOther } from '../handler.ts';
import { html } from '../html.ts';
import { sendPage } from '../layout.ts';
import { time } from '../ticket-parts.ts';
import { parseForm } from '../validate-form.ts';
import { commandsOf, type WebContext } from '../web-context.ts';
import { canSeeAdmin } from './admin/shared.ts';
import { requireStaffPage } from './desk/staff.ts';

/** The lifetimes the form offers, in days; '' is "until revoked". 90 is preselected. */
const LIFETIMES = ['30', '90', '366', ''] as const;

interface FormState {
  values?: { name?: string; expiresInDays?: string };
  errors?: FieldErrors;
  status?: number;
}

/** The signed-in person: who they are to the portal, and their API tokens (never the secrets). */
async function accountPage(ctx: WebContext, state: FormState = {}) {
  const web = ctx.state.web;
  const { t, locale } = web;
  const principal = ctx.state.principal!;
  const commands = commandsOf(ctx);
  const [tokens, organisations] = await Promise.all([
    commands.directory.listApiTokens(principal.userId),
    commands.directory.findOrganisationsByKeys(principal.organisationIds),
  ]);
  const revoked = ctx.query.hecho === 'revocado';
  const now = commands.now().getTime();
  sendPage(ctx, {
    status: state.status ?? 200,
    current: '/mesa/cuenta',
    title: t('account.title'),
    main: html`<h1>${t('account.title')}</h1>
${revoked ? html`<p class="notice ok" role="status">${t('account.done.revoked')}</p>` : ''}
${errorSummary(state.errors ?? {}, t)}
<dl class="meta">
<dt>${t('admin.user.name')}</dt><dd>${principal.name}</dd>
<dt>${t('admin.user.email')}</dt><dd>${principal.email}</dd>
<dt>${t('admin.user.roles')}</dt><dd>${principal.roles.map((r) => ticketLabel(locale, 'role', r)).join(', ')}</dd>
<dt>${t('admin.user.organisations')}</dt><dd>${organisations.map((o) => o.name).join(', ') || '—'}</dd>
</dl>
${canSeeAdmin(principal) ? html`<p><a href="/mesa/admin">${t('account.adminLink')}</a></p>` : ''}

<h2 id="tokens">${t('account.tokens')}</h2>
<p>${t('account.tokensLead')}</p>
${
  tokens.length
    ? html`<div class="table-wrap"><table>
<caption class="visually-hidden">${t('account.tokens')}</caption>
<thead><tr><th scope="col">${t('account.token.name')}</th><th scope="col">${t('account.token.prefix')}</th><th scope="col">${t('account.token.created')}</th><th scope="col">${t('account.token.lastUsed')}</th><th scope="col">${t('account.token.expires')}</th><th scope="col">${t('account.token.state')}</th></tr></thead>
<tbody>${tokens.map(
        (token) => html`<tr>
<th scope="row">${token.name}</th>
<td><code>${token.prefix}…</code></td>
<td>${time(web, token.createdAt)}</td>
<td>${token.lastUsedAt ? time(web, token.lastUsedAt) : t('account.token.never')}</td>
<td>${token.expiresAt ? time(web, token.expiresAt, 'date') : t('account.token.noExpiry')}</td>
<td>${
          token.revokedAt
            ? html`${t('account.token.revokedAt')} ${time(web, token.revokedAt)}`
            : token.expiresAt && token.expiresAt.getTime() <= now
              ? html`${t('account.token.expiredAt')} ${time(web, token.expiresAt)}`
              : html`<form method="post" action="/mesa/cuenta/tokens/${token._id}/revocar" class="inline-form">
${csrfField(ctx.state.csrfToken)}
<button type="submit" class="secondary">${t('account.token.revoke')}<span class="visually-hidden"> ${token.name}</span></button>
</form>`
        }</td>
</tr>`,
      )}</tbody></table></div>`
    : html`<p>${t('account.token.none')}</p>`
}
<form method="post" action="/mesa/cuenta/tokens" class="stack" novalidate>
<h3>${t('account.token.new')}</h3>
${csrfField(ctx.state.csrfToken)}
${input({ t, name: 'name', label: t('account.token.name'), hint: t('account.token.nameHint'), value: state.values?.name, error: state.errors?.name, required: true, maxlength: 100, autocomplete: 'off' })}
${select({ t, name: 'expiresInDays', label: t('account.token.lifetime'), hint: t('account.token.lifetimeHint'), value: state.values?.expiresInDays ?? '90', error: state.errors?.expiresInDays, options: LIFETIMES.map((days) => ({ value: days, label: days ? t('account.token.days', { days }) : t('account.token.noExpiry') })) })}
<button type="submit">${t('account.token.create')}</button>
</form>`,
  });
}

/** The signed-in person's account page (/mesa/cuenta) and their personal API tokens. */
export function accountPages(_deps: AppDeps): Router {
  const router = new Router();
  const staff = requireStaffPage();
  router.get('/mesa/cuenta', staff, page(accountPage));
  // The token page is a POST answer; its language link (and a reload) land here, on the account.
  router.get(
    '/mesa/cuenta/tokens',
    staff,
    page((ctx) => seeOther(ctx, '/mesa/cuenta')),
  );
  router.post(
    '/mesa/cuenta/tokens',
    staff,
    page(async (ctx) => {
      const { t } = ctx.state.web;
      const body = formBody(ctx);
      const values = {
        name: (body.name ?? '').slice(0, 200),
        expiresInDays: (body.expiresInDays ?? '').slice(0, 10),
      };
      const form = parseForm(tokenBody, values, t, {
        order: ['name', 'expiresInDays'],
        // A choice among the offered lifetimes, whatever the schema found wrong with it.
        refused: { expiresInDays: t('field.choose') },
      });
      if (!form.data) return await accountPage(ctx, { values, errors: form.errors, status: 400 });
      const created = await createApiToken(commandsOf(ctx), ctx.state.principal!, form.data.name, {
        expiresInDays: form.data.expiresInDays,
      });
      // The one exception to Post/Redirect/Get: only its hash is stored, so the secret exists
      // in this response alone. A redirect would have to carry it in a URL (history, logs,
      // Referer) or in server-side state; instead it is rendered here, with no-store (sendPage
      // sets it for every signed-in page) so no cache or back button keeps it.
      sendPage(ctx, {
        status: 201,
        current: '/mesa/cuenta',
        title: t('account.created.title'),
        main: html`<h1>${t('account.created.title')}</h1>
<p class="notice warn" role="status">${t('account.created.once')}</p>
<div class="field">
<label for="token-secret">${t('account.created.label', { name: created.name })}</label>
<input type="text" id="token-secret" class="token-secret" value="${created.token}" readonly spellcheck="false" autocomplete="off" aria-describedby="token-usage">
</div>
<p id="token-usage">${t('account.created.usage')} <code>Authorization: Bearer …</code></p>
<p><a href="/mesa/cuenta#tokens">${t('account.created.back')}</a></p>`,
      });
      ctx.set('Cache-Control', 'no-store');
    }),
  );
  router.post(
    '/mesa/cuenta/tokens/:id/revocar',
    staff,
    page(async (ctx) => {
      const commands = commandsOf(ctx);
      // Only the person's own tokens: the repository filters by their user id.
      const revoked = await commands.directory.revokeApiToken(
        ctx.state.principal!.userId,
        ctx.params.id ?? '',
        commands.now(),
      );
      if (!revoked) throw pageNotFound();
      seeOther(ctx, '/mesa/cuenta?hecho=revocado');
    }),
  );
  return router;
}
