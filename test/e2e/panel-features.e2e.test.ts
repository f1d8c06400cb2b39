/**
 * The panel's features end to end, in the panel page opened as an extension tab
 * (`panel.html?tabId=N`: the same page DevTools shows, steadier to drive than the DevTools window;
 * registration, theme and docked layout are tested in real DevTools by panel.e2e and screenshots.e2e): search (text,
 * regex, case) with highlighting, type chips, hidden comments and connection filters over a 12k-event
 * log; the timeline's brush, zoom and tooltip; the detail pane (JSON tree, raw wire lines, meta);
 * export (HAR, NDJSON, CSV) and import back, with redaction; Chrome's own HAR; and the panel page
 * opened on its own as a viewer.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { launchWithExtension, tabIdOf, type ExtensionBrowser } from './browser';
import { startServer, type StartedServer } from '../server/sse-server';
import type { Har } from '../../src/core/har';

const CHROME_HAR = resolve(import.meta.dirname, '../fixtures/chrome-save-all-with-content.har');

let server: StartedServer;
let browser: ExtensionBrowser;
let page: Page;
/** The panel page, opened as an extension tab on the test page's tab. */
let panel: Page;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'sse-panel-features-'));
  server = await startServer();
  browser = await launchWithExtension({ viewport: { width: 1600, height: 1000 } });
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
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// helpers

/** Fetches `path` in the page and reads the stream to its end (headers optional). */
async function readStream(path: string, headers: Record<string, string> = {}): Promise<string> {
  return page.evaluate(
    async ([url, init]) =>
      (window as unknown as { readAll(r: Response): Promise<string> }).readAll(await fetch(url, { headers: init })),
    [path, headers] as const,
  );
}

/** Items in the table after every filter (the grid's aria-rowcount counts the header row too). */
async function rowCount(): Promise<number> {
  return Number(await panel.locator('.scroller[role=grid]').getAttribute('aria-rowcount')) - 1;
}

async function eventRows(): Promise<{ time: string; type: string; id: string; data: string; kind: string }[]> {
  return panel.$$eval('.event-row', (rows) =>
    rows.map((row) => {
      const [time, type, id, data] = [...row.querySelectorAll('[role=gridcell]')].map((cell) => cell.textContent ?? '');
      return { time: time!, type: type!, id: id!, data: data!, kind: /kind-(\w+)/.exec(row.className)?.[1] ?? '' };
    }),
  );
}

/** The table only ever holds the rows on screen. */
async function expectVirtualized(): Promise<void> {
  const rendered = await panel.locator('.event-row').count();
  expect(rendered).toBeLessThan(100);
}

function connectionRow(path: string): Locator {
  return panel
    .locator('tr[data-connection-id]')
    .filter({ has: panel.locator('.url-path', { hasText: new RegExp(`^${escapeRegex(path)}$`) }) });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Connection rows as [kind, method, path, status, state, events, bytes]. */
async function connectionRows(): Promise<string[][]> {
  return panel.$$eval('tr[data-connection-id]', (rows) =>
    rows.map((row) => {
      const cells = [...row.querySelectorAll('td')];
      const text = (i: number) => (cells[i]?.textContent ?? '').trim();
      return [text(0), text(1), cells[2]?.querySelector('.url-path')?.textContent ?? '', text(3), text(4), text(5), text(6)];
    }),
  );
}

const search = () => panel.getByRole('searchbox', { name: 'Search events' });
const regexToggle = () => panel.getByRole('button', { name: 'Use regular expression' });
const caseToggle = () => panel.getByRole('button', { name: 'Match case' });
const matchCount = () => panel.locator('.filter-count').textContent();
const chip = (type: string) => panel.locator(`button.chip[data-type="${type}"]`);
const timeline = () => panel.getByTestId('timeline');

/** Opens a tab of the selected connections (events, timeline, conversation, request, replay). */
async function showTab(id: string): Promise<void> {
  const tab = panel.locator(`[role=tab][data-tab=${id}]`);
  if ((await tab.count()) === 0) return; // the empty state has no tabs
  await tab.click();
  await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
}

async function setToggle(toggle: Locator, on: boolean): Promise<void> {
  if ((await toggle.getAttribute('aria-pressed')) !== String(on)) await toggle.click();
  await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe(String(on));
}

/** Back to the live log with nothing filtered or selected (so a failed test does not spill into the next). */
async function clearFilters(): Promise<void> {
  const back = panel.getByRole('button', { name: 'Back to live log' });
  if ((await back.count()) > 0) await back.click();
  await showTab('events');
  if ((await panel.locator('.export-menu-list').count()) > 0) await panel.keyboard.press('Escape');
  await search().fill('');
  await setToggle(regexToggle(), false);
  await setToggle(caseToggle(), false);
  await panel.getByLabel('Hide comments').uncheck();
  await panel.locator('button.chip-all').click();
  await panel.click('td.all-row');
}

let downloads = 0;
/** Runs `action` and returns the file it made the DevTools page download. */
async function download(action: () => Promise<void>): Promise<{ name: string; path: string; text: string }> {
  const pending = panel.waitForEvent('download', { timeout: 15_000 });
  await action();
  const file = await pending;
  const dir = join(workDir, String(++downloads));
  mkdirSync(dir);
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path, text: readFileSync(path, 'utf8') };
}

