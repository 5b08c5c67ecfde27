// pnpm run bench:checks — resource checks per hour of ONE quality worker process, on a fresh
// database and queue prefix (both dropped afterwards):
//   1. a local publisher: 1,000 CSV resources spread over 16 loopback hosts (127.0.0.1–16, so
//      the per-host politeness applies as it would across a portal's publishers), sizes 1 KB–2 MB,
//      5 % answering 404, 5 % answering 500, 10 % invalid against their Table Schema, ETags on all;
//   2. `quipu worker --only quality` spawned against MONGODB_URL / REDIS_URL;
//   3. pass 1: a check of every dataset enqueued at once, timed to the last report;
//   4. pass 2: the same again — unchanged files answer 304 to the conditional GET;
//   5. checks/hour per pass, share skipped by conditional GET, the worker's peak RSS (VmHWM)
//      and CPU time (shared machines: wall time alone misleads).
// Target (issue 5): >= 10,000 resource checks per hour on 2 cores.
//   Env: MONGODB_URL, REDIS_URL (unset: local servers are started, see lib.ts servers())
//   Options: --resources 1000 --hosts 16
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ObjectId } from 'mongodb';
import { JOBS } from '../../packages/queue/src/index.ts';
import { benchRuntime, dropBench, fmt, ROOT, servers, withDatabase } from './lib.ts';

const { values } = parseArgs({
  options: {
    resources: { type: 'string', default: '1000' },
    hosts: { type: 'string', default: '16' },
  },
});
const RESOURCES = Number(values.resources);
const HOSTS = Number(values.hosts);
const infra = await servers();
const { mongodbUrl, redisUrl } = infra;
const id = randomBytes(3).toString('hex');
const dbName = `bench_checks_${id}`;
const prefix = `benchchk${id}`;

const SCHEMA = {
  fields: [
    { name: 'id', type: 'integer', constraints: { required: true } },
    { name: 'fecha', type: 'date' },
    { name: 'region', type: 'string', constraints: { enum: ['Lima', 'Cusco', 'Puno', 'Piura'] } },
    { name: 'monto', type: 'number' },
    { name: 'activo', type: 'boolean' },
  ],
};
const REGIONS = ['Lima', 'Cusco', 'Puno', 'Piura'];

