/**
 * The demo page's real-world scenarios through the real panel, while they run: the panel updates
 * live, a dropped EventSource stays one connection across its reconnects (with the Last-Event-ID
 * it resumed from), an AI chat over fetch POST shows every token, and parallel streams stay apart.
 * The panel is the panel page opened as an extension tab on the demo's tab (`panel.html?tabId=N`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, tabIdOf, type ExtensionBrowser } from './browser';
import { startServer, type StartedServer } from '../server/sse-server';
import type { Har } from '../../src/core/har';

const RESULTS_DIR = resolve(import.meta.dirname, '../../test-results');

let server: StartedServer;
let browser: ExtensionBrowser;
let page: Page;
let panel: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchWithExtension();
  page = await browser.context.newPage();
  await page.goto(`${server.url}/demo.html`);
  const tabId = await tabIdOf(browser, page);
  await page.click('#run-all');
  panel = await browser.context.newPage();
  await panel.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?tabId=${tabId}`);
  await panel.waitForSelector('.panel');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Connection rows keyed by "KIND METHOD /path", with their state and event count. */
async function connections(): Promise<{ key: string; state: string; events: number }[]> {
  return panel.$$eval('tr[data-connection-id]', (rows) =>
    rows.map((row) => {
      const cells = [...row.querySelectorAll('td')];
      const path = row.querySelector('.url-path')?.textContent ?? '';
      return {
        key: `${cells[0]!.textContent} ${cells[1]!.textContent} ${path}`,
        state: cells[4]!.textContent ?? '',
        events: Number(cells[5]!.textContent),
      };
    }),
  );
}

describe('demo scenarios, live in the SSE panel', () => {
  it('updates live: the clock counts up while the panel is open', async () => {
    const clockEvents = async () => (await connections()).find((c) => c.key === 'EventSource GET /sse/clock')?.events ?? 0;
    await expect.poll(clockEvents, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const first = await clockEvents();
    await expect.poll(clockEvents, { timeout: 10_000 }).toBeGreaterThan(first);
  });

  it('shows every scenario as its own connection, with the right kind', async () => {
    await expect
      .poll(async () => (await connections()).map((c) => c.key).sort(), { timeout: 15_000 })
      .toEqual(
        [
          'EventSource GET /sse/clock',
          'EventSource GET /sse/notifications',
          'XHR GET /sse/job?id=job-1',
          'fetch POST /api/chat',
          'EventSource GET /sse/resumable',
          'fetch GET /sse/heartbeat-only',
          'EventSource GET /sse/task?id=1',
          'EventSource GET /sse/task?id=2',
          'EventSource GET /sse/task?id=3',
        ].sort(),
      );
  });

  it('keeps a dropped EventSource as one connection across reconnects, and records the resume', async () => {
    // 15 events with two drops and reconnects, then "done" (which the page listens for) and close().
    await expect
      .poll(async () => (await connections()).find((c) => c.key === 'EventSource GET /sse/resumable'), {
        timeout: 30_000,
      })
      .toMatchObject({ state: 'closed', events: 16 });
  });

  it('exports what the scenarios did, chat tokens and reconnects included', async () => {
    await expect
      .poll(async () => (await connections()).find((c) => c.key === 'fetch POST /api/chat')?.state, { timeout: 15_000 })
      .toBe('closed');
    const downloadPromise = panel.waitForEvent('download', { timeout: 15_000 });
    // The Export menu has HAR at every width (a narrow panel folds the "Export HAR" button into it).
    await panel.locator('.export-menu-button').click();
    await panel.locator('.export-menu-list [data-format="har"]').click();
    const path = resolve(RESULTS_DIR, 'demo.har');
    await (await downloadPromise).saveAs(path);
    const har = JSON.parse(readFileSync(path, 'utf8')) as Har;
    const chat = har.log.entries.find((e) => e.request.url.endsWith('/api/chat'))!;
    expect(chat.request.method).toBe('POST');
    expect(JSON.parse(chat.request.postData!.text)).toHaveProperty('prompt');
    const tokens = chat._eventSourceMessages.map((m) => m.data);
    expect(tokens.at(-1)).toBe('[DONE]');
    expect(tokens.length).toBeGreaterThan(5);
    const text = tokens
      .slice(0, -1)
      .map((data) => (JSON.parse(data) as { choices: { delta: { content: string } }[] }).choices[0]!.delta.content)
      .join('');
    expect(text.length).toBeGreaterThan(10);

    const resumable = har.log.entries.find((e) => e.request.url.endsWith('/sse/resumable'))!;
    const ids = resumable._eventSourceMessages.filter((m) => m.eventName === 'message').map((m) => Number(m.eventId));
    expect(ids).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const reconnects = resumable._sseDevtools.transitions.filter((t) => t.reason === 'reconnecting');
    expect(reconnects.map((t) => t.detail)).toEqual(['Last-Event-ID: 5', 'Last-Event-ID: 10']);
    expect(resumable._sseDevtools.transitions.at(-1)).toMatchObject({ state: 'closed', reason: 'closed-by-page' });
    // The server saw those Last-Event-ID headers: what we recorded is what was sent.
    const sent = server.requests.filter((r) => r.url.startsWith('/sse/resumable')).map((r) => r.headers['last-event-id']);
    expect(sent).toEqual([undefined, '5', '10']);
  });
});
