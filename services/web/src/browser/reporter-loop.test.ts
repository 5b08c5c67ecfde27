// Issue 14, the flows as people live them: each test walks one point as the person would, in
// Chromium, on the real stack (database, Redis, the notify worker and the SMTP peer).

import { staffPrincipal, transitionTicket } from '@quipu/commands';
import { useHarness } from '@quipu/test/harness';
import { seedDirectory } from '@quipu/test/stack';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebStack, verifiedComplaint } from '../test-support.ts';
import { hasChromium, launchBrowser } from './support.ts';

if (!hasChromium)
  console.warn('browser tests skipped: /usr/bin/chromium is not installed (apt-get install chromium)');

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startWebStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
let browser: Browser;

function pathOf(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  if (!match) throw new Error(`no ${pattern} in:\n${text}`);
  return new URL(match[0]).pathname + new URL(match[0]).search;
}

async function signIn(page: Page, email: string) {
  await page.goto(`${stack.web}/mesa/ingresar`);
  await page.fill('#email', email);
  await page.fill('#password', directory.password);
  await page.click('form[action="/mesa/ingresar"] button[type=submit]');
  await page.waitForURL(/\/mesa(\?|$)/);
}

describe.skipIf(!hasChromium)('the reporter hears back, in a browser', () => {
  beforeAll(async () => {
    stack = await startWebStack(harness, { workers: ['notify'] });
    directory = await seedDirectory(stack.commands);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the answer given on resolving on the staff, public and tracking pages and in the "solved?" e-mail', async () => {
    const ticket = await verifiedComplaint(stack, directory.dataset.slug, 'Fechas de fallecimiento futuras');
    const answer = 'Se corrigieron 12 fechas en la fuente; la versión del 5 de marzo ya está publicada.';
    const officer = await browser.newContext({ locale: 'es-PE' });
    const desk = await officer.newPage();
    await signIn(desk, directory.officerA.email);
    await desk.goto(`${stack.web}/mesa/tickets/${ticket.ref}`);
    await desk.click('form[action$="/transiciones"]:has(input[value=triage]) button');
    await desk.fill('#resolve-resolution', answer);
    await desk.click('form[action$="/transiciones"]:has(input[value=resolve]) button');
    expect(await desk.locator('[role=status]').textContent()).toContain('Estado actualizado');
    expect(await desk.locator('section.resolution').textContent()).toContain(answer);

    const asked = await stack.smtp.waitFor(
      (m) => m.to.includes('rosa@example.pe') && /respuesta=si/.test(m.text),
      20_000,
    );
    expect(asked.text.replace(/\s+/g, ' ')).toContain(answer);
    expect(asked.html).toContain('Respuesta de la entidad');

    const reporter = await browser.newContext({ locale: 'es-PE', javaScriptEnabled: false });
    const page = await reporter.newPage();
    const tracking = pathOf(asked.text, /https?:\/\/\S+\/seguimiento\/[A-Za-z0-9_-]{20,}/);
    await page.goto(`${stack.web}${tracking}`);
    // The question and the answer it is about, side by side.
    const card = page.locator('section.card', { has: page.locator('form[action$="/resuelto"]') });
    expect(await card.locator('section.resolution').textContent()).toContain(answer);
    await page.goto(`${stack.web}/tickets/${ticket.ref}`);
    expect(await page.locator('section.resolution').textContent()).toContain(answer);

    // Confirmed: the answer stays on the closed ticket.
    await page.goto(`${stack.web}${pathOf(asked.text, /https?:\/\/\S+\/resuelto\?respuesta=si/)}`);
    await page.click('form[action$="/resuelto"] button');
    expect(await page.locator('.meta').textContent()).toContain('Cerrado');
    expect(await page.locator('section.resolution').textContent()).toContain(answer);
    for (const context of [officer, reporter]) await context.close();
  }, 120_000);

  for (const javaScriptEnabled of [false, true]) {
    it(`keeps the typed text through the dataset search, and files one case however often the answer is reloaded (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const email = `lectora-${javaScriptEnabled ? 'js' : 'nojs'}@example.pe`;
      const context = await browser.newContext({ locale: 'es-PE', javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(`${stack.web}/reportar`);
      await page.selectOption('#category', 'wrong_data');
      await page.fill('#title', 'Fechas en el futuro');
      await page.fill('#description', 'Hay 12 filas con fecha de fallecimiento 2031-01-05.');
      await page.fill('#email', email);
      await page.fill('#q', 'covid');
      await page.click('[role=search] button[type=submit]');
      await page.click(`button[name=elegir][value="${directory.dataset.slug}"]`);
      expect(await page.inputValue('input[name=dataset]')).toBe(directory.dataset.slug);
      expect(await page.inputValue('#title')).toBe('Fechas en el futuro');
      expect(await page.inputValue('#description')).toBe(
        'Hay 12 filas con fecha de fallecimiento 2031-01-05.',
      );
      expect(await page.inputValue('#email')).toBe(email);
      expect(await page.inputValue('#category')).toBe('wrong_data');
      await page.check('#consent');
      await page.click('form[action="/reportar"] > button[type=submit]');
      await page.waitForURL(/\/seguimiento\/[A-Za-z0-9_-]{20,}\?hecho=recibido$/);
      expect(await page.locator('h1').textContent()).toMatch(/Recibimos su caso Q-\d{4}-\d{6}/);
      await page.reload();
      await page.reload();
      const filed = await stack.commands.tickets.filedBySince(
        'complaint',
        email,
        { datasetId: String(directory.dataset._id) },
        new Date(Date.now() - 10 * 60_000),
      );
      expect(filed).toHaveLength(1);
      await context.close();
    }, 120_000);
  }

  it('e-mails an unconfirmed address only the confirmation, and tells the officer of the case once it is confirmed', async () => {
    const email = 'sin-confirmar@example.pe';
    const context = await browser.newContext({ locale: 'es-PE', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.web}/reportar?dataset=${directory.dataset.slug}`);
    expect(await page.locator('#email-hint').textContent()).toContain(
      'solo le enviaremos el correo para confirmarla',
    );
    await page.selectOption('#category', 'outdated');
    await page.fill('#title', 'Datos sin actualizar desde 2023');
    await page.fill('#description', 'No hay filas posteriores a diciembre de 2023.');
    await page.fill('#email', email);
    await page.check('#consent');
    await page.click('form[action="/reportar"] > button[type=submit]');
    await page.waitForURL(/hecho=recibido/);
    expect(await page.locator('[role=status]').textContent()).toContain(
      'no se avisará por correo a la entidad',
    );
    const ref = /Q-\d{4}-\d{6}/.exec((await page.locator('h1').textContent()) ?? '')![0];
    const ack = await stack.smtp.waitFor((m) => m.to.includes(email) && m.text.includes(ref), 20_000);
    const ticket = (await stack.commands.tickets.findByRef({ kind: 'everything' }, ref))!;
    const assignee = ticket.assigneeId
      ? await stack.commands.directory.findUser({ kind: 'everything' }, String(ticket.assigneeId))
      : null;
    expect(assignee?.email).toBeTruthy();
    const about = (m: { text: string; subject: string }) => m.text.includes(ref) || m.subject.includes(ref);

    // A status change while unconfirmed: nothing reaches the reporter, nor the officer yet.
    await transitionTicket(stack.commands, await staffPrincipal(stack.commands, directory.admin), {
      ticket: ref,
      action: 'triage',
    });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(stack.smtp.messages.filter((m) => about(m) && m.to.includes(email))).toHaveLength(1);
    expect(stack.smtp.messages.filter((m) => about(m) && m.to.includes(assignee!.email))).toHaveLength(0);
    expect(ack.text).toMatch(/\/verificar\//);

    // Confirmed: the officer hears of the case.
    const verification = pathOf(ack.text, /https?:\/\/\S+\/verificar\/[A-Za-z0-9_-]{20,}/);
    await page.goto(`${stack.web}${verification}`);
    await page.click(`form[action="${verification}"] button`);
    await stack.smtp.waitFor((m) => about(m) && m.to.includes(assignee!.email), 20_000);
    await context.close();
  }, 120_000);
});