const exportHarButton = () => panel.getByRole('button', { name: 'Export HAR', exact: true });

async function exportAs(format: 'ndjson' | 'csv' | 'json' | 'har'): Promise<{ name: string; path: string; text: string }> {
  return download(async () => {
    await panel.locator('.export-menu-button').click();
    await panel.locator(`.export-menu-list [data-format="${format}"]`).click();
  });
}

async function setIncludeSensitive(on: boolean): Promise<void> {
  await panel.locator('.export-menu-button').click();
  const item = panel.getByRole('menuitemcheckbox', { name: 'Include sensitive data' });
  if ((await item.getAttribute('aria-checked')) !== String(on)) await item.click();
  await expect.poll(() => item.getAttribute('aria-checked')).toBe(String(on));
  await panel.keyboard.press('Escape');
  await expect.poll(() => panel.locator('.export-menu-list').count()).toBe(0);
}

const ndjsonRows = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

// ---------------------------------------------------------------------------------------------

/** Data of /test/many?count=12000 containing "1199", in arrival order. */
const MATCHES_1199 = ['1199', '11199', ...Array.from({ length: 10 }, (_, i) => `1199${i}`)];

describe('filters over a 12k-event log', () => {
  // a: ": connected", then 5 × (": keep-alive", tick); b: ": connected", 3 alerts; many: 12000 messages.
  const TOTAL_EVENTS = 5 + 3 + 12_000;
  const TOTAL_ITEMS = TOTAL_EVENTS + 1 + 5 + 1;

  it('loads the log: 3 connections, every item in the table, only the visible rows in the DOM', async () => {
    await readStream('/test/stream?count=5&type=tick&prefix=a&comment=1');
    await readStream('/test/stream?count=3&type=alert&prefix=b');
    await readStream('/test/many?count=12000');
    await expect
      .poll(() => panel.locator('.summary').textContent(), { timeout: 15_000 })
      .toBe(`3 connections, ${TOTAL_EVENTS} events`);
    await expect.poll(rowCount).toBe(TOTAL_ITEMS);
    await expectVirtualized();
    expect(await panel.locator('.event-row').count()).toBeGreaterThan(5);
  });

  it('searches plain text: filters, counts, highlights with <mark>', async () => {
    await search().fill('1199');
    await expect.poll(matchCount).toBe('12 matches');
    expect(await rowCount()).toBe(12);
    const rows = await eventRows();
    expect(rows.map((r) => r.data)).toEqual(MATCHES_1199);
    const marks = await panel.locator('.event-row .col-data mark').allTextContents();
    expect(marks).toEqual(Array(12).fill('1199'));
    // The mark sits where the match is: "11199" is 1 + <mark>1199</mark>.
    expect(await panel.locator('.event-row .col-data', { hasText: /^11199$/ }).evaluate((cell) => cell.innerHTML)).toBe(
      '1<mark class="match">1199</mark>',
    );
    await expectVirtualized();

    // Case: "A 3" finds "a 3" until "Match case" is on.
    await search().fill('A 3');
    await expect.poll(matchCount).toBe('1 match');
    expect((await eventRows()).map((r) => [r.type, r.id, r.data])).toEqual([['tick', 'a-3', 'a 3']]);
    expect(await panel.locator('.event-row .col-data mark').allTextContents()).toEqual(['a 3']);
    await setToggle(caseToggle(), true);
    await expect.poll(matchCount).toBe('0 matches');
    expect(await rowCount()).toBe(0);
    await setToggle(caseToggle(), false);
  });

  it('searches by regex, and an invalid regex says why and filters nothing', async () => {
    await setToggle(regexToggle(), true);
    await search().fill('^a [2-4]$');
    await expect.poll(matchCount).toBe('3 matches');
    expect((await eventRows()).map((r) => r.data)).toEqual(['a 2', 'a 3', 'a 4']);
    expect(await panel.locator('.event-row .col-data mark').allTextContents()).toEqual(['a 2', 'a 3', 'a 4']);
    // Regex over the ID column too, case-insensitive unless asked.
    await search().fill('^B-[13]$');
    await expect.poll(matchCount).toBe('2 matches');
    expect((await eventRows()).map((r) => r.id)).toEqual(['b-1', 'b-3']);
    expect(await panel.locator('.event-row .col-id mark').allTextContents()).toEqual(['b-1', 'b-3']);
    await setToggle(caseToggle(), true);
    await expect.poll(matchCount).toBe('0 matches');
    await setToggle(caseToggle(), false);

    await search().fill('a(');
    const error = panel.locator('.filter-error[role=alert]');
    await expect.poll(() => error.textContent()).toMatch(/^Invalid regular expression: .+/);
    expect(await search().getAttribute('aria-invalid')).toBe('true');
    expect(await matchCount()).toBe('');
    expect(await rowCount()).toBe(TOTAL_ITEMS);
    expect(await panel.locator('.event-row mark').count()).toBe(0);
    await expectVirtualized();

    await search().fill('');
    await setToggle(regexToggle(), false);
    await expect.poll(() => error.count()).toBe(0);
    expect(await rowCount()).toBe(TOTAL_ITEMS);
  });

  it('type chips: live counts, toggle one off, "only", "All"', async () => {
    await expect.poll(() => chip('message').locator('.chip-count').textContent()).toBe('12,000');
    expect(await chip('tick').locator('.chip-count').textContent()).toBe('5');
    expect(await chip('alert').locator('.chip-count').textContent()).toBe('3');

    await chip('message').click();
    expect(await chip('message').getAttribute('aria-pressed')).toBe('false');
    await expect.poll(rowCount).toBe(TOTAL_ITEMS - 12_000);
    let types = new Set((await eventRows()).map((r) => r.type));
    expect([...types].sort()).toEqual(['alert', 'comment', 'tick']);
    await expectVirtualized();

    await panel.getByRole('button', { name: 'Show only alert events' }).click();
    await expect.poll(rowCount).toBe(3 + 7);
    types = new Set((await eventRows()).map((r) => r.type));
    expect([...types].sort()).toEqual(['alert', 'comment']);
    expect(await chip('alert').getAttribute('aria-pressed')).toBe('true');
    expect(await chip('tick').getAttribute('aria-pressed')).toBe('false');
    expect(await chip('message').getAttribute('aria-pressed')).toBe('false');
    expect(await panel.locator('button.chip-all').getAttribute('aria-pressed')).toBe('false');

    // Live: two more alerts arrive (and one comment) while the filter is on.
    await readStream('/test/stream?count=2&type=alert&prefix=c');
    await expect.poll(() => chip('alert').locator('.chip-count').textContent()).toBe('5');
    await expect.poll(rowCount).toBe(5 + 8);
    expect((await eventRows()).filter((r) => r.type === 'alert').map((r) => r.id)).toEqual(['b-1', 'b-2', 'b-3', 'c-1', 'c-2']);

    await panel.locator('button.chip-all').click();
    await expect.poll(rowCount).toBe(TOTAL_ITEMS + 3);
    expect(await panel.locator('button.chip-all').getAttribute('aria-pressed')).toBe('true');
    expect(await chip('message').getAttribute('aria-pressed')).toBe('true');
    await expectVirtualized();
  });

  it('hides comments', async () => {
    const hide = panel.getByLabel('Hide comments');
    await connectionRow('/test/stream?count=5&type=tick&prefix=a&comment=1').click();
    await expect.poll(rowCount).toBe(11);
    expect((await eventRows()).filter((r) => r.kind === 'comment').map((r) => r.data)).toEqual([
      ' connected',
      ...Array(5).fill(' keep-alive'),
    ]);
    await hide.check();
    await expect.poll(rowCount).toBe(5);
    expect((await eventRows()).map((r) => r.kind)).toEqual(Array(5).fill('event'));
    await panel.click('td.all-row');
    await expect.poll(rowCount).toBe(TOTAL_EVENTS + 2);
    expect(await panel.locator('.event-row.kind-comment').count()).toBe(0);
    await hide.uncheck();
    await expect.poll(rowCount).toBe(TOTAL_ITEMS + 3);
  });

  it('filters by connection: a click selects one, Ctrl+click adds a second', async () => {
    await connectionRow('/test/stream?count=3&type=alert&prefix=b').click();
    await expect.poll(rowCount).toBe(4);
    expect((await eventRows()).map((r) => r.data)).toEqual([' connected', 'b 1', 'b 2', 'b 3']);
    // One connection: no Connection column.
    expect(await panel.locator('.event-row .col-conn').count()).toBe(0);

    await connectionRow('/test/stream?count=5&type=tick&prefix=a&comment=1').click({ modifiers: ['Control'] });
    await expect.poll(rowCount).toBe(4 + 11);
    expect(await panel.locator('td.all-row').textContent()).toBe('2 connections selected');
    const rows = await eventRows();
    expect(
      rows
        .filter((r) => r.kind === 'event')
        .map((r) => r.id)
        .sort(),
    ).toEqual(['a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'b-1', 'b-2', 'b-3']);
    const conns = await panel.locator('.event-row .col-conn').allTextContents();
    expect(new Set(conns)).toEqual(
      new Set(['/test/stream?count=3&type=alert&prefix=b', '/test/stream?count=5&type=tick&prefix=a&comment=1']),
    );

    await connectionRow('/test/many?count=12000').click({ modifiers: ['Control'] });
    await expect.poll(rowCount).toBe(4 + 11 + 12_000);
    await expectVirtualized();
    await panel.click('td.all-row');
    await expect.poll(rowCount).toBe(TOTAL_ITEMS + 3);
    await expectVirtualized();
  });
});

describe('the timeline', () => {
  const PATH = '/test/stream?count=12&delay=60&type=step&prefix=t';

  it('brushes a time range: the table shows only events in it; clearing brings all back', async () => {
    await clearFilters();
    await readStream(PATH);
    await connectionRow(PATH).click();
    await expect.poll(rowCount).toBe(13);
    const all = await eventRows();
    expect(all).toHaveLength(13);

    await showTab('timeline');
    await expect.poll(() => timeline().getAttribute('data-lanes')).toBe('1');
    const area = panel.getByTestId('timeline-brush-area');
    const box = (await area.boundingBox())!;
    const y = box.y + box.height / 2;
    await panel.mouse.move(box.x + box.width * 0.3, y);
    await panel.mouse.down();
    await panel.mouse.move(box.x + box.width * 0.5, y, { steps: 4 });
    await panel.mouse.move(box.x + box.width * 0.7, y, { steps: 4 });
    await panel.mouse.up();
    await expect.poll(() => timeline().getAttribute('data-brush-from')).not.toBeNull();
    const from = Number(await timeline().getAttribute('data-brush-from'));
    const to = Number(await timeline().getAttribute('data-brush-to'));
    const windowFrom = Number(await timeline().getAttribute('data-window-from'));
    const windowTo = Number(await timeline().getAttribute('data-window-to'));
    // The brush spans 30%..70% of the window.
    expect((from - windowFrom) / (windowTo - windowFrom)).toBeCloseTo(0.3, 1);
    expect((to - windowFrom) / (windowTo - windowFrom)).toBeCloseTo(0.7, 1);

    const clock = (ms: number) =>
      panel.evaluate((t) => {
        const d = new Date(t);
        const pad = (n: number, w = 2) => String(n).padStart(w, '0');
        return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
      }, ms);
    const [fromClock, toClock] = [await clock(from), await clock(to)];
    expect(await panel.getByTestId('timeline-readout').textContent()).toContain(fromClock);
    await showTab('events');
    // The brushed range is shown (and can be cleared) above the table too.
    expect(await panel.locator('.time-range-chip').textContent()).toContain(fromClock);
    const shown = await eventRows();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(all.length);
    expect(await rowCount()).toBe(shown.length);
    for (const row of shown) {
      expect(row.time >= fromClock && row.time <= toClock, `${row.time} in ${fromClock}–${toClock}`).toBe(true);
    }
    // Every row strictly inside the range is shown (rows in the edge milliseconds may go either way).
    const inside = all.filter((row) => row.time > fromClock && row.time < toClock).map((r) => r.id + r.data);
    const shownKeys = shown.map((r) => r.id + r.data);
    for (const key of inside) expect(shownKeys).toContain(key);

    await showTab('timeline');
    await panel.getByTestId('timeline-clear-brush').click();
    await expect.poll(() => timeline().getAttribute('data-brush-from')).toBeNull();
    expect(await timeline().getAttribute('data-brush-to')).toBeNull();
    await showTab('events');
    expect(await panel.locator('.time-range-chip').count()).toBe(0);
    await expect.poll(rowCount).toBe(13);
  });

  it('shows a tooltip for the tick under the pointer', async () => {
    // The exact time of event t-6, from the Meta tab.
    await panel.locator('.event-row', { hasText: 't-6' }).click();
    await panel.getByRole('tab', { name: 'Meta' }).click();
    const iso = await panel.locator('.meta-view time').getAttribute('datetime');
    const time = Date.parse(iso!);
    await showTab('timeline');
    const from = Number(await timeline().getAttribute('data-window-from'));
    const to = Number(await timeline().getAttribute('data-window-to'));
    const area = (await panel.getByTestId('timeline-brush-area').boundingBox())!;
    const canvas = (await panel.getByTestId('timeline-canvas').boundingBox())!;
    const x = area.x + ((time - from) / (to - from)) * area.width;
    const tooltip = panel.getByTestId('timeline-tooltip');
    await panel.mouse.move(x, canvas.y + 11);
    await expect.poll(() => tooltip.count()).toBe(1);
    const text = await tooltip.textContent();
    expect(text).toContain('step');
    expect(text).toContain('t-6');
    expect(text).toContain('t 6');
    await panel.mouse.move(x, canvas.y + canvas.height + 200);
    await expect.poll(() => tooltip.count()).toBe(0);
  });

  it('zooms in and out with the buttons', async () => {
    const span = async () =>
      Number(await timeline().getAttribute('data-window-to')) - Number(await timeline().getAttribute('data-window-from'));
    const before = await span();
    const beforeFrom = await timeline().getAttribute('data-window-from');
    expect(await timeline().getAttribute('data-view')).toBe('fit');
    expect(await panel.getByTestId('timeline-zoom-out').isDisabled()).toBe(true);
    await panel.getByTestId('timeline-zoom-in').click();
    await expect.poll(span).toBeCloseTo(before / 2, 3);
    expect(await timeline().getAttribute('data-view')).not.toBe('fit');
    await panel.getByTestId('timeline-zoom-in').click();
    await expect.poll(span).toBeCloseTo(before / 4, 3);
    await panel.getByTestId('timeline-zoom-out').click();
    await expect.poll(span).toBeCloseTo(before / 2, 3);
    await panel.getByTestId('timeline-zoom-out').click();
    await expect.poll(span).toBeCloseTo(before, 3);
    expect(await timeline().getAttribute('data-window-from')).toBe(beforeFrom);
    expect(await timeline().getAttribute('data-view')).toBe('fit');
    await showTab('events');
    await panel.click('td.all-row');
  });
});

describe('the detail pane', () => {
  const DATA = '{"user":{"name":"ada","tags":["x","y"],"meta":{"deep":{"k":1}}},"n":1}';
  const WIRE = `id: j1\r\nevent: obj\r\ndata: ${DATA}\r\n\r\n`;
  const PATH = `/test/stream?raw=${Buffer.from(WIRE).toString('base64url')}`;

  it('shows JSON data as a tree: keyboard expands a node, "Copy path" copies $.…', async () => {
    await clearFilters();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    expect(await readStream(PATH)).toBe(WIRE);
    await connectionRow(PATH).click();
    await expect.poll(rowCount).toBe(1);
    await panel.locator('.event-row.kind-event').click();
    await panel.getByRole('tab', { name: 'Data' }).click();
    const tree = panel.getByRole('tree');
    await expect.poll(() => tree.count()).toBe(1);
    const item = (key: string) => tree.locator(`[role=treeitem][data-key=${JSON.stringify(key)}]`);
    const keys = async () =>
      tree.locator('[role=treeitem]').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.key));
    const deepKey = (await keys()).find((key) => /deep/.test(key!))!;
    expect(await item(deepKey).getAttribute('aria-expanded')).toBe('false');
    const before = (await keys()).length;
    // user, name, tags, 0, 1, meta, deep, n: deep is the 7th row.
    await tree.locator('[role=treeitem]').first().focus();
    for (let i = 0; i < 6; i++) await panel.keyboard.press('ArrowDown');
    await expect.poll(() => panel.evaluate(() => (document.activeElement as HTMLElement).dataset.key)).toBe(deepKey);
    await panel.keyboard.press('ArrowRight');
    await expect.poll(() => item(deepKey).getAttribute('aria-expanded')).toBe('true');
    expect((await keys()).length).toBe(before + 1);
    await panel.keyboard.press('ArrowDown');
    await panel.keyboard.press('p');
    const status = panel.locator('.jt-status');
    await expect.poll(() => status.textContent()).toBe('Copied the path $.user.meta.deep.k');

    // The row's own "Copy path" button, and what reached the clipboard.
    const tagsRow = tree.locator('[role=treeitem]').nth(2).locator('> .jt-row');
    await tagsRow.hover();
    await tagsRow.getByRole('button', { name: 'Copy path' }).click();
    await expect.poll(() => status.textContent()).toBe('Copied the path $.user.tags');
    // The DevTools frame may not read the clipboard (permissions policy): the inspected page can.
    await page.bringToFront();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('$.user.tags');
    await panel.bringToFront();
  });

  it('Raw shows the exact wire lines with their CR LF endings visible', async () => {
    await panel.getByRole('tab', { name: 'Raw' }).click();
    const lines = panel.locator('.raw-lines .raw-line');
    await expect.poll(() => lines.count()).toBe(4);
    expect(await lines.allTextContents()).toEqual(['id: j1␍␊', 'event: obj␍␊', `data: ${DATA}␍␊`, '␍␊']);
    const endings = panel.locator('.raw-lines .raw-eol');
    expect(await endings.evaluateAll((els) => els.map((el) => el.getAttribute('title')))).toEqual(
      Array(4).fill('CR LF line ending'),
    );
    expect(await panel.locator('.raw-lines .raw-name').allTextContents()).toEqual(['id', 'event', 'data']);
  });

  it('Meta shows the sizes and the time', async () => {
    await panel.getByRole('tab', { name: 'Meta' }).click();
    const meta = panel.locator('.meta-view');
    const facts = await meta.locator('dl.meta-list').evaluate((dl) => {
      const out: Record<string, string> = {};
      for (const dt of dl.querySelectorAll('dt')) out[dt.textContent ?? ''] = (dt.nextElementSibling?.textContent ?? '').trim();
      return out;
    });
    expect(facts['Data size (UTF-8)']).toBe(`${Buffer.byteLength(DATA)} bytes`);
    expect(facts['Size on the wire (UTF-8)']).toBe(`${Buffer.byteLength(WIRE)} bytes`);
    expect(facts.Type).toBe('obj');
    expect(facts.Kind).toBe('fetch');
    expect(facts.Time).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
    const iso = await meta.locator('time').getAttribute('datetime');
    expect(Math.abs(Date.now() - Date.parse(iso!))).toBeLessThan(60_000);
    expect(facts['Since connection start']).toMatch(/^\+\d+\.\d{3} s$/);
    await panel.click('td.all-row');
  });
});

