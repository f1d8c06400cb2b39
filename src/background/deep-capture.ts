/**
 * Deep capture in Chromium: chrome.debugger attached to a tab, its Network domain turned into
 * records of the tab's log (src/core/deep-capture.ts does the translation) — the events the browser
 * parsed for every EventSource, unlistened types included, and the bytes of streamed
 * `text/event-stream` fetch/XHR responses.
 *
 * Off by default and per tab: the panel turns it on (after explaining the "is debugging this
 * browser" bar Chrome then shows), and it is detached when turned off, when the last panel of the
 * tab closes, or when the user closes the bar (`onDetach`, reported to the panel).
 *
 * Available only in a build with the `debugger` permission: Chrome refuses `debugger` as an
 * optional permission ("Only permissions specified in the manifest may be requested"), so the
 * default build does not ask for it and this module says it is unavailable.
 */
import { WireTranslator } from '../core/deep-capture';
import type { PageRecord } from '../protocol';

const PROTOCOL_VERSION = '1.3';

interface Attached {
  translator: WireTranslator;
}

export interface DeepCaptureHooks {
  /** Records seen on the wire for tab `tabId`, to store in its log. */
  records(tabId: number, records: PageRecord[]): void;
  /** Deep capture of the tab went off by itself (the user closed the bar, the tab went away...). */
  detached(tabId: number, reason: string): void;
}

type Debuggee = chrome.debugger.Debuggee;

/** chrome.debugger, when this build has the permission (undefined otherwise, and in Firefox). */
const api = (): typeof chrome.debugger | undefined =>
  (globalThis as { chrome?: { debugger?: typeof chrome.debugger } }).chrome?.debugger;

export class DeepCapture {
  private readonly attached = new Map<number, Attached>();

  constructor(private readonly hooks: DeepCaptureHooks) {
    const debuggerApi = api();
    if (debuggerApi === undefined) return;
    debuggerApi.onEvent.addListener((source: Debuggee, method: string, params?: object) => {
      const tabId = source.tabId;
      const tab = tabId === undefined ? undefined : this.attached.get(tabId);
      if (tabId === undefined || tab === undefined || params === undefined) return;
      const { records, streamContent } = tab.translator.event(method, params as Record<string, unknown>);
      if (records.length > 0) this.hooks.records(tabId, records);
      if (streamContent !== undefined) void this.streamContent(tabId, tab, streamContent);
    });
    debuggerApi.onDetach.addListener((source: Debuggee, reason: string) => {
      const tabId = source.tabId;
      if (tabId === undefined || !this.attached.delete(tabId)) return;
      this.hooks.detached(tabId, reason);
    });
  }

  get available(): boolean {
    return api() !== undefined;
  }

  isOn(tabId: number): boolean {
    return this.attached.has(tabId);
  }

  /** Attaches to the tab and enables its Network domain. Throws (with the browser's reason) when it cannot. */
  async attach(tabId: number): Promise<void> {
    const debuggerApi = api();
    if (debuggerApi === undefined) throw new Error('this build has no debugger permission');
    if (this.attached.has(tabId)) return;
    const target: Debuggee = { tabId };
    this.attached.set(tabId, { translator: new WireTranslator() });
    try {
      await debuggerApi.attach(target, PROTOCOL_VERSION);
      await debuggerApi.sendCommand(target, 'Network.enable', {});
    } catch (error) {
      this.attached.delete(tabId);
      await debuggerApi.detach(target).catch(() => undefined);
      throw error;
    }
  }

  async detach(tabId: number): Promise<void> {
    if (!this.attached.delete(tabId)) return;
    await api()
      ?.detach({ tabId })
      .catch(() => undefined);
  }

  /** Asks the browser for a response's bytes as they come; what it buffered so far comes back at once. */
  private async streamContent(tabId: number, tab: Attached, requestId: string): Promise<void> {
    try {
      const answer = (await api()?.sendCommand({ tabId }, 'Network.streamResourceContent', { requestId })) as
        { bufferedData?: string } | undefined;
      if (this.attached.get(tabId) !== tab) return;
      const records = tab.translator.bufferedData(requestId, answer?.bufferedData ?? '');
      if (records.length > 0) this.hooks.records(tabId, records);
    } catch {
      // The request finished (or failed) before we asked: its bytes are not available any more.
    }
  }
}
