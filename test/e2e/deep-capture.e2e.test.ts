/**
 * Deep capture in real Chromium: an EventSource whose server sends an event type no listener asks
 * for. In page mode the panel does not have it (and says deep capture could show it); with deep
 * capture turned on from the panel's toolbar (explanation, then confirm: chrome.debugger attaches
 * to the tab) the event is in the panel, on a connection marked as seen on the page and on the
 * wire. Unticking, and closing the last panel of the tab, detach.
 *
 * The fixture page (test/server/pages/test/deep/): a dedicated Worker reading a fetch stream, a
 * SharedWorker with an EventSource, the service worker fetching a stream, and an EventSource whose
 * server sends an `update` event no listener asks for. In page mode the panel has none of the
 * workers' streams nor the unheard event (the page tap does not run in workers), and says deep
 * capture could show it; in deep mode every event of the four is in the panel and in the HAR export,
 * and the wire's text of each stream is the fixture's bytes exactly; a shared worker started while
 * deep capture is on is followed too. Unticking detaches the tab and the shared workers. Frames of
 * another site (out of process: targets of their own), there before or added after: their page's and
 * their dedicated worker's streams are on the wire byte for byte. An AI chat client in a dedicated
 * worker: the Conversation view assembles its reply from the wire, search and the timeline have it,
 * the HAR has its bytes. Once more
 * with the real DevTools window open, on a first visit: the service worker is registered and the
 * shared worker started while deep capture is on.
 *
 * Chrome refuses `debugger` as an optional permission, so deep capture is a build with it
 * (`SSE_DEEP_CAPTURE=1 vite build`, `npm run build` writes it to dist/chrome-deep): this file uses
 * SSE_EXTENSION_DIR when that build has the permission, else dist/chrome-deep, else builds one of
 * its own into a temporary directory.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import type { Har } from '../../src/core/har';
import {
  currentServiceWorker,
  EXTENSION_DIR,
  launchWithExtension,
  openSsePanel,
  tabIdOf,
  type ExtensionBrowser,
} from './browser';
import { startServer, type StartedServer } from '../server/sse-server';

const STREAM_CHUNKS = ['data: first\n\n', 'event: secret\ndata: hidden-payload\n\n', 'data: last\n\n'];

const RESULTS = resolve(import.meta.dirname, '../../test-results');
let server: StartedServer;
let browser: ExtensionBrowser;
let builtDir: string | undefined;
/** The build with the debugger permission the tests run. */
let deepDir: string;

function hasDebuggerPermission(dir: string): boolean {
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest)) return false;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { permissions?: string[] }).permissions?.includes('debugger') ?? false;
}

const DEEP_DIST = resolve(import.meta.dirname, '../../dist/chrome-deep');

