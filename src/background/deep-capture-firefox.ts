/**
 * Deep capture in Firefox: `webRequest.filterResponseData` on the responses the panel reads as
 * streams (text/event-stream, NDJSON / JSON Lines, the Vercel AI data stream) of a tab's frames and
 * dedicated workers, and of the shared and service workers of its origin. Each filtered chunk is
 * written on to the page at once, unchanged, and copied into records of the tab's log
 * (src/core/filtered-responses.ts makes them). The same interface as the Chromium `DeepCapture`
 * (src/background/deep-capture.ts), which src/background/index.ts constructs instead in Chrome.
 *
 * Permissions: `webRequest`, `webRequestBlocking`, `webRequestFilterResponse` (Firefox MV3 wants
 * the last for filterResponseData) and host access are optional in the Firefox manifest, asked for
 * when the user turns the mode on. `permissions.request` must run in a user's click in one of our
 * pages, and Firefox gives DevTools panels no `permissions` API (bug 1796933): so when access is
 * missing, `attach` opens a small page of ours (src/permission/) whose Allow button asks; the tab
 * counts as on from then, and capture starts when Firefox grants (`permissions.onAdded`). Closing
 * that window without granting turns the mode off (reported to the panel, like Chrome's bar).
 *
 * Listeners exist only while a tab is on, and only for that tab's fetch/XHR/EventSource requests
 * (webRequest's `tabId` and `types` filters), plus one for those of no tab (-1: shared and service
 * workers of any site, and the browser's own), so other tabs pay nothing. The blocking
 * `onHeadersReceived` listener returns at once: its only blocking work is to create the filter.
 */
import browser, { type WebRequest } from 'webextension-polyfill';
import {
  DEEP_CAPTURE_PERMISSIONS,
  FilteredResponses,
  originOf,
  tabsOfRequest,
  type WebRequestBody,
} from '../core/filtered-responses';
import type { PageRecord } from '../protocol';
import type { DeepCaptureHooks } from './deep-capture';

/** The page that asks for the permissions (opened by `attach` when they are missing). */
const PERMISSION_PAGE = 'src/permission/deep-capture.html';

/**
 * Firefox suspends an idle event page, and listeners added at run time do not come back with it.
 * A call to an extension API that the parent process answers counts as activity: while a tab is on
 * (or waits for the permission), one every 5 s keeps the page — and so the mode — alive (Firefox's
 * idle timeout is 30 s by default). Filters passing data keep it alive too (Firefox checks for
 * active StreamFilters before suspending), but not the quiet time between streams.
 */
const KEEP_ALIVE_MS = 5000;

/**
 * The request types a stream comes as: fetch, XHR and EventSource requests are all `xmlhttprequest`
 * to webRequest (`other` for what Firefox cannot place). Documents, scripts, images... of a deep
 * tab never wait for our blocking listener.
 */
const STREAM_REQUEST_TYPES: WebRequest.ResourceType[] = ['xmlhttprequest', 'other'];

/** Requests of no tab: shared workers, service workers. */
const NO_TAB = -1;

interface Listeners {
  began(details: WebRequest.OnBeforeRequestDetailsType): void;
  sent(details: WebRequest.OnSendHeadersDetailsType): void;
  headers(details: WebRequest.OnHeadersReceivedDetailsType): WebRequest.BlockingResponse;
  failed(details: WebRequest.OnErrorOccurredDetailsType): void;
}

interface Filtered {
  requestId: string;
  filter: WebRequest.StreamFilter;
  /** The deep-capture tabs this response is recorded for (several for a worker shared by tabs of one origin). */
  tabs: number[];
  /** Chunks passed on to the page and not recorded yet (see QUIET_MS), with when each came. */
  chunks: { bytes: Uint8Array; time: number }[];
}

