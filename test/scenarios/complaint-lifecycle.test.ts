import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startStack(harness, { workers: ['notify', 'maintenance'] });
  directory = await seedDirectory(stack.commands);
});

function tokenFrom(text: string): string {
  const match = /\/seguimiento\/([A-Za-z0-9_-]{20,})/.exec(text);
  if (!match) throw new Error(`no tracking link in:\n${text}`);
  return match[1]!;
}

describe('a complaint from intake to closure', () => {
  it('goes through verification, public page, reply, resolution, dispute, resolution and closure', async () => {
    const reporterEmail = 'rosa.mamani@example.pe';
    const created = await postJson(`${stack.url}/api/v1/complaints`, {
      category: 'wrong_data',
      title: 'Fechas de fallecimiento en el futuro',
      description:
        'En el archivo de fallecidos hay filas con fecha de fallecimiento 2031-01-05, que no puede ser.',
      dataset: directory.dataset.slug,
      resourceId: 'r1',
      reporter: { email: reporterEmail, name: 'Rosa Mamani' },
      consent: true,
    });
    expect(created.status).toBe(201);
    const { ref, status, trackingUrl } = (await created.json()) as {
      ref: string;
      status: string;
      trackingUrl: string;
    };
    expect(ref).toMatch(/^Q-\d{4}-\d{6}$/);
    expect(status).toBe('new');

    // The acknowledgement (with the verification link) reaches the reporter through SMTP.
    const ack = await stack.smtp.waitFor((m) => m.to.includes(reporterEmail) && m.text.includes(ref), 15_000);
    const token = tokenFrom(ack.text);
    const verification = /\/verificar\/([A-Za-z0-9_-]{20,})/.exec(ack.text)![1]!;
    expect(trackingUrl).toContain(token);

    // Not public before verification.
    expect((await fetch(`${stack.url}/api/v1/tickets/${ref}`)).status).toBe(404);
    // The tracking link from the intake response cannot confirm the address; the e-mailed link can.
    expect((await fetch(`${stack.url}/api/v1/verifications/${token}`, { method: 'POST' })).status).toBe(404);
    const verified = await fetch(`${stack.url}/api/v1/verifications/${verification}`, { method: 'POST' });
    expect(verified.status).toBe(200);
    // The first officer in the round robin is told about the assignment once the address is confirmed.
    await stack.smtp.waitFor((m) => m.to.includes(directory.officerA.email) && m.text.includes(ref), 15_000);

    // Public page: the ticket, never the reporter.
    const publicPage = await fetch(`${stack.url}/api/v1/tickets/${ref}`);
    expect(publicPage.status).toBe(200);
    const publicText = await publicPage.text();
    expect(publicText).toContain('Fechas de fallecimiento');
    expect(publicText).not.toContain(reporterEmail);
    expect(publicText).not.toContain('Rosa Mamani');
    const list = (await (await fetch(`${stack.url}/api/v1/tickets?kind=complaint`)).json()) as {
      items: Array<{ ref: string }>;
    };
    expect(list.items.map((i) => i.ref)).toContain(ref);
    expect(JSON.stringify(list)).not.toContain(reporterEmail);

    // The officer replies publicly and works the ticket.
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    const reply = await officer.request(`/api/v1/staff/tickets/${ref}/comments`, {
      method: 'POST',
      body: { body: 'Gracias, lo estamos revisando con la DIRIS.', visibility: 'public' },
    });
    expect(reply.status).toBe(201);
    await stack.smtp.waitFor((m) => m.to.includes(reporterEmail) && m.text.includes('DIRIS'), 15_000);
    const note = await officer.request(`/api/v1/staff/tickets/${ref}/comments`, {
      method: 'POST',
      body: { body: 'Nota interna: revisar el ETL.', visibility: 'internal' },
    });
    expect(note.status).toBe(201);
    expect(await (await fetch(`${stack.url}/api/v1/tickets/${ref}`)).text()).not.toContain('Nota interna');

    for (const action of ['triage', 'start']) {
      const response = await officer.request(`/api/v1/staff/tickets/${ref}/transitions`, {
        method: 'POST',
        body: { action },
      });
      expect(response.status, action).toBe(200);
    }
    const resolveWithout = await officer.request(`/api/v1/staff/tickets/${ref}/transitions`, {
      method: 'POST',
      body: { action: 'resolve' },
    });
    expect(resolveWithout.status).toBe(400);
    const resolved = await officer.request(`/api/v1/staff/tickets/${ref}/transitions`, {
      method: 'POST',
      body: { action: 'resolve', resolution: 'Se corrigieron 12 fechas en la fuente.' },
    });
    expect(resolved.status).toBe(200);

    // "Was it solved?" reaches the reporter; they answer no: the ticket reopens.
    await stack.smtp.waitFor((m) => m.to.includes(reporterEmail) && /respuesta=no/.test(m.text), 15_000);
    const disputed = await postJson(`${stack.url}/api/v1/tracking/${token}/satisfaction`, { answer: 'no' });
    expect(disputed.status).toBe(200);
    expect(((await disputed.json()) as { status: string }).status).toBe('in_progress');

    const again = await officer.request(`/api/v1/staff/tickets/${ref}/transitions`, {
      method: 'POST',
      body: { action: 'resolve', resolution: 'Faltaban 3 filas; corregidas.' },
    });
    expect(again.status).toBe(200);
    const confirmed = await postJson(`${stack.url}/api/v1/tracking/${token}/satisfaction`, { answer: 'yes' });
    expect(confirmed.status).toBe(200);
    expect(((await confirmed.json()) as { status: string }).status).toBe('closed');

    // The timeline holds every step, in order.
    const staffView = (await (await officer.request(`/api/v1/staff/tickets/${ref}`)).json()) as {
      status: string;
      reopenCount: number;
      timeline: Array<{ type: string; action?: string; to: unknown }>;
      sla: { firstResponseAt: string | null };
    };
    expect(staffView.status).toBe('closed');
    expect(staffView.reopenCount).toBe(1);
    expect(staffView.sla.firstResponseAt).not.toBeNull();
    const steps = staffView.timeline.map((e) => e.action ?? e.type);
    expect(steps).toEqual([
      'created',
      'routed',
      'reporter_verified',
      'comment_added',
      'comment_added',
      'triage',
      'start',
      'resolve',
      'dispute_resolution',
      'resolve',
      'confirm_resolution',
    ]);
  });
});