beforeAll(async () => {
  let dir = [EXTENSION_DIR, DEEP_DIST].find(hasDebuggerPermission) ?? '';
  if (dir === '') {
    builtDir = mkdtempSync(join(tmpdir(), 'sse-devtools-deep-'));
    execFileSync('npx', ['vite', 'build', '--outDir', builtDir, '--logLevel', 'warn'], {
      cwd: resolve(import.meta.dirname, '../..'),
      env: { ...process.env, SSE_DEEP_CAPTURE: '1' },
      stdio: 'inherit',
    });
    dir = builtDir;
  }
  deepDir = dir;
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

const logOf = async (tabId: number, of: ExtensionBrowser = browser): Promise<unknown[]> =>
  (await currentServiceWorker(of)).evaluate(
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

/**
 * Ticks Deep capture in `panel`, confirms the explanation, and waits until the background answers
 * that it is on (the debugger attached to the tab): the box itself ticks at once.
 */
async function turnDeepOn(panel: Page | Frame): Promise<void> {
  await panel.locator('.deep-capture-toggle').click(); // (not check(): the box is controlled, and its re-render may come after Playwright looks)
  await panel.locator('.deep-capture-confirm').click();
  await expect.poll(() => panel.locator('.deep-capture-toggle').getAttribute('data-state'), { timeout: 10_000 }).toBe('on');
}

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
    await panel.locator('.deep-capture-toggle').click(); // (not check(): the box is controlled, and its re-render may come after Playwright looks)
    await panel.waitForSelector('.deep-capture-explain');
    expect(await panel.locator('.deep-capture-explain').innerText()).toContain('debugging this browser');
    expect(await isOn(tabId)).toBe(false);
    await panel.screenshot({ path: resolve(RESULTS, 'deep-capture-explain.png') });
    await panel.locator('.deep-capture-confirm').click();
    await expect.poll(() => isOn(tabId), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => panel.locator('.deep-capture-toggle').getAttribute('data-state')).toBe('on');

    // The same stream again: the wire view has the event the page never heard.
    expect(await runStream(page, 'deep')).toEqual(['first', 'last']);
    await panel.locator('td.all-row').click();
    await expect.poll(() => panel.locator('body').innerText(), { timeout: 10_000 }).toContain('hidden-payload');
    await expect.poll(() => panel.locator('[data-seen="wire"], [data-seen="both"]').count()).toBeGreaterThan(0);
    const seen = async () =>
      [
        ...new Set(
          await panel.locator('[data-seen]').evaluateAll((badges) => badges.map((b) => (b as HTMLElement).dataset.seen)),
        ),
      ].sort();
    // The page's second stream and the wire's are the same request, marked "both" (one row or two,
    // as the panel pairs them; until the page's stream reached the panel, the wire's alone is
    // "wire"); the first stays the page's.
    await expect.poll(seen, { timeout: 10_000 }).toEqual(['both', 'page']);
    await panel.screenshot({ path: resolve(RESULTS, 'deep-capture-on.png') });

    // In the worker's log: a wire stream of the EventSource's exact bytes, "secret" event included.
    const wireEventSourceText = async () => {
      const records = (await logOf(tabId)) as { type: string; stream: string; kind?: string; seenOn?: string; text?: string }[];
      const open = records.find((r) => r.type === 'stream-open' && r.seenOn === 'wire' && r.kind === 'eventsource');
      if (open === undefined || !open.stream.startsWith('wire:')) return undefined;
      return records
        .filter((r) => r.type === 'stream-chunk' && r.stream === open.stream)
        .map((r) => r.text)
        .join('');
    };
    await expect.poll(wireEventSourceText, { timeout: 10_000 }).toBe(STREAM_CHUNKS.join(''));

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
    await turnDeepOn(panel);
    await expect.poll(() => isOn(tabId), { timeout: 10_000 }).toBe(true);
    await panel.close();
    await expect.poll(() => isOn(tabId), { timeout: 10_000 }).toBe(false);
    await page.close();
  });
});

const SOURCES = ['worker', 'shared', 'serviceWorker', 'unlistened'] as const;
type Source = (typeof SOURCES)[number];
type Fixture = Record<Source, string[]>;

interface FixtureEvent {
  type: string;
  data: string;
  lastEventId: string;
}

/** The events of a fixture stream, read from its bytes (one event a chunk; `id` carries on, as the spec says). */
function eventsOf(chunks: readonly string[]): FixtureEvent[] {
  let lastEventId = '';
  return chunks.map((chunk) => {
    const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(chunk)?.[1];
    lastEventId = field('id') ?? lastEventId;
    return { type: field('event') ?? 'message', data: field('data') ?? '', lastEventId };
  });
}

const sourceOf = (url: string): Source | undefined => /[?&]source=(\w+)/.exec(url)?.[1] as Source | undefined;
const runOf = (url: string) => /[?&]run=([\w-]+)/.exec(url)?.[1];

/** The text recorded of each wire stream of run `run`, by fixture source (a stream id of a page is never `wire:`). */
function wireTextsOf(log: unknown[], run: string): Partial<Record<Source, string[]>> {
  const records = log as { type: string; stream: string; url?: string; seenOn?: string; text?: string }[];
  const texts: Partial<Record<Source, string[]>> = {};
  for (const open of records) {
    if (open.type !== 'stream-open' || open.seenOn !== 'wire' || runOf(open.url ?? '') !== run) continue;
    expect(open.stream).toMatch(/^wire:/);
    const text = records
      .filter((r) => r.type === 'stream-chunk' && r.stream === open.stream)
      .map((r) => r.text)
      .join('');
    (texts[sourceOf(open.url!)!] ??= []).push(text);
  }
  return texts;
}

