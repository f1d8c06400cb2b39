/**
 * Transparency: a page cannot tell that SSE DevTools is installed. The same check page
 * (test/server/pages/test/transparency.{html,js}) runs in plain Chromium and in Chromium with the
 * built extension (dist/chrome: run `npm run build` first); every check must give the same result,
 * the page must see the same errors and console errors, and the server must see the same
 * connections close and the same backpressure. The tap must still have captured the page's streams
 * (a tap that switched itself off would pass every check otherwise).
 *
 * Hostile pages (?hostile=<variant>) replace built-ins before anything else runs, and log and throw
 * at a direct caller whose frame is an extension's: they must keep working the same, nothing of
 * ours may reach them, and capture must still work.
 *
 * Differences that remain are listed below with their reason (KNOWN_*); the last test prints them
 * and says which ones no longer differ.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { capturedByTab, CHROME_PATH, launchWithExtension, type ExtensionBrowser } from './browser';
import { startServer, type StartedServer } from '../server/sse-server';
import type { StoredRecord } from '../../src/protocol';

interface Outcome {
  groups: Record<string, Record<string, unknown>>;
  errors: unknown[];
  messages: unknown[];
  hostileLog: string[];
  consoleErrors: string[];
}

/**
 * Checks that still differ with the extension, and why. They run and are reported (see the last
 * test, which also says when one no longer differs), but do not fail the suite.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'fetch.microtaskOrder':
    "fetch() and read()/text() of a tapped body hand the page a promise chained on the browser's (we see the result first): the page's reactions run one microtask later. Returning the browser's own promise would mean a reaction of ours on it, which marks it handled and hides the page's unhandled rejections.",
  'stacks.asyncErrors':
    'A wrapped built-in that rejects at once (text() of a used body, read() on a non-reader) made the error while our trap was on the stack, and only a reaction on every such promise (non-SSE too) could clean it. Errors thrown, and rejections of fetch(), are cleaned.',
  'stacks.pageCodeCalledBack':
    "Page code that a wrapped built-in calls synchronously (a URL object's toString, dictionary getters, readystatechange from xhr.open()) runs while our trap is on the stack: `new Error().stack` there shows our frames. Inherent to wrapping.",
};

/**
 * Replaced built-ins the extension still calls on hostile pages (label <- caller, as logged by the
 * page): the caller is not ours to fix, or the call cannot be avoided.
 */
const KNOWN_HOSTILE_CALLS: [RegExp, string][] = [
  [
    /^Object\.prototype\.(mode|priority|signal) getter <- (\(anonymous\)|prepareRequest) /,
    "The browser reads the page's own fetch() init dictionary (once, as without us) while our fetch trap is on the stack, building the Request that fetch() would build (as in stacks.pageCodeCalledBack): not a call of ours.",
  ],
  [
    /^Promise\.prototype\.constructor <- /,
    'Promise.prototype.then (on the fetch() and tapped read() promises we chain) looks up the species constructor: every way to observe a promise does.',
  ],
  [
    /^Array\.prototype\[Symbol\.iterator\] <- (describeRequest|contentTypeOf|acceptsEventStream|parseHeaders|onReadyStateChange) /,
    'tap-fetch/request-info/tap-xhr destructure and for-of arrays. Reported.',
  ],
  [
    /^Array\.prototype\[\d\] setter <- \(anonymous\) /,
    'request-info headerList appends with list[list.length] = ... (reaches Array.prototype setters). Reported.',
  ],
  [
    /^String\.prototype\.toUpperCase <- (\(anonymous\)|describeRequest) /,
    'tap-xhr open() / tap-fetch describeRequest call .toUpperCase(). Reported.',
  ],
  [
    /^(String\.prototype\.(split|indexOf|slice|trim)|Array\.prototype\.push) <- (parseHeaders|\(anonymous\)) /,
    'tap-xhr parseHeaders and setRequestHeader use page-replaceable String/Array methods. Reported.',
  ],
];

/** Hostile variants in which fetch or XHR capture is known not to work (the other checks still apply). */
const KNOWN_CAPTURE_GAPS: Record<string, { kinds: ('fetch' | 'xhr')[]; reason: string }> = {};

const HOSTILE_VARIANTS = [
  'postMessage',
  'push',
  'stringify',
  'defineProperty',
  'toString',
  'weakmap',
  'then',
  'dispatchEvent',
  'fetch',
  'iframeFetch',
  'dictionaries',
  'prototypes',
  'all',
] as const;

