/**
 * The walking skeleton, end to end: a page on the test server uses EventSource, fetch GET,
 * fetch POST (a Request with a body, read through pipeThrough) and XHR, in the top frame and in
 * an iframe. The SSE panel in the real DevTools must show every event the page itself received,
 * and Export HAR must download a file that says the same.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { launchWithExtension, openSsePanel, selectConnectionRow, type ExtensionBrowser } from './browser';
import { startServer, type StartedServer } from '../server/sse-server';
import type { Har } from '../../src/core/har';

const RESULTS_DIR = resolve(import.meta.dirname, '../../test-results');

interface Received {
  es: { type: string; data: string; lastEventId: string }[];
  get: string;
  post: string;
  xhr: string;
  json: unknown;
}

/** What the test server sends for /test/stream?count=3&prefix=P (see sse-server.ts). */
function expectedEvents(prefix: string): { type: string; id: string; data: string }[] {
  return [1, 2, 3].map((i) => ({ type: 'message', id: `${prefix}-${i}`, data: `${prefix} ${i}` }));
}

let server: StartedServer;
let browser: ExtensionBrowser;
let page: Page;
let panel: Frame;
let devtools: Page;
const received: Record<'top' | 'frame', Received> = {} as never;

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchWithExtension({ devtools: true, viewport: { width: 1800, height: 900 } });
  page = await browser.context.newPage();
  await page.goto(`${server.url}/test/all-kinds.html?prefix=top`);
  await page.waitForFunction(() => (window as any).__done === true, null, { timeout: 30_000 });
  received.top = await page.evaluate(() => (window as any).__received);
  received.frame = await page.frames()[1]!.evaluate(() => (window as any).__received);
  // The panel is opened only now: what it shows was kept by the background meanwhile.
  ({ panel, devtools } = await openSsePanel(browser, page));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Rows of the connections table, as text cells. */
async function connectionRows(): Promise<{ id: string; cells: string[] }[]> {
  return panel.$$eval('tr[data-connection-id]', (rows) =>
    rows.map((row) => ({
      id: (row as HTMLElement).dataset.connectionId!,
      // The URL cell holds origin, path and an "iframe" tag: keep the full URL, then the tag.
      cells: [...row.querySelectorAll('td')].map((td) =>
        td.classList.contains('url')
          ? `${td.querySelector('.url-origin')?.textContent}${td.querySelector('.url-path')?.textContent}${td.querySelector('.frame-tag') ? ' iframe' : ''}`
          : (td.textContent ?? ''),
      ),
    })),
  );
}

async function eventRows(): Promise<{ time: string; type: string; id: string; data: string }[]> {
  return panel.$$eval('.event-row', (rows) =>
    rows
      .map((row) => [...row.querySelectorAll('[role=gridcell]')].map((cell) => cell.textContent ?? ''))
      .map(([time, type, id, data]) => ({ time: time!, type: type!, id: id!, data: data! })),
  );
}