/** The panel's connection rows (the full URL is the row's tooltip, on its first line). */
const rowsOf = (panel: Page | Frame) =>
  panel.locator('tr[data-connection-id]').evaluateAll((rows) =>
    rows.map((row) => ({
      id: row.getAttribute('data-connection-id') ?? '',
      url: (row.getAttribute('title') ?? '').split('\n')[0] ?? '',
      seen: (row.querySelector('[data-seen]') as HTMLElement | null)?.dataset.seen ?? '',
    })),
  );

/**
 * The events the panel's table shows for the rows of fixture stream `source` of run `run` (each row
 * selected alone: one merged row or a page row and a wire row, the wire's events are among them).
 */
async function panelEvents(panel: Page | Frame, source: Source, run: string): Promise<{ type: string; data: string }[]> {
  const events: { type: string; data: string }[] = [];
  for (const row of await rowsOf(panel)) {
    if (sourceOf(row.url) !== source || runOf(row.url) !== run) continue;
    await panel.locator(`tr[data-connection-id="${row.id}"]`).click();
    events.push(
      ...(await panel.locator('.event-row.kind-event').evaluateAll((cells) =>
        cells.map((cell) => ({
          type: cell.querySelector('.col-type')?.textContent ?? '',
          // The data cell may carry a tag before the data (e.g. "not heard by the page").
          data: cell.querySelector('.col-data')?.textContent ?? '',
        })),
      )),
    );
  }
  return events;
}

/** Whether every fixture event is among `shown` (same type; the data cell holds the data). */
const allShown = (expected: readonly FixtureEvent[], shown: readonly { type: string; data: string }[]) =>
  expected.every((e) => shown.some((s) => s.type === e.type && s.data.endsWith(e.data)));

/** Waits until the panel shows every event of fixture streams `sources` of run `run`. */
async function expectEveryEventShown(
  panel: Page | Frame,
  fixture: Fixture,
  sources: readonly Source[],
  run: string,
): Promise<void> {
  for (const source of sources) {
    await expect
      .poll(async () => allShown(eventsOf(fixture[source]), await panelEvents(panel, source, run)), {
        timeout: 10_000,
        message: `${source} (${run})`,
      })
      .toBe(true);
  }
}

/** The HAR of the whole log, through the panel's Export HAR button. */
async function exportHar(panel: Page): Promise<Har> {
  await panel.locator('td.all-row').click();
  const download = panel.waitForEvent('download', { timeout: 15_000 });
  await panel.getByRole('button', { name: 'Export HAR', exact: true }).click();
  const path = resolve(RESULTS, 'deep-capture-chromium.har');
  await (await download).saveAs(path);
  return JSON.parse(readFileSync(path, 'utf8')) as Har;
}

/** For each shared worker of the fixture page: whether chrome.debugger (ours or anyone's) is attached to it. */
const sharedWorkersAttached = async () =>
  (await (await currentServiceWorker(browser)).evaluate(() => chrome.debugger.getTargets()))
    .filter((t) => t.url.includes('/test/deep/shared-worker.js'))
    .map((t) => t.attached);

