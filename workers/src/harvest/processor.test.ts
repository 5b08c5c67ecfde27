import { setTimeout as sleep } from 'node:timers/promises';
import { datasetRepository, EVERYTHING, harvestSourceRepository, registerModels } from '@quipu/db';
import { JOBS } from '@quipu/queue';
import { ckanPackage, type FakeCatalog, startFakeCatalog } from '@quipu/test/fake-catalog';
import { useHarness } from '@quipu/test/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type WorkerHost } from '../runner.ts';
import type { Runtime } from '../runtime.ts';
import { harvestProcessor, harvestSchedulerId, syncHarvestSchedules } from './processor.ts';

// Its own file (database and queue prefix): schedulers cover every enabled source of a database.
const h = useHarness();
let runtime: Runtime;
let sources: ReturnType<typeof harvestSourceRepository>;
let fake: FakeCatalog;
let host: WorkerHost | undefined;

beforeAll(async () => {
  runtime = await h.runtime();
  sources = harvestSourceRepository(registerModels(runtime.connection));
  fake = await startFakeCatalog();
});

afterAll(async () => {
  await host?.close();
  await fake.close();
});

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await sleep(100);
  }
}

describe('syncHarvestSchedules', () => {
  it('keeps one scheduler per enabled source, leaves unchanged ones alone, removes disabled ones', async () => {
    const daily = await sources.create({ kind: 'ckan', url: 'https://a.example', name: 'A' });
    const nightly = await sources.create({
      kind: 'dcat-us',
      url: 'https://b.example/data.json',
      name: 'B',
      schedule: { pattern: '0 3 * * *', tz: 'America/Lima' },
    });
    const off = await sources.create({ kind: 'ckan', url: 'https://c.example', name: 'C', enabled: false });
    const ids = [daily, nightly, off].map((s) => harvestSchedulerId(String(s._id)));
    expect(ids.every((id) => !id.includes(':'))).toBe(true);

    const first = await syncHarvestSchedules(runtime);
    expect(first.upserted.sort()).toEqual([ids[0], ids[1]].sort());
    const queue = runtime.queues.get('harvest');
    expect(await queue.getJobScheduler(ids[0]!)).toMatchObject({
      every: 86_400_000,
      name: JOBS.harvestSource.name,
    });
    expect(await queue.getJobScheduler(ids[1]!)).toMatchObject({ pattern: '0 3 * * *', tz: 'America/Lima' });
    expect(await queue.getJobScheduler(ids[2]!)).toBeFalsy();

    const second = await syncHarvestSchedules(runtime);
    expect(second).toEqual({ upserted: [], removed: [], unchanged: 2, refused: [] });

    await sources.update(EVERYTHING, String(daily._id), { enabled: false });
    await sources.update(EVERYTHING, String(nightly._id), { schedule: { pattern: '30 4 * * *' } });
    const third = await syncHarvestSchedules(runtime);
    expect(third).toEqual({ upserted: [ids[1]], removed: [ids[0]], unchanged: 0, refused: [] });
    expect(await queue.getJobScheduler(ids[0]!)).toBeFalsy();
    expect(await queue.getJobScheduler(ids[1]!)).toMatchObject({ pattern: '30 4 * * *' });
    // A pattern BullMQ cannot parse is refused alone; the other sources stay scheduled.
    const broken = await sources.create({
      kind: 'ckan',
      url: 'https://d.example',
      name: 'D',
      schedule: { pattern: '99 99 * * *' },
    });
    const brokenId = harvestSchedulerId(String(broken._id));
    const fourth = await syncHarvestSchedules(runtime);
    expect(fourth.refused.map((r) => r.id)).toEqual([brokenId]);
    expect(fourth.unchanged).toBe(1);
    expect(await queue.getJobScheduler(ids[1]!)).toMatchObject({ pattern: '30 4 * * *' });

    for (const s of [nightly, broken]) await sources.update(EVERYTHING, String(s._id), { enabled: false });
    expect((await syncHarvestSchedules(runtime)).removed).toEqual([ids[1]]);
  });
});

describe('harvest worker', () => {
  it('runs harvest jobs from the queue, and fails unusable jobs without retrying', async () => {
    fake.packages = [ckanPackage(1), ckanPackage(2), ckanPackage(3)];
    const source = await sources.create({
      kind: 'ckan',
      url: fake.url,
      name: 'Local CKAN',
      enabled: true,
      organisationId: undefined,
    });
    const sourceId = String(source._id);
    host = await startWorkers(runtime, { processors: [harvestProcessor] });
    const queue = runtime.queues.get('harvest');

    await JOBS.harvestSource.add(runtime.queues, { sourceId }, { jobId: `manual-${sourceId}` });
    const state = await waitFor(
      () => queue.getJobState(`manual-${sourceId}`),
      (s) => s === 'completed' || s === 'failed',
    );
    expect(state).toBe('completed');
    // The worker's own schedule sync may start the source's first scheduled run at the same
    // moment; one of the two then skips (the source is held), and either way the catalog is copied.
    const job = await queue.getJob(`manual-${sourceId}`);
    expect(['done', 'skipped']).toContain((job?.returnvalue as { status?: string } | undefined)?.status);
    const datasets = datasetRepository(registerModels(runtime.connection));
    const stored = await waitFor(
      () => datasets.list(EVERYTHING, { sourceId }),
      (list) => list.length === 3,
    );
    expect(stored.map((d) => d.externalId).sort()).toEqual(['pkg-1', 'pkg-2', 'pkg-3']);
    // The run's record is written after its datasets.
    const recorded = await waitFor(
      () => sources.get(EVERYTHING, sourceId),
      (record) => record?.stats !== undefined,
    );
    expect(recorded?.stats).toMatchObject({ full: true });

    await JOBS.harvestSource.add(runtime.queues, { sourceId: 'nope' }, { jobId: 'bad-payload' });
    expect(
      await waitFor(
        () => queue.getJobState('bad-payload'),
        (s) => s === 'failed',
      ),
    ).toBe('failed');
    expect((await queue.getJob('bad-payload'))?.attemptsMade).toBe(1);

    // The worker declared its own recurring schedule sync.
    expect(await queue.getJobScheduler('harvest-schedules')).toMatchObject({ every: 300_000 });
  });
});
