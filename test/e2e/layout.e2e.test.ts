/**
 * The panel's layout at the sizes DevTools is used at, in the panel page opened as an extension
 * tab (`panel.html?tabId=N`: steadier and faster than the DevTools window, same page): docked
 * right (400-700 px wide), docked at the bottom (300-400 px high), undocked. At each size nothing
 * overflows sideways, the URL stays readable, the list and tabs sit the right way, every control is
 * reachable by keyboard, and axe-core finds nothing.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, tabIdOf, type ExtensionBrowser } from './browser';
import { startServer, type StartedServer } from '../server/sse-server';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: StartedServer;
let browser: ExtensionBrowser;
let page: Page;
let panel: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchWithExtension({ viewport: { width: 1400, height: 900 } });
  page = await browser.context.newPage();
  await page.goto(`${server.url}/demo.html`);
  const tabId = await tabIdOf(browser, page);
  await page.click('#run-all');
  panel = await browser.context.newPage();
  await panel.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?tabId=${tabId}`);
  // The chat stream has ended and a few others are going.
  await panel.waitForFunction(
    () =>
      [...document.querySelectorAll('tr[data-connection-id]')].some(
        (row) => row.textContent?.includes('/api/chat') && row.textContent.includes('closed'),
      ),
    null,
    { timeout: 30_000 },
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function runAxe(target: Page) {
  if (!(await target.evaluate(() => 'axe' in globalThis))) await target.evaluate(axeSource);
  return target.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; nodes: { html: string }[] }[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`);
  });
}

/** Elements wider than their box (a horizontal scrollbar or text cut off the right edge of the panel). */
async function horizontalOverflow(target: Page): Promise<string[]> {
  return target.evaluate(() => {
    const out: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) out.push(`document ${document.documentElement.scrollWidth} > ${width}`);
    for (const selector of ['.panel', '.toolbar', '.filters-row', '.workspace', '.tabs', '.tab-panel']) {
      for (const element of document.querySelectorAll<HTMLElement>(selector)) {
        const box = element.getBoundingClientRect();
        if (box.right > width + 1) out.push(`${selector} ends at ${Math.round(box.right)} > ${width}`);
        if (element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== 'hidden') {
          out.push(`${selector} scrolls sideways (${element.scrollWidth} > ${element.clientWidth})`);
        }
      }
    }
    // Every toolbar control is inside the window.
    for (const control of document.querySelectorAll<HTMLElement>('.toolbar button, .toolbar label, .summary')) {
      const box = control.getBoundingClientRect();
      if (box.width > 0 && (box.right > width + 1 || box.left < -1)) out.push(`${control.textContent} is cut off`);
    }
    return out;
  });
}

const visible = (selector: string) => panel.locator(selector).first().isVisible();

const SIZES = [
  { name: 'docked right, narrowest', width: 400, height: 900, beside: false, detailBeside: false },
  { name: 'docked right', width: 500, height: 900, beside: false, detailBeside: false },
  { name: 'docked at the bottom, lowest', width: 1400, height: 300, beside: true, detailBeside: true },
  { name: 'docked at the bottom', width: 1400, height: 350, beside: true, detailBeside: true },
  { name: 'undocked', width: 1400, height: 900, beside: true, detailBeside: true },
  { name: 'undocked, widest', width: 1600, height: 900, beside: true, detailBeside: true },
] as const;

