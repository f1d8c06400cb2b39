/**
 * Nothing promised is forgotten: real Chromium, the real test server, the extension loaded.
 *
 * Chrome stops an idle extension worker after ~30 s (here: CDP `ServiceWorker.stopAllWorkers`, the
 * same thing on demand), panels close and reopen, DevTools is opened long after the streams ended,
 * iframes go away, pages navigate with Preserve log on. In every case the panel must show every
 * event the page received. Counted with our own LogStore over what the background sent the panel,
 * against what the page itself saw; where the real DevTools panel is open, its table is read too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  capturedByTab,
  currentServiceWorker,
  launchWithExtension,
  openSsePanel,
  stopServiceWorker,
  tabIdOf,
  type ExtensionBrowser,
} from './browser';
import { startServer, type StartedServer } from '../server/sse-server';
import { LogStore } from '../../src/core/log-store';
import type { StoredRecord } from '../../src/protocol';

let server: StartedServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

/** Event data the panel would show for these records (fetch streams parsed as the panel parses them). */
function eventData(records: StoredRecord[]): string[] {
  const store = new LogStore();
  store.apply(records);
  return store.items.flatMap(({ item }) => (item.kind === 'event' ? [item.data] : []));
}

/** Runs an EventSource and a fetch stream of `count` events each in the page; resolves with what the page received. */
function streamBoth(page: Page, prefix: string, count: number, delay: number): Promise<string[]> {
  return page.evaluate(
    async ({ prefix, count, delay }) => {
      const got: string[] = [];
      const viaEventSource = new Promise<void>((resolve) => {
        const source = new EventSource(`/test/stream?count=${count}&prefix=${prefix}-es&delay=${delay}`);
        let n = 0;
        source.onmessage = (event) => {
          got.push(event.data);
          if (++n === count) {
            source.close();
            resolve();
          }
        };
      });
      const viaFetch = (async () => {
        const response = await fetch(`/test/stream?count=${count}&prefix=${prefix}-f&delay=${delay}`);
        const text: string = await (window as unknown as { readAll(r: Response): Promise<string> }).readAll(response);
        for (const line of text.split('\n')) if (line.startsWith('data: ')) got.push(line.slice(6));
      })();
      await Promise.all([viaEventSource, viaFetch]);
      return got;
    },
    { prefix, count, delay },
  );
}

const sorted = (values: string[]) => [...values].sort();

