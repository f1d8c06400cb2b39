/**
 * Deep capture in real Chromium: an EventSource whose server sends an event type no listener asks
 * for. In page mode the panel does not have it (and says deep capture could show it); with deep
 * capture turned on from the panel's toolbar (explanation, then confirm: chrome.debugger attaches
 * to the tab) the event is in the panel, on a connection marked as seen on the page and on the
 * wire. Unticking, and closing the last panel of the tab, detach.
 *
 * Chrome refuses `debugger` as an optional permission, so deep capture is a build with it
 * (`SSE_DEEP_CAPTURE=1 vite build`): this file uses SSE_EXTENSION_DIR when that build has the
 * permission, else builds one of its own into a temporary directory.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { currentServiceWorker, EXTENSION_DIR, launchWithExtension, tabIdOf, type ExtensionBrowser } from './browser';
import { startServer, type StartedServer } from '../server/sse-server';

const STREAM_CHUNKS = ['data: first\n\n', 'event: secret\ndata: hidden-payload\n\n', 'data: last\n\n'];

const RESULTS = resolve(import.meta.dirname, '../../test-results');
let server: StartedServer;
let browser: ExtensionBrowser;
let builtDir: string | undefined;

function hasDebuggerPermission(dir: string): boolean {
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest)) return false;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { permissions?: string[] }).permissions?.includes('debugger') ?? false;
}

beforeAll(async () => {
  let dir = EXTENSION_DIR;
  if (!hasDebuggerPermission(dir)) {
    builtDir = mkdtempSync(join(tmpdir(), 'sse-devtools-deep-'));
    execFileSync('npx', ['vite', 'build', '--outDir', builtDir, '--logLevel', 'warn'], {
      cwd: resolve(import.meta.dirname, '../..'),
      env: { ...process.env, SSE_DEEP_CAPTURE: '1' },
      stdio: 'inherit',
    });
    dir = builtDir;
  }
  server = await startServer();
  browser = await launchWithExtension({ extensionDir: dir });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (builtDir !== undefined) rmSync(builtDir, { recursive: true, force: true });
});

/** Opens an EventSource that listens for `message` only, and resolves when the last event came. */
function runStream(page: Page, prefix: string): Promise<string[]> {
  const query = STREAM_CHUNKS.map((chunk) => `raw=${Buffer.from(chunk).toString('base64url')}`).join('&');
  return page.evaluate(
    (url) =>
      new Promise<string[]>((done) => {
        const heard: string[] = [];
        const source = new EventSource(url);
        source.addEventListener('message', (event) => {
          heard.push(event.data as string);
          if (event.data === 'last') {
            source.close();
            done(heard);
          }
        });
      }),
    `/test/stream?${query}&delay=150&run=${prefix}`,
  );
}

const logOf = async (tabId: number): Promise<unknown[]> =>
  (await currentServiceWorker(browser)).evaluate(
    (id) =>
      (globalThis as unknown as { sseDevtools: { tabs: Map<number, { log: { records: unknown[] } }> } }).sseDevtools.tabs.get(id)!
        .log.records,
    tabId,
  );

const isOn = async (tabId: number) =>
  (await currentServiceWorker(browser)).evaluate(
    (id) => (globalThis as unknown as { sseDevtools: { deep: { isOn(tab: number): boolean } } }).sseDevtools.deep.isOn(id),
    tabId,
  );

