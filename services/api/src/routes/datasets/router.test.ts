import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { until, useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
let files: http.Server;
let filesUrl = '';
let body = 'id,monto\n1,10\n2,doce\n';

beforeAll(async () => {
  stack = await startStack(harness, { workers: ['quality', 'notify'] });
  directory = await seedDirectory(stack.commands);
  files = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/csv' }).end(body);
  });
  files.listen(0, '127.0.0.1');
  await once(files, 'listening');
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});

afterAll(async () => {
  files.closeAllConnections();
  await new Promise((resolve) => files.close(resolve));
});

const schema = {
  fields: [
    { name: 'id', type: 'integer' },
    { name: 'monto', type: 'number' },
  ],
};

/**
 * Asks for a check as an admin would, and waits until the quality worker of the stack has
 * recorded it on the dataset (its report is the latest one of the dataset's first resource).
 */
async function checkNow(
  admin: Awaited<ReturnType<typeof signIn>>,
  id: string,
): Promise<{ reportId: string }> {
  const queued = await admin.request(`/api/v1/admin/datasets/${id}/checks`, { method: 'POST', body: {} });
  expect(queued.status).toBe(202);
  const { runId } = (await queued.json()) as { runId: string };
  const report = await until(async () => {
    const quality = (await (await fetch(`${stack.url}/api/v1/datasets/${id}/quality`)).json()) as {
      resources: Array<{ latestReport: { id: string; runId: string } | null }>;
    };
    const latest = quality.resources[0]?.latestReport;
    return latest?.runId === runId ? latest : null;
  });
  return { reportId: report.id };
}

function datasetBody(slug: string, url = `${filesUrl}/montos.csv`) {
  return {
    slug,
    title: 'Montos transferidos',
    description: 'Transferencias a gobiernos locales.',
    organisation: directory.organisation.slug,
    officerIds: [String(directory.officerB._id)],
    licence: { id: 'cc-by', title: 'CC BY 4.0', isOpen: true },
    resources: [{ id: 'montos', name: 'Montos', url, format: 'csv', schema }],
  };
}

describe('admin datasets and harvest sources', () => {
  it('registers a dataset by hand, changes its officers and schedule, and queues a check', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const created = await admin.request('/api/v1/admin/datasets', {
      method: 'POST',
      body: datasetBody('montos'),
    });
    expect(created.status).toBe(201);
    const { id, resources } = (await created.json()) as { id: string; resources: Array<{ id: string }> };
    expect(resources[0]!.id).toBe('montos');
    const patched = await admin.request(`/api/v1/admin/datasets/${id}`, {
      method: 'PATCH',
      body: { schedule: { pattern: '0 4 * * 1', tz: 'America/Lima' }, failuresBeforeTicket: 2 },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      schedule: { pattern: '0 4 * * 1', tz: 'America/Lima' },
      failuresBeforeTicket: 2,
      officerIds: [String(directory.officerB._id)],
    });
    const check = await admin.request(`/api/v1/admin/datasets/${id}/checks`, { method: 'POST', body: {} });
    expect(check.status).toBe(202);
    const { runId } = (await check.json()) as { runId: string };
    expect(await stack.runtime.queues.get('quality').getJob(runId)).toBeTruthy();
  });

  it('answers 400, 401, 403, 404 and 409 where they belong', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    expect((await postJson(`${stack.url}/api/v1/admin/datasets`, datasetBody('anon'))).status).toBe(401);
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    expect(
      (await officer.request('/api/v1/admin/datasets', { method: 'POST', body: datasetBody('x1') })).status,
    ).toBe(403);
    expect((await officer.request('/api/v1/admin/harvest-sources')).status).toBe(403);
    const bad = await admin.request('/api/v1/admin/datasets', {
      method: 'POST',
      body: { ...datasetBody('Mal Slug'), resources: [{ name: 'x', url: 'ftp://x' }] },
    });
    expect(bad.status).toBe(400);
    await admin.request('/api/v1/admin/datasets', { method: 'POST', body: datasetBody('repetido') });
    expect(
      (await admin.request('/api/v1/admin/datasets', { method: 'POST', body: datasetBody('repetido') }))
        .status,
    ).toBe(409);
    const missing = '000000000000000000000000';
    expect(
      (
        await admin.request(`/api/v1/admin/datasets/${missing}`, {
          method: 'PATCH',
          body: { failuresBeforeTicket: 3 },
        })
      ).status,
    ).toBe(404);
    expect(
      (await admin.request(`/api/v1/admin/datasets/${missing}/checks`, { method: 'POST', body: {} })).status,
    ).toBe(404);
    expect(
      (
        await admin.request(`/api/v1/admin/datasets/${String(directory.dataset._id)}`, {
          method: 'PATCH',
          body: {},
        })
      ).status,
    ).toBe(400);
  });

  it('adds harvest sources and lists them', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const source = { kind: 'ckan', url: 'https://datos.example.gob.pe', name: 'Portal de prueba' };
    const created = await admin.request('/api/v1/admin/harvest-sources', { method: 'POST', body: source });
    expect(created.status).toBe(201);
    expect(
      (await admin.request('/api/v1/admin/harvest-sources', { method: 'POST', body: source })).status,
    ).toBe(409);
    expect(
      (
        await admin.request('/api/v1/admin/harvest-sources', {
          method: 'POST',
          body: { ...source, kind: 'rss' },
        })
      ).status,
    ).toBe(400);
    const list = (await (await admin.request('/api/v1/admin/harvest-sources')).json()) as {
      items: Array<{ name: string }>;
    };
    expect(list.items.map((s) => s.name)).toContain('Portal de prueba');
  });
});

