import type { CommandContext, StaffPrincipal } from '@quipu/commands';
import type { AppDeps } from '@quipu/http';
import type { ParameterizedContext } from 'koa';
import type { Logger } from 'pino';
import { chooseLocale, type Locale, type Translate, translator } from './i18n/index.ts';

export const LANG_COOKIE = 'quipu_lang';

/** What every page handler needs, set once per request by `webContext`. */
export interface WebState {
  locale: Locale;
  t: Translate;
  timeZone: string;
  portalName: string;
  /** Path (and query) of this page without `lang`, for the language switch. */
  here: string;
}

export type WebContext = ParameterizedContext<{
  web: WebState;
  principal?: StaffPrincipal;
  csrfToken?: string;
  via?: 'session' | 'token';
  log?: Logger;
}> & { params: Record<string, string | undefined> };

export function commandsOf(ctx: { app: { context: unknown } }): CommandContext {
  return (ctx.app.context as { commands: CommandContext }).commands;
}

export function webContext(deps: AppDeps) {
  const fallback = deps.config.portal.defaultLanguage;
  return async function webContextMiddleware(ctx: WebContext, next: () => Promise<unknown>) {
    const { locale, remember } = chooseLocale({
      query: ctx.query.lang,
      cookie: ctx.cookies.get(LANG_COOKIE),
      acceptLanguage: ctx.get('Accept-Language'),
      fallback,
    });
    if (remember) {
      // A preference, not an identity: readable by nothing but the server, kept a year.
      ctx.cookies.set(LANG_COOKIE, locale, {
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        maxAge: 365 * 86_400_000,
        overwrite: true,
      });
    }
    const params = new URLSearchParams(ctx.querystring);
    params.delete('lang');
    const query = params.toString();
    ctx.state.web = {
      locale,
      t: translator(locale),
      timeZone: deps.config.portal.timeZone,
      portalName: deps.config.portal.name,
      here: `${ctx.path}${query ? `?${query}` : ''}`,
    };
    ctx.vary('Accept-Language');
    ctx.vary('Cookie');
    await next();
  };
}