/**
 * Chunks are recorded in batches, once the responses have been quiet for QUIET_MS, or every
 * MAX_DELAY_MS while data keeps coming: the bytes go on to the page at once, and decoding and
 * storing them, and sending them to the panel, waits for a pause rather than keeping busy the
 * process that passes the page its bytes in the middle of a burst (a first measurement, on a busy
 * machine: a 6 MB burst read by a page took 145 ms at best with a batch every 50 ms, 99 ms with no
 * recording at all, 46 ms without deep capture).
 */
const QUIET_MS = 50;
const MAX_DELAY_MS = 1000;

export class FirefoxDeepCapture {
  /** Tabs in deep mode, with the origin of their top-level page (kept up to date while on). */
  private readonly origins = new Map<number, string | undefined>();
  /** Tabs whose mode waits for Firefox to grant the permissions, with the window that asks. */
  private readonly waiting = new Map<number, number | undefined>();
  /** webRequest listeners by scope: a tab id, or NO_TAB. */
  private readonly listeners = new Map<number, Listeners>();
  private readonly filtered = new Map<string, Filtered>();
  private readonly responses = new FilteredResponses();
  private keepAlive: ReturnType<typeof setInterval> | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the oldest unrecorded chunk and the latest one came (Date.now()). */
  private firstUnrecorded = 0;
  private lastUnrecorded = 0;

  /** Whether this build can (Firefox, with the optional permissions in its manifest). */
  static supported(): boolean {
    const optional = (browser.runtime.getManifest().optional_permissions ?? []) as string[];
    return optional.includes('webRequestFilterResponse');
  }

  constructor(private readonly hooks: DeepCaptureHooks) {
    if (!FirefoxDeepCapture.supported()) return;
    browser.permissions.onAdded.addListener(() => void this.granted());
    browser.permissions.onRemoved.addListener(() => void this.revoked());
    browser.windows.onRemoved.addListener((windowId) => void this.askingWindowClosed(windowId));
    browser.tabs.onUpdated.addListener((tabId, change) => {
      if (change.url !== undefined && this.origins.has(tabId)) this.origins.set(tabId, originOf(change.url));
    });
  }

  get available(): boolean {
    return FirefoxDeepCapture.supported();
  }

  isOn(tabId: number): boolean {
    return this.origins.has(tabId) || this.waiting.has(tabId);
  }

  /** Turns the tab's deep mode on: at once when Firefox granted the permissions, else after asking. */
  async attach(tabId: number): Promise<void> {
    if (!this.available) throw new Error('this build has no webRequest permissions to ask for');
    if (this.isOn(tabId)) return;
    if (await browser.permissions.contains(DEEP_CAPTURE_PERMISSIONS)) {
      await this.start(tabId);
      return;
    }
    this.waiting.set(tabId, undefined);
    this.keepAliveWhileOn();
    try {
      const window = await browser.windows.create({
        type: 'popup',
        url: browser.runtime.getURL(PERMISSION_PAGE),
        width: 560,
        height: 420,
      });
      if (this.waiting.has(tabId)) this.waiting.set(tabId, window.id);
    } catch (error) {
      this.waiting.delete(tabId);
      this.keepAliveWhileOn();
      throw error;
    }
  }

  async detach(tabId: number): Promise<void> {
    if (this.waiting.has(tabId)) {
      const window = this.waiting.get(tabId);
      this.waiting.delete(tabId);
      if (window !== undefined) await browser.windows.remove(window).catch(() => undefined);
    }
    if (!this.origins.delete(tabId)) {
      this.keepAliveWhileOn();
      return;
    }
    this.unlisten(tabId);
    // Responses being filtered for this tab only: the rest goes to the page without us.
    const now = Date.now();
    for (const [requestId, entry] of this.filtered) {
      if (!entry.tabs.includes(tabId)) continue;
      if (entry.tabs.length > 1) {
        entry.tabs = entry.tabs.filter((t) => t !== tabId);
        continue;
      }
      this.release(entry.filter);
      const records = [...this.recordChunks(entry), ...this.responses.released(requestId, now)];
      this.filtered.delete(requestId);
      if (records.length > 0) this.hooks.records(tabId, records);
    }
    if (this.origins.size === 0) this.unlisten(NO_TAB);
    this.keepAliveWhileOn();
  }

