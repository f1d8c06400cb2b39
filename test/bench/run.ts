/**
 * `npm run bench`: what the extension costs a page, measured side by side in one run, worst case
 * included. Only ratios between browsers of the same run mean anything: absolute times depend on
 * the machine and on whatever else runs on it.
 *
 * Six Chromiums run at once, set up alike (test/e2e/browser.ts): plain; with the extension and
 * DevTools closed; with the extension and our SSE panel open in DevTools, showing the stream; the
 * same with deep capture on (issue 12: chrome.debugger's Network domain on the tab); plain with
 * Chrome's own DevTools open on the Network panel (recording); plain with the least page-world tap
 * injected (the floor: what any tap living in the page pays, test/bench/floor-tap.ts). Rounds alternate between them
 * (the order rotates every round), and after each round the bench waits until that browser is quiet
 * (all its processes together), so work a round leaves behind is charged to it and does not slow
 * down the next browser's round. Every table reports medians over rounds; the first round of each
 * browser is a warm-up and not counted.
 *
 * Two clocks for the page: the page's own (from asking to its last byte or event), and the CPU time
 * of the tab's main thread from the start of the read until the browser is quiet. The second is
 * the honest one for a tap that defers work (a batch flushed after the last event costs the page's
 * thread as much, but the page's clock has stopped); it is also not inflated by other processes on
 * a busy machine.
 *
 * Scenarios (test/server/bench-routes.ts, test/server/pages/test/bench*.html):
 * - burst: the server writes a body of N small events (100k ≈ 6 MB; EventSource 20k) in 16 KiB
 *   pieces as fast as the socket takes them; the page does no work per event (fetch counts bytes,
 *   XHR reads responseText on progress, EventSource's onmessage counts), and repeats the read in the
 *   same document, so what the extension keeps in the page keeps growing. The worst case for a tap.
 * - paced: the older scenario: /test/stream writes one event per write, every round loads a fresh
 *   page, and the page decodes and splits the events as a real consumer does.
 *
 * Reported: main-thread CPU and page time, CPU of the whole browser per round, µs per EventSource
 * event on the page's thread, memory per stored event (burst), and a capture check read from the
 * SSE panel (which pulls the log wherever it is kept), so a tap that captures nothing cannot look
 * fast. Then our SSE parser against eventsource-parser, the Conversation view's assembly, and deep
 * capture's cost in Firefox against Firefox's own filter cost (BENCH_FIREFOX=0 skips it).
 * The final tables are markdown, printed and written to test-results/bench.md.
 *
 * Options (env): BENCH_EVENTS (fetch/XHR events per round, default 100000), BENCH_ES_EVENTS
 * (EventSource events per round, default BENCH_EVENTS ÷ 5), BENCH_ROUNDS (counted rounds, default 5),
 * BENCH_SCENARIOS (default "burst,paced"), BENCH_KINDS (default "fetch,xhr,es"), BENCH_MODES
 * (browsers besides plain, default "extension,panel,deep,chrome-devtools,floor"; deep: the SSE panel open with deep
 * capture on, in the build with the debugger permission — SSE_DEEP_EXTENSION_DIR, dist/chrome-deep, or one built
 * now; floor: test/bench/floor-tap.ts), SSE_EXTENSION_DIR (the built
 * extension to measure; when set, the bench does not build).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { BrowserContext, CDPSession, Frame, Page } from 'playwright-core';
import { createParser } from 'eventsource-parser';
import {
  EXTENSION_DIR,
  launchPlain,
  launchWithExtension,
  networkPanelLists,
  openSsePanel,
  showChromeDevtoolsPanel,
  splitDevtoolsPages,
  type ExtensionBrowser,
} from '../e2e/browser';
import { startServer, type StartedServer } from '../server/sse-server';
import { burstBody, burstDataBytes } from '../server/bench-routes';
import { SseByteParser } from '../../src/core/sse-parser';
import type { SseItem } from '../../src/core/sse-types';
import { browserSession, CpuMeter, pageHeap, workerHeap, type HeapUsage } from './cdp';
import { FLOOR_TAP } from './floor-tap';

// ---------------------------------------------------------------------------------------------
// Options

function listOption<T extends string>(name: string, allowed: readonly T[], fallback: readonly T[]): T[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const values = raw
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  for (const value of values) {
    if (!allowed.includes(value as T)) throw new Error(`${name}: unknown "${value}" (one of ${allowed.join(', ')})`);
  }
  return values as T[];
}

function countOption(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return value;
}

const SCENARIOS = ['burst', 'paced'] as const;
const KINDS = ['fetch', 'xhr', 'es'] as const;
const EXTRA_MODES = ['extension', 'panel', 'deep', 'chrome-devtools', 'floor'] as const;
type Scenario = (typeof SCENARIOS)[number];
type Kind = (typeof KINDS)[number];
type Mode = 'plain' | (typeof EXTRA_MODES)[number];

const EVENTS = countOption('BENCH_EVENTS', 100_000);
const ES_EVENTS = countOption('BENCH_ES_EVENTS', Math.max(1, Math.round(EVENTS / 5)));
const ROUNDS = countOption('BENCH_ROUNDS', 5);
const SCENARIO_LIST = listOption('BENCH_SCENARIOS', SCENARIOS, SCENARIOS);
const KIND_LIST = listOption('BENCH_KINDS', KINDS, KINDS);
const MODE_LIST: Mode[] = ['plain', ...listOption('BENCH_MODES', EXTRA_MODES, EXTRA_MODES)];
/** /test/stream (the paced scenario) serves at most this many events. */
const PACED_MAX_EVENTS = 100_000;

