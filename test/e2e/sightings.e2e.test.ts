/**
 * Deep capture's one row per request, in the panel page opened as an extension tab (the viewer): a
 * HAR of a deep-captured log (written by our own writer from test/fixtures/deep-pair.ts) is
 * imported, and the request the page tap and the wire both saw is one row marked page+wire, whose
 * events show the one the page never heard and the one it never read; the "not heard by the page"
 * chip filters to those. A pair whose wire capture holds less than the page saw (test/fixtures
 * `shortPairRecords`) shows the page's events and says the wire is incomplete. axe-clean and photographed in the light and dark themes
 * (test-results/sightings-*.png).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from './browser';
import { LogStore } from '../../src/core/log-store';
import { buildHar, harExportOf } from '../../src/core/har';
import { mergeSightings } from '../../src/core/sightings';
import type { StoredRecord } from '../../src/protocol';
import { BURST_FETCH_URL, BURST_URL, CHAT_URL, deepPairRecords, NOTIFY_URL, shortPairRecords } from '../fixtures/deep-pair';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const RESULTS = resolve(import.meta.dirname, '../../test-results');

let browser: ExtensionBrowser;
let viewer: Page;
let workDir: string;
let harPath: string;
let shortHarPath: string;

/** The HAR the panel exports of the fixture's log: one entry per request. */
function deepHar(records: StoredRecord[] = deepPairRecords()): string {
  const store = new LogStore();
  store.apply(records);
  const sightings = mergeSightings(store.connectionList, undefined, store.itemsByConnection);
  const { connections, items } = harExportOf(store, sightings.rows, sightings.filter);
  return JSON.stringify(buildHar(connections, items, { creatorVersion: 'e2e' }));
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'sse-sightings-'));
  harPath = join(workDir, 'deep-capture.har');
  writeFileSync(harPath, deepHar());
  shortHarPath = join(workDir, 'short-wire.har');
  writeFileSync(shortHarPath, deepHar(shortPairRecords()));
  browser = await launchWithExtension({ viewport: { width: 1400, height: 700 } });
  viewer = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function open(theme: 'light' | 'dark', file?: { path: string; banner: string }) {
  await viewer.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?theme=${theme}`);
  await viewer.waitForSelector('.panel');
  await viewer.locator('.import-har input[type=file]').setInputFiles(file?.path ?? harPath);
  await expect
    .poll(() => viewer.locator('.banner.info[role=status]').textContent())
    .toContain(file?.banner ?? 'deep-capture.har: 4 streams');
}

async function runAxe(): Promise<string[]> {
  if (!(await viewer.evaluate(() => 'axe' in globalThis))) await viewer.evaluate(axeSource);
  return viewer.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; nodes: { html: string }[] }[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`);
  });
}

const rowOf = (url: string) => viewer.locator('tr[data-connection-id]', { hasText: new URL(url).pathname });

/** Each event row: its data and the tag of what the page missed ('' when it saw it). */
const eventRows = () =>
  viewer.locator('.event-row').evaluateAll((rows) =>
    rows.map((row) => {
      const tag = row.querySelector('.missed-tag');
      const data = row.querySelector('.col-data')!.textContent!.replace(tag?.textContent ?? '', '');
      return [data, tag?.textContent?.replace(/^[⊘✂]/, '') ?? ''];
    }),
  );

