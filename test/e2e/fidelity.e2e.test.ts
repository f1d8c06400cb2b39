/**
 * Fidelity in real Chromium, through the whole pipeline (tap → relay → background → the panel's
 * model and view): per-event timing, mislabelled streams, the EventSource blind spot, comments,
 * retry, ignored fields and warnings, bad input (a 50 MiB line, a million events, binary garbage,
 * NUL in ids) and safe rendering of hostile page data. The panel is the panel page opened as an
 * extension tab on the test page's tab (`panel.html?tabId=N`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, storedRecords, tabIdOf, type ExtensionBrowser } from './browser';
import { startServer, type StartedServer } from '../server/sse-server';
import { LogStore, type Connection } from '../../src/core/log-store';
import type { SseItem } from '../../src/core/sse-types';

let server: StartedServer;
let browser: ExtensionBrowser;
let page: Page;
let panel: Page;

const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64url');

/** The model the panel builds, from what the background stored. */
async function model(): Promise<LogStore> {
  const store = new LogStore();
  store.apply(await storedRecords(browser));
  return store;
}

async function connectionFor(urlPart: string): Promise<{ connection: Connection; items: SseItem[] }> {
  let found: { connection: Connection; items: SseItem[] } | undefined;
  await expect
    .poll(
      async () => {
        const store = await model();
        const connection = store.connectionList.find((c) => c.url.includes(urlPart));
        if (connection === undefined || connection.endTime === undefined) return false;
        found = { connection, items: store.items.filter((i) => i.connectionId === connection.id).map((i) => i.item) };
        return true;
      },
      { timeout: 20_000, message: `a finished connection for ${urlPart}` },
    )
    .toBe(true);
  return found!;
}