  private keepAliveWhileOn(): void {
    if (this.origins.size + this.waiting.size === 0) {
      clearInterval(this.keepAlive);
      this.keepAlive = undefined;
    } else {
      this.keepAlive ??= setInterval(() => void browser.runtime.getPlatformInfo().catch(() => undefined), KEEP_ALIVE_MS);
    }
  }

  private async start(tabId: number): Promise<void> {
    const tab = await browser.tabs.get(tabId);
    this.origins.set(tabId, originOf(tab.url));
    this.listen(tabId);
    this.listen(NO_TAB);
    this.keepAliveWhileOn();
  }

  /** Firefox granted permissions: tabs waiting for them start. */
  private async granted(): Promise<void> {
    if (this.waiting.size === 0 || !(await browser.permissions.contains(DEEP_CAPTURE_PERMISSIONS))) return;
    const tabs = [...this.waiting.keys()];
    // Other tabs' asking windows have nothing left to ask (the one that asked closes itself).
    for (const window of this.waiting.values())
      if (window !== undefined) void browser.windows.remove(window).catch(() => undefined);
    this.waiting.clear();
    for (const tabId of tabs) {
      await this.start(tabId).catch((error: unknown) => {
        this.hooks.detached(tabId, error instanceof Error ? error.message : String(error));
      });
    }
    this.keepAliveWhileOn();
  }

  /** The user took a permission back (about:addons): every tab's deep mode goes off. */
  private async revoked(): Promise<void> {
    if (await browser.permissions.contains(DEEP_CAPTURE_PERMISSIONS)) return;
    for (const tabId of [...this.origins.keys()]) {
      await this.detach(tabId);
      this.hooks.detached(tabId, 'the access deep capture needs was removed');
    }
  }

  /** The asking window closed: granted (it closes itself then), or not. */
  private async askingWindowClosed(windowId: number): Promise<void> {
    const tabs = [...this.waiting].filter(([, window]) => window === windowId).map(([tabId]) => tabId);
    if (tabs.length === 0) return;
    if (await browser.permissions.contains(DEEP_CAPTURE_PERMISSIONS)) {
      await this.granted();
      return;
    }
    for (const tabId of tabs) {
      this.waiting.delete(tabId);
      this.hooks.detached(tabId, 'Firefox was not given access to the responses');
    }
    this.keepAliveWhileOn();
  }

  private listen(scope: number): void {
    if (this.listeners.has(scope)) return;
    const webRequest = browser.webRequest;
    const filter: WebRequest.RequestFilter = { urls: ['<all_urls>'], types: STREAM_REQUEST_TYPES, tabId: scope };
    const listeners: Listeners = {
      began: (details) => {
        if (details.requestBody == null || tabsOfRequest(details, this.origins).length === 0) return;
        this.responses.began(details.requestId, details.requestBody as WebRequestBody);
      },
      sent: (details) => {
        if (tabsOfRequest(details, this.origins).length === 0) return;
        this.responses.sent(details);
      },
      headers: (details) => {
        this.headersReceived(details);
        return {};
      },
      failed: (details) => {
        const entry = this.filtered.get(details.requestId);
        if (entry === undefined) this.responses.forget(details.requestId);
        else this.finish(entry, () => this.responses.failed(details.requestId, details.error, details.timeStamp));
      },
    };
    // Non-blocking, both: the request's body and headers, for its record if its response is a stream.
    webRequest.onBeforeRequest.addListener(listeners.began, filter, ['requestBody']);
    webRequest.onSendHeaders.addListener(listeners.sent, filter, ['requestHeaders']);
    webRequest.onHeadersReceived.addListener(listeners.headers, filter, ['blocking', 'responseHeaders']);
    webRequest.onErrorOccurred.addListener(listeners.failed, filter);
    this.listeners.set(scope, listeners);
  }

