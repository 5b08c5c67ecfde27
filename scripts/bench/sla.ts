// pnpm run bench:sla — SLA clocks at national scale, on a fresh database (dropped afterwards):
//   1. 100 000 open tickets across 20 organisations and 3 calendars, inserted directly;
//   2. compute every SLA and schedule its deadline jobs (computeSla + queue.addBulk), and store
//      the SLA blocks (bulkWrite), timed apart;
//   3. a full reconciliation sweep (what the `sla` worker runs every 5 minutes);
//   4. e-mails per second through the notify delivery path (record + render + SMTP) to a local
//      SMTP peer, with concurrency.
// Targets (issue 6): sweep < 60 s; >= 200 e-mails/s.
//   Env: MONGODB_URL, REDIS_URL (unset: local servers are started, see lib.ts servers())
//   Options: --tickets 100000 --emails 2000 --concurrency 8 (the notify worker's) --batch 1000
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ObjectId } from 'mongodb';
import {
  createCommandContext,
  expectedSlaJobs,
  reconcileSla,
  type SlaJobSpec,
} from '../../packages/commands/src/index.ts';
import { computeTicketSla } from '../../packages/commands/src/sla/compute.ts';
import { CONFIG_DIR } from '../../packages/config/src/index.ts';
import { calendarFromDescriptor } from '../../packages/core/src/time/index.ts';
import type { TicketRecord } from '../../packages/db/src/index.ts';
import { renderNotification } from '../../packages/mail/src/index.ts';
import { startSmtpPeer } from '../../packages/mail/src/smtp-peer.ts';
import { closeMailers, deliver, mailerFor } from '../../workers/src/notify/deliver.ts';
import { benchRuntime, dropBench, servers } from './lib.ts';

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '100000' },
    emails: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '8' },
    batch: { type: 'string', default: '1000' },
  },
});
const TICKETS = Number(values.tickets);
const EMAILS = Number(values.emails);
const CONCURRENCY = Number(values.concurrency);
const BATCH = Number(values.batch);
const infra = await servers();
const { mongodbUrl, redisUrl } = infra;
const id = randomBytes(3).toString('hex');
const dbName = `bench_sla_${id}`;
const prefix = `benchsla${id}`;

const smtp = await startSmtpPeer({ maxMessages: 100 });
const now = new Date();
const runtime = await benchRuntime(infra, {
  dbName,
  prefix,
  overrides: { smtp: { url: smtp.url } },
  now: () => now,
});
const { config } = runtime;
const commands = createCommandContext(runtime);
const queue = runtime.queues.get('sla');
const ms = (start: number) => Date.now() - start;
const rows: Array<[string, string, string]> = [];