/** A CSV of about `bytes` bytes; `broken` puts a type error in one row out of fifty. */
function csv(bytes: number, broken: boolean): Buffer {
  const lines = ['id,fecha,region,monto,activo'];
  let size = lines[0]!.length + 1;
  for (let i = 1; size < bytes; i += 1) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const monto = broken && i % 50 === 0 ? 'n/a' : ((i * 37) % 10_000) / 100;
    const line = `${i},2026-02-${day},${REGIONS[i % 4]},${monto},${i % 3 === 0 ? 'true' : 'false'}`;
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

// Bodies by (size class, broken): 12 classes from 1 KB to 2 MB.
const bodies = new Map<string, Buffer>();
function body(sizeClass: number, broken: boolean): Buffer {
  const key = `${sizeClass}:${broken}`;
  let found = bodies.get(key);
  if (!found) {
    found = csv(1024 * 2 ** sizeClass, broken);
    bodies.set(key, found);
  }
  return found;
}

type Kind = 'ok' | 'missing' | 'error' | 'invalid';
const kindOf = (i: number): Kind =>
  i % 20 === 0 ? 'missing' : i % 20 === 1 ? 'error' : i % 10 === 2 ? 'invalid' : 'ok';

const served = { full: 0, notModified: 0, failing: 0 };
const fileServers: http.Server[] = [];
const ports: number[] = [];
for (let h = 0; h < HOSTS; h += 1) {
  const server = http.createServer((req, res) => {
    const match = /^\/f\/(\d+)\.csv$/.exec(req.url ?? '');
    const i = match ? Number(match[1]) : -1;
    const kind = i >= 0 ? kindOf(i) : 'missing';
    if (kind === 'missing') {
      served.failing += 1;
      return void res.writeHead(404).end();
    }
    if (kind === 'error') {
      served.failing += 1;
      return void res.writeHead(500).end('error');
    }
    const etag = `"${i}-v1"`;
    if (req.headers['if-none-match'] === etag) {
      served.notModified += 1;
      return void res.writeHead(304, { etag }).end();
    }
    served.full += 1;
    const data = body(i % 12, kind === 'invalid');
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': data.length, etag }).end(data);
  });
  server.listen(0, `127.0.0.${h + 1}`);
  await new Promise((resolve) => server.once('listening', resolve));
  fileServers.push(server);
  ports.push((server.address() as AddressInfo).port);
}

const runtime = await benchRuntime(infra, { dbName, prefix });
const { Dataset, Organisation, QualityReport } = runtime.connection.models as unknown as Record<
  string,
  import('mongoose').Model<Record<string, unknown>>
>;

let worker: ReturnType<typeof spawn> | null = null;
// Ctrl-C still cleans up (the finally below): the signal becomes an exception in the main flow.
let interrupted: (() => void) | null = null;
const interruption = new Promise<never>((_, reject) => {
  interrupted = () => reject(new Error('interrupted'));
});
interruption.catch(() => {});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => interrupted?.());
try {
  // Data: one organisation, one dataset per resource (as most portal datasets are).
  const now = new Date();
  const organisationId = new ObjectId();
  await Organisation!.collection.insertOne({
    _id: organisationId,
    slug: 'bench-org',
    name: 'Organismo de prueba',
    ancestorIds: [],
    calendarId: 'pe',
    externalIds: [],
    createdAt: now,
    updatedAt: now,
  });
  const datasets = Array.from({ length: RESOURCES }, (_, i) => ({
    _id: new ObjectId(),
    source: 'manual',
    externalId: `bench-${i}`,
    slug: `bench-${i}`,
    title: `Conjunto ${i}`,
    description: 'Datos de prueba.',
    organisationId,
    officerIds: [],
    tags: ['prueba'],
    themes: [],
    licence: { id: 'cc-by', title: 'CC BY 4.0', url: null, isOpen: true },
    updateFrequency: 'irregular',
    resources: [
      {
        _id: `r${i}`,
        externalId: `r${i}`,
        name: `Recurso ${i}`,
        url: `http://127.0.0.${(i % HOSTS) + 1}:${ports[i % HOSTS]}/f/${i}.csv`,
        format: 'CSV',
        schema: SCHEMA,
      },
    ],
    outbox: [],
    createdAt: now,
    updatedAt: now,
  }));
  await Dataset!.collection.insertMany(datasets);
  const totalBytes = datasets.reduce(
    (sum, _d, i) =>
      sum +
      (kindOf(i) === 'ok' || kindOf(i) === 'invalid' ? body(i % 12, kindOf(i) === 'invalid').length : 0),
    0,
  );

  worker = spawn(process.execPath, [join(ROOT, 'services/cli/bin/quipu.js'), 'worker', '--only', 'quality'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'production',
      SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-00',
      LOG_LEVEL: 'warn',
      MONGODB_URL: withDatabase(mongodbUrl, dbName),
      REDIS_URL: redisUrl,
      QUIPU_QUEUE_PREFIX: prefix,
      QUIPU_ALLOW_PRIVATE_NETWORK: 'true',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pid = worker.pid!;
  const proc = (field: string) =>
    Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  const cpuSeconds = () => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(stat[11]) + Number(stat[12])) / 100; // utime + stime, clock ticks of 1/100 s
  };

  async function pass(label: string) {
    const cpuBefore = cpuSeconds();
    const started = Date.now();
    await JOBS.qualityCheck.addBulk(
      runtime.queues,
      datasets.map((d) => ({ datasetId: String(d._id), runId: `${label}-${String(d._id)}` })),
    );
    // Progress from Redis (BullMQ's counts), not from the database the worker is writing to.
    const queue = runtime.queues.get('quality');
    const jobIds = datasets.map((d) => `${label}-${String(d._id)}`);
    for (;;) {
      const counts = await queue.getJobCounts('active', 'waiting', 'prioritized');
      const pending = (counts.active ?? 0) + (counts.waiting ?? 0) + (counts.prioritized ?? 0);
      // Nothing runnable: done, unless some job waits for a retry (delayed).
      if (pending === 0) {
        const states = await Promise.all(jobIds.map((jobId) => queue.getJobState(jobId)));
        if (states.every((s) => s === 'completed' || s === 'failed')) break;
      }
      if (worker?.exitCode !== null) throw new Error(`worker exited with ${worker?.exitCode}`);
      if (Date.now() - started > 60 * 60_000) throw new Error(`pass ${label}: not done after 60 min`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const filter = { runId: { $regex: `^${label}-` } };
    const seconds = (Date.now() - started) / 1000;
    const cpu = cpuSeconds() - cpuBefore;
    const jobs = (await queue.getJobs(['completed'], 0, -1)).filter((j) =>
      String(j.id).startsWith(`${label}-`),
    );
    const jobMs = jobs.map((j) => (j.finishedOn ?? 0) - (j.processedOn ?? 0)).sort((a, b) => a - b);
    const median = jobMs[Math.floor(jobMs.length / 2)] ?? 0;
    const p90 = jobMs[Math.floor(jobMs.length * 0.9)] ?? 0;
    const failedJobs = (await queue.getJobs(['failed'], 0, -1)).filter((j) =>
      String(j.id).startsWith(`${label}-`),
    );
    if (failedJobs.length)
      process.stderr.write(`${failedJobs.length} jobs failed: ${failedJobs[0]?.failedReason}\n`);
    const skipped = await QualityReport!.countDocuments({ ...filter, skipped: 'not_modified' });
    const failing = await QualityReport!.countDocuments({ ...filter, 'failing.0': { $exists: true } });
    return { seconds, cpu, skipped, failing, median, p90 };
  }

  const first = await Promise.race([pass('p1'), interruption]);
  const second = await Promise.race([pass('p2'), interruption]);
  const peakMb = proc('VmHWM') / 1024;
  const tickets = await runtime.connection.collection('tickets').countDocuments({ kind: 'quality_issue' });

  const rows: Array<[string, string]> = [
    ['resources', `${RESOURCES} on ${HOSTS} hosts, ${fmt(totalBytes / 1024 / 1024)} MB of CSV served whole`],
    ['mix', '5 % 404, 5 % 500, 10 % invalid, 80 % valid; sizes 1 KB–2 MB'],
    [
      'pass 1 (full downloads)',
      `${fmt(first.seconds)} s wall, ${fmt(first.cpu)} s worker CPU → ${fmt((RESOURCES / first.seconds) * 3600, 0)} checks/hour (${fmt((RESOURCES / Math.max(first.cpu, 0.01)) * 3600, 0)} per CPU-hour); job median ${first.median} ms, p90 ${first.p90} ms; ${first.failing} reports failing`,
    ],
    [
      'pass 2 (conditional GET)',
      `${fmt(second.seconds)} s wall, ${fmt(second.cpu)} s worker CPU → ${fmt((RESOURCES / second.seconds) * 3600, 0)} checks/hour; job median ${second.median} ms, p90 ${second.p90} ms; ${second.skipped}/${RESOURCES} = ${fmt((100 * second.skipped) / RESOURCES)} % skipped by 304`,
    ],
    ['served', `${served.full} full bodies, ${served.notModified} × 304, ${served.failing} × 404/500`],
    ['quality tickets', `${tickets} (invalid files; unreachable ones wait for 3 failing runs)`],
    ['worker peak RSS', `${fmt(peakMb)} MB (VmHWM)`],
    [
      'target',
      `>= 10,000 checks/hour: ${(RESOURCES / first.seconds) * 3600 >= 10_000 ? 'met' : 'NOT met'} (pass 1)`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
} finally {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker!.once('exit', resolve));
    worker.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (worker.exitCode === null) worker.kill('SIGKILL');
  }
  await dropBench(runtime, prefix);
  await infra.stop();
  for (const server of fileServers) {
    server.closeAllConnections();
    server.close();
  }
}
