// pnpm run bench:intake — POST /api/v1/complaints under load (autocannon, 100 connections, 20 s)
// against `quipu start` on the local stack, and in the same run the bare driver `insertOne`
// rate for a same-size document on the same server. Prints req/s, p50/p99 and the ratio.
// Targets (issue 3): p99 < 50 ms and ratio >= 0.5.
//   Options: --connections 100 --seconds 20
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { MongoClient } from 'mongodb';
import { fmt, percentile, servers, startQuipu, withDatabase } from './lib.ts';

const { values } = parseArgs({
  options: { connections: { type: 'string', default: '100' }, seconds: { type: 'string', default: '20' } },
});
const connections = Number(values.connections);
const seconds = Number(values.seconds);

const infra = await servers();
const dbName = `bench_intake_${Date.now()}`;
const mongodbUrl = withDatabase(infra.mongodbUrl, dbName);
const client = await MongoClient.connect(mongodbUrl);
const db = client.db(dbName);
const organisation = await db.collection('organisations').insertOne({
  slug: 'bench-org',
  name: 'Organismo de prueba',
  ancestorIds: [],
  calendarId: 'pe',
  externalIds: [],
  createdAt: new Date(),
  updatedAt: new Date(),
});
await db.collection('datasets').insertOne({
  slug: 'bench-dataset',
  externalId: 'bench',
  title: 'Dataset de prueba',
  organisationId: organisation.insertedId,
  tags: [],
  resources: [{ _id: 'r1', url: 'https://datos.example.gob.pe/a.csv', format: 'CSV' }],
  officerIds: [],
  source: 'manual',
  createdAt: new Date(),
  updatedAt: new Date(),
});

const quipu = await startQuipu(
  { MONGODB_URL: mongodbUrl, REDIS_URL: infra.redisUrl, QUIPU_QUEUE_PREFIX: dbName },
  { intake: { rateLimitPerMinute: 10_000_000, flagsToHide: 3, spamWords: [] } },
);
const body = {
  category: 'wrong_data',
  title: 'Valores imposibles en la columna EDAD',
  description:
    'Hay filas con EDAD negativa y otras con EDAD mayor a 130 en el archivo publicado el último mes.',
  dataset: 'bench-dataset',
  reporter: { email: 'carga@example.pe', name: 'Prueba de carga' },
  consent: true,
};

console.log(
  `intake: ${connections} connections for ${seconds} s against ${quipu.url}/api/v1/complaints (${mongodbUrl.startsWith('mongodb://127.0.0.1') ? 'local server' : 'server'})`,
);
const result = await autocannon({
  url: `${quipu.url}/api/v1/complaints`,
  method: 'POST',
  connections,
  duration: seconds,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const created = await db.collection('tickets').countDocuments({});
const sample = await db.collection('tickets').findOne({});
await quipu.stop();

// Same-size document, bare driver, same concurrency and server.
const { _id, ...doc } = sample ?? {};
const size = JSON.stringify(doc).length;
const bare = db.collection('bench_bare');
let inserted = 0;
const latencies: number[] = [];
const deadline = Date.now() + seconds * 1000;
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (Date.now() < deadline) {
      const started = performance.now();
      await bare.insertOne({ ...doc, ref: `bare-${inserted}-${Math.random()}` });
      latencies.push(performance.now() - started);
      inserted += 1;
    }
  }),
);
latencies.sort((a, b) => a - b);
const bareRate = inserted / seconds;
const pct = (p: number) => percentile(latencies, p);

await db.dropDatabase();
await client.close();
await infra.stop();

const ok = result.non2xx === 0 && result.errors === 0;
console.log(
  `\n  HTTP   ${fmt(result.requests.average)} req/s   p50 ${fmt(result.latency.p50)} ms   p99 ${fmt(result.latency.p99)} ms   2xx ${result['2xx']}  non-2xx ${result.non2xx}  errors ${result.errors}   tickets stored ${created}`,
);
console.log(
  `  driver ${fmt(bareRate)} insertOne/s   p50 ${fmt(pct(50))} ms   p99 ${fmt(pct(99))} ms   (document ${size} bytes as JSON)`,
);
console.log(`  ratio  ${fmt(result.requests.average / bareRate, 2)} (HTTP req/s ÷ driver inserts/s)`);
console.log(
  `  targets: p99 < 50 ms → ${result.latency.p99 < 50 ? 'met' : 'NOT met'}; ratio >= 0.5 → ${result.requests.average / bareRate >= 0.5 ? 'met' : 'NOT met'}; every request answered 2xx → ${ok ? 'yes' : 'NO'}`,
);
