/**
 * Real Firefox with the built add-on installed, and the way into its DevTools "SSE" panel: the
 * Firefox side of `panel-handle.ts` (Chromium's is in browser.ts).
 *
 * Everything that relies on Firefox internals lives here, so a Firefox update is one fix:
 * - Marionette (built into Firefox; `marionette.ts` speaks its wire format) with
 *   `--remote-allow-system-access`, so scripts may run in chrome context;
 * - DevTools' loader (`resource://devtools/shared/loader/Loader.sys.mjs`) → `gDevTools`,
 *   `showToolboxForTab`, `getAdditionalTools()` (extension panels are listed there by label, with
 *   an id that varies) and `selectTool`;
 * - the panel page lives in a remote `<browser>` inside `#toolbox-panel-iframe-<id>`
 *   (webext-panels.xhtml), out of reach of `contentDocument` and `SwitchToFrame`: we talk to it
 *   through its window's `MarionetteCommands` actor (`executeScript`, `clickElement`,
 *   `sendKeysToElement`, `dispatchEvent`, `takeScreenshot`), which is Marionette's own internal API;
 * - the event page: `WebExtensionPolicy.getByID(id).extension` (`terminateBackground`,
 *   `wakeupBackground`, `backgroundState`) and the `extensions.background.idle.timeout` pref.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Marionette } from './marionette';
import {
  FIND_TARGET_SOURCE,
  until,
  type BrowserHandle,
  type DownloadedFile,
  type InspectedPage,
  type Key,
  type LaunchOptions,
  type Modifier,
  type PanelHandle,
  type Target,
} from './panel-handle';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** The built add-on; `SSE_FIREFOX_DIR` points elsewhere (e.g. a private build). */
export const FIREFOX_EXTENSION_DIR = process.env.SSE_FIREFOX_DIR ?? resolve(import.meta.dirname, '../../dist/firefox');
/** CI installs Firefox (.ci/run), so there a missing Firefox is a failure, not a skip. */
export const firefoxAvailable = existsSync(FIREFOX_PATH) || process.env.CI === 'true';

const PANEL_TITLE = 'SSE';

export interface FirefoxLaunchOptions extends LaunchOptions {
  /** DevTools theme at start (the `devtools.theme` pref). */
  theme?: 'light' | 'dark';
  /**
   * Milliseconds of idleness after which Firefox suspends our event page
   * (`extensions.background.idle.timeout`, Firefox's default 30 s).
   */
  backgroundIdleTimeoutMs?: number;
  /** Extra prefs for the profile. */
  prefs?: Record<string, string | number | boolean>;
  /** The add-on to install instead of ours (a reference add-on, for a measurement side by side). */
  addonDir?: string;
}

const BASE_PREFS: Record<string, string | number | boolean> = {
  // Marionette picks a free port and writes it to <profile>/MarionetteActivePort.
  'marionette.port': 0,
  'devtools.chrome.enabled': true,
  'devtools.debugger.remote-enabled': true,
  'devtools.debugger.prompt-connection': false,
  'devtools.toolbox.host': 'bottom',
  'devtools.toolbox.footer.height': 650,
  'xpinstall.signatures.required': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.aboutwelcome.enabled': false,
  'browser.tabs.warnOnClose': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.reporterEnabled': false,
  'app.update.disabledForTesting': true,
  'app.normandy.enabled': false,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'network.captive-portal-service.enabled': false,
  'browser.safebrowsing.update.enabled': false,
  // Downloads go straight to the profile's downloads folder, no dialog.
  'browser.download.folderList': 2,
  'browser.download.useDownloadDir': true,
  'browser.download.always_ask_before_handling_new_types': false,
  'browser.download.start_downloads_in_tmp_dir': false,
  'browser.download.alwaysOpenPanel': false,
  'browser.download.panel.shown': true,
};

/**
 * Functions we send as source were compiled by esbuild with `keepNames`, which wraps some in
 * `__name(fn, "name")`: every script we run defines that helper first.
 */
