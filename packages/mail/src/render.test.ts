import { describe, expect, it } from 'vitest';
import type { Lang } from './format.ts';
import type { NotificationKind } from './notification-types.ts';
import { NOTIFICATION_KINDS, render, renderNotification } from './render.ts';
import {
  context,
  expectedLinks,
  fixtures,
  HOSTILE,
  notForReporter,
  REPORTER_EMAIL,
} from './testing/fixtures.ts';

const escapedHref = (url: string): string => `href="${url.replaceAll('&', '&amp;')}"`;

function renderFixture(kind: NotificationKind, lang: Lang, extra: Partial<typeof context> = {}) {
  return render({ kind, data: fixtures[kind] } as Parameters<typeof render>[0], {
    ...context,
    lang,
    ...extra,
  });
}

describe('renderNotification', () => {
  it('covers every notification kind with a fixture', () => {
    expect(NOTIFICATION_KINDS.sort()).toEqual(Object.keys(fixtures).sort());
    expect(NOTIFICATION_KINDS).toHaveLength(14);
  });

  describe.each(NOTIFICATION_KINDS)('%s', (kind) => {
    it('renders in Spanish and in English, with every placeholder filled', () => {
      const es = renderFixture(kind, 'es');
      const en = renderFixture(kind, 'en');
      for (const mail of [es, en]) {
        expect(mail.subject.trim()).not.toBe('');
        expect(mail.subject).not.toMatch(/[\r\n]/);
        expect(mail.text.length).toBeGreaterThan(50);
        expect(mail.html).toContain('<!doctype html>');
        for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/\{\w+\}/);
        expect(mail.text).toContain(context.portalName);
        expect(mail.html).toContain('Datos Abiertos Perú');
      }
      expect(es.html).toContain('<html lang="es">');
      expect(en.html).toContain('<html lang="en">');
      expect(es.headers['Content-Language']).toBe('es');
      expect(en.headers['Content-Language']).toBe('en');
      expect(es.subject).not.toBe(en.subject);
      expect(es.text).not.toBe(en.text);
    });

    it('defaults to Spanish', () => {
      const { lang: _lang, ...noLang } = { ...context, lang: undefined };
      const mail = renderNotification(kind, fixtures[kind] as never, noLang);
      expect(mail).toEqual(renderFixture(kind, 'es'));
    });

    it('never puts hostile input raw into the HTML', () => {
      const mail = renderFixture(kind, 'es');
      expect(mail.html).not.toContain('<script');
      expect(mail.html).not.toContain('<img');
      expect(mail.html).not.toMatch(/<[^>]*onerror=/);
    });

    it('links where it must, in both parts', () => {
      for (const lang of ['es', 'en'] as const) {
        const mail = renderFixture(kind, lang);
        for (const url of expectedLinks[kind]) {
          expect(mail.text).toContain(url);
          expect(mail.html).toContain(escapedHref(url));
        }
      }
    });

    it('adds the one-click unsubscribe headers and footer link only when given a URL', () => {
      const without = renderFixture(kind, 'es');
      expect(without.headers['List-Unsubscribe']).toBeUndefined();
      expect(without.headers['List-Unsubscribe-Post']).toBeUndefined();
      expect(without.text).not.toContain('Dejar de recibir');

      const withUrl = renderFixture(kind, 'es', { unsubscribeUrl: '/suscripciones/baja?t=xyz&k=1' });
      expect(withUrl.headers['List-Unsubscribe']).toBe(
        '<https://datos.example.pe/suscripciones/baja?t=xyz&k=1>',
      );
      expect(withUrl.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
      expect(withUrl.html).toContain(escapedHref('https://datos.example.pe/suscripciones/baja?t=xyz&k=1'));
      expect(withUrl.text).toContain(
        'Dejar de recibir estos correos: https://datos.example.pe/suscripciones/baja',
      );
      expect(withUrl.headers['X-Quipu-Notification']).toBe(kind);
      expect(withUrl.headers['Auto-Submitted']).toBe('auto-generated');
    });
  });

  it('threads every mail about one ticket under the same References id', () => {
    const perTicket = NOTIFICATION_KINDS.filter(
      (kind) => !['daily_digest', 'followers_digest', 'quality_event'].includes(kind),
    );
    for (const kind of perTicket) {
      const mail = renderFixture(kind, 'es');
      expect(mail.headers.References, kind).toBe('<ticket.Q-2026-000123@quipu>');
      expect(mail.headers['In-Reply-To'], kind).toBe('<ticket.Q-2026-000123@quipu>');
    }
    for (const kind of ['daily_digest', 'followers_digest', 'quality_event'] as const) {
      expect(renderFixture(kind, 'es').headers.References, kind).toBeUndefined();
    }
    const { ticket: _t, ...standalone } = fixtures.email_verification;
    expect(renderNotification('email_verification', standalone, context).headers.References).toBeUndefined();
  });

  it('shows the hostile text escaped, not dropped', () => {
    const mail = renderFixture('status_changed', 'es');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img');
    expect(mail.text).toContain(HOSTILE);
  });

  it.each(notForReporter)('%s never shows the reporter e-mail address', (kind) => {
    for (const lang of ['es', 'en'] as const) {
      const mail = renderFixture(kind, lang);
      for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toContain(REPORTER_EMAIL);
    }
  });

  it('has fixtures that do try to leak the reporter e-mail (so the test above can fail)', () => {
    const leaking = notForReporter.filter((kind) => JSON.stringify(fixtures[kind]).includes(REPORTER_EMAIL));
    expect(leaking.sort()).toEqual(['followers_digest', 'public_reply', 'reporter_replied']);
    const reply = renderFixture('public_reply', 'es');
    expect(reply.text).toContain('Una persona usuaria del portal');
    const replied = renderFixture('reporter_replied', 'en');
    expect(replied.text).toContain('The reporter replied on the ticket');
  });

  it('keeps an author display name that is a name', () => {
    const mail = renderNotification(
      'public_reply',
      { ...fixtures.public_reply, authorName: 'Oficina de Transparencia' },
      context,
    );
    expect(mail.text).toContain('Oficina de Transparencia publicó una respuesta');
  });

  it('formats dates in America/Lima by default and in the given time zone otherwise', () => {
    // 15:00 UTC is 10:00 in Lima (UTC-5, no daylight saving).
    const lima = renderFixture('reporter_acknowledgement', 'es');
    expect(lima.text).toContain('10 de diciembre de 2026');
    expect(lima.text).toMatch(/10:00/);
    expect(lima.text).not.toMatch(/15:00/);
    const utc = renderFixture('reporter_acknowledgement', 'en', { timeZone: 'UTC' });
    expect(utc.text).toContain('10 December 2026');
    expect(utc.text).toMatch(/15:00/);
  });

  it('shows status labels in the reader language, and unknown codes as they are', () => {
    const es = renderFixture('status_changed', 'es');
    expect(es.subject).toBe('Q-2026-000123: ahora está «Resuelto»');
    expect(es.text).toContain('Estado anterior: Clasificado');
    const en = renderNotification(
      'status_changed',
      { ...fixtures.status_changed, to: 'on_hold' },
      { ...context, lang: 'en' },
    );
    expect(en.subject).toBe('Q-2026-000123 is now “on_hold”');
  });

  it('labels kind, category and priority with the @quipu/core vocabulary', () => {
    const es = renderFixture('assignment', 'es');
    expect(es.text).toContain('Tipo: Reclamo\nCategoría: Datos desactualizados\nPrioridad: Alta');
    const en = renderFixture('assignment', 'en');
    expect(en.text).toContain('Type: Complaint\nCategory: Outdated data\nPriority: High');
  });

  it('tells when a verification link expires', () => {
    expect(renderFixture('email_verification', 'es').text).toContain(
      'El enlace vence el 28 de noviembre de 2026 a las 10:00',
    );
  });

  it('explains why the reporter or a follower gets a status mail', () => {
    const follower = renderFixture('status_changed', 'es');
    expect(follower.text).toContain('porque sigues este ticket');
    const reporter = renderNotification(
      'status_changed',
      { ...fixtures.status_changed, audience: 'reporter' },
      context,
    );
    expect(reporter.text).toContain('porque enviaste este reporte');
  });

  it('omits the verification prompt once the address is verified', () => {
    const { verificationUrl: _v, ...verified } = fixtures.reporter_acknowledgement;
    const mail = renderNotification('reporter_acknowledgement', verified, context);
    expect(mail.text).not.toContain('Confirma tu correo');
    expect(renderFixture('reporter_acknowledgement', 'es').text).toContain('Confirma tu correo');
  });

  it('cites Ley 27806 and gives the new date in a deadline extension', () => {
    const es = renderFixture('deadline_extension', 'es');
    expect(es.text).toContain('Ley N.° 27806');
    expect(es.text).toContain('Nueva fecha límite: 12 de diciembre de 2026');
    expect(es.text).toContain('Motivo: Volumen de información');
    expect(renderFixture('deadline_extension', 'en').text).toContain('Law No. 27806');
  });

  it('tells the remaining business time in an SLA warning', () => {
    expect(renderFixture('sla_warning', 'es').text).toContain('Tiempo restante: 2 horas 30 minutos');
    expect(renderFixture('sla_warning', 'en').text).toContain('Time left: 2 hours 30 minutes');
    const day = renderNotification(
      'sla_warning',
      { ...fixtures.sla_warning, remainingMinutes: 1441 },
      context,
    );
    expect(day.text).toContain('Tiempo restante: 1 día\n');
    const over = renderNotification('sla_warning', { ...fixtures.sla_warning, remainingMinutes: 0 }, context);
    expect(over.text).toContain('Tiempo restante: plazo vencido');
  });

  it('names the escalation step and role', () => {
    const breach = renderFixture('sla_breach', 'es');
    expect(breach.text).toContain('Nivel de escalamiento: 1 · Jefatura del equipo');
    const escalation = renderFixture('escalation', 'en');
    expect(escalation.subject).toBe('Escalation level 2: Q-2026-000123');
    expect(escalation.text).toContain('Assignee: Unassigned');
  });

  it('summarises digest lists longer than what was sent', () => {
    const mail = renderFixture('daily_digest', 'es');
    expect(mail.subject).toBe('Resumen diario del 27 de noviembre de 2026: Ministerio de Economía');
    expect(mail.text).toContain('Nuevos (3)');
    expect(mail.text).toContain('y 1 más');
    expect(mail.text).toContain('Sin asignar (0)\n---------------\n\nNinguno.');
  });

  it('reads a bare calendar day as that day, whatever the time zone', () => {
    const day = renderNotification('daily_digest', { ...fixtures.daily_digest, date: '2026-11-27' }, context);
    expect(day.subject).toContain('27 de noviembre de 2026');
    // 03:00 UTC on the 28th is still the 27th in Lima.
    const instant = renderNotification(
      'daily_digest',
      { ...fixtures.daily_digest, date: '2026-11-28T03:00:00Z' },
      context,
    );
    expect(instant.subject).toContain('27 de noviembre de 2026');
  });

  it('puts several ticket updates in one followers digest', () => {
    const mail = renderFixture('followers_digest', 'en');
    expect(mail.subject).toBe('Updates on 2 tickets you follow');
    expect(mail.text).toContain('moved from “New” to “In progress”');
    expect(mail.text).toContain('moved from “In progress” to “Closed”');
    const one = renderNotification(
      'followers_digest',
      { updates: fixtures.followers_digest.updates.slice(0, 1) },
      { ...context, lang: 'en' },
    );
    expect(one.subject).toBe('Updates on Q-2026-000123');
  });

  it('distinguishes failing and recovered quality events', () => {
    const failing = renderFixture('quality_event', 'es');
    expect(failing.text).toContain('Resultado: Con problemas');
    expect(failing.text).toContain('Errores encontrados: 42');
    const recovered = renderNotification(
      'quality_event',
      { ...fixtures.quality_event, state: 'recovered' },
      context,
    );
    expect(recovered.text).toContain('Resultado: Recuperado');
    expect(recovered.subject).not.toBe(failing.subject);
  });

  it('refuses links that are not http(s)', () => {
    expect(() =>
      renderNotification('email_verification', { verificationUrl: 'javascript:alert(1)' }, context),
    ).toThrow(/non-http/);
  });

  it('keeps the subject on one line when a title has line breaks', () => {
    const mail = renderNotification(
      'reporter_acknowledgement',
      { ...fixtures.reporter_acknowledgement, ref: 'Q-1\r\nBcc: victim@example.org' },
      context,
    );
    expect(mail.subject).toBe('Recibimos tu reporte Q-1 Bcc: victim@example.org');
  });

  it('rejects an unknown kind', () => {
    expect(() => renderNotification('nope' as NotificationKind, {} as never, context)).toThrow(
      /Unknown notification/,
    );
  });
});
