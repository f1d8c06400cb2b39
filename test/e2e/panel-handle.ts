/**
 * One handle on "a browser with our extension, a page and our DevTools panel", whichever the
 * browser: a test written against these interfaces runs in Chromium (test/e2e/browser.ts, through
 * Playwright) and in Firefox (test/e2e/firefox-browser.ts, through Marionette). Everything that
 * relies on a browser's internals stays in those two modules.
 *
 * Functions passed to `evaluate` are sent as source text: they must not close over test variables
 * (pass what they need as `arg`) and must return JSON-serializable values.
 */
export type BrowserName = 'chromium' | 'firefox';

/**
 * What to act on: a CSS selector (the first match), or an element found by ARIA role and accessible
 * name (a substring, case-insensitive; `exact` for the whole name, case-sensitive), like Playwright's
 * `getByRole`. `within` narrows the search to the first element matching that CSS selector.
 */
export type Target = string | { role: string; name: string; exact?: boolean; within?: string };

export type Modifier = 'Control' | 'Shift' | 'Alt' | 'Meta';

/** Keys by their `KeyboardEvent.key` name: 'ArrowDown', 'Home', 'End', 'PageUp', 'Escape', 'Enter'. */
export type Key = string;

export interface DownloadedFile {
  /** The file name the browser chose (the panel's suggestion). */
  name: string;
  /** Where the file now is on disk. */
  path: string;
  text: string;
}

export interface InspectedPage {
  readonly browserName: BrowserName;
  url(): Promise<string>;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** Runs `fn(arg)` in the page's top frame (its own world) and resolves with its (awaited) result. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<Awaited<R>>;
  /** Polls `fn(arg)` in the page until it returns a truthy value. */
  waitFor<A = undefined>(fn: (arg: A) => unknown, arg?: A, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface PanelHandle {
  readonly browserName: BrowserName;
  /** Runs `fn(arg)` in the panel page and resolves with its (awaited) result. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<Awaited<R>>;
  /** `textContent` of the first element matching `target`, or null when there is none. */
  text(target: Target): Promise<string | null>;
  /** `textContent` of every element matching the CSS selector. */
  texts(selector: string): Promise<string[]>;
  /** How many elements match. */
  count(target: Target): Promise<number>;
  /** An attribute of the first match (null when absent or no match). */
  attribute(target: Target, name: string): Promise<string | null>;
  /** A trusted click (real mouse events at the element's centre, scrolled into view first). */
  click(target: Target, options?: { modifiers?: Modifier[] }): Promise<void>;
  /**
   * Drags with the mouse (button held) across `target`, from and to points given as fractions of its
   * box ({x: 0.3, y: 0.5} = 30% across, half way down), through `steps` moves.
   */
  drag(target: Target, from: { x: number; y: number }, to: { x: number; y: number }, steps?: number): Promise<void>;
  /** Moves the mouse (no button) to a point of `target` given as fractions of its box. */
  hover(target: Target, at: { x: number; y: number }): Promise<void>;
  /** Replaces the value of a text field by typing (trusted key events where the browser allows). */
  fill(target: Target, value: string): Promise<void>;
  /** Focuses `target` (when given) and presses `key`. */
  press(key: Key, target?: Target): Promise<void>;
  /** Sets the files of an `<input type=file>` as a user picking them would. */
  setInputFiles(target: Target, path: string): Promise<void>;
  /** Runs `action` (which should make the panel download a file) and returns the file. */
  download(action: () => Promise<void>): Promise<DownloadedFile>;
  /** A PNG of the panel (its own viewport, not the whole DevTools window). */
  screenshot(path: string): Promise<void>;
  /** What the system clipboard holds now (as text). */
  clipboardText(): Promise<string>;
  /** Switches DevTools to its light or dark theme (the panel may be reloaded to apply it). */
  setDevtoolsTheme(theme: 'light' | 'dark'): Promise<void>;
}

export interface LaunchOptions {
  /** UI language, e.g. 'zh-CN' (default en-US). */
  lang?: string;
  /** Window size (default 1280×1000). */
  width?: number;
  height?: number;
}

export interface BrowserHandle {
  readonly browserName: BrowserName;
  /** Opens `url` in a new tab. */
  openPage(url: string): Promise<InspectedPage>;
  /** Opens the DevTools of `page` on our "SSE" panel, once it has rendered. */
  openPanel(page: InspectedPage): Promise<PanelHandle>;
  /**
   * Stops the extension's background now, as the browser does when it is idle (Chrome's service
   * worker, Firefox's event page), and resolves once it has stopped. `page` is any open page.
   */
  suspendBackground(page: InspectedPage): Promise<void>;
  close(): Promise<void>;
}

/** Polls `probe` until it returns something other than undefined (or throws the last error on time-out). */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`Timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/**
 * Source of a function, run in the target page, that finds the element a `Target` names (or all of
 * them). Shared by the Firefox helper (which has no `getByRole`); role and name are computed the
 * simple way ARIA does for the controls our panel uses.
 */
export const FIND_TARGET_SOURCE = String(function findTarget(target: Target, all: boolean): Element | Element[] | null {
  const implicit: Record<string, string> = {
    button: 'button, input[type=button], input[type=submit], input[type=reset], [role=button]',
    checkbox: 'input[type=checkbox], [role=checkbox]',
    searchbox: 'input[type=search], [role=searchbox]',
    textbox: 'input:not([type]), input[type=text], textarea, [role=textbox]',
    link: 'a[href], [role=link]',
    tab: '[role=tab]',
    menuitem: '[role=menuitem]',
    menuitemcheckbox: '[role=menuitemcheckbox]',
    tree: '[role=tree]',
    treeitem: '[role=treeitem]',
    grid: '[role=grid], table',
    row: 'tr, [role=row]',
    columnheader: 'th, [role=columnheader]',
    combobox: 'select, [role=combobox]',
    radio: 'input[type=radio], [role=radio]',
    option: 'option, [role=option]',
  };
  const scope: ParentNode =
    typeof target !== 'string' && target.within ? (document.querySelector(target.within) ?? document) : document;
  if (typeof target === 'string') return all ? [...scope.querySelectorAll(target)] : scope.querySelector(target);
  const textOf = (ids: string) =>
    ids
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
  const nameOf = (element: Element): string => {
    const labelledBy = element.getAttribute('aria-labelledby');
    if (labelledBy) return textOf(labelledBy).trim();
    const label = element.getAttribute('aria-label');
    if (label) return label.trim();
    if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) {
      const labels = [...(element.labels ?? [])]
        .map((l) => l.textContent ?? '')
        .join(' ')
        .trim();
      if (labels) return labels;
      if ('placeholder' in element && element.placeholder) return element.placeholder;
    }
    const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim();
    return text || (element.getAttribute('title') ?? '').trim();
  };
  const selector = implicit[target.role] ?? `[role=${target.role}]`;
  const matches = [...scope.querySelectorAll(selector)].filter((element) => {
    const explicit = element.getAttribute('role');
    if (explicit !== null && explicit !== target.role) return false;
    const name = nameOf(element);
    return target.exact ? name === target.name : name.toLowerCase().includes(target.name.toLowerCase());
  });
  return all ? matches : (matches[0] ?? null);
});
