/**
 * The core scenarios, one list run in both browsers through the same handle (panel-handle.ts):
 * Chromium's DevTools through Playwright, Firefox's toolbox through Marionette. Each browser opens
 * our panel on a page and sees EventSource, fetch GET/POST and XHR streams of the top frame and an
 * iframe arrive live; filters and search; export HAR and read it back, import it and Chrome's own
 * HAR; replay to the page's EventSource and mock the next request; the DevTools theme; Simplified
 * Chinese; the keyboard, NDJSON export, tabs kept apart, Preserve log and Clear. Where a browser
 * cannot do something, its test says so (so far there is nothing Firefox cannot do here).
 * `SSE_BROWSERS=firefox` (or chromium) runs one browser only.
 *
 * The deeper suites (panel-features, replay, transparency...) run in Chromium only.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BROWSERS, browserAvailable, launchBrowser } from './any-browser';
import type { BrowserHandle, InspectedPage, PanelHandle } from './panel-handle';
import { startServer, type StartedServer } from '../server/sse-server';
import type { Har } from '../../src/core/har';

const CHROME_HAR = resolve(import.meta.dirname, '../fixtures/chrome-save-all-with-content.har');
const RESULTS = resolve(import.meta.dirname, '../../test-results');

interface ConnectionRow {
  id: string;
  kind: string;
  method: string;
  path: string;
  iframe: boolean;
  frame: string;
  state: string;
  events: string;
}

function connectionRows(panel: PanelHandle): Promise<ConnectionRow[]> {
  return panel.evaluate(() =>
    [...document.querySelectorAll('tr[data-connection-id]')].map((row) => {
      const cells = [...row.querySelectorAll('td')];
      const text = (i: number) => (cells[i]?.textContent ?? '').trim();
      return {
        id: row.getAttribute('data-connection-id') ?? '',
        kind: text(0),
        method: text(1),
        path: cells[2]?.querySelector('.url-path')?.textContent ?? '',
        iframe: row.querySelector('.frame-tag') !== null,
        frame: (row.querySelector('td.frame')?.textContent ?? '').trim(),
        state: text(4),
        events: text(5),
      };
    }),
  );
}

/** Rows of the event table that are rendered (it is virtualized): [type, id, data, kind]. */
function eventRows(panel: PanelHandle): Promise<{ type: string; id: string; data: string; kind: string }[]> {
  return panel.evaluate(() =>
    [...document.querySelectorAll('.event-row')].map((row) => {
      const [, type, id, data] = [...row.querySelectorAll('[role=gridcell]')].map((cell) => cell.textContent ?? '');
      return { type: type!, id: id!, data: data!, kind: /kind-(\w+)/.exec(row.className)?.[1] ?? '' };
    }),
  );
}

/** Items in the table after every filter (aria-rowcount counts the header row too). */
async function rowCount(panel: PanelHandle): Promise<number> {
  return Number(await panel.attribute('.scroller[role=grid]', 'aria-rowcount')) - 1;
}

/**
 * Back to the live log with nothing filtered or selected, so that a failed test does not spill into
 * the next. One look at the panel first; it acts only on what needs resetting.
 */
async function resetView(panel: PanelHandle): Promise<void> {
  const state = await panel.evaluate(() => ({
    imported: document.querySelector('.banner.info[role=status] .link-button') !== null,
    menu: document.querySelector('.export-menu-list') !== null,
    search: (document.querySelector('input.filter-input') as HTMLInputElement | null)?.value ?? '',
    toggles: [...document.querySelectorAll('button.filter-toggle[aria-pressed=true]')].length,
    hideComments: (document.querySelector('label.filter-check input') as HTMLInputElement | null)?.checked ?? false,
    chips: document.querySelector('button.chip-all')?.getAttribute('aria-pressed') ?? 'true',
    allRows: document.querySelector('td.all-row')?.parentElement?.getAttribute('aria-selected') ?? 'true',
    tab: (document.querySelector('[role=tab][data-tab][aria-selected=true]') as HTMLElement | null)?.dataset.tab ?? 'events',
  }));
  if (state.tab !== 'events') await panel.click('[role=tab][data-tab=events]');
  if (state.imported) await panel.click('.banner.info[role=status] .link-button');
  if (state.menu) await panel.press('Escape');
  if (state.search !== '') await panel.fill('input.filter-input', '');
  for (let i = 0; i < state.toggles; i++) await panel.click('button.filter-toggle[aria-pressed=true]');
  if (state.hideComments) await panel.click('label.filter-check input');
  if (state.chips !== 'true') await panel.click('button.chip-all');
  if (state.allRows !== 'true') await panel.click('td.all-row');
}