describe('capture in real Chromium, shown in the DevTools SSE panel', () => {
  it('leaves the page working: it received every event and its plain JSON', () => {
    for (const prefix of ['top', 'frame'] as const) {
      const got = received[prefix];
      expect(got.es).toEqual(
        [1, 2, 3].map((i) => ({ type: 'tick', data: `${prefix}-es ${i}`, lastEventId: `${prefix}-es-${i}` })),
      );
      for (const kind of ['get', 'xhr'] as const) {
        expect(got[kind]).toBe(
          `: connected\n\n${[1, 2, 3].map((i) => `id: ${prefix}-${kind}-${i}\ndata: ${prefix}-${kind} ${i}\n\n`).join('')}`,
        );
      }
      expect(got.post).toContain(`data: ${prefix}-post 3\n\n`);
      expect(got.json).toEqual({ ok: true });
    }
  });

  it('lists the eight streams of both frames with kind, method, status and event count', async () => {
    await panel.waitForFunction(() => document.querySelectorAll('tr[data-connection-id]').length === 8, null, {
      timeout: 15_000,
    });
    await panel.waitForFunction(
      () =>
        [...document.querySelectorAll('tr[data-connection-id]')].every(
          (row) => row.querySelectorAll('td')[4]?.textContent === 'closed',
        ),
      null,
      { timeout: 15_000 },
    );
    const rows = await connectionRows();
    const summary = rows.map(({ cells }) => {
      const [kind, method, url, status, state, events] = cells;
      const prefix = /prefix=([a-z]+-[a-z]+)(?:$|[& ])/.exec(url!)?.[1];
      return `${kind} ${method} ${prefix} ${status} ${state} ${events}${url!.endsWith('iframe') ? ' iframe' : ''}`;
    });
    expect(summary.sort()).toEqual(
      [
        'EventSource GET top-es 200 closed 3',
        'fetch GET top-get 200 closed 3',
        'fetch POST top-post 200 closed 3',
        'XHR GET top-xhr 200 closed 3',
        'EventSource GET frame-es 200 closed 3 iframe',
        'fetch GET frame-get 200 closed 3 iframe',
        'fetch POST frame-post 200 closed 3 iframe',
        'XHR GET frame-xhr 200 closed 3 iframe',
      ].sort(),
    );
  });

  it('shows every event of every stream, as the page received it', async () => {
    for (const { id, cells } of await connectionRows()) {
      const prefix = /prefix=([a-z]+-[a-z]+)(?:$|[& ])/.exec(cells[2]!)![1]!;
      const row = panel.locator(`tr[data-connection-id="${id}"]`);
      await selectConnectionRow(panel, `tr[data-connection-id="${id}"]`);
      await expect
        .poll(async () => `${await row.getAttribute('aria-selected')} ${await panel.locator('tr[aria-selected=true]').count()}`, {
          timeout: 10_000,
          message: `selecting ${cells.join(' | ')}: ${await panel.locator('table.grid').innerHTML()}`,
        })
        .toBe('true 1');
      const events = (await eventRows()).filter((row) => row.id !== '' || row.type === 'message' || row.type === 'tick');
      const expected = expectedEvents(prefix).map((e) => (prefix.endsWith('-es') ? { ...e, type: 'tick' } : e));
      expect(events.map(({ type, id: eventId, data }) => ({ type, id: eventId, data }))).toEqual(expected);
      for (const event of events) expect(event.time).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
    }
    await panel.click('td.all-row');
  });

  it('exports a HAR 1.2 file with every stream, its events and its raw text', async () => {
    const downloadPromise = devtools.waitForEvent('download', { timeout: 15_000 });
    await panel.getByRole('button', { name: 'Export HAR' }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/^sse-127\.0\.0\.1_\d+-.*\.har$/);
    const path = resolve(RESULTS_DIR, 'capture.har');
    await download.saveAs(path);
    const har = JSON.parse(readFileSync(path, 'utf8')) as Har;
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator.name).toBe('SSE DevTools');
    expect(har.log.entries).toHaveLength(8);
    for (const entry of har.log.entries) {
      const prefix = /prefix=([a-z]+-[a-z]+)(?:$|[& ])/.exec(entry.request.url)![1]!;
      const kind = prefix.split('-')[1];
      const frame = prefix.startsWith('frame') ? 'frame' : 'top';
      expect(entry._resourceType).toBe({ es: 'eventsource', get: 'fetch', post: 'fetch', xhr: 'xhr' }[kind!]);
      expect(entry.response.status).toBe(200);
      expect(entry.response.content.mimeType).toMatch(/^text\/event-stream/);
      expect(Date.parse(entry.startedDateTime)).toBeGreaterThan(Date.now() - 10 * 60_000);
      const messages = entry._eventSourceMessages;
      expect(messages.map((m) => [m.eventName, m.eventId, m.data])).toEqual(
        [1, 2, 3].map((i) => [kind === 'es' ? 'tick' : 'message', `${prefix}-${i}`, `${prefix} ${i}`]),
      );
      for (const message of messages) {
        // Epoch seconds, not milliseconds.
        expect(message.time).toBeGreaterThan(1.7e9);
        expect(message.time).toBeLessThan(1e10);
      }
      if (kind === 'es') {
        expect(entry.response.content.text).toBeUndefined();
      } else {
        // The raw stream text is exactly what the page read.
        expect(entry.response.content.text).toBe(received[frame][kind as 'get' | 'post' | 'xhr']);
        expect(entry._sseDevtools.comments.map((c) => c.text)).toContain(' connected');
      }
      if (kind === 'post') {
        expect(entry.request.method).toBe('POST');
        expect(entry.request.postData).toEqual({ mimeType: 'application/json', text: '{"prompt":"hi"}' });
        const auth = entry.request.headers.find((h) => h.name.toLowerCase() === 'authorization');
        expect(auth?.value).toBe('[redacted by SSE DevTools]');
        expect(JSON.stringify(entry)).not.toContain('secret-token');
      }
      expect(entry._sseDevtools.frameId === 0).toBe(frame === 'top');
    }
  });

  it('saves a screenshot of the panel', async () => {
    await selectConnectionRow(panel, 'tr[data-connection-id] >> nth=2');
    await panel.click('.event-row >> nth=1');
    await panel.waitForSelector('.detail pre.data');
    const path = resolve(RESULTS_DIR, 'panel.png');
    await devtools.screenshot({ path: resolve(RESULTS_DIR, 'devtools.png') });
    // The panel alone, as a user sees it inside DevTools.
    const frameElement = await panel.frameElement();
    await frameElement.screenshot({ path });
    console.log(`panel screenshot: ${path}`);
  });
});