describe('deep capture of the fixture page: workers of every kind, unlistened types, byte for byte', () => {
  let page: Page;
  let panel: Page;
  let tabId: number;
  let fixture: Fixture;
  const run = (id: string) =>
    page.evaluate(
      (r) => (window as unknown as { runDeepStreams(run: string): Promise<Record<Source, string[]>> }).runDeepStreams(r),
      id,
    );

  beforeAll(async () => {
    // A test before that failed half-way may have left a tab of this origin in deep mode: close its
    // panel, so that the shared worker is attached when this tab's deep mode goes on.
    for (const open of browser.context.pages()) if (open.url().includes('/src/panel/panel.html')) await open.close();
    page = await browser.context.newPage();
    await page.goto(`${server.url}/test/deep/index.html`);
    tabId = await tabIdOf(browser, page);
    fixture = await page.evaluate(() => (window as unknown as { deepStreams: Fixture }).deepStreams);
    panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?tabId=${tabId}`);
    await panel.waitForSelector('.deep-capture-toggle');
  });

  afterAll(async () => {
    await panel?.close();
    await page?.close();
  });

  it('page mode: none of the workers’ streams nor the unheard event, and the panel says deep capture could show it', async () => {
    const heard = await run('page-mode');
    // The consumers heard their streams; the page's EventSource never got `update`.
    expect(heard).toEqual({
      worker: ['worker-1', '{"text":"worker-2"}', 'worker-3'],
      shared: ['shared-1', 'shared-2', 'shared-3'],
      serviceWorker: ['sw-1', 'sw-2', 'sw-3'],
      unlistened: ['page-1', 'page-3'],
    });
    await expect
      .poll(async () => (await panelEvents(panel, 'unlistened', 'page-mode')).map((e) => e.data), { timeout: 10_000 })
      .toEqual(['page-1', 'page-3']);
    // Give the workers' streams, were they seen, time to arrive: they are not.
    await new Promise((r) => setTimeout(r, 500));
    const sources = (await rowsOf(panel)).filter((r) => runOf(r.url) === 'page-mode').map((r) => sourceOf(r.url));
    expect(sources).toEqual(['unlistened']);
    await panel.locator('td.all-row').click();
    const body = await panel.locator('body').innerText();
    for (const unseen of ['unheard-update', 'worker-1', 'shared-1', 'sw-1']) expect(body).not.toContain(unseen);
    // What it cannot see: the EventSource's facts name the listened types and point at deep capture.
    const row = (await rowsOf(panel)).find((r) => sourceOf(r.url) === 'unlistened')!;
    await panel.locator(`tr[data-connection-id="${row.id}"]`).click();
    await panel.waitForSelector('[data-fact="listened"]');
    expect(await panel.locator('[data-fact="listened"]').innerText()).toContain('Deep capture');
    expect(await panel.locator('label:has(.deep-capture-toggle)').getAttribute('title')).toContain('never listens for');
    expect(await isOn(tabId)).toBe(false);
  });

  it('deep mode: every event of the four streams is in the panel and the HAR; the wire has each stream’s bytes exactly', async () => {
    await turnDeepOn(panel);
    await expect.poll(() => isOn(tabId), { timeout: 10_000 }).toBe(true);
    // The shared worker (running since page mode) is not the tab's child: attached by its target id.
    await expect.poll(sharedWorkersAttached, { timeout: 10_000 }).toEqual([true]);

    const heard = await run('deep-mode');
    expect(heard.unlistened).toEqual(['page-1', 'page-3']);

    // The background's log: one wire stream per fixture stream, its text the fixture's bytes exactly.
    const wireText = async () => wireTextsOf(await logOf(tabId), 'deep-mode');
    const exact = Object.fromEntries(SOURCES.map((source) => [source, [fixture[source].join('')]]));
    await expect.poll(wireText, { timeout: 15_000 }).toEqual(exact);

    // The panel: every event of every stream, `update` included.
    await expectEveryEventShown(panel, fixture, SOURCES, 'deep-mode');
    await panel.locator('td.all-row').click();
    await panel.screenshot({ path: resolve(RESULTS, 'deep-capture-fixture-on.png') });

    // The HAR: for each stream, a wire entry with every event, and a fetch stream's text byte for byte.
    const har = await exportHar(panel);
    for (const source of SOURCES) {
      const entries = har.log.entries.filter((e) => sourceOf(e.request.url) === source && runOf(e.request.url) === 'deep-mode');
      const wire = entries.filter((e) => (e._sseDevtools as { streamId?: string }).streamId?.startsWith('wire:') === true);
      expect(wire, source).toHaveLength(1);
      const entry = wire[0]!;
      expect(
        entry._eventSourceMessages.map((m) => ({ type: m.eventName, data: m.data, lastEventId: m.eventId })),
        source,
      ).toEqual(eventsOf(fixture[source]));
      // The response text is the bytes, for an EventSource (read on the wire) as for fetch.
      expect(entry.response.content.text, source).toBe(fixture[source].join(''));
    }
  });

  it('a shared worker started while deep capture is on is followed from its first stream', async () => {
    // A new shared worker (its own URL): found when the tab requests its script, attached before it runs.
    const heard = await page.evaluate(
      () =>
        new Promise<string[]>((done) => {
          const worker = new SharedWorker('shared-worker.js?fresh');
          worker.port.onmessage = (event) => done(event.data as string[]);
          worker.port.postMessage({ run: 'fresh-shared' });
        }),
    );
    expect(heard).toEqual(['shared-1', 'shared-2', 'shared-3']);
    const freshText = async () => {
      const records = (await logOf(tabId)) as { type: string; stream: string; url?: string; seenOn?: string; text?: string }[];
      const open = records.find((r) => r.type === 'stream-open' && r.seenOn === 'wire' && runOf(r.url ?? '') === 'fresh-shared');
      return open === undefined
        ? undefined
        : records
            .filter((r) => r.type === 'stream-chunk' && r.stream === open.stream)
            .map((r) => r.text)
            .join('');
    };
    await expect.poll(freshText, { timeout: 10_000 }).toBe(fixture.shared.join(''));
  });

  it('unticking detaches the tab and the shared workers; the next run is not on the wire', async () => {
    await panel.locator('.deep-capture-toggle').uncheck();
    await expect.poll(() => isOn(tabId), { timeout: 10_000 }).toBe(false);
    await expect.poll(async () => (await sharedWorkersAttached()).includes(true), { timeout: 10_000 }).toBe(false);
    await run('after-off');
    await expect
      .poll(async () => (await rowsOf(panel)).some((r) => runOf(r.url) === 'after-off'), { timeout: 10_000 })
      .toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    const records = (await logOf(tabId)) as { type: string; url?: string; seenOn?: string }[];
    expect(records.filter((r) => r.type === 'stream-open' && r.seenOn === 'wire' && runOf(r.url ?? '') === 'after-off')).toEqual(
      [],
    );
  });
});

describe('deep capture of two tabs of one origin', () => {
  it('records their shared worker’s streams in both tabs’ logs, and keeps following it while one is deep', async () => {
    for (const open of browser.context.pages()) if (open.url().includes('/src/panel/panel.html')) await open.close();
    const tabs: { page: Page; tabId: number; panel: Page }[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const page = await browser.context.newPage();
        await page.goto(`${server.url}/test/deep/index.html`);
        const tabId = await tabIdOf(browser, page);
        const panel = await browser.context.newPage();
        tabs.push({ page, tabId, panel });
        await panel.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?tabId=${tabId}`);
        await panel.waitForSelector('.deep-capture-toggle');
        await turnDeepOn(panel);
        expect(await isOn(tabId)).toBe(true);
      }
      const [first, second] = tabs as [(typeof tabs)[0], (typeof tabs)[0]];
      const fixture = await first.page.evaluate(() => (window as unknown as { deepStreams: Fixture }).deepStreams);
      // A SharedWorker of its own URL (an earlier test's may still be shutting down): both tabs connect to it.
      const shared = (page: Page, run: string) =>
        page.evaluate(
          (id) =>
            new Promise<string[]>((done) => {
              const worker = new SharedWorker('shared-worker.js?two-tabs');
              worker.port.onmessage = (event) => done(event.data as string[]);
              worker.port.postMessage({ run: id });
            }),
          run,
        );
      const sharedText = async (tabId: number, run: string) => wireTextsOf(await logOf(tabId), run).shared;
      // One SharedWorker serves both tabs (same script, same origin): what it reads is in both logs.
      expect(await shared(first.page, 'both-tabs')).toEqual(['shared-1', 'shared-2', 'shared-3']);
      for (const { tabId } of tabs) {
        await expect
          .poll(() => sharedText(tabId, 'both-tabs'), { timeout: 10_000, message: `tab ${tabId}` })
          .toEqual([fixture.shared.join('')]);
      }
      // The first tab goes off: the worker is still followed for the second.
      await first.panel.locator('.deep-capture-toggle').uncheck();
      await expect
        .poll(() => first.panel.locator('.deep-capture-toggle').getAttribute('data-state'), { timeout: 10_000 })
        .toBe('off');
      expect(await isOn(first.tabId)).toBe(false);
      expect(await sharedWorkersAttached()).toContain(true);
      expect(await shared(second.page, 'second-only')).toEqual(['shared-1', 'shared-2', 'shared-3']);
      await expect.poll(() => sharedText(second.tabId, 'second-only'), { timeout: 10_000 }).toEqual([fixture.shared.join('')]);
      expect(await sharedText(first.tabId, 'second-only')).toBeUndefined();
    } finally {
      for (const { page, panel } of tabs) {
        await panel.close();
        await page.close();
      }
    }
  });
});