const prefixOf = (path: string) => /prefix=([a-z-]+?)(&|$)/.exec(path)?.[1] ?? '';

for (const name of BROWSERS) {
  describe.skipIf(!browserAvailable(name))(`${name}: the SSE panel, core scenarios`, () => {
    let server: StartedServer;
    let browser: BrowserHandle;
    let page: InspectedPage;
    let panel: PanelHandle;
    let started = 0;

    beforeAll(async () => {
      started = Date.now();
      mkdirSync(RESULTS, { recursive: true });
      server = await startServer();
      browser = await launchBrowser(name, { width: 1400, height: 1000 });
      page = await browser.openPage(`${server.url}/test/blank.html`);
      panel = await browser.openPanel(page);
    }, 90_000);

    beforeEach(async () => {
      if (panel !== undefined) await resetView(panel);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      console.log(`${name}: core scenarios took ${((Date.now() - started) / 1000).toFixed(1)} s, launch and close included`);
    });

    it('shows EventSource, fetch GET and POST, and XHR streams of the top frame and an iframe, live', async () => {
      await expect.poll(() => panel.text('.empty-state')).toContain('No Server-Sent Events streams yet');
      // The panel is open before the page starts its streams: they arrive while we watch.
      await page.goto(`${server.url}/test/all-kinds.html?prefix=top`);
      await page.waitFor(() => (window as unknown as { __done: boolean }).__done === true, undefined, 30_000);
      await expect.poll(() => panel.text('.summary'), { timeout: 15_000 }).toBe('8 connections, 24 events');
      const rows = await connectionRows(panel);
      const seen = rows.map((r) => `${r.kind} ${r.method} ${prefixOf(r.path)} ${r.iframe ? 'iframe' : r.frame} ${r.events}`);
      expect(seen.sort()).toEqual(
        [
          'EventSource GET top-es top 3',
          'fetch GET top-get top 3',
          'fetch POST top-post top 3',
          'XHR GET top-xhr top 3',
          'EventSource GET frame-es iframe 3',
          'fetch GET frame-get iframe 3',
          'fetch POST frame-post iframe 3',
          'XHR GET frame-xhr iframe 3',
        ].sort(),
      );
      for (const row of rows.filter((r) => r.iframe)) expect(row.frame).toBe('/test/all-kinds.html?prefix=frame&child=1');
      expect(new Set(rows.map((r) => r.state))).toEqual(new Set(['closed']));

      // One connection's events, as the page received them.
      const post = rows.find((r) => prefixOf(r.path) === 'frame-post')!;
      await panel.click(`tr[data-connection-id="${post.id}"]`);
      await expect.poll(() => panel.attribute(`tr[data-connection-id="${post.id}"]`, 'aria-selected')).toBe('true');
      await expect
        .poll(async () => (await eventRows(panel)).filter((r) => r.kind === 'event').map((r) => `${r.id} ${r.data}`))
        .toEqual([1, 2, 3].map((i) => `frame-post-${i} frame-post ${i}`));
      await panel.click('td.all-row');
    });

    it('filters: search with a match count, type chips, hidden comments', async () => {
      const all = await rowCount(panel);
      await panel.fill({ role: 'searchbox', name: 'Search events' }, 'top-get 2');
      await expect.poll(() => panel.text('.filter-count')).toBe('1 match');
      expect(await rowCount(panel)).toBe(1);
      expect(await panel.texts('.event-row .col-data mark')).toEqual(['top-get 2']);
      await panel.fill({ role: 'searchbox', name: 'Search events' }, '');
      await expect.poll(() => rowCount(panel)).toBe(all);

      expect(await panel.text('button.chip[data-type="tick"] .chip-count')).toBe('6');
      expect(await panel.text('button.chip[data-type="message"] .chip-count')).toBe('18');
      await panel.click({ role: 'button', name: 'Show only tick events' });
      await expect
        .poll(async () => new Set((await eventRows(panel)).filter((r) => r.kind === 'event').map((r) => r.type)))
        .toEqual(new Set(['tick']));
      await panel.click({ role: 'checkbox', name: 'Hide comments' });
      await expect.poll(() => rowCount(panel)).toBe(6);
      await panel.click('button.chip-all');
      await expect.poll(() => rowCount(panel)).toBe(24);
      await panel.click({ role: 'checkbox', name: 'Hide comments' });
      await expect.poll(() => rowCount(panel)).toBe(all);
    });

    it('moves through the events by keyboard: Home, ArrowDown, End', async () => {
      const selected = () => panel.text('.event-row[aria-selected=true] .col-data');
      // The table scrolls as the selection moves: compare with the rows rendered at that moment.
      const selectedIs = (index: number) => async () => (await eventRows(panel))[index]?.data === (await selected());
      await panel.press('Home', '.scroller');
      await expect.poll(selectedIs(0)).toBe(true);
      await panel.press('ArrowDown');
      await panel.press('ArrowDown');
      await expect.poll(selectedIs(2)).toBe(true);
      expect(await panel.attribute('.event-row[aria-selected=true]', 'aria-rowindex')).toBe('4');
      await panel.press('End');
      await expect.poll(async () => (await eventRows(panel)).at(-1)?.data === (await selected())).toBe(true);
      await panel.press('Escape');
      await panel.click('td.all-row');
    });

    it('exports HAR, reads it back, and imports it and a HAR saved by Chrome', async () => {
      const har = await panel.download(() => panel.click({ role: 'button', name: 'Export HAR', exact: true }));
      expect(har.name).toMatch(/^sse-127\.0\.0\.1_\d+-.*\.har$/);
      const parsed = JSON.parse(har.text) as Har;
      expect(parsed.log.entries).toHaveLength(8);
      const messages = parsed.log.entries.map(
        (e) => (e as unknown as { _eventSourceMessages: { data: string }[] })._eventSourceMessages,
      );
      expect(
        messages
          .flat()
          .map((m) => m.data)
          .sort(),
      ).toEqual(
        ['top', 'frame']
          .flatMap((f) => ['es', 'get', 'post', 'xhr'].flatMap((k) => [1, 2, 3].map((i) => `${f}-${k} ${i}`)))
          .sort(),
      );

      const live = await connectionRows(panel);
      await panel.setInputFiles('.import-har input[type=file]', har.path);
      await expect
        .poll(() => panel.text('.banner.info[role=status]'), { timeout: 15_000 })
        .toContain(`Viewing imported file ${har.name}: 8 streams, 24 events`);
      // The same rows; the order may differ: an imported file lists streams by start time, the live
      // log in the order the streams were reported (in Firefox an XHR can be reported after a fetch
      // that started later).
      const strip = (rows: ConnectionRow[]) => rows.map(({ id: _id, ...rest }) => JSON.stringify(rest)).sort();
      expect(strip(await connectionRows(panel))).toEqual(strip(live));
      await panel.click({ role: 'button', name: 'Back to live log' });
      await expect.poll(() => panel.count('.banner.info[role=status]')).toBe(0);

      await panel.setInputFiles('.import-har input[type=file]', CHROME_HAR);
      await expect
        .poll(() => panel.text('.banner.info[role=status]'), { timeout: 15_000 })
        .toContain('Viewing imported file chrome-save-all-with-content.har: 3 streams, 8 events');
      expect((await connectionRows(panel)).map((r) => `${r.kind} ${r.method} ${r.path} ${r.events}`)).toEqual([
        'EventSource GET /events 3',
        'fetch POST /v1/chat?stream=true 3',
        'XHR GET /xhr-stream 2',
      ]);
      await panel.click({ role: 'button', name: 'Back to live log' });
      await expect.poll(() => panel.text('.summary')).toBe('8 connections, 24 events');
    });

    it('exports NDJSON of the events in view after a search', async () => {
      await panel.fill({ role: 'searchbox', name: 'Search events' }, 'frame-xhr');
      await expect.poll(() => panel.text('.filter-count')).toBe('3 matches');
      const file = await panel.download(async () => {
        await panel.click('.export-menu-button');
        await panel.click('.export-menu-list [data-format="ndjson"]');
      });
      expect(file.name).toMatch(/\.ndjson$/);
      const rows = file.text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { data: string; connectionKind: string });
      expect(rows.map((r) => [r.data, r.connectionKind])).toEqual([1, 2, 3].map((i) => [`frame-xhr ${i}`, 'xhr']));
      await panel.fill({ role: 'searchbox', name: 'Search events' }, '');
    });

    it("keeps tabs apart: each tab's panel shows only its own streams", async () => {
      const other = await browser.openPage(`${server.url}/test/blank.html?other`);
      await other.evaluate(async () => (await fetch('/test/stream?count=2&prefix=other')).text());
      const otherPanel = await browser.openPanel(other);
      await expect
        .poll(async () => (await connectionRows(otherPanel)).map((r) => r.path))
        .toEqual(['/test/stream?count=2&prefix=other']);
      expect(await panel.text('.summary')).toBe('8 connections, 24 events');
      await other.close();
    });

    it('clears the log on navigation unless Preserve log is on; Clear empties it', async () => {
      await page.goto(`${server.url}/test/blank.html`);
      await expect.poll(() => panel.count('tr[data-connection-id]')).toBe(0);
      await page.evaluate(async () => (await fetch('/test/stream?count=2&prefix=before')).text());
      await expect.poll(() => panel.count('tr[data-connection-id]')).toBe(1);
      await panel.click({ role: 'checkbox', name: 'Preserve log' });
      await page.reload();
      await page.evaluate(async () => (await fetch('/test/stream?count=2&prefix=after')).text());
      await expect.poll(async () => (await connectionRows(panel)).map((r) => prefixOf(r.path))).toEqual(['before', 'after']);
      await panel.click({ role: 'button', name: 'Clear', exact: true });
      await expect.poll(() => panel.count('.empty-state')).toBe(1);
      await panel.click({ role: 'checkbox', name: 'Preserve log' });
    });

    it("shows an event's JSON data as a tree, and copies a path from it to the clipboard", async () => {
      const data = '{"user":{"name":"ada","tags":["x","y"]},"n":1}';
      const wire = `id: j1\r\nevent: obj\r\ndata: ${data}\r\n\r\n`;
      const path = `/test/stream?raw=${Buffer.from(wire).toString('base64url')}`;
      expect(await page.evaluate(async (url) => (await fetch(url)).text(), path)).toBe(wire);
      const row = await expect
        .poll(async () => (await connectionRows(panel)).find((r) => r.path === path), { timeout: 10_000 })
        .toBeDefined()
        .then(async () => (await connectionRows(panel)).find((r) => r.path === path)!);
      await panel.click(`tr[data-connection-id="${row.id}"]`);
      await expect.poll(() => rowCount(panel)).toBe(1);
      await panel.click('.event-row.kind-event');
      await panel.click({ role: 'tab', name: 'Data' });
      await expect.poll(() => panel.count({ role: 'tree', name: '' })).toBe(1);
      // user ▸ name: the second row; "p" copies its path.
      await panel.press('ArrowDown', '[role=treeitem]');
      await expect.poll(() => panel.evaluate(() => (document.activeElement as HTMLElement).dataset.key)).toMatch(/name/);
      await panel.press('p');
      await expect.poll(() => panel.text('.jt-status')).toBe('Copied the path $.user.name');
      expect(await panel.clipboardText()).toBe('$.user.name');
      await panel.click('td.all-row');
    });

    it('brushes a time range on the timeline: the table shows only the events in it', async () => {
      const path = '/test/stream?count=12&delay=60&type=step&prefix=t';
      // Read chunk by chunk (blank.html's readAll), so that each event has its own arrival time.
      await page.evaluate(
        async (url) => (window as unknown as { readAll(r: Response): Promise<string> }).readAll(await fetch(url)),
        path,
      );
      const row = await expect
        .poll(async () => (await connectionRows(panel)).find((r) => r.path === path), { timeout: 10_000 })
        .toBeDefined()
        .then(async () => (await connectionRows(panel)).find((r) => r.path === path)!);
      await panel.click(`tr[data-connection-id="${row.id}"]`);
      await expect.poll(() => rowCount(panel)).toBe(13);
      // The timeline is a tab of the selected connection; the table is on the Events tab.
      await panel.click('[role=tab][data-tab=timeline]');
      const timeline = '[data-testid=timeline]';
      await expect.poll(() => panel.attribute(timeline, 'data-lanes')).toBe('1');
      await panel.drag('[data-testid=timeline-brush-area]', { x: 0.3, y: 0.5 }, { x: 0.7, y: 0.5 });
      await expect.poll(() => panel.attribute(timeline, 'data-brush-from')).not.toBeNull();
      const [from, to, windowFrom, windowTo] = await Promise.all(
        ['data-brush-from', 'data-brush-to', 'data-window-from', 'data-window-to'].map(async (a) =>
          Number(await panel.attribute(timeline, a)),
        ),
      );
      expect((from! - windowFrom!) / (windowTo! - windowFrom!)).toBeCloseTo(0.3, 1);
      expect((to! - windowFrom!) / (windowTo! - windowFrom!)).toBeCloseTo(0.7, 1);
      await panel.click('[role=tab][data-tab=events]');
      await expect
        .poll(async () => {
          const shown = await rowCount(panel);
          return shown > 0 && shown < 13;
        })
        .toBe(true);
      await panel.click('[role=tab][data-tab=timeline]');
      await panel.click('[data-testid=timeline-clear-brush]');
      await expect.poll(() => panel.attribute(timeline, 'data-brush-from')).toBeNull();
      await panel.click('[role=tab][data-tab=events]');
      await expect.poll(() => rowCount(panel)).toBe(13);
    });

    describe('replay and mock', () => {
      const REC = '/test/stream?count=5&delay=200&type=tick&prefix=rec';
      const LIVE = '/test/stream?count=2&delay=600000&type=tick&prefix=live';
      const FETCHED = '/test/stream?count=3&delay=100&prefix=f';
      type PageEvent = { type: string; data: string; lastEventId: string; trusted: boolean };
      const eventsOf = (source: string) => page.evaluate((n) => (window as any).eventsOf(n) as PageEvent[], source);

      async function select(path: string): Promise<void> {
        const row = await expect
          .poll(async () => (await connectionRows(panel)).find((r) => r.path === path), { timeout: 10_000 })
          .toBeDefined()
          .then(async () => (await connectionRows(panel)).find((r) => r.path === path)!);
        const selector = `tr[data-connection-id="${row.id}"]`;
        await panel.click(selector);
        await expect.poll(() => panel.attribute(selector, 'aria-selected')).toBe('true');
        // Replay is a tab of the selected connection.
        await panel.click('[role=tab][data-tab=replay]');
        await expect.poll(() => panel.count('section.replay'), { timeout: 10_000 }).toBe(1);
      }

      it('replays recorded events to a live EventSource of the page, marked as replayed', async () => {
        await page.goto(`${server.url}/test/replay.html`);
        await page.evaluate((url) => (window as any).listen('rec', url), REC);
        await expect.poll(async () => (await eventsOf('rec')).length, { timeout: 10_000 }).toBe(5);
        await page.evaluate(() => (window as any).closeSource('rec'));
        await page.evaluate((url) => (window as any).listen('live', url), LIVE);
        await expect.poll(async () => (await eventsOf('live')).length, { timeout: 10_000 }).toBe(1);

        await select(REC);
        await panel.click({ role: 'button', name: 'Replay to page', within: 'section.replay' });
        await expect.poll(async () => (await eventsOf('live')).length, { timeout: 10_000 }).toBe(6);
        const replayed = (await eventsOf('live')).slice(1);
        expect(replayed.map((e) => [e.type, e.data, e.lastEventId, e.trusted])).toEqual(
          [1, 2, 3, 4, 5].map((i) => ['tick', `rec ${i}`, `rec-${i}`, false]),
        );
        await expect.poll(() => panel.attribute('section.replay .replay-status', 'data-state'), { timeout: 10_000 }).toBe('done');
      });

      it('mocks the next fetch with a recording, without the network', async () => {
        type Fetched = { status: number; text: string };
        const original = await page.evaluate((url) => (window as any).fetchAll(url) as Fetched, FETCHED);
        await select(FETCHED);
        await panel.click({ role: 'button', name: 'Mock next request', within: 'section.replay' });
        await expect.poll(() => panel.attribute('section.replay .mock-status', 'data-state'), { timeout: 10_000 }).toBe('armed');
        const before = server.requests.filter((r) => r.url === FETCHED).length;
        const mocked = await page.evaluate((url) => (window as any).fetchAll(url) as Fetched, FETCHED);
        expect(mocked.status).toBe(200);
        expect(mocked.text).toBe(original.text);
        expect(mocked.text).toContain('data: f 3\n\n');
        await new Promise((r) => setTimeout(r, 300));
        expect(server.requests.filter((r) => r.url === FETCHED).length).toBe(before);
        await expect.poll(() => panel.attribute('section.replay .mock-status', 'data-state'), { timeout: 10_000 }).toBe('done');
        await expect.poll(() => panel.count('tr[data-connection-id] .badge.mocked'), { timeout: 10_000 }).toBe(1);
      });

      it('mocks the next EventSource with a recording: the page gets the events, no request is made', async () => {
        await select(REC);
        await panel.fill({ role: 'textbox', name: 'URL pattern', within: 'section.replay' }, '*prefix=rec');
        await panel.click({ role: 'button', name: 'Mock next request', within: 'section.replay' });
        await expect.poll(() => panel.attribute('section.replay .mock-status', 'data-state'), { timeout: 10_000 }).toBe('armed');
        const before = server.requests.filter((r) => r.url === REC).length;
        expect(await page.evaluate((url) => (window as any).listen('recMock', url) as boolean, REC)).toBe(true);
        await expect.poll(async () => (await eventsOf('recMock')).length, { timeout: 10_000 }).toBe(5);
        expect((await eventsOf('recMock')).map((e) => [e.type, e.data, e.lastEventId])).toEqual(
          [1, 2, 3, 4, 5].map((i) => ['tick', `rec ${i}`, `rec-${i}`]),
        );
        await expect.poll(() => panel.attribute('section.replay .mock-status', 'data-state'), { timeout: 10_000 }).toBe('done');
        await page.evaluate(() => (window as any).closeSource('recMock'));
        expect(server.requests.filter((r) => r.url === REC).length).toBe(before);
      });
    });

    it('follows the DevTools theme: light, then dark, then light again', async () => {
      const theme = () => panel.evaluate(() => document.documentElement.dataset.theme);
      const lightness = () =>
        panel.evaluate(() => {
          const [r, g, b] = (getComputedStyle(document.body).backgroundColor.match(/\d+/g) ?? []).map(Number);
          return (r! + g! + b!) / 3 / 255;
        });
      expect(await theme()).toBe('light');
      expect(await lightness()).toBeGreaterThan(0.8);
      await panel.setDevtoolsTheme('dark');
      await expect.poll(theme, { timeout: 15_000 }).toBe('dark');
      expect(await lightness()).toBeLessThan(0.25);
      await panel.screenshot(resolve(RESULTS, `core-${name}-dark.png`));
      await panel.setDevtoolsTheme('light');
      await expect.poll(theme, { timeout: 15_000 }).toBe('light');
    });
  });

  describe.skipIf(!browserAvailable(name))(`${name}: the SSE panel in Simplified Chinese`, () => {
    it('shows its UI strings in zh_CN when the browser speaks Chinese', async () => {
      const server = await startServer();
      const chinese = await launchBrowser(name, { lang: 'zh-CN' });
      try {
        const page = await chinese.openPage(`${server.url}/test/all-kinds.html?prefix=top`);
        await page.waitFor(() => (window as unknown as { __done: boolean }).__done === true, undefined, 30_000);
        const panel = await chinese.openPanel(page);
        await expect.poll(() => panel.text('.summary'), { timeout: 15_000 }).toBe('8 个连接，24 个事件');
        const toolbar = await panel.text('.toolbar');
        expect(toolbar).toContain('清除');
        expect(toolbar).toContain('保留日志');
        expect(toolbar).toContain('导出 HAR');
        expect(await panel.evaluate(() => document.documentElement.lang)).toMatch(/^zh/);
      } finally {
        await chinese.close();
        await server.close();
      }
    });
  });

  describe.skipIf(!browserAvailable(name))(`${name}: nothing is lost when the background is stopped`, () => {
    // Chrome stops an idle service worker after 30 s, Firefox suspends an idle event page (30 s by
    // default): `suspendBackground` does it now. firefox.e2e.test.ts lets Firefox's idle timeout
    // (set to 1 s) do it by itself; durability.e2e.test.ts has more Chromium cases.
    let server: StartedServer;
    let browser: BrowserHandle;

    beforeAll(async () => {
      server = await startServer();
      browser = await launchBrowser(name);
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('streams a page ran before DevTools was opened are all in the panel, the background stopped in between', async () => {
      const page = await browser.openPage(`${server.url}/test/all-kinds.html?prefix=top`);
      await page.waitFor(() => (window as unknown as { __done: boolean }).__done === true, undefined, 30_000);
      await browser.suspendBackground(page);
      const panel = await browser.openPanel(page);
      await expect.poll(() => panel.text('.summary'), { timeout: 15_000 }).toBe('8 connections, 24 events');
    });

    it('the background stopped between two events of a live stream, the panel open: both events arrive', async () => {
      const page = await browser.openPage(`${server.url}/test/blank.html?cut`);
      const panel = await browser.openPanel(page);
      // Events 4 s apart; stopped as soon as the stream shows up, i.e. before its second event.
      void page.evaluate(async () => (await fetch('/test/stream?count=2&delay=4000&prefix=cut')).text());
      await expect
        .poll(async () => (await panel.text('.summary'))?.startsWith('1 connection,'), { timeout: 4000, interval: 50 })
        .toBe(true);
      await browser.suspendBackground(page);
      await expect.poll(() => panel.text('.summary'), { timeout: 15_000 }).toBe('1 connection, 2 events');
      await expect
        .poll(async () => (await eventRows(panel)).filter((r) => r.kind === 'event').map((r) => r.data))
        .toEqual(['cut 1', 'cut 2']);
    });
  });
}
