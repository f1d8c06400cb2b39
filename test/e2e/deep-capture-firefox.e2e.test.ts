/**
 * Deep capture in real Firefox (webRequest.filterResponseData; src/background/deep-capture-firefox.ts),
 * on the fixture page test/server/pages/test/deep/: a dedicated Worker reading a fetch stream, a
 * SharedWorker with an EventSource, the service worker fetching a stream, and an EventSource whose
 * server sends an `update` event no listener asks for.
 *
 * Page mode: the panel has none of the workers' streams nor the unheard event, and says deep capture
 * could show it. Deep mode, turned on from the panel (explanation, confirm, then Allow in the small
 * window of ours that asks Firefox for the optional permissions — Firefox gives DevTools panels no
 * permissions API): every event of the four streams is in the panel, and the HAR export has each
 * response byte for byte. Unticking stops capture.
 *
 * The cost to the page (a 6 MB burst read by fetch, deep mode on vs off, alternating rounds, beside
 * the same on vs off of a reference add-on whose filter only writes each chunk on: Firefox's own
 * cost) is measured and written to test-results/deep-capture-firefox-cost.md; nothing is asserted on times.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firefoxAvailable, launchFirefox, type FirefoxBrowser, type FirefoxPage, type FirefoxPanel } from './firefox-browser';
import { until } from './panel-handle';
import { startServer, type StartedServer } from '../server/sse-server';
import type { Har } from '../../src/core/har';

const RESULTS = resolve(import.meta.dirname, '../../test-results');
/** The reference add-on of the cost measurement: a filter that only writes each chunk on. */
const BARE_FILTER_ADDON = resolve(import.meta.dirname, '../fixtures/firefox-bare-filter');
const IDLE_TIMEOUT_MS = 8000;
const SOURCES = ['worker', 'shared', 'serviceWorker', 'unlistened'] as const;
type Source = (typeof SOURCES)[number];

let server: StartedServer;
let browser: FirefoxBrowser;
let page: FirefoxPage;
let panel: FirefoxPanel;

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  server = await startServer();
  if (!firefoxAvailable) return;
  // Firefox suspends an idle event page after 30 s by default; 8 s here, to show in seconds that
  // deep mode (whose listeners would not come back with a suspended page) keeps it awake.
  browser = await launchFirefox({ backgroundIdleTimeoutMs: IDLE_TIMEOUT_MS });
  page = await browser.openPage(`${server.url}/test/deep/index.html`);
  panel = await browser.openPanel(page);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Heard {
  worker: string[];
  shared: string[];
  serviceWorker: string[];
  unlistened: string[];
}

/** Starts the fixture's four streams (URLs tagged with `run`) and resolves with what each consumer heard. */
const runStreams = (run: string) =>
  page.evaluate((id) => (window as unknown as { runDeepStreams(run: string): Promise<Heard> }).runDeepStreams(id), run);

/** The fixture's bytes of each stream (streams.js, loaded by the page). */
const fixtureStreams = () => page.evaluate(() => (window as unknown as { deepStreams: Record<Source, string[]> }).deepStreams);

/** The panel's connection rows: URL, the seen-on badge, event count. */
const rows = () =>
  panel.evaluate(() =>
    [...document.querySelectorAll('tr[data-connection-id]')].map((row) => ({
      id: row.getAttribute('data-connection-id') ?? '',
      // The full URL is the row's tooltip (the cell may elide its middle), on its first line.
      url: (row.getAttribute('title') ?? '').split('\n')[0] ?? '',
      text: row.textContent ?? '',
      seen: row.querySelector<HTMLElement>('[data-seen]')?.dataset.seen ?? '',
    })),
  );

/** Rows of run `run` that the panel shows as seen on the wire (alone, or merged with the page's). */
const wireSourcesOf = async (run: string) =>
  (await rows()).filter((r) => runOf(r.url) === run && r.seen !== 'page' && r.seen !== '');

