/**
 * The trust boundary, in real Chromium: a page that forges our batches in a loop (huge, malformed,
 * or plausible) cannot starve another tab's capture; what the relay refuses is counted with its
 * reason; a content script cannot open a panel port and read a tab's log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { capturedByTab, currentServiceWorker, launchWithExtension, tabIdOf, type ExtensionBrowser } from './browser';
import { startServer, type StartedServer } from '../server/sse-server';
import { LogStore } from '../../src/core/log-store';
import type { LogStats } from '../../src/protocol';

let server: StartedServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function streamInPage(page: Page, count: number): Promise<string> {
  return page.evaluate(async (n) => {
    const response = await fetch(`/test/stream?count=${n}&prefix=calm&delay=5`);
    return (window as unknown as { readAll(r: Response): Promise<string> }).readAll(response);
  }, count);
}

describe('trust boundary', () => {
  it('a page flooding forged batches cannot starve another tab, and its refusals are counted', async () => {
    const flooder = await browser.context.newPage();
    await flooder.goto(`${server.url}/test/blank.html?flood`);
    const calm = await browser.context.newPage();
    await calm.goto(`${server.url}/test/blank.html?calm`);
    const flooderTab = await tabIdOf(browser, flooder);
    const calmTab = await tabIdOf(browser, calm);

    // Forged batches: 40 plausible envelopes of 8 MiB (320 MiB), oversized ones, and garbage.
    const flooding = flooder.evaluate(async () => {
      const big = `{"v":2,"at":0,"records":[{"type":"capture-issue","message":"${'x'.repeat(8 * 1024 * 1024)}","time":1}]}`;
      const huge = `{"v":2,${' '.repeat(17 * 1024 * 1024)}`;
      let sent = 0;
      for (let round = 0; round < 10; round++) {
        for (const detail of [big, big, big, big, huge, 'garbage', { v: 2, records: 'no' }]) {
          window.dispatchEvent(new CustomEvent('sse-devtools:batch', { detail }));
          sent++;
        }
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      return sent;
    });
    const text = await streamInPage(calm, 200);
    expect(await flooding).toBe(70);

    const records = (await capturedByTab(browser, [calmTab])).get(calmTab) ?? [];
    const store = new LogStore();
    store.apply(records);
    const data = store.items.flatMap(({ item }) => (item.kind === 'event' ? [item.data] : []));
    expect(data).toEqual(Array.from({ length: 200 }, (_, i) => `calm ${i + 1}`));
    expect(text).toContain('calm 200');

    // The flooding tab's log says what was refused, and why (the relay reports within a second).
    await capturedByTab(browser, [flooderTab]);
    const worker = await currentServiceWorker(browser);
    const stats = (await worker.evaluate(
      (id) =>
        (globalThis as unknown as { sseDevtools: { tabs: Map<number, { log: { stats: LogStats } }> } }).sseDevtools.tabs.get(id)
          ?.log.stats,
      flooderTab,
    )) as LogStats;
    // Reasons travel as codes with the cap's size (protocol/drop-reasons.ts); the panel words them.
    const reasons = stats.droppedReasons.map((drop) => drop.reason).join('\n');
    // Whether the 64 MiB/s budget itself was exceeded depends on how fast this machine lets the page
    // post (the bucket's arithmetic is unit-tested in src/relay/budget.test.ts); refusals by size and
    // shape are counted whatever the speed.
    expect(reasons).toMatch(new RegExp(`^relay-batch-too-large:${16 * 1024 * 1024}$`, 'm'));
    expect(reasons).toMatch(/^relay-malformed$/m);
    expect(stats.dropped).toBeGreaterThan(0);

    // …and the panel says so.
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?tabId=${flooderTab}`);
    await panel.waitForFunction(() => /× a malformed batch was refused by the relay/.test(document.body.innerText), null, {
      timeout: 15_000,
    });
    await panel.close();
  });

  it('a content script cannot open a panel port: the background disconnects it at once', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/test/blank.html`);
    // The isolated world of the relay is a content script like any other: run one there through CDP.
    const session = await browser.context.newCDPSession(page);
    await session.send('Runtime.enable');
    const contexts: { id: number; name: string; origin: string; auxData?: { type?: string } }[] = [];
    session.on('Runtime.executionContextCreated', (event) => contexts.push(event.context));
    await page.reload();
    await page.waitForLoadState('load');
    const isolated = contexts.find(
      (c) => c.auxData?.type === 'isolated' && c.origin.startsWith(`chrome-extension://${browser.extensionId}`),
    );
    expect(isolated, 'the relay’s isolated world').toBeDefined();
    const answer = await session.send('Runtime.evaluate', {
      contextId: isolated!.id,
      awaitPromise: true,
      returnByValue: true,
      expression: `new Promise((resolve) => {
        const port = chrome.runtime.connect({ name: 'sse-panel' });
        let got = 0;
        port.onMessage.addListener(() => got++);
        port.onDisconnect.addListener(() => resolve({ disconnected: true, got }));
        port.postMessage({ type: 'panel-hello', tabId: 1 });
        setTimeout(() => resolve({ disconnected: false, got }), 3000);
      })`,
    });
    expect(answer.exceptionDetails, JSON.stringify(answer.exceptionDetails)).toBeUndefined();
    expect(answer.result.value).toEqual({ disconnected: true, got: 0 });
    await session.detach();
  });
});
