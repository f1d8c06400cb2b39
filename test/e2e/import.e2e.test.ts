/**
 * HAR import in the panel page opened as an extension tab (the viewer): a Chrome HAR whose stream
 * holds 200k events is parsed in the import worker while the page keeps painting, and a file that
 * fails leaves the log in view as it was.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from './browser';

const EVENTS = 200_000;

let browser: ExtensionBrowser;
let viewer: Page;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'sse-import-'));
  browser = await launchWithExtension({ viewport: { width: 1400, height: 900 } });
  viewer = await browser.context.newPage();
  await viewer.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html`);
  await viewer.waitForSelector('.panel');
});

afterAll(async () => {
  await browser?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function chromeHar(events: number): string {
  const text = Array.from({ length: events }, (_, i) => `event: token\nid: ${i}\ndata: {"t":"tok${i}"}\n\n`).join('');
  return JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      entries: [
        {
          startedDateTime: '2026-03-02T09:30:01.250Z',
          time: 60_000,
          _resourceType: 'fetch',
          request: { method: 'POST', url: 'https://api.example.com/v1/chat?stream=true', headers: [] },
          response: {
            status: 200,
            statusText: '',
            headers: [],
            content: { mimeType: 'text/event-stream', size: text.length, text },
          },
          timings: { blocked: 1, send: 1, wait: 10, receive: 59_000 },
        },
      ],
    },
  });
}

describe('importing a HAR in the viewer', () => {
  it(`a Chrome HAR with ${EVENTS.toLocaleString('en')} events: parsed in the worker, the page keeps painting`, async () => {
    const path = join(workDir, 'long-stream.har');
    writeFileSync(path, chromeHar(EVENTS));
    // The longest gap between two animation frames while the import runs.
    await viewer.evaluate(() => {
      const w = window as unknown as { maxGap: number; watching: boolean };
      w.maxGap = 0;
      w.watching = true;
      let last = performance.now();
      const frame = (now: number) => {
        w.maxGap = Math.max(w.maxGap, now - last);
        last = now;
        if (w.watching) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    const started = Date.now();
    await viewer.locator('.import-har input[type=file]').setInputFiles(path);
    const banner = viewer.locator('.banner.info[role=status]');
    await expect.poll(() => banner.textContent(), { timeout: 60_000 }).toContain(`long-stream.har: 1 streams, ${EVENTS} events`);
    const elapsed = Date.now() - started;
    const maxGap = await viewer.evaluate(() => {
      const w = window as unknown as { maxGap: number; watching: boolean };
      w.watching = false;
      return w.maxGap;
    });
    console.log(`import of ${EVENTS} events: ${elapsed} ms; longest frame gap on the panel's thread: ${Math.round(maxGap)} ms`);
    // Parsed on this thread, the file would freeze it for seconds; slices are applied between frames.
    expect(maxGap).toBeLessThan(1000);
    expect(await viewer.getByRole('button', { name: 'Import HAR' }).isDisabled()).toBe(false);
    expect(await viewer.locator('.summary').textContent()).toBe(`1 connection, ${EVENTS} events`);
  });

  it('a file that fails says why and leaves the log as it was', async () => {
    const before = await viewer.locator('.banner.info[role=status]').textContent();
    await viewer.locator('.import-har input[type=file]').setInputFiles({
      name: 'broken.har',
      mimeType: 'application/json',
      buffer: Buffer.from('{"log":{"entries":[{"request":1}]}}'),
    });
    const alert = viewer.locator('[role=alert]');
    await expect.poll(() => alert.first().textContent()).toContain('broken.har has a field of the wrong type');
    expect(await viewer.locator('.banner.info[role=status]').textContent()).toBe(before);
    expect(await viewer.getByRole('button', { name: 'Import HAR' }).isDisabled()).toBe(false);
  });
});
