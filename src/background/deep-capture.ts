/**
 * Deep capture in Chromium: chrome.debugger attached to a tab, its Network domain turned into
 * records of the tab's log (src/core/deep-capture.ts does the translation) — the events the browser
 * parsed for every EventSource, unlistened types included, and the bytes of streamed
 * `text/event-stream` fetch/XHR responses — of the tab's documents and of the workers it starts
 * (`Target.setAutoAttach` with flat sessions: dedicated workers are proven end to end; shared
 * workers are not the tab's children, and `Target.setDiscoverTargets`, the way to find them, answers
 * "Not allowed" to an extension).
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
  /** One translator per CDP session: the tab's own (key ''), and each worker's (key: its sessionId). */
  translators: Map<string, WireTranslator>;
  sessions: number;
}

/** Targets whose network we follow when the tab starts them (auto-attached, flat sessions). */
const WORKER_TYPES = new Set(['worker', 'shared_worker', 'service_worker']);

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
      const sessionId = (source as { sessionId?: string }).sessionId ?? '';
      if (method === 'Target.detachedFromTarget') {
        tab.translators.delete(String((params as { sessionId?: unknown }).sessionId));
        return;
      }
      if (method === 'Target.attachedToTarget') {
        void this.followTarget(tabId, tab, params as { sessionId: string; targetInfo?: { type?: string } });
        return;
      }
      const translator = tab.translators.get(sessionId);
      if (translator === undefined) return;
      const { records, streamContent } = translator.event(method, params as Record<string, unknown>);
      if (records.length > 0) this.hooks.records(tabId, records);
      if (streamContent !== undefined) void this.streamContent(tabId, tab, sessionId, streamContent);
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
    this.attached.set(tabId, { translators: new Map([['', new WireTranslator()]]), sessions: 0 });
    try {
      await debuggerApi.attach(target, PROTOCOL_VERSION);
      await debuggerApi.sendCommand(target, 'Network.enable', {});
      // Workers the tab starts (and those running now): each a flat session whose network we follow too.
      await debuggerApi
        .sendCommand(target, 'Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true })
        .catch((error: unknown) => console.warn('SSE DevTools deep capture: no auto-attach to workers:', error));
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

  /**
   * A target the tab started (auto-attach, paused until we let it run): a worker's network is
   * followed in its own session; anything else (an out-of-process iframe...) is only let run.
   */
  private async followTarget(
    tabId: number,
    tab: Attached,
    params: { sessionId: string; targetInfo?: { type?: string } },
  ): Promise<void> {
    const debuggerApi = api();
    if (debuggerApi === undefined || typeof params.sessionId !== 'string') return;
    const session = { tabId, sessionId: params.sessionId } as Debuggee;
    try {
      if (WORKER_TYPES.has(params.targetInfo?.type ?? '')) {
        tab.translators.set(params.sessionId, new WireTranslator(`wire:${++tab.sessions}:`));
        await debuggerApi.sendCommand(session, 'Network.enable', {});
      }
    } catch (error) {
      console.warn('SSE DevTools deep capture: could not follow a worker:', error);
    } finally {
      await debuggerApi.sendCommand(session, 'Runtime.runIfWaitingForDebugger', {}).catch(() => undefined);
    }
  }

  /** Asks the browser for a response's bytes as they come; what it buffered so far comes back at once. */
  private async streamContent(tabId: number, tab: Attached, sessionId: string, requestId: string): Promise<void> {
    try {
      const target = (sessionId === '' ? { tabId } : { tabId, sessionId }) as Debuggee;
      const answer = (await api()?.sendCommand(target, 'Network.streamResourceContent', { requestId })) as
        { bufferedData?: string } | undefined;
      if (this.attached.get(tabId) !== tab) return;
      const records = tab.translators.get(sessionId)?.bufferedData(requestId, answer?.bufferedData ?? '') ?? [];
      if (records.length > 0) this.hooks.records(tabId, records);
    } catch {
      // The request finished (or failed) before we asked: its bytes are not available any more.
    }
  }
}