describe('durability: nothing is lost', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the worker is stopped after the streams ended; the panel opened afterwards shows every event', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/test/blank.html`);
    const received = await streamBoth(page, 'closed', 20, 0);
    expect(received).toHaveLength(40);
    const tabId = await tabIdOf(browser, page);
    await stopServiceWorker(browser, page);
    const records = (await capturedByTab(browser, [tabId])).get(tabId) ?? [];
    expect(sorted(eventData(records))).toEqual(sorted(received));
    await page.close();
  });

  it('the panel is closed and reopened (twice, with a worker stop between): every event each time', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/test/blank.html`);
    const first = await streamBoth(page, 'before', 10, 0);
    const tabId = await tabIdOf(browser, page);
    expect(sorted(eventData((await capturedByTab(browser, [tabId])).get(tabId) ?? []))).toEqual(sorted(first));
    // The panel is closed now: the page goes on recording only.
    const second = await streamBoth(page, 'between', 10, 0);
    expect(sorted(eventData((await capturedByTab(browser, [tabId])).get(tabId) ?? []))).toEqual(sorted([...first, ...second]));
    await stopServiceWorker(browser, page);
    const third = await streamBoth(page, 'after-stop', 10, 0);
    expect(sorted(eventData((await capturedByTab(browser, [tabId])).get(tabId) ?? []))).toEqual(
      sorted([...first, ...second, ...third]),
    );
    await page.close();
  });

  it('an iframe that went away, then a worker stop: its events are still in the tab’s log', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/test/blank.html`);
    await page.evaluate(() => {
      const frame = document.createElement('iframe');
      frame.src = '/test/blank.html?frame';
      document.body.append(frame);
      return new Promise((resolve) => frame.addEventListener('load', resolve));
    });
    const frame = page.frames().find((f) => f.url().includes('?frame'))!;
    const inFrame = await frame.evaluate(async () => {
      const response = await fetch('/test/stream?count=7&prefix=gone');
      return (window as unknown as { readAll(r: Response): Promise<string> }).readAll(response);
    });
    expect(inFrame).toContain('gone 7');
    // The iframe navigates away (its document, and the log it held, go), then the worker stops.
    await frame.evaluate(() => (location.href = '/test/blank.html?elsewhere'));
    await page.waitForFunction(() => document.querySelector('iframe')?.contentWindow?.location.href.includes('elsewhere'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const tabId = await tabIdOf(browser, page);
    await stopServiceWorker(browser, page);
    const records = (await capturedByTab(browser, [tabId])).get(tabId) ?? [];
    expect(eventData(records)).toEqual(Array.from({ length: 7 }, (_, i) => `gone ${i + 1}`));
    await page.close();
  });

  it('a navigation without Preserve log starts afresh: the old page’s iframe does not leak in, the new page’s iframe is there', async () => {
    const page = await browser.context.newPage();
    const withFrame = async (prefix: string) => {
      await page.evaluate((p) => {
        const frame = document.createElement('iframe');
        frame.src = `/test/blank.html?${p}`;
        document.body.append(frame);
        return new Promise((resolve) => frame.addEventListener('load', resolve));
      }, prefix);
      const frame = page.frames().find((f) => f.url().includes(`?${prefix}`))!;
      return frame.evaluate(async (p) => {
        const response = await fetch(`/test/stream?count=3&prefix=${p}`);
        return (window as unknown as { readAll(r: Response): Promise<string> }).readAll(response);
      }, prefix);
    };
    await page.goto(`${server.url}/test/blank.html?old-page`);
    await withFrame('old-frame');
    await page.goto(`${server.url}/test/blank.html?new-page`);
    await withFrame('new-frame');
    const tabId = await tabIdOf(browser, page);
    const records = (await capturedByTab(browser, [tabId])).get(tabId) ?? [];
    expect(eventData(records)).toEqual(['new-frame 1', 'new-frame 2', 'new-frame 3']);
    await page.close();
  });

  it('Clear, then Preserve log toggled, then a worker stop: what was cleared does not come back', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/test/blank.html?clear`);
    const tabId = await tabIdOf(browser, page);
    await streamBoth(page, 'cleared', 5, 0);
    // Clear and toggle Preserve log as the panel's buttons do (its requests, on a panel port).
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?tabId=${tabId}`);
    await panel.evaluate(
      (id) =>
        new Promise((resolve) => {
          const port = chrome.runtime.connect({ name: 'sse-panel' });
          port.postMessage({ type: 'panel-hello', tabId: id });
          setTimeout(() => {
            port.postMessage({ type: 'clear' });
            port.postMessage({ type: 'set-preserve', preserve: true });
            port.postMessage({ type: 'set-preserve', preserve: false });
            setTimeout(resolve, 500);
          }, 500);
        }),
      tabId,
    );
    await panel.close();
    const kept = await streamBoth(page, 'kept', 5, 0);
    await stopServiceWorker(browser, page);
    const records = (await capturedByTab(browser, [tabId])).get(tabId) ?? [];
    expect(sorted(eventData(records))).toEqual(sorted(kept));
    await page.close();
  });

  it('Preserve log on, the page navigates, the worker stops: the previous page’s events are still there', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/test/blank.html?first`);
    const tabId = await tabIdOf(browser, page);
    // Turn Preserve log on as the panel's checkbox does (its request, on a panel port).
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?tabId=${tabId}`);
    await panel.evaluate((id) => {
      const port = chrome.runtime.connect({ name: 'sse-panel' });
      port.postMessage({ type: 'panel-hello', tabId: id });
      port.postMessage({ type: 'set-preserve', preserve: true });
    }, tabId);
    await panel.close();
    const first = await streamBoth(page, 'first-page', 5, 0);
    await page.goto(`${server.url}/test/blank.html?second`);
    const second = await streamBoth(page, 'second-page', 5, 0);
    await stopServiceWorker(browser, page);
    const records = (await capturedByTab(browser, [tabId])).get(tabId) ?? [];
    expect(sorted(eventData(records))).toEqual(sorted([...first, ...second]));
    await page.close();
  });
});

describe('durability with the real DevTools panel open', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension({ devtools: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the worker is stopped while the panel is open and streams are live: the panel ends with every event', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/test/blank.html`);
    const { panel } = await openSsePanel(browser, page);
    const streaming = streamBoth(page, 'live', 60, 40);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await stopServiceWorker(browser, page);
    const received = await streaming;
    expect(received).toHaveLength(120);
    // The panel reconnects by itself; the restarted worker asks the page again.
    await panel.waitForFunction(() => /120 events/.test(document.body.innerText), null, { timeout: 20_000 });
    const tabId = await tabIdOf(browser, page);
    const worker = await currentServiceWorker(browser);
    const records = (await worker.evaluate(
      (id) =>
        (globalThis as unknown as { sseDevtools: { tabs: Map<number, { log: { records: unknown[] } }> } }).sseDevtools.tabs.get(
          id,
        )?.log.records ?? [],
      tabId,
    )) as StoredRecord[];
    expect(sorted(eventData(records))).toEqual(sorted(received));
  });
});

describe('DevTools opened a minute after the streams ended', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows every event, the worker having been stopped meanwhile', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/test/blank.html`);
    const received = await streamBoth(page, 'minute', 15, 0);
    const tabId = await tabIdOf(browser, page);
    const started = browser.serviceWorker;
    await new Promise((resolve) => setTimeout(resolve, 61_000));
    // Chrome stops an idle worker after ~30 s, but not one a debugger (Playwright) is attached to:
    // stop it as Chrome would, unless it already was.
    const stoppedByChrome = !browser.context.serviceWorkers().includes(started);
    if (!stoppedByChrome) await stopServiceWorker(browser, page);
    const records = (await capturedByTab(browser, [tabId])).get(tabId) ?? [];
    expect(sorted(eventData(records))).toEqual(sorted(received));
    console.log(`the idle worker was ${stoppedByChrome ? '' : 'not '}stopped by Chrome during the minute`);
  }, 120_000);
});