const NAME_SHIM = '(fn) => fn';

/** Capabilities the Marionette actor wants for clicks and typing (it calls `toJSON()` on them). */
const ACTOR_CAPABILITIES = `({ toJSON: () => ({ 'moz:accessibilityChecks': false, 'moz:webdriverClick': true, strictFileInteractability: false }) })`;

/**
 * Prelude of every chrome-context script: DevTools, the browser window, and `panelOf(browserId)`
 * which shows our panel in that tab's toolbox and returns the panel page's Marionette actor.
 */
const CHROME_PRELUDE = `
  var __name = ${NAME_SHIM};
  const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');
  const win = Services.wm.getMostRecentWindow('navigator:browser');
  const sleep = (ms) => new Promise((r) => win.setTimeout(r, ms));
  const caps = ${ACTOR_CAPABILITIES};
  const tabOf = (browserId) => {
    const tab = win.gBrowser.tabs.find((t) => t.linkedBrowser.browserId === browserId);
    if (!tab) throw new Error('no tab for browser ' + browserId);
    return tab;
  };
  async function panelOf(browserId) {
    const tab = tabOf(browserId);
    if (win.gBrowser.selectedTab !== tab) win.gBrowser.selectedTab = tab;
    const toolbox = gDevTools.getToolboxForTab(tab) ?? (await gDevTools.showToolboxForTab(tab));
    let tool;
    for (let i = 0; i < 200 && !tool; i++) {
      tool = toolbox.getAdditionalTools().find((t) => t.label === ${JSON.stringify(PANEL_TITLE)});
      if (!tool) await sleep(50);
    }
    if (!tool) throw new Error('the ${PANEL_TITLE} panel is not in the toolbox: ' + toolbox.getAdditionalTools().map((t) => t.label));
    if (toolbox.currentToolId !== tool.id) await toolbox.selectTool(tool.id);
    let browser;
    for (let i = 0; i < 200; i++) {
      browser = toolbox.doc.getElementById('toolbox-panel-iframe-' + tool.id)?.contentDocument?.querySelector('browser');
      if (browser?.currentURI?.spec.startsWith('moz-extension:') && browser.browsingContext?.currentWindowGlobal) break;
      await sleep(50);
    }
    const actor = browser.browsingContext.currentWindowGlobal.getActor('MarionetteCommands');
    return { actor, browser, toolbox, tab, toolId: tool.id };
  }
  const find = ${FIND_TARGET_SOURCE};
  async function element(actor, target) {
    const el = await actor.executeScript(
      'var __name = ${NAME_SHIM}; const find = ' + find + '; const el = find(arguments[0], false); if (el) el.scrollIntoView({ block: "center", inline: "center" }); return el;',
      [target], { timeout: 10000 });
    if (!el) throw new Error('no element for ' + JSON.stringify(target));
    return el;
  }
`;

export class FirefoxBrowser implements BrowserHandle {
  readonly browserName = 'firefox';
  private queue: Promise<unknown> = Promise.resolve();
  private context: 'chrome' | 'content' = 'content';
  private currentWindow?: string;
  private initialTab?: string;
  private closed = false;

  private constructor(
    private readonly marionette: Marionette,
    private readonly process: ChildProcess,
    private readonly profileDir: string,
    readonly downloadsDir: string,
    readonly addonId: string,
    readonly version: string,
  ) {}