describe('deep capture of cross-origin frames (each in a renderer process of its own)', () => {
  it('has every stream of each frame byte for byte, its page’s and its dedicated worker’s: a frame there before, one added after', async () => {
    // Site isolation puts a frame of another site in a process of its own: to the debugger it is a
    // target of its own (auto-attached to the tab), whose network — and whose workers — the tab's
    // session does not report.
    for (const open of browser.context.pages()) if (open.url().includes('/src/panel/panel.html')) await open.close();
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/test/blank.html`);
    const tabId = await tabIdOf(browser, page);
    const frameOrigin = server.url.replace('127.0.0.1', 'localhost');
    expect(frameOrigin).not.toBe(server.url);
    const addFrame = async (name: string) => {
      await page.evaluate((src) => {
        const frame = document.createElement('iframe');
        frame.src = src;
        document.body.append(frame);
        return new Promise((loaded) => frame.addEventListener('load', loaded, { once: true }));
      }, `${frameOrigin}/test/deep/index.html?${name}`);
      return page.frames().find((f) => f.url().endsWith(`?${name}`))!;
    };
    // A frame of another site gets no service worker nor shared worker here (Chromium blocks
    // third-party storage): the fixture's other two streams, by the functions runDeepStreams calls.
    const inFrame = ['worker', 'unlistened'] as const;
    const runIn = (frame: Frame, run: string) =>
      frame.evaluate(
        (id) =>
          Promise.all(
            ['dedicatedWorkerStream', 'unlistenedEventStream'].map((name) =>
              (window as unknown as Record<string, (run: string) => Promise<unknown>>)[name]!(id),
            ),
          ),
        run,
      );
    const early = await addFrame('early');
    const panel = await browser.context.newPage();
    try {
      await panel.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?tabId=${tabId}`);
      await panel.waitForSelector('.deep-capture-toggle');
      await turnDeepOn(panel);
      await expect.poll(() => isOn(tabId), { timeout: 10_000 }).toBe(true);
      // And one that comes after deep capture is on, as a page that adds its chat widget late.
      const late = await addFrame('late');
      const fixture = await late.evaluate(() => (window as unknown as { deepStreams: Fixture }).deepStreams);
      const heard = await Promise.all([runIn(early, 'frame-early'), runIn(late, 'frame-late')]);
      expect(heard.map((h) => h[1])).toEqual([
        ['page-1', 'page-3'],
        ['page-1', 'page-3'],
      ]);
      const exact = Object.fromEntries(inFrame.map((source) => [source, [fixture[source].join('')]]));
      for (const run of ['frame-early', 'frame-late']) {
        await expect.poll(async () => wireTextsOf(await logOf(tabId), run), { timeout: 15_000, message: run }).toEqual(exact);
        // The panel pairs the frame's page-tap EventSource with its wire copy: `update` shows too.
        await expectEveryEventShown(panel, fixture, ['unlistened'], run);
        const rows = (await rowsOf(panel)).filter((r) => runOf(r.url) === run && sourceOf(r.url) === 'unlistened');
        expect(rows.map((r) => r.seen)).toEqual(['both']);
      }
    } finally {
      await panel.close();
      await page.close();
    }
  });
});

