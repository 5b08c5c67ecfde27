import { useHarness } from '@quipu/test/harness';
import { confirmReporter, postJson, seedDirectory, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

async function publicTicket(title: string) {
  const response = await postJson(`${stack.url}/api/v1/data-requests`, {
    title,
    description: 'Necesitamos estos datos para un estudio de la universidad.',
    organisation: directory.organisation.slug,
    reporter: { email: 'estudiante@example.pe', name: 'Estudiante' },
    consent: true,
  });
  const { ref } = (await response.json()) as { ref: string };
  expect((await confirmReporter(stack, ref)).status).toBe(200);
  return ref;
}

beforeAll(async () => {
  stack = await startStack(harness, {
    workers: ['notify', 'maintenance'],
    config: { intake: { rateLimitPerMinute: 1000, flagsToHide: 2, spamWords: [] } },
  });
  directory = await seedDirectory(stack.commands);
});

describe('public ticket routes', () => {
  it('lists verified tickets with filters, sort and cursor pagination, never personal data', async () => {
    for (const title of [
      'Presupuesto por distrito 2025',
      'Obras públicas por región',
      'Contratos de limpieza pública',
    ])
      await publicTicket(title);
    const first = (await (await fetch(`${stack.url}/api/v1/tickets?kind=data_request&limit=2`)).json()) as {
      items: Array<{ ref: string; title: string }>;
      nextCursor: string;
      total: number;
    };
    expect(first.items).toHaveLength(2);
    expect(first.total).toBe(3);
    const second = (await (
      await fetch(`${stack.url}/api/v1/tickets?kind=data_request&limit=2&cursor=${first.nextCursor}`)
    ).json()) as { items: Array<{ ref: string }>; nextCursor: string | null };
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((i) => i.ref)).size).toBe(3);
    const search = (await (await fetch(`${stack.url}/api/v1/tickets?q=limpieza`)).json()) as {
      items: Array<{ title: string }>;
    };
    expect(search.items.map((i) => i.title)).toEqual(['Contratos de limpieza pública']);
    const text = JSON.stringify(first);
    expect(text).not.toContain('estudiante@example.pe');
    expect(text).not.toContain('Estudiante');
  });

  it('answers 400 for bad filters and 404 for unknown or unverified tickets', async () => {
    expect((await fetch(`${stack.url}/api/v1/tickets?sort=random`)).status).toBe(400);
    expect((await fetch(`${stack.url}/api/v1/tickets?limit=1000`)).status).toBe(400);
    expect((await fetch(`${stack.url}/api/v1/tickets?$where=1`)).status).toBe(400);
    expect((await fetch(`${stack.url}/api/v1/tickets/Q-2099-000001`)).status).toBe(404);
    const unverified = await postJson(`${stack.url}/api/v1/data-requests`, {
      title: 'Sin verificar todavía',
      description: 'Esta solicitud no tiene correo verificado.',
      organisation: directory.organisation.slug,
      reporter: { email: 'y@example.pe' },
      consent: true,
    });
    const { ref } = (await unverified.json()) as { ref: string };
    expect((await fetch(`${stack.url}/api/v1/tickets/${ref}`)).status).toBe(404);
  });

  it('counts one support per verified e-mail', async () => {
    const ref = await publicTicket('Registro de becas por universidad');
    for (let i = 0; i < 2; i++) {
      const response = await postJson(`${stack.url}/api/v1/tickets/${ref}/supporters`, {
        email: 'fan@example.pe',
      });
      expect(response.status).toBe(202);
    }
    const mail = await stack.smtp.waitFor((m) => m.to.includes('fan@example.pe'), 15_000);
    const token = /\/suscripciones\/([A-Za-z0-9_-]+)\/confirmar/.exec(mail.text)![1]!;
    expect(
      (await fetch(`${stack.url}/api/v1/subscriptions/${token}/verify`, { method: 'POST' })).status,
    ).toBe(200);
    expect(
      (await fetch(`${stack.url}/api/v1/subscriptions/${token}/verify`, { method: 'POST' })).status,
    ).toBe(200);
    const ticket = (await (await fetch(`${stack.url}/api/v1/tickets/${ref}`)).json()) as {
      supportersCount: number;
    };
    expect(ticket.supportersCount).toBe(1);
    expect(stack.smtp.messages.filter((m) => m.to.includes('fan@example.pe'))).toHaveLength(1);
    expect(
      (await fetch(`${stack.url}/api/v1/subscriptions/not-a-real-token-at-all/verify`, { method: 'POST' }))
        .status,
    ).toBe(404);
    expect((await postJson(`${stack.url}/api/v1/tickets/${ref}/supporters`, { email: 'nope' })).status).toBe(
      400,
    );
  });

  it('hides a ticket after enough flags from different clients (one flag per client)', async () => {
    const ref = await publicTicket('Ticket que será marcado');
    const once = (await (
      await postJson(`${stack.url}/api/v1/tickets/${ref}/flags`, { reason: 'ofensivo' })
    ).json()) as { counted: boolean };
    expect(once.counted).toBe(true);
    const twice = (await (await postJson(`${stack.url}/api/v1/tickets/${ref}/flags`, {})).json()) as {
      counted: boolean;
    };
    expect(twice.counted).toBe(false);
    expect((await fetch(`${stack.url}/api/v1/tickets/${ref}`)).status).toBe(200);
    // A second client (another address) pushes it over the threshold of 2.
    const { flag } = await import('@quipu/commands');
    const result = await flag(stack.commands, { ticket: ref, clientKey: '203.0.113.9' });
    expect(result).toEqual({ counted: true, hidden: true });
    expect((await fetch(`${stack.url}/api/v1/tickets/${ref}`)).status).toBe(404);
  });
});