/** The fixture streams of run `run` that the panel shows as seen on the wire (alone or with the page). */
const wireSources = async (run: string) => [...new Set((await wireSourcesOf(run)).map((r) => sourceOf(r.url)))].sort();

const sourceOf = (url: string): Source | undefined => /[?&]source=(\w+)/.exec(url)?.[1] as Source | undefined;
const runOf = (url: string) => /[?&]run=([\w-]+)/.exec(url)?.[1];

/** The HAR of the whole log, through the panel's Export HAR button. */
async function exportHar(): Promise<Har> {
  await panel.click('td.all-row');
  const file = await panel.download(() => panel.click({ role: 'button', name: 'Export HAR', exact: true }));
  return JSON.parse(file.text) as Har;
}

interface WireEntry {
  url: string;
  text: string;
  messages: { eventName: string; data: string }[];
  streamId: string;
}

/** HAR entries of run `run` that were seen on the wire, by fixture source. */
function wireEntries(har: Har, run: string): Map<Source, WireEntry[]> {
  const bySource = new Map<Source, WireEntry[]>();
  for (const entry of har.log.entries as unknown as {
    request: { url: string };
    response: { content: { text?: string } };
    _eventSourceMessages?: { eventName: string; data: string }[];
    _sseDevtools?: { streamId?: string };
  }[]) {
    const source = sourceOf(entry.request.url);
    const streamId = entry._sseDevtools?.streamId ?? '';
    if (source === undefined || runOf(entry.request.url) !== run || !streamId.includes('wire:')) continue;
    const list = bySource.get(source) ?? [];
    list.push({
      url: entry.request.url,
      text: entry.response.content.text ?? '',
      messages: entry._eventSourceMessages ?? [],
      streamId,
    });
    bySource.set(source, list);
  }
  return bySource;
}

/** The window our background opened to ask for the permissions (a window handle not in `before`), if one opens in time. */
async function askingWindow(before: string[], timeoutMs: number): Promise<string | undefined> {
  const asking = await until(
    'the permission window',
    async () => {
      const handles = await browser.contentCommand<string[]>(page.handle, 'WebDriver:GetWindowHandles');
      return handles.find((h) => !before.includes(h));
    },
    timeoutMs,
  ).catch(() => undefined);
  if (asking === undefined) return undefined;
  await until('the permission page', async () =>
    (await browser.contentCommand<string>(asking, 'WebDriver:GetCurrentURL')).includes('/src/permission/deep-capture.html')
      ? true
      : undefined,
  );
  return asking;
}

/** Clicks Allow in the asking window (a trusted click: permissions.request wants a user's), and waits for it to close. */
async function allowIn(asking: string): Promise<void> {
  const allow = await until('the Allow button', async () => {
    const found = await browser
      .contentCommand<{ value: Record<string, string> }>(asking, 'WebDriver:FindElement', {
        using: 'css selector',
        value: '#allow',
      })
      .catch(() => undefined);
    const text =
      found === undefined ? '' : await browser.content<string>(asking, 'return document.getElementById("allow").textContent;');
    return text === '' ? undefined : found;
  });
  const elementId = Object.values((allow as unknown as { value?: Record<string, string> }).value ?? allow)[0];
  await browser.contentCommand(asking, 'WebDriver:ElementClick', { id: elementId });
  await until(
    'the permission window to close',
    async () =>
      !(await browser.contentCommand<string[]>(page.handle, 'WebDriver:GetWindowHandles')).includes(asking) ? true : undefined,
    15_000,
  );
}

/** Whether Firefox granted our add-on deep capture's permissions (asked of Firefox itself, in chrome context). */
const granted = () =>
  browser.chrome<boolean>(
    `const extension = WebExtensionPolicy.getByID(arguments[0]).extension;
     return extension.hasPermission('webRequestFilterResponse') && extension.allowedOrigins.subsumes(new MatchPattern('<all_urls>'));`,
    [browser.addonId],
  );

