/**
 * Real Chromium with the built extension loaded, and the way into its DevTools "SSE" panel.
 *
 * Everything that relies on browser internals lives here, so a browser update is one fix:
 * - `PW_CHROMIUM_ATTACH_TO_OTHER=1` (an undocumented Playwright switch) makes the DevTools window
 *   that `--auto-open-devtools-for-tabs` opens appear among `context.pages()`;
 * - `DevToolsAPI.showPanel('chrome-extension://<id>SSE')` selects our panel in that window;
 * - `DevToolsAPI.getInspectedTabId()` says which tab a DevTools window inspects.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page, type Worker } from 'playwright-core';
import type { StoredRecord } from '../../src/protocol';

export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';
/** The built extension; `SSE_EXTENSION_DIR` points elsewhere (e.g. a build of an older commit for a side-by-side bench). */
export const EXTENSION_DIR = process.env.SSE_EXTENSION_DIR ?? resolve(import.meta.dirname, '../../dist/chrome');

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** The worker when launched; after a stop, `currentServiceWorker` finds the new one. */
  serviceWorker: Worker;
  downloadsDir: string;
  close(): Promise<void>;
}

export async function launchWithExtension(
  options: {
    devtools?: boolean;
    viewport?: { width: number; height: number };
    lang?: string;
    /** Another build than EXTENSION_DIR (e.g. the deep-capture build of deep-capture.e2e.test.ts). */
    extensionDir?: string;
  } = {},
): Promise<ExtensionBrowser> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  process.env.PW_CHROMIUM_ATTACH_TO_OTHER = '1';
  const userDataDir = mkdtempSync(join(tmpdir(), 'sse-devtools-profile-'));
  const downloadsDir = mkdtempSync(join(tmpdir(), 'sse-devtools-downloads-'));
  const args = [
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-gpu',
    `--lang=${options.lang ?? 'en-US'}`,
    // The window's own size, not an emulated viewport: with DevTools docked in the same window, an
    // emulated page size moves the DevTools frame under Playwright's feet and clicks land beside
    // their target.
    `--window-size=${options.viewport?.width ?? 1280},${options.viewport?.height ?? 800}`,
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  if (options.devtools) args.push('--auto-open-devtools-for-tabs');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROME_PATH,
    headless: true,
    args,
    ignoreDefaultArgs: ['--disable-extensions'],
    acceptDownloads: true,
    downloadsPath: downloadsDir,
    viewport: null,
    locale: options.lang ?? 'en-US',
    env: { ...process.env, LANGUAGE: (options.lang ?? 'en-US').replace('-', '_') },
  });
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(serviceWorker.url()).host;
  return {
    context,
    extensionId,
    serviceWorker,
    downloadsDir,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
      rmSync(downloadsDir, { recursive: true, force: true });
    },
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/**
 * Opens the "SSE" panel in `page`'s DevTools and returns the panel's frame. Each DevTools window
 * is asked (through its own SSE panel) which page it inspects: that needs no extra permission.
 */
export async function openSsePanel(browser: ExtensionBrowser, page: Page): Promise<{ devtools: Page; panel: Frame }> {
  const viewId = `chrome-extension://${browser.extensionId}SSE`;
  const panelUrl = `chrome-extension://${browser.extensionId}/src/panel/panel.html`;
  const found = await until(
    'the SSE panel of the page',
    async () => {
      for (const devtools of browser.context.pages()) {
        if (!devtools.url().startsWith('devtools://')) continue;
        await devtools.evaluate((id) => (globalThis as any).DevToolsAPI.showPanel(id), viewId).catch(() => undefined);
        const panel = devtools.frames().find((frame) => frame.url().startsWith(panelUrl));
        if (panel === undefined) continue;
        const inspected = await panel
          .evaluate(
            () =>
              new Promise<string>((resolve) =>
                chrome.devtools.inspectedWindow.eval('location.href', (...answer: unknown[]) => resolve(String(answer[0]))),
              ),
          )
          .catch(() => undefined);
        if (inspected === page.url()) return { devtools, panel };
      }
      return undefined;
    },
    20_000,
  );
  await found.panel.waitForSelector('.panel', { timeout: 15_000 });
  await settled(found.panel);
  return found;
}

