/**
 * The README's screenshots, taken from the real DevTools panel while the demo page runs, where
 * people put DevTools: docked right (DevTools 500×900), docked at the bottom (1400×350), and
 * undocked (1400×900, in DevTools' light and dark themes). Written to test-results/ on every run,
 * and to docs/ (committed, shown in the README) when run with UPDATE_DOCS=1, so an ordinary test
 * run leaves the work tree clean.
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

beforeAll(async () => {
  mkdirSync(DOCS, { recursive: true });
  mkdirSync(RESULTS, { recursive: true });
  server = await startServer();
});

afterAll(async () => {
  await server?.close();
});

interface Layout {
  /** DevTools' dock state. */
  dock: 'right' | 'bottom' | 'undocked';
  /** The size of DevTools itself (the area pictured). */
  width: number;
  height: number;
}

/** Browser chrome above the page in a headless window (measured: a 987 px window has a 900 px page). */
const WINDOW_CHROME = 87;
/** The inspected page's share when docked (beside or above DevTools). */
const PAGE_SIZE = 800;

/**
 * A browser whose DevTools has the given size and dock, on the demo page with every scenario run,
 * the chat stream selected and one of its events shown.
 */
async function openAt(layout: Layout): Promise<{ browser: ExtensionBrowser; page: Page; devtools: Page; panel: Frame }> {
  const window =
    layout.dock === 'right'
      ? { width: PAGE_SIZE + layout.width, height: layout.height + WINDOW_CHROME }
      : layout.dock === 'bottom'
        ? { width: layout.width, height: 450 + layout.height + WINDOW_CHROME }
        : { width: 1400, height: 1000 };
  const browser = await launchWithExtension({ devtools: true, viewport: window });
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/demo.html`);
  let { panel, devtools } = await openSsePanel(browser, page);
  // DevTools keeps the size of its side of the window in this preference (the value is JSON).
  const split =
    layout.dock === 'right'
      ? { vertical: { size: layout.width } }
      : { vertical: { size: 0 }, horizontal: { size: layout.height } };
  ({ panel, devtools } = await setDevtoolsPreferences(browser, page, devtools, {
    currentDockState: layout.dock,
    ...(layout.dock === 'undocked' ? {} : { 'inspector-view.split-view-state': split as unknown as string }),
  }));
  await page.click('#run-all');
  // A realistic log: the chat has finished, the resumable stream has reconnected.
  await panel.waitForFunction(
    () =>
      [...document.querySelectorAll('tr[data-connection-id]')].some(
        (row) => row.textContent?.includes('/api/chat') && row.textContent.includes('closed'),
      ),
    null,
    { timeout: 20_000 },
  );
  await panel.waitForFunction(() => (document.querySelector('tr[data-connection-id] .reconnects') ?? null) !== null, null, {
    timeout: 20_000,
  });
  // Keyboard, not clicks: a DevTools window is laid out by the browser, and clicks can land beside their target.
  const chat = panel.locator('tr[data-connection-id]', { hasText: '/api/chat' });
  await chat.focus();
  await devtools.keyboard.press('Enter');
  await expect.poll(() => chat.getAttribute('aria-selected')).toBe('true');
  await panel.locator('.scroller').focus();
  await devtools.keyboard.press('Home');
  for (let i = 0; i < 4; i++) await devtools.keyboard.press('ArrowDown');
  await panel.waitForSelector('.event-detail');
  return { browser, page, devtools, panel };
}

/** Pictures DevTools (not the inspected page beside it) once the panel has stopped changing. */
async function shoot(devtools: Page, panel: Frame, layout: Layout, name: string): Promise<void> {
  await panel.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const [width, height] = await devtools.evaluate(() => [innerWidth, innerHeight]);
  const clip =
    layout.dock === 'right'
      ? { x: width! - layout.width, y: 0, width: layout.width, height: layout.height }
      : layout.dock === 'bottom'
        ? { x: 0, y: height! - layout.height, width: layout.width, height: layout.height }
        : { x: 0, y: 0, width: Math.min(width!, layout.width), height: Math.min(height!, layout.height) };
  const path = resolve(RESULTS, name);
  await devtools.screenshot({ path, clip });
  if (process.env.UPDATE_DOCS === '1') copyFileSync(path, resolve(DOCS, name));
}

describe('README screenshots', () => {
  it('docked right, 500×900: the list above the tabs, the detail under the table', async () => {
    const layout: Layout = { dock: 'right', width: 500, height: 900 };
    const { browser, devtools, panel } = await openAt(layout);
    try {
      const frame = (await (await panel.frameElement()).boundingBox())!;
      expect(Math.abs(frame.width - 500)).toBeLessThan(3); // DevTools draws a 1 px border of its own
      expect(await panel.locator('.workspace').getAttribute('class')).toContain('above');
      expect(await panel.locator('.events-split').getAttribute('class')).toContain('under');
      await shoot(devtools, panel, layout, 'panel-docked-right.png');
    } finally {
      await browser.close();
    }
  });

  it('docked at the bottom, 1400×350: the list beside the tabs, the detail beside the table', async () => {
    const layout: Layout = { dock: 'bottom', width: 1400, height: 350 };
    const { browser, devtools, panel } = await openAt(layout);
    try {
      expect(await panel.locator('.workspace').getAttribute('class')).toContain('beside');
      expect(await panel.locator('.events-split').getAttribute('class')).toContain('beside');
      await shoot(devtools, panel, layout, 'panel-docked-bottom.png');
    } finally {
      await browser.close();
    }
  });

  it('undocked, 1400×900: light and dark', async () => {
    const layout: Layout = { dock: 'undocked', width: 1400, height: 900 };
    const opened = await openAt(layout);
    let { devtools, panel } = opened;
    try {
      expect(await panel.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      await shoot(devtools, panel, layout, 'panel-light.png');
      ({ panel, devtools } = await setDevtoolsPreferences(opened.browser, opened.page, devtools, { 'ui-theme': 'dark' }));
      await expect.poll(() => panel.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      const chat = panel.locator('tr[data-connection-id]', { hasText: '/api/chat' });
      await chat.focus();
      await devtools.keyboard.press('Enter');
      await expect.poll(() => chat.getAttribute('aria-selected')).toBe('true');
      await panel.locator('.scroller').focus();
      await devtools.keyboard.press('Home');
      for (let i = 0; i < 4; i++) await devtools.keyboard.press('ArrowDown');
      await panel.waitForSelector('.event-detail');
      await shoot(devtools, panel, layout, 'panel-dark.png');
    } finally {
      await opened.browser.close();
    }
  });
});
