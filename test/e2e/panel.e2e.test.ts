/**
 * The SSE panel as a DevTools user meets it, in the real DevTools of headless Chromium: empty
 * state, a 20k-event log with only the visible rows in the DOM, keyboard navigation and sorting,
 * per-tab isolation, Preserve log and Clear, the DevTools theme, Simplified Chinese, and an axe-core
 * audit of the live panel.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { launchWithExtension, openSsePanel, selectConnectionRow, setDevtoolsPreferences, type ExtensionBrowser } from './browser';
import { startServer, type StartedServer } from '../server/sse-server';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: StartedServer;
let browser: ExtensionBrowser;
let page: Page;
let panel: Frame;
let devtools: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchWithExtension({ devtools: true });
  page = await browser.context.newPage();
  await page.goto(`${server.url}/test/blank.html`);
  ({ panel, devtools } = await openSsePanel(browser, page));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const selectedRowText = () => panel.locator('.event-row[aria-selected=true] .col-data').textContent();

async function runAxe(frame: Frame): Promise<{ id: string; impact: string; nodes: string[]; help: string }[]> {
  await frame.evaluate(axeSource);
  return frame.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            context: unknown,
            options: unknown,
          ): Promise<{ violations: { id: string; impact: string; nodes: { html: string }[]; help: string }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.html), help: v.help }));
  });
}

describe('the SSE panel in real DevTools', () => {
  it('starts with an empty state that tells the user what to do', async () => {
    await expect.poll(() => panel.locator('.empty-state').textContent()).toContain('No Server-Sent Events streams yet');
    expect(await panel.locator('.empty-state').textContent()).toContain('Reload the page');
  });

  it('holds 20,000 events with only the visible rows in the DOM, and navigates by keyboard', async () => {
    await page.evaluate(async () => (await fetch('/test/many?count=20000')).text());
    await expect.poll(() => panel.locator('.summary').textContent(), { timeout: 15_000 }).toContain('20000 events');
    const rendered = await panel.locator('.event-row').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(100);

    await panel.locator('.scroller').focus();
    await devtools.keyboard.press('Home');
    await expect.poll(selectedRowText).toBe('1');
    await devtools.keyboard.press('ArrowDown');
    await devtools.keyboard.press('ArrowDown');
    await expect.poll(selectedRowText).toBe('3');
    await devtools.keyboard.press('End');
    await expect.poll(selectedRowText).toBe('20000');
    await devtools.keyboard.press('PageUp');
    const afterPageUp = Number(await selectedRowText());
    expect(afterPageUp).toBeLessThan(20000);
    expect(afterPageUp).toBeGreaterThan(20000 - 100);
  });

  it('sorts by a column and says so (aria-sort)', async () => {
    await panel.getByRole('button', { name: 'Data', exact: true }).click();
    const header = panel.locator('[role=columnheader].col-data');
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    await panel.locator('.scroller').focus();
    await devtools.keyboard.press('Home');
    // Text order: "1" < "10" < "100" ...
    await expect.poll(selectedRowText).toBe('1');
    await devtools.keyboard.press('ArrowDown');
    await expect.poll(selectedRowText).toBe('10');
    await panel.getByRole('button', { name: 'Data', exact: true }).click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    await devtools.keyboard.press('Home');
    await expect.poll(selectedRowText).toBe('9999');
    await panel.getByRole('button', { name: 'Time', exact: true }).click();
  });

  it("keeps tabs apart: each tab's panel shows only its own streams", async () => {
    const other = await browser.context.newPage();
    await other.goto(`${server.url}/test/blank.html?other`);
    await other.evaluate(async () => (await fetch('/test/stream?count=2&prefix=other')).text());
    const { panel: otherPanel } = await openSsePanel(browser, other);
    await expect.poll(() => otherPanel.locator('tr[data-connection-id]').count()).toBe(1);
    expect(await otherPanel.locator('tr[data-connection-id] .url-path').textContent()).toContain('prefix=other');
    expect(await panel.locator('tr[data-connection-id] .url-path').allTextContents()).toEqual(['/test/many?count=20000']);
    await other.close();
  });

  it('clears the log on navigation unless Preserve log is on, and Clear empties it', async () => {
    await page.reload();
    await expect.poll(() => panel.locator('tr[data-connection-id]').count()).toBe(0);
    await page.evaluate(async () => (await fetch('/test/stream?count=2&prefix=before')).text());
    await expect.poll(() => panel.locator('tr[data-connection-id]').count()).toBe(1);
    await panel.getByLabel('Preserve log').check();
    await page.reload();
    await page.evaluate(async () => (await fetch('/test/stream?count=2&prefix=after')).text());
    await expect
      .poll(async () => (await panel.locator('tr[data-connection-id] .url-path').allTextContents()).join(' '))
      .toMatch(/prefix=before.*prefix=after/);
    await panel.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => panel.locator('.empty-state').count()).toBe(1);
    await panel.getByLabel('Preserve log').uncheck();
  });

  it('passes an axe-core audit with no violation at all, in the docked DevTools window, in every tab', async () => {
    await page.evaluate(async () => (await fetch('/test/stream?count=3&prefix=axe&comment=1')).text());
    await expect.poll(() => panel.locator('tr[data-connection-id]').count()).toBe(1);
    await selectConnectionRow(panel, 'tr[data-connection-id]');
    await panel.click('.event-row.kind-event');
    expect(await runAxe(panel)).toEqual([]);
    for (const tab of ['timeline', 'conversation', 'request', 'replay', 'events']) {
      await panel.locator(`[role=tab][data-tab=${tab}]`).focus();
      await devtools.keyboard.press('Enter');
      await expect.poll(() => panel.locator(`[role=tab][data-tab=${tab}]`).getAttribute('aria-selected')).toBe('true');
      const violations = await runAxe(panel);
      // The conversation view is another room's (src/panel/conversation): held to serious/critical here.
      expect(
        tab === 'conversation' ? violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') : violations,
        tab,
      ).toEqual([]);
    }
  });

  it('follows the DevTools theme: dark', async () => {
    expect(await panel.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    ({ panel, devtools } = await setDevtoolsPreferences(browser, page, devtools, { 'ui-theme': 'dark' }));
    await expect.poll(() => panel.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const background = await panel.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(32, 33, 36)');
    ({ panel, devtools } = await setDevtoolsPreferences(browser, page, devtools, { 'ui-theme': 'default' }));
  });
});

describe('the SSE panel in Simplified Chinese', () => {
  it('shows its UI strings in zh_CN when the browser speaks Chinese', async () => {
    const chinese = await launchWithExtension({ devtools: true, lang: 'zh-CN' });
    try {
      const tab = await chinese.context.newPage();
      await tab.goto(`${server.url}/test/all-kinds.html?prefix=top`);
      await tab.waitForFunction(() => (window as unknown as { __done: boolean }).__done === true);
      const { panel: zhPanel } = await openSsePanel(chinese, tab);
      await expect.poll(() => zhPanel.locator('.summary').textContent()).toBe('8 个连接，24 个事件');
      const toolbar = await zhPanel.locator('.toolbar').textContent();
      expect(toolbar).toContain('清除');
      expect(toolbar).toContain('保留日志');
      expect(toolbar).toContain('导出 HAR');
    } finally {
      await chinese.close();
    }
  });
});
