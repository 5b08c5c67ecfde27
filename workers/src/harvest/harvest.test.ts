import { readFileSync } from 'node:fs';
import {
  datasetRepository,
  directoryRepository,
  EVERYTHING,
  type HarvestSourceInput,
  harvestSourceRepository,
  registerModels,
} from '@quipu/db';
import { ckanOrganisation, ckanPackage, type FakeCatalog, startFakeCatalog } from '@quipu/test/fake-catalog';
import { useHarness } from '@quipu/test/harness';
import { type Job, UnrecoverableError } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import { harvestProcessor, runHarvest } from './processor.ts';

const h = useHarness();
let clock = new Date('2026-03-10T12:00:00Z');
let runtime: Runtime;
let owner: string;
let sources: ReturnType<typeof harvestSourceRepository>;
let datasets: ReturnType<typeof datasetRepository>;
const catalogs: FakeCatalog[] = [];

beforeAll(async () => {
  runtime = await h.runtime({ now: () => clock });
  const models = registerModels(runtime.connection);
  sources = harvestSourceRepository(models);
  datasets = datasetRepository(models);
  const pcm = await directoryRepository(models).createOrganisation({
    slug: 'pcm',
    name: 'Presidencia del Consejo de Ministros',
  });
  owner = String(pcm._id);
});

afterAll(async () => {
  for (const catalog of catalogs) await catalog.close();
});

async function catalog(): Promise<FakeCatalog> {
  const started = await startFakeCatalog();
  catalogs.push(started);
  return started;
}

/** The same runtime with other fetch caps (a short timeout, private networks refused). */
function withFetch(overrides: Partial<Runtime['config']['fetch']>): Runtime {
  return { ...runtime, config: { ...runtime.config, fetch: { ...runtime.config.fetch, ...overrides } } };
}

async function source(url: string, extra: Partial<HarvestSourceInput> = {}) {
  const created = await sources.create({
    kind: 'ckan',
    url,
    name: `Fuente ${url}`,
    organisationId: owner,
    ...extra,
  });
  return String(created._id);
}

async function catalogOf(sourceId: string) {
  const list = await datasets.list(EVERYTHING, { sourceId, includeWithdrawn: true }, { limit: 500 });
  return new Map(list.map((d) => [d.externalId, d]));
}

function searches(fake: FakeCatalog) {
  return fake.requests.filter((url) => url.pathname.endsWith('/package_search'));
}

const advance = (days: number) => {
  clock = new Date(clock.getTime() + days * 24 * 60 * 60_000);
};

