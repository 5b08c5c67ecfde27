// pnpm run bench:scale — what each hot path costs as the tickets stored grow (issue 16).
// Seeds tickets with realistic distributions (organisations, teams, officers, kinds, categories,
// states, ages, audit events) through the real models, rebuilds the loads and the figures' rollups
// from them, and at each size measures against `quipu start`: intake p50/p99 one request at a
// time and at 50 connections, the round-robin lookup, a ticket write by `_id` (the outbox relay's
// `$pullAll`), the desk dashboard and the transparency page. Prints a table per backend with the
// growth ratio largest ÷ smallest size for each column.
//   --sizes 1000,10000,100000,1000000   (default 1000,10000,100000)
//   --backend postgresql|sqlite|both     (default: the embedded default, PostgreSQL when installed)
//   --samples 20                         intake requests per size
//   --page-timeout 120                   seconds before a page is recorded as "> N s"
//   --burst-seconds 10                   length of the 50-connection intake run at each size
import { parseArgs } from 'node:util';
import { findPostgresBinDir } from '@quipu/embedded';
import autocannon from 'autocannon';
import { ObjectId } from 'mongodb';
import {
  createCommandContext,
  createOrganisation,
  createTeam,
  createUser,
  rebuildAssignmentLoads,
  rebuildFigures,
} from '../../packages/commands/src/index.ts';
import { loadOwner } from '../../packages/db/src/index.ts';
import { benchRuntime, dropBench, fmt, percentile, servers, startQuipu, withDatabase } from './lib.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,100000' },
    backend: { type: 'string' },
    samples: { type: 'string', default: '20' },
    'page-timeout': { type: 'string', default: '120' },
    'burst-seconds': { type: 'string', default: '10' },
  },
});
const sizes = values.sizes
  .split(',')
  .map((s) => Number(s.replace(/_/g, '')))
  .filter((n) => Number.isInteger(n) && n > 0)
  .sort((a, b) => a - b);
if (sizes.length === 0) throw new Error('--sizes: give sizes such as 1000,10000');
const samples = Number(values.samples);
const pageTimeoutMs = Number(values['page-timeout']) * 1000;
const burstSeconds = Number(values['burst-seconds']);
const backends: Array<'postgresql' | 'sqlite'> =
  values.backend === 'both'
    ? ['postgresql', 'sqlite']
    : values.backend === 'postgresql' || values.backend === 'sqlite'
      ? [values.backend]
      : [findPostgresBinDir() ? 'postgresql' : 'sqlite'];

const KINDS = [
  ['complaint', 0.7, ['new', 'triaged', 'in_progress', 'waiting_reporter', 'resolved', 'closed', 'rejected']],
  ['data_request', 0.2, ['submitted', 'under_review', 'planned', 'published', 'rejected']],
  ['quality_issue', 0.1, ['open', 'acknowledged', 'in_progress', 'resolved', 'closed']],
] as const;
const CATEGORIES = ['wrong_data', 'outdated', 'broken_link', 'metadata', 'personal_data', 'other'];
const DAY = 86_400_000;

