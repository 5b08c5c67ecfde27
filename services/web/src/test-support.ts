import { createLogger, startHttpServer } from '@quipu/api';
import type { Harness } from '@quipu/test/harness';
import { startStack } from '@quipu/test/stack';
import { afterAll } from 'vitest';
import { mountWeb } from './index.ts';

/**
 * The test stack (API, workers, SMTP peer) plus a second HTTP server on the same runtime with
 * the web UI mounted, as `quipu start` mounts it. (startStack mounts nothing; once it takes a
 * `mounts` option this can shrink to one call.)
 */
export async function startWebStack(harness: Harness, options: Parameters<typeof startStack>[1] = {}) {
  const stack = await startStack(harness, options);
  const web = await startHttpServer({ ...stack.runtime, logger: createLogger('silent') }, [mountWeb], 0);
  afterAll(async () => {
    await web.close();
  });
  return { ...stack, web: web.url };
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