/** Records the background holds for each tab now (what panels were sent), read from the worker (see background/index.ts). */
async function recordsInWorker(browser: ExtensionBrowser): Promise<Map<number, StoredRecord[]>> {
  const entries = await (
    await currentServiceWorker(browser)
  ).evaluate(() => {
    const hook = (globalThis as unknown as { sseDevtools: { tabs: Map<number, { log: { records: unknown[] } }> } }).sseDevtools;
    return [...hook.tabs.entries()].map(([tabId, tab]) => [tabId, tab.log.records]) as never;
  });
  return new Map(entries as [number, StoredRecord[]][]);
}

/**
 * Every record captured in every tab. The pages hold their captures until a panel asks, so this
 * asks as a panel would: it opens the panel page for each tab (`panel.html?tabId=N`), waits until
 * the background's copy stops growing, reads it from the worker and closes the panel again.
 */
export async function storedRecords(browser: ExtensionBrowser): Promise<StoredRecord[]> {
  return [...(await capturedByTab(browser)).values()].flat();
}

/**
 * The tab id of `page`, as the extension knows it. (We have no "tabs" permission, so tabs carry
 * no URL for us: the page is brought to the front and the active tab asked for.)
 */
export async function tabIdOf(browser: ExtensionBrowser, page: Page): Promise<number> {
  await page.bringToFront();
  const worker = await currentServiceWorker(browser);
  const id = await worker.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id);
  if (id === undefined) throw new Error(`no active tab for ${page.url()}`);
  return id;
}

