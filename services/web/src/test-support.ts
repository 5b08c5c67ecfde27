import type { Harness } from '@quipu/test/harness';
import { startStack } from '@quipu/test/stack';
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
