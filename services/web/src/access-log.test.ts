import { linkToken, openTicket } from '@quipu/commands';
import { useHarness } from '@quipu/test/harness';
import { capturingLogger, seedDirectory } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, startWebStack } from './test-support.ts';

const harness = useHarness();
/** Every line the server logged, as pino wrote it. */
const { logger, lines } = capturingLogger();
let stack: Awaited<ReturnType<typeof startWebStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startWebStack(harness, {
    workers: false,
    logger,
  });
  directory = await seedDirectory(stack.commands);
});

/** Waits until the access log line of the request just answered is written (after the response). */
async function logged(count: number): Promise<Array<Record<string, unknown>>> {
  const deadline = Date.now() + 5_000;
  while (lines.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('access log', () => {
  it('names tracking and verification requests by their route, never by their token or query', async () => {
    const { ticket, trackingToken } = await openTicket(stack.commands, {
      kind: 'complaint',
      category: 'wrong_data',
      title: 'Fechas de fallecimiento en el futuro',
      description: 'Hay filas con fecha 2031-01-05 en el archivo de fallecidos.',
      dataset: directory.dataset.slug,
      reporter: { email: 'rosa.mamani@example.pe', name: 'Rosa Mamani', language: 'es' },
      consent: true,
    });
    const verification = linkToken(stack.runtime.config.session.secret, 'verification', String(ticket._id));
    lines.length = 0;
    expect((await fetch(`${stack.url}/api/v1/tracking/${trackingToken}?t=${trackingToken}`)).status).toBe(
      200,
    );
    expect((await fetch(`${stack.web}/seguimiento/${trackingToken}`)).status).toBe(200);
    expect((await fetch(`${stack.web}/verificar/${verification}`)).status).toBe(200);
    expect((await postForm(`${stack.web}/verificar/${verification}`, {})).status).toBe(303);
    expect((await fetch(`${stack.url}/api/v1/tracking/${trackingToken}/nothing-here`)).status).toBe(404);

    const entries = (await logged(5)).filter((entry) => entry.msg === 'request');
    expect(entries.map((entry) => [entry.method, entry.route, entry.status])).toEqual([
      ['GET', '/api/v1/tracking/:token', 200],
      ['GET', '/seguimiento/:token', 200],
      ['GET', '/verificar/:token', 200],
      ['POST', '/verificar/:token', 303],
      ['GET', '/api/v1/tracking/:redacted/nothing-here', 404],
    ]);
    const all = lines.join('\n');
    expect(all).not.toContain(trackingToken);
    expect(all).not.toContain(verification);
  });
});