describe('deep capture (Chromium, chrome.debugger)', () => {
  it('shows an event type no listener asks for only with deep capture on, and detaches when asked', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/test/blank.html`);
    const tabId = await tabIdOf(browser, page);
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?tabId=${tabId}`);
    await panel.waitForSelector('.deep-capture-toggle');

    // Page mode: the page hears first and last; the panel has no "secret" event, and says why.
    expect(await runStream(page, 'page')).toEqual(['first', 'last']);
    await panel.waitForFunction(() => document.querySelectorAll('tr[data-connection-id]').length === 1);
    await panel.locator('tr[data-connection-id]').first().click();
    await panel.waitForSelector('[data-fact="listened"]');
    expect(await panel.locator('[data-fact="listened"]').innerText()).toContain('Deep capture');
    expect(await panel.locator('body').innerText()).not.toContain('hidden-payload');
    expect(await panel.locator('[data-seen]').count()).toBe(0);

    // Turn it on: first the explanation of the debugging bar, then the confirm click attaches.
    await panel.locator('.deep-capture-toggle').check();
    await panel.waitForSelector('.deep-capture-explain');
    expect(await panel.locator('.deep-capture-explain').innerText()).toContain('debugging this browser');
    expect(await isOn(tabId)).toBe(false);
    await panel.screenshot({ path: resolve(RESULTS, 'deep-capture-explain.png') });
    await panel.locator('.deep-capture-confirm').click();
    await expect.poll(() => isOn(tabId), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => panel.locator('.deep-capture-toggle').isChecked()).toBe(true);

    // The same stream again: the wire view has the event the page never heard.
    expect(await runStream(page, 'deep')).toEqual(['first', 'last']);
    await panel.locator('td.all-row').click();
    await expect.poll(() => panel.locator('body').innerText(), { timeout: 10_000 }).toContain('hidden-payload');
    await expect.poll(() => panel.locator('[data-seen="wire"], [data-seen="both"]').count()).toBeGreaterThan(0);
    const seen = await panel.locator('[data-seen]').evaluateAll((badges) => badges.map((b) => (b as HTMLElement).dataset.seen));
    // The page's second stream and the wire's are the same request: both marked "both"; the first stays the page's.
    expect(seen.sort()).toEqual(['both', 'both', 'page']);
    await panel.screenshot({ path: resolve(RESULTS, 'deep-capture-on.png') });

    // In the worker's log: a wire stream carrying the "secret" event.
    const records = await (
      await currentServiceWorker(browser)
    ).evaluate(
      (id) =>
        (globalThis as unknown as { sseDevtools: { tabs: Map<number, { log: { records: unknown[] } }> } }).sseDevtools.tabs.get(
          id,
        )!.log.records,
      tabId,
    );
    const wireEvents = (records as { type: string; stream: string; items?: { type: string; data: string }[] }[])
      .filter((r) => r.type === 'sse' && r.stream.startsWith('wire:'))
      .flatMap((r) => r.items ?? []);
    expect(wireEvents.map((e) => `${e.type}:${e.data}`)).toEqual(['message:first', 'secret:hidden-payload', 'message:last']);

    // A fetch answered with text/event-stream: the wire has its bytes, exactly what the page read.
    const pageText = await page.evaluate(async () => {
      const response = await fetch('/test/stream?count=3&type=secret&prefix=wire&delay=50');
      return (window as unknown as { readAll(r: Response): Promise<string> }).readAll(response);
    });
    expect(pageText).toContain('event: secret');
    const wireText = async () => {
      const all = await (
        await currentServiceWorker(browser)
      ).evaluate(
        (id) =>
          (globalThis as unknown as { sseDevtools: { tabs: Map<number, { log: { records: unknown[] } }> } }).sseDevtools.tabs.get(
            id,
          )!.log.records,
        tabId,
      );
      const typed = all as { type: string; stream: string; kind?: string; text?: string; seenOn?: string }[];
      const fetched = typed.find((r) => r.type === 'stream-open' && r.seenOn === 'wire' && r.kind === 'fetch');
      if (fetched === undefined) return undefined;
      return typed
        .filter((r) => r.type === 'stream-chunk' && r.stream === fetched.stream)
        .map((r) => r.text)
        .join('');
    };
    await expect.poll(wireText, { timeout: 10_000 }).toBe(pageText);

    // A dedicated worker reading an SSE fetch stream: the page tap cannot see it, the wire does, byte for byte.
    const workerText = await page.evaluate(
      (url) =>
        new Promise<string>((done) => {
          const code = `fetch(${JSON.stringify(url)}).then((r) => r.text()).then((text) => postMessage(text));`;
          const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
          worker.onmessage = (event) => {
            worker.terminate();
            done(event.data as string);
          };
        }),
      `${server.url}/test/stream?count=3&type=in-worker&prefix=worker&delay=50`,
    );
    expect(workerText).toContain('event: in-worker');
    const workerStreams = async () => {
      const all = (await logOf(tabId)) as { type: string; stream: string; url?: string; text?: string; seenOn?: string }[];
      const opened = all.filter((r) => r.type === 'stream-open' && r.url?.includes('prefix=worker') === true);
      return opened.map((open) => ({
        seenOn: open.seenOn,
        text: all
          .filter((r) => r.type === 'stream-chunk' && r.stream === open.stream)
          .map((r) => r.text)
          .join(''),
      }));
    };
    await expect.poll(workerStreams, { timeout: 10_000 }).toEqual([{ seenOn: 'wire', text: workerText }]);

    // Unticking detaches at once.
    await panel.locator('.deep-capture-toggle').uncheck();
    await expect.poll(() => isOn(tabId), { timeout: 10_000 }).toBe(false);

    // On again, then the last panel of the tab closes: detached.
    await panel.locator('.deep-capture-toggle').check();
    await panel.locator('.deep-capture-confirm').click();
    await expect.poll(() => isOn(tabId), { timeout: 10_000 }).toBe(true);
    await panel.close();
    await expect.poll(() => isOn(tabId), { timeout: 10_000 }).toBe(false);
    await page.close();
  });
});

describe('the default build (no debugger permission)', () => {
  it('has no deep capture: no toggle, no hint, the background says unavailable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sse-devtools-default-'));
    let plain: ExtensionBrowser | undefined;
    try {
      execFileSync('npx', ['vite', 'build', '--outDir', dir, '--logLevel', 'warn'], {
        cwd: resolve(import.meta.dirname, '../..'),
        env: { ...process.env, SSE_DEEP_CAPTURE: '' },
        stdio: 'inherit',
      });
      expect(hasDebuggerPermission(dir)).toBe(false);
      plain = await launchWithExtension({ extensionDir: dir });
      const page = await plain.context.newPage();
      await page.goto(`${server.url}/test/blank.html`);
      const tabId = await tabIdOf(plain, page);
      const panel = await plain.context.newPage();
      await panel.goto(`chrome-extension://${plain.extensionId}/src/panel/panel.html?tabId=${tabId}`);
      expect(await runStream(page, 'default')).toEqual(['first', 'last']);
      await panel.waitForFunction(() => document.querySelectorAll('tr[data-connection-id]').length === 1);
      await panel.locator('tr[data-connection-id]').first().click();
      await panel.waitForSelector('[data-fact="listened"]');
      expect(await panel.locator('[data-fact="listened"]').innerText()).not.toContain('Deep capture');
      expect(await panel.locator('.deep-capture-toggle').count()).toBe(0);
      const available = await (
        await currentServiceWorker(plain)
      ).evaluate(() => (globalThis as unknown as { sseDevtools: { deep: { available: boolean } } }).sseDevtools.deep.available);
      expect(available).toBe(false);
    } finally {
      await plain?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