async function fetchText(url: string, init?: RequestInit): Promise<string> {
  return page.evaluate(
    async ([u, i]) => (window as unknown as { readAll(r: Response): Promise<string> }).readAll(await fetch(u, i)),
    [url, init ?? {}] as const,
  );
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchWithExtension();
  page = await browser.context.newPage();
  await page.goto(`${server.url}/test/blank.html`);
  const tabId = await tabIdOf(browser, page);
  panel = await browser.context.newPage();
  await panel.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?tabId=${tabId}`);
  await panel.waitForSelector('.panel');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Selects a connection row and waits until the panel shows it selected. */
async function selectConnectionRow(selector: string): Promise<void> {
  const row = panel.locator(selector).first();
  await row.click();
  await expect.poll(() => row.getAttribute('aria-selected')).toBe('true');
}

describe('fidelity, end to end', () => {
  it('stamps each event with the time its last byte reached the page', async () => {
    const url = `/test/stream?delay=400&raw=${b64('data: one\n\ndata: tw')}&raw=${b64('o\n\n')}&raw=${b64('data: three\n\n')}`;
    await fetchText(url);
    const { items } = await connectionFor('raw=');
    const events = items.filter((i) => i.kind === 'event');
    expect(events.map((e) => (e.kind === 'event' ? e.data : ''))).toEqual(['one', 'two', 'three']);
    const [one, two, three] = events.map((e) => e.time);
    // "two" began in the first chunk but completed in the second, 400 ms later.
    expect(two! - one!).toBeGreaterThan(300);
    expect(three! - two!).toBeGreaterThan(300);
  });

  it('captures mislabelled streams that asked for SSE, flags them, and leaves others alone', async () => {
    const accept = { headers: { Accept: 'text/event-stream' } };
    await fetchText('/test/stream?count=2&prefix=plain&contentType=text/plain', accept);
    await fetchText('/test/stream?count=2&prefix=none&contentType=', accept);
    await fetchText('/test/stream?count=2&prefix=unasked&contentType=text/plain');
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const xhr = new XMLHttpRequest();
          xhr.open('GET', '/test/stream?count=2&prefix=octet&contentType=application/octet-stream');
          xhr.setRequestHeader('Accept', 'text/event-stream');
          xhr.onloadend = () => resolve();
          xhr.send();
        }),
    );
    for (const prefix of ['plain', 'none', 'octet']) {
      const { connection, items } = await connectionFor(`prefix=${prefix}`);
      expect(connection.mislabelled).toBe(true);
      expect(items.filter((i) => i.kind === 'event')).toHaveLength(2);
    }
    const store = await model();
    expect(store.connectionList.some((c) => c.url.includes('prefix=unasked'))).toBe(false);

    await selectConnectionRow(`tr[data-connection-id="${(await connectionFor('prefix=plain')).connection.id}"]`);
    await expect.poll(() => panel.locator('[data-fact=mislabelled]').textContent()).toContain('text/plain');
    expect(await panel.locator('tr[aria-selected=true] .badge.mislabelled').count()).toBe(1);
  });

  it('says which EventSource event types are visible, and keeps the reconnect chain', async () => {
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const es = new EventSource('/sse/resumable?dropAfter=2&total=4&interval=50&retry=200');
          es.addEventListener('done', () => {
            es.close();
            resolve();
          });
          es.onmessage = () => {};
        }),
    );
    const { connection } = await connectionFor('/sse/resumable');
    expect(connection.listenedTypes.sort()).toEqual(['done', 'message']);
    await selectConnectionRow(`tr[data-connection-id="${connection.id}"]`);
    await expect.poll(() => panel.locator('[data-fact=listened]').textContent()).toMatch(/message.*done|done.*message/);
    const reconnects = await panel.locator('[data-fact^=reconnect-]').allTextContents();
    expect(reconnects).toHaveLength(1);
    expect(reconnects[0]).toContain('Last-Event-ID “2”');
  });

  it('keeps comments, retry, ignored fields and spec warnings, and shows them in the panel', async () => {
    const stream = ': hello\nretry: 1500\nretry: 1s\nevent : typo\nfoo: bar\nid: a\0b\ndata: x\n\n';
    await fetchText(`/test/stream?raw=${b64(stream)}`);
    const { connection, items } = await connectionFor(`raw=${b64(stream)}`);
    expect(items.map((i) => i.kind).sort()).toEqual(
      ['comment', 'retry', 'warning', 'field', 'warning', 'field', 'warning', 'event'].sort(),
    );
    const warnings = items.flatMap((i) => (i.kind === 'warning' ? [i.code] : []));
    expect(warnings.sort()).toEqual(['id-contains-nul', 'retry-not-digits', 'unknown-field'].sort());
    await selectConnectionRow(`tr[data-connection-id="${connection.id}"]`);
    await expect.poll(() => panel.locator('.event-row').count()).toBe(8);
    const types = await panel.locator('.event-row .col-type').allTextContents();
    expect(types).toEqual(['comment', 'retry', 'warning', 'ignored field', 'warning', 'ignored field', 'warning', 'message']);
    expect(await panel.locator('[data-fact=retry]').textContent()).toContain('1500');
  });

  it('renders hostile page data as inert text', async () => {
    await fetchText('/test/hostile?<img src=x onerror=window.__pwned=4>');
    const { connection } = await connectionFor('/test/hostile');
    await selectConnectionRow(`tr[data-connection-id="${connection.id}"]`);
    await panel.click('.event-row.kind-event');
    await panel.waitForSelector('.detail pre.data');
    expect(await panel.locator('.detail pre.data').textContent()).toContain('<script>window.__pwned=2</script>');
    expect(await panel.locator('.event-row.kind-event .col-type').textContent()).toContain('<img');
    const injected = await panel.evaluate(() => ({
      elements: document.querySelectorAll('.panel img, .panel script, .panel b').length,
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
    }));
    expect(injected).toEqual({ elements: 0, pwned: null });
  });

  it('caps a 50 MiB single line per event, marks it truncated, and goes on capturing', async () => {
    const length = await page.evaluate(async () => (await (await fetch('/test/long-line?mb=50')).text()).length);
    expect(length).toBeGreaterThan(50 * 1024 * 1024);
    const { connection, items } = await connectionFor('/test/long-line');
    const events = items.flatMap((i) => (i.kind === 'event' ? [i] : []));
    expect(events.map((e) => e.data.length)).toEqual([1024 * 1024, 5]);
    expect(events[0]!.truncated).toEqual({ originalLength: 50 * 1024 * 1024 });
    expect(events[1]!.data).toBe('after');
    await selectConnectionRow(`tr[data-connection-id="${connection.id}"]`);
    await panel.click('.event-row.kind-event >> nth=0');
    await expect.poll(() => panel.locator('.detail .notice').textContent()).toContain(String(50 * 1024 * 1024));
  });

  it('handles a million tiny events: the panel counts them all and renders only visible rows', async () => {
    const count = await page.evaluate(async () => {
      const text = await (window as unknown as { readAll(r: Response): Promise<string> }).readAll(
        await fetch('/test/many?count=1000000'),
      );
      return text.split('\n\n').length - 1;
    });
    expect(count).toBe(1_000_000);
    const { connection } = await connectionFor('/test/many');
    expect(connection.eventCount).toBe(1_000_000);
    await selectConnectionRow(`tr[data-connection-id="${connection.id}"]`);
    await expect
      .poll(() => panel.locator(`tr[data-connection-id="${connection.id}"] td >> nth=5`).textContent(), { timeout: 20_000 })
      .toBe('1000000');
    const rows = await panel.locator('.event-row').count();
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(200);
  });

  it('survives binary garbage and NUL in ids', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)).toString('base64url');
    await page.evaluate(
      async (u) => (await fetch(u)).text(),
      `/test/stream?raw=${garbage}&raw=${b64('\n\nid: x\0y\ndata: still here\n\n')}`,
    );
    const { items } = await connectionFor(`raw=${garbage}`);
    const last = items.filter((i) => i.kind === 'event').at(-1);
    expect(last).toMatchObject({ kind: 'event', data: 'still here' });
    expect(items.some((i) => i.kind === 'warning' && i.code === 'id-contains-nul')).toBe(true);
    // The panel is still alive and counting.
    await expect.poll(() => panel.locator('.summary').textContent()).toMatch(/connections/);
  });
});
