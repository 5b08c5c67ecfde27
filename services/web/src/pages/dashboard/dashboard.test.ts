import {
  addComment,
  assignTicket,
  createTeam,
  figuresReader,
  linkToken,
  openTicket,
  processDeadline,
  type StaffPrincipal,
  staffPrincipal,
  subscribe,
  transitionTicket,
  verifyReporterEmail,
  verifySubscription,
} from '@quipu/commands';
import { EVERYTHING, NO_TEAM, type TicketRecord, teamTable } from '@quipu/db';
import { useHarness } from '@quipu/test/harness';
import { seedDirectory } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../../chart.ts';
import { signInThroughForm, startWebStack } from '../../test-support.ts';

/**
 * The dashboard's team table, breaches list, filters and CSVs on the real stack, with a clock
 * the test moves. Lima is UTC−05:00 all year; the complaint policy gives a first response two
 * business days (Mon–Fri 08:30–17:30) from receipt, so a complaint of Monday is due Tuesday 17:30.
 *
 *   Ministerio de Salud (A): Triaje (Ana): A1 answered and resolved in time; A2 answered late
 *     (Thursday), then resolved; A3 never answered, breach recorded by the SLA deadline job.
 *     Datos abiertos (Beto): A4 answered in time, open; A5 (received Tuesday) never answered,
 *     breach recorded. Archivo: nothing.
 *   Ministerio de Salud -b (B): B1 answered in time; B2 breach recorded; one data request (2 supporters).
 *   Ministerio de Salud -c (C): two data requests (3 and 1 supporters).
 */
const harness = useHarness();
const lima = (local: string) => new Date(`${local}-05:00`);
let stack: Awaited<ReturnType<typeof startWebStack>>;
let a: Awaited<ReturnType<typeof seedDirectory>>;
let b: Awaited<ReturnType<typeof seedDirectory>>;
let c: Awaited<ReturnType<typeof seedDirectory>>;
let admin: StaffPrincipal;
let datos: { _id: unknown };
const ref: Record<string, string> = {};
const INJECTED = '=HYPERLINK("http://evil.example","clic")';

let reporters = 0;
async function open(
  name: string,
  props: { dataset: string } | { organisation: string },
  title = `Caso ${name}: datos desactualizados`,
) {
  reporters += 1;
  const { ticket } = await openTicket(stack.commands, {
    kind: 'dataset' in props ? 'complaint' : 'data_request',
    ...('dataset' in props ? { category: 'outdated' } : {}),
    ...props,
    title,
    description: 'El archivo no se actualiza desde 2023 y hace falta para un estudio.',
    reporter: { email: `persona${reporters}@example.pe`, name: `Persona ${reporters}`, language: 'es' },
    consent: true,
  });
  ref[name] = ticket.ref;
  return ticket;
}

const ticketOf = async (name: string) =>
  (await stack.commands.tickets.findByRef(EVERYTHING, ref[name]!)) as TicketRecord;

/** Puts a ticket in a team and on an officer's desk (unless routing already did). */
async function assign(name: string, teamId: unknown, userId: unknown) {
  const ticket = await ticketOf(name);
  if (String(ticket.teamId) === String(teamId) && String(ticket.assigneeId) === String(userId)) return;
  await assignTicket(stack.commands, admin, {
    ticket: ticket.ref,
    teamId: String(teamId),
    assigneeId: String(userId),
  });
}

async function reply(name: string) {
  await transitionTicket(stack.commands, admin, { ticket: ref[name]!, action: 'triage' });
  await addComment(stack.commands, admin, {
    ticket: ref[name]!,
    body: 'Lo revisamos.',
    visibility: 'public',
  });
}

async function resolve(name: string) {
  await transitionTicket(stack.commands, admin, {
    ticket: ref[name]!,
    action: 'resolve',
    input: { resolution: 'Actualizado.' },
  });
}