/** `storedRecords`, tab by tab (every tab, or the ones given). */
export async function capturedByTab(browser: ExtensionBrowser, only?: number[]): Promise<Map<number, StoredRecord[]>> {
  const tabIds =
    only ??
    (await (await currentServiceWorker(browser)).evaluate(async () => (await chrome.tabs.query({})).map((tab) => tab.id!)));
  const all = new Map<number, StoredRecord[]>();
  for (const tabId of tabIds) {
    const panel = await browser.context.newPage();
    try {
      await panel.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?tabId=${tabId}`);
      let last = -1;
      let same = 0;
      const deadline = Date.now() + 30_000;
      while (same < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        const count = (await recordsInWorker(browser)).get(tabId)?.length ?? 0;
        same = count === last ? same + 1 : 0;
        last = count;
      }
      all.set(tabId, (await recordsInWorker(browser)).get(tabId) ?? []);
    } finally {
      await panel.close();
    }
  }
  return all;
}

/**
 * Stops the extension's service worker, as Chrome does to an idle one after ~30 s (CDP
 * `ServiceWorker.stopAllWorkers`). Throws if the worker did not stop: a test that "survives" a stop
 * that never happened proves nothing.
 */
export async function stopServiceWorker(browser: ExtensionBrowser, page: Page): Promise<void> {
  const session = await browser.context.newCDPSession(page);
  const origin = `chrome-extension://${browser.extensionId}/`;
  try {
    const stopped = new Promise<boolean>((resolve) => {
      session.on('ServiceWorker.workerVersionUpdated', (event) => {
        if (event.versions.some((v) => v.scriptURL.startsWith(origin) && v.runningStatus === 'stopped')) resolve(true);
      });
      setTimeout(() => resolve(false), 10_000);
    });
    await session.send('ServiceWorker.enable');
    await session.send('ServiceWorker.stopAllWorkers');
    if (!(await stopped)) throw new Error('the extension service worker did not stop');
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/** The extension's service worker now (a stopped one is started again by the next message to it). */
export async function currentServiceWorker(browser: ExtensionBrowser): Promise<Worker> {
  const worker =
    browser.context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${browser.extensionId}/`)) ??
    (await browser.context.waitForEvent('serviceworker', { timeout: 15_000 }));
  browser.serviceWorker = worker;
  return worker;
}

/**
 * Sets DevTools preferences (e.g. `ui-theme` = "dark", `currentDockState` = "bottom") and reloads
 * that DevTools window so they apply; returns the reopened panel.
 */
export async function setDevtoolsPreferences(
  browser: ExtensionBrowser,
  page: Page,
  devtools: Page,
  preferences: Record<string, string>,
): Promise<{ devtools: Page; panel: Frame }> {
  await devtools.evaluate((prefs) => {
    for (const [name, value] of Object.entries(prefs)) {
      (globalThis as any).InspectorFrontendHost.setPreference(name, JSON.stringify(value));
    }
  }, preferences);
  await devtools.reload();
  return openSsePanel(browser, page);
}

/**
 * Clicks a connection row (a real click) until the panel shows it selected. Retried: in the
 * DevTools window Playwright computes where the panel's iframe is, and while DevTools lays itself
 * out (its drawer, the inspected page) a click now and then lands on the row above.
 */
export async function selectConnectionRow(panel: Frame, selector: string, attempts = 3): Promise<void> {
  const row = panel.locator(selector).first();
  for (let attempt = 0; attempt < attempts; attempt++) {
    await row.click();
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline) {
      if ((await row.getAttribute('aria-selected')) === 'true') return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${selector} was not selected after ${attempts} clicks`);
}

/**
 * Waits until the panel's iframe stops moving inside the DevTools window (DevTools finishes its own
 * layout after showing a panel); clicks computed before that can land beside their target.
 */
async function settled(panel: Frame): Promise<void> {
  const element = await panel.frameElement();
  let last = '';
  let same = 0;
  const deadline = Date.now() + 5000;
  while (same < 3 && Date.now() < deadline) {
    const box = JSON.stringify(await element.boundingBox());
    same = box === last ? same + 1 : 0;
    last = box;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Chromium without our extension: the reference a bench compares against. */
export interface PlainBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Chromium without any extension, set up like `launchWithExtension` (persistent profile, same
 * switches) so the two differ only by the extension. With `devtools`, every tab gets Chrome's own
 * DevTools window (see `showChromeDevtoolsPanel`).
 */
export async function launchPlain(options: { devtools?: boolean } = {}): Promise<PlainBrowser> {
  process.env.PW_CHROMIUM_ATTACH_TO_OTHER = '1';
  const userDataDir = mkdtempSync(join(tmpdir(), 'sse-devtools-plain-profile-'));
  const args = [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-gpu',
    '--lang=en-US',
    '--window-size=1280,800',
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  if (options.devtools) args.push('--auto-open-devtools-for-tabs');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROME_PATH,
    headless: true,
    args,
    viewport: null,
    locale: 'en-US',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The DevTools windows (`--auto-open-devtools-for-tabs`) among a context's pages, and the inspected pages. */
export function splitDevtoolsPages(context: BrowserContext): { devtools: Page[]; pages: Page[] } {
  const all = context.pages();
  return {
    devtools: all.filter((page) => page.url().startsWith('devtools://')),
    pages: all.filter((page) => !page.url().startsWith('devtools://')),
  };
}

/**
 * Shows one of Chrome's own DevTools panels (`'network'`, `'elements'`...) in the DevTools window
 * of the context's only tab and returns that window. One tab only: without an extension of ours in
 * the browser there is no cheap way to ask a DevTools window which page it inspects.
 */
export async function showChromeDevtoolsPanel(context: BrowserContext, panelId: string): Promise<Page> {
  return until(
    `Chrome DevTools' ${panelId} panel`,
    async () => {
      const { devtools, pages } = splitDevtoolsPages(context);
      if (pages.length !== 1) throw new Error(`expected one tab, found ${pages.length}`);
      if (devtools.length !== 1) return undefined;
      const window = devtools[0]!;
      // The frontend defines DevToolsAPI early but registers its panels a little later: retry.
      const shown = await window.evaluate((id) => {
        (globalThis as any).DevToolsAPI.showPanel(id);
        return true;
      }, panelId);
      return shown ? window : undefined;
    },
    20_000,
  );
}

/** Whether Chrome's Network panel (shown in `devtools`) lists a request whose name contains `text`. */
export async function networkPanelLists(devtools: Page, text: string): Promise<boolean> {
  // Playwright's text selectors pierce DevTools' open shadow roots.
  return (await devtools.getByText(text, { exact: false }).count()) > 0;
}
