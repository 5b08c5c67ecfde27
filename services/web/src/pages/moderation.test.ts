import {
  addComment,
  createOrganisation,
  createUser,
  flag,
  linkToken,
  openTicket,
  staffPrincipal,
  verifyReporterEmail,
} from '@quipu/commands';
import { useHarness } from '@quipu/test/harness';
import { seedDirectory, signIn } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { deskSessions, postForm, signInThroughForm, startWebStack } from '../test-support.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startWebStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
let officer: { cookie: string; csrf: string };

beforeAll(async () => {
  stack = await startWebStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
  officer = await deskSessions(stack.web, directory.password)(directory.officerA.email);
});

async function complaint(title: string, description: string, verified = true) {
  const { ticket } = await openTicket(stack.commands, {
    kind: 'complaint',
    category: 'wrong_data',
    title,
    description,
    dataset: directory.dataset.slug,
    reporter: { email: 'rosa@example.pe', name: 'Rosa Mamani', language: 'es' },
    consent: true,
  });
  if (verified)
    await verifyReporterEmail(
      stack.commands,
      linkToken(stack.runtime.config.session.secret, 'verification', String(ticket._id)),
    );
  return ticket;
}

const queuePage = async (cookie = officer.cookie) =>
  await (await fetch(`${stack.web}/mesa/moderacion`, { headers: { cookie } })).text();
const publicStatus = async (ref: string) => (await fetch(`${stack.web}/tickets/${ref}`)).status;

