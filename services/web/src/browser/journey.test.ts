import { createServer, type Server } from 'node:http';
import { useHarness } from '@quipu/test/harness';
import { seedDirectory } from '@quipu/test/stack';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebStack } from '../test-support.ts';
import { axeScan, hasChromium, launchBrowser, screenshots, serious } from './support.ts';

if (!hasChromium)
  console.warn('browser tests skipped: /usr/bin/chromium is not installed (apt-get install chromium)');

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startWebStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
let browser: Browser;
let portal: Server;
let portalUrl = '';

const reporterEmail = 'rosa.mamani@example.pe';
/** Filled in by the journey, reused by the accessibility scan. */
const seen = { ref: '', trackingPath: '', satisfactionPath: '', unsubscribePath: '', subscriptionPath: '' };

function pathOf(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  if (!match) throw new Error(`no ${pattern} in:\n${text}`);
  return new URL(match[0]).pathname + new URL(match[0]).search;
}

async function weeklyTotals(page: Page): Promise<[number, number]> {
  await page.goto(`${stack.web}/mesa/panel`);
  const cells = await page.locator('#weekly-table tfoot td').allTextContents();
  return [Number(cells[0]), Number(cells[1])];
}

async function signIn(page: Page, email: string) {
  await page.goto(`${stack.web}/mesa`);
  expect(new URL(page.url()).pathname).toBe('/mesa/ingresar');
  await page.fill('#email', email);
  await page.fill('#password', directory.password);
  await page.click('form[action="/mesa/ingresar"] button[type=submit]');
  await page.waitForURL(/\/mesa(\?|$)/);
}