let server: StartedServer;
let plain: Browser;
let extension: ExtensionBrowser;
const outcome: { plain?: Outcome; extension?: Outcome } = {};
const hostile: Record<string, { plain: Outcome; extension: Outcome; records: StoredRecord[] }> = {};

function launchPlain(): Promise<Browser> {
  // The flags launchWithExtension uses, without the extension.
  const args = [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-gpu',
    '--lang=en-US',
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: CHROME_PATH, headless: true, args });
}

async function runPage(page: Page, path: string): Promise<Outcome> {
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text().split(server.url).join('<origin>'));
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  await page.goto(`${server.url}${path}`);
  const result = (await page.evaluate(
    () => (window as unknown as { __transparency: Promise<unknown> }).__transparency,
  )) as Outcome;
  // Each kind once: how many times a resumable stream's connection was cut may vary.
  return { ...result, consoleErrors: [...new Set(consoleErrors)].sort() };
}

async function newPlainPage(): Promise<Page> {
  return (await plain.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
}

/** Runs `path` in both browsers at once. */
async function runBoth(path: string): Promise<{ plain: Outcome; extension: Outcome; extensionPage: Page; plainPage: Page }> {
  const [plainPage, extensionPage] = await Promise.all([newPlainPage(), extension.context.newPage()]);
  const [a, b] = await Promise.all([runPage(plainPage, path), runPage(extensionPage, path)]);
  return { plain: a, extension: b, plainPage, extensionPage };
}

let mainPages: { plainPage: Page; extensionPage: Page };

beforeAll(async () => {
  server = await startServer();
  [plain, extension] = await Promise.all([launchPlain(), launchWithExtension()]);
  const run = await runBoth('/test/transparency.html');
  outcome.plain = run.plain;
  outcome.extension = run.extension;
  mainPages = run;
}, 90_000);

afterAll(async () => {
  await Promise.all([plain?.close(), extension?.close()]);
  await server?.close();
});

/** Compares one group check by check (soft: every differing check is listed). */
function expectSameGroup(group: string): void {
  const a = outcome.plain!.groups[group]!;
  const b = outcome.extension!.groups[group]!;
  expect(Object.keys(b)).toEqual(Object.keys(a));
  for (const name of Object.keys(a)) {
    if (`${group}.${name}` in KNOWN_DIFFERENCES) continue;
    expect.soft(b[name], `${group}.${name}`).toEqual(a[name]);
  }
}

describe('transparency: the page sees the same with and without the extension', () => {
  for (const group of ['global', 'eventsource', 'fetch', 'xhr', 'stacks']) {
    it(`${group} checks`, () => expectSameGroup(group));
  }

  it('window errors, unhandled rejections, message events and console errors', () => {
    expect(outcome.extension!.errors).toEqual(outcome.plain!.errors);
    expect(outcome.extension!.messages).toEqual([]);
    expect(outcome.plain!.messages).toEqual([]);
    expect(outcome.extension!.consoleErrors).toEqual(outcome.plain!.consoleErrors);
  });

  it('the tap captured the streams of the check page', async () => {
    const records = await recordsOfPage('/test/transparency.html');
    expect(issues(records)).toEqual([]);
    const urls = openedUrls(records);
    for (const expected of [
      '/test/stream?count=3&prefix=life&delay=20&type=tick eventsource',
      '/sse/resumable?total=4&dropAfter=2&interval=10&retry=50 eventsource',
      '/test/stream?count=3&prefix=reader fetch',
      '/test/stream?count=3&prefix=pipe fetch',
      '/test/stream?count=3&prefix=iter fetch',
      '/test/stream?count=3&prefix=byob fetch',
      '/test/stream?count=3&prefix=xhr&delay=20 xhr',
    ]) {
      expect(urls).toContain(expected);
    }
    // What the page read through each path reached the log.
    for (const prefix of ['reader', 'clone', 'text', 'tee', 'pipe', 'iter', 'byob', 'xhr']) {
      expect(textOf(records, `prefix=${prefix}`), prefix).toContain(`data: ${prefix} 3\n\n`);
    }
    expect(itemsOf(records, 'prefix=life')).toEqual(['tick life 1', 'tick life 2', 'tick life 3']);
  });
});

// Socket timing depends on the browser's network stack under load (once in about ten full runs a
// close was not seen within 3 s, without or with the extension alike): these checks get one retry.
describe('the server sees the same connections with and without the extension', { retry: 1 }, () => {
  for (const how of ['cancel', 'abort'] as const) {
    it(`${how === 'cancel' ? 'reader.cancel()' : 'AbortController.abort()'} closes the connection within 1 s`, async () => {
      for (const [label, page] of [
        ['plain', mainPages.plainPage],
        ['extension', mainPages.extensionPage],
      ] as const) {
        const before = server.requests.length;
        const at = await page.evaluate(
          (h) => (window as unknown as { __cancelProbe(h: string): Promise<number> }).__cancelProbe(h),
          how,
        );
        const entry = await until(
          () => server.requests.slice(before).find((r) => r.url.includes(`prefix=server-${how}`) && r.closedAt !== undefined),
          3000,
          `${label}: the server saw no close of the ${how} probe`,
        );
        expect(entry.completed, label).toBe(false);
        expect(entry.closedAt! - at, label).toBeLessThan(1000);
      }
    });
  }

  it('EventSource.close() closes the connection within 1 s', async () => {
    for (const page of [mainPages.plainPage, mainPages.extensionPage]) {
      const before = server.requests.length;
      const at = await page.evaluate(() => (window as unknown as { __esCloseProbe(): Promise<number> }).__esCloseProbe());
      const entry = await until(() =>
        server.requests.slice(before).find((r) => r.url.includes('prefix=server-esclose') && r.closedAt !== undefined),
      );
      expect(entry.closedAt! - at).toBeLessThan(1000);
    }
  });

  it('a body the page does not read is not read by us either (backpressure)', async () => {
    const written: Record<string, number> = {};
    await Promise.all(
      (
        [
          ['plain', mainPages.plainPage],
          ['extension', mainPages.extensionPage],
        ] as const
      ).map(async ([label, page]) => {
        const before = server.requests.length;
        await page.evaluate(() => (window as unknown as { __holdFlood(): Promise<number> }).__holdFlood());
        const entry = server.requests.slice(before).find((r) => r.url === '/test/flood')!;
        await new Promise((r) => setTimeout(r, 2000));
        written[label] = entry.bytesWritten!;
        await page.evaluate(() => (window as unknown as { __releaseFlood(): Promise<void> }).__releaseFlood());
      }),
    );
    console.log('bytes written to a page that does not read, in 2 s:', written);
    // What the browser itself buffers for a body nobody reads (Chromium: about 64 MiB), and not the
    // 1 GiB the server would send to a reader.
    expect(written.plain!).toBeLessThan(512 * 1024 * 1024);
    expect(written.extension!).toBeLessThan(1.5 * written.plain! + 4 * 1024 * 1024);
  });
});

describe('hostile pages keep working the same, and capture survives them', () => {
  beforeAll(async () => {
    // A few at a time: each is a tab in both browsers.
    const queue = [...HOSTILE_VARIANTS];
    const worker = async () => {
      for (let variant = queue.shift(); variant !== undefined; variant = queue.shift()) {
        const path = `/test/transparency.html?quick=1&hostile=${variant}`;
        const run = await runBoth(path);
        // Read before the tab closes (a closed tab's log is dropped).
        hostile[variant] = { plain: run.plain, extension: run.extension, records: await recordsOfPage(path) };
        await Promise.all([run.plainPage.context().close(), run.extensionPage.close()]);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  }, 120_000);

  for (const variant of HOSTILE_VARIANTS) {
    it(`hostile=${variant}`, () => {
      const { plain: a, extension: b } = hostile[variant]!;
      expect(a.hostileLog, 'nothing calls the replaced built-ins without the extension').toEqual([]);
      const unexpected = b.hostileLog.filter((entry) => !KNOWN_HOSTILE_CALLS.some(([pattern]) => pattern.test(entry)));
      expect.soft(unexpected, 'replaced built-ins our code called').toEqual([]);
      for (const [group, checks] of Object.entries(a.groups)) {
        for (const [name, value] of Object.entries(checks)) {
          if (`${group}.${name}` in KNOWN_DIFFERENCES) continue;
          expect.soft(b.groups[group]?.[name], `${group}.${name}`).toEqual(value);
        }
      }
      expect.soft(b.errors, 'window errors and unhandled rejections').toEqual(a.errors);
      expect.soft(b.consoleErrors, 'console errors').toEqual(a.consoleErrors);
      const { records } = hostile[variant]!;
      const urls = openedUrls(records);
      expect.soft(urls, 'captured streams').toContain('/test/stream?count=3&prefix=life&delay=20&type=tick eventsource');
      expect
        .soft(itemsOf(records, 'prefix=life'), 'captured EventSource events')
        .toEqual(['tick life 1', 'tick life 2', 'tick life 3']);
      const gaps = KNOWN_CAPTURE_GAPS[variant]?.kinds ?? [];
      if (!gaps.includes('fetch')) {
        expect.soft(urls, 'captured streams').toContain('/test/stream?count=3&prefix=reader fetch');
        for (const prefix of ['reader', 'pipe', 'iter', 'byob']) {
          expect.soft(textOf(records, `prefix=${prefix}`), `captured ${prefix} bytes`).toContain(`data: ${prefix} 3\n\n`);
        }
      }
      if (!gaps.includes('xhr')) {
        expect.soft(urls, 'captured streams').toContain('/test/stream?count=3&prefix=xhr&delay=20 xhr');
        expect.soft(textOf(records, 'prefix=xhr'), 'captured xhr bytes').toContain('data: xhr 3\n\n');
      }
      if (gaps.length === 0) expect.soft(issues(records), 'capture issues').toEqual([]);
    });
  }
});

describe('known differences', () => {
  it('are listed with their reason, and each still differs', () => {
    const still: string[] = [];
    const gone: string[] = [];
    for (const [key, reason] of Object.entries(KNOWN_DIFFERENCES)) {
      const [group, name] = key.split('.') as [string, string];
      const same =
        JSON.stringify(outcome.extension!.groups[group]?.[name]) === JSON.stringify(outcome.plain!.groups[group]?.[name]);
      (same ? gone : still).push(`${key}: ${reason}`);
    }
    const calls = new Set(Object.values(hostile).flatMap((run) => run.extension.hostileLog));
    const unusedCalls = KNOWN_HOSTILE_CALLS.filter(([pattern]) => ![...calls].some((entry) => pattern.test(entry)));
    console.log(
      `Known differences (${still.length}):\n  ${still.join('\n  ')}` +
        (gone.length ? `\nNo longer different, remove from KNOWN_DIFFERENCES:\n  ${gone.join('\n  ')}` : '') +
        (unusedCalls.length ? `\nKNOWN_HOSTILE_CALLS no longer seen:\n  ${unusedCalls.map(([p]) => p.source).join('\n  ')}` : ''),
    );
    expect(still.length + gone.length).toBe(Object.keys(KNOWN_DIFFERENCES).length);
  });
});

// -------------------------------------------------------------------------------------------------
// Records the background stored, per check page

/** The log of the tab that shows `path` (each check page is its own tab): its streams and issues. */
async function recordsOfPage(path: string): Promise<StoredRecord[]> {
  const frameUrl = `${server.url}${path}`;
  // The pages hold their captures until asked: ask as a panel would, for every tab.
  const logs = [...(await capturedByTab(extension)).values()];
  const mine = (logs as StoredRecord[][]).filter((records) =>
    records.some((r) => r.type === 'stream-open' && r.frameUrl === frameUrl),
  );
  expect(mine.length, `one tab logged ${path}`).toBe(1);
  return mine[0]!;
}

function openedUrls(records: StoredRecord[]): string[] {
  // (A fetch taken from an about:blank frame is logged with its relative URL: reported.)
  return records.flatMap((r) => (r.type === 'stream-open' ? [`${r.url.replace(server.url, '')} ${r.kind}`] : []));
}

function streamOf(records: StoredRecord[], urlPart: string): string | undefined {
  const open = records.find((r) => r.type === 'stream-open' && r.url.includes(urlPart));
  return open && (open as { stream: string }).stream;
}

function textOf(records: StoredRecord[], urlPart: string): string {
  const stream = streamOf(records, urlPart);
  return records.flatMap((r) => (r.type === 'stream-chunk' && r.stream === stream ? [r.text] : [])).join('');
}

function itemsOf(records: StoredRecord[], urlPart: string): string[] {
  const stream = streamOf(records, urlPart);
  return records.flatMap((r) =>
    r.type === 'sse' && r.stream === stream ? r.items.flatMap((i) => (i.kind === 'event' ? [`${i.type} ${i.data}`] : [])) : [],
  );
}

function issues(records: StoredRecord[]): string[] {
  return records.flatMap((r) => (r.type === 'capture-issue' ? [r.message] : []));
}

async function until<T>(probe: () => T | undefined, timeoutMs = 3000, what = 'timed out'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((r) => setTimeout(r, 20));
  }
}
