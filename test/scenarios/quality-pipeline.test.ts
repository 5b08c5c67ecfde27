import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createOrganisation, createUser } from '@quipu/commands';
import {
  EVERYTHING,
  harvestSourceRepository,
  qualityReportRepository,
  registerModels,
  type TicketRecord,
} from '@quipu/db';
import { JOBS } from '@quipu/queue';
import { ckanPackage, type FakeCatalog, startFakeCatalog } from '@quipu/test/fake-catalog';
import { until, useHarness } from '@quipu/test/harness';
import { seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { runHarvest, runQualityCheck, startWorkers, type WorkerHost } from '@quipu/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A publisher's file server on 127.0.0.1: files by path with ETags (304 on If-None-Match),
 * and misbehaviour on demand (hang without headers, 500).
 */
interface FileServer {
  url: string;
  files: Map<string, { body: string; type: string; etag: string }>;
  mode: Map<string, 'hang' | 'error' | 'ok'>;
  /** Full downloads (200) per path. */
  downloads: Map<string, number>;
  close(): Promise<void>;
}

async function startFileServer(): Promise<FileServer> {
  const sockets = new Set<Socket>();
  const state: FileServer = {
    url: '',
    files: new Map(),
    mode: new Map(),
    downloads: new Map(),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const mode = state.mode.get(path) ?? 'ok';
    if (mode === 'hang') return; // never answers
    if (mode === 'error') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
    const file = state.files.get(path);
    if (!file) return void res.writeHead(404).end();
    if (req.headers['if-none-match'] === file.etag) return void res.writeHead(304, { etag: file.etag }).end();
    state.downloads.set(path, (state.downloads.get(path) ?? 0) + 1);
    res.writeHead(200, { 'content-type': file.type, etag: file.etag }).end(file.body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

const SCHEMA = {
  fields: [
    { name: 'id', type: 'integer', constraints: { required: true, unique: true } },
    { name: 'fecha', type: 'date' },
    { name: 'monto', type: 'number' },
    { name: 'region', type: 'string' },
  ],
  primaryKey: 'id',
};
// A type error (monto "doce") and a missing column (region).
const BROKEN = 'id,fecha,monto\n1,2026-03-01,10.5\n2,2026-03-02,doce\n3,2026-03-03,7\n';
const FIXED = 'id,fecha,monto,region\n1,2026-03-01,10.5,Lima\n2,2026-03-02,12,Cusco\n3,2026-03-03,7,Puno\n';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
let files: FileServer;
let catalog: FakeCatalog;
let quality: WorkerHost | null = null;
let officer: { _id: unknown; email: string };
const TIMEOUT_MS = 1_500;

beforeAll(async () => {
  stack = await startStack(harness, {
    workers: ['notify', 'maintenance'],
    now: new Date('2026-03-10T15:00:00Z'),
    config: { fetch: { timeoutMs: TIMEOUT_MS } },
  });
  directory = await seedDirectory(stack.commands);
  files = await startFileServer();
  catalog = await startFakeCatalog();
  // MEF has no team: its quality tickets go to the dataset's responsible officer.
  const mef = await createOrganisation(stack.commands, {
    slug: 'mef',
    name: 'Ministerio de Economía y Finanzas',
  });
  officer = await createUser(stack.commands, {
    email: 'olga@mef.gob.pe',
    name: 'Olga Ccori',
    password: directory.password,
    roles: ['officer'],
    organisations: [String(mef._id)],
  });
});

afterAll(async () => {
  await quality?.close();
  await files?.close();
  await catalog?.close();
});

function qualityTickets(datasetId: string): Promise<TicketRecord[]> {
  return registerModels(stack.runtime.connection)
    .Ticket.find({ kind: 'quality_issue', datasetId })
    .lean() as unknown as Promise<TicketRecord[]>;
}

async function qualityOf(datasetId: string) {
  const response = await fetch(`${stack.url}/api/v1/datasets/${datasetId}/quality`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    score: number;
    grade: string;
    criteria: Array<{ id: string; earned: number; possible: number; hint: { es: string; en: string } }>;
    resources: Array<{ id: string; failing: string[]; latestReport: { id: string } | null }>;
    trend: { points: number };
  };
}

describe('the quality pipeline', () => {
  it('harvests, finds a broken CSV, opens one ticket for the officer, and resolves it when the file is fixed', async () => {
    files.files.set('/files/ventas.csv', { body: BROKEN, type: 'text/csv', etag: '"v1"' });
    files.files.set('/files/ventas.schema.json', {
      body: JSON.stringify(SCHEMA),
      type: 'application/json',
      etag: '"s1"',
    });
    catalog.organisations.push({ id: 'org-mef', name: 'mef', title: 'Ministerio de Economía y Finanzas' });
    catalog.packages.push(
      ckanPackage(
        1,
        {
          name: 'ventas-diarias',
          title: 'Ventas diarias',
          metadata_modified: '2026-03-09T10:00:00.000000',
          extras: [{ key: 'update_frequency', value: 'Mensual' }],
          resources: [
            {
              id: 'ventas-csv',
              package_id: 'pkg-1',
              name: 'Ventas',
              url: `${files.url}/files/ventas.csv`,
              format: 'CSV',
              mimetype: 'text/csv',
              schema: `${files.url}/files/ventas.schema.json`,
              last_modified: '2026-03-09T10:00:00',
              state: 'active',
            },
          ],
        },
        { id: 'org-mef', name: 'mef', title: 'Ministerio de Economía y Finanzas' },
      ),
    );
    const models = registerModels(stack.runtime.connection);
    const source = await harvestSourceRepository(models).create({
      kind: 'ckan',
      url: catalog.url,
      name: 'CKAN MEF',
    });
    const harvest = await runHarvest(stack.runtime, String(source._id));
    expect(harvest.status).toBe('done');
    const dataset = (await models.Dataset.findOne({ slug: 'ventas-diarias' }).lean()) as unknown as {
      _id: unknown;
    };
    const datasetId = String(dataset._id);

    // The harvest queued a check; before it runs, an admin names the responsible officer.
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const patched = await admin.request(`/api/v1/admin/datasets/${datasetId}`, {
      method: 'PATCH',
      body: { officerIds: [String(officer._id)] },
    });
    expect(patched.status).toBe(200);
    expect(await (await fetch(`${stack.url}/badges/datasets/${datasetId}.svg`)).text()).toContain(
      'sin datos',
    );

    quality = await startWorkers(stack.runtime, { only: ['quality'] });
    const [ticket] = await until(async () => {
      const found = await qualityTickets(datasetId);
      return found.length ? found : null;
    });
    expect(ticket!.category).toBe('validity');
    expect(ticket!.dedupeKey).toBe(`quality:${datasetId}:ventas-csv:validity`);
    expect(String(ticket!.assigneeId)).toBe(String(officer._id));
    expect(ticket!.sla?.targets?.length).toBeGreaterThan(0);
    const failed = ticket!.events.find((e) => e.type === 'quality_check_failed')!;
    const reportId = (failed.fields as { reportId: string }).reportId;
    const report = (await (await fetch(`${stack.url}/api/v1/reports/${reportId}`)).json()) as {
      validity: { valid: boolean; errors: Array<{ type: string }>; schemaSource: string };
      availability: { ok: boolean; status: number };
    };
    expect(report.availability).toMatchObject({ ok: true, status: 200 });
    expect(report.validity.valid).toBe(false);
    expect(report.validity.schemaSource).toBe('declared');
    const types = report.validity.errors.map((e) => e.type);
    expect(types).toContain('missing-label');
    expect(types).toContain('type-error');
    // The officer hears about it (assignment mail through the notify worker).
    await stack.smtp.waitFor((m) => m.to.includes('olga@mef.gob.pe'), 15_000);

    // Let every queued run of this dataset finish (the harvest's and the scheduler's first firing).
    await until(async () => {
      // Delayed jobs are the schedulers' next firings, unless they are retries (a busy dataset).
      const queue = stack.runtime.queues.get('quality');
      const counts = await queue.getJobCounts('active', 'waiting');
      const retries = (await queue.getJobs(['delayed'])).filter((job) => job.attemptsMade > 0);
      return (counts.active ?? 0) + (counts.waiting ?? 0) + retries.length === 0;
    });
    expect(await qualityTickets(datasetId)).toHaveLength(1);
    const broken = await qualityOf(datasetId);
    expect(broken.resources[0]!.failing).toContain('validity');
    const validCriterion = broken.criteria.find((c) => c.id === 'data-valid')!;
    expect(validCriterion.earned).toBe(0);
    expect(validCriterion.hint.es.length).toBeGreaterThan(10);
    const badgeBroken = await fetch(`${stack.url}/badges/datasets/${datasetId}.svg`);
    expect(badgeBroken.headers.get('cache-control')).toBe('public, max-age=3600');
    const badgeBrokenText = await badgeBroken.text();
    expect(badgeBrokenText).toContain(`${broken.score}/100`);
    expect(badgeBrokenText).not.toContain('olga');

    // Fixed upstream; the next run resolves the ticket by itself.
    files.files.set('/files/ventas.csv', { body: FIXED, type: 'text/csv', etag: '"v2"' });
    stack.clock.advance(24 * 3600_000);
    await JOBS.qualityCheck.add(stack.runtime.queues, { datasetId, runId: 'fixed-1' });
    const resolved = await until(async () => {
      const [t] = await qualityTickets(datasetId);
      return t?.status === 'resolved' ? t : null;
    });
    const auto = resolved.events.find((e) => (e as { action?: string }).action === 'auto_resolve')!;
    expect((auto.fields as { reportUrl: string }).reportUrl).toMatch(/^\/api\/v1\/reports\/qr-/);
    expect(resolved.comments.at(-1)!.body).toContain('/api/v1/reports/');
    // The public view of that change carries the report it cites (public data), and nothing else.
    const seen = (await (await fetch(`${stack.url}/api/v1/tickets/${resolved.ref}`)).json()) as {
      timeline: Array<{ action?: string; fields?: unknown }>;
    };
    const autoFields = auto.fields as { reportId: string; reportUrl: string };
    expect(seen.timeline.find((e) => e.action === 'auto_resolve')?.fields).toEqual({
      reportId: autoFields.reportId,
      reportUrl: autoFields.reportUrl,
    });
    expect(seen.timeline.filter((e) => e.fields && e.action !== 'auto_resolve')).toEqual([]);
    // The dataset's score is written after the ticket's change (two documents, two writes).
    const fixed = await until(async () => {
      const now = await qualityOf(datasetId);
      return now.resources[0]!.failing.length === 0 ? now : null;
    });
    expect(fixed.score).toBeGreaterThan(broken.score);
    expect(fixed.resources[0]!.failing).toEqual([]);
    const badgeFixed = await (await fetch(`${stack.url}/badges/datasets/${datasetId}.svg`)).text();
    expect(badgeFixed).toContain(`${fixed.score}/100`);
    expect(badgeFixed).not.toBe(badgeBrokenText);

    // The same run again: no second report, no second ticket, nothing changes.
    const again = await runQualityCheck(stack.runtime, { datasetId, runId: 'fixed-1' });
    expect(again.status).toBe('skipped');
    expect(await models.QualityReport.countDocuments({ runId: 'fixed-1' })).toBe(1);
    expect(await qualityTickets(datasetId)).toHaveLength(1);

    // Unchanged file: a conditional GET answers 304, the file is not downloaded again, the validity stands.
    const downloads = files.downloads.get('/files/ventas.csv');
    const unchanged = await runQualityCheck(stack.runtime, { datasetId, runId: 'unchanged-1' });
    expect(unchanged.reports![0]!.skipped).toBe('not_modified');
    expect(files.downloads.get('/files/ventas.csv')).toBe(downloads);
    const stored = await qualityReportRepository(models).findById(unchanged.reports![0]!.id);
    expect(stored!.validity.ok).toBe(true);
    expect((await qualityTickets(datasetId))[0]!.status).toBe('resolved');

    // History: newest first, one report per run.
    const list = (await (
      await fetch(`${stack.url}/api/v1/datasets/${datasetId}/reports?resource=ventas-csv`)
    ).json()) as {
      items: Array<{ runId: string }>;
    };
    expect(list.items[0]!.runId).toBe('unchanged-1');
    expect(list.items[1]!.runId).toBe('fixed-1');
  });

  it('ends a check of a hanging server at the timeout, and opens a ticket only after 3 consecutive failures', async () => {
    const models = registerModels(stack.runtime.connection);
    const mef = await stack.commands.directory.findOrganisation(EVERYTHING, 'mef');
    const created = await qualityReportRepository(models).createManual({
      slug: 'padron-proveedores',
      title: 'Padrón de proveedores',
      description: 'Proveedores del Estado.',
      organisationId: String(mef!._id),
      officerIds: [String(officer._id)],
      licence: { id: 'cc-by', title: 'CC BY', isOpen: true },
      resources: [{ _id: 'padron', name: 'Padrón', url: `${files.url}/files/padron.csv`, format: 'CSV' }],
    });
    if (created === 'slug_taken') throw new Error('slug taken');
    const datasetId = String(created._id);
    files.files.set('/files/padron.csv', {
      body: 'ruc,nombre\n20100000001,ACME\n',
      type: 'text/csv',
      etag: '"p1"',
    });
    files.mode.set('/files/padron.csv', 'hang');

    const started = Date.now();
    const first = await runQualityCheck(stack.runtime, { datasetId, runId: 'hang-1' });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 3_000);
    const report = await qualityReportRepository(models).findById(first.reports![0]!.id);
    expect(report!.availability).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(await qualityTickets(datasetId)).toHaveLength(0);

    files.mode.set('/files/padron.csv', 'error');
    await runQualityCheck(stack.runtime, { datasetId, runId: 'hang-2' });
    expect(await qualityTickets(datasetId)).toHaveLength(0);
    await runQualityCheck(stack.runtime, { datasetId, runId: 'hang-3' });
    const [ticket] = await qualityTickets(datasetId);
    expect(ticket).toMatchObject({ category: 'availability', status: 'open' });
    expect(String(ticket!.assigneeId)).toBe(String(officer._id));
    const block = (
      (await models.Dataset.findById(datasetId).lean()) as unknown as {
        quality: {
          resources: Array<{ consecutiveFailures: number; firstFailureAt: Date; lastSuccessAt: Date | null }>;
        };
      }
    ).quality.resources[0]!;
    expect(block.consecutiveFailures).toBe(3);
    expect(block.lastSuccessAt).toBeNull();

    // Back: resolved automatically; down again: reopened (regress), still one ticket.
    files.mode.set('/files/padron.csv', 'ok');
    await runQualityCheck(stack.runtime, { datasetId, runId: 'hang-4' });
    expect((await qualityTickets(datasetId))[0]!.status).toBe('resolved');
    files.mode.set('/files/padron.csv', 'error');
    await runQualityCheck(stack.runtime, { datasetId, runId: 'hang-5' });
    const tickets = await qualityTickets(datasetId);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.status).toBe('open');
    expect(tickets[0]!.reopenCount).toBe(1);

    const summary = (await (await fetch(`${stack.url}/api/v1/organisations/mef/quality`)).json()) as {
      datasets: number;
      meanScore: number;
      failingResources: Array<{ resourceId: string }>;
    };
    expect(summary.datasets).toBe(2);
    expect(summary.failingResources.map((r) => r.resourceId)).toContain('padron');
  });
});