/** A deterministic pseudo-random stream, so two runs seed the same history. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

type Directory = {
  organisations: Array<{
    id: ObjectId;
    teams: Array<{ id: ObjectId; members: ObjectId[] }>;
  }>;
};

function ticketDoc(i: number, rnd: () => number, dir: Directory, now: number): Record<string, unknown> {
  // Most tickets go to a few large organisations (a Zipf-like skew).
  const org = dir.organisations[Math.floor(dir.organisations.length * rnd() ** 2)]!;
  const team = org.teams[Math.floor(rnd() * org.teams.length)]!;
  const pick = rnd();
  const [kind, , statuses] = pick < 0.7 ? KINDS[0] : pick < 0.9 ? KINDS[1] : KINDS[2];
  // Older tickets are more often closed.
  const ageDays = Math.floor(730 * rnd() ** 1.5);
  const closedShare = Math.min(0.9, ageDays / 120);
  const status =
    rnd() < closedShare
      ? statuses[statuses.length - 1 - Math.floor(rnd() * 2)]!
      : statuses[Math.floor(rnd() * Math.min(3, statuses.length))]!;
  const createdAt = new Date(now - ageDays * DAY - Math.floor(rnd() * DAY));
  const assignee = team.members[Math.floor(rnd() * team.members.length)]!;
  const ref = `Q-${createdAt.getUTCFullYear() - 10}-${String(i + 1).padStart(7, '0')}`;
  const event = (type: string, at: Date) => ({
    _id: `ev-${i}-${type}`,
    type,
    actor: { id: null, role: 'system' },
    public: type !== 'routed',
    at,
  });
  const doc: Record<string, unknown> = {
    _id: new ObjectId(),
    ref,
    dedupeKey: `manual:${ref}`,
    kind,
    category: CATEGORIES[Math.floor(rnd() * CATEGORIES.length)],
    title: `Caso de prueba ${i}: valores imposibles en la columna EDAD`,
    description: 'Hay filas con EDAD negativa y otras con EDAD mayor a 130 en el archivo publicado.',
    status,
    priority: 'normal',
    organisationId: org.id,
    organisationAncestorIds: [],
    teamId: team.id,
    assigneeId: assignee,
    visibility: rnd() < 0.8 ? 'public' : 'pending',
    reporter: { emailHash: `h${i % 5000}`, language: 'es' },
    events: [
      event('created', createdAt),
      event('routed', createdAt),
      event('triaged', new Date(createdAt.getTime() + DAY)),
    ],
    outbox: [],
    lastPublicActivityAt: createdAt,
    createdAt,
    updatedAt: createdAt,
  };
  const owner = loadOwner(doc);
  if (owner) doc.loadOf = new ObjectId(owner);
  return doc;
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function page(url: string, cookie?: string): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), pageTimeoutMs);
  try {
    const started = performance.now();
    const response = await fetch(url, { headers: cookie ? { cookie } : {}, signal: controller.signal });
    await response.text();
    if (response.status !== 200) return `HTTP ${response.status}`;
    return `${fmt(performance.now() - started, 0)} ms`;
  } catch {
    return `> ${pageTimeoutMs / 1000} s`;
  } finally {
    clearTimeout(timer);
  }
}

async function runBackend(backend: 'postgresql' | 'sqlite') {
  const infra = await servers({ backend });
  const dbName = `bench_scale_${Date.now()}`;
  const prefix = dbName;
  const runtime = await benchRuntime(infra, { dbName, prefix });
  const ctx = createCommandContext(runtime);

  // The directory: 12 organisations with 2 teams of 4 officers each; the first is the benchmarked one.
  const password = 'correct horse battery staple';
  const directory: Directory = { organisations: [] };
  let managerEmail = '';
  for (let o = 0; o < 12; o += 1) {
    const org = await createOrganisation(ctx, { slug: `org-${o}`, name: `Organismo ${o}` });
    const teams = [];
    for (let t = 0; t < 2; t += 1) {
      const members = [];
      for (let m = 0; m < 4; m += 1) {
        const user = await createUser(ctx, {
          email: `o${o}t${t}m${m}@bench.gob.pe`,
          name: `Oficial ${o}-${t}-${m}`,
          password,
          roles: ['officer'],
          organisations: [String(org._id)],
        });
        members.push(user._id as ObjectId);
      }
      const team = await createTeam(ctx, {
        organisation: String(org._id),
        slug: `equipo-${t}`,
        name: `Equipo ${t}`,
        memberIds: members.map(String),
        strategy: t === 0 ? 'round_robin' : 'least_loaded',
      });
      teams.push({ id: team._id as ObjectId, members });
    }
    directory.organisations.push({ id: org._id as ObjectId, teams });
    if (o === 0) {
      managerEmail = 'gerencia@bench.gob.pe';
      await createUser(ctx, {
        email: managerEmail,
        name: 'Gerencia',
        password,
        roles: ['manager'],
        organisations: [String(org._id)],
      });
    }
  }
  await ctx.datasets.insert({
    source: 'manual',
    externalId: 'bench',
    slug: 'bench-dataset',
    title: 'Dataset de prueba',
    organisationId: directory.organisations[0]!.id,
    tags: [],
    resources: [{ _id: 'r1', name: 'a.csv', url: 'https://datos.example.gob.pe/a.csv', format: 'CSV' }],
    officerIds: [],
  } as never);

  const quipu = await startQuipu(
    {
      MONGODB_URL: withDatabase(infra.mongodbUrl, dbName),
      REDIS_URL: infra.redisUrl,
      QUIPU_QUEUE_PREFIX: prefix,
    },
    { intake: { rateLimitPerMinute: 10_000_000, flagsToHide: 3, spamWords: [] } },
  );
  const login = await fetch(`${quipu.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: managerEmail, password }),
  });
  const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';

  const rows: Array<Record<string, string | number>> = [];
  const rnd = random(42);
  const now = Date.now();
  let stored = 0;
  const tickets = runtime.connection.collection('tickets');
  const outbox = runtime.outboxStores.find((s) => s.name === 'tickets')!;
  for (const size of sizes) {
    const seedStarted = performance.now();
    while (stored < size) {
      const batch = [];
      for (let i = 0; i < Math.min(2_000, size - stored); i += 1)
        batch.push(ticketDoc(stored + i, rnd, directory, now));
      await ctx.models.Ticket.insertMany(batch, { lean: true });
      stored += batch.length;
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    // The seeded tickets bypassed the repository: recount the officers' loads and the figures'
    // rollups from them (the pages read the rollups only).
    const rebuild = await rebuildAssignmentLoads(ctx);
    const figuresStarted = performance.now();
    await rebuildFigures(ctx);
    const figuresSeconds = (performance.now() - figuresStarted) / 1000;

    const latencies: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      latencies.push(
        await timed(async () => {
          const response = await fetch(`${quipu.url}/api/v1/complaints`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              category: CATEGORIES[i % CATEGORIES.length],
              title: `Valores imposibles ${size}-${i}`,
              description:
                'Hay filas con EDAD negativa y otras con EDAD mayor a 130 en el archivo publicado.',
              dataset: 'bench-dataset',
              reporter: { email: `carga${i}@example.pe` },
              consent: true,
            }),
          });
          await response.text();
          if (response.status !== 201) throw new Error(`intake answered ${response.status}`);
        }),
      );
    }
    latencies.sort((a, b) => a - b);
    // The same intake under load: 50 connections for a few seconds.
    const burst = await autocannon({
      url: `${quipu.url}/api/v1/complaints`,
      method: 'POST',
      connections: 50,
      duration: burstSeconds,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        category: CATEGORIES[0],
        title: `Carga concurrente ${size}`,
        description: 'Hay filas con EDAD negativa y otras con EDAD mayor a 130 en el archivo publicado.',
        dataset: 'bench-dataset',
        reporter: { email: 'carga@example.pe' },
        consent: true,
      }),
    });
    stored += burst['2xx'];
    const team = directory.organisations[0]!.teams[0]!;
    const lookup = await timed(() => ctx.assignment.lastAssigneeOfTeam(String(team.id)));
    const one = await tickets.findOne({}, { projection: { _id: 1 } });
    const write = await timed(() => outbox.remove(String(one!._id), [{ _id: 'none' } as never]));
    const dashboard = await page(`${quipu.url}/mesa/panel`, cookie);
    const transparency = await page(`${quipu.url}/transparencia`);
    rows.push({
      size,
      seed: `${fmt(seedSeconds, 0)} s`,
      figures: `${fmt(figuresSeconds, 0)} s`,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      p50at50: burst.latency.p50,
      p99at50: burst.latency.p99,
      non2xx: burst.non2xx + burst.errors,
      lookup,
      write,
      dashboard,
      transparency,
    });
    console.log(
      `  ${backend} ${size.toLocaleString('en-US')} tickets (seeded in ${fmt(seedSeconds, 0)} s, loads rebuilt over ${rebuild.tickets}, figures rebuilt in ${fmt(figuresSeconds, 0)} s): intake p50 ${fmt(percentile(latencies, 50))} ms p99 ${fmt(percentile(latencies, 99))} ms · at 50 connections p50 ${fmt(burst.latency.p50)} ms p99 ${fmt(burst.latency.p99)} ms (${burst.requests.average} req/s, ${burst.non2xx + burst.errors} non-2xx) · lookup ${fmt(lookup)} ms · write ${fmt(write)} ms · dashboard ${dashboard} · transparency ${transparency}`,
    );
  }
  await quipu.stop();
  await dropBench(runtime, prefix);
  await infra.stop();
  return rows;
}

const ms = (value: string | number) => (typeof value === 'number' ? `${fmt(value)} ms` : value);
const toMs = (value: string | number) =>
  typeof value === 'number'
    ? value
    : /^([\d,.]+) ms$/.test(value)
      ? Number(value.replace(/[, ms]/g, ''))
      : Number.NaN;

for (const backend of backends) {
  console.log(`\nbench:scale on FerretDB v1.24.2 over ${backend}, sizes ${sizes.join(', ')}`);
  const rows = await runBackend(backend);
  const columns = [
    'p50',
    'p99',
    'p50at50',
    'p99at50',
    'lookup',
    'write',
    'dashboard',
    'transparency',
  ] as const;
  console.log(
    `\n| tickets stored | intake p50 | intake p99 | intake p50 at 50 conns | intake p99 at 50 conns | round-robin lookup | ticket write by _id | desk dashboard | /transparencia |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${Number(row.size).toLocaleString('en-US')} | ${columns.map((c) => ms(row[c]!)).join(' | ')} |`,
    );
  }
  const first = rows[0]!;
  const last = rows.at(-1)!;
  const ratios = columns.map((c) => {
    const r = toMs(last[c]!) / toMs(first[c]!);
    return Number.isFinite(r) ? `${fmt(r, 2)}×` : 'n/a';
  });
  console.log(
    `| growth ${Number(last.size).toLocaleString('en-US')} ÷ ${Number(first.size).toLocaleString('en-US')} | ${ratios.join(' | ')} |`,
  );
}