describe('public quality pages, badges and subscriptions', () => {
  it('shows quality, reports and a cacheable badge; 404 for unknown datasets and reports', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const { id } = (await (
      await admin.request('/api/v1/admin/datasets', { method: 'POST', body: datasetBody('publico') })
    ).json()) as { id: string };
    const before = (await (await fetch(`${stack.url}/api/v1/datasets/publico/quality`)).json()) as {
      score: number | null;
    };
    expect(before.score).toBeNull();
    const run = await checkNow(admin, id);
    const quality = (await (await fetch(`${stack.url}/api/v1/datasets/${id}/quality`)).json()) as {
      score: number;
      grade: string;
      stars: number;
      criteria: Array<{ id: string; earned: number; possible: number; label: { es: string; en: string } }>;
      resources: Array<{ latestReport: { id: string; validity: { ok: boolean } } }>;
    };
    expect(quality.score).toBeGreaterThan(0);
    expect(quality.stars).toBe(3);
    expect(quality.criteria.find((c) => c.id === 'data-valid')).toMatchObject({ earned: 0, possible: 40 });
    expect(quality.resources[0]!.latestReport.validity.ok).toBe(false);
    expect(JSON.stringify(quality)).not.toContain(String(directory.officerB._id));
    const report = await fetch(`${stack.url}/api/v1/reports/${run.reportId}`);
    expect(report.status).toBe(200);
    expect(
      ((await report.json()) as { validity: { errors: unknown[] } }).validity.errors.length,
    ).toBeGreaterThan(0);
    expect((await fetch(`${stack.url}/api/v1/reports/qr-${'0'.repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${stack.url}/api/v1/reports/nada`)).status).toBe(404);
    const reports = (await (await fetch(`${stack.url}/api/v1/datasets/${id}/reports`)).json()) as {
      items: Array<{ id: string }>;
    };
    expect(reports.items.map((r) => r.id)).toEqual([run.reportId]);
    expect((await fetch(`${stack.url}/api/v1/datasets/${id}/reports?limit=0`)).status).toBe(400);
    expect((await fetch(`${stack.url}/api/v1/datasets/no-existe/quality`)).status).toBe(404);
    expect((await fetch(`${stack.url}/api/v1/datasets/no-existe/reports`)).status).toBe(404);

    const badge = await fetch(`${stack.url}/badges/datasets/${id}.svg`);
    expect(badge.status).toBe(200);
    expect(badge.headers.get('content-type')).toContain('image/svg+xml');
    expect(badge.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(await badge.text()).toContain(`${quality.score}/100`);
    const etag = badge.headers.get('etag')!;
    expect(
      (await fetch(`${stack.url}/badges/datasets/${id}.svg`, { headers: { 'if-none-match': etag } })).status,
    ).toBe(304);
    expect(await (await fetch(`${stack.url}/badges/datasets/publico.svg?lang=en`)).text()).toContain(
      'quality',
    );
    expect((await fetch(`${stack.url}/badges/datasets/no-existe.svg`)).status).toBe(404);

    const organisation = (await (
      await fetch(`${stack.url}/api/v1/organisations/${directory.organisation.slug}/quality`)
    ).json()) as { datasets: number; meanScore: number; failingResources: Array<{ resourceId: string }> };
    expect(organisation.meanScore).toBe(quality.score);
    expect(organisation.failingResources.map((r) => r.resourceId)).toContain('montos');
    expect((await fetch(`${stack.url}/api/v1/organisations/no-existe/quality`)).status).toBe(404);
  });

  it('subscribes by e-mail with a verification link, then mails the failing and recovered events', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const { id } = (await (
      await admin.request('/api/v1/admin/datasets', { method: 'POST', body: datasetBody('suscrito') })
    ).json()) as { id: string };
    expect(
      (await postJson(`${stack.url}/api/v1/datasets/${id}/subscriptions`, { email: 'no-es-correo' })).status,
    ).toBe(400);
    expect(
      (await postJson(`${stack.url}/api/v1/datasets/no-existe/subscriptions`, { email: 'a@b.pe' })).status,
    ).toBe(404);
    const subscribed = await postJson(`${stack.url}/api/v1/datasets/${id}/subscriptions`, {
      email: 'Reusa@Example.pe',
    });
    expect(subscribed.status).toBe(202);
    const verification = await stack.smtp.waitFor((m) => m.to.includes('reusa@example.pe'), 15_000);
    const token = /\/suscripciones-calidad\/([A-Za-z0-9_-]{20,})\/confirmar/.exec(verification.text)![1]!;
    expect(
      (await fetch(`${stack.url}/api/v1/quality-subscriptions/${token}/verify`, { method: 'POST' })).status,
    ).toBe(200);
    expect(
      (await fetch(`${stack.url}/api/v1/quality-subscriptions/nada/verify`, { method: 'POST' })).status,
    ).toBe(404);

    body = 'id,monto\n1,10\n2,doce\n';
    await checkNow(admin, id);
    const failing = await stack.smtp.waitFor(
      (m) => m.to.includes('reusa@example.pe') && m.text.includes('/api/v1/reports/qr-'),
      15_000,
    );
    expect(failing.text).toContain('Montos');
    body = 'id,monto\n1,10\n2,12\n';
    stack.smtp.clear();
    await checkNow(admin, id);
    const recovered = await stack.smtp.waitFor((m) => m.to.includes('reusa@example.pe'), 15_000);
    expect(recovered.subject).not.toBe(failing.subject);
    expect(
      (await fetch(`${stack.url}/api/v1/quality-subscriptions/${token}/unsubscribe`, { method: 'POST' }))
        .status,
    ).toBe(200);
  });
});
