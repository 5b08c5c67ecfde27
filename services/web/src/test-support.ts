import { linkToken, openTicket, verifyReporterEmail } from '@quipu/commands';
import type { Harness } from '@quipu/test/harness';
import { startStack } from '@quipu/test/stack';
import { expect } from 'vitest';
import { mountWeb } from './index.ts';

/** The test stack (API, workers, SMTP peer) with the web UI mounted, as `quipu start` mounts it. */
export async function startWebStack(harness: Harness, options: Parameters<typeof startStack>[1] = {}) {
  const stack = await startStack(harness, { ...options, mounts: [mountWeb] });
  return { ...stack, web: stack.url };
}

/** Form POST as a browser without JavaScript sends it. */
export async function postForm(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Signs in through the login page as a browser does: GET the form (token + cookie), then POST it. */
export async function signInThroughForm(web: string, email: string, password: string, volver?: string) {
  const form = await fetch(`${web}/mesa/ingresar`);
  const loginCookie = form.headers.get('set-cookie')!.split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const response = await postForm(
    `${web}/mesa/ingresar`,
    { _csrf: token, email, password, ...(volver ? { volver } : {}) },
    { cookie: loginCookie },
  );
  const session = response.headers.getSetCookie().find((c) => c.startsWith('quipu_session='));
  return { response, cookie: session?.split(';')[0] ?? '' };
}

export type DeskSession = { cookie: string; csrf: string };

/**
 * Signs people in to the desk through the login form, once per person for the calling test
 * file (the login form allows 10 attempts a minute per client): `signIn(email)` gives the
 * session cookie and the CSRF token read from the inbox, `signIn.fresh(email)` a new session
 * that is not kept. With `volver`, the form asks to go back there and must be sent there.
 */
export function deskSessions(web: string, password: string, options: { volver?: string } = {}) {
  const sessions = new Map<string, DeskSession>();
  async function fresh(email: string): Promise<DeskSession> {
    const { response, cookie } = await signInThroughForm(web, email, password, options.volver);
    expect(response.status).toBe(303);
    if (options.volver) expect(response.headers.get('location')).toBe(options.volver);
    const inbox = await (await fetch(`${web}/mesa`, { headers: { cookie } })).text();
    return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(inbox)![1]! };
  }
  async function signIn(email: string): Promise<DeskSession> {
    const known = sessions.get(email);
    if (known) return known;
    const session = await fresh(email);
    sessions.set(email, session);
    return session;
  }
  return Object.assign(signIn, { fresh });
}

/**
 * A complaint about a dataset from Rosa, her address confirmed as the link in her
 * acknowledgement would (the token derived from the ticket id with the session secret).
 */
export async function verifiedComplaint(
  stack: Awaited<ReturnType<typeof startWebStack>>,
  dataset: string,
  title: string,
) {
  const { ticket } = await openTicket(stack.commands, {
    kind: 'complaint',
    category: 'wrong_data',
    title,
    description: 'Hay filas con fecha 2031-01-05 en el archivo de fallecidos.',
    dataset,
    reporter: { email: 'rosa@example.pe', name: 'Rosa Mamani', language: 'es' },
    consent: true,
  });
  await verifyReporterEmail(
    stack.commands,
    linkToken(stack.runtime.config.session.secret, 'verification', String(ticket._id)),
  );
  return ticket;
}