/** Ticks the toolbar toggle, confirms, and allows in the asking window when Firefox has not granted yet. */
async function turnOn(): Promise<void> {
  const before = await browser.contentCommand<string[]>(page.handle, 'WebDriver:GetWindowHandles');
  const ask = !(await granted());
  await panel.click('.deep-capture-toggle');
  await until('the explanation', async () => ((await panel.count('.deep-capture-explain')) > 0 ? true : undefined));
  await panel.click('.deep-capture-confirm');
  if (!ask) return;
  const asking = await askingWindow(before, 30_000);
  if (asking === undefined) throw new Error('no window asked for the permissions');
  await allowIn(asking);
}

/** Deep mode is on as the background says (not only asked for: the box ticks at once, `data-state` says when it is). */
const deepOn = () =>
  panel.evaluate(() => (document.querySelector('.deep-capture-toggle') as HTMLInputElement | null)?.dataset.state === 'on');

describe.skipIf(!firefoxAvailable)('deep capture in Firefox (webRequest.filterResponseData)', () => {
  it('page mode: the workers’ streams and the unheard event are not in the panel, which says deep capture could show them', async () => {
    const heard = await runStreams('page');
    // What each consumer heard: the unlistened EventSource never got `update`.
    expect(heard).toEqual({
      worker: ['worker-1', '{"text":"worker-2"}', 'worker-3'],
      shared: ['shared-1', 'shared-2', 'shared-3'],
      serviceWorker: ['sw-1', 'sw-2', 'sw-3'],
      unlistened: ['page-1', 'page-3'],
    });
    // The page tap sees the page's own EventSource only.
    await expect
      .poll(async () => (await rows()).map((r) => `${sourceOf(r.url)}:${runOf(r.url)}`), { timeout: 10_000 })
      .toEqual(['unlistened:page']);
    const pageRows = await rows();
    await panel.click(`tr[data-connection-id="${pageRows[0]!.id}"]`);
    await until('the connection facts', async () => ((await panel.count('[data-fact="listened"]')) > 0 ? true : undefined));
    expect(await panel.text('[data-fact="listened"]')).toContain('Deep capture');
    await panel.click('td.all-row');
    const body = (await panel.text('body')) ?? '';
    for (const unseen of ['unheard-update', 'worker-1', 'shared-1', 'sw-1']) expect(body).not.toContain(unseen);
    // The toggle is there, off, and its tooltip names what it would add.
    expect(await deepOn()).toBe(false);
    expect(await panel.attribute('label:has(.deep-capture-toggle)', 'title')).toContain('workers');
  });

  it('closing the asking window without allowing leaves deep mode off, and the panel says why', async () => {
    const before = await browser.contentCommand<string[]>(page.handle, 'WebDriver:GetWindowHandles');
    await panel.click('.deep-capture-toggle');
    await until('the explanation', async () => ((await panel.count('.deep-capture-explain')) > 0 ? true : undefined));
    await panel.click('.deep-capture-confirm');
    const asking = await askingWindow(before, 30_000);
    expect(asking).toBeDefined();
    await browser.contentCommand(asking!, 'WebDriver:CloseWindow');
    // Back to the page's window (Marionette's session stays on the closed one otherwise).
    await browser.contentCommand(page.handle, 'WebDriver:GetWindowHandles');
    await until('the panel to say why', async () => ((await panel.count('.deep-capture-error')) > 0 ? true : undefined));
    expect(await panel.text('.deep-capture-error')).toContain('not given access');
    expect(await deepOn()).toBe(false);
    expect(await granted()).toBe(false);
  });

  it('deep mode: asks for access from a window of ours, then every event of the four streams is in the panel and the HAR, byte for byte', async () => {
    const before = await browser.contentCommand<string[]>(page.handle, 'WebDriver:GetWindowHandles');
    await panel.click('.deep-capture-toggle');
    await until('the explanation', async () => ((await panel.count('.deep-capture-explain')) > 0 ? true : undefined));
    const explanation = (await panel.text('.deep-capture-explain')) ?? '';
    expect(explanation).toContain('access to the site');
    expect(explanation).not.toContain('debugging this browser');
    await panel.screenshot(resolve(RESULTS, 'deep-capture-firefox-explain.png'));
    await panel.click('.deep-capture-confirm');

    // The window that asks: its Allow button is a user's click in an extension page; granted, it closes itself.
    const asking = await askingWindow(before, 30_000);
    expect(asking).toBeDefined();
    expect(await browser.content<string>(asking!, 'return document.getElementById("explain").textContent;')).toContain(
      'access to the site',
    );
    const picture = await browser.contentCommand<string>(asking!, 'WebDriver:TakeScreenshot', { full: false, hash: false });
    writeFileSync(resolve(RESULTS, 'deep-capture-firefox-permission.png'), Buffer.from(picture, 'base64'));
    expect(await granted()).toBe(false);
    await allowIn(asking!);
    expect(await granted()).toBe(true);
    await expect.poll(deepOn, { timeout: 10_000 }).toBe(true);
    expect(await panel.count('.deep-capture-error')).toBe(0);

    // The same four streams again: the wire has every one.
    const heard = await runStreams('deep');
    expect(heard.unlistened).toEqual(['page-1', 'page-3']);
    const expected = await fixtureStreams();
    await expect.poll(() => wireSources('deep'), { timeout: 15_000 }).toEqual([...SOURCES].sort());
    // Every event of every stream in the panel's table (all connections selected).
    await panel.click('td.all-row');
    const tableData = async () =>
      panel.evaluate(() => [...document.querySelectorAll('.event-row')].map((row) => row.textContent ?? '').join('\n'));
    for (const events of Object.values(expected)) {
      for (const chunk of events) {
        const data = /data: (.*)\n/.exec(chunk)![1]!;
        await expect.poll(tableData, { timeout: 10_000 }).toContain(data);
      }
    }
    expect(await tableData()).toContain('update');
    await panel.screenshot(resolve(RESULTS, 'deep-capture-firefox-on.png'));

    // The HAR: one wire entry per stream, its response text the fixture's bytes exactly, its events all there.
    const har = await exportHar();
    writeFileSync(resolve(RESULTS, 'deep-capture-firefox.har'), JSON.stringify(har, null, 2));
    const wire = wireEntries(har, 'deep');
    expect([...wire.keys()].sort()).toEqual([...SOURCES].sort());
    for (const source of SOURCES) {
      const entries = wire.get(source)!;
      expect(entries, source).toHaveLength(1);
      expect(entries[0]!.streamId).toContain('wire:fx:');
      expect(entries[0]!.text, source).toBe(expected[source].join(''));
      expect(
        entries[0]!.messages.map((m) => m.data),
        source,
      ).toEqual(expected[source].map((chunk) => /data: (.*)\n/.exec(chunk)![1]));
    }
    expect(wire.get('unlistened')![0]!.messages.map((m) => m.eventName)).toEqual(['message', 'update', 'message']);
  });

  it('stays on past the event page’s idle timeout: streams started later are still on the wire', async () => {
    await new Promise((r) => setTimeout(r, IDLE_TIMEOUT_MS * 1.5));
    expect(await browser.backgroundState()).toBe('running');
    expect(await deepOn()).toBe(true);
    await runStreams('idle');
    await expect.poll(() => wireSources('idle'), { timeout: 15_000 }).toEqual([...SOURCES].sort());
  }, 60_000);

  it('a POST stream of a worker: the wire record has the request body and headers, and the bytes the worker read', async () => {
    const body = JSON.stringify({ model: 'deep-test', messages: [{ role: 'user', content: 'héllo' }], stream: true });
    const workerText = await page.evaluate(
      ({ url, body }) =>
        new Promise<string>((done) => {
          const code = `fetch(${JSON.stringify(url)}, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Deep-Test': 'yes' }, body: ${JSON.stringify(body)} })
            .then((r) => r.text()).then((text) => postMessage(text));`;
          const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
          worker.onmessage = (event) => {
            worker.terminate();
            done(event.data as string);
          };
        }),
      { url: `${server.url}/test/stream?count=2&prefix=posted&delay=30&run=post`, body },
    );
    expect(workerText).toContain('posted');
    await expect.poll(() => wireSourcesOf('post'), { timeout: 10_000 }).toHaveLength(1);
    const har = await exportHar();
    const entry = (
      har.log.entries as unknown as {
        request: {
          url: string;
          method: string;
          headers: { name: string; value: string }[];
          postData?: { mimeType: string; text: string };
        };
        response: { content: { text?: string } };
        _sseDevtools?: { streamId?: string };
      }[]
    ).find((e) => runOf(e.request.url) === 'post' && (e._sseDevtools?.streamId ?? '').includes('wire:'))!;
    expect(entry.request.method).toBe('POST');
    expect(entry.request.postData).toEqual({ mimeType: 'application/json', text: body });
    expect(entry.request.headers).toContainEqual({ name: 'X-Deep-Test', value: 'yes' });
    expect(entry.response.content.text).toBe(workerText);
  });

  it('an AI chat client in a dedicated worker: the Conversation view assembles its reply from the wire', async () => {
    const prompt = 'Why is the sky blue?';
    // The playground's reply to `prompt` (test/server/ai-routes.ts replyFor).
    const reply =
      `You asked about “${prompt}”. This answer streams token by token, the way a real model answers, ` +
      'so the Conversation view can assemble it, time it and compare it with the other providers.';
    const workerText = await page.evaluate(
      (asked) =>
        new Promise<string>((done) => {
          const worker = new Worker('ai-worker.js');
          worker.onmessage = (event) => {
            worker.terminate();
            done(event.data as string);
          };
          worker.postMessage({ prompt: asked, run: 'ai-worker' });
        }),
      prompt,
    );
    expect(workerText).toContain('[DONE]');
    const aiRow = async () => (await rows()).find((r) => r.url.includes('/ai/openai-chat'));
    await expect.poll(async () => (await aiRow())?.seen, { timeout: 10_000 }).toBe('wire');
    await panel.click(`tr[data-connection-id="${(await aiRow())!.id}"]`);
    await panel.click('[role=tab][data-tab=conversation]');
    await expect
      .poll(() => panel.evaluate(() => document.querySelector('.conv-card .conv-reply-text')?.textContent ?? ''), {
        timeout: 10_000,
      })
      .toBe(reply);
    expect(await panel.attribute('.conv-card', 'data-protocol')).toBe('openai-chat');
    await panel.screenshot(resolve(RESULTS, 'deep-capture-firefox-worker-conversation.png'));
    await panel.click('[role=tab][data-tab=events]');
  });

  it('unticking mid-stream lets the rest reach the page untouched, and stops capture: the next run is not on the wire', async () => {
    // A stream of 30 events 150 ms apart, read by the page; deep mode goes off while it flows.
    await page.evaluate(() => {
      (window as unknown as { cut: Promise<string> }).cut = fetch('/test/stream?count=30&delay=150&prefix=cut&run=cut').then(
        (r) => r.text(),
      );
    });
    await expect.poll(async () => (await wireSourcesOf('cut')).length, { timeout: 10_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    await panel.click('.deep-capture-toggle');
    await expect.poll(deepOn, { timeout: 10_000 }).toBe(false);
    const pageText = await page.evaluate(() => (window as unknown as { cut: Promise<string> }).cut);
    expect(pageText.match(/^data: cut \d+$/gm)).toHaveLength(30);
    expect(pageText).toContain('data: cut 30\n\n');
    // The wire kept what came before: a part of the same bytes, closed when deep capture went off.
    const cutHar = await exportHar();
    const cut = (
      cutHar.log.entries as unknown as {
        request: { url: string };
        response: { content: { text?: string } };
        _sseDevtools?: { streamId?: string };
      }[]
    ).filter((e) => runOf(e.request.url) === 'cut' && (e._sseDevtools?.streamId ?? '').includes('wire:'));
    expect(cut).toHaveLength(1);
    const wireText = cut[0]!.response.content.text ?? '';
    expect(wireText.length).toBeGreaterThan(0);
    expect(wireText.length).toBeLessThan(pageText.length);
    expect(pageText.startsWith(wireText)).toBe(true);

    await runStreams('off');
    // The page tap still sees the page's own EventSource of this run...
    await expect.poll(async () => (await rows()).some((r) => runOf(r.url) === 'off'), { timeout: 10_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    // ...and nothing of it was seen on the wire.
    const har = await exportHar();
    expect(wireEntries(har, 'off').size).toBe(0);
    expect((await rows()).filter((r) => runOf(r.url) === 'off').map((r) => r.seen)).not.toContain('wire');
  });

  it('measures what deep mode costs the page: a 6 MB burst read by fetch, on vs off, next to a bare filter (no assertion on time)', async () => {
    const rounds = Number(process.env.DEEP_COST_ROUNDS ?? 3);
    // The reference, in a Firefox of its own: an add-on whose filter only writes each chunk on
    // (test/fixtures/firefox-bare-filter) — what filterResponseData costs the page by itself.
    const reference = await launchFirefox({ addonDir: BARE_FILTER_ADDON });
    try {
      const referencePage = await reference.openPage(`${server.url}/test/blank.html`);
      // DevTools open there too (on its Network panel), as it is where our panel is.
      await reference.openToolbox(referencePage, process.env.DEEP_COST_REFERENCE_TOOL ?? 'netmonitor');
      const setReference = (filtering: boolean) =>
        referencePage.evaluate(
          (on) =>
            new Promise<unknown>((done) => {
              addEventListener('message', function answer(event) {
                const state = (event.data as { bareFilterIs?: boolean } | null)?.bareFilterIs;
                if (state === undefined) return;
                removeEventListener('message', answer);
                done(state);
              });
              postMessage({ bareFilter: on }, '*');
            }),
          filtering,
        );
      const read = (on: FirefoxPage) =>
        on.evaluate(async () => {
          const start = performance.now();
          const response = await fetch(`/bench/burst?count=100000&t=${Math.random()}`);
          const reader = response.body!.getReader();
          let bytes = 0;
          for (;;) {
            const step = await reader.read();
            if (step.done) break;
            bytes += step.value.length;
          }
          return { ms: performance.now() - start, bytes };
        });
      // A paced stream (20 events, one write 50 ms apart): how late each event reaches the page after
      // fetch(), beyond the server's own pacing (i × 50 ms) — what a filter in the path would add per event.
      const paced = (on: FirefoxPage) =>
        on.evaluate(async () => {
          const start = performance.now();
          const response = await fetch(`/test/stream?count=20&delay=50&prefix=paced&t=${Math.random()}`);
          const reader = response.body!.getReader();
          const decoder = new TextDecoder();
          const lags: number[] = [];
          for (;;) {
            const step = await reader.read();
            if (step.done) break;
            const now = performance.now() - start;
            for (const match of decoder.decode(step.value, { stream: true }).matchAll(/data: paced (\d+)/g)) {
              lags.push(now - (Number(match[1]) - 1) * 50);
            }
          }
          return lags.reduce((a, b) => a + b, 0) / lags.length;
        });
      type Mode = 'off' | 'on' | 'bare off' | 'bare on';
      const modes: Mode[] = ['off', 'on', 'bare off', 'bare on'];
      const times: Record<Mode, number[]> = { off: [], on: [], 'bare off': [], 'bare on': [] };
      const lags: Record<Mode, number[]> = { off: [], on: [], 'bare off': [], 'bare on': [] };
      // A warm-up read in each (connection, caches, JIT), not counted.
      await read(page);
      await read(referencePage);
      for (let round = 0; round < rounds; round++) {
        for (const mode of round % 2 === 0 ? modes : [...modes].reverse()) {
          let reader = page;
          if (mode === 'bare off' || mode === 'bare on') {
            expect(await setReference(mode === 'bare on')).toBe(mode === 'bare on');
            reader = referencePage;
          } else {
            if (mode === 'on' && !(await deepOn())) await turnOn();
            if (mode === 'off' && (await deepOn())) await panel.click('.deep-capture-toggle');
            await expect.poll(deepOn, { timeout: 10_000 }).toBe(mode === 'on');
          }
          // Every round starts from an empty log, once the panel and the background are done with the
          // previous burst (12 MB of records with deep mode on).
          await panel.click('.toolbar-group button:first-child');
          await new Promise((r) => setTimeout(r, 2500));
          const { ms, bytes } = await read(reader);
          expect(bytes).toBeGreaterThan(6_000_000);
          times[mode].push(ms);
          await new Promise((r) => setTimeout(r, 2500));
          lags[mode].push(await paced(reader));
        }
      }
      // One more burst with deep mode on, into an empty log: recorded on the wire, all 100000 events.
      if (!(await deepOn())) await turnOn();
      await expect.poll(deepOn, { timeout: 10_000 }).toBe(true);
      await panel.click('.toolbar-group button:first-child');
      await new Promise((r) => setTimeout(r, 2500));
      await read(page);
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      const ms = (values: number[]) => values.map((t) => t.toFixed(0)).join(', ');
      const ratios = (on: Mode, off: Mode) =>
        `×${(median(times[on]) / median(times[off])).toFixed(2)} (medians), ×${(Math.min(...times[on]) / Math.min(...times[off])).toFixed(2)} (best rounds)`;
      const labels: Record<Mode, string> = {
        off: 'SSE DevTools, deep mode off',
        on: 'SSE DevTools, deep mode on',
        'bare off': 'bare filter add-on, off',
        'bare on': 'bare filter add-on, on',
      };
      const report = [
        `# Deep capture in Firefox: what it costs the page`,
        ``,
        `Firefox ${browser.version}, a 6 MB burst (/bench/burst?count=100000, 16 KiB writes) read by fetch in the page,`,
        `${rounds} alternating rounds; time from fetch() to the last byte read (page clock). SSE DevTools with its panel`,
        `open; beside it, in a Firefox of its own, the reference: an add-on whose filterResponseData filter only`,
        `writes each chunk on (test/fixtures/firefox-bare-filter) — Firefox's own cost of filtering a response.`,
        `Load average when done: ${loadavg()
          .map((l) => l.toFixed(1))
          .join(', ')} (${availableParallelism()} cores).`,
        ``,
        `| add-on, filter | rounds (ms) | median | best |`,
        `| --- | --- | --- | --- |`,
        ...modes.map(
          (mode) =>
            `| ${labels[mode]} | ${ms(times[mode])} | ${median(times[mode]).toFixed(0)} ms | ${Math.min(...times[mode]).toFixed(0)} ms |`,
        ),
        ``,
        `SSE DevTools deep mode, on ÷ off: ${ratios('on', 'off')}`,
        `Bare filter (Firefox's floor), on ÷ off: ${ratios('bare on', 'bare off')}`,
        `SSE DevTools deep mode on ÷ bare filter on (what we add to Firefox's own cost): ${ratios('on', 'bare on')}`,
        ``,
        `Paced stream (20 events 50 ms apart): mean time from fetch() to each event beyond the server's pacing, per round.`,
        ``,
        `| add-on, filter | rounds (ms) | median |`,
        `| --- | --- | --- |`,
        ...modes.map(
          (mode) =>
            `| ${labels[mode]} | ${lags[mode].map((t) => t.toFixed(1)).join(', ')} | ${median(lags[mode]).toFixed(1)} ms |`,
        ),
        ``,
        `SSE DevTools, on − off: ${(median(lags.on) - median(lags.off)).toFixed(1)} ms an event; bare filter, on − off: ${(median(lags['bare on']) - median(lags['bare off'])).toFixed(1)} ms an event (medians)`,
        ``,
      ].join('\n');
      writeFileSync(resolve(RESULTS, 'deep-capture-firefox-cost.md'), report);
      console.log(report);
    } finally {
      await reference.close();
    }
  }, 600_000);
});