describe('an AI chat streamed by a dedicated worker, seen only on the wire', () => {
  it('the Conversation view assembles its reply; search, the timeline and the HAR have it', async () => {
    const prompt = 'Why is the sky blue?';
    // The playground's reply to `prompt` (test/server/ai-routes.ts replyFor).
    const reply =
      `You asked about “${prompt}”. This answer streams token by token, the way a real model answers, ` +
      'so the Conversation view can assemble it, time it and compare it with the other providers.';
    for (const open of browser.context.pages()) if (open.url().includes('/src/panel/panel.html')) await open.close();
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/test/deep/index.html`);
    const tabId = await tabIdOf(browser, page);
    const panel = await browser.context.newPage();
    try {
      await panel.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?tabId=${tabId}`);
      await panel.waitForSelector('.deep-capture-toggle');
      await turnDeepOn(panel);
      await expect.poll(() => isOn(tabId), { timeout: 10_000 }).toBe(true);
      const wireText = await page.evaluate(
        (asked) =>
          new Promise<string>((done) => {
            const worker = new Worker('ai-worker.js');
            worker.onmessage = (event) => done(event.data as string);
            worker.postMessage({ prompt: asked, run: 'ai-worker' });
          }),
        prompt,
      );
      expect(wireText).toContain('[DONE]');
      const row = panel.locator('tr[data-connection-id]', { hasText: '/ai/openai-chat' });
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
      expect(await row.locator('[data-seen]').getAttribute('data-seen')).toBe('wire');
      await row.click();

      // Conversation: the reply the model streamed, assembled from the wire's bytes.
      await panel.locator('[role=tab][data-tab=conversation]').click();
      const card = panel.locator('.conv-card');
      await expect.poll(() => card.getAttribute('data-protocol'), { timeout: 10_000 }).toBe('openai-chat');
      await expect.poll(() => card.locator('.conv-reply-text').innerText(), { timeout: 10_000 }).toBe(reply);
      // Its mock is served in the page, not in the worker: the mock section says so.
      await card.locator('details.conv-mock > summary').click();
      expect(await card.locator('.mock-wire-only').innerText()).toContain('worker');
      await panel.screenshot({ path: resolve(RESULTS, 'deep-capture-worker-conversation.png') });

      // Search finds the worker's events: the one with the first word of the reply, and no other.
      await panel.locator('[role=tab][data-tab=events]').click();
      const search = panel.getByRole('searchbox', { name: 'Search events' });
      await search.fill('[DONE]');
      await expect
        .poll(() => panel.locator('.event-row.kind-event .col-data').allInnerTexts(), { timeout: 10_000 })
        .toEqual(['[DONE]']);
      await search.fill('');

      // The timeline draws its lane.
      await panel.locator('[role=tab][data-tab=timeline]').click();
      await expect.poll(() => panel.getByTestId('timeline').getAttribute('data-lanes'), { timeout: 10_000 }).toBe('1');

      // The HAR: the worker's request, seen on the wire, its response text the bytes the worker read.
      const har = await exportHar(panel);
      const entries = har.log.entries.filter((e) => e.request.url.includes('/ai/openai-chat'));
      expect(entries).toHaveLength(1);
      expect((entries[0]!._sseDevtools as { seenOn?: string }).seenOn).toBe('wire');
      expect(entries[0]!.response.content.text).toBe(wireText);
    } finally {
      await panel.close();
      await page.close();
    }
  });
});

