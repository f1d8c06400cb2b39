/**
 * A test names a browser and gets the same handle: `launchBrowser('chromium' | 'firefox')`.
 */
import { existsSync } from 'node:fs';
import { CHROME_PATH } from './browser';
import { ChromiumBrowser } from './chromium-handle';
import { FirefoxBrowser, firefoxAvailable, type FirefoxLaunchOptions } from './firefox-browser';
import type { BrowserHandle, BrowserName } from './panel-handle';

/** Both, or those named in `SSE_BROWSERS` (e.g. `SSE_BROWSERS=firefox`). */
export const BROWSERS: readonly BrowserName[] = (['chromium', 'firefox'] as const).filter(
  (name) => process.env.SSE_BROWSERS === undefined || process.env.SSE_BROWSERS.split(',').includes(name),
);

/** Whether the browser is installed (CI installs both, so there a missing one fails instead of skipping). */
export function browserAvailable(name: BrowserName): boolean {
  if (name === 'firefox') return firefoxAvailable;
  return existsSync(CHROME_PATH) || process.env.CI === 'true';
}

/** Options for both browsers; the Firefox-only ones are ignored by Chromium. */
export function launchBrowser(name: BrowserName, options: FirefoxLaunchOptions = {}): Promise<BrowserHandle> {
  return name === 'firefox' ? FirefoxBrowser.launch(options) : ChromiumBrowser.launch(options);
}
