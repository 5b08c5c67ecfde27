import { useHarness } from '@quipu/test/harness';
import { confirmReporter, postJson, seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
let complaintRef = '';
let requestRef = '';

async function file(path: string, body: Record<string, unknown>) {
  const response = await postJson(`${stack.url}${path}`, { ...body, consent: true });
  expect(response.status).toBe(201);
  return ((await response.json()) as { ref: string }).ref;
}

beforeAll(async () => {
  // Mon 6 Apr 2026, 10:00 in Lima, a business day: the access-to-information request filed now
  // may still be extended (within 2 business days of receipt).
  stack = await startStack(harness, { workers: false, now: new Date('2026-04-06T10:00:00-05:00') });
  directory = await seedDirectory(stack.commands);
  complaintRef = await file('/api/v1/complaints', {
    category: 'wrong_data',
    title: 'Fechas imposibles en fallecidos',
    description: 'Hay filas con fecha de fallecimiento en el año 2031 en el archivo.',
    dataset: directory.dataset.slug,
    reporter: { email: 'rosa@example.pe', name: 'Rosa' },
  });
  requestRef = await file('/api/v1/data-requests', {
    title: 'Padrón de establecimientos de salud',
    description: 'Solicito el padrón completo de establecimientos con su categoría.',
    organisation: directory.organisation.slug,
    regime: 'access_to_information',
    reporter: { email: 'jorge@example.pe', name: 'Jorge' },
  });
});

describe('GET /api/v1/tickets/:ref/sla', () => {
  it('explains the deadlines of a public ticket, in Spanish or English', async () => {
    // Not verified yet: not public.
    expect((await fetch(`${stack.url}/api/v1/tickets/${complaintRef}/sla`)).status).toBe(404);
    expect((await confirmReporter(stack, complaintRef)).status).toBe(200);
    const es = await fetch(`${stack.url}/api/v1/tickets/${complaintRef}/sla`);
    expect(es.status).toBe(200);
    const body = (await es.json()) as { ref: string; targets: Array<{ target: string; text: string }> };
    expect(body.ref).toBe(complaintRef);
    expect(body.targets.map((t) => t.target)).toContain('resolution');
    const en = (await (await fetch(`${stack.url}/api/v1/tickets/${complaintRef}/sla?lang=en`)).json()) as {
      targets: Array<{ text: string }>;
    };
    expect(en.targets[0]!.text).not.toBe(body.targets[0]!.text);
    expect(JSON.stringify(body)).not.toContain('rosa@example.pe');
  });

  it('answers 400 for an unknown language or parameter and 404 for an unknown ticket', async () => {
    expect((await fetch(`${stack.url}/api/v1/tickets/${complaintRef}/sla?lang=fr`)).status).toBe(400);
    expect((await fetch(`${stack.url}/api/v1/tickets/${complaintRef}/sla?x=1`)).status).toBe(400);
    expect((await fetch(`${stack.url}/api/v1/tickets/Q-2099-000001/sla`)).status).toBe(404);
  });
});

describe('staff SLA routes', () => {
  it('need a staff session (401) and find only tickets in reach (404)', async () => {
    expect((await fetch(`${stack.url}/api/v1/staff/tickets/${requestRef}/sla`)).status).toBe(401);
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    expect((await officer.request('/api/v1/staff/tickets/Q-2099-000001/sla')).status).toBe(404);
    expect(
      (
        await officer.request('/api/v1/staff/tickets/Q-2099-000001/extension', {
          method: 'POST',
          body: { newDue: '2026-04-30', reason: 'Se requiere consolidar información.' },
        })
      ).status,
    ).toBe(404);
    // A session without its CSRF token may read, not write.
    expect(
      (
        await officer.request(`/api/v1/staff/tickets/${requestRef}/extension`, {
          method: 'POST',
          body: { newDue: '2026-04-30', reason: 'Se requiere consolidar información.' },
          csrf: false,
        })
      ).status,
    ).toBe(403);
  });

  it('explain a ticket’s deadlines to staff and extend an access-to-information request once', async () => {
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    const before = await officer.request(`/api/v1/staff/tickets/${requestRef}/sla`);
    expect(before.status).toBe(200);
    expect(((await before.json()) as { extension: unknown }).extension).toBeNull();

    const reason = 'Se requiere consolidar información de 25 DIRESA.';
    const bad = await officer.request(`/api/v1/staff/tickets/${requestRef}/extension`, {
      method: 'POST',
      body: { newDue: '2026-04-30', reason: 'corto' },
    });
    expect(bad.status).toBe(400);
    const refused = await officer.request(`/api/v1/staff/tickets/${complaintRef}/extension`, {
      method: 'POST',
      body: { newDue: '2026-04-30', reason },
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { code: string }).code).toBe('no_extension_rule');

    const extended = await officer.request(`/api/v1/staff/tickets/${requestRef}/extension`, {
      method: 'POST',
      body: { newDue: '2026-04-30', reason },
    });
    expect(extended.status).toBe(200);
    const body = (await extended.json()) as { ref: string; previousDue: string; newDue: string };
    expect(body.ref).toBe(requestRef);
    expect(new Date(body.newDue)).toEqual(new Date('2026-04-30T17:30:00-05:00'));
    expect(new Date(body.newDue).getTime()).toBeGreaterThan(new Date(body.previousDue).getTime());
    const after = (await (await officer.request(`/api/v1/staff/tickets/${requestRef}/sla`)).json()) as {
      extension: unknown;
    };
    expect(after.extension).not.toBeNull();
    const again = await officer.request(`/api/v1/staff/tickets/${requestRef}/extension`, {
      method: 'POST',
      body: { newDue: '2026-05-08', reason },
    });
    expect(((await again.json()) as { code: string }).code).toBe('already_extended');
  });
});