const MODE_LABEL: Record<Mode, string> = {
  plain: 'plain Chromium',
  extension: 'extension, DevTools closed',
  panel: 'extension, SSE panel open',
  deep: 'extension, SSE panel open, deep capture on',
  'chrome-devtools': 'plain + Chrome DevTools (Network)',
  floor: 'floor: least page-world tap, no extension',
};
const KIND_LABEL: Record<Kind, string> = { fetch: 'fetch', xhr: 'XHR', es: 'EventSource' };

function eventsPerRound(scenario: Scenario, kind: Kind): number {
  const events = kind === 'es' ? ES_EVENTS : EVENTS;
  return scenario === 'paced' ? Math.min(events, PACED_MAX_EVENTS) : events;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function withTimeout<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The browsers

interface Contender {
  mode: Mode;
  context: BrowserContext;
  /** The one tab the bench pages run in. */
  page: Page;
  /** A CDP session on the tab with the Performance domain on, counting the main thread's CPU time. */
  pageSession: CDPSession;
  /** A browser-level CDP session. */
  session: CDPSession;
  cpu: CpuMeter;
  extension?: ExtensionBrowser;
  /** Our panel inside this tab's DevTools (mode "panel"), found again after each navigation. */
  ssePanel?: Frame;
  /** Chrome's DevTools window (mode "chrome-devtools"). */
  chromeDevtools?: Page;
  close(): Promise<void>;
}

async function launchContender(mode: Mode): Promise<Contender> {
  let extension: ExtensionBrowser | undefined;
  let context: BrowserContext;
  let close: () => Promise<void>;
  if (mode === 'extension' || mode === 'panel' || mode === 'deep') {
    extension = await launchWithExtension({
      devtools: mode !== 'extension',
      ...(mode === 'deep' ? { extensionDir: deepCaptureBuild() } : {}),
    });
    context = extension.context;
    close = () => extension!.close();
  } else {
    const plain = await launchPlain({ devtools: mode === 'chrome-devtools' });
    context = plain.context;
    if (mode === 'floor') await context.addInitScript(FLOOR_TAP);
    close = () => plain.close();
  }
  try {
    const { pages } = splitDevtoolsPages(context);
    const page = pages[0] ?? (await context.newPage());
    for (const other of pages.slice(1)) await other.close();
    const session = await browserSession(context);
    const pageSession = await context.newCDPSession(page);
    // threadTicks: TaskDuration becomes the CPU time of the page's main thread, which other
    // processes competing for the cores cannot inflate.
    await pageSession.send('Performance.enable', { timeDomain: 'threadTicks' });
    return { mode, context, page, pageSession, session, cpu: new CpuMeter(session), extension, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Modes whose tab has our SSE panel open in its DevTools. */
const hasSsePanel = (mode: Mode): boolean => mode === 'panel' || mode === 'deep';

/**
 * The Chrome build with the `debugger` permission that deep capture needs: SSE_DEEP_EXTENSION_DIR,
 * else dist/chrome-deep when it has the permission, else one built now into a temporary directory.
 */
function deepCaptureBuild(): string {
  const hasDebugger = (dir: string): boolean =>
    existsSync(join(dir, 'manifest.json')) &&
    ((JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { permissions?: string[] }).permissions ?? []).includes(
      'debugger',
    );
  const given = process.env.SSE_DEEP_EXTENSION_DIR;
  if (given !== undefined && given !== '') return given;
  const built = resolve(import.meta.dirname, '../../dist/chrome-deep');
  if (hasDebugger(built)) return built;
  const dir = mkdtempSync(join(tmpdir(), 'sse-devtools-bench-deep-'));
  spawnSync('npx', ['vite', 'build', '--outDir', dir, '--logLevel', 'warn'], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: { ...process.env, SSE_DEEP_CAPTURE: '1' },
    stdio: 'inherit',
  });
  if (!hasDebugger(dir)) throw new Error('the deep-capture build has no debugger permission');
  return dir;
}

/** Deep capture on for the tab, through the panel's toggle (explanation, then confirm), as a user turns it on. */
async function turnDeepCaptureOn(panel: Frame): Promise<void> {
  const toggle = panel.locator('.deep-capture-toggle');
  await toggle.waitFor({ timeout: 15_000 });
  if ((await toggle.getAttribute('data-state')) === 'on') return;
  await toggle.click(); // not check(): a controlled box may re-render after Playwright looks
  await panel.locator('.deep-capture-confirm').click();
  const deadline = Date.now() + 15_000;
  // The box ticks at once; `data-state` says when the background has attached.
  while ((await toggle.getAttribute('data-state')) !== 'on') {
    if (Date.now() > deadline) throw new Error('deep capture did not turn on');
    await sleep(100);
  }
}

/** After the tab loaded a bench page: make sure the DevTools of this mode are open on the right panel. */
async function showDevtools(contender: Contender): Promise<void> {
  if (hasSsePanel(contender.mode)) {
    contender.ssePanel = (await openSsePanel(contender.extension!, contender.page)).panel;
    if (contender.mode === 'deep') await turnDeepCaptureOn(contender.ssePanel);
  } else if (contender.mode === 'chrome-devtools') {
    contender.chromeDevtools = await showChromeDevtoolsPanel(contender.context, 'network');
  }
}

async function quiet(contender: Contender): Promise<boolean> {
  return (await contender.cpu.quiet()).quiet;
}

/**
 * CPU seconds the tab's main thread spent in tasks (every world: the page's scripts, our content
 * scripts, Blink's own work) since its document started: a new document starts a new count.
 */
async function mainThreadSeconds(contender: Contender): Promise<number> {
  const { metrics } = (await contender.pageSession.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  const task = metrics.find((metric) => metric.name === 'TaskDuration');
  if (task === undefined) throw new Error('Performance.getMetrics reported no TaskDuration');
  return task.value;
}

// ---------------------------------------------------------------------------------------------
// What the extension captured, as the panel reports it

async function panelEventCount(frame: Frame | Page): Promise<number> {
  const text =
    (await frame
      .locator('.summary')
      .textContent()
      .catch(() => '')) ?? '';
  const match = /([\d,.\s]+) events/.exec(text);
  return match === null ? 0 : Number(match[1]!.replace(/[^\d]/g, ''));
}

/** Polls the panel's count until it reaches `expected` or stops changing for 5 s. */
async function waitForCount(read: () => Promise<number>, expected: number, timeoutMs = 180_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let unchangedSince = Date.now();
  for (;;) {
    const count = await read();
    if (count >= expected) return count;
    if (count !== last) {
      last = count;
      unchangedSince = Date.now();
    } else if (Date.now() - unchangedSince > 5000 || Date.now() > deadline) {
      return count;
    }
    await sleep(300);
  }
}

/**
 * The events the extension holds for the bench tab, read by opening the panel page in a second tab
 * (`panel.html?tabId=N`): the panel pulls the log from wherever the extension keeps it.
 */
async function capturedViaPanelTab(extension: ExtensionBrowser, expected: number): Promise<number> {
  const panelUrl = `chrome-extension://${extension.extensionId}/src/panel/panel.html`;
  const tab = await extension.context.newPage();
  try {
    await tab.goto(panelUrl);
    const tabIds = await tab.evaluate(async () => {
      const self = await chrome.tabs.getCurrent();
      return (await chrome.tabs.query({})).filter((t) => t.id !== self?.id).map((t) => t.id!);
    });
    if (tabIds.length !== 1) throw new Error(`expected one bench tab, found ${tabIds.length}`);
    await tab.goto(`${panelUrl}?tabId=${tabIds[0]}`);
    return await waitForCount(() => panelEventCount(tab), expected);
  } finally {
    await tab.close();
  }
}

async function captured(contender: Contender, expected: number): Promise<number | undefined> {
  if (contender.mode === 'extension') return capturedViaPanelTab(contender.extension!, expected);
  if (hasSsePanel(contender.mode)) return waitForCount(() => panelEventCount(contender.ssePanel!), expected);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface RoundResult {
  ms: number;
  bytes: number;
  chunks: number;
  events: number;
}

interface Cell {
  /** Page time: what the page measures from asking to its last byte or event. */
  ms: number[];
  /** CPU of the page's main thread from the round's start until the browser was quiet again. */
  mainMs: number[];
  /** CPU of every process of the browser over the same span. */
  cpuMs: number[];
  /** Rounds after which the browser did not get quiet within the wait (its leftovers may have overlapped the next round). */
  notQuiet: number;
  captured?: { got: number; expected: number };
}

interface Memory {
  storedEvents: number;
  /** What the log has to keep anyway: the stream's bytes for fetch/XHR (raw text), the data values for EventSource. */
  dataBytes: number;
  dataMeaning: string;
  /** Page heap growth with the extension minus without. */
  pageGrowth: number;
  workerGrowth: number;
  /** Set when the worker's growth could not be measured: it was restarted in between, or not running. */
  workerNote?: string;
}

interface KindResult {
  scenario: Scenario;
  kind: Kind;
  events: number;
  cells: Partial<Record<Mode, Cell>>;
  memory?: Memory;
  /** Chrome DevTools listed the bench's requests: it was recording. */
  chromeDevtoolsRecorded?: boolean;
}

function rotate<T>(list: T[], by: number): T[] {
  const shift = by % list.length;
  return [...list.slice(shift), ...list.slice(0, shift)];
}

function checkRound(scenario: Scenario, kind: Kind, mode: Mode, result: RoundResult, events: number): void {
  if (scenario === 'burst' && kind !== 'es') {
    const expectedBytes = burstBody(events).length;
    if (result.bytes !== expectedBytes)
      throw new Error(`${scenario} ${kind} ${mode}: the page read ${result.bytes} of ${expectedBytes} bytes`);
  } else if (result.events !== events) {
    throw new Error(`${scenario} ${kind} ${mode}: the page saw ${result.events} of ${events} events`);
  }
}

/**
 * Runs the warm-up and ROUNDS rounds, alternating between the browsers (the order rotates each
 * round). `prepare` (not measured) readies a browser for its round; the round is measured from just
 * before `round` until the browser is quiet again, so work the round left behind (a deferred flush,
 * a worker or panel catching up) is charged to it and not to the next browser's round.
 */
async function runRounds(
  scenario: Scenario,
  kind: Kind,
  contenders: Contender[],
  events: number,
  round: (contender: Contender) => Promise<RoundResult>,
  prepare?: (contender: Contender) => Promise<void>,
): Promise<Partial<Record<Mode, Cell>>> {
  const cells: Partial<Record<Mode, Cell>> = {};
  for (const contender of contenders) cells[contender.mode] = { ms: [], mainMs: [], cpuMs: [], notQuiet: 0 };
  for (let index = 0; index <= ROUNDS; index++) {
    const line: string[] = [];
    for (const contender of rotate(contenders, index)) {
      if (prepare) {
        await prepare(contender);
        await quiet(contender);
      }
      const before = await contender.cpu.sample();
      const mainBefore = await mainThreadSeconds(contender);
      const result = await withTimeout(`${scenario} ${kind} ${contender.mode}`, round(contender), 300_000);
      const after = await contender.cpu.quiet();
      const mainMs = ((await mainThreadSeconds(contender)) - mainBefore) * 1000;
      checkRound(scenario, kind, contender.mode, result, events);
      const cell = cells[contender.mode]!;
      if (!after.quiet) cell.notQuiet++;
      line.push(`${contender.mode} ${result.ms.toFixed(0)} ms (main thread ${mainMs.toFixed(0)} ms)`);
      if (index === 0) continue;
      cell.ms.push(result.ms);
      cell.mainMs.push(mainMs);
      cell.cpuMs.push(CpuMeter.spent(before, after.sample) * 1000);
    }
    console.log(`  ${scenario} ${kind} ${index === 0 ? 'warm-up' : `round ${index}`}: ${line.join(', ')}`);
  }
  return cells;
}

interface MemoryProbe {
  page: HeapUsage;
  /** The extension's worker; undefined when it was not running (Chrome stops idle workers). */
  worker?: { targetId: string; heap: HeapUsage };
}

async function memoryProbe(contender: Contender): Promise<MemoryProbe> {
  const page = await pageHeap(contender.context, contender.page);
  if (contender.extension === undefined) return { page };
  const worker = await workerHeap(contender.session, `chrome-extension://${contender.extension.extensionId}/`).catch(
    (error: unknown) => {
      console.log(`  (extension worker heap not read: ${String(error)})`);
      return undefined;
    },
  );
  return { page, worker };
}

async function burstKind(server: StartedServer, contenders: Contender[], kind: Kind): Promise<KindResult> {
  const events = eventsPerRound('burst', kind);
  const url = `${server.url}/test/bench-burst.html?kind=${kind}&n=${events}`;
  for (const contender of contenders) {
    await contender.page.goto(url);
    await showDevtools(contender);
  }
  for (const contender of contenders) await quiet(contender);
  // Memory before the first round, in the two browsers that differ only by the extension.
  const plain = contenders.find((c) => c.mode === 'plain')!;
  const withExtension = contenders.find((c) => c.mode === 'extension');
  const memoryBefore = withExtension ? [await memoryProbe(plain), await memoryProbe(withExtension)] : undefined;

  const cells = await runRounds('burst', kind, contenders, events, async (contender) =>
    contender.page.evaluate(() => (window as unknown as { burstRound(): Promise<RoundResult> }).burstRound()),
  );
  const storedEvents = (ROUNDS + 1) * events;

  let memory: Memory | undefined;
  if (withExtension && memoryBefore) {
    const [plainAfter, extensionAfter] = [await memoryProbe(plain), await memoryProbe(withExtension)];
    const pageGrowth =
      extensionAfter.page.total - memoryBefore[1]!.page.total - (plainAfter.page.total - memoryBefore[0]!.page.total);
    const workerBefore = memoryBefore[1]!.worker;
    const workerAfter = extensionAfter.worker;
    const workerNote =
      workerBefore === undefined || workerAfter === undefined
        ? 'worker not running'
        : workerAfter.targetId !== workerBefore.targetId
          ? 'worker restarted'
          : undefined;
    memory = {
      storedEvents,
      dataBytes: (kind === 'es' ? burstDataBytes(events) : burstBody(events).length) * (ROUNDS + 1),
      dataMeaning: kind === 'es' ? 'data values' : 'stream bytes',
      pageGrowth,
      workerGrowth: workerNote === undefined ? workerAfter!.heap.total - workerBefore!.heap.total : 0,
      workerNote,
    };
  }

  for (const contender of contenders) {
    const got = await captured(contender, storedEvents);
    if (got !== undefined) cells[contender.mode]!.captured = { got, expected: storedEvents };
  }
  const devtools = contenders.find((c) => c.mode === 'chrome-devtools');
  const chromeDevtoolsRecorded = devtools ? await networkPanelLists(devtools.chromeDevtools!, 'burst?count=') : undefined;
  return { scenario: 'burst', kind, events, cells, memory, chromeDevtoolsRecorded };
}

async function pacedKind(server: StartedServer, contenders: Contender[], kind: Kind): Promise<KindResult> {
  const events = eventsPerRound('paced', kind);
  // start=manual: the page loads, the browser gets quiet, then the bench starts the read; so the
  // main thread's count covers the read only (it restarts with every document).
  const url = `${server.url}/test/bench.html?n=${events}&mode=${kind}&start=manual`;
  // DevTools on the right panel before the first round; it stays there across navigations.
  for (const contender of contenders) {
    await contender.page.goto(`${server.url}/test/blank.html`);
    await showDevtools(contender);
  }
  for (const contender of contenders) await quiet(contender);
  const cells = await runRounds(
    'paced',
    kind,
    contenders,
    events,
    async (contender) => {
      const result = await contender.page.evaluate(() =>
        (window as unknown as { startBench(): Promise<{ ms: number; events: number }> }).startBench(),
      );
      return { ms: result.ms, events: result.events, bytes: -1, chunks: -1 };
    },
    async (contender) => {
      await contender.page.goto(url);
    },
  );
  // The log holds the last page's events (a new document starts a new log).
  for (const contender of contenders) {
    if (hasSsePanel(contender.mode)) await showDevtools(contender);
    const got = await captured(contender, events);
    if (got !== undefined) cells[contender.mode]!.captured = { got, expected: events };
  }
  const devtools = contenders.find((c) => c.mode === 'chrome-devtools');
  const chromeDevtoolsRecorded = devtools ? await networkPanelLists(devtools.chromeDevtools!, 'stream?count=') : undefined;
  return { scenario: 'paced', kind, events, cells, chromeDevtoolsRecorded };
}

// ---------------------------------------------------------------------------------------------
// Parser speed (Node): our SseByteParser against eventsource-parser on the same bytes

function streamBytes(events: number): Uint8Array[] {
  let text = ': bench\n\n';
  for (let i = 1; i <= events; i++) text += `id: ${i}\nevent: tick\ndata: {"n":${i},"text":"token ${i}"}\n\n`;
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += 65536) chunks.push(bytes.subarray(offset, offset + 65536));
  return chunks;
}

function parserSpeed(): string {
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
  return (
    `Parser, ${EVENTS} events in ${chunks.length} chunks of 64 KiB (Node): ours ${median(oursTimes).toFixed(1)} ms, ` +
    `eventsource-parser ${median(referenceTimes).toFixed(1)} ms → ×${(median(oursTimes) / median(referenceTimes)).toFixed(2)}`
  );
}

// ---------------------------------------------------------------------------------------------
// Report

const GOAL = { extension: 1.05, panel: 1.5 } as const;

function ratioText(ratio: number, goal?: number): string {
  if (!Number.isFinite(ratio)) return '–';
  const mark = goal === undefined ? '' : ratio <= goal ? ' ✓' : ' ✗';
  return `×${ratio.toFixed(2)}${mark}`;
}

function formatBytes(bytes: number): string {
  return Math.abs(bytes) >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${(bytes / 1024).toFixed(0)} KB`;
}

function timeTable(results: KindResult[], modes: Mode[], pick: (cell: Cell) => number[], unit: string, goals: boolean): string[] {
  const columns = modes.filter((mode) => mode !== 'plain');
  const header = ['scenario', 'kind', 'events per round', MODE_LABEL.plain, ...columns.map((mode) => MODE_LABEL[mode])];
  const panelVsChrome = columns.includes('panel') && columns.includes('chrome-devtools');
  if (panelVsChrome) header.push('SSE panel ÷ Chrome DevTools');
  const extensionVsFloor = columns.includes('extension') && columns.includes('floor');
  if (extensionVsFloor) header.push('DevTools closed ÷ floor');
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const result of results) {
    const plain = median(pick(result.cells.plain!));
    const row = [result.scenario, KIND_LABEL[result.kind], String(result.events), `${plain.toFixed(0)} ${unit}`];
    for (const mode of columns) {
      const value = median(pick(result.cells[mode]!));
      const goal = !goals ? undefined : mode === 'extension' ? GOAL.extension : mode === 'panel' ? GOAL.panel : undefined;
      row.push(`${value.toFixed(0)} ${unit} ${ratioText(value / plain, goal)}`);
    }
    if (panelVsChrome) {
      const ratio = median(pick(result.cells.panel!)) / median(pick(result.cells['chrome-devtools']!));
      row.push(`${ratioText(ratio)}${goals ? (ratio < 1 ? ' ✓' : ' ✗') : ''}`);
    }
    if (extensionVsFloor) row.push(ratioText(median(pick(result.cells.extension!)) / median(pick(result.cells.floor!))));
    lines.push(`| ${row.join(' | ')} |`);
  }
  return lines;
}

function microsecondsTable(results: KindResult[], modes: Mode[]): string[] {
  const columns = modes.filter((mode) => mode !== 'plain');
  const lines = [
    `| scenario | from | events per round | ${columns.map((mode) => MODE_LABEL[mode]).join(' | ')} |`,
    `| --- | --- | --- |${columns.map(() => ' --- ').join('|')}|`,
  ];
  const measures: [string, (cell: Cell) => number[]][] = [
    ['main-thread CPU', (cell) => cell.mainMs],
    ['page time', (cell) => cell.ms],
  ];
  for (const result of results.filter((r) => r.kind === 'es')) {
    for (const [from, pick] of measures) {
      const plain = median(pick(result.cells.plain!));
      const cells = columns.map(
        (mode) => `${(((median(pick(result.cells[mode]!)) - plain) * 1000) / result.events).toFixed(2)} µs`,
      );
      lines.push(`| ${result.scenario} | ${from} | ${result.events} | ${cells.join(' | ')} |`);
    }
  }
  return lines;
}

function memoryTable(results: KindResult[]): string[] {
  const lines = [
    '| kind | stored events | data kept | page heap growth (with − without) | worker heap growth | total per event | beyond data per event (goal ≤ 200 B) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const result of results) {
    const memory = result.memory;
    if (memory === undefined) continue;
    const total = memory.pageGrowth + memory.workerGrowth;
    const beyond = (total - memory.dataBytes) / memory.storedEvents;
    lines.push(
      `| ${KIND_LABEL[result.kind]} | ${memory.storedEvents} | ${formatBytes(memory.dataBytes)} (${memory.dataMeaning}) | ` +
        `${formatBytes(memory.pageGrowth)} | ${memory.workerNote === undefined ? formatBytes(memory.workerGrowth) : `not measured (${memory.workerNote})`} | ` +
        `${(total / memory.storedEvents).toFixed(0)} B | ${beyond.toFixed(0)} B ${beyond <= 200 ? '✓' : '✗'} |`,
    );
  }
  return lines;
}

function captureTable(results: KindResult[], modes: Mode[]): string[] {
  const columns = modes.filter((mode) => mode === 'extension' || hasSsePanel(mode));
  const lines = [
    `| scenario | kind | ${columns.map((mode) => MODE_LABEL[mode]).join(' | ')} | Chrome DevTools recorded |`,
    `| --- | --- |${columns.map(() => ' --- ').join('|')}| --- |`,
  ];
  for (const result of results) {
    const cells = columns.map((mode) => {
      const capture = result.cells[mode]!.captured;
      return capture === undefined
        ? '–'
        : `${capture.got} of ${capture.expected} ${capture.got === capture.expected ? '✓' : '✗'}`;
    });
    const recorded = result.chromeDevtoolsRecorded === undefined ? '–' : result.chromeDevtoolsRecorded ? 'yes' : 'no ✗';
    lines.push(`| ${result.scenario} | ${KIND_LABEL[result.kind]} | ${cells.join(' | ')} | ${recorded} |`);
  }
  return lines;
}

function report(
  results: KindResult[],
  context: { chromium: string; started: Date; loadStart: number[]; parser: string },
): string {
  const notQuiet = results.flatMap((result) =>
    Object.entries(result.cells)
      .filter(([, cell]) => cell.notQuiet > 0)
      .map(([mode, cell]) => `${result.scenario} ${result.kind} ${mode}: ${cell.notQuiet}`),
  );
  const burstBytes = burstBody(EVENTS).length;
  return [
    `## Bench (${context.started.toISOString().slice(0, 10)}, Chromium ${context.chromium}, ${cpus().length} cores)`,
    '',
    `Extension: \`${EXTENSION_DIR}\`. ${ROUNDS} rounds per browser after one warm-up, alternating between the browsers, ` +
      'all running at once; medians; ratios are ÷ plain Chromium in the same run. ' +
      `Load average at start ${context.loadStart.map((l) => l.toFixed(2)).join(' ')}, at end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} ` +
      '(a shared machine makes single runs noisy: compare ratios, re-run before concluding).',
    '',
    `- **burst**: ${EVENTS} events (${formatBytes(burstBytes)}) per fetch/XHR round, ${ES_EVENTS} per EventSource round, written in 16 KiB ` +
      'pieces as fast as the socket takes them; the page does no work per event and repeats the read in the same document.',
    '- **paced**: /test/stream, one write per event, a fresh page per round; the page decodes and splits events.',
    `- Goals (issue 8): DevTools closed ≤ ×${GOAL.extension}; SSE panel open ≤ ×${GOAL.panel} and below Chrome DevTools.`,
    '',
    "### Page's main thread: CPU per round",
    '',
    "CPU time of the tab's main thread (CDP `Performance.getMetrics` TaskDuration in thread ticks: the page's " +
      'scripts, our content scripts, Blink) from the start of the read until the browser is quiet again, so work ' +
      "deferred past the page's last event (a batch flushed 50 ms later) is counted.",
    '',
    ...timeTable(results, MODE_LIST, (cell) => cell.mainMs, 'ms', true),
    '',
    '### Page time (what the page measures, from asking to its last byte or event)',
    '',
    'What a page waits for. Work a tap defers until after the last event does not show here when the page ' +
      'then idles (the bench waits for quiet between rounds); it does in the table above.',
    '',
    ...timeTable(results, MODE_LIST, (cell) => cell.ms, 'ms', true),
    '',
    '### CPU of the whole browser per round (every process: page, worker, DevTools, panel; until quiet)',
    '',
    ...timeTable(results, MODE_LIST, (cell) => cell.cpuMs, 'ms', false),
    '',
    "### µs per EventSource event on the page's thread ((median with − median plain) ÷ events)",
    '',
    ...microsecondsTable(results, MODE_LIST),
    '',
    ...(results.some((result) => result.memory)
      ? [
          '### Memory per stored event (burst, DevTools closed, after forced GC)',
          '',
          "Growth over all rounds of the page's JS memory (V8 heap + Blink heap + ArrayBuffer/external-string " +
            "backing stores; content scripts share the page's isolate) with the extension minus without, plus " +
            'the growth of the extension service worker\'s; "data kept" is what any log must keep: the stream\'s ' +
            "bytes for fetch/XHR (kept as raw text), the data values for EventSource. Not included: the relay's " +
            'port buffers, the browser process, any panel.',
          '',
          ...memoryTable(results),
          '',
        ]
      : []),
    '### Capture check (events the SSE panel shows for the bench tab)',
    '',
    ...captureTable(results, MODE_LIST),
    '',
    ...(notQuiet.length > 0 ? [`Rounds after which a browser stayed busy for 20 s: ${notQuiet.join('; ')}.`, ''] : []),
    context.parser,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

function buildUnlessGiven(): void {
  if (process.env.SSE_EXTENSION_DIR) {
    console.log(`Using the extension in ${process.env.SSE_EXTENSION_DIR} (SSE_EXTENSION_DIR): no build.`);
    return;
  }
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

async function main(): Promise<void> {
  buildUnlessGiven();
  const started = new Date();
  const loadStart = loadavg();
  console.log(
    `SSE DevTools bench: scenarios ${SCENARIO_LIST.join(',')}, kinds ${KIND_LIST.join(',')}, browsers ${MODE_LIST.join(',')}; ` +
      `${EVENTS} fetch/XHR events, ${ES_EVENTS} EventSource events, ${ROUNDS} rounds`,
  );
  const parser = parserSpeed();
  console.log(parser);

  const server = await startServer();
  const contenders: Contender[] = [];
  const results: KindResult[] = [];
  let chromiumVersion = '?';
  try {
    for (const mode of MODE_LIST) contenders.push(await launchContender(mode));
    chromiumVersion = contenders[0]!.context.browser()?.version() ?? '?';
    for (const scenario of SCENARIO_LIST) {
      for (const kind of KIND_LIST) {
        const begun = Date.now();
        const result =
          scenario === 'burst' ? await burstKind(server, contenders, kind) : await pacedKind(server, contenders, kind);
        results.push(result);
        const plain = median(result.cells.plain!.ms);
        const plainMain = median(result.cells.plain!.mainMs);
        const summary = MODE_LIST.filter((mode) => mode !== 'plain')
          .map(
            (mode) =>
              `${mode} ×${(median(result.cells[mode]!.ms) / plain).toFixed(2)} ` +
              `(main thread ×${(median(result.cells[mode]!.mainMs) / plainMain).toFixed(2)})`,
          )
          .join(', ');
        console.log(
          `${scenario} ${kind}: plain ${plain.toFixed(0)} ms (main thread ${plainMain.toFixed(0)} ms); ${summary} ` +
            `(${((Date.now() - begun) / 1000).toFixed(0)} s)`,
        );
      }
    }
  } finally {
    for (const contender of contenders) await contender.close().catch((error: unknown) => console.error(error));
    await server.close();
  }

  const markdown =
    report(results, { chromium: chromiumVersion, started, loadStart, parser }) + aiAssemblyReport() + firefoxDeepCaptureReport();
  console.log(`\n${markdown}`);
  const file = resolve(import.meta.dirname, '../../test-results/bench.md');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, markdown);
  console.log(`Written to ${file} (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s in all).`);

  const missed = results.flatMap((result) =>
    Object.values(result.cells).filter((cell) => cell.captured !== undefined && cell.captured.got !== cell.captured.expected),
  );
  if (missed.length > 0) {
    console.error('The extension did not capture every event (see "Capture check"): its timings do not count.');
    process.exitCode = 1;
  }
}

/** The Conversation view's cost: test/bench/ai-assembly.ts (a 100k-delta reply per AI protocol), as a report section. */
function aiAssemblyReport(): string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'ai-assembly.ts')], {
    encoding: 'utf8',
  });
  const output = run.status === 0 ? run.stdout.trim() : `ai-assembly.ts failed (${run.status}): ${run.stderr.trim()}`;
  return `\n\n## AI assembly (Conversation view), Node\n\nA 100k-delta reply per protocol through LogStore and AiLogFeed in batches of 100 deltas:\n\n\`\`\`\n${output}\n\`\`\`\n`;
}

/**
 * Deep capture's cost in Firefox, its own section: Firefox's filterResponseData cannot be measured
 * from Chromium, so the measurement of test/e2e/deep-capture-firefox.e2e.test.ts runs here (a 6 MB
 * burst read by fetch, deep mode on vs off, beside a reference add-on whose filter only writes each
 * chunk on: Firefox's own cost) with BENCH_ROUNDS rounds. Skipped without Firefox (FIREFOX_PATH,
 * default /usr/bin/firefox-esr) or with BENCH_FIREFOX=0; the add-on is SSE_FIREFOX_DIR or dist/firefox.
 */
function firefoxDeepCaptureReport(): string {
  const heading = '\n\n## Deep capture in Firefox\n\n';
  if (process.env.BENCH_FIREFOX === '0') return `${heading}Skipped (BENCH_FIREFOX=0).\n`;
  if (!existsSync(process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr')) return `${heading}Skipped: no Firefox here.\n`;
  const root = resolve(import.meta.dirname, '../..');
  const file = resolve(root, 'test-results/deep-capture-firefox-cost.md');
  rmSync(file, { force: true }); // a report of an earlier run must not pass for this one's
  console.log('Deep capture in Firefox: measuring (test/e2e/deep-capture-firefox.e2e.test.ts)...');
  const run = spawnSync(
    'npx',
    ['vitest', 'run', '--config', 'vitest.e2e.config.ts', 'test/e2e/deep-capture-firefox.e2e.test.ts', '-t', 'measures'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, DEEP_COST_ROUNDS: String(ROUNDS) } },
  );
  if (run.status !== 0 || !existsSync(file)) {
    return `${heading}The measurement failed (${run.status}):\n\n\`\`\`\n${(run.stdout + run.stderr).trim().slice(-3000)}\n\`\`\`\n`;
  }
  return heading + readFileSync(file, 'utf8').replace(/^# .*\n+/, '');
}

await main();
