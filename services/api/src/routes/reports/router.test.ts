import { qualityReportId, qualityReportRepository } from '@quipu/db';
import { useHarness } from '@quipu/test/harness';
import { seedDirectory, startStack } from '@quipu/test/stack';
import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
});

/** A check report as the quality worker stores it; `overrides` replace its fields. */
async function report(runId: string, overrides: Record<string, unknown> = {}) {
  const { report: stored } = await qualityReportRepository(stack.commands.models).insertOnce({
    datasetId: directory.dataset._id as Types.ObjectId,
    resourceId: 'r1',
    runId,
    organisationId: directory.organisation._id as Types.ObjectId,
    checkedAt: new Date('2026-05-04T13:00:00Z'),
    durationMs: 420,
    url: 'https://cloud.minsa.gob.pe/fallecidos.csv',
    availability: { ok: true, status: 200 },
    validity: { ok: false, errors: [{ type: 'type-error', rowNumber: 3, fieldName: 'edad' }] },
    metadata: { ok: true },
    freshness: { ok: true },
    failing: ['validity'],
    ...overrides,
  });
  return stored;
}

describe('GET /api/v1/reports/:id', () => {
  it('shows a check report in full', async () => {
    const stored = await report('run-1');
    const response = await fetch(`${stack.url}/api/v1/reports/${stored._id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: qualityReportId('run-1', 'r1'),
      datasetId: String(directory.dataset._id),
      resourceId: 'r1',
      runId: 'run-1',
      durationMs: 420,
      skipped: null,
      failing: ['validity'],
      validity: { ok: false, errors: [{ type: 'type-error', rowNumber: 3 }] },
    });
  });

  it('answers 404 for malformed or unknown ids and for reports of withdrawn datasets', async () => {
    expect((await fetch(`${stack.url}/api/v1/reports/nada`)).status).toBe(404);
    expect((await fetch(`${stack.url}/api/v1/reports/qr-${'0'.repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${stack.url}/api/v1/reports/qr-${'0'.repeat(32)}x`)).status).toBe(404);
    const withdrawn = await stack.commands.datasets.insert({
      source: 'manual',
      externalId: 'retirado',
      slug: 'retirado',
      title: 'Retirado',
      organisationId: directory.organisation._id,
      withdrawnAt: new Date(),
      resources: [{ _id: 'r1', name: 'a.csv', url: 'https://x.pe/a.csv', format: 'CSV' }],
    });
    const hidden = await report('run-2', { datasetId: new Types.ObjectId(String(withdrawn._id)) });
    expect((await fetch(`${stack.url}/api/v1/reports/${hidden._id}`)).status).toBe(404);
  });
});
