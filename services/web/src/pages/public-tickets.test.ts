import { linkToken, openTicket, staffPrincipal, transitionTicket } from '@quipu/commands';
import { useHarness } from '@quipu/test/harness';
import { seedDirectory } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, startWebStack } from '../test-support.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startWebStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
const reporter = { email: 'rosa.mamani@example.pe', name: 'Rosa Mamani', language: 'es' as const };

beforeAll(async () => {
  stack = await startWebStack(harness, { workers: ['notify'] });
  directory = await seedDirectory(stack.commands);
});

/** The confirmation token of the acknowledgement e-mail, derived as the notify worker derives it. */
function verificationOf(ticket: { _id: unknown }) {
  return linkToken(stack.runtime.config.session.secret, 'verification', String(ticket._id));
}

async function complaint(title = 'Fechas de fallecimiento en el futuro') {
  return await openTicket(stack.commands, {
    kind: 'complaint',
    category: 'wrong_data',
    title,
    description: 'Hay filas con fecha 2031-01-05 en el archivo de fallecidos.',
    dataset: directory.dataset.slug,
    reporter,
    consent: true,
  });
}

describe('tracking pages', () => {
  it('show the reporter their case, verify by POST only, and never publish before that', async () => {
    const { ticket, trackingToken } = await complaint();
    const tracking = await fetch(`${stack.web}/seguimiento/${trackingToken}`);
    expect(tracking.status).toBe(200);
    expect(tracking.headers.get('cache-control')).toBe('no-store');
    expect(tracking.headers.get('referrer-policy')).toBe('no-referrer');
    const body = await tracking.text();
    expect(body).toContain(ticket.ref);
    expect(body).toContain(reporter.email);
    // The tracking page cannot confirm the address: only the e-mailed link can.
    expect(body).not.toContain('/confirmar"');

    expect((await fetch(`${stack.web}/tickets/${ticket.ref}`)).status).toBe(404);
    const verification = verificationOf(ticket);
    const prefetch = await fetch(`${stack.web}/verificar/${verification}`);
    expect(prefetch.status).toBe(200);
    expect(await prefetch.text()).toContain(`action="/verificar/${verification}"`);
    expect((await fetch(`${stack.web}/tickets/${ticket.ref}`)).status).toBe(404);
    expect((await postForm(`${stack.web}/verificar/${trackingToken}`, {})).status).toBe(404);
    const verified = await postForm(`${stack.web}/verificar/${verification}`, {});
    expect(verified.status).toBe(303);
    expect(verified.headers.get('location')).toBe(`/seguimiento/${trackingToken}?hecho=confirmado`);

    const publicPage = await fetch(`${stack.web}/tickets/${ticket.ref}`);
    expect(publicPage.status).toBe(200);
    const text = await publicPage.text();
    expect(text).toContain('Fechas de fallecimiento en el futuro');
    expect(text).toContain('Ministerio de Salud');
    expect(text).not.toContain(reporter.email);
    expect(text).not.toContain(reporter.name);
    // The due date says how it was computed (business days of the organisation's calendar).
    expect(text).toMatch(/<small class="explain">[^<]*días hábiles/);
  });

  it('answers "was it solved?" only through the POST of the confirmation page', async () => {
    const { ticket, trackingToken } = await complaint('Otra fecha en el futuro');
    const admin = await staffPrincipal(stack.commands, directory.admin);
    for (const action of ['start', 'resolve'])
      await transitionTicket(stack.commands, admin, {
        ticket: ticket.ref,
        action,
        input: { resolution: 'Corregido en la fuente.' },
      });
    const prefetch = await fetch(`${stack.web}/seguimiento/${trackingToken}/resuelto?respuesta=no`);
    expect(prefetch.status).toBe(200);
    expect(await prefetch.text()).toContain('name="respuesta" value="no"');
    expect((await stack.commands.tickets.findByRef({ kind: 'everything' }, ticket.ref))?.status).toBe(
      'resolved',
    );
    const answered = await postForm(`${stack.web}/seguimiento/${trackingToken}/resuelto`, {
      respuesta: 'no',
    });
    expect(answered.status).toBe(303);
    expect((await stack.commands.tickets.findByRef({ kind: 'everything' }, ticket.ref))?.status).toBe(
      'in_progress',
    );

    const reply = await postForm(`${stack.web}/seguimiento/${trackingToken}/responder`, {
      body: '<b>Siguen 3 filas</b>',
    });
    expect(reply.status).toBe(303);
    const after = await (await fetch(`${stack.web}/seguimiento/${trackingToken}?hecho=respondido`)).text();
    expect(after).toContain('&lt;b&gt;Siguen 3 filas&lt;/b&gt;');
    expect(after).toContain('Enviamos su respuesta');

    const empty = await postForm(`${stack.web}/seguimiento/${trackingToken}/responder`, { body: '  ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('id="body-error"');

    expect((await fetch(`${stack.web}/seguimiento/${trackingToken}/baja`)).status).toBe(200);
    expect(
      (await stack.commands.tickets.findByRef({ kind: 'everything' }, ticket.ref))?.reporter?.unsubscribed,
    ).toBe(false);
    expect((await postForm(`${stack.web}/seguimiento/${trackingToken}/baja`, {})).status).toBe(303);
    expect(
      (await stack.commands.tickets.findByRef({ kind: 'everything' }, ticket.ref))?.reporter?.unsubscribed,
    ).toBe(true);
  });

  it('escapes what the reporter wrote on every page that shows it', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const { ticket, trackingToken } = await complaint(`Título ${hostile}`);
    await postForm(`${stack.web}/verificar/${verificationOf(ticket)}`, {});
    for (const path of [
      `/tickets/${ticket.ref}`,
      `/seguimiento/${trackingToken}`,
      `/datos/${directory.dataset.slug}`,
    ]) {
      const text = await (await fetch(`${stack.web}${path}`)).text();
      expect(text, path).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(text, path).not.toContain(hostile);
    }
  });

  it('answers 404 for an unknown link', async () => {
    const response = await fetch(`${stack.web}/seguimiento/${'x'.repeat(43)}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('text/html');
  });
});

describe('public ticket, support and dataset pages', () => {
  it('take support by e-mail, confirmed from the e-mail link with a POST', async () => {
    const { ticket } = await complaint('Apoyen este reclamo');
    await postForm(`${stack.web}/verificar/${verificationOf(ticket)}`, {});
    const bad = await postForm(`${stack.web}/tickets/${ticket.ref}/apoyar`, { email: 'nope' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="support-email-error"');
    const supported = await postForm(`${stack.web}/tickets/${ticket.ref}/apoyar`, {
      email: 'vecina@example.pe',
    });
    expect(supported.status).toBe(303);
    expect(supported.headers.get('location')).toBe(`/tickets/${ticket.ref}?aviso=enviado`);
    const mail = await stack.smtp.waitFor((m) => m.to.includes('vecina@example.pe'), 15_000);
    const path = /\/suscripciones\/[A-Za-z0-9_-]+\/confirmar/.exec(mail.text)![0];
    const confirmPage = await fetch(`${stack.web}${path}`);
    expect(await confirmPage.text()).toContain(`action="${path}"`);
    expect((await stack.commands.tickets.findByRef({ kind: 'public' }, ticket.ref))?.supportersCount).toBe(0);
    expect((await postForm(`${stack.web}${path}`, {})).status).toBe(200);
    expect((await stack.commands.tickets.findByRef({ kind: 'public' }, ticket.ref))?.supportersCount).toBe(1);
    const page = await (await fetch(`${stack.web}/tickets/${ticket.ref}`)).text();
    expect(page).toMatch(/<dt>Apoyos<\/dt><dd>1<\/dd>/);
    expect(page).not.toContain('vecina@example.pe');
    const flagged = await postForm(`${stack.web}/tickets/${ticket.ref}/denunciar`, {});
    expect(flagged.headers.get('location')).toBe(`/tickets/${ticket.ref}?aviso=denunciado`);
    expect((await stack.commands.tickets.findByRef({ kind: 'everything' }, ticket.ref))?.flagCount).toBe(1);
  });

  it('show the quality score of a dataset: badge, grade, stars, and hints for what is missing', async () => {
    await stack.commands.models.Dataset.updateOne(
      { _id: directory.dataset._id },
      {
        $set: {
          quality: {
            score: 62,
            grade: 'C',
            stars: 3,
            criteria: [
              {
                id: 'licence',
                label: { es: 'Licencia', en: 'Licence' },
                earned: 20,
                possible: 20,
                passed: true,
                hint: { es: 'x', en: 'x' },
              },
              {
                id: 'contact-point',
                label: { es: 'Punto de contacto', en: 'Contact point' },
                earned: 0,
                possible: 20,
                passed: false,
                hint: { es: 'Indique un correo de contacto.', en: 'Give a contact e-mail.' },
              },
            ],
          },
        },
      },
    );
    const page = await (await fetch(`${stack.web}/datos/${directory.dataset.slug}`)).text();
    expect(page).toContain(`/badges/datasets/${String(directory.dataset._id)}.svg`);
    expect(page).toContain('★★★☆☆');
    expect(page).toContain('Indique un correo de contacto.');
    expect(page).toMatch(/Punto de contacto<\/th><td class="num">0 \/ 20/);
    const english = await (await fetch(`${stack.web}/datos/${directory.dataset.slug}?lang=en`)).text();
    expect(english).toContain('Give a contact e-mail.');
  });

  it('list data requests on the board and show the dataset page with its open tickets', async () => {
    const { ticket } = await openTicket(stack.commands, {
      kind: 'data_request',
      category: 'health',
      title: 'Padrón de establecimientos con coordenadas',
      description: 'Necesitamos el padrón con latitud y longitud.',
      organisation: directory.organisation.slug,
      reporter,
      consent: true,
    });
    await postForm(`${stack.web}/verificar/${verificationOf(ticket)}`, {});
    const board = await (
      await fetch(`${stack.web}/solicitudes?estado=submitted&institucion=${directory.organisation.slug}`)
    ).text();
    expect(board).toContain(`/tickets/${ticket.ref}`);
    expect(board).not.toContain(reporter.email);
    const none = await (await fetch(`${stack.web}/solicitudes?estado=published`)).text();
    expect(none).not.toContain(`/tickets/${ticket.ref}`);

    const dataset = await fetch(`${stack.web}/datos/${directory.dataset.slug}`);
    expect(dataset.status).toBe(200);
    const text = await dataset.text();
    expect(text).toContain('Fallecidos por COVID-19');
    expect(text).toContain('Fechas de fallecimiento en el futuro');
    expect(text).toContain(`/reportar?dataset=${directory.dataset.slug}`);
    expect(text).toContain('data-dataset=&quot;');
    expect(text).toContain('&lt;noscript&gt;&lt;a href=&quot;');
    expect((await fetch(`${stack.web}/datos/no-existe`)).status).toBe(404);
  });
});
