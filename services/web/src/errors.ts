import { CommandError } from '@quipu/commands';
import { AppError } from '@quipu/http';
import { commandMessage } from './command-messages.ts';
import { html } from './html.ts';
import type { MessageKey } from './i18n/index.ts';
import { sendPage } from './layout.ts';
import type { WebContext } from './web-context.ts';

/** A page-level refusal with a status and a message key (rendered as an HTML error page). */
export class PageError extends Error {
  readonly status: number;
  readonly key: MessageKey;
  constructor(status: number, key: MessageKey, detail?: string) {
    super(detail ?? key);
    this.name = 'PageError';
    this.status = status;
    this.key = key;
  }
}

export const pageNotFound = () => new PageError(404, 'error.notFound');

function statusOf(error: unknown): {
  status: number;
  key: MessageKey;
  detail?: string;
  command?: CommandError;
} {
  if (error instanceof PageError) return { status: error.status, key: error.key };
  if (error instanceof CommandError) {
    if (error.code === 'not_found') return { status: 404, key: 'error.notFound' };
    if (error.code === 'forbidden') return { status: 403, key: 'error.forbidden' };
    return { status: 409, key: 'error.refused', command: error };
  }
  if (error instanceof AppError) {
    if (error.status === 404) return { status: 404, key: 'error.notFound' };
    if (error.status === 401) return { status: 401, key: 'error.unauthenticated' };
    if (error.status === 403)
      return { status: 403, key: error.message.includes('CSRF') ? 'error.csrf' : 'error.forbidden' };
    if (error.status === 429) return { status: 429, key: 'error.rateLimited' };
    if (error.status < 500) return { status: error.status, key: 'error.refused' };
  }
  const status = (error as { status?: number })?.status;
  if (status === 413 || status === 400) return { status, key: 'error.refused' };
  return { status: 500, key: 'error.server' };
}

/** The pages' error boundary: errors become an HTML page (the API's boundary speaks problem+json). */
export async function webErrors(ctx: WebContext, next: () => Promise<unknown>) {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) throw pageNotFound();
  } catch (error) {
    const found = statusOf(error);
    if (found.status >= 500) ctx.state.log?.error({ err: error }, 'page error');
    if (error instanceof AppError)
      for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
    if (found.status === 401) ctx.remove('WWW-Authenticate');
    const { t, locale } = ctx.state.web;
    const message = found.command ? commandMessage(found.command, locale, t) : t(found.key);
    sendPage(ctx, {
      status: found.status,
      title: t('error.title'),
      main: html`<h1>${t('error.title')}</h1>
<p class="notice error" role="alert">${message}</p>
${found.status === 404 ? html`<p>${t('error.notFoundHelp')}</p>` : ''}
${found.status === 401 ? html`<p><a href="/mesa/ingresar">${t('login.title')}</a></p>` : ''}
<p><a href="/">${t('error.back')}</a></p>`,
    });
  }
}