/** What the SLA worker does when the first-response deadline job of a ticket runs after its due. */
async function recordBreach(name: string) {
  const ticket = await ticketOf(name);
  const due = ticket.sla!.targets!.find((t) => t.target === 'firstResponse')!.dueAt!;
  const outcome = await processDeadline(stack.commands, {
    ticketId: String(ticket._id),
    target: 'firstResponse',
    kind: 'breach',
    due: new Date(due).toISOString(),
  });
  expect(outcome.outcome).toBe('recorded');
}

async function support(name: string, supporters: number) {
  const ticket = await ticketOf(name);
  await verifyReporterEmail(
    stack.commands,
    linkToken(stack.runtime.config.session.secret, 'verification', String(ticket._id)),
  );
  for (let i = 0; i < supporters; i++) {
    const email = `apoyo${i}-${ticket.ref.toLowerCase()}@example.pe`;
    await subscribe(stack.commands, { ticket: ticket.ref, kind: 'support', email, language: 'es' });
    const subscription = (await stack.commands.models.Subscription.findOne({
      ticketId: ticket._id,
      email,
    }).lean()) as unknown as { _id: unknown };
    await verifySubscription(
      stack.commands,
      linkToken(stack.runtime.config.session.secret, 'subscription', String(subscription._id)),
    );
  }
}

beforeAll(async () => {
  stack = await startWebStack(harness, { workers: false, now: lima('2026-03-02T09:00:00') });
  a = await seedDirectory(stack.commands);
  b = await seedDirectory(stack.commands, '-b');
  c = await seedDirectory(stack.commands, '-c');
  admin = await staffPrincipal(stack.commands, a.admin);
  const organisation = String(a.organisation._id);
  datos = await createTeam(stack.commands, {
    organisation,
    slug: 'datos',
    name: 'Datos abiertos',
    memberIds: [String(a.officerB._id)],
  });
  await createTeam(stack.commands, { organisation, slug: 'archivo', name: 'Archivo' });

  // Monday 2 March, 09:00.
  for (const name of ['A1', 'A2', 'A3', 'A4'])
    await open(name, { dataset: a.dataset.slug }, name === 'A3' ? INJECTED : undefined);
  for (const name of ['B1', 'B2']) await open(name, { dataset: b.dataset.slug });
  await open('DR-B', { organisation: b.organisation.slug }, 'Padrón de establecimientos de salud');
  await open('DR-C1', { organisation: c.organisation.slug }, 'Camas UCI por hospital, diario');
  await open('DR-C2', { organisation: c.organisation.slug }, 'Vacunación por distrito');
  for (const name of ['A1', 'A2', 'A3']) await assign(name, a.team._id, a.officerA._id);
  await assign('A4', datos._id, a.officerB._id);
  stack.clock.set(lima('2026-03-02T10:00:00'));
  for (const name of ['A1', 'A4', 'B1']) await reply(name);
  await resolve('A1');
  await support('DR-B', 2);
  await support('DR-C1', 3);
  await support('DR-C2', 1);

  // Tuesday 3 March, 09:00: A5 arrives (due Wednesday 17:30).
  stack.clock.set(lima('2026-03-03T09:00:00'));
  await open('A5', { dataset: a.dataset.slug });
  await assign('A5', datos._id, a.officerB._id);

  // Thursday 5 March, 12:00: A2 is answered late and resolved; the deadline jobs of A3, A5, B2 run.
  stack.clock.set(lima('2026-03-05T12:00:00'));
  await reply('A2');
  await resolve('A2');
  for (const name of ['A3', 'A5', 'B2']) await recordBreach(name);
}, 120_000);

