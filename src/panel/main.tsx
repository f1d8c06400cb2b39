/**
 * Panel entry. Inside DevTools it shows the inspected tab's log; opened as an extension page with
 * `?tabId=N` it shows tab N's log; opened with no tab at all it is a viewer of imported HAR files.
 */
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { App } from './App';
import { LogConnection } from './log-connection';
import './filters.css';
import './timeline.css';
import './detail.css';
import './export-import.css';
import './replay.css';

function inspectedTabId(): number | undefined {
  const fromQuery = new URLSearchParams(location.search).get('tabId');
  if (fromQuery !== null && /^\d+$/.test(fromQuery)) return Number(fromQuery);
  return browser.devtools?.inspectedWindow?.tabId;
}

/**
 * The inspected page's URL (export file names, HAR pages): asked of DevTools; opened as a tab
 * (`?tabId=N`, no DevTools), the top frame of the latest stream in the log; else this page.
 */
async function inspectedPageUrl(link: LogConnection): Promise<string> {
  try {
    if (browser.devtools?.inspectedWindow) {
      // The polyfill resolves with the result alone (Firefox's native API gives [result, info]).
      const answer: unknown = await browser.devtools.inspectedWindow.eval('location.href');
      const url = Array.isArray(answer) ? answer[0] : answer;
      if (typeof url === 'string') return url;
    }
  } catch {
    // fall through
  }
  const top = link.store.connectionList.filter((c) => c.frameId === 0 && /^https?:/.test(c.frameUrl)).pop();
  return top?.frameUrl ?? location.href;
}

let onThemeChange: () => void = () => {};
function setTheme(theme: string | undefined): void {
  document.documentElement.dataset.theme = theme === 'dark' ? 'dark' : 'light';
  onThemeChange();
}

/** Follows DevTools' theme, now and when the user switches it (Chrome and Firefox name it differently). */
function applyTheme(): void {
  const forced = new URLSearchParams(location.search).get('theme');
  setTheme(forced ?? browser.devtools?.panels?.themeName);
  document.documentElement.lang = browser.i18n.getUILanguage();
  if (forced !== null) return;
  const panels = (
    globalThis as { chrome?: { devtools?: { panels?: { setThemeChangeHandler?: (h: (t: string) => void) => void } } } }
  ).chrome?.devtools?.panels;
  if (typeof panels?.setThemeChangeHandler === 'function') panels.setThemeChangeHandler(setTheme);
  else browser.devtools?.panels?.onThemeChanged?.addListener((theme: string) => setTheme(theme));
}

function start(): void {
  applyTheme();
  const root = document.getElementById('app')!;
  const tabId = inspectedTabId();
  const link = new LogConnection(tabId, () => draw());
  const draw = () => render(<App link={link} version={link.store.version} pageUrl={() => inspectedPageUrl(link)} />, root);
  onThemeChange = draw;
  if (tabId !== undefined) link.connect();
  draw();
}

start();