describe('the layout at the sizes DevTools is used at', () => {
  for (const size of SIZES) {
    it(`${size.name} (${size.width}×${size.height}): no sideways overflow, readable URL, axe-clean`, async () => {
      await panel.setViewportSize({ width: size.width, height: size.height });
      await panel.locator('[role=tab][data-tab=events]').click();
      const chat = panel.locator('tr[data-connection-id]', { hasText: '/api/chat' });
      await chat.click();
      await expect.poll(() => chat.getAttribute('aria-selected')).toBe('true');
      await panel.locator('.event-row').nth(2).click();
      await panel.locator('.event-detail').waitFor();
      await expect.poll(() => panel.locator('.workspace').getAttribute('class')).toContain(size.beside ? 'beside' : 'above');
      await expect
        .poll(() => panel.locator('.events-split').getAttribute('class'))
        .toContain(size.detailBeside ? 'beside' : 'under');

      expect(await horizontalOverflow(panel)).toEqual([]);
      // The URL: the path is shown (its end at least), the full URL on hover.
      expect(await chat.getAttribute('title')).toContain(`${server.url}/api/chat`);
      expect(await chat.locator('.url-path').textContent()).toBe('/api/chat');
      const tail = chat.locator('.url-tail');
      expect(await tail.textContent()).toBe('chat');
      const tailBox = (await tail.boundingBox())!;
      expect(tailBox.width).toBeGreaterThan(20);
      expect(tailBox.x + tailBox.width).toBeLessThanOrEqual(size.width);
      // Low-value columns go first.
      expect(await visible('th.col-frame')).toBe(
        size.width >= 1400 && size.beside
          ? (await panel.locator('.connections-pane').evaluate((e) => e.clientWidth)) > 900
          : false,
      );
      expect(await visible('th.col-kind')).toBe(true);
      expect(await visible('th.col-events')).toBe(true);

      expect(await runAxe(panel)).toEqual([]);
      for (const tab of ['timeline', 'request', 'replay', 'conversation'] as const) {
        await panel.locator(`[role=tab][data-tab=${tab}]`).click();
        await panel.locator(`[role=tabpanel]#conn-panel-${tab}`).waitFor();
        expect(await horizontalOverflow(panel), tab).toEqual([]);
        expect(await runAxe(panel), tab).toEqual([]);
      }
      await panel.locator('[role=tab][data-tab=events]').click();
    });
  }

  it('dark theme: axe-core clean in every tab (contrast included)', async () => {
    await panel.setViewportSize({ width: 500, height: 900 });
    const url = new URL(panel.url());
    url.searchParams.set('theme', 'dark');
    await panel.goto(url.toString());
    await expect.poll(() => panel.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const chat = panel.locator('tr[data-connection-id]', { hasText: '/api/chat' });
    await chat.click();
    await expect.poll(() => chat.getAttribute('aria-selected')).toBe('true');
    await panel.locator('.event-row').nth(2).click();
    for (const tab of ['events', 'timeline', 'request', 'replay'] as const) {
      await panel.locator(`[role=tab][data-tab=${tab}]`).click();
      await panel.locator(`[role=tabpanel]#conn-panel-${tab}`).waitFor();
      expect(await runAxe(panel), tab).toEqual([]);
    }
    url.searchParams.delete('theme');
    await panel.goto(url.toString());
    await panel.locator('tr[data-connection-id]').first().waitFor();
  });

  it('every tab and control is reachable by keyboard, and the tabs answer the arrows', async () => {
    await panel.setViewportSize({ width: 500, height: 900 });
    await panel.locator('[role=tab][data-tab=events]').click();
    await panel.locator('.toolbar button').first().focus();
    const reached = new Set<string>();
    for (let i = 0; i < 60; i++) {
      await panel.keyboard.press('Tab');
      reached.add(
        await panel.evaluate(() => {
          const e = document.activeElement as HTMLElement | null;
          if (e === null) return '';
          if (e.getAttribute('role') === 'tab') return `tab:${e.dataset.tab}`;
          if (e.getAttribute('role') === 'separator') return `separator:${e.getAttribute('aria-label')}`;
          if (e.matches('.filter-input')) return 'search';
          if (e.matches('tr[data-connection-id]')) return 'connection';
          if (e.matches('.scroller')) return 'events';
          return e.tagName.toLowerCase();
        }),
      );
    }
    expect([...reached], [...reached].join(' ')).toEqual(
      expect.arrayContaining(['search', 'connection', 'separator:Resize the connection list', 'tab:events', 'events']),
    );
    await panel.locator('[role=tab][data-tab=events]').focus();
    await panel.keyboard.press('ArrowRight');
    await expect.poll(() => panel.evaluate(() => (document.activeElement as HTMLElement).dataset.tab)).toBe('timeline');
    expect(await panel.locator('[role=tab][data-tab=timeline]').getAttribute('aria-selected')).toBe('true');
    await panel.keyboard.press('End');
    await expect.poll(() => panel.evaluate(() => (document.activeElement as HTMLElement).dataset.tab)).toBe('replay');
    await panel.keyboard.press('Home');
  });

  it('the split between the list and the tabs is dragged, and remembered after a reload', async () => {
    await panel.setViewportSize({ width: 1400, height: 600 });
    const bar = panel.locator('.workspace > [role=separator]');
    await expect.poll(() => bar.getAttribute('aria-orientation')).toBe('vertical');
    const box = (await bar.boundingBox())!;
    await panel.mouse.move(box.x + 1, box.y + box.height / 2);
    await panel.mouse.down();
    await panel.mouse.move(700, box.y + box.height / 2, { steps: 5 });
    await panel.mouse.up();
    await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('50');
    await panel.reload();
    await panel.locator('tr[data-connection-id]').first().waitFor();
    await expect.poll(() => panel.locator('.workspace > [role=separator]').getAttribute('aria-valuenow')).toBe('50');
    const listWidth = await panel.locator('.connections-pane').evaluate((e) => e.getBoundingClientRect().width);
    expect(Math.abs(listWidth - 700)).toBeLessThan(4);
  });
});