  private unlisten(scope: number): void {
    const listeners = this.listeners.get(scope);
    if (listeners === undefined) return;
    this.listeners.delete(scope);
    const webRequest = browser.webRequest;
    if (webRequest === undefined) return;
    webRequest.onBeforeRequest.removeListener(listeners.began);
    webRequest.onSendHeaders.removeListener(listeners.sent);
    webRequest.onHeadersReceived.removeListener(listeners.headers);
    webRequest.onErrorOccurred.removeListener(listeners.failed);
  }

  /** A response's headers: a stream of a deep-capture tab is filtered from its first byte. */
  private headersReceived(details: WebRequest.OnHeadersReceivedDetailsType): void {
    const { requestId } = details;
    const tabs = tabsOfRequest(details, this.origins);
    if (tabs.length === 0 || this.filtered.has(requestId) || !this.responses.wants(details)) {
      this.responses.forget(requestId);
      return;
    }
    let filter: WebRequest.StreamFilter;
    try {
      filter = browser.webRequest.filterResponseData(requestId);
    } catch (error) {
      console.warn('SSE DevTools deep capture: could not filter a response:', error);
      this.responses.forget(requestId);
      return;
    }
    const entry: Filtered = { requestId, filter, tabs, chunks: [] };
    this.filtered.set(requestId, entry);
    this.report(tabs, this.responses.opened(details));
    filter.ondata = (event) => {
      // The time the bytes reached us, read before they go on: the page, in another process, can
      // act on them (close the stream...) within the same millisecond, and its records must not
      // seem to come before the bytes that caused them.
      const now = Date.now();
      // The page's bytes first, as they came; ours after (write copies them, and leaves the buffer ours).
      filter.write(event.data);
      if (this.filtered.get(requestId) !== entry) return;
      entry.chunks.push({ bytes: new Uint8Array(event.data), time: now });
      this.lastUnrecorded = now;
      if (this.flushTimer === undefined) {
        this.firstUnrecorded = now;
        this.flushTimer = setTimeout(() => this.flushWhenQuiet(), QUIET_MS);
      }
    };
    filter.onstop = () => {
      filter.close();
      if (this.filtered.get(requestId) === entry) this.finish(entry, () => this.responses.stopped(requestId, Date.now()));
    };
    filter.onerror = () => {
      // The filter failed: whatever is left is the browser's to deliver (or to fail) without us.
      this.release(filter);
      if (this.filtered.get(requestId) === entry)
        this.finish(entry, () => this.responses.failed(requestId, filter.error, Date.now()));
    };
  }

  /** Records the chunks passed on so far once data paused (or has waited long enough). */
  private flushWhenQuiet(): void {
    const now = Date.now();
    const quietFor = now - this.lastUnrecorded;
    if (quietFor < QUIET_MS && now - this.firstUnrecorded < MAX_DELAY_MS) {
      this.flushTimer = setTimeout(() => this.flushWhenQuiet(), QUIET_MS - quietFor);
      return;
    }
    this.flushTimer = undefined;
    for (const entry of this.filtered.values()) this.report(entry.tabs, this.recordChunks(entry));
  }

  private recordChunks(entry: Filtered): PageRecord[] {
    const records = entry.chunks.flatMap((chunk) => this.responses.data(entry.requestId, chunk.bytes, chunk.time));
    entry.chunks = [];
    return records;
  }

  /** A response ended: its chunks not recorded yet, then the records of its end (`ending`). */
  private finish(entry: Filtered, ending: () => PageRecord[]): void {
    const records = [...this.recordChunks(entry), ...ending()];
    this.filtered.delete(entry.requestId);
    this.report(entry.tabs, records);
  }

  /** Lets the rest of a response go straight to the page. */
  private release(filter: WebRequest.StreamFilter): void {
    try {
      filter.disconnect();
    } catch {
      // Already closed or failed: nothing is held back.
    }
  }

  private report(tabs: readonly number[], records: PageRecord[]): void {
    if (records.length === 0) return;
    for (const tabId of tabs) if (this.origins.has(tabId)) this.hooks.records(tabId, records);
  }
}
