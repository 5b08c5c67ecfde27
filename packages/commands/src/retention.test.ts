import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { anonymiseClosedTickets } from './retention.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startStack(harness, {
    workers: false,
    now: new Date('2026-03-02T15:00:00Z'),
    config: { retention: { anonymiseAfterMonths: 6 } },
  });
  directory = await seedDirectory(stack.commands);
});

async function closedComplaint(email: string) {
  const response = await postJson(`${stack.url}/api/v1/complaints`, {
    category: 'other',
    title: 'Consulta sobre el diccionario',
    description: 'No entiendo la columna UBIGEO del archivo.',
    dataset: directory.dataset.slug,
    reporter: { email, name: 'Persona Real' },
    consent: true,
  });
  const { ref } = (await response.json()) as { ref: string };
  const officer = await signIn(stack.url, directory.officerA.email, directory.password);
  await officer.request(`/api/v1/staff/tickets/${ref}/transitions`, {
    method: 'POST',
    body: { action: 'reject', reason: 'Se respondió por correo.' },
  });
  return ref;
}

describe('retention (Ley 29733)', () => {
  it('anonymises reporters of tickets closed longer than the retention period, and only those', async () => {
    const old = await closedComplaint('antigua@example.pe');
    stack.clock.set('2026-07-01T15:00:00Z');
    const recent = await closedComplaint('reciente@example.pe');

    stack.clock.set('2026-09-10T15:00:00Z'); // 6 months after the first closing, ~2 after the second
    const result = await anonymiseClosedTickets(stack.commands);
    expect(result.anonymised).toBe(1);

    const a = await stack.commands.tickets.findByRef({ kind: 'everything' }, old);
    expect(a!.reporter?.email).toBeUndefined();
    expect(a!.reporter?.name).toBeUndefined();
    expect(a!.reporter?.anonymisedAt).toBeInstanceOf(Date);
    expect(a!.title).toBe('Consulta sobre el diccionario');
    expect(a!.events!.at(-1)!.type).toBe('reporter_anonymised');
    const b = await stack.commands.tickets.findByRef({ kind: 'everything' }, recent);
    expect(b!.reporter?.email).toBe('reciente@example.pe');

    const again = await anonymiseClosedTickets(stack.commands);
    expect(again.anonymised).toBe(0);
  });
});