describe('the moderation queue', () => {
  it('holds spam-suspected tickets with the words that matched, and publishes them on decision', async () => {
    const spam = await complaint('Datos del casino', 'Gane en el casino con bitcoin, las cifras están mal.');
    expect(await publicStatus(spam.ref)).toBe(404);
    const before = await queuePage();
    expect(before).toContain(spam.ref);
    expect(before).toMatch(/Palabras sospechosas: casino, bitcoin|Palabras sospechosas: bitcoin, casino/);

    const decided = await postForm(
      `${stack.web}/mesa/moderacion/${spam.ref}`,
      { _csrf: officer.csrf, decision: 'publish' },
      { cookie: officer.cookie },
    );
    expect(decided.status).toBe(303);
    expect(decided.headers.get('location')).toBe(`/mesa/moderacion?hecho=public&ref=${spam.ref}`);
    const afterResponse = await fetch(`${stack.web}${decided.headers.get('location')}`, {
      headers: { cookie: officer.cookie },
    });
    if (afterResponse.status !== 200) console.log(await afterResponse.text());
    const after = await (
      await fetch(`${stack.web}${decided.headers.get('location')}`, { headers: { cookie: officer.cookie } })
    ).text();
    expect(after).toContain(`El caso ${spam.ref} ya es público.`);
    expect(after).not.toContain(`href="/mesa/tickets/${spam.ref}"`);
    expect(await publicStatus(spam.ref)).toBe(200);
  });

  it('holds tickets hidden by readers’ flags, and keeps them hidden (out of the queue) on decision', async () => {
    const ticket = await complaint('Fechas futuras en fallecidos', 'Hay filas con fecha 2031-01-05.');
    expect(await publicStatus(ticket.ref)).toBe(200);
    for (const client of ['a', 'b', 'c'])
      await flag(stack.commands, { ticket: ticket.ref, clientKey: client });
    expect(await publicStatus(ticket.ref)).toBe(404);
    expect(await queuePage()).toContain('Ocultado tras 3 denuncias');

    // The same queue through the JSON API.
    const api = await signIn(stack.web, directory.officerB.email, directory.password);
    const listed = (await (await api.request('/api/v1/staff/tickets?view=moderation')).json()) as {
      items: Array<{ ref: string }>;
    };
    expect(listed.items.map((i) => i.ref)).toContain(ticket.ref);

    const decided = await postForm(
      `${stack.web}/mesa/moderacion/${ticket.ref}`,
      { _csrf: officer.csrf, decision: 'hide' },
      { cookie: officer.cookie },
    );
    expect(decided.headers.get('location')).toBe(`/mesa/moderacion?hecho=hidden&ref=${ticket.ref}`);
    expect(await queuePage()).not.toContain(`href="/mesa/tickets/${ticket.ref}"`);
    expect(await publicStatus(ticket.ref)).toBe(404);
    const staffView = await (
      await fetch(`${stack.web}/mesa/tickets/${ticket.ref}`, { headers: { cookie: officer.cookie } })
    ).text();
    expect(staffView).toContain(ticket.title);
  });

  it('says on the officer’s ticket page why a ticket was held or hidden, in the reader’s language', async () => {
    const spam = await complaint('Sorteo del casino', 'Gane en el casino con bitcoin, las cifras están mal.');
    const flagged = await complaint('Totales que no cuadran', 'La suma de la columna TOTAL no coincide.');
    for (const client of ['d', 'e', 'f'])
      await flag(stack.commands, { ticket: flagged.ref, clientKey: client });
    const staffPage = async (ref: string, lang: string) =>
      await (
        await fetch(`${stack.web}/mesa/tickets/${ref}?lang=${lang}`, { headers: { cookie: officer.cookie } })
      ).text();

    const spamEs = await staffPage(spam.ref, 'es');
    expect(spamEs).toMatch(
      /Retenido para revisión: el texto contiene palabras asociadas a correo no deseado \((casino, bitcoin|bitcoin, casino)\)\./,
    );
    expect(spamEs).not.toContain('spam words');
    const spamEn = await staffPage(spam.ref, 'en');
    expect(spamEn).toMatch(
      /Held for review: the text contains words associated with spam \((casino, bitcoin|bitcoin, casino)\)\./,
    );
    expect(spamEn).not.toContain('spam words');

    const flaggedEs = await staffPage(flagged.ref, 'es');
    expect(flaggedEs).toContain('Ocultado al público por denuncias de lectores (total: 3).');
    expect(flaggedEs).not.toContain('3 flags');
    const flaggedEn = await staffPage(flagged.ref, 'en');
    expect(flaggedEn).toContain('Hidden from the public after readers’ reports (total: 3).');
    expect(flaggedEn).not.toContain('3 flags');
  });

  it('holds comments hidden by flags under their ticket, and shows them again on decision', async () => {
    const ticket = await complaint('Columna de distrito vacía', 'La columna DISTRITO está vacía en 2024.');
    const principal = await staffPrincipal(stack.commands, directory.officerA);
    const { commentId } = await addComment(stack.commands, principal, {
      ticket: ticket.ref,
      body: 'Estamos revisando el archivo con la DIRIS.',
      visibility: 'public',
    });

    for (const client of ['x', 'y', 'z'])
      await flag(stack.commands, { ticket: ticket.ref, commentId, clientKey: client });
    expect(await (await fetch(`${stack.web}/tickets/${ticket.ref}`)).text()).not.toContain('con la DIRIS');
    const held = await queuePage();
    expect(held).toContain('1 comentario(s) ocultados por denuncias');
    expect(held).toContain('Estamos revisando el archivo con la DIRIS.');
    const staffPage = await (
      await fetch(`${stack.web}/mesa/tickets/${ticket.ref}`, { headers: { cookie: officer.cookie } })
    ).text();
    expect(staffPage).toContain('Comentario ocultado al público por denuncias de lectores (total: 3).');
    // The ticket itself is public: only the comment awaits a decision.
    expect(held).not.toContain(`action="/mesa/moderacion/${ticket.ref}"`);

    const shown = await postForm(
      `${stack.web}/mesa/moderacion/${ticket.ref}/comentarios/${commentId}`,
      { _csrf: officer.csrf, decision: 'publish' },
      { cookie: officer.cookie },
    );
    expect(shown.headers.get('location')).toBe(`/mesa/moderacion?hecho=comentario-visible&ref=${ticket.ref}`);
    expect(await queuePage()).not.toContain(`href="/mesa/tickets/${ticket.ref}"`);
    expect(await (await fetch(`${stack.web}/tickets/${ticket.ref}`)).text()).toContain('con la DIRIS');
    const unknown = await postForm(
      `${stack.web}/mesa/moderacion/${ticket.ref}/comentarios/no-such-comment`,
      { _csrf: officer.csrf, decision: 'hide' },
      { cookie: officer.cookie },
    );
    expect(unknown.status).toBe(404);
  });

  it('refuses bad decisions, forged forms, anonymous visitors and tickets of other institutions', async () => {
    const held = await complaint('Préstamo rápido', 'préstamo rápido y cifras erradas', false);
    const bad = await postForm(
      `${stack.web}/mesa/moderacion/${held.ref}`,
      { _csrf: officer.csrf, decision: 'delete' },
      { cookie: officer.cookie },
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Elija publicar o mantener oculto.');
    const forged = await postForm(
      `${stack.web}/mesa/moderacion/${held.ref}`,
      { decision: 'publish' },
      { cookie: officer.cookie },
    );
    expect(forged.status).toBe(403);
    const anonymous = await fetch(`${stack.web}/mesa/moderacion`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/mesa/ingresar?volver=%2Fmesa%2Fmoderacion');

    const other = await createOrganisation(stack.commands, { slug: 'sunat', name: 'SUNAT' });
    await createUser(stack.commands, {
      email: 'olga@sunat.gob.pe',
      name: 'Olga Paz',
      password: directory.password,
      roles: ['officer'],
      organisations: [String(other._id)],
    });
    const outsider = await signInThroughForm(stack.web, 'olga@sunat.gob.pe', directory.password);
    const outsiderQueue = await queuePage(outsider.cookie);
    expect(outsiderQueue).not.toContain(held.ref);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(outsiderQueue)![1]!;
    const refused = await postForm(
      `${stack.web}/mesa/moderacion/${held.ref}`,
      { _csrf: csrf, decision: 'publish' },
      { cookie: outsider.cookie },
    );
    expect(refused.status).toBe(404);
    // Nothing changed: still held, and an unverified sender's case is only approved, not public.
    expect(await queuePage()).toContain(held.ref);
    const approved = await postForm(
      `${stack.web}/mesa/moderacion/${held.ref}`,
      { _csrf: officer.csrf, decision: 'publish' },
      { cookie: officer.cookie },
    );
    expect(approved.headers.get('location')).toBe(`/mesa/moderacion?hecho=pending&ref=${held.ref}`);
    expect(await publicStatus(held.ref)).toBe(404);
  });
});
