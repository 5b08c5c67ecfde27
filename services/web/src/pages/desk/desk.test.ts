import { linkToken, openTicket, verifyReporterEmail } from '@quipu/commands';
import { useHarness } from '@quipu/test/harness';
import { seedDirectory } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventWords } from '../../event-words.ts';
import { translator } from '../../i18n/index.ts';
import {
  deskSessions,
  postForm,
  signInThroughForm,
  startWebStack,
  verifiedComplaint,
} from '../../test-support.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startWebStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
/** One session per person for the whole file (`signInPage.fresh` for one that is not kept). */
let signInPage: ReturnType<typeof deskSessions>;

beforeAll(async () => {
  stack = await startWebStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
  signInPage = deskSessions(stack.web, directory.password, { volver: '/mesa?vista=mine' });
});

const newComplaint = (title: string) => verifiedComplaint(stack, directory.dataset.slug, title);

describe('the desk', () => {
  it('sends anonymous visitors to the login page, and refuses anonymous POSTs', async () => {
    const response = await fetch(`${stack.web}/mesa/panel`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/mesa/ingresar?volver=%2Fmesa%2Fpanel');
    const post = await postForm(`${stack.web}/mesa/tickets/Q-2026-000001/comentarios`, { body: 'x' });
    expect(post.status).toBe(401);
    expect(post.headers.get('content-type')).toContain('text/html');
  });

  it('says when the password is wrong, refuses a login form from elsewhere and never redirects off the desk', async () => {
    const wrong = await signInThroughForm(stack.web, directory.officerA.email, 'nope');
    expect(wrong.response.status).toBe(401);
    expect(await wrong.response.text()).toContain('Correo o contraseña incorrectos');
    expect(wrong.cookie).toBe('');
    const forged = await postForm(`${stack.web}/mesa/ingresar`, {
      email: directory.officerA.email,
      password: directory.password,
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('set-cookie') ?? '').not.toContain('quipu_session');
    const offsite = await signInThroughForm(
      stack.web,
      directory.officerA.email,
      directory.password,
      '//evil.example/mesa',
    );
    expect(offsite.response.headers.get('location')).toBe('/mesa');
  });

  it('lets an officer reply, note, triage, and resolve with PRG, refusing forms without the CSRF token', async () => {
    const ticket = await newComplaint('Fechas en el futuro (mesa)');
    const officer = await signInPage(directory.officerA.email);
    const ticketUrl = `${stack.web}/mesa/tickets/${ticket.ref}`;

    const inbox = await (await fetch(`${stack.web}/mesa`, { headers: { cookie: officer.cookie } })).text();
    expect(inbox).toContain(`/mesa/tickets/${ticket.ref}`);
    expect(inbox).toContain('Nuevo');

    const view = await (await fetch(ticketUrl, { headers: { cookie: officer.cookie } })).text();
    expect(view).toContain('rosa@example.pe');
    expect(view).toContain('value="triage"');

    const noCsrf = await postForm(
      `${ticketUrl}/comentarios`,
      { body: 'Hola', visibility: 'public' },
      { cookie: officer.cookie },
    );
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.text()).toContain('El formulario caducó');

    const reply = await postForm(
      `${ticketUrl}/comentarios`,
      { _csrf: officer.csrf, body: 'Gracias, lo revisamos con la DIRIS.', visibility: 'public' },
      { cookie: officer.cookie },
    );
    expect(reply.status).toBe(303);
    expect(reply.headers.get('location')).toBe(`/mesa/tickets/${ticket.ref}?hecho=comentario`);
    await postForm(
      `${ticketUrl}/comentarios`,
      { _csrf: officer.csrf, body: 'Nota interna: revisar el ETL.', visibility: 'internal' },
      { cookie: officer.cookie },
    );

    const triaged = await postForm(
      `${ticketUrl}/transiciones`,
      { _csrf: officer.csrf, action: 'triage' },
      { cookie: officer.cookie },
    );
    expect(triaged.status).toBe(303);
    const missing = await postForm(
      `${ticketUrl}/transiciones`,
      { _csrf: officer.csrf, action: 'resolve', resolution: '' },
      { cookie: officer.cookie },
    );
    expect(missing.status).toBe(400);
    const missingText = await missing.text();
    expect(missingText).toContain('id="resolve-resolution-error"');
    expect(missingText).toContain('href="#resolve-resolution"');

    const resolved = await postForm(
      `${ticketUrl}/transiciones`,
      { _csrf: officer.csrf, action: 'resolve', resolution: 'Se corrigieron 12 fechas.' },
      { cookie: officer.cookie },
    );
    expect(resolved.status).toBe(303);
    const after = await (
      await fetch(`${ticketUrl}?hecho=estado`, { headers: { cookie: officer.cookie } })
    ).text();
    expect(after).toContain('Estado actualizado');
    expect(after).toContain('Resuelto');

    const publicPage = await (await fetch(`${stack.web}/tickets/${ticket.ref}`)).text();
    expect(publicPage).toContain('Gracias, lo revisamos con la DIRIS.');
    expect(publicPage).not.toContain('Nota interna');
    expect(publicPage).not.toContain('rosa@example.pe');
  });

  it('assigns and sets priority; refuses tickets outside the officer’s organisation', async () => {
    const ticket = await newComplaint('Asignar este caso');
    const lead = await signInPage(directory.lead.email);
    const before = await stack.commands.tickets.findByRef({ kind: 'everything' }, ticket.ref);
    const target =
      String(before?.assigneeId) === String(directory.officerA._id) ? directory.officerB : directory.officerA;
    const ticketUrl = `${stack.web}/mesa/tickets/${ticket.ref}`;
    const assigned = await postForm(
      `${ticketUrl}/asignacion`,
      { _csrf: lead.csrf, teamId: String(directory.team._id), assigneeId: String(target._id) },
      { cookie: lead.cookie },
    );
    expect(
      assigned.status,
      await assigned
        .clone()
        .text()
        .then((t) => /role="alert">([^<]*)/.exec(t)?.[1]),
    ).toBe(303);
    const priority = await postForm(
      `${ticketUrl}/prioridad`,
      { _csrf: lead.csrf, priority: 'high' },
      { cookie: lead.cookie },
    );
    expect(priority.status).toBe(303);
    const stored = await stack.commands.tickets.findByRef({ kind: 'everything' }, ticket.ref);
    expect(String(stored?.assigneeId)).toBe(String(target._id));
    expect(stored?.priority).toBe('high');

    const other = await seedDirectory(stack.commands, '-otro');
    const stranger = await signInPage(other.officerA.email);
    expect((await fetch(ticketUrl, { headers: { cookie: stranger.cookie } })).status).toBe(404);
  });

  it('merges duplicates, links a dataset and transfers to another institution', async () => {
    const survivor = await newComplaint('Caso que se mantiene');
    const victim = await newComplaint('Caso duplicado');
    const admin = await signInPage(directory.admin.email);
    const url = (ref: string) => `${stack.web}/mesa/tickets/${ref}`;

    const unknown = await postForm(
      `${url(victim.ref)}/duplicado`,
      { _csrf: admin.csrf, into: 'Q-1999-000999' },
      { cookie: admin.cookie },
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('id="merge-into-error"');
    const merged = await postForm(
      `${url(victim.ref)}/duplicado`,
      { _csrf: admin.csrf, into: survivor.ref },
      { cookie: admin.cookie },
    );
    expect(merged.status).toBe(303);
    expect((await stack.commands.tickets.findByRef({ kind: 'everything' }, victim.ref))?.status).toBe(
      'duplicate',
    );

    const badLink = await postForm(
      `${url(survivor.ref)}/conjunto`,
      { _csrf: admin.csrf, dataset: 'no-existe' },
      { cookie: admin.cookie },
    );
    expect(badLink.status).toBe(400);
    expect(await badLink.text()).toContain('id="link-dataset-error"');

    const other = await seedDirectory(stack.commands, '-mef');
    const noReason = await postForm(
      `${url(survivor.ref)}/derivacion`,
      { _csrf: admin.csrf, organisation: other.organisation.slug, reason: '' },
      { cookie: admin.cookie },
    );
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('id="transfer-reason-error"');
    const transferred = await postForm(
      `${url(survivor.ref)}/derivacion`,
      { _csrf: admin.csrf, organisation: other.organisation.slug, reason: 'Los datos son del MEF.' },
      { cookie: admin.cookie },
    );
    expect(transferred.status).toBe(303);
    const stored = await stack.commands.tickets.findByRef({ kind: 'everything' }, survivor.ref);
    expect(String(stored?.organisationId)).toBe(String(other.organisation._id));
  });

  it('plans a data request for a date and publishes it with the dataset named by its slug', async () => {
    const { ticket } = await openTicket(stack.commands, {
      kind: 'data_request',
      title: 'Padrón de establecimientos',
      description: 'Con coordenadas y horarios de atención.',
      organisation: directory.organisation.slug,
      reporter: { email: 'pedro@example.pe', language: 'es' },
      consent: true,
    });
    await verifyReporterEmail(
      stack.commands,
      linkToken(stack.runtime.config.session.secret, 'verification', String(ticket._id)),
    );
    const officer = await signInPage(directory.officerA.email);
    const url = `${stack.web}/mesa/tickets/${ticket.ref}/transiciones`;
    const view = await (
      await fetch(`${stack.web}/mesa/tickets/${ticket.ref}`, { headers: { cookie: officer.cookie } })
    ).text();
    expect(view).toContain('id="plan-expectedDate" name="expectedDate"');
    expect(view).toMatch(/<input type="date" id="plan-expectedDate"/);
    const planned = await postForm(
      url,
      { _csrf: officer.csrf, action: 'plan', expectedDate: '2031-03-01' },
      { cookie: officer.cookie },
    );
    expect(planned.status).toBe(303);
    const unknown = await postForm(
      url,
      { _csrf: officer.csrf, action: 'publish', datasetId: 'no-existe' },
      { cookie: officer.cookie },
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('id="publish-datasetId-error"');
    const published = await postForm(
      url,
      { _csrf: officer.csrf, action: 'publish', datasetId: directory.dataset.slug },
      { cookie: officer.cookie },
    );
    expect(published.status).toBe(303);
    const stored = await stack.commands.tickets.findByRef({ kind: 'everything' }, ticket.ref);
    expect(stored?.status).toBe('published');
    expect(String(stored?.fulfilledByDatasetId)).toBe(String(directory.dataset._id));
  });

  it('filters the inbox by saved view, kind, status and text, with counts per status', async () => {
    const ticket = await newComplaint('Filtro de bandeja: enlace caído');
    const stored = await stack.commands.tickets.findByRef({ kind: 'everything' }, ticket.ref);
    // The team's round robin includes its lead.
    const team = [directory.officerA, directory.officerB, directory.lead];
    const owner = team.find((u) => String(u._id) === String(stored?.assigneeId))!;
    const other = team.find((u) => u !== owner)!;
    const mine = await signInPage(owner.email);
    const theirs = await signInPage(other.email);
    const inbox = async (session: { cookie: string }, query: string) =>
      await (await fetch(`${stack.web}/mesa?${query}`, { headers: { cookie: session.cookie } })).text();
    expect(await inbox(mine, 'vista=mine')).toContain(ticket.ref);
    expect(await inbox(theirs, 'vista=mine')).not.toContain(ticket.ref);
    expect(await inbox(mine, 'vista=unassigned')).not.toContain(ticket.ref);
    expect(await inbox(mine, 'tipo=complaint&q=enlace%20ca%C3%ADdo')).toContain(ticket.ref);
    expect(await inbox(mine, 'tipo=data_request')).not.toContain(ticket.ref);
    expect(await inbox(mine, 'estado=closed')).not.toContain(ticket.ref);
    expect(await inbox(mine, 'vista=waiting')).not.toContain(ticket.ref);
    expect(await inbox(mine, '')).toMatch(/Nuevo<\/a>: <strong>\d+<\/strong>/);
  });

  it('signs out with a POST carrying the token', async () => {
    const officer = await signInPage.fresh(directory.officerB.email);
    // Public pages are cacheable, except for a signed-in person (they carry the CSRF token).
    expect((await fetch(`${stack.web}/transparencia`)).headers.get('cache-control')).toBe(
      'public, max-age=60',
    );
    const signedIn = await fetch(`${stack.web}/transparencia`, { headers: { cookie: officer.cookie } });
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    const out = await postForm(
      `${stack.web}/mesa/salir`,
      { _csrf: officer.csrf },
      { cookie: officer.cookie },
    );
    expect(out.status).toBe(303);
    expect(
      (await fetch(`${stack.web}/mesa`, { headers: { cookie: officer.cookie }, redirect: 'manual' })).status,
    ).toBe(303);
  });

  it('explains the routing in the reader’s language, from the decision’s data', async () => {
    const ticket = await newComplaint('Fechas imposibles en la columna FECHA_CORTE');
    const officer = await signInPage(directory.officerA.email);
    const page = async (lang: string) =>
      await (
        await fetch(`${stack.web}/mesa/tickets/${ticket.ref}?lang=${lang}`, {
          headers: { cookie: officer.cookie },
        })
      ).text();
    const es = await page('es');
    // The seeded directory has no team for the health rules: the default team, in rotation.
    expect(es).toContain('Ninguna regla coincidió: equipo por defecto, triaje.');
    expect(es).toContain('Asignado por turno.');
    expect(es).not.toContain('no rule matched');
    const en = await page('en');
    expect(en).toContain('No rule matched: default team, triaje.');
    expect(en).toContain('Assigned in rotation.');
  });

  it('puts SLA, retention and quality status events into words, and keeps the stored reason for old events', () => {
    const es = translator('es');
    const en = translator('en');
    const when = (at: Date | string) => new Date(at).toISOString().slice(0, 10);
    const due = '2026-03-02T15:00:00.000Z';
    expect(eventWords(es, { type: 'sla_warning', fields: { target: 'resolution', due } }, when)).toBe(
      'El plazo de solución está por vencer: vence el 2026-03-02.',
    );
    expect(eventWords(en, { type: 'sla_breached', fields: { target: 'firstResponse', due } }, when)).toBe(
      'The first response deadline was missed (2026-03-02).',
    );
    expect(
      eventWords(es, { type: 'sla_escalated', fields: { target: 'resolution', due, level: 2 } }, when),
    ).toBe('Plazo de solución vencido (2026-03-02): escalado al nivel 2.');
    expect(eventWords(es, { type: 'reporter_anonymised', fields: { months: 24 } })).toBe(
      'Datos personales del solicitante eliminados: el caso se cerró hace más de 24 meses.',
    );
    const report = { reportId: 'r1', reportUrl: '/api/v1/reports/r1' };
    expect(eventWords(es, { type: 'status_changed', action: 'auto_resolve', fields: report })).toBe(
      'La comprobación de calidad pasó. Informe: /api/v1/reports/r1',
    );
    expect(eventWords(en, { type: 'status_changed', action: 'regress', fields: report })).toBe(
      'The quality check failed again. Report: /api/v1/reports/r1',
    );
    expect(eventWords(es, { type: 'quality_check_failed', fields: { ...report, family: 'metadata' } })).toBe(
      'Faltan metadatos obligatorios del conjunto de datos. Informe: /api/v1/reports/r1',
    );
    // Events stored before the data was kept, and events of other types: the stored reason is shown.
    for (const entry of [
      { type: 'moderation_flagged' },
      { type: 'hidden_pending_moderation', fields: {} },
      { type: 'reporter_anonymised' },
      { type: 'status_changed', action: 'resolve', fields: report },
      { type: 'deadline_extended', fields: {} },
      { type: 'something_new', fields: { flags: 3 } },
    ])
      expect(eventWords(es, entry), entry.type).toBeNull();
  });

  it('serves the desk’s keyboard-shortcut script from a hashed, immutable URL, only on desk pages', async () => {
    const ticket = await newComplaint('Atajos en la página del caso');
    const officer = await signInPage(directory.officerA.email);
    const inbox = await (await fetch(`${stack.web}/mesa`, { headers: { cookie: officer.cookie } })).text();
    const src = /<script src="(\/static\/desk\.js\?v=([0-9a-f]{12}))" defer><\/script>/.exec(inbox);
    expect(src).not.toBeNull();
    const [, url, hash] = src!;
    // The hooks the script needs, and the list of shortcuts for everyone (no JavaScript needed to read it).
    expect(inbox).toContain('<table data-shortcuts="inbox">');
    expect(inbox).toContain('<details class="shortcuts" id="shortcuts"');
    expect(inbox).toContain('<dialog class="shortcuts-dialog" id="shortcuts-dialog"');
    expect(inbox).toContain('<kbd>g</kbd> luego <kbd>u</kbd>');
    const english = await (
      await fetch(`${stack.web}/mesa?lang=en`, { headers: { cookie: officer.cookie } })
    ).text();
    expect(english).toContain('Keyboard shortcuts');

    const script = await fetch(`${stack.web}${url}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('etag')).toBe(`"${hash}"`);
    expect(await script.text()).toContain("'use strict'");
    const again = await fetch(`${stack.web}${url}`, { headers: { 'if-none-match': `"${hash}"` } });
    expect(again.status).toBe(304);
    // Without the hash (an old or hand-typed URL) it may change: cached briefly only.
    expect((await fetch(`${stack.web}/static/desk.js`)).headers.get('cache-control')).toBe(
      'public, max-age=300',
    );

    const ticketPage = await (
      await fetch(`${stack.web}/mesa/tickets/${ticket.ref}`, { headers: { cookie: officer.cookie } })
    ).text();
    expect(ticketPage).toContain(`<script src="${url}" defer></script>`);
    for (const path of ['/', '/reportar', '/solicitudes', '/transparencia', '/mesa/ingresar'])
      expect(await (await fetch(`${stack.web}${path}`)).text(), path).not.toContain('desk.js');
  });
});