try {
  // A third calendar, as an organisation with its own desk hours would have (08:00–13:00).
  const pe = JSON.parse(readFileSync(join(CONFIG_DIR, 'calendars/pe.json'), 'utf8'));
  const desk = calendarFromDescriptor(
    {
      id: 'pe-mesa-de-partes',
      extends: 'pe',
      hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['08:00', '13:00']]])),
    },
    [pe],
  );
  commands.domain.calendars.set(desk.id, desk);
  const calendarIds = ['pe', 'pe-amazonas', desk.id];

  // 1–2. 20 organisations and 100 000 open tickets. Each ticket's SLA is computed as intake does
  // (computeSla on the ticket about to be written, so the block goes in with the insert) and its
  // deadline jobs are added in bulk per batch. Insert, compute and addBulk are timed apart.
  const organisations = Array.from({ length: 20 }, (_, i) => ({
    _id: new ObjectId(),
    slug: `bench-org-${i}`,
    name: `Organismo ${i}`,
    ancestorIds: [],
    calendarId: calendarIds[i % 3],
    externalIds: [],
    createdAt: now,
    updatedAt: now,
  }));
  await commands.models.Organisation.collection.insertMany(organisations);
  const calendarOf = new Map(
    organisations.map((o) => [String(o._id), commands.domain.calendars.get(o.calendarId!)!]),
  );
  const H = 3_600_000;
  const statuses = ['new', 'triaged', 'in_progress', 'in_progress', 'waiting_reporter'];
  let insertMs = 0;
  let computeMs = 0;
  let addMs = 0;
  let jobs = 0;
  for (let offset = 0; offset < TICKETS; offset += BATCH) {
    const docs: Array<Record<string, unknown>> = [];
    for (let i = offset; i < Math.min(TICKETS, offset + BATCH); i += 1) {
      const organisation = organisations[i % 20]!;
      // Received over the last 30 days: some targets ahead, some already passed.
      const createdAt = new Date(now.getTime() - ((i * 7919) % (30 * 24)) * H - (i % 60) * 60_000);
      const kind = i % 10 < 6 ? 'complaint' : i % 10 < 9 ? 'data_request' : 'quality_issue';
      const status = statuses[i % statuses.length]!;
      const events: Array<Record<string, unknown>> = [
        {
          _id: `ev-c-${i}`,
          type: 'created',
          actor: { id: null, role: 'reporter' },
          to: kind === 'data_request' ? 'submitted' : 'new',
          public: true,
          at: createdAt,
        },
      ];
      if (status !== 'new')
        events.push({
          _id: `ev-t-${i}`,
          type: 'status_changed',
          actor: { id: null, role: 'officer' },
          from: 'new',
          to: 'triaged',
          public: true,
          at: new Date(createdAt.getTime() + H),
        });
      if (i % 3 === 0)
        events.push({
          _id: `ev-r-${i}`,
          type: 'comment_added',
          actor: { id: null, role: 'officer' },
          public: true,
          fields: { visibility: 'public' },
          at: new Date(createdAt.getTime() + 2 * H),
        });
      if (status === 'in_progress' || status === 'waiting_reporter')
        events.push({
          _id: `ev-p-${i}`,
          type: 'status_changed',
          actor: { id: null, role: 'officer' },
          from: 'triaged',
          to: 'in_progress',
          public: true,
          at: new Date(createdAt.getTime() + 3 * H),
        });
      if (status === 'waiting_reporter')
        events.push({
          _id: `ev-w-${i}`,
          type: 'status_changed',
          actor: { id: null, role: 'officer' },
          from: 'in_progress',
          to: 'waiting_reporter',
          public: true,
          at: new Date(createdAt.getTime() + 4 * H),
        });
      docs.push({
        _id: new ObjectId(),
        ref: `Q-2026-B${String(i).padStart(7, '0')}`,
        kind,
        ...(kind === 'data_request' && i % 2 === 0 ? { regime: 'access_to_information' } : {}),
        category: 'wrong_data',
        title: `Ticket de prueba ${i}`,
        description: '',
        status: kind === 'data_request' && status === 'new' ? 'submitted' : status,
        priority: i % 17 === 0 ? 'urgent' : 'normal',
        organisationId: organisation._id,
        organisationAncestorIds: [],
        assigneeId: new ObjectId(),
        visibility: 'public',
        dedupeKey: `bench:${i}`,
        events,
        comments: [],
        outbox: [],
        createdAt,
        updatedAt: createdAt,
      });
    }
    let t = Date.now();
    const specs: SlaJobSpec[] = [];
    for (const doc of docs) {
      const ticket = doc as unknown as TicketRecord;
      const comp = await computeTicketSla(
        commands,
        ticket,
        [],
        now,
        calendarOf.get(String(ticket.organisationId)),
      );
      if (!comp) continue;
      doc.sla = comp.block;
      specs.push(...expectedSlaJobs(String(ticket._id), comp, ticket.events ?? [], now));
    }
    computeMs += ms(t);
    t = Date.now();
    await commands.models.Ticket.collection.insertMany(docs, { ordered: false });
    insertMs += ms(t);
    t = Date.now();
    await queue.addBulk(specs);
    addMs += ms(t);
    jobs += specs.length;
    console.error(
      `  ${offset + docs.length} tickets: insert ${insertMs} ms, compute ${computeMs} ms, addBulk ${addMs} ms (${jobs} jobs)`,
    );
  }
  rows.push([
    'insert tickets (insertMany, SLA block included)',
    `${TICKETS} in ${(insertMs / 1000).toFixed(1)} s`,
    '—',
  ]);
  rows.push([
    'compute SLAs (computeSla + deadline jobs, in-process)',
    `${(computeMs / 1000).toFixed(1)} s (${((TICKETS / computeMs) * 1000).toFixed(0)} tickets/s)`,
    '—',
  ]);
  rows.push([
    'schedule deadline jobs (queue.addBulk)',
    `${jobs} jobs in ${(addMs / 1000).toFixed(1)} s (${((jobs / addMs) * 1000).toFixed(0)} jobs/s)`,
    '—',
  ]);
  rows.push(['compute + schedule, total', `${((computeMs + addMs) / 1000).toFixed(1)} s`, '—']);

  // 3. A full reconciliation sweep, as the worker runs it (every job is re-added: BullMQ ignores held ids).
  const report = await reconcileSla(commands, {
    batchSize: BATCH,
    onBatch: (r) => console.error(`  swept ${r.tickets} tickets in ${r.ms} ms`),
    addBulk: async (specs) => {
      await queue.addBulk(specs);
    },
  });
  const counts = await queue.getJobCounts('delayed', 'waiting');
  rows.push([
    'reconciliation sweep (all open tickets)',
    `${(report.ms / 1000).toFixed(1)} s — ${report.tickets} tickets, ${report.jobs} jobs re-derived, ${report.rewritten} blocks rewritten; queue holds ${counts.delayed! + counts.waiting!}`,
    report.ms < 60_000 ? 'PASS (< 60 s)' : 'FAIL (< 60 s)',
  ]);

  // 4. E-mails/s through the delivery path: notification record, render, SMTP, record sent.
  const models = commands.models;
  const failures = new Map<string, number>();
  let next = 0;
  let start = Date.now();
  const worker = async () => {
    for (;;) {
      const n = next++;
      if (n >= EMAILS) return;
      try {
        await deliver(
          models,
          config,
          {
            id: `bench-${n}:user-${n % 50}`,
            to: `oficial${n % 50}@bench.gob.pe`,
            recipientKind: 'assignee',
            language: n % 5 === 0 ? 'en' : 'es',
            notification: {
              kind: 'sla_warning',
              data: {
                assigneeName: 'Oficial de prueba',
                ticket: {
                  ref: `Q-2026-B${String(n).padStart(7, '0')}`,
                  title: `Ticket ${n}`,
                  url: '/mesa/tickets/x',
                },
                target: 'resolution',
                dueAt: new Date(now.getTime() + 86_400_000),
                remainingMinutes: 540,
              },
            },
          },
          { final: true },
        );
      } catch (error) {
        // FerretDB on SQLite answers concurrent writes with SQLITE_BUSY: counted, not fatal.
        failures.set(
          (error as Error).message.slice(-60),
          (failures.get((error as Error).message.slice(-60)) ?? 0) + 1,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const mailMs = ms(start);
  const rate = (EMAILS / mailMs) * 1000;
  const accepted = await models.Notification.countDocuments({ state: 'sent' });
  const failed = [...failures.values()].reduce((a, b) => a + b, 0);
  if (failed) console.error('delivery errors:', Object.fromEntries(failures));
  rows.push([
    `e-mails through deliver() to the SMTP peer (${CONCURRENCY} at a time)`,
    `${EMAILS} in ${(mailMs / 1000).toFixed(1)} s = ${rate.toFixed(0)}/s (${accepted} recorded sent, ${failed} errors)`,
    rate >= 200 ? 'PASS (>= 200/s)' : 'FAIL (>= 200/s)',
  ]);

  // 4b. The same e-mails without the notification records (render + SMTP only): what MongoDB costs.
  const mailer = mailerFor(config);
  next = 0;
  start = Date.now();
  const smtpOnly = async () => {
    for (;;) {
      const n = next++;
      if (n >= EMAILS) return;
      const rendered = renderNotification(
        'sla_warning',
        {
          ticket: { ref: `Q-2026-B${n}`, title: `Ticket ${n}`, url: '/mesa/tickets/x' },
          target: 'resolution',
          dueAt: now,
          remainingMinutes: 540,
        },
        {
          portalName: config.portal.name,
          publicBaseUrl: config.http.publicBaseUrl,
          lang: 'es',
          timeZone: config.portal.timeZone,
        },
      );
      await mailer.send({
        to: `oficial${n % 50}@bench.gob.pe`,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        headers: rendered.headers,
        idempotencyKey: `bench-smtp-${n}`,
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, smtpOnly));
  const smtpMs = ms(start);
  rows.push([
    `e-mails render + SMTP only, no records (${CONCURRENCY} at a time)`,
    `${EMAILS} in ${(smtpMs / 1000).toFixed(1)} s = ${((EMAILS / smtpMs) * 1000).toFixed(0)}/s`,
    '—',
  ]);
} finally {
  // Clean up: the bench's queues, database and every key under its queue prefix.
  for (const name of ['sla', 'notify', 'maintenance'] as const)
    await runtime.queues
      .get(name)
      .obliterate({ force: true })
      .catch(() => {});
  await closeMailers();
  await dropBench(runtime, prefix);
  await smtp.close();
  await infra.stop();
}

const width = Math.max(...rows.map((r) => r[0].length));
console.log(
  `\nSLA bench — ${TICKETS} tickets, 20 organisations, 3 calendars (${mongodbUrl.replace(/\/\/[^@/]+@/, '//***@')}, ${redisUrl})\n`,
);
for (const [what, figure, target] of rows)
  console.log(`${what.padEnd(width)}  ${figure}${target === '—' ? '' : `  ${target}`}`);
process.exit(0);