  static async launch(options: FirefoxLaunchOptions = {}): Promise<FirefoxBrowser> {
    const profileDir = mkdtempSync(join(tmpdir(), 'sse-firefox-profile-'));
    const downloadsDir = mkdtempSync(join(tmpdir(), 'sse-firefox-downloads-'));
    const prefs: Record<string, string | number | boolean> = {
      ...BASE_PREFS,
      'browser.download.dir': downloadsDir,
      'devtools.theme': options.theme ?? 'light',
      ...(options.backgroundIdleTimeoutMs !== undefined
        ? { 'extensions.background.idle.timeout': options.backgroundIdleTimeoutMs }
        : {}),
      ...options.prefs,
    };
    writeFileSync(
      join(profileDir, 'user.js'),
      Object.entries(prefs)
        .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});\n`)
        .join(''),
    );
    const child = spawn(
      FIREFOX_PATH,
      [
        '--headless',
        '--marionette',
        '--remote-allow-system-access',
        '--no-remote',
        '--profile',
        profileDir,
        `--width=${options.width ?? 1280}`,
        `--height=${options.height ?? 1000}`,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MOZ_HEADLESS: '1' } },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const cleanUp = () => {
      rmSync(profileDir, { recursive: true, force: true });
      rmSync(downloadsDir, { recursive: true, force: true });
    };
    try {
      const portFile = join(profileDir, 'MarionetteActivePort');
      const port = await until(
        'Firefox to start Marionette',
        async () => {
          if (child.exitCode !== null) throw new Error(`Firefox exited (${child.exitCode}): ${stderr}`);
          const text = existsSync(portFile) ? readFileSync(portFile, 'utf8').trim() : '';
          return /^\d+$/.test(text) ? Number(text) : undefined;
        },
        30_000,
        50,
      );
      const marionette = await Marionette.connect(port);
      const session = await marionette.send('WebDriver:NewSession', {
        capabilities: { alwaysMatch: { acceptInsecureCerts: true, timeouts: { script: 120_000 } } },
      });
      if (options.lang !== undefined && options.lang !== 'en-US') {
        // firefox-esr ships en-US only: declare the language available (the browser's own UI falls
        // back to en-US strings) so that add-ons, whose locale is chosen when they start, get it.
        await marionette.send('Marionette:SetContext', { value: 'chrome' });
        await marionette.send('WebDriver:ExecuteScript', {
          script: `Services.locale.availableLocales = [...new Set([...Services.locale.availableLocales, arguments[0]])];
                   Services.locale.requestedLocales = [arguments[0]];
                   return Services.locale.appLocaleAsBCP47;`,
          args: [options.lang],
        });
        await marionette.send('Marionette:SetContext', { value: 'content' });
      }
      const addonId = await marionette.send<string>('Addon:Install', {
        path: options.addonDir ?? FIREFOX_EXTENSION_DIR,
        temporary: true,
      });
      const browser = new FirefoxBrowser(
        marionette,
        child,
        profileDir,
        downloadsDir,
        addonId,
        session.capabilities.browserVersion,
      );
      browser.initialTab = await marionette.send<string>('WebDriver:GetWindowHandle');
      return browser;
    } catch (error) {
      if (child.exitCode === null) child.kill('SIGKILL');
      cleanUp();
      throw error;
    }
  }

  /** Runs Marionette work one piece at a time (contexts and the current tab are session state). */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async setContext(context: 'chrome' | 'content'): Promise<void> {
    if (this.context === context) return;
    await this.marionette.send('Marionette:SetContext', { value: context });
    this.context = context;
  }

  private async switchTo(handle: string): Promise<void> {
    if (this.currentWindow === handle) return;
    await this.marionette.send('WebDriver:SwitchToWindow', { handle, focus: true });
    this.currentWindow = handle;
  }

  /** Runs `body` (a function body; `arguments[i]` are `args`) in chrome context, with CHROME_PRELUDE. */
  chrome<T = unknown>(body: string, args: unknown[] = []): Promise<T> {
    return this.serial(async () => {
      await this.setContext('chrome');
      return this.marionette.send<T>('WebDriver:ExecuteScript', {
        script: `${CHROME_PRELUDE}\nreturn (async () => {\n${body}\n})();`,
        args,
      });
    });
  }

  /** Runs `body` in the content of tab `handle` (the page's own world). */
  content<T = unknown>(handle: string, body: string, args: unknown[] = []): Promise<T> {
    return this.serial(async () => {
      await this.setContext('content');
      await this.switchTo(handle);
      return this.marionette.send<T>('WebDriver:ExecuteScript', { script: body, args });
    });
  }

  /** Marionette commands in the content context of tab `handle` (navigation). */
  contentCommand<T = unknown>(handle: string, command: string, params: Record<string, unknown> = {}): Promise<T> {
    return this.serial(async () => {
      await this.setContext('content');
      await this.switchTo(handle);
      return this.marionette.send<T>(command, params);
    });
  }

  async openPage(url: string): Promise<FirefoxPage> {
    let handle = this.initialTab;
    this.initialTab = undefined;
    if (handle === undefined) {
      handle = await this.serial(async () => {
        await this.setContext('content');
        return (await this.marionette.send<{ handle: string }>('WebDriver:NewWindow', { type: 'tab', focus: true })).handle;
      });
    }
    await this.contentCommand(handle, 'WebDriver:Navigate', { url });
    const browserId = await this.chrome<number>('return win.gBrowser.selectedBrowser.browserId;');
    return new FirefoxPage(this, handle, browserId);
  }

  async openPanel(page: InspectedPage): Promise<FirefoxPanel> {
    if (!(page instanceof FirefoxPage)) throw new Error('openPanel: not a Firefox page');
    await this.chrome(`await panelOf(arguments[0]);`, [page.browserId]);
    const panel = new FirefoxPanel(this, page);
    await until('the panel to render', async () => ((await panel.count('.panel')) > 0 ? true : undefined), 15_000);
    return panel;
  }

  /** Opens the tab's DevTools toolbox on one of Firefox's own tools (a reference add-on has no panel). */
  async openToolbox(page: InspectedPage, toolId = 'netmonitor'): Promise<void> {
    if (!(page instanceof FirefoxPage)) throw new Error('openToolbox: not a Firefox page');
    await this.chrome(
      `const tab = tabOf(arguments[0]);
       win.gBrowser.selectedTab = tab;
       const toolbox = gDevTools.getToolboxForTab(tab) ?? (await gDevTools.showToolboxForTab(tab));
       await toolbox.selectTool(arguments[1]);`,
      [page.browserId, toolId],
    );
  }

  /** Sets a preference in the running browser (e.g. `devtools.theme`). */
  setPref(name: string, value: string | number | boolean): Promise<void> {
    const setter = typeof value === 'string' ? 'setStringPref' : typeof value === 'number' ? 'setIntPref' : 'setBoolPref';
    return this.chrome(`Services.prefs.${setter}(arguments[0], arguments[1]);`, [name, value]);
  }

  /** The event page's state: 'starting', 'running', 'suspending' or 'stopped'. */
  backgroundState(): Promise<string> {
    return this.chrome(`return WebExtensionPolicy.getByID(arguments[0]).extension.backgroundState;`, [this.addonId]);
  }

  /** Suspends our event page now, as Firefox does after `extensions.background.idle.timeout` of idleness. */
  async suspendBackground(_page?: InspectedPage): Promise<void> {
    await this.chrome(
      `const extension = WebExtensionPolicy.getByID(arguments[0]).extension;
       await extension.terminateBackground({ ignoreDevToolsAttached: true, disableResetIdleForTest: true });`,
      [this.addonId],
    );
    await until('the event page to stop', async () => ((await this.backgroundState()) === 'stopped' ? true : undefined));
  }

  /** Starts our event page again (as an event for one of its listeners would). */
  async wakeBackground(): Promise<void> {
    await this.chrome(`await WebExtensionPolicy.getByID(arguments[0]).extension.wakeupBackground();`, [this.addonId]);
    await until('the event page to run', async () => ((await this.backgroundState()) === 'running' ? true : undefined));
  }

  /** What the clipboard holds now, read in chrome context (headless Firefox has a clipboard of its own). */
  clipboardText(): Promise<string> {
    return this.chrome(`return win.navigator.clipboard.readText();`);
  }

  /** A PNG of the whole browser window (page and toolbox). */
  async windowScreenshot(path: string): Promise<void> {
    const base64 = await this.serial(async () => {
      await this.setContext('chrome');
      return this.marionette.send<string>('WebDriver:TakeScreenshot', { full: false, hash: false });
    });
    writeFileSync(path, Buffer.from(base64, 'base64'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const exited = new Promise<void>((r) => (this.process.exitCode !== null ? r() : this.process.once('exit', () => r())));
    await Promise.race([
      this.marionette.send('Marionette:Quit', { flags: ['eForceQuit'] }).catch(() => undefined),
      new Promise((r) => setTimeout(r, 10_000)),
    ]);
    this.marionette.close();
    const inTime = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
    // Our own child only, by its handle, if it did not quit when asked.
    if (!inTime) {
      this.process.kill('SIGKILL');
      await exited;
    }
    rmSync(this.profileDir, { recursive: true, force: true });
    rmSync(this.downloadsDir, { recursive: true, force: true });
  }
}

function callSource(fn: (arg: never) => unknown): string {
  return `var __name = ${NAME_SHIM}; return (${String(fn)})(arguments[0]);`;
}

export class FirefoxPage implements InspectedPage {
  readonly browserName = 'firefox';
  constructor(
    private readonly browser: FirefoxBrowser,
    /** Marionette's window handle of the tab. */
    readonly handle: string,
    /** The tab's `<browser>` id (stable across navigations). */
    readonly browserId: number,
  ) {}

  url(): Promise<string> {
    return this.browser.contentCommand<string>(this.handle, 'WebDriver:GetCurrentURL');
  }

  async goto(url: string): Promise<void> {
    await this.browser.contentCommand(this.handle, 'WebDriver:Navigate', { url });
  }

  async reload(): Promise<void> {
    await this.browser.contentCommand(this.handle, 'WebDriver:Refresh');
  }

  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<Awaited<R>> {
    return this.browser.content(this.handle, callSource(fn as (arg: never) => unknown), [arg ?? null]);
  }

  async waitFor<A = undefined>(fn: (arg: A) => unknown, arg?: A, timeoutMs = 15_000): Promise<void> {
    await until('the page', async () => ((await this.evaluate(fn, arg)) ? true : undefined), timeoutMs);
  }

  async close(): Promise<void> {
    await this.browser.contentCommand(this.handle, 'WebDriver:CloseWindow');
  }
}

const KEY_CODES: Record<string, string> = {
  ArrowDown: 'ArrowDown',
  ArrowUp: 'ArrowUp',
  ArrowLeft: 'ArrowLeft',
  ArrowRight: 'ArrowRight',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  Escape: 'Escape',
  Enter: 'Enter',
  Tab: 'Tab',
  ' ': 'Space',
};

/** Where a click on `el` lands on `el`: its centre, else a child's, else null (viewport coordinates). */
const CLICK_POINT_SOURCE = String(function clickPoint(el: Element): { x: number; y: number } | null {
  el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  for (const candidate of [el, ...el.children]) {
    for (const rect of candidate.getClientRects()) {
      if (rect.width < 1 || rect.height < 1) continue;
      const x = rect.left + rect.width / 2;
      const y = rect.top + rect.height / 2;
      const hit = document.elementFromPoint(x, y);
      if (hit !== null && (hit === el || el.contains(hit))) return { x, y };
    }
  }
  return null;
});

export class FirefoxPanel implements PanelHandle {
  readonly browserName = 'firefox';
  constructor(
    private readonly browser: FirefoxBrowser,
    readonly page: FirefoxPage,
  ) {}

  /** Runs `body` in chrome context with `panel` = { actor, browser, toolbox, tab } of our panel. */
  private withPanel<T>(body: string, args: unknown[] = []): Promise<T> {
    return this.browser.chrome<T>(`const panel = await panelOf(${this.page.browserId});\n${body}`, args);
  }

  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<Awaited<R>> {
    return this.withPanel(`return panel.actor.executeScript(arguments[0], [arguments[1]], { timeout: 60000 });`, [
      callSource(fn as (arg: never) => unknown),
      arg ?? null,
    ]);
  }

  /** Runs `fn(element, arg)` on the first match of `target` (null when there is none). */
  private onElement<R>(target: Target, fn: string, arg: unknown = null, all = false): Promise<R> {
    return this.withPanel(
      `return panel.actor.executeScript('var __name = ${NAME_SHIM}; const find = ' + find + '; const [target, arg, all] = arguments; const found = find(target, all); return found === null ? null : (' + arguments[1] + ')(found, arg);', [arguments[0], arguments[2], arguments[3]], { timeout: 30000 });`,
      [target, fn, arg, all],
    );
  }

  text(target: Target): Promise<string | null> {
    return this.onElement(target, '(el) => el.textContent');
  }

  texts(selector: string): Promise<string[]> {
    return this.onElement(selector, '(els) => els.map((el) => el.textContent ?? "")', null, true);
  }

  count(target: Target): Promise<number> {
    return this.onElement(target, '(els) => els.length', null, true);
  }

  attribute(target: Target, name: string): Promise<string | null> {
    return this.onElement(target, '(el, name) => el.getAttribute(name)', name);
  }

  /**
   * Real mouse events (the panel window's `windowUtils`, through the actor's `dispatchEvent`) at a
   * point where the element is the one hit. Marionette's own `clickElement` refuses table rows
   * ("could not be scrolled into view") inside a scrolled container, so we pick the point as
   * Playwright does: the centre of the element or of one of its children, checked with
   * `elementFromPoint`.
   */
  async click(target: Target, options: { modifiers?: Modifier[] } = {}): Promise<void> {
    const modifiers = options.modifiers ?? [];
    await this.withPanel(
      `const el = await element(panel.actor, arguments[0]);
       const point = await panel.actor.executeScript(arguments[2], [el], {});
       if (point === null) throw new Error('no visible point of ' + JSON.stringify(arguments[0]) + ' receives clicks');
       const eventData = { button: 0, clickCount: 1 };
       for (const m of arguments[1]) eventData[{ Control: 'ctrlKey', Shift: 'shiftKey', Alt: 'altKey', Meta: 'metaKey' }[m]] = true;
       await panel.actor.dispatchEvent('synthesizeMouseAtPoint', { x: point.x, y: point.y, eventData });`,
      [target, modifiers, `var __name = ${NAME_SHIM}; return (${CLICK_POINT_SOURCE})(arguments[0]);`],
    );
  }

  /** Synthesizes mouse events of the given types at fractions of `target`'s box (panel viewport coordinates). */
  private async mouse(
    target: Target,
    moves: { type: 'mousedown' | 'mousemove' | 'mouseup'; x: number; y: number }[],
  ): Promise<void> {
    await this.withPanel(
      `const el = await element(panel.actor, arguments[0]);
       const box = await panel.actor.executeScript('const r = arguments[0].getBoundingClientRect(); return { x: r.left, y: r.top, width: r.width, height: r.height };', [el], {});
       let down = false;
       for (const move of arguments[1]) {
         if (move.type === 'mousedown') down = true;
         if (move.type === 'mouseup') down = false;
         await panel.actor.dispatchEvent('synthesizeMouseAtPoint', {
           x: box.x + box.width * move.x,
           y: box.y + box.height * move.y,
           eventData: { type: move.type, button: 0, buttons: down ? 1 : 0 },
         });
       }`,
      [target, moves],
    );
  }

  async drag(target: Target, from: { x: number; y: number }, to: { x: number; y: number }, steps = 8): Promise<void> {
    const path = Array.from({ length: steps }, (_, i) => ({
      type: 'mousemove' as const,
      x: from.x + ((to.x - from.x) * (i + 1)) / steps,
      y: from.y + ((to.y - from.y) * (i + 1)) / steps,
    }));
    await this.mouse(target, [
      { type: 'mousemove', ...from },
      { type: 'mousedown', ...from },
      ...path,
      { type: 'mouseup', ...to },
    ]);
  }

  async hover(target: Target, at: { x: number; y: number }): Promise<void> {
    await this.mouse(target, [{ type: 'mousemove', ...at }]);
  }

  async fill(target: Target, value: string): Promise<void> {
    await this.withPanel(
      `const el = await element(panel.actor, arguments[0]);
       await panel.actor.clearElement(el);
       // clearElement fires 'change' only; the panel listens to 'input' (typing fires both).
       if (arguments[1] === '') await panel.actor.executeScript('arguments[0].dispatchEvent(new Event("input", { bubbles: true }))', [el], {});
       else await panel.actor.sendKeysToElement(el, arguments[1], caps);`,
      [target, value],
    );
  }

  async press(key: Key, target?: Target): Promise<void> {
    const printable = [...key].length === 1 && key !== ' ';
    const data = { key, code: KEY_CODES[key] ?? (printable ? `Key${key.toUpperCase()}` : key), printable, location: 0 };
    await this.withPanel(
      `if (arguments[0] !== null) {
         const el = await element(panel.actor, arguments[0]);
         await panel.actor.executeScript('arguments[0].focus()', [el], {});
       }
       await panel.actor.dispatchEvent('synthesizeKeyDown', { eventData: arguments[1] });
       await panel.actor.dispatchEvent('synthesizeKeyUp', { eventData: arguments[1] });`,
      [target ?? null, data],
    );
  }

  async setInputFiles(target: Target, path: string): Promise<void> {
    await this.withPanel(
      `const el = await element(panel.actor, arguments[0]);
       await panel.actor.sendKeysToElement(el, arguments[1], caps);`,
      [target, resolve(path)],
    );
  }

  async download(action: () => Promise<void>): Promise<DownloadedFile> {
    const dir = this.browser.downloadsDir;
    const before = new Set(readdirSync(dir));
    await action();
    const name = await until(
      'the download',
      async () => {
        const done = readdirSync(dir).filter((n) => !before.has(n) && !n.endsWith('.part'));
        if (done.length === 0) return undefined;
        // Finished when no .part file remains for it and its size holds still.
        if (existsSync(join(dir, `${done[0]}.part`))) return undefined;
        const size = statSync(join(dir, done[0]!)).size;
        await new Promise((r) => setTimeout(r, 150));
        return statSync(join(dir, done[0]!)).size === size ? done[0] : undefined;
      },
      20_000,
    );
    const path = join(dir, name);
    return { name, path, text: readFileSync(path, 'utf8') };
  }

  async screenshot(path: string): Promise<void> {
    // 0 = capture.Format.Base64 in Firefox's remote/shared/Capture.sys.mjs.
    const base64 = await this.withPanel<string>(`return panel.actor.takeScreenshot(null, 0, false, false);`);
    writeFileSync(path, Buffer.from(base64, 'base64'));
  }

  clipboardText(): Promise<string> {
    return this.browser.clipboardText();
  }

  /** Firefox's toolbox follows the `devtools.theme` pref live; the panel hears `onThemeChanged`. */
  async setDevtoolsTheme(theme: 'light' | 'dark'): Promise<void> {
    await this.browser.setPref('devtools.theme', theme);
  }

  /** The devtools.panels.themeName our panel page sees (Firefox's API, not the polyfill). */
  themeName(): Promise<string> {
    return this.evaluate(
      () =>
        (globalThis as unknown as { browser: { devtools: { panels: { themeName: string } } } }).browser.devtools.panels.themeName,
    );
  }
}

/** Launches Firefox with our add-on. */
export function launchFirefox(options: FirefoxLaunchOptions = {}): Promise<FirefoxBrowser> {
  return FirefoxBrowser.launch(options);
}
