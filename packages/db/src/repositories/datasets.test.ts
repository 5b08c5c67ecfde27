import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../test-database.ts';
import { datasetRepository, type HarvestedDataset } from './datasets.ts';
import { EVERYTHING, PUBLIC } from './scope.ts';
import { emptyHarvestStats, harvestSourceRepository } from './sources.ts';

// The real shared MongoDB (or FerretDB) of the test run, in a database of this file's own.
const db = useTestDatabase();
let datasets: ReturnType<typeof datasetRepository>;
let sources: ReturnType<typeof harvestSourceRepository>;

beforeAll(() => {
  datasets = datasetRepository(db.models);
  sources = harvestSourceRepository(db.models);
});

const now = new Date('2026-03-01T10:00:00Z');
const orgA = new Types.ObjectId().toHexString();
const orgB = new Types.ObjectId().toHexString();

function harvested(overrides: Partial<HarvestedDataset> = {}): HarvestedDataset {
  return {
    sourceId: new Types.ObjectId().toHexString(),
    source: 'ckan',
    externalId: 'pkg-1',
    name: 'presupuesto',
    title: 'Presupuesto',
    description: null,
    organisationId: orgA,
    tags: ['presupuesto'],
    themes: [],
    licence: { id: 'cc-by', title: 'CC BY', url: null, isOpen: true },
    contactPoint: null,
    updateFrequency: 'monthly',
    landingPage: null,
    issued: new Date('2025-01-01T00:00:00Z'),
    modified: new Date('2025-02-01T00:00:00Z'),
    accessRights: null,
    rights: null,
    spatial: null,
    temporal: null,
    resources: [
      {
        _id: 'res-1',
        externalId: 'res-1',
        name: 'CSV',
        description: null,
        url: 'https://datos.example.gob.pe/p.csv',
        accessUrl: null,
        downloadUrl: null,
        format: 'CSV',
        mediaType: 'text/csv',
        size: 10,
        hash: null,
        schema: null,
        issued: null,
        modified: null,
      },
    ],
    sourceModified: '2025-02-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('datasetRepository.upsertHarvested', () => {
  it('creates, then leaves an identical dataset alone, then updates only what changed', async () => {
    const input = harvested();
    const created = await datasets.upsertHarvested(input, { now });
    expect(created).toMatchObject({ outcome: 'created', slug: 'presupuesto', resourcesChanged: true });
    const stored = await datasets.findById(EVERYTHING, created.id);
    expect(stored?.resources[0]?._id).toBe('res-1');
    expect(stored?.description).toBe('');
    // Null fields are not stored as null.
    expect(stored && 'accessRights' in stored).toBe(false);
    const before = stored!.updatedAt;

    const again = await datasets.upsertHarvested(
      { ...input, sourceModified: '2025-02-02T00:00:00.000Z' },
      { now },
    );
    expect(again).toMatchObject({ outcome: 'unchanged', id: created.id, resourcesChanged: false });
    expect((await datasets.findById(EVERYTHING, created.id))?.updatedAt).toEqual(before);

    const retitled = await datasets.upsertHarvested(
      { ...input, title: 'Presupuesto 2025', name: 'renamed' },
      { now },
    );
    expect(retitled).toMatchObject({
      outcome: 'updated',
      id: created.id,
      slug: 'presupuesto',
      resourcesChanged: false,
    });

    const moved = await datasets.upsertHarvested(
      {
        ...input,
        title: 'Presupuesto 2025',
        resources: [{ ...input.resources[0]!, url: 'https://datos.example.gob.pe/q.csv' }],
      },
      { now },
    );
    expect(moved).toMatchObject({ outcome: 'updated', resourcesChanged: true });
    const after = await datasets.findById(EVERYTHING, created.id);
    expect(after?.title).toBe('Presupuesto 2025');
    expect(after?.slug).toBe('presupuesto');
    expect(after?.resources.map((r) => [r._id, r.url])).toEqual([
      ['res-1', 'https://datos.example.gob.pe/q.csv'],
    ]);
  });

  it('gives a stable suffixed slug when another source already uses the name', async () => {
    const first = await datasets.upsertHarvested(harvested({ name: 'shared-name', externalId: 'a' }), {
      now,
    });
    const otherSource = harvested({ name: 'shared-name', externalId: 'a' });
    const second = await datasets.upsertHarvested(otherSource, { now });
    expect(first.slug).toBe('shared-name');
    expect(second.slug).toBe(`shared-name-${otherSource.sourceId.slice(-6)}`);
    const rerun = await datasets.upsertHarvested(otherSource, { now });
    expect(rerun).toMatchObject({ outcome: 'unchanged', id: second.id, slug: second.slug });
  });

  it('withdraws without deleting, hides withdrawn datasets from the public, and brings them back', async () => {
    const input = harvested({ name: 'to-withdraw', externalId: 'w', organisationId: orgB });
    const created = await datasets.upsertHarvested(input, { now });
    expect(await datasets.withdraw(input.sourceId, [created.id], { now })).toBe(1);
    expect(await datasets.withdraw(input.sourceId, [created.id], { now })).toBe(0);
    expect(await datasets.findById(PUBLIC, created.id)).toBeNull();
    expect((await datasets.findById(EVERYTHING, created.id))?.withdrawnAt).toEqual(now);
    expect((await datasets.externalIdsOfSource(input.sourceId)).get('w')).toEqual({
      id: created.id,
      withdrawn: true,
    });
    expect(await datasets.list(EVERYTHING, { sourceId: input.sourceId })).toEqual([]);
    expect(
      await datasets.list(EVERYTHING, { sourceId: input.sourceId, includeWithdrawn: true }),
    ).toHaveLength(1);

    const back = await datasets.upsertHarvested(input, { now });
    expect(back.outcome).toBe('updated');
    expect((await datasets.findById(PUBLIC, created.id))?.withdrawnAt).toBeUndefined();
    expect(
      (await datasets.list({ kind: 'organisations', organisationIds: [orgB] })).map((d) => d.slug),
    ).toEqual(['to-withdraw']);
  });
});

