import {
  addComment,
  figuresReader,
  linkToken,
  openTicket,
  staffPrincipal,
  transitionTicket,
  verifyReporterEmail,
} from '@quipu/commands';
import { weekStarts } from '@quipu/db';
import { type TableSchema, validate } from '@quipu/quality';
import { useHarness } from '@quipu/test/harness';
import { seedDirectory } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { signInThroughForm, startWebStack } from '../test-support.ts';
import { weeksOf } from './dashboard/filters.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startWebStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
let small: Awaited<ReturnType<typeof seedDirectory>>;

async function complaint(dataset: string, n: number) {
  const { ticket } = await openTicket(stack.commands, {
    kind: 'complaint',
    category: 'outdated',
    title: `Datos desactualizados ${n}`,
    description: 'El archivo no se actualiza desde 2023.',
    dataset,
    reporter: { email: `persona${n}@example.pe`, name: `Persona ${n}`, language: 'es' },
    consent: true,
  });
  await verifyReporterEmail(
    stack.commands,
    linkToken(stack.runtime.config.session.secret, 'verification', String(ticket._id)),
  );
  return ticket;
}

beforeAll(async () => {
  stack = await startWebStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
  small = await seedDirectory(stack.commands, '-sunat');
  const admin = await staffPrincipal(stack.commands, directory.admin);
  for (let n = 0; n < 11; n++) {
    const ticket = await complaint(directory.dataset.slug, n);
    await transitionTicket(stack.commands, admin, { ticket: ticket.ref, action: 'triage' });
    // The first public reply is what meets the first-response target (and stores its duration).
    await addComment(stack.commands, admin, {
      ticket: ticket.ref,
      body: 'Lo revisamos.',
      visibility: 'public',
    });
    if (n < 4)
      await transitionTicket(stack.commands, admin, {
        ticket: ticket.ref,
        action: 'resolve',
        input: { resolution: 'Actualizado.' },
      });
  }
  for (let n = 0; n < 2; n++) await complaint(small.dataset.slug, 100 + n);
  // Two data requests to the small institution; one is fulfilled by publishing its dataset.
  for (let n = 0; n < 2; n++) {
    const { ticket } = await openTicket(stack.commands, {
      kind: 'data_request',
      title: `Padrón de contribuyentes ${n}`,
      description: 'Por distrito y actividad económica.',
      organisation: small.organisation.slug,
      reporter: { email: `pide${n}@example.pe`, language: 'es' },
      consent: true,
    });
    if (n === 0) {
      await transitionTicket(stack.commands, admin, { ticket: ticket.ref, action: 'review' });
      await transitionTicket(stack.commands, admin, {
        ticket: ticket.ref,
        action: 'publish',
        input: { datasetId: String(small.dataset._id) },
      });
    }
  }
});

async function signIn(email: string) {
  return (await signInThroughForm(stack.web, email, directory.password)).cookie;
}

describe('weekStarts', () => {
  it('gives Mondays at 00:00 in Lima (UTC−5)', () => {
    const starts = weekStarts(new Date('2026-11-26T03:00:00Z'), 'America/Lima', 2); // Wed 25 Nov, 22:00 in Lima
    expect(starts.map((d) => d.toISOString())).toEqual([
      '2026-11-16T05:00:00.000Z',
      '2026-11-23T05:00:00.000Z',
    ]);
  });
});

describe('weeksOf', () => {
  const lima = (day: string) => new Date(`${day}T05:00:00Z`); // midnight in Lima
  it('gives the Mondays of the weeks a range meets, up to today, and at most 53', () => {
    const now = new Date('2026-11-27T15:00:00Z');
    expect(
      weeksOf(lima('2026-11-04'), lima('2026-11-28'), now, 'America/Lima').map((d) => d.toISOString()),
    ).toEqual([
      '2026-11-02T05:00:00.000Z',
      '2026-11-09T05:00:00.000Z',
      '2026-11-16T05:00:00.000Z',
      '2026-11-23T05:00:00.000Z',
    ]);
    // A range ending in the future stops at this week; one that ends on a Monday at 00:00 leaves that week out.
    expect(weeksOf(lima('2026-11-23'), lima('2027-01-01'), now, 'America/Lima')).toHaveLength(1);
    expect(weeksOf(lima('2026-11-09'), lima('2026-11-23'), now, 'America/Lima')).toHaveLength(2);
    const long = weeksOf(lima('2020-01-01'), lima('2026-11-28'), now, 'America/Lima');
    expect(long).toHaveLength(53);
    expect(long.at(-1)?.toISOString()).toBe('2026-11-23T05:00:00.000Z');
  });
});