describe('deep capture: one row per request, in real Chromium', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`${theme}: an imported page+wire pair is one row, its events marked where the page missed them; axe-clean`, async () => {
      await open(theme);
      const seen = await viewer
        .locator('tr[data-connection-id] .badge.seen')
        .evaluateAll((badges) => badges.map((b) => [(b as HTMLElement).dataset.seen, b.textContent]));
      expect(seen).toEqual([
        ['both', '▣page+wire'],
        ['both', '▣page+wire'],
        ['wire', '≋wire'],
        ['page', '▢page'],
      ]);
      await rowOf(NOTIFY_URL).click();
      await expect.poll(eventRows).toEqual([
        ['hello', ''],
        ['{"v":2}', 'not heard'],
        ['after close', 'not read'],
      ]);
      expect(await viewer.locator('.event-row .missed-tag').first().getAttribute('title')).toContain('no listener');
      await viewer.locator('.event-row', { hasText: '{"v":2}' }).click();
      await viewer.screenshot({ path: join(RESULTS, `sightings-${theme}.png`) });
      expect(await runAxe()).toEqual([]);

      await rowOf(CHAT_URL).click();
      await expect.poll(eventRows).toEqual([
        ['first', ''],
        ['second', 'not read'],
      ]);

      // Every connection, then only what the page missed.
      await viewer.locator('tr', { hasText: 'All connections' }).click();
      const chip = viewer.locator('button.missed-chip');
      await expect.poll(() => chip.textContent()).toBe('not heard by the page 3');
      await chip.click();
      await expect.poll(() => chip.getAttribute('aria-pressed')).toBe('true');
      await expect.poll(eventRows).toEqual([
        ['{"v":2}', 'not heard'],
        ['after close', 'not read'],
        ['second', 'not read'],
      ]);
      await viewer.screenshot({ path: join(RESULTS, `sightings-chip-${theme}.png`) });
      expect(await runAxe()).toEqual([]);
      await chip.click();
    });
  }

  it('the Request tab and the Timeline read a pair as one request', async () => {
    await open('light');
    await rowOf(CHAT_URL).click();
    await viewer.locator('[role=tab][data-tab=request]').click();
    const request = viewer.locator('[role=tabpanel]#conn-panel-request');
    // The wire's answer and the page's request body, once.
    await expect.poll(() => request.textContent()).toContain(CHAT_URL);
    expect(await request.textContent()).toContain('"q"');
    expect(await request.locator('.request-seen').textContent()).toContain('page tap and on the wire');
    await viewer.screenshot({ path: join(RESULTS, 'sightings-request.png') });
    await viewer.locator('tr', { hasText: 'All connections' }).click();
    await viewer.locator('[role=tab][data-tab=timeline]').click();
    await viewer.locator('[role=tabpanel]#conn-panel-timeline canvas').first().waitFor();
    await viewer.screenshot({ path: join(RESULTS, 'sightings-timeline.png') });
    expect(await runAxe()).toEqual([]);
  });

  it('a pair whose wire capture is short shows the page’s events and says the wire is incomplete', async () => {
    await open('light', { path: shortHarPath, banner: 'short-wire.har: 2 streams' });
    // Nothing hidden behind the wire's shorter capture: every event the page had, counted.
    await expect.poll(() => viewer.locator('.summary').textContent()).toContain('5 events');
    const badges = await viewer
      .locator('tr[data-connection-id] .badge.wire-incomplete')
      .evaluateAll((all) => all.map((b) => b.textContent));
    expect(badges).toEqual(['wire incomplete', 'wire incomplete']);
    await rowOf(BURST_URL).click();
    await expect.poll(eventRows).toEqual([
      ['one', ''],
      ['two', ''],
      ['three', ''],
    ]);
    expect(await viewer.locator('[data-fact="wire-incomplete"]').textContent()).toContain("captured 0 of the page's 3 events");
    await viewer.screenshot({ path: join(RESULTS, 'sightings-wire-incomplete.png') });
    expect(await runAxe()).toEqual([]);
    await rowOf(BURST_FETCH_URL).click();
    await expect.poll(eventRows).toEqual([
      ['first', ''],
      ['second', ''],
    ]);
    expect(await viewer.locator('[data-fact="wire-incomplete"]').textContent()).toContain('captured 13 of the 27 characters');
    await viewer.locator('[role=tab][data-tab=request]').click();
    const request = viewer.locator('[role=tabpanel]#conn-panel-request');
    await expect.poll(() => request.locator('.request-wire-incomplete').textContent()).toContain('1 of its 2 events');
    expect(await request.locator('.request-seen').textContent()).toContain('shown as the page had it');
    await viewer.screenshot({ path: join(RESULTS, 'sightings-wire-incomplete-request.png') });
    expect(await runAxe()).toEqual([]);
  });

  it('docked right (500 px): the marks fit, nothing overflows sideways', async () => {
    await viewer.setViewportSize({ width: 500, height: 900 });
    await open('light');
    await rowOf(NOTIFY_URL).click();
    await viewer.locator('.event-row', { hasText: '{"v":2}' }).click();
    await viewer.screenshot({ path: join(RESULTS, 'sightings-narrow.png') });
    const overflow = await viewer.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    // The mark stays visible in the narrow list (not cut away with the low-value columns).
    const badge = await rowOf(NOTIFY_URL).locator('.badge.seen').boundingBox();
    expect(badge !== null && badge.width > 20 && badge.x + badge.width <= 500).toBe(true);
    await viewer.setViewportSize({ width: 1400, height: 700 });
  });
});