describe.skipIf(!hasChromium)('in a browser', () => {
  beforeAll(async () => {
    stack = await startWebStack(harness, { workers: ['notify'] });
    directory = await seedDirectory(stack.commands);
    browser = await launchBrowser();
    // A portal page on another origin that embeds the widget, as CKAN would.
    portal = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="es"><head><title>Portal</title></head><body><main><h1>Fallecidos por COVID-19</h1>
<script src="${stack.web}/widget.js" data-dataset="${directory.dataset.slug}" async></script></main></body></html>`);
    });
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
    const address = portal.address();
    portalUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => portal?.close(resolve));
  });

  it('carries a complaint from a no-JavaScript form to a closed ticket on the dashboard', async () => {
    const manager = await browser.newContext({ locale: 'es-PE' });
    const managerPage = await manager.newPage();
    await signIn(managerPage, directory.manager.email);
    const [receivedBefore, resolvedBefore] = await weeklyTotals(managerPage);

    // 1. A reuser files a complaint with JavaScript disabled.
    const reuser = await browser.newContext({
      locale: 'es-PE',
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
    });
    const page = await reuser.newPage();
    await page.goto(`${stack.web}/reportar`);
    await page.fill('#q', 'covid');
    await page.click('[role=search] button[type=submit]');
    await page.click(`button[name=elegir][value="${directory.dataset.slug}"]`);
    await expect
      .poll(() => page.locator('input[name=dataset]').getAttribute('value'))
      .toBe(directory.dataset.slug);
    // Forgetting consent is explained next to the checkbox, with the values kept.
    await page.selectOption('#category', 'wrong_data');
    await page.fill('#title', 'Fechas de fallecimiento en el futuro');
    await page.fill('#description', 'En el archivo hay filas con fecha de fallecimiento 2031-01-05.');
    await page.fill('#email', reporterEmail);
    await page.fill('#name', 'Rosa Mamani');
    await page.click('form[action="/reportar"] > button[type=submit]');
    await expect.poll(() => page.locator('#consent-error').count()).toBe(1);
    expect(await page.inputValue('#title')).toBe('Fechas de fallecimiento en el futuro');
    await page.check('#consent');
    await page.click('form[action="/reportar"] > button[type=submit]');
    const heading = await page.locator('h1').textContent();
    seen.ref = /Q-\d{4}-\d{6}/.exec(heading ?? '')![0];

    // 2. The acknowledgement e-mail carries the tracking link; the reporter confirms the address.
    const ack = await stack.smtp.waitFor(
      (m) => m.to.includes(reporterEmail) && m.text.includes(seen.ref),
      20_000,
    );
    seen.trackingPath = pathOf(ack.text, /https?:\/\/\S+\/seguimiento\/[A-Za-z0-9_-]{20,}/);
    const verificationPath = pathOf(ack.text, /https?:\/\/\S+\/verificar\/[A-Za-z0-9_-]{20,}/);
    await page.goto(`${stack.web}${verificationPath}`);
    await page.click(`form[action="${verificationPath}"] button`);
    expect(await page.locator('[role=status]').textContent()).toContain('su correo está confirmado');

    // 3. The officer signs in, replies in public and resolves.
    const officer = await browser.newContext({ locale: 'es-PE' });
    const desk = await officer.newPage();
    await signIn(desk, directory.officerA.email);
    await desk.click(`a[href="/mesa/tickets/${seen.ref}"]`);
    await desk.fill('#body', 'Gracias, lo estamos revisando con la DIRIS.');
    await desk.click('form[action$="/comentarios"] button[type=submit]');
    expect(await desk.locator('[role=status]').textContent()).toContain('Mensaje guardado');
    await desk.click('form[action$="/transiciones"]:has(input[value=triage]) button');
    await desk.click('form[action$="/transiciones"]:has(input[value=resolve]) button');
    expect(await desk.locator('#resolve-resolution-error').textContent()).toBeTruthy();
    await desk.fill('#resolve-resolution', 'Se corrigieron 12 fechas en la fuente.');
    await desk.click('form[action$="/transiciones"]:has(input[value=resolve]) button');
    expect(await desk.locator('[role=status]').textContent()).toContain('Estado actualizado');
    expect(await desk.locator('.meta').textContent()).toContain('Resuelto');

    // 4. The reporter answers "yes" from the e-mail's link: a page, then a POST.
    const asked = await stack.smtp.waitFor(
      (m) => m.to.includes(reporterEmail) && /respuesta=si/.test(m.text),
      20_000,
    );
    seen.satisfactionPath = pathOf(asked.text, /https?:\/\/\S+\/resuelto\?respuesta=si/);
    seen.unsubscribePath = pathOf(asked.text, /https?:\/\/\S+\/seguimiento\/[A-Za-z0-9_-]{20,}\/baja/);
    await page.goto(`${stack.web}${seen.satisfactionPath}`);
    await page.click('form[action$="/resuelto"] button');
    expect(await page.locator('[role=status]').textContent()).toContain('Gracias por su respuesta');
    expect(await page.locator('.meta').textContent()).toContain('Cerrado');

    // 5. The manager sees the figures change.
    const [receivedAfter, resolvedAfter] = await weeklyTotals(managerPage);
    expect(receivedAfter).toBe(receivedBefore + 1);
    expect(resolvedAfter).toBe(resolvedBefore + 1);
    await screenshots(managerPage, 'dashboard');
    await screenshots(desk, 'desk-ticket');
    await desk.goto(`${stack.web}/mesa`);
    await screenshots(desk, 'desk-inbox');

    for (const context of [manager, reuser, officer]) await context.close();
  }, 180_000);

  it('opens the report form for the right dataset from the widget on another site', async () => {
    const context = await browser.newContext({ locale: 'es-PE' });
    const page = await context.newPage();
    await page.goto(portalUrl);
    const link = page.locator('a.quipu-widget');
    await link.waitFor();
    expect(await link.textContent()).toBe('Reportar un problema con estos datos');
    const [popup] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await popup.waitForLoadState();
    const url = new URL(popup.url());
    expect(url.pathname).toBe('/reportar');
    expect(url.searchParams.get('dataset')).toBe(directory.dataset.slug);
    expect(await popup.locator('.notice').textContent()).toContain('Fallecidos por COVID-19');
    expect((await context.cookies(stack.web)).filter((c) => c.name !== 'quipu_lang')).toEqual([]);
    await context.close();
  }, 60_000);

  it('passes axe-core on every page without serious or critical violations, and records screenshots', async () => {
    const anonymous = await browser.newContext({ locale: 'es-PE', bypassCSP: true });
    const page = await anonymous.newPage();
    const subscribe = await fetch(`${stack.web}/tickets/${seen.ref}/seguir`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=vecina%40example.pe',
      redirect: 'manual',
    });
    expect(subscribe.status).toBe(303);
    const mail = await stack.smtp.waitFor((m) => m.to.includes('vecina@example.pe'), 20_000);
    seen.subscriptionPath = pathOf(mail.text, /https?:\/\/\S+\/suscripciones\/[A-Za-z0-9_-]+\/confirmar/);

    const pages: Array<[string, string]> = [
      ['home', '/'],
      ['report', '/reportar'],
      ['report-search', '/reportar?q=covid'],
      ['report-dataset', `/reportar?dataset=${directory.dataset.slug}`],
      ['report-en', `/reportar?dataset=${directory.dataset.slug}&lang=en`],
      ['request', '/solicitar?lang=es'],
      ['requests', '/solicitudes'],
      ['ticket', `/tickets/${seen.ref}`],
      ['tracking', seen.trackingPath],
      ['tracking-solved', seen.satisfactionPath],
      ['tracking-unsubscribe', seen.unsubscribePath],
      ['subscription-confirm', seen.subscriptionPath],
      ['dataset', `/datos/${directory.dataset.slug}`],
      ['transparency', '/transparencia'],
      ['login', '/mesa/ingresar'],
      ['not-found', '/no-existe'],
    ];
    const problems: string[] = [];
    const scan = async (target: Page, name: string) => {
      for (const issue of serious(await axeScan(target))) problems.push(`${name}: ${issue}`);
    };
    for (const [name, path] of pages) {
      await page.goto(`${stack.web}${path}`);
      await scan(page, name);
      if (
        ['home', 'report-dataset', 'ticket', 'tracking', 'transparency', 'requests', 'dataset'].includes(name)
      )
        await screenshots(page, name);
    }
    // A form sent back with its errors.
    await page.goto(`${stack.web}/reportar?dataset=${directory.dataset.slug}`);
    await page.click('form[action="/reportar"] > button[type=submit]');
    await scan(page, 'report-errors');
    await screenshots(page, 'report-errors');

    const staff = await browser.newContext({ locale: 'es-PE', bypassCSP: true });
    const deskPage = await staff.newPage();
    await signIn(deskPage, directory.manager.email);
    for (const [name, path] of [
      ['desk-inbox', '/mesa'],
      ['desk-ticket', `/mesa/tickets/${seen.ref}`],
      ['dashboard', '/mesa/panel'],
      ['moderation', '/mesa/moderacion'],
      ['admin', '/mesa/admin'],
      ['account', '/mesa/cuenta'],
    ] as const) {
      const response = await deskPage.goto(`${stack.web}${path}`);
      expect(response?.status(), path).toBe(200);
      await scan(deskPage, name);
      await screenshots(deskPage, name);
    }
    expect(problems.join('\n')).toBe('');
    await anonymous.close();
    await staff.close();
  }, 180_000);
});
