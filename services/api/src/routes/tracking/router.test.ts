import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

async function complaint() {
  const response = await postJson(`${stack.url}/api/v1/complaints`, {
    category: 'outdated',
    title: 'Datos sin actualizar desde 2021',
    description: 'La frecuencia declarada es mensual pero el último archivo es de 2021.',
    dataset: directory.dataset.slug,
    reporter: { email: 'jose@example.pe', name: 'José' },
    consent: true,
  });
  const { ref, trackingUrl } = (await response.json()) as { ref: string; trackingUrl: string };
  return { ref, token: trackingUrl.split('/').at(-1)! };
}

beforeAll(async () => {
  stack = await startStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
});

describe('tracking routes', () => {
  it('shows the reporter their own details, and nobody without the token', async () => {
    const { token } = await complaint();
    const response = await fetch(`${stack.url}/api/v1/tracking/${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { reporter: { email: string; emailVerified: boolean } };
    expect(body.reporter).toMatchObject({ email: 'jose@example.pe', emailVerified: false });
    expect((await fetch(`${stack.url}/api/v1/tracking/${'x'.repeat(43)}`)).status).toBe(404);
    expect((await fetch(`${stack.url}/api/v1/tracking/short`)).status).toBe(404);
  });

  it('lets the reporter comment; a reply while waiting on them resumes the ticket', async () => {
    const { ref, token } = await complaint();
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    await officer.request(`/api/v1/staff/tickets/${ref}/transitions`, {
      method: 'POST',
      body: { action: 'triage' },
    });
    const asked = await officer.request(`/api/v1/staff/tickets/${ref}/transitions`, {
      method: 'POST',
      body: { action: 'ask_reporter', message: '¿Qué archivo exactamente?' },
    });
    expect(asked.status).toBe(200);
    const comment = await postJson(`${stack.url}/api/v1/tracking/${token}/comments`, {
      body: 'El archivo de marzo.',
      attachments: [{ name: 'captura.png', size: 120_000, mediaType: 'image/png' }],
    });
    expect(comment.status).toBe(201);
    const body = (await comment.json()) as {
      ticket: { status: string; comments: Array<{ attachments: unknown[] }> };
    };
    expect(body.ticket.status).toBe('in_progress');
    expect(body.ticket.comments.at(-1)!.attachments).toEqual([
      { name: 'captura.png', size: 120_000, mediaType: 'image/png' },
    ]);
    expect((await postJson(`${stack.url}/api/v1/tracking/${token}/comments`, { body: '' })).status).toBe(400);
    expect(
      (
        await postJson(`${stack.url}/api/v1/tracking/${token}/comments`, {
          body: 'x',
          visibility: 'internal',
        })
      ).status,
    ).toBe(400);
  });

  it('answers 409 to "was it solved?" before resolution, and records unsubscribe', async () => {
    const { token } = await complaint();
    const early = await postJson(`${stack.url}/api/v1/tracking/${token}/satisfaction`, { answer: 'yes' });
    expect(early.status).toBe(409);
    expect(
      (await postJson(`${stack.url}/api/v1/tracking/${token}/satisfaction`, { answer: 'maybe' })).status,
    ).toBe(400);
    const unsubscribed = await fetch(`${stack.url}/api/v1/tracking/${token}/unsubscribe`, { method: 'POST' });
    expect(
      ((await unsubscribed.json()) as { reporter: { unsubscribed: boolean } }).reporter.unsubscribed,
    ).toBe(true);
  });
});