describe('harvestSourceRepository', () => {
  it('creates with defaults and refuses bad URLs and schedules', async () => {
    const source = await sources.create({ kind: 'ckan', url: 'https://datos.example.gob.pe', name: 'PNDA' });
    expect(source.enabled).toBe(true);
    expect(source.schedule).toEqual({ every: 86_400_000 });
    expect(source.cursor).toEqual({});
    await expect(sources.create({ kind: 'ckan', url: 'ftp://x', name: 'x' })).rejects.toThrow(/http/);
    await expect(
      sources.create({ kind: 'ckan', url: 'https://a.example', name: 'x', schedule: { pattern: 'daily' } }),
    ).rejects.toThrow(/cron/);
    await expect(
      sources.create({ kind: 'ckan', url: 'https://datos.example.gob.pe', name: 'again' }),
    ).rejects.toThrow();
    expect((await sources.list(EVERYTHING, { enabled: true })).map((s) => s.name)).toContain('PNDA');
    expect(await sources.list(PUBLIC)).toEqual([]);
  });

  it('updates configuration; a new URL starts again from a full run', async () => {
    const source = await sources.create({
      kind: 'dcat-us',
      url: 'https://a.example/data.json',
      name: 'A',
      organisationId: orgA,
    });
    const claimed = await sources.claim(String(source._id), { now, leaseMs: 60_000 });
    await sources.recordSuccess(String(source._id), claimed!.token, {
      now,
      stats: { ...emptyHarvestStats(), full: true },
      cursor: { etag: '"1"' },
    });
    const renamed = await sources.update(EVERYTHING, String(source._id), {
      name: 'A2',
      schedule: { pattern: '0 3 * * *', tz: 'America/Lima' },
    });
    expect(renamed).toMatchObject({
      name: 'A2',
      schedule: { pattern: '0 3 * * *', tz: 'America/Lima' },
      cursor: { etag: '"1"' },
    });
    const moved = await sources.update(EVERYTHING, String(source._id), {
      url: 'https://b.example/data.json',
      organisationId: null,
    });
    expect(moved?.cursor).toEqual({});
    expect(moved?.lastFullRunAt).toBeUndefined();
    expect(moved?.organisationId).toBeUndefined();
    expect(
      await sources.update({ kind: 'organisations', organisationIds: [orgB] }, String(source._id), {
        name: 'x',
      }),
    ).toBeNull();
  });

  it('lets one run at a time hold a source, until its lease expires', async () => {
    const source = await sources.create({ kind: 'ckan', url: 'https://lease.example', name: 'L' });
    const id = String(source._id);
    const first = await sources.claim(id, { now, leaseMs: 60_000 });
    expect(first?.source.lastRunAt).toEqual(now);
    expect(await sources.claim(id, { now, leaseMs: 60_000 })).toBeNull();
    const later = new Date(now.getTime() + 61_000);
    const second = await sources.claim(id, { now: later, leaseMs: 60_000 });
    expect(second).not.toBeNull();
    // The first holder lost its lease: what it records is ignored.
    await sources.recordFailure(id, first!.token, {
      now: later,
      error: { code: 'x', message: 'late' },
      stats: emptyHarvestStats(),
    });
    expect((await sources.get(EVERYTHING, id))?.lastError).toBeUndefined();
    await sources.recordFailure(id, second!.token, {
      now: later,
      error: { code: 'timeout', message: 'stalled' },
      stats: emptyHarvestStats(),
    });
    const failed = await sources.get(EVERYTHING, id);
    expect(failed?.lastError).toMatchObject({ code: 'timeout', message: 'stalled' });
    expect(failed?.lease).toBeUndefined();
  });
});
