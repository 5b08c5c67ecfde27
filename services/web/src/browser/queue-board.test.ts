import { useHarness } from '@quipu/test/harness';
import { seedDirectory } from '@quipu/test/stack';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebStack } from '../test-support.ts';
import { hasChromium, launchBrowser } from './support.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startWebStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
let browser: Browser;

describe.skipIf(!hasChromium)('queue monitor in a browser', () => {
  beforeAll(async () => {
    stack = await startWebStack(harness, { workers: false });
    directory = await seedDirectory(stack.commands);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('still pauses a queue from its own UI, which sends the CSRF token it is given', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.web}/mesa`);
    await page.fill('#email', directory.admin.email);
    await page.fill('#password', directory.password);
    await page.click('form[action="/mesa/ingresar"] button[type=submit]');
    await page.waitForURL(/\/mesa(\?|$)/);
    await page.goto(`${stack.web}/admin/queues/queue/digest`);
    await page.getByText('No workers').waitFor();
    // The queue's actions menu is the last button of its header.
    await page.locator('button').last().click();
    await page.getByRole('menuitem', { name: 'Pause' }).click();
    const answered = page.waitForResponse(
      (response) => response.request().method() !== 'GET' && response.url().includes('/admin/queues/api/'),
    );
    await page.getByRole('button', { name: 'Confirm' }).click();
    const change = await answered;
    expect(change.request().method()).toBe('PUT');
    expect(change.request().headers()['x-xsrf-token']).toBeTruthy();
    expect(change.status()).toBe(200);
    const queue = stack.runtime.queues.get('digest');
    expect(await queue.isPaused()).toBe(true);
    await queue.resume();
    await page.close();
  }, 60_000);
});