describe('CKAN harvest', () => {
  it('reads every page, maps organisations and resources, counts malformed entries, and is idempotent', async () => {
    const fake = await catalog();
    fake.organisations = [
      ckanOrganisation('org-mef', 'mef', 'Ministerio de Economía y Finanzas'),
      ckanOrganisation('org-minsa', 'minsa', 'Ministerio de Salud'),
    ];
    const minsa = { id: 'org-minsa', name: 'minsa', title: 'Ministerio de Salud' };
    fake.packages = [
      ckanPackage(1),
      ckanPackage(2, {}, minsa),
      ckanPackage(3),
      ckanPackage(4, {}, minsa),
      ckanPackage(5),
      ckanPackage(6, {}, minsa),
      // An organisation the list did not show (created on the fly).
      ckanPackage(7, {}, { id: 'org-nueva', name: 'nueva', title: 'Entidad nueva' }),
      // No organisation and no author: the source's default owner.
      ckanPackage(8, {}, null),
      // Malformed: no id; no title nor name.
      { name: 'sin-id', title: 'Sin id', metadata_modified: '2025-03-01T08:20:00.000000' },
      { id: 'pkg-bad', metadata_modified: '2025-03-01T08:21:00.000000' },
    ];
    const id = await source(fake.url);

    const first = await runHarvest(runtime, id, { pageSize: 4, organisationPageSize: 1 });
    expect(first.status).toBe('done');
    if (first.status !== 'done') return;
    expect(first.stats).toMatchObject({
      full: true,
      pages: 3,
      seen: 10,
      created: 8,
      updated: 0,
      unchanged: 0,
      withdrawn: 0,
      malformed: 2,
      organisationsCreated: 3,
    });
    expect(first.stats.problems.map((e) => e.code).sort()).toEqual(['missing-id', 'missing-title']);
    expect(first.changedDatasetIds).toHaveLength(8);

    const pages = searches(fake);
    expect(pages.map((url) => url.searchParams.get('start'))).toEqual(['0', '4', '8']);
    expect(pages.every((url) => url.searchParams.get('rows') === '4')).toBe(true);
    expect(pages.every((url) => url.searchParams.get('sort') === 'metadata_modified asc')).toBe(true);
    expect(pages.some((url) => url.searchParams.has('fq'))).toBe(false);
    // organization_list paged with all_fields until a short page.
    const orgCalls = fake.requests.filter((url) => url.pathname.endsWith('/organization_list'));
    expect(orgCalls.map((url) => url.searchParams.get('offset'))).toEqual(['0', '1', '2']);
    expect(orgCalls.every((url) => url.searchParams.get('all_fields') === 'true')).toBe(true);

    const { Organisation } = registerModels(runtime.connection);
    const mef = (await Organisation.findOne({ slug: 'mef' }).lean()) as unknown as {
      _id: unknown;
      name: string;
      externalIds: string[];
    };
    expect(mef).toMatchObject({ name: 'Ministerio de Economía y Finanzas', externalIds: ['org-mef'] });
    const nueva = (await Organisation.findOne({ externalIds: 'org-nueva' }).lean()) as {
      _id: unknown;
    } | null;
    expect(nueva).not.toBeNull();

    const stored = await catalogOf(id);
    expect([...stored.keys()].sort()).toEqual([
      'pkg-1',
      'pkg-2',
      'pkg-3',
      'pkg-4',
      'pkg-5',
      'pkg-6',
      'pkg-7',
      'pkg-8',
    ]);
    const one = stored.get('pkg-1')!;
    expect(one).toMatchObject({
      slug: 'dataset-1',
      title: 'Dataset 1',
      source: 'ckan',
      tags: ['presupuesto'],
    });
    expect(String(one.organisationId)).toBe(String(mef._id));
    expect(one.resources.map((r) => [r._id, r.url, r.format])).toEqual([
      ['res-1-csv', 'https://datos.example.gob.pe/files/1.csv', 'CSV'],
    ]);
    expect(String(stored.get('pkg-7')!.organisationId)).toBe(String(nueva!._id));
    expect(String(stored.get('pkg-8')!.organisationId)).toBe(owner);

    const record = await sources.get(EVERYTHING, id);
    expect(record).toMatchObject({ lastRunAt: clock, lastSuccessAt: clock, lastFullRunAt: clock });
    expect(record?.lastError).toBeUndefined();
    expect(record?.lease).toBeUndefined();
    expect(record?.cursor.lastModified).toBe('2025-03-01T08:21:00.000Z');
    expect(record?.stats).toMatchObject({ created: 8, malformed: 2 });

    // The same job again: nothing changes, not even a timestamp.
    const before = JSON.stringify([...stored.values()]);
    const again = await runHarvest(runtime, id, { pageSize: 4, full: true });
    expect(again.status === 'done' && again.stats).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 8,
      withdrawn: 0,
      malformed: 2,
      organisationsCreated: 0,
    });
    expect(again.status === 'done' && again.changedDatasetIds).toEqual([]);
    expect(JSON.stringify([...(await catalogOf(id)).values()])).toBe(before);
    expect(await Organisation.countDocuments({ slug: { $in: ['mef', 'minsa', 'nueva'] } })).toBe(3);
  });

  it('asks only for changes after the cursor, and withdraws vanished datasets on the weekly full run', async () => {
    const fake = await catalog();
    fake.packages = [1, 2, 3, 4, 5].map((n) => ckanPackage(n));
    const id = await source(fake.url);
    const first = await runHarvest(runtime, id, { pageSize: 2 });
    expect(first.status === 'done' && first.stats).toMatchObject({ full: true, created: 5, pages: 3 });

    // Upstream: pkg-3 retitled, pkg-9 published, pkg-2 deleted.
    fake.packages = [
      ckanPackage(1),
      ckanPackage(3, { title: 'Dataset 3 (revisado)', metadata_modified: '2025-03-02T10:00:00.000000' }),
      ckanPackage(4),
      ckanPackage(5),
      ckanPackage(9, { metadata_modified: '2025-03-02T11:00:00.000000' }),
    ];
    fake.requests.length = 0;
    advance(1);
    const incremental = await runHarvest(runtime, id, { pageSize: 2 });
    expect(incremental.status).toBe('done');
    if (incremental.status !== 'done') return;
    const fq = searches(fake).map((url) => url.searchParams.get('fq'));
    expect(new Set(fq)).toEqual(new Set(['metadata_modified:[2025-03-01T08:05:00.123Z TO *]']));
    // pkg-5 sits on the (inclusive) boundary and comes back unchanged.
    expect(incremental.stats).toMatchObject({
      full: false,
      created: 1,
      updated: 1,
      unchanged: 1,
      withdrawn: 0,
    });
    let stored = await catalogOf(id);
    expect(stored.get('pkg-3')?.title).toBe('Dataset 3 (revisado)');
    expect(stored.get('pkg-2')?.withdrawnAt).toBeUndefined();
    // Only the new dataset has new resources; a retitled one needs no new check.
    expect(incremental.changedDatasetIds).toEqual([String(stored.get('pkg-9')!._id)]);
    expect((await sources.get(EVERYTHING, id))?.cursor.lastModified).toBe('2025-03-02T11:00:00.000Z');

    advance(8);
    const weekly = await runHarvest(runtime, id, { pageSize: 2 });
    expect(weekly.status === 'done' && weekly.stats).toMatchObject({
      full: true,
      withdrawn: 1,
      unchanged: 5,
      created: 0,
    });
    stored = await catalogOf(id);
    expect(stored.get('pkg-2')?.withdrawnAt).toEqual(clock);
    expect(await datasets.findById({ kind: 'public' }, String(stored.get('pkg-2')!._id))).toBeNull();

    // Republished upstream: back, not duplicated.
    fake.packages.push(ckanPackage(2));
    const back = await runHarvest(runtime, id, { pageSize: 2, full: true });
    expect(back.status === 'done' && back.stats).toMatchObject({ updated: 1, withdrawn: 0, created: 0 });
    stored = await catalogOf(id);
    expect(stored.size).toBe(6);
    expect(stored.get('pkg-2')?.withdrawnAt).toBeUndefined();
  });

  it('fails a stalled run with a clear error and writes nothing', async () => {
    const fake = await catalog();
    fake.packages = [1, 2, 3, 4, 5, 6].map((n) => ckanPackage(n));
    const id = await source(fake.url);
    expect((await runHarvest(runtime, id, { pageSize: 2 })).status).toBe('done');
    const before = JSON.stringify([...(await catalogOf(id)).values()]);
    const sourceBefore = await sources.get(EVERYTHING, id);

    // Page one changed upstream, page two never answers.
    fake.packages[0] = ckanPackage(1, { title: 'Cambiado', metadata_modified: '2025-03-05T00:00:00.000000' });
    fake.failure = { kind: 'stall', fromPage: 1 };
    advance(1);
    const stalled = await runHarvest(withFetch({ timeoutMs: 500 }), id, { pageSize: 2, full: true });
    expect(stalled.status).toBe('failed');
    if (stalled.status !== 'failed') return;
    expect(stalled.error.code).toBe('timeout');
    expect(stalled.transient).toBe(true);
    const failed = await sources.get(EVERYTHING, id);
    expect(failed?.lastError).toMatchObject({ code: 'timeout', at: clock });
    expect(failed?.lastError?.message).toMatch(/500 ms/);
    expect(failed?.lastRunAt).toEqual(clock);
    expect(failed?.lastSuccessAt).toEqual(sourceBefore?.lastSuccessAt);
    expect(failed?.cursor).toEqual(sourceBefore?.cursor);
    expect(failed?.lease).toBeUndefined();
    expect(JSON.stringify([...(await catalogOf(id)).values()])).toBe(before);

    // The catalog recovers: the next run catches up and clears the error.
    fake.failure = { kind: 'none', fromPage: 0 };
    const recovered = await runHarvest(runtime, id, { pageSize: 2, full: true });
    expect(recovered.status === 'done' && recovered.stats).toMatchObject({ updated: 1, unchanged: 5 });
    expect((await sources.get(EVERYTHING, id))?.lastError).toBeUndefined();
    expect((await catalogOf(id)).get('pkg-1')?.title).toBe('Cambiado');
  });

  it('treats 5xx as retryable and 4xx as final, through the processor', async () => {
    const fake = await catalog();
    fake.packages = [ckanPackage(1)];
    fake.failure = { kind: 'status', status: 500, fromPage: 0 };
    const id = await source(fake.url);
    const job = (sourceId: string) =>
      ({ id: `job-${sourceId}`, name: 'harvest', data: { sourceId } }) as unknown as Job;

    const error = await harvestProcessor.process(job(id), runtime).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UnrecoverableError);
    expect(String((error as Error).message)).toMatch(/http_status: .*HTTP 500/);
    expect((await sources.get(EVERYTHING, id))?.lastError).toMatchObject({ code: 'http_status' });
    expect(await catalogOf(id)).toEqual(new Map());

    // A source URL that is not a CKAN API: 404 everywhere, retrying cannot help.
    const wrong = await source(`${fake.url}/no-such-portal`);
    const final = await harvestProcessor.process(job(wrong), runtime).catch((e: unknown) => e);
    expect(final).toBeInstanceOf(UnrecoverableError);
    expect(await harvestProcessor.process(job('not-an-id'), runtime).catch((e: unknown) => e)).toBeInstanceOf(
      UnrecoverableError,
    );
  });

  it('refuses private addresses unless configured, before any request', async () => {
    const fake = await catalog();
    fake.packages = [ckanPackage(1)];
    const id = await source(fake.url);
    const refused = await runHarvest(withFetch({ allowPrivateNetwork: false }), id);
    expect(refused.status === 'failed' && refused.error.code).toBe('private_address');
    expect(refused.status === 'failed' && refused.transient).toBe(false);
    expect(fake.requests).toEqual([]);
  });

  it('lets one run at a time hold a source; disabled and unknown sources are skipped', async () => {
    const fake = await catalog();
    fake.packages = [ckanPackage(1), ckanPackage(2)];
    fake.delayMs = 150;
    const id = await source(fake.url);
    const runs = await Promise.all([
      runHarvest(runtime, id),
      runHarvest(runtime, id),
      runHarvest(runtime, id),
    ]);
    expect(runs.map((run) => run.status).sort()).toEqual(['done', 'skipped', 'skipped']);
    expect(runs.filter((run) => run.status === 'skipped')).toEqual([
      expect.objectContaining({ reason: 'running' }),
      expect.objectContaining({ reason: 'running' }),
    ]);
    expect((await catalogOf(id)).size).toBe(2);
    await sources.update(EVERYTHING, id, { enabled: false });
    expect(await runHarvest(runtime, id)).toMatchObject({ status: 'skipped', reason: 'disabled' });
    expect(await runHarvest(runtime, '0123456789abcdef01234567')).toMatchObject({
      status: 'skipped',
      reason: 'unknown',
    });
  });
});

