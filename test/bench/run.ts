/**
 * `npm run bench`: what the extension costs, measured side by side in one run.
 *
 * 1. Page cost, in real Chromium: the same page reads N events over fetch, XHR and EventSource,
 *    once in a browser without the extension and once with it, alternating, R rounds. Reported:
 *    median page time of each and their ratio (with ÷ without). After the last round of each mode
 *    the panel is asked how many events it captured, so a tap that silently captured nothing
 *    cannot look fast.
 * 2. Parser speed, in Node: our SseByteParser against eventsource-parser (a widely used reference
 *    implementation) on the same bytes in 64 KiB chunks. Reported: median times and the ratio.
 *
 * Options (env): BENCH_EVENTS (default 100000), BENCH_ROUNDS (default 5).
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { createParser } from 'eventsource-parser';
import { CHROME_PATH, launchWithExtension, type ExtensionBrowser } from '../e2e/browser';
import { startServer } from '../server/sse-server';
import { SseByteParser } from '../../src/core/sse-parser';
import type { SseItem } from '../../src/core/sse-types';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MODES = ['fetch', 'xhr', 'es'] as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function runPage(page: Page, url: string): Promise<{ ms: number; events: number }> {
  await page.goto(url);
  return page.evaluate(() => (window as unknown as { __bench: Promise<{ ms: number; events: number }> }).__bench);
}

/** Events the extension captured for its (only) tab, as the panel reports them. */
async function capturedEvents(extension: ExtensionBrowser, tabPage: Page): Promise<number> {
  const tabIds = await extension.serviceWorker.evaluate(async () => (await chrome.tabs.query({})).map((t) => t.id!));
  if (tabIds.length !== 1) throw new Error(`expected one tab, found ${tabIds.length}`);
  const panel = await extension.context.newPage();
  try {
    await panel.goto(`chrome-extension://${extension.extensionId}/src/panel/panel.html?tabId=${tabIds[0]}`);
    // Wait until the count stops growing (the log arrives in pieces).
    let last = -1;
    for (;;) {
      await panel.waitForTimeout(500);
      const text = (await panel.locator('.summary').textContent().catch(() => '')) ?? '';
      const count = Number(/(\d+) events/.exec(text)?.[1] ?? 0);
      if (count === last) return count;
      last = count;
    }
  } finally {
    await panel.close();
    void tabPage;
  }
}

async function pageCost(): Promise<string[]> {
  const server = await startServer();
  const plain: Browser = await chromium.launch({
    executablePath: CHROME_PATH,
    headless: true,
    args: [
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-gpu',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  });
  const extension = await launchWithExtension();
  const lines: string[] = [];
  try {
    const plainPage = await plain.newPage();
    for (const page of extension.context.pages()) await page.close();
    const extensionPage = await extension.context.newPage();
    for (const mode of MODES) {
      const url = `${server.url}/test/bench.html?n=${EVENTS}&mode=${mode}`;
      const without: number[] = [];
      const withExtension: number[] = [];
      // One warm-up each, not counted.
      await runPage(plainPage, url);
      await runPage(extensionPage, url);
      for (let round = 0; round < ROUNDS; round++) {
        const a = await runPage(plainPage, url);
        const b = await runPage(extensionPage, url);
        if (a.events !== EVENTS || b.events !== EVENTS) throw new Error(`${mode}: page saw ${a.events}/${b.events} events`);
        without.push(a.ms);
        withExtension.push(b.ms);
      }
      const captured = await capturedEvents(extension, extensionPage);
      const ratio = median(withExtension) / median(without);
      lines.push(
        `page ${mode.padEnd(5)} ${EVENTS} events: without ${median(without).toFixed(0)} ms, ` +
          `with ${median(withExtension).toFixed(0)} ms → ×${ratio.toFixed(2)} (captured ${captured} in the last round)`,
      );
      console.log(lines.at(-1));
      if (captured !== EVENTS) throw new Error(`${mode}: the extension captured ${captured} of ${EVENTS} events`);
    }
  } finally {
    await plain.close();
    await extension.close();
    await server.close();
  }
  return lines;
}

function streamBytes(events: number): Uint8Array[] {
  let text = ': bench\n\n';
  for (let i = 1; i <= events; i++) text += `id: ${i}\nevent: tick\ndata: {"n":${i},"text":"token ${i}"}\n\n`;
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += 65536) chunks.push(bytes.subarray(offset, offset + 65536));
  return chunks;
}

function parserSpeed(): string[] {
  const chunks = streamBytes(EVENTS);
  const ours = (): number => {
    const parser = new SseByteParser();
    const items: SseItem[] = [];
    let events = 0;
    for (const chunk of chunks) {
      parser.push(chunk, 0, items);
      for (const item of items) if (item.kind === 'event') events++;
      items.length = 0;
    }
    return events;
  };
  const reference = (): number => {
    let events = 0;
    const parser = createParser({ onEvent: () => events++ });
    const decoder = new TextDecoder();
    for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
    return events;
  };
  const time = (run: () => number): number => {
    const start = performance.now();
    const events = run();
    if (events !== EVENTS) throw new Error(`parser counted ${events} events`);
    return performance.now() - start;
  };
  const oursTimes: number[] = [];
  const referenceTimes: number[] = [];
  time(ours);
  time(reference);
  for (let round = 0; round < Math.max(ROUNDS, 7); round++) {
    oursTimes.push(time(ours));
    referenceTimes.push(time(reference));
  }
  const line =
    `parser ${EVENTS} events (${chunks.length} chunks of 64 KiB): ours ${median(oursTimes).toFixed(1)} ms, ` +
    `eventsource-parser ${median(referenceTimes).toFixed(1)} ms → ×${(median(oursTimes) / median(referenceTimes)).toFixed(2)}`;
  console.log(line);
  return [line];
}

console.log(`SSE DevTools bench: ${EVENTS} events, ${ROUNDS} rounds, median of each, ratio = ours ÷ reference`);
parserSpeed();
await pageCost();
