import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { qualityReportRepository, registerModels } from '@quipu/db';
import { JOBS } from '@quipu/queue';
import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, startStack } from '@quipu/test/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A publisher's file server on loopback: one CSV, and how often it was downloaded. */
let downloads = 0;
const CSV = 'id,nombre\n1,Amazonas\n2,Áncash\n3,Apurímac\n';
const files = http.createServer((_request, response) => {
  downloads += 1;
  response.writeHead(200, { 'content-type': 'text/csv' }).end(CSV);
});

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let datasetId = '';

beforeAll(async () => {
  files.listen(0, '127.0.0.1');
  await once(files, 'listening');
  const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/regiones.csv`;
  stack = await startStack(harness, { workers: ['quality', 'notify', 'maintenance'] });
  const directory = await seedDirectory(stack.commands);
  const created = await qualityReportRepository(registerModels(stack.runtime.connection)).createManual({
    slug: 'regiones',
    title: 'Regiones del Perú',
    description: 'Las 25 regiones con su código.',
    organisationId: String(directory.organisation._id),
    officerIds: [String(directory.officerA._id)],
    licence: { id: 'cc-by', title: 'CC BY', isOpen: true },
    resources: [{ _id: 'regiones', name: 'Regiones', url, format: 'CSV' }],
  });
  if (created === 'slug_taken') throw new Error('slug taken');
  datasetId = String(created._id);
});
afterAll(() => {
  files.close();
});

/** Waits for a quality job to finish and returns it. */
async function finished(jobId: string) {
  const queue = stack.runtime.queues.get('quality');
  await expect
    .poll(async () => (await queue.getJob(jobId))?.finishedOn ?? null, { timeout: 20_000 })
    .not.toBeNull();
  return (await queue.getJob(jobId))!;
}

describe('the quality worker', () => {
  it('checks a dataset once per run, however often the run’s job runs', async () => {
    await JOBS.qualityCheck.add(stack.runtime.queues, { datasetId, runId: 'run-1' });
    const first = await finished('run-1');
    expect(first.returnvalue).toMatchObject({
      status: 'done',
      reports: [{ resourceId: 'regiones', created: true, failing: [] }],
    });
    expect(downloads).toBe(1);

    // The same run again (a retry, a second producer): nothing is fetched or stored twice.
    await JOBS.qualityCheck.add(
      stack.runtime.queues,
      { datasetId, runId: 'run-1' },
      { jobId: 'run-1-again' },
    );
    expect((await finished('run-1-again')).returnvalue).toEqual({
      status: 'skipped',
      reason: 'run already recorded',
    });
    expect(downloads).toBe(1);
    const reports = await qualityReportRepository(registerModels(stack.runtime.connection)).listByDataset(
      datasetId,
      { limit: 10 },
    );
    expect(reports.map((r) => r.runId)).toEqual(['run-1']);
  });

  it('fails a check job without a valid dataset id for good, without retrying', async () => {
    await JOBS.qualityCheck.add(stack.runtime.queues, { datasetId: 'nope' }, { jobId: 'bad-payload' });
    const job = await finished('bad-payload');
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
  });

  it('sends a subscriber’s verification link once, however often its job runs', async () => {
    const email = 'suscriptora@example.pe';
    const subscribed = await postJson(`${stack.url}/api/v1/datasets/${datasetId}/subscriptions`, {
      email,
      language: 'es',
    });
    expect(subscribed.status).toBe(202);
    await stack.smtp.waitFor((m) => m.to.includes(email), 20_000);
    const subscription = (await registerModels(stack.runtime.connection)
      .QualitySubscription.findOne({ email })
      .lean()) as { _id: unknown };
    const subscriptionId = String(subscription._id);
    await JOBS.qualitySubscriptionVerification.add(
      stack.runtime.queues,
      { subscriptionId },
      { jobId: `again-${subscriptionId}` },
    );
    // Queued once: the second run finds the notification recorded and queues nothing.
    expect((await finished(`again-${subscriptionId}`)).returnvalue).toBe('exists');
    expect(stack.smtp.messages.filter((m) => m.to.includes(email))).toHaveLength(1);
  });
});