describe('export and import', () => {
  let liveConnections: string[][];
  let liveNdjson: Record<string, unknown>[];
  let harFile: { name: string; path: string; text: string };
  let liveCount = 0;

  it('exports HAR and imports it back: the same connections and events, and "Back to live log"', async () => {
    await clearFilters();
    await expect.poll(() => panel.locator('.summary').textContent()).toBe(`6 connections, ${12_000 + 5 + 3 + 2 + 12 + 1} events`);
    liveConnections = await connectionRows();
    expect(liveConnections).toHaveLength(6);
    liveNdjson = ndjsonRows((await exportAs('ndjson')).text);
    expect(liveNdjson).toHaveLength(await rowCount());

    harFile = await download(() => exportHarButton().click());
    expect(harFile.name).toMatch(/^sse-127\.0\.0\.1_\d+-.*\.har$/);
    const har = JSON.parse(harFile.text) as Har;
    expect(har.log.entries).toHaveLength(6);

    await panel.locator('.import-har input[type=file]').setInputFiles(harFile.path);
    const banner = panel.locator('.banner.info[role=status]');
    await expect.poll(() => banner.textContent()).toContain(`Viewing imported file ${harFile.name}: 6 streams, 12023 events`);
    expect(await panel.getByRole('button', { name: 'Clear', exact: true }).isDisabled()).toBe(true);
    expect(await connectionRows()).toEqual(liveConnections);
    const importedNdjson = ndjsonRows((await exportAs('ndjson')).text);
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ connectionId: _id, ...rest }) => rest);
    expect(importedNdjson).toHaveLength(liveNdjson.length);
    expect(strip(importedNdjson)).toEqual(strip(liveNdjson));
    // Spot check through the table: the typed stream's events.
    await connectionRow('/test/stream?count=5&type=tick&prefix=a&comment=1').click();
    expect((await eventRows()).filter((r) => r.kind === 'event').map((r) => [r.type, r.id, r.data])).toEqual(
      [1, 2, 3, 4, 5].map((i) => ['tick', `a-${i}`, `a ${i}`]),
    );
    await expectVirtualized();
    await panel.locator('.event-row.kind-event').first().click();
    await expect.poll(() => panel.locator('.event-detail').count()).toBe(1);

    await banner.getByRole('button', { name: 'Back to live log' }).click();
    await expect.poll(() => banner.count()).toBe(0);
    // What was selected in the file is not carried over to the live log.
    expect(await panel.locator('td.all-row').locator('..').getAttribute('aria-selected')).toBe('true');
    expect(await panel.locator('tr[data-connection-id][aria-selected=true]').count()).toBe(0);
    expect(await panel.locator('.event-detail').count()).toBe(0);
    expect(await rowCount()).toBe(liveNdjson.length);
    expect(await panel.getByRole('button', { name: 'Clear', exact: true }).isDisabled()).toBe(false);
    expect(await connectionRows()).toEqual(liveConnections);
    // Live again: a new stream shows up.
    await readStream('/test/stream?count=1&prefix=live-again');
    await expect.poll(() => panel.locator('tr[data-connection-id]').count()).toBe(7);
  });

  it('exports NDJSON and CSV of the rows in view after a filter', async () => {
    await clearFilters();
    await search().fill('1199');
    await expect.poll(matchCount).toBe('12 matches');
    const expected = MATCHES_1199;

    const ndjson = await exportAs('ndjson');
    expect(ndjson.name).toMatch(/\.ndjson$/);
    const rows = ndjsonRows(ndjson.text);
    expect(rows).toHaveLength(await rowCount());
    expect(rows.map((r) => r.data)).toEqual(expected);
    expect(rows[0]).toMatchObject({ kind: 'event', type: 'message', id: '', connectionKind: 'fetch', size: 4 });
    expect(rows[0]!.connectionUrl).toBe(`${server.url}/test/many?count=12000`);

    const csv = await exportAs('csv');
    expect(csv.name).toMatch(/\.csv$/);
    const lines = csv.text.split('\r\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1 + (await rowCount()));
    // The last two columns say where deep capture saw each item: empty without it.
    expect(lines[0]).toBe('time,connection_url,kind,type,id,data,size,seen_on,page');
    expect(lines.slice(1).map((line) => line.split(',').slice(1))).toEqual(
      expected.map((data) => [`${server.url}/test/many?count=12000`, 'event', 'message', '', data, String(data.length), '', '']),
    );
    await search().fill('');
  });

  it('redacts secrets in HAR, NDJSON and CSV unless "Include sensitive data" is ticked', async () => {
    await clearFilters();
    const PATH = '/test/stream?count=2&prefix=red&access_token=sekrit-456';
    await readStream(PATH, { Authorization: 'Bearer sekrit-123' });
    const request = server.requests.find((r) => r.url === PATH)!;
    expect(request.headers.authorization).toBe('Bearer sekrit-123');
    await connectionRow(PATH).click();
    await expect.poll(rowCount).toBe(3);

    const har = await download(() => exportHarButton().click());
    const ndjson = await exportAs('ndjson');
    const csv = await exportAs('csv');
    for (const file of [har, ndjson, csv]) {
      expect(file.text).toContain('prefix=red');
      expect(file.text).not.toContain('sekrit');
    }
    const entries = (JSON.parse(har.text) as Har).log.entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]!.request.headers.find((h) => h.name.toLowerCase() === 'authorization')?.value).toBe(
      '[redacted by SSE DevTools]',
    );
    expect(ndjsonRows(ndjson.text).map((r) => r.data)).toEqual([' connected', 'red 1', 'red 2']);

    await setIncludeSensitive(true);
    const full = await download(() => exportHarButton().click());
    expect(full.text).toContain('sekrit-123');
    expect(full.text).toContain('sekrit-456');
    const fullEntries = (JSON.parse(full.text) as Har).log.entries;
    expect(fullEntries[0]!.request.url).toBe(`${server.url}${PATH}`);
    expect(fullEntries[0]!.request.headers.find((h) => h.name.toLowerCase() === 'authorization')?.value).toBe(
      'Bearer sekrit-123',
    );
    await setIncludeSensitive(false);
    await panel.click('td.all-row');
  });

  it("imports Chrome's own HAR (Save all as HAR with content)", async () => {
    await clearFilters();
    liveCount = await panel.locator('tr[data-connection-id]').count();
    await panel.locator('.import-har input[type=file]').setInputFiles(CHROME_HAR);
    const banner = panel.locator('.banner.info[role=status]');
    await expect
      .poll(() => banner.textContent())
      .toContain('Viewing imported file chrome-save-all-with-content.har: 3 streams, 8 events');
    const rows = await connectionRows();
    // In order of start time (the file lists them otherwise).
    expect(rows.map(([kind, method, path, status, , events]) => [kind, method, path, status, events])).toEqual([
      ['EventSource', 'GET', '/events', '200', '3'],
      ['fetch', 'POST', '/v1/chat?stream=true', '200', '3'],
      ['XHR', 'GET', '/xhr-stream', '200', '2'],
    ]);
    const eventsOf = async (path: string) => {
      await connectionRow(path).click();
      await expect.poll(() => panel.locator('tr[data-connection-id][aria-selected=true]').count()).toBe(1);
      return (await eventRows()).map((r) => [r.type, r.id, r.data]);
    };
    expect(await eventsOf('/v1/chat?stream=true')).toEqual([
      ['comment', '', ' ok'],
      ['token', '1', '{"t":"Hel"}'],
      ['token', '2', '{"t":"lo, 世界"}'],
      ['retry', '', '2500 ms'],
      ['done', '2', '[DONE]'],
    ]);
    expect(await eventsOf('/events')).toEqual([
      ['message', '42', 'hello'],
      ['tick', '43', '{"n":1}'],
      ['tick', '44', 'line 1↵line 2'],
    ]);
    expect(await eventsOf('/xhr-stream')).toEqual([
      ['message', '', 'line one↵line two'],
      ['message', '', 'ünïcödé 🚀'],
    ]);
    await panel.click('td.all-row');
  });

  it('refuses a file that is not a HAR, says why, and changes nothing', async () => {
    const before = await connectionRows();
    const bannerBefore = await panel.locator('.banner.info[role=status]').textContent();
    const notes = join(workDir, 'notes.txt');
    writeFileSync(notes, 'just some notes, not JSON\n');
    await panel.locator('.import-har input[type=file]').setInputFiles(notes);
    const alert = panel.locator('.import-har [role=alert]');
    await expect.poll(() => alert.textContent()).toContain('notes.txt is not valid JSON, so it is not a HAR file');
    expect(await connectionRows()).toEqual(before);
    expect(await panel.locator('.banner.info[role=status]').textContent()).toBe(bannerBefore);

    await panel
      .locator('.import-har input[type=file]')
      .setInputFiles({ name: 'data.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":1}') });
    await expect.poll(() => alert.textContent()).toContain('data.json is JSON but not a HAR file');
    expect(await connectionRows()).toEqual(before);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => alert.count()).toBe(0);

    await panel.getByRole('button', { name: 'Back to live log' }).click();
    await expect.poll(() => panel.locator('tr[data-connection-id]').count()).toBe(liveCount);
  });
});