describe('/mesa/panel', () => {
  it('shows a manager the figures of their organisation, with CSV exports', async () => {
    const cookie = await signIn(directory.manager.email);
    const response = await fetch(`${stack.web}/mesa/panel`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain('<svg class="chart"');
    const total =
      /<tfoot><tr><th scope="row">Total<\/th><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td>/.exec(
        body,
      )!;
    expect([Number(total[1]), Number(total[2])]).toEqual([11, 4]);
    expect(body).toContain('Ministerio de Salud');
    expect(body).not.toContain('Ministerio de Salud -sunat');

    const csv = await fetch(`${stack.web}/mesa/panel?format=csv&table=organisations`, {
      headers: { cookie },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('organisation,received,open,resolved,sla_breached');
    expect(lines[1]).toBe('Ministerio de Salud,11,7,4,0');
    const weekly = await (
      await fetch(`${stack.web}/mesa/panel?format=csv&table=weekly`, { headers: { cookie } })
    ).text();
    const weeks = weekly.trim().split('\r\n');
    expect(weeks[0]).toBe('week_start,received,resolved');
    // The default range is the last 90 days: 13 or 14 weeks by weekday, all of this file's tickets.
    expect(weeks.length - 1).toBeGreaterThanOrEqual(13);
    expect(weeks.length - 1).toBeLessThanOrEqual(14);
    const totals = weeks
      .slice(1)
      .map((line) => line.split(',').map(Number))
      .reduce((sum, [, received, resolved]) => [sum[0]! + received!, sum[1]! + resolved!], [0, 0]);
    expect(totals).toEqual([11, 4]);
    // A range before any ticket: the same weeks' table, all zeros.
    const before = await (
      await fetch(`${stack.web}/mesa/panel?format=csv&table=weekly&desde=2026-01-05&hasta=2026-01-18`, {
        headers: { cookie },
      })
    ).text();
    expect(before.trim().split('\r\n').slice(1)).toEqual(['2026-01-05,0,0', '2026-01-12,0,0']);
  });

  it('reports service levels for a date range: compliance, median and p90, reopen rate, by officer', async () => {
    const cookie = await signIn(directory.manager.email);
    const csv = async (table: string, query = '') =>
      (
        await (
          await fetch(`${stack.web}/mesa/panel?format=csv&table=${table}${query}`, { headers: { cookie } })
        ).text()
      )
        .trim()
        .split('\r\n');
    const levels = await csv('levels');
    expect(levels[0]).toBe('target,compliance,decided,median_business_hours,p90_business_hours');
    // 11 first responses, none late; 4 resolutions, none late; no reopen; nobody answered yet.
    const [, frCompliance, frDecided, frMedian, frP90] = levels[1]!.split(',');
    expect([levels[1]!.split(',')[0], frCompliance, frDecided]).toEqual(['firstResponse', '1', '11']);
    expect(Number(frMedian)).toBeGreaterThanOrEqual(0);
    expect(Number(frP90)).toBeGreaterThanOrEqual(Number(frMedian));
    expect(levels[2]!.split(',').slice(0, 3)).toEqual(['resolution', '1', '4']);
    expect(levels[3]).toBe('reopen_rate,0,,,');
    expect(levels[4]).toBe('satisfaction,,0,,');
    const officers = await csv('officers');
    expect(officers[0]).toBe('officer,assigned,open,resolved,sla_breached');
    const assigned = officers.slice(1).reduce((sum, line) => sum + Number(line.split(',')[1]), 0);
    expect(assigned).toBe(11);
    // A range before anything happened has nothing decided.
    const empty = await csv('levels', '&desde=2020-01-01&hasta=2020-01-31');
    expect(empty[1]).toBe('firstResponse,,0,,');
    const page = await (
      await fetch(`${stack.web}/mesa/panel?desde=2020-01-01&hasta=2020-01-31`, { headers: { cookie } })
    ).text();
    expect(page).toContain('value="2020-01-01"');
    expect(page).toContain('sin datos');
  });

  it('shows an admin every organisation', async () => {
    const cookie = await signIn(directory.admin.email);
    const body = await (await fetch(`${stack.web}/mesa/panel`, { headers: { cookie } })).text();
    expect(body).toContain('Ministerio de Salud -sunat');
  });
});

describe('/transparencia', () => {
  it('publishes counts and medians only where the sample is large enough, as HTML, CSV and JSON with a schema', async () => {
    const page = await (await fetch(`${stack.web}/transparencia`)).text();
    expect(page).toContain('Ministerio de Salud');
    expect(page).toContain('Muestra insuficiente');
    expect(page).not.toContain('persona1@example.pe');

    const json = (await (await fetch(`${stack.web}/transparencia.json`)).json()) as Array<
      Record<string, unknown>
    >;
    const big = json.find((r) => r.organisation_slug === directory.organisation.slug)!;
    const tiny = json.find((r) => r.organisation_slug === small.organisation.slug)!;
    expect(big).toMatchObject({ received: 11, resolved: 4, first_response_sample: 11, resolution_sample: 4 });
    expect(typeof big.median_first_response_hours).toBe('number');
    expect(big.median_resolution_hours).toBeNull();
    expect(tiny).toMatchObject({
      received: 4,
      median_first_response_hours: null,
      data_requests: 2,
      data_requests_fulfilled: 1,
    });
    // Four resolved in time out of eleven received: too few decided deadlines to publish a rate.
    expect(big).toMatchObject({ deadline_decided: 4, deadline_compliance_pct: null, data_requests: 0 });
    // With a smaller threshold the same figures give a rate: four of four in time.
    const loose = await figuresReader(stack.commands).transparency(4);
    expect(loose.find((r) => r.organisationId === String(directory.organisation._id))?.deadline).toEqual({
      decided: 4,
      compliance: 1,
    });

    const schema = (await (await fetch(`${stack.web}/transparencia.schema.json`)).json()) as {
      fields: Array<{ name: string }>;
    };
    const csv = (await (await fetch(`${stack.web}/transparencia.csv`)).text()).trim().split('\r\n');
    expect(csv[0]).toBe(schema.fields.map((f) => f.name).join(','));
    expect(Object.keys(big)).toEqual(schema.fields.map((f) => f.name));
    expect(csv).toHaveLength(3);
    // The published CSV is valid against its own Table Schema (our Frictionless validator).
    const report = await validate(
      { data: csv.join('\n'), name: 'transparencia.csv' },
      { schema: schema as unknown as TableSchema },
    );
    expect(report.tasks[0]?.errors ?? report.errors).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.tasks[0]?.stats.rows).toBe(2);
  });
});
