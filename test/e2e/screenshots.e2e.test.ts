/**
 * The README's screenshots, taken from the real DevTools panel (DevTools undocked, so the panel
 * has a window of its own) while the demo page runs: one in DevTools' light theme, one in dark.
 * Written to test-results/ on every run, and to docs/ (committed, shown in the README) when run with
 * UPDATE_DOCS=1, so an ordinary test run leaves the work tree clean.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { launchWithExtension, openSsePanel, setDevtoolsPreferences, type ExtensionBrowser } from './browser';
import { startServer, type StartedServer } from '../server/sse-server';

const DOCS = resolve(import.meta.dirname, '../../docs');
const RESULTS = resolve(import.meta.dirname, '../../test-results');

let server: StartedServer;
let browser: ExtensionBrowser;
let page: Page;
let panel: Frame;
let devtools: Page;

beforeAll(async () => {
  mkdirSync(DOCS, { recursive: true });
  mkdirSync(RESULTS, { recursive: true });
  server = await startServer();
  browser = await launchWithExtension({ devtools: true, viewport: { width: 1400, height: 1000 } });
  page = await browser.context.newPage();
  await page.goto(`${server.url}/demo.html`);
  ({ panel, devtools } = await openSsePanel(browser, page));
  ({ panel, devtools } = await setDevtoolsPreferences(browser, page, devtools, { currentDockState: 'undocked' }));
  await page.click('#run-all');
  // Let the scenarios produce a realistic log (the chat finishes, the resumable stream reconnects).
  await panel.waitForFunction(
    () =>
      [...document.querySelectorAll('tr[data-connection-id]')].some(
        (row) => row.textContent?.includes('/api/chat') && row.textContent.includes('closed'),
      ),
    null,
    { timeout: 20_000 },
  );
  await page.waitForTimeout(4000);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function shoot(name: string): Promise<void> {
  // Keyboard, not clicks: an undocked DevTools window is not the size Playwright thinks, so clicks
  // can land beside their target.
  const chat = panel.locator('tr[data-connection-id]', { hasText: '/api/chat' });
  await chat.focus();
  await devtools.keyboard.press('Enter');
  await expect.poll(() => chat.getAttribute('aria-selected')).toBe('true');
  // Select by keyboard (rows move while the table follows new events; keys do not).
  await panel.locator('.scroller').focus();
  await devtools.keyboard.press('Home');
  for (let i = 0; i < 4; i++) await devtools.keyboard.press('ArrowDown');
  await panel.waitForSelector('.event-detail');
  await panel.waitForTimeout(300);
  const path = resolve(RESULTS, name);
  await (await panel.frameElement()).screenshot({ path });
  if (process.env.UPDATE_DOCS === '1') copyFileSync(path, resolve(DOCS, name));
}

describe('README screenshots', () => {
  it('light theme', async () => {
    await shoot('panel-light.png');
    expect(await panel.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  });

  it('dark theme', async () => {
    ({ panel, devtools } = await setDevtoolsPreferences(browser, page, devtools, { 'ui-theme': 'dark' }));
    await expect.poll(() => panel.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await shoot('panel-dark.png');
  });
});