describe('the panel page on its own, as a viewer', () => {
  it('shows the viewer empty state, then the streams of an imported HAR', async () => {
    const viewer = await browser.context.newPage();
    try {
      await viewer.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html`);
      const empty = viewer.locator('.empty-state');
      await expect.poll(() => empty.locator('h2').textContent()).toBe('SSE DevTools viewer');
      expect(await empty.textContent()).toContain('Import a .har file');
      expect(await viewer.getByRole('button', { name: 'Clear', exact: true }).isDisabled()).toBe(true);
      expect(await viewer.locator('.summary').textContent()).toBe('0 connections, 0 events');

      await viewer.locator('.import-har input[type=file]').setInputFiles(CHROME_HAR);
      await expect
        .poll(() => viewer.locator('.banner.info').textContent())
        .toContain('chrome-save-all-with-content.har: 3 streams, 8 events');
      expect(await viewer.locator('tr[data-connection-id] .url-path').allTextContents()).toEqual([
        '/events',
        '/v1/chat?stream=true',
        '/xhr-stream',
      ]);
      await viewer.locator('tr[data-connection-id]', { hasText: '/events' }).click();
      expect(await viewer.locator('.event-row .col-data').allTextContents()).toEqual(['hello', '{"n":1}', 'line 1↵line 2']);
      expect(await empty.count()).toBe(0);
    } finally {
      await viewer.close();
    }
  });
});