// One sign-in per person for the whole file (the login form is rate limited).
const cookies = new Map<string, string>();
async function get(email: string, path: string) {
  if (!cookies.has(email)) cookies.set(email, (await signInThroughForm(stack.web, email, a.password)).cookie);
  return await fetch(`${stack.web}${path}`, { headers: { cookie: cookies.get(email)! } });
}
async function pageOf(email: string, query = '') {
  const response = await get(email, `/mesa/panel${query}`);
  expect(response.status).toBe(200);
  return await response.text();
}
async function csvOf(email: string, table: string, query = '') {
  const response = await get(email, `/mesa/panel?format=csv&table=${table}${query}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/csv');
  return (await response.text()).trim().split('\r\n');
}

/** The body rows of one table: [row header, ...cells] as text. */
function rowsOf(body: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(body);
  if (!table) return [];
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(table[1]!)![1]!;
  return [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      cell[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/&#39;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&')
        .trim(),
    ),
  );
}
const weeklyReceived = (body: string) =>
  Number(/<tfoot><tr><th scope="row">Total<\/th><td class="num">(\d+)<\/td>/.exec(body)![1]);

describe('toCsv', () => {
  it('neutralises text that a spreadsheet would run as a formula, and leaves numbers alone', () => {
    expect(
      toCsv([
        ['=1+1', '+51 999', '-x', '@SUM(A1)', '\tx', '  =1', '＝1', 'a-b', 'ok'],
        [-5, 3.5, null, 'a,"b"', '\rx'],
      ]),
    ).toBe(`'=1+1,'+51 999,'-x,'@SUM(A1),'\tx,'  =1,'＝1,a-b,ok\r\n-5,3.5,,"a,""b""","'\rx"\r\n`);
  });
});

describe('teamTable', () => {
  it('lists every team of the directory (zeros included), teams only tickets name, then no team', () => {
    const teams = [
      { _id: 't1', name: 'Triaje', organisationId: 'o1' },
      { _id: 't2', name: 'Archivo', organisationId: 'o1' },
    ];
    const counts = [
      { teamId: NO_TEAM, received: 4, open: 4, resolved: 0, breached: 0 },
      { teamId: 't1', received: 2, open: 1, resolved: 1, breached: 1 },
      { teamId: 'gone', received: 1, open: 0, resolved: 1, breached: 0 },
    ];
    const rows = teamTable(teams, counts, { scope: EVERYTHING });
    expect(rows.map((r) => [r.teamId, r.name, r.received])).toEqual([
      ['t1', 'Triaje', 2],
      ['gone', null, 1],
      ['t2', 'Archivo', 0],
      [NO_TEAM, null, 4],
    ]);
    // A chosen team: its row alone, zeros when nothing arrived.
    expect(teamTable(teams, [], { scope: EVERYTHING, teamId: 't2' })).toEqual([
      { teamId: 't2', name: 'Archivo', organisationId: 'o1', received: 0, open: 0, resolved: 0, breached: 0 },
    ]);
  });
});

