import { useHarness } from '@quipu/test/harness';
import { seedDirectory } from '@quipu/test/stack';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebStack, verifiedComplaint } from '../test-support.ts';
import { axeScan, hasChromium, launchBrowser, screenshots, serious } from './support.ts';

if (!hasChromium)
  console.warn('browser tests skipped: /usr/bin/chromium is not installed (apt-get install chromium)');

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startWebStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
let browser: Browser;
const refs: string[] = [];

const newComplaint = async (title: string) =>
  (await verifiedComplaint(stack, directory.dataset.slug, title)).ref;

async function signIn(page: Page, email: string) {
  await page.goto(`${stack.web}/mesa`);
  expect(new URL(page.url()).pathname).toBe('/mesa/ingresar');
  await page.fill('#email', email);
  await page.fill('#password', directory.password);
  await page.click('form[action="/mesa/ingresar"] button[type=submit]');
  await page.waitForURL(/\/mesa(\?|$)/);
}

/** What has focus: its id, or the href of a focused link ('' when nothing has). */
async function focused(page: Page) {
  const active = page.locator(':focus');
  if (!(await active.count())) return '';
  return (await active.getAttribute('id')) || (await active.getAttribute('href')) || '';
}

const rowHrefs = async (page: Page) =>
  await page
    .locator('table[data-shortcuts="inbox"] tbody tr td:first-child a')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
const selectedHref = async (page: Page) =>
  await page
    .locator('table[data-shortcuts="inbox"] tr[aria-current="true"] a')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));

describe.skipIf(!hasChromium)('keyboard shortcuts on the desk, in a browser', () => {
  let context: BrowserContext;
  let page: Page;
  const cspErrors: string[] = [];

  beforeAll(async () => {
    stack = await startWebStack(harness, { workers: false });
    directory = await seedDirectory(stack.commands);
    for (const title of ['Atajos: primero', 'Atajos: segundo', 'Atajos: tercero'])
      refs.push(await newComplaint(title));
    browser = await launchBrowser();
    // No bypassCSP: the script must load and run under the page's real `script-src 'self'`.
    context = await browser.newContext({ locale: 'es-PE' });
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
    });
    await signIn(page, directory.officerA.email);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('moves through the inbox with j/k and opens the selected ticket with Enter', async () => {
    await page.goto(`${stack.web}/mesa`);
    const hrefs = await rowHrefs(page);
    expect(hrefs.length).toBeGreaterThanOrEqual(3);
    await page.keyboard.press('j');
    expect(await selectedHref(page)).toEqual([hrefs[0]]);
    await page.keyboard.press('j');
    // One selected row, marked for assistive tech, its link focused (so it is announced).
    expect(await selectedHref(page)).toEqual([hrefs[1]]);
    expect(await focused(page)).toBe(hrefs[1]);
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await selectedHref(page)).toEqual([hrefs[1]]);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${stack.web}${hrefs[1]}`);
    // `o` opens the selection too, wherever focus is outside a form field.
    await page.goto(`${stack.web}/mesa`);
    await page.keyboard.press('j');
    await page.locator('h1').click();
    await page.keyboard.press('o');
    await page.waitForURL(`${stack.web}${hrefs[0]}`);
    expect(cspErrors).toEqual([]);
  }, 60_000);

  it('focuses the search box with /, and leaves keys typed there alone', async () => {
    await page.goto(`${stack.web}/mesa`);
    const hrefs = await rowHrefs(page);
    await page.keyboard.press('j');
    await page.keyboard.press('/');
    expect(await focused(page)).toBe('q');
    expect(await page.inputValue('#q')).toBe('');
    await page.keyboard.type('jjk');
    expect(await page.inputValue('#q')).toBe('jjk');
    expect(await selectedHref(page)).toEqual([hrefs[0]]);
    // Modifier chords belong to the browser and assistive tech, not to us.
    await page.locator('#q').blur();
    await page.keyboard.press('Control+j');
    expect(await selectedHref(page)).toEqual([hrefs[0]]);
  }, 60_000);

  it('opens and closes the help dialog with ? and Escape, returning focus', async () => {
    await page.goto(`${stack.web}/mesa`);
    await page.keyboard.press('j');
    const before = await focused(page);
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Atajos de teclado' });
    await dialog.waitFor();
    expect(await dialog.getAttribute('open')).not.toBeNull();
    expect(await dialog.textContent()).toContain('Ir a «Sin asignar»');
    // The page behind is inert: j does nothing while the dialog is open.
    await page.keyboard.press('j');
    expect(await dialog.getAttribute('open')).not.toBeNull();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused(page)).toBe(before);
    await page.keyboard.press('?');
    await dialog.waitFor();
    await page.keyboard.press('?');
    await dialog.waitFor({ state: 'hidden' });
    await page.keyboard.press('?');
    await dialog.getByRole('button', { name: 'Cerrar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused(page)).toBe(before);
  }, 60_000);

  it('goes to the views with g then a letter', async () => {
    await page.goto(`${stack.web}/mesa`);
    await page.keyboard.press('g');
    await page.keyboard.press('u');
    await page.waitForURL(`${stack.web}/mesa?vista=unassigned`);
    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await page.waitForURL(`${stack.web}/mesa`);
    // `u` alone means nothing in the inbox.
    await page.keyboard.press('u');
    expect(page.url()).toBe(`${stack.web}/mesa`);
  }, 60_000);

  it('lets an officer reply with r and go back with u on a ticket', async () => {
    await page.goto(`${stack.web}/mesa/tickets/${refs[0]}`);
    // The help is on the ticket page too.
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Atajos de teclado' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.keyboard.press('r');
    expect(await focused(page)).toBe('body');
    expect(await page.inputValue('#body')).toBe('');
    await page.keyboard.type('ruido');
    expect(await page.inputValue('#body')).toBe('ruido');
    await page.locator('#body').blur();
    await page.keyboard.press('u');
    await page.waitForURL(`${stack.web}/mesa`);
  }, 60_000);

  it('can be switched off, and the choice is remembered', async () => {
    await page.goto(`${stack.web}/mesa`);
    await page.click('#shortcuts summary');
    const toggle = page.locator('#shortcuts-on');
    expect(await toggle.isVisible()).toBe(true);
    await toggle.uncheck();
    await page.reload();
    expect(await toggle.isChecked()).toBe(false);
    await page.keyboard.press('j');
    expect(await selectedHref(page)).toEqual([]);
    await page.click('#shortcuts summary');
    await toggle.check();
    await toggle.blur();
    await page.keyboard.press('j');
    expect((await selectedHref(page)).length).toBe(1);
  }, 60_000);

  it('passes axe-core with a row selected and with the help dialog open', async () => {
    const scanning = await browser.newContext({ locale: 'es-PE', bypassCSP: true });
    const target = await scanning.newPage();
    await signIn(target, directory.officerA.email);
    await target.goto(`${stack.web}/mesa`);
    await target.keyboard.press('j');
    const problems = serious(await axeScan(target)).map((p) => `inbox-selected: ${p}`);
    await screenshots(target, 'desk-shortcuts-selected');
    await target.keyboard.press('?');
    await target.getByRole('dialog').waitFor();
    problems.push(...serious(await axeScan(target)).map((p) => `help-dialog: ${p}`));
    await screenshots(target, 'desk-shortcuts-dialog');
    expect(problems.join('\n')).toBe('');
    await scanning.close();
  }, 60_000);
});