describe('deep capture with the DevTools window open, on a first visit', () => {
  it('has every stream byte for byte: a service worker registered and a shared worker started while deep capture is on', async () => {
    // DevTools is another debugger client of the tab and its workers; nothing of the page runs before deep capture is on.
    const withDevtools = await launchWithExtension({ extensionDir: deepDir, devtools: true });
    try {
      const page = await withDevtools.context.newPage();
      await page.goto(`${server.url}/test/deep/index.html`);
      const tabId = await tabIdOf(withDevtools, page);
      const { panel } = await openSsePanel(withDevtools, page);
      await turnDeepOn(panel);
      const fixture = await page.evaluate(() => (window as unknown as { deepStreams: Fixture }).deepStreams);
      await page.evaluate(() =>
        (window as unknown as { runDeepStreams(run: string): Promise<unknown> }).runDeepStreams('first-visit'),
      );
      // With DevTools attached too, Chromium sometimes refuses an EventSource's bytes to a second
      // client; the wire then keeps the browser's own parse of it (documented fallback): an
      // EventSource's text is the bytes or nothing, and its events are in the panel either way.
      const exactOrFallback = (texts: Partial<Record<Source, string[]>>) =>
        SOURCES.every((source) => {
          const got = texts[source];
          const bytes = fixture[source].join('');
          const eventSource = source === 'shared' || source === 'unlistened';
          return got?.length === 1 && (got[0] === bytes || (eventSource && got[0] === ''));
        });
      await expect
        .poll(async () => exactOrFallback(wireTextsOf(await logOf(tabId, withDevtools), 'first-visit')), { timeout: 15_000 })
        .toBe(true);
      await expectEveryEventShown(panel, fixture, SOURCES, 'first-visit');
      await panel.locator('td.all-row').click();
      await expect.poll(() => panel.locator('.events').innerText(), { timeout: 10_000 }).toContain('unheard-update');
    } finally {
      await withDevtools.close();
    }
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
