/**
 * Replay and mock, end to end, through the panel page opened as an extension tab on the test page's
 * tab (`panel.html?tabId=N`, the same page and command path DevTools uses): recorded streams are dispatched
 * again to a live EventSource of the page ("Replay to page", paced as recorded), and answer the
 * page's next fetch or EventSource without the network ("Mock next request"). The test page
 * (test/server/pages/test/replay.html) records what it receives; the server's request log shows
 * what reached the network.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { launchWithExtension, storedRecords, tabIdOf, type ExtensionBrowser } from './browser';
import { startServer, type StartedServer } from '../server/sse-server';

interface PageEvent {
  type: string;
  data: string;
  lastEventId: string;
  origin: string;
  trusted: boolean;
  readyState: number;
  at: number;
}

interface Fetched {
  status: number;
  statusText: string;
  ok: boolean;
  url: string;
  type: string;
  isResponse: boolean;
  headers: string[];
  text: string;
  chunks: { text: string; at: number }[];
}

const RESULTS_DIR = resolve(import.meta.dirname, '../../test-results');
const REC = '/test/stream?count=5&delay=200&type=tick&prefix=rec';
const LIVE = '/test/stream?count=2&delay=600000&type=tick&prefix=live';
const FETCHED = '/test/stream?count=3&delay=100&prefix=f';
const LONG = '/test/stream?count=10&delay=150&prefix=c';

let server: StartedServer;
let browser: ExtensionBrowser;
let page: Page;
let panel: Page;
let section: Locator;

beforeAll(async () => {
  server = await startServer();
  browser = await launchWithExtension({ viewport: { width: 1600, height: 1000 } });
  page = await browser.context.newPage();
  await page.goto(`${server.url}/test/replay.html`);
  const tabId = await tabIdOf(browser, page);
  panel = await browser.context.newPage();
  await panel.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?tabId=${tabId}`);
  await panel.waitForSelector('.panel');
  section = panel.locator('section.replay');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const requestsTo = (path: string) => server.requests.filter((r) => r.url === path).length;
const eventsOf = (name: string) => page.evaluate((n) => (window as any).eventsOf(n), name) as Promise<PageEvent[]>;

/** The stream id of the (first, or `nth`) stream whose URL ends with `path`. */
async function streamOf(path: string, nth = 0): Promise<string> {
  let ids: string[] = [];
  await expect
    .poll(
      async () => {
        ids = (await storedRecords(browser))
          .filter((r) => r.type === 'stream-open' && r.url.endsWith(path))
          .map((r) => (r as { stream: string }).stream);
        return ids.length > nth;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  return ids[nth]!;
}

/** Opens a tab of the selected connection (events, replay...). */
async function showTab(id: string): Promise<void> {
  const tab = panel.locator(`[role=tab][data-tab=${id}]`);
  await tab.click();
  await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
}

/** Selects the connection `id` and opens its Replay tab. */
async function select(id: string): Promise<void> {
  const row = panel.locator(`tr[data-connection-id="${id}"]`);
  await row.click();
  await expect.poll(() => row.getAttribute('aria-selected')).toBe('true');
  await showTab('replay');
  await section.waitFor({ timeout: 10_000 });
}

/**
 * For checks that something does NOT happen: waits until a playback of `recording` (its first to
 * last chunk, paced as recorded) started at `since` would have ended, plus a margin.
 */
async function pastPlaybackEnd(recording: Fetched, since: number, margin = 500): Promise<void> {
  const span = recording.chunks[recording.chunks.length - 1]!.at - recording.chunks[0]!.at;
  const end = since + span + margin;
  await expect.poll(() => Date.now() >= end, { timeout: span + margin + 5000, interval: 100 }).toBe(true);
}

const replayState = () => section.locator('.replay-status').getAttribute('data-state');
const mockState = () => section.locator('.mock-status').getAttribute('data-state');

/** Arms a mock of the selected connection with `pattern` (or the proposed one) and waits until the page says so. */
async function armMock(pattern?: string): Promise<void> {
  if (pattern !== undefined) await section.getByLabel('URL pattern').fill(pattern);
  await section.getByRole('button', { name: 'Mock next request' }).click();
  await expect.poll(mockState, { timeout: 10_000 }).toBe('armed');
}

describe('Replay to page', () => {
  it('dispatches the recorded events to a live EventSource in order, paced as recorded, marked as replayed', async () => {
    await page.evaluate((url) => (window as any).listen('rec', url), REC);
    await expect.poll(async () => (await eventsOf('rec')).length, { timeout: 10_000 }).toBe(5);
    await page.evaluate(() => (window as any).closeSource('rec'));
    await page.evaluate((url) => (window as any).listen('live', url), LIVE);
    await expect.poll(async () => (await eventsOf('live')).length, { timeout: 10_000 }).toBe(1);
    const recorded = await eventsOf('rec');

    await select(await streamOf(REC));
    await showTab('events');
    await expect.poll(() => panel.locator('.event-row').count(), { timeout: 10_000 }).toBe(5);
    await showTab('replay');
    // The recorded EventSource is closed: the replay goes to the open one of the same URL.
    await section.getByRole('button', { name: 'Replay to page' }).click();
    await expect.poll(async () => (await eventsOf('live')).length, { timeout: 10_000 }).toBe(6);
    const replayed = (await eventsOf('live')).slice(1);

    expect(replayed.map((e) => [e.type, e.data, e.lastEventId])).toEqual(
      [1, 2, 3, 4, 5].map((i) => ['tick', `rec ${i}`, `rec-${i}`]),
    );
    for (const event of replayed) {
      expect(event.trusted).toBe(false);
      expect(event.origin).toBe(server.url);
      expect(event.readyState).toBe(1);
    }
    // Pacing at 1×: each gap within 20% of the recorded one.
    const errors = replayed.slice(1).map((event, i) => {
      const gap = event.at - replayed[i]!.at;
      const original = recorded[i + 1]!.at - recorded[i]!.at;
      return Math.abs(gap - original) / original;
    });
    console.log(
      `replay pacing at 1x: recorded gaps ${recorded
        .slice(1)
        .map((e, i) => (e.at - recorded[i]!.at).toFixed(1))
        .join(', ')} ms; ` +
        `replayed gaps ${replayed
          .slice(1)
          .map((e, i) => (e.at - replayed[i]!.at).toFixed(1))
          .join(', ')} ms; ` +
        `max error ${(Math.max(...errors) * 100).toFixed(2)}%`,
    );
    for (const error of errors) expect(error).toBeLessThanOrEqual(0.2);

    await expect.poll(replayState, { timeout: 10_000 }).toBe('done');
    expect(await section.locator('.replay-status').textContent()).toBe('Replayed 5 events.');
    // The replayed events are recorded on the EventSource they went to, tagged as replays.
    await select(await streamOf(LIVE));
    await showTab('events');
    await expect.poll(() => panel.locator('.event-row .replay-tag').count(), { timeout: 10_000 }).toBe(5);
    const rows = await panel.$$eval('.event-row', (rows) =>
      rows.map((row) => [...row.querySelectorAll('[role=gridcell]')].map((cell) => cell.textContent ?? '')),
    );
    expect(rows.map(([, type, id, data]) => `${type} ${id} ${data}`)).toEqual([
      'tick live-1 live 1',
      ...[1, 2, 3, 4, 5].map((i) => `tick rec-${i} rec ${i}replay`),
    ]);
  });

  it('explains why it cannot replay a fetch stream', async () => {
    await page.evaluate((url) => (window as any).fetchAll(url), FETCHED);
    await select(await streamOf(FETCHED));
    const button = section.getByRole('button', { name: 'Replay to page' });
    expect(await button.isDisabled()).toBe(true);
    expect(await section.locator('.replay-why').textContent()).toContain('this connection is fetch');
  });
});

describe('Mock next request', () => {
  it('answers the next fetch from the recording, with its status and headers, without the network', async () => {
    const original = (await page.evaluate((url) => (window as any).fetchAll(url), FETCHED)) as Fetched;
    // The second fetch of that URL is the one to mock: select the first (already recorded above).
    await select(await streamOf(FETCHED));
    expect(await section.getByLabel('URL pattern').inputValue()).toBe(`${server.url}/test/stream`);
    await armMock();
    const before = requestsTo(FETCHED);
    const mocked = (await page.evaluate((url) => (window as any).fetchAll(url), FETCHED)) as Fetched;

    expect(mocked.text).toBe(original.text);
    expect(mocked.text).toContain('data: f 3\n\n');
    expect(mocked).toMatchObject({ status: 200, statusText: 'OK', ok: true, isResponse: true, url: original.url, type: 'basic' });
    expect(mocked.headers).toContain('content-type: text/event-stream; charset=utf-8');
    expect(mocked.headers).toContain('cache-control: no-cache');
    // Paced as recorded: the body took about as long as the original's.
    const span = (f: Fetched) => f.chunks[f.chunks.length - 1]!.at - f.chunks[0]!.at;
    expect(Math.abs(span(mocked) - span(original))).toBeLessThan(0.2 * span(original) + 20);

    await expect.poll(mockState, { timeout: 10_000 }).toBe('done');
    // The whole body was played from the recording: the network never saw a request.
    expect(requestsTo(FETCHED)).toBe(before);
    expect(await section.locator('.mock-status').textContent()).toMatch(
      new RegExp(
        `^Answered fetch ${server.url}/test/stream\\?count=3&delay=100&prefix=f at \\d\\d:\\d\\d:\\d\\d\\.\\d{3}: playback finished\\.$`,
      ),
    );
    // The mocked stream is captured like any other, and marked as mocked.
    const mockedId = await streamOf(FETCHED, 2);
    await expect
      .poll(() => panel.locator(`tr[data-connection-id="${mockedId}"] .badge.mocked`).count(), { timeout: 10_000 })
      .toBe(1);
    const chunks = (await storedRecords(browser)).filter((r) => r.type === 'stream-chunk' && r.stream === mockedId);
    expect(chunks.map((c) => (c as { text: string }).text).join('')).toBe(original.text);
  });

  it('answers the next EventSource with the recorded events: a real EventSource, no request', async () => {
    await select(await streamOf(REC));
    await armMock('*prefix=rec');
    const before = requestsTo(REC);
    expect(await page.evaluate((url) => (window as any).listen('recMock', url), REC)).toBe(true);
    await expect.poll(async () => (await eventsOf('recMock')).length, { timeout: 10_000 }).toBe(5);
    const events = await eventsOf('recMock');
    expect(events.map((e) => [e.type, e.data, e.lastEventId, e.origin, e.readyState])).toEqual(
      [1, 2, 3, 4, 5].map((i) => ['tick', `rec ${i}`, `rec-${i}`, server.url, 1]),
    );
    await expect.poll(mockState, { timeout: 10_000 }).toBe('done');
    // As a real one after the server ended the stream: error, waiting to reconnect (which it never does).
    expect(await page.evaluate(() => (window as any).stateOf('recMock'))).toEqual({
      readyState: 0,
      url: `${server.url}${REC}`,
      opens: 1,
      errors: [0],
    });
    await page.evaluate(() => (window as any).closeSource('recMock'));
    expect((await page.evaluate(() => (window as any).stateOf('recMock'))).readyState).toBe(2);
    expect(requestsTo(REC)).toBe(before);
    const mockedId = await streamOf(REC, 1);
    await expect
      .poll(() => panel.locator(`tr[data-connection-id="${mockedId}"] .badge.mocked`).count(), { timeout: 10_000 })
      .toBe(1);
  });
});

describe('Edit data', () => {
  it('replays an edited event with its edited data', async () => {
    await select(await streamOf(REC));
    await section.getByRole('button', { name: 'Edit data…' }).click();
    await section.getByLabel('Event 2: tick, id “rec-2”').fill('EDITED 2');
    await expect(section.getByRole('button', { name: 'Edit data… (1 edited)' }).isVisible()).resolves.toBe(true);
    await section.getByLabel('Speed').selectOption('instant');
    const already = (await eventsOf('live')).length;
    await section.getByRole('button', { name: 'Replay to page' }).click();
    await expect.poll(async () => (await eventsOf('live')).length, { timeout: 10_000 }).toBe(already + 5);
    expect((await eventsOf('live')).slice(already).map((e) => e.data)).toEqual(['rec 1', 'EDITED 2', 'rec 3', 'rec 4', 'rec 5']);
    mkdirSync(RESULTS_DIR, { recursive: true });
    await panel.screenshot({ path: resolve(RESULTS_DIR, 'replay-panel.png') });
  });
});

describe('Cancellation', () => {
  it('reader.cancel() on a mocked fetch stops the playback', async () => {
    const original = (await page.evaluate((url) => (window as any).fetchAll(url), LONG)) as Fetched;
    await select(await streamOf(LONG));
    await armMock('*prefix=c');
    const before = requestsTo(LONG);
    const started = Date.now();
    const { text } = (await page.evaluate((url) => (window as any).fetchSomeThenCancel(url, 2), LONG)) as { text: string };
    expect(original.text.startsWith(text)).toBe(true);
    expect(text.length).toBeLessThan(original.text.length);
    await expect.poll(mockState, { timeout: 10_000 }).toBe('cancelled');
    const status = await section.locator('.mock-status').textContent();
    const [, done, total] = /after (\d+) of (\d+)\.$/.exec(status ?? '')!;
    expect(Number(done)).toBeLessThan(Number(total));
    // Past the end the whole recording would have reached: still cancelled, never finished.
    await pastPlaybackEnd(original, started);
    expect(await mockState()).toBe('cancelled');
    expect(requestsTo(LONG)).toBe(before);
    const mockedId = await streamOf(LONG, 1);
    const states = (await storedRecords(browser)).filter((r) => r.type === 'stream-state' && r.stream === mockedId);
    expect(states.map((s) => `${(s as { state: string }).state} ${(s as { reason?: string }).reason ?? ''}`)).toEqual([
      'open ',
      'closed cancelled-by-page',
    ]);
  });

  it('abort() on a mocked fetch stops the playback and errors the body with an AbortError', async () => {
    const recording = (await page.evaluate((url) => (window as any).fetchAll(url), LONG)) as Fetched;
    await select(await streamOf(LONG));
    await armMock('*prefix=c');
    const started = Date.now();
    const result = (await page.evaluate((url) => (window as any).fetchSomeThenAbort(url, 2), LONG)) as {
      text: string;
      error: string;
    };
    expect(result.error).toBe('AbortError');
    await expect.poll(mockState, { timeout: 10_000 }).toBe('cancelled');
    await pastPlaybackEnd(recording, started);
    expect(await mockState()).toBe('cancelled');
  });

  it('close() on a mocked EventSource stops the playback', async () => {
    await select(await streamOf(REC));
    await armMock('*prefix=rec');
    const started = Date.now();
    await page.evaluate((url) => (window as any).listen('recClosed', url), REC);
    await expect.poll(async () => (await eventsOf('recClosed')).length, { timeout: 10_000 }).toBe(2);
    await page.evaluate(() => (window as any).closeSource('recClosed'));
    await expect.poll(mockState, { timeout: 10_000 }).toBe('cancelled');
    expect(await section.locator('.mock-status').textContent()).toMatch(/the page cancelled it after 2 of 5\.$/);
    // Past the end of the recording (5 events 200 ms apart): no event after the close.
    await expect.poll(() => Date.now() - started >= 5 * 200 + 500, { timeout: 10_000, interval: 100 }).toBe(true);
    expect((await eventsOf('recClosed')).length).toBe(2);
    expect((await page.evaluate(() => (window as any).stateOf('recClosed'))).readyState).toBe(2);
  });
});

describe('forged commands', () => {
  it('a page that dispatches garbage as commands gets no error, and capture goes on', async () => {
    const errors = await page.evaluate(async () => {
      const seen: string[] = [];
      window.addEventListener('error', (e) => seen.push(String(e.message)));
      window.addEventListener('unhandledrejection', (e) => seen.push(String(e.reason)));
      for (const detail of [
        undefined,
        1,
        {},
        'x',
        '{"type":"replay"}',
        '{"type":"stop","id":"nope"}',
        '['.repeat(100000),
        '{"type":"mock","id":"m","pattern":"*","recording":{"status":"x"}}',
      ]) {
        window.dispatchEvent(new CustomEvent('sse-devtools:command', { detail }));
      }
      // Errors of the listeners and rejections surface by the next task.
      await new Promise((r) => setTimeout(r, 0));
      return seen;
    });
    expect(errors).toEqual([]);
    const before = requestsTo(FETCHED);
    await page.evaluate((url) => (window as any).fetchAll(url), FETCHED);
    expect(requestsTo(FETCHED)).toBe(before + 1);
    // Nothing went wrong in the tap either (it would have said so in a capture issue).
    expect((await storedRecords(browser)).filter((r) => r.type === 'capture-issue')).toEqual([]);
  });
});