describe('/mesa/panel: teams, breaches, filters, CSVs', () => {
  it('shows a manager each team of their organisation, idle ones included, as a table and a CSV', async () => {
    const body = await pageOf(a.manager.email);
    expect(rowsOf(body, 'teams-table')).toEqual([
      ['Triaje', 'Ministerio de Salud', '3', '1', '2', '2'],
      ['Datos abiertos', 'Ministerio de Salud', '2', '2', '0', '1'],
      ['Archivo', 'Ministerio de Salud', '0', '0', '0', '0'],
    ]);
    expect(await csvOf(a.manager.email, 'teams')).toEqual([
      'team,organisation,received,open,resolved,sla_breached',
      'Triaje,Ministerio de Salud,3,1,2,2',
      'Datos abiertos,Ministerio de Salud,2,2,0,1',
      'Archivo,Ministerio de Salud,0,0,0,0',
    ]);
    // A range before anything arrived: the teams are still there, with nothing.
    expect(await csvOf(a.manager.email, 'teams', '&desde=2026-01-01&hasta=2026-01-31')).toEqual([
      'team,organisation,received,open,resolved,sla_breached',
      'Archivo,Ministerio de Salud,0,0,0,0',
      'Datos abiertos,Ministerio de Salud,0,0,0,0',
      'Triaje,Ministerio de Salud,0,0,0,0',
    ]);
  });

  it('lists breached deadlines: open tickets first, most overdue first, then closed ones breached in the range', async () => {
    const body = await pageOf(a.manager.email);
    const rows = rowsOf(body, 'breaches-table');
    // Ticket, subject, institution, team, officer, status, deadline, due, late (business hours):
    // A3 due Tue 17:30, late Wed (9 h) + Thu 08:30–12:00 (3.5 h); A5 due Wed 17:30; A2 answered Thu 12:00.
    expect(rows.map((r) => [r[0], r[3], r[4], r[6], r[8]])).toEqual([
      [ref.A3, 'Triaje', 'Ana Quispe', 'Primera respuesta', '12.5'],
      [ref.A5, 'Datos abiertos', 'Beto Huamán', 'Primera respuesta', '3.5'],
      [ref.A2, 'Triaje', 'Ana Quispe', 'Primera respuesta', '12.5'],
    ]);
    expect(rows[0]![1]).toBe(INJECTED);
    expect(rows[2]![5]).toBe('Resuelto');
    expect(body).toContain(`<a href="/mesa/tickets/${ref.A3}">${ref.A3}</a>`);
    expect(body).not.toContain('id="breaches-capped"');
    expect(rowsOf(body, 'sla-table')).toEqual([
      ['Con algún plazo vencido', '3'],
      ['Abiertos con plazo vencido', '2'],
      ['Primera respuesta vencida', '3'],
      ['Solución vencida', '0'],
    ]);

    const csv = await csvOf(a.manager.email, 'breaches');
    expect(csv[0]).toBe(
      'ref,title,organisation,team,assignee,status,target,due_at,breached_at,late_business_hours',
    );
    expect(csv.slice(1).map((line) => line.split(',')[0])).toEqual([ref.A3, ref.A5, ref.A2]);
    // The title is text a spreadsheet would run: it goes out prefixed with a quote.
    expect(csv[1]).toBe(
      `${ref.A3},"'=HYPERLINK(""http://evil.example"",""clic"")",Ministerio de Salud,Triaje,Ana Quispe,new,firstResponse,2026-03-03T22:30:00.000Z,2026-03-03T22:30:00.000Z,12.5`,
    );
    expect(await csvOf(a.manager.email, 'sla')).toEqual([
      'measure,tickets',
      'any_breached,3',
      'open_breached,2',
      'first_response_breached,3',
      'resolution_breached,0',
    ]);
    // A range that ends before the late answer: the closed A2 drops out, the open ones stay.
    const before = await csvOf(a.manager.email, 'breaches', '&desde=2026-01-01&hasta=2026-02-28');
    expect(before.slice(1).map((line) => line.split(',')[0])).toEqual([ref.A3, ref.A5]);
  });

  it('caps the breaches list and says how many tickets the cap left out', async () => {
    const figures = figuresReader(stack.commands);
    const from = lima('2026-03-01T00:00:00');
    const to = lima('2026-03-06T00:00:00');
    const capped = await figures.breaches({ scope: EVERYTHING }, from, to, 1);
    expect(capped.rows.map((r) => r.ref)).toEqual([ref.A3]);
    expect(capped).toMatchObject({ openTickets: 3, closedTickets: 1, truncated: true });
    const whole = await figures.breaches({ scope: EVERYTHING }, from, to, 100);
    expect(whole.rows).toHaveLength(4);
    expect(whole.truncated).toBe(false);
  });

  it('narrows every figure and every CSV to the chosen team, and the CSV links carry the filters', async () => {
    const team = String(datos._id);
    const query = `?equipo=${team}`;
    const body = await pageOf(a.manager.email, query);
    expect(body).toContain(`<option value="${team}" selected>Datos abiertos</option>`);
    expect(weeklyReceived(body)).toBe(2);
    expect(rowsOf(body, 'teams-table')).toEqual([
      ['Datos abiertos', 'Ministerio de Salud', '2', '2', '0', '1'],
    ]);
    expect(rowsOf(body, 'breaches-table').map((r) => r[0])).toEqual([ref.A5]);
    expect(rowsOf(body, 'organisations-table')).toEqual([['Ministerio de Salud', '2', '2', '0', '1']]);
    expect(rowsOf(body, 'officers-table')).toEqual([['Beto Huamán', '2', '2', '0', '1']]);
    expect(rowsOf(body, 'age-table').map((r) => r[1])).toEqual(['2', '0', '0', '0']);
    expect(rowsOf(body, 'sla-table').map((r) => r[1])).toEqual(['1', '1', '1', '0']);
    expect(body).toContain('Cifras filtradas por: Equipo: Datos abiertos.');

    // Every table has a CSV link, and each carries the filter and the date range.
    const tables = [...body.matchAll(/<table id="([\w-]+)-table">/g)].map((m) => m[1]);
    const links = [...body.matchAll(/href="(\/mesa\/panel\?[^"]*format=csv[^"]*)"/g)].map((m) =>
      m[1]!.replace(/&amp;/g, '&'),
    );
    expect(links.map((l) => new URL(l, stack.web).searchParams.get('table')).sort()).toEqual(
      [...tables].sort(),
    );
    expect(tables).toHaveLength(10);
    for (const link of links) {
      const params = new URL(link, stack.web).searchParams;
      expect(params.get('equipo')).toBe(team);
      expect(params.get('desde')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(params.get('hasta')).toBe('2026-03-05');
    }
    const levels = await csvOf(a.manager.email, 'levels', `&equipo=${team}`);
    expect(levels[1]!.split(',').slice(0, 3)).toEqual(['firstResponse', '0.5', '2']);
    expect(await csvOf(a.manager.email, 'organisations', `&equipo=${team}`)).toEqual([
      'organisation,received,open,resolved,sla_breached',
      'Ministerio de Salud,2,2,0,1',
    ]);
    expect((await csvOf(a.manager.email, 'weekly', `&equipo=${team}`)).at(-1)).toBe('2026-03-02,2,0');

    // By officer: Ana has A1–A3.
    const ana = await pageOf(a.manager.email, `?persona=${a.officerA._id}`);
    expect(rowsOf(ana, 'teams-table')[0]).toEqual(['Triaje', 'Ministerio de Salud', '3', '1', '2', '2']);
    expect(rowsOf(ana, 'breaches-table').map((r) => r[0])).toEqual([ref.A3, ref.A2]);
    // Unfiltered, for contrast: levels over all five tickets of A (A1, A4 in time; A2, A3, A5 late).
    const all = await csvOf(a.manager.email, 'levels');
    expect(all[1]!.split(',').slice(0, 3)).toEqual(['firstResponse', '0.4', '5']);
  });

  it('lets an admin see every organisation and narrow to one; demand per institution', async () => {
    const body = await pageOf(a.admin.email);
    expect(rowsOf(body, 'breaches-table').map((r) => r[0])).toEqual([ref.A3, ref.B2, ref.A5, ref.A2]);
    expect(rowsOf(body, 'demand-organisations-table')).toEqual([
      ['Ministerio de Salud -c', '2', '4'],
      ['Ministerio de Salud -b', '1', '2'],
    ]);
    expect(await csvOf(a.admin.email, 'demand-organisations')).toEqual([
      'organisation,open_requests,supporters',
      'Ministerio de Salud -c,2,4',
      'Ministerio de Salud -b,1,2',
    ]);
    // Teams of several organisations: the select says whose each one is.
    expect(body).toContain('Triaje — Ministerio de Salud -b');

    const only = `?institucion=${b.organisation._id}`;
    const narrowed = await pageOf(a.admin.email, only);
    expect(rowsOf(narrowed, 'organisations-table')).toEqual([['Ministerio de Salud -b', '3', '3', '0', '1']]);
    expect(rowsOf(narrowed, 'breaches-table').map((r) => r[0])).toEqual([ref.B2]);
    expect(rowsOf(narrowed, 'teams-table')).toEqual([
      ['Triaje', 'Ministerio de Salud -b', '3', '3', '0', '1'],
    ]);
    expect(rowsOf(narrowed, 'demand-organisations-table')).toEqual([['Ministerio de Salud -b', '1', '2']]);
    expect(rowsOf(narrowed, 'demand-table').map((r) => r[0])).toEqual([
      'Padrón de establecimientos de salud',
    ]);
    // The slug works as well as the id.
    const bySlug = await csvOf(a.admin.email, 'organisations', `&institucion=${b.organisation.slug}`);
    expect(bySlug).toEqual([
      'organisation,received,open,resolved,sla_breached',
      'Ministerio de Salud -b,3,3,0,1',
    ]);
  });

  it("keeps an officer to their organisation's figures, whatever the URL asks for", async () => {
    const officer = a.officerA.email;
    const body = await pageOf(officer, `?institucion=${b.organisation._id}&equipo=${b.team._id}`);
    expect(body).toContain('La institución pedida no existe o no está a su alcance');
    expect(body).toContain('El equipo pedido no existe o no está a su alcance');
    expect(body).not.toContain('Ministerio de Salud -b');
    expect(body).not.toContain(ref.B2);
    expect(rowsOf(body, 'organisations-table')).toEqual([['Ministerio de Salud', '5', '3', '2', '3']]);
    expect(rowsOf(body, 'breaches-table').map((r) => r[0])).toEqual([ref.A3, ref.A5, ref.A2]);
    for (const table of ['organisations', 'breaches', 'teams', 'demand-organisations']) {
      const csv = await csvOf(officer, table, `&institucion=${b.organisation._id}`);
      expect(csv.join('\n')).not.toContain('-b');
      expect(csv.join('\n')).not.toContain(ref.B2);
    }
    expect(
      await csvOf(officer, 'organisations', `&institucion=${b.organisation.slug}&persona=${b.officerA._id}`),
    ).toEqual(['organisation,received,open,resolved,sla_breached', 'Ministerio de Salud,5,3,2,3']);
  });

  it('answers bad filter values with the unfiltered page and a message, never an error', async () => {
    const manager = a.manager.email;
    for (const query of [
      '?institucion=..%2F..%2Fetc',
      '?institucion=%00',
      '?institucion=minsa&institucion=minsa-b',
      '?equipo=123',
      `?equipo=${'f'.repeat(24)}`,
      '?persona=%7B%22%24ne%22%3A1%7D',
      '?desde=2026-02-31',
      '?desde=ayer&hasta=',
    ]) {
      const body = await pageOf(manager, query);
      expect(body, query).toContain('class="notice warn"');
      expect(weeklyReceived(body), query).toBe(5);
      expect(rowsOf(body, 'teams-table'), query).toHaveLength(3);
      const csv = await csvOf(manager, 'teams', query.replace('?', '&'));
      expect(csv[1], query).toBe('Triaje,Ministerio de Salud,3,1,2,2');
    }
    // A team of another institution than the one chosen: the team is dropped, the institution kept.
    const mixed = await pageOf(a.admin.email, `?institucion=${b.organisation._id}&equipo=${datos._id}`);
    expect(mixed).toContain('El equipo pedido no pertenece a la institución elegida');
    expect(rowsOf(mixed, 'organisations-table')).toEqual([['Ministerio de Salud -b', '3', '3', '0', '1']]);
    // Dates the wrong way round are swapped, and said so.
    const swapped = await pageOf(manager, '?desde=2026-03-05&hasta=2026-03-01');
    expect(swapped).toContain('se intercambiaron');
    expect(swapped).toContain('value="2026-03-01"');
    expect(rowsOf(swapped, 'teams-table')[0]).toEqual(['Triaje', 'Ministerio de Salud', '3', '1', '2', '2']);
  });
});
