/**
 * Firefox: the built dist/firefox loads as a temporary add-on (WebDriver BiDi, no geckodriver), the
 * page still gets exactly what it got before, and the tap works in the top frame and the iframe:
 * the batches the page world hands to the relay (it only sends them once the relay has answered,
 * so they also prove the relay runs) carry every stream and, parsed as the panel parses them,
 * every event. Firefox's DevTools panel itself is only reachable through browser internals and is
 * not driven here.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startServer, type StartedServer } from '../server/sse-server';
import { LogStore } from '../../src/core/log-store';
import { parsePageBatch, type StoredRecord } from '../../src/protocol';

const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const EXTENSION_DIR = resolve(import.meta.dirname, '../../dist/firefox');
// CI installs Firefox (.ci/run), so there a missing Firefox is a failure, not a skip.
const available = existsSync(FIREFOX_PATH) || process.env.CI === 'true';

let server: StartedServer;
let browser: Browser;
let page: Page;

describe.skipIf(!available)('Firefox: the add-on loads and captures', () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true });
    await browser.installExtension(EXTENSION_DIR);
    page = await browser.newPage();
    // Collects, in every frame, the batches the tap posts for the relay (test-only observer).
    await page.evaluateOnNewDocument(() => {
      const seen: string[] = [];
      (window as unknown as { __batches: string[] }).__batches = seen;
      window.addEventListener('sse-devtools:batch', (event) => seen.push(String((event as CustomEvent).detail)));
    });
    await page.goto(`${server.url}/test/all-kinds.html?prefix=top`);
    await page.waitForFunction(() => (window as unknown as { __done: boolean }).__done === true, { timeout: 30_000 });
    // Let the last batches (≤ 50 ms) go out.
    await new Promise((r) => setTimeout(r, 300));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function modelOf(frame: 'top' | 'frame'): Promise<LogStore> {
    const target = frame === 'top' ? page.mainFrame() : page.mainFrame().childFrames()[0]!;
    const batches = await target.evaluate(() => (window as unknown as { __batches: string[] }).__batches);
    const store = new LogStore();
    let seq = 0;
    for (const json of batches) {
      const batch = parsePageBatch(json);
      expect(batch).not.toBeNull();
      expect(batch!.invalid).toBe(0);
      store.apply(batch!.records.map((r) => ({ ...r, frameId: 0, seq: seq++ }) as StoredRecord));
    }
    return store;
  }

  for (const frame of ['top', 'frame'] as const) {
    it(`${frame} frame: the page got its data, and every stream and event was captured`, async () => {
      const target = frame === 'top' ? page.mainFrame() : page.mainFrame().childFrames()[0]!;
      const received = await target.evaluate(() => (window as unknown as { __received: { es: unknown[]; get: string; json: unknown } }).__received);
      expect(received.es).toHaveLength(3);
      expect(received.get).toContain(`data: ${frame}-get 3\n\n`);
      expect(received.json).toEqual({ ok: true });

      const store = await modelOf(frame);
      const streams = store.connectionList.map((c) => `${c.kind} ${c.method} ${/prefix=([a-z-]+?)(&|$)/.exec(c.url)?.[1]}`);
      expect(streams.sort()).toEqual(
        [`eventsource GET ${frame}-es`, `fetch GET ${frame}-get`, `fetch POST ${frame}-post`, `xhr GET ${frame}-xhr`].sort(),
      );
      for (const connection of store.connectionList) {
        const prefix = /prefix=([a-z-]+?)(&|$)/.exec(connection.url)![1]!;
        const events = store.items
          .filter((logged) => logged.connectionId === connection.id && logged.item.kind === 'event')
          .map(({ item }) => (item.kind === 'event' ? [item.data, item.lastEventId] : []));
        expect(events).toEqual([1, 2, 3].map((i) => [`${prefix} ${i}`, `${prefix}-${i}`]));
        expect(connection.state).toBe('closed');
      }
      const post = store.connectionList.find((c) => c.method === 'POST')!;
      expect(post.requestBody?.text).toBe('{"prompt":"hi"}');
    });
  }
});
