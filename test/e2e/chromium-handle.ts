/**
 * Chromium's side of `panel-handle.ts`: the interfaces a cross-browser test uses, on top of the
 * Playwright helpers in browser.ts (which stay the only place that knows Chromium's internals).
 */
import { join } from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { Frame, Locator, Page } from 'playwright-core';
import { launchWithExtension, openSsePanel, setDevtoolsPreferences, stopServiceWorker, type ExtensionBrowser } from './browser';
import {
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

export class ChromiumPage implements InspectedPage {
  readonly browserName = 'chromium';
  constructor(readonly page: Page) {}

  async url(): Promise<string> {
    return this.page.url();
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(url);
  }

  async reload(): Promise<void> {
    await this.page.reload();
  }

  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<Awaited<R>> {
    return this.page.evaluate(fn as (arg: unknown) => R, arg ?? null) as Promise<Awaited<R>>;
  }

  async waitFor<A = undefined>(fn: (arg: A) => unknown, arg?: A, timeoutMs = 15_000): Promise<void> {
    await this.page.waitForFunction(fn as (arg: unknown) => unknown, arg ?? null, { timeout: timeoutMs });
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

export class ChromiumPanel implements PanelHandle {
  readonly browserName = 'chromium';
  constructor(
    private readonly browser: ExtensionBrowser,
    readonly page: Page,
    /** The panel's frame and its DevTools window; both change when DevTools reloads (theme). */
    public frame: Frame,
    public devtools: Page,
  ) {}

  private locate(target: Target): Locator {
    if (typeof target === 'string') return this.frame.locator(target);
    const scope = target.within ? this.frame.locator(target.within).first() : this.frame;
    return scope.getByRole(target.role as Parameters<Frame['getByRole']>[0], { name: target.name, exact: target.exact ?? false });
  }

  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<Awaited<R>> {
    return this.frame.evaluate(fn as (arg: unknown) => R, arg ?? null) as Promise<Awaited<R>>;
  }

  async text(target: Target): Promise<string | null> {
    const found = this.locate(target);
    return (await found.count()) === 0 ? null : found.first().textContent();
  }

  texts(selector: string): Promise<string[]> {
    return this.frame.locator(selector).allTextContents();
  }

  count(target: Target): Promise<number> {
    return this.locate(target).count();
  }

  async attribute(target: Target, name: string): Promise<string | null> {
    const found = this.locate(target);
    return (await found.count()) === 0 ? null : found.first().getAttribute(name);
  }

  async click(target: Target, options: { modifiers?: Modifier[] } = {}): Promise<void> {
    await this.locate(target).first().click({ modifiers: options.modifiers });
  }

  private async point(target: Target, at: { x: number; y: number }): Promise<{ x: number; y: number }> {
    const box = await this.locate(target).first().boundingBox();
    if (box === null) throw new Error(`${JSON.stringify(target)} is not visible`);
    return { x: box.x + box.width * at.x, y: box.y + box.height * at.y };
  }

  async drag(target: Target, from: { x: number; y: number }, to: { x: number; y: number }, steps = 8): Promise<void> {
    const start = await this.point(target, from);
    const end = await this.point(target, to);
    await this.devtools.mouse.move(start.x, start.y);
    await this.devtools.mouse.down();
    await this.devtools.mouse.move(end.x, end.y, { steps });
    await this.devtools.mouse.up();
  }

  async hover(target: Target, at: { x: number; y: number }): Promise<void> {
    const point = await this.point(target, at);
    await this.devtools.mouse.move(point.x, point.y);
  }

  async fill(target: Target, value: string): Promise<void> {
    await this.locate(target).first().fill(value);
  }

  async press(key: Key, target?: Target): Promise<void> {
    if (target !== undefined) await this.locate(target).first().focus();
    await this.devtools.keyboard.press(key);
  }

  async setInputFiles(target: Target, path: string): Promise<void> {
    await this.locate(target).first().setInputFiles(path);
  }

  async download(action: () => Promise<void>): Promise<DownloadedFile> {
    const pending = this.devtools.waitForEvent('download', { timeout: 15_000 });
    await action();
    const file = await pending;
    const path = join(mkdtempSync(join(this.browser.downloadsDir, 'file-')), file.suggestedFilename());
    await file.saveAs(path);
    return { name: file.suggestedFilename(), path, text: readFileSync(path, 'utf8') };
  }

  async screenshot(path: string): Promise<void> {
    await (await this.frame.frameElement()).screenshot({ path });
  }

  /** Read by the inspected page (the DevTools frame may not read the clipboard: permissions policy). */
  async clipboardText(): Promise<string> {
    await this.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await this.page.bringToFront();
    try {
      return await this.page.evaluate(() => navigator.clipboard.readText());
    } finally {
      await this.devtools.bringToFront();
    }
  }

  /** Chrome applies DevTools' `ui-theme` preference on a reload of the DevTools window. */
  async setDevtoolsTheme(theme: 'light' | 'dark'): Promise<void> {
    const reopened = await setDevtoolsPreferences(this.browser, this.page, this.devtools, {
      'ui-theme': theme === 'dark' ? 'dark' : 'default',
    });
    this.frame = reopened.panel;
    this.devtools = reopened.devtools;
  }
}

export class ChromiumBrowser implements BrowserHandle {
  readonly browserName = 'chromium';
  private constructor(readonly extension: ExtensionBrowser) {}

  static async launch(options: LaunchOptions = {}): Promise<ChromiumBrowser> {
    return new ChromiumBrowser(
      await launchWithExtension({
        devtools: true,
        lang: options.lang,
        viewport: { width: options.width ?? 1280, height: options.height ?? 1000 },
      }),
    );
  }

  async openPage(url: string): Promise<ChromiumPage> {
    const page = await this.extension.context.newPage();
    await page.goto(url);
    return new ChromiumPage(page);
  }

  async openPanel(page: InspectedPage): Promise<ChromiumPanel> {
    if (!(page instanceof ChromiumPage)) throw new Error('openPanel: not a Chromium page');
    const { panel, devtools } = await until('the SSE panel', async () => openSsePanel(this.extension, page.page), 30_000);
    return new ChromiumPanel(this.extension, page.page, panel, devtools);
  }

  /** CDP `ServiceWorker.stopAllWorkers` (browser.ts), what Chrome does to an idle worker after 30 s. */
  async suspendBackground(page: InspectedPage): Promise<void> {
    if (!(page instanceof ChromiumPage)) throw new Error('suspendBackground: not a Chromium page');
    await stopServiceWorker(this.extension, page.page);
  }

  close(): Promise<void> {
    return this.extension.close();
  }
}