describe('DCAT harvest', () => {
  const publisher = { '@type': 'org:Organization', name: 'Servicio Nacional de Meteorología e Hidrología' };
  function poDataset(n: number, extra: Record<string, unknown> = {}) {
    return {
      '@type': 'dcat:Dataset',
      identifier: `dcat-${n}`,
      title: `Conjunto ${n}`,
      description: `Descripción ${n}`,
      keyword: ['clima'],
      modified: '2026-01-0' + String(n) + 'T00:00:00-05:00',
      publisher,
      contactPoint: { '@type': 'vcard:Contact', fn: 'Mesa de datos', hasEmail: 'mailto:datos@example.gob' },
      accessLevel: 'public',
      distribution: [
        {
          '@type': 'dcat:Distribution',
          downloadURL: `https://datos.example.gob/files/${n}.csv`,
          mediaType: 'text/csv',
          format: 'CSV',
        },
      ],
      ...extra,
    };
  }
  function dataJson(datasets: unknown[]) {
    return {
      '@context': 'https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld',
      '@type': 'dcat:Catalog',
      conformsTo: 'https://project-open-data.cio.gov/v1.1/schema',
      dataset: datasets,
    };
  }

  it('harvests a data.json, uses a conditional GET, and withdraws what the next version drops', async () => {
    const fake = await catalog();
    fake.documents.set('/data.json', {
      etag: '"v1"',
      body: dataJson([
        poDataset(1),
        poDataset(2),
        { '@type': 'dcat:Dataset', identifier: 'sin-titulo', description: 'Falta title.' },
        // Valid, but names no publisher, and this source has no default owner.
        poDataset(3, { publisher: undefined }),
      ]),
    });
    const id = await source(`${fake.url}/data.json`, { kind: 'dcat-us', organisationId: undefined });

    const first = await runHarvest(runtime, id);
    expect(first.status === 'done' && first.stats).toMatchObject({
      full: true,
      created: 2,
      malformed: 2,
      organisationsCreated: 1,
    });
    expect(first.status === 'done' && first.stats.problems.map((e) => e.code).sort()).toEqual([
      'missing-title',
      'no-organisation',
    ]);
    const stored = await catalogOf(id);
    expect(stored.get('dcat-1')).toMatchObject({
      source: 'dcat',
      title: 'Conjunto 1',
      slug: expect.any(String),
    });
    expect(stored.get('dcat-1')?.resources.map((r) => r.url)).toEqual([
      'https://datos.example.gob/files/1.csv',
    ]);
    expect((await sources.get(EVERYTHING, id))?.cursor).toEqual({ etag: '"v1"' });

    const second = await runHarvest(runtime, id);
    expect(second.status === 'done' && second.stats).toMatchObject({
      notModified: true,
      created: 0,
      updated: 0,
      withdrawn: 0,
    });
    expect(fake.headers.at(-1)?.['if-none-match']).toBe('"v1"');

    fake.documents.set('/data.json', {
      etag: '"v2"',
      body: dataJson([poDataset(1), { '@type': 'dcat:Dataset', identifier: 'sin-titulo' }]),
    });
    const third = await runHarvest(runtime, id);
    expect(third.status === 'done' && third.stats).toMatchObject({
      full: true,
      withdrawn: 1,
      unchanged: 1,
      malformed: 1,
    });
    expect((await catalogOf(id)).get('dcat-2')?.withdrawnAt).toEqual(clock);
  });

  it('harvests a DCAT-AP JSON-LD graph', async () => {
    const fake = await catalog();
    const graph = JSON.parse(
      readFileSync(
        new URL('../../../packages/core/src/catalog/__fixtures__/dcat-ap.jsonld.json', import.meta.url),
        'utf8',
      ),
    ) as unknown;
    fake.documents.set('/catalog.jsonld', { etag: '"g1"', body: graph });
    const id = await source(`${fake.url}/catalog.jsonld`, { kind: 'dcat-jsonld' });
    const run = await runHarvest(runtime, id);
    expect(run.status).toBe('done');
    if (run.status !== 'done') return;
    expect(run.stats).toMatchObject({ created: 2, malformed: 1 });
    expect(run.stats.problems).toEqual([
      expect.objectContaining({ code: 'missing-title', externalId: 'sin-titulo' }),
    ]);
    const stored = await catalogOf(id);
    const budget = stored.get('ejecucion-presupuestal-2026');
    expect(budget?.title).toBe('Ejecución presupuestal 2026');
    expect(budget?.resources.length).toBeGreaterThan(0);
    expect(run.changedDatasetIds).toContain(String(budget!._id));
    const { Organisation } = registerModels(runtime.connection);
    const hacienda = (await Organisation.findOne({
      externalIds: 'https://datos.example.eu/org/hacienda',
    }).lean()) as { _id: unknown; slug: string } | null;
    expect(hacienda?.slug).toBe('ministerio-de-hacienda');
    expect(String(budget?.organisationId)).toBe(String(hacienda?._id));

    const before = JSON.stringify([...stored.values()]);
    const again = await runHarvest(runtime, id, { full: true });
    expect(again.status === 'done' && again.stats).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(JSON.stringify([...(await catalogOf(id)).values()])).toBe(before);
  });

  it('refuses a catalog document above the size cap', async () => {
    const fake = await catalog();
    fake.documents.set('/data.json', {
      etag: '"big"',
      body: dataJson([1, 2, 3, 4, 5].map((n) => poDataset(n))),
    });
    const id = await source(`${fake.url}/data.json`, { kind: 'dcat-us' });
    const capped = await runHarvest(withFetch({ maxBytes: 1_000 }), id);
    expect(capped.status === 'failed' && capped.error).toMatchObject({ code: 'too_large' });
    expect(capped.status === 'failed' && capped.transient).toBe(false);
    expect(await catalogOf(id)).toEqual(new Map());
  });

  it('fails a document that is not a catalog without touching the datasets', async () => {
    const fake = await catalog();
    fake.documents.set('/data.json', { etag: '"a"', body: dataJson([poDataset(1)]) });
    const id = await source(`${fake.url}/data.json`, { kind: 'dcat-us' });
    expect((await runHarvest(runtime, id)).status).toBe('done');
    fake.documents.set('/data.json', { etag: '"b"', body: { error: 'maintenance' } });
    const broken = await runHarvest(runtime, id);
    expect(broken.status === 'failed' && broken.error.code).toBe('invalid_response');
    expect(broken.status === 'failed' && broken.transient).toBe(false);
    expect((await catalogOf(id)).get('dcat-1')?.withdrawnAt).toBeUndefined();
  });
});
