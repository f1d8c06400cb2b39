/**
 * Deep capture in Chromium: chrome.debugger attached to a tab, its Network domain turned into
 * records of the tab's log (src/core/deep-capture.ts does the translation) — the bytes of every
 * `text/event-stream` response, EventSource, fetch or XHR (`Network.streamResourceContent`), so
 * unlistened event types too — of the tab's documents and of the workers behind them:
 * - dedicated workers and the service workers of the tab's pages: `Target.setAutoAttach` on the
 *   tab (flat sessions) attaches both, paused until we enabled their Network domain;
 * - frames of other sites (site isolation runs each in a process of its own): auto-attached too,
 *   each a target whose network the tab's session does not report — followed like a worker, and
 *   auto-attached in turn, for the workers such a frame starts;
 * - shared workers (and any other worker of the tab's origin the tab did not auto-attach): they are
 *   not the tab's children, and `Target.setDiscoverTargets` / `Target.getTargets` answer "Not
 *   allowed" to an extension, but `chrome.debugger.getTargets()` lists them and
 *   `chrome.debugger.attach({ targetId })` attaches. They are looked for when deep capture goes on,
 *   whenever the tab sends a request (a new shared worker's script is one of the tab's requests,
 *   so it is found before it runs) and every SCAN_MS. Not paused: a stream such a worker opened
 *   before we attached is seen from then on (an EventSource's later events, under an unknown URL).
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

/** How often the workers of the tabs' origins are looked for besides the tabs' own requests. */
const SCAN_MS = 2000;

type Debuggee = chrome.debugger.Debuggee & { sessionId?: string };

/** One CDP session whose network we follow: the tab's own, an auto-attached worker's, a directly attached worker's. */
interface Session {
  debuggee: Debuggee;
  translator: WireTranslator;
}

interface Attached {
  /** By key: '' the tab's own, a sessionId (auto-attached), `target:<id>` (attached by target id). */
  sessions: Map<string, Session>;
  /** How many worker and frame sessions were opened (each gets its stream prefix `wire:<n>:`). */
  sessionsOpened: number;
  /** Worker targets followed, by target id: each through one session only. */
  targets: Set<string>;
  /** Targets attached directly (detached with the tab). */
  direct: Set<string>;
  /** Targets that could not be attached directly: not tried again (auto-attach may still give them). */
  refused: Set<string>;
  /** The sessions of the tab's out-of-process frames, with each frame's origin (its shared workers are looked for too). */
  frames: Map<string, string | undefined>;
  /** A scan for workers is running; `rescan`: another was asked for meanwhile. */
  scanning: boolean;
  rescan: boolean;
}

/** Targets auto-attach gives us whose network we follow. */
const WORKER_TYPES = new Set(['worker', 'shared_worker', 'service_worker']);
/** An out-of-process frame: followed, and asked to auto-attach its own workers and frames. */
const FRAME_TYPE = 'iframe';

export interface DeepCaptureHooks {
  /** Records seen on the wire for tab `tabId`, to store in its log. */
  records(tabId: number, records: PageRecord[]): void;
  /** Deep capture of the tab went off by itself (the user closed the bar, the tab went away...). */
  detached(tabId: number, reason: string): void;
}

/** chrome.debugger, when this build has the permission (undefined otherwise, and in Firefox). */
const api = (): typeof chrome.debugger | undefined =>
  (globalThis as { chrome?: { debugger?: typeof chrome.debugger } }).chrome?.debugger;

const originOf = (url: string | undefined): string | undefined => {
  try {
    const origin = new URL(url ?? '').origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
};

export class DeepCapture {
  private readonly attached = new Map<number, Attached>();
  /** Directly attached targets: the tab each belongs to. */
  private readonly directTabs = new Map<string, number>();
  private scanTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly hooks: DeepCaptureHooks) {
    const debuggerApi = api();
    if (debuggerApi === undefined) return;
    debuggerApi.onEvent.addListener((source: Debuggee, method: string, params?: object) => {
      const found = this.sessionOf(source);
      if (found === undefined || params === undefined) return;
      const { tabId, tab, key } = found;
      if (method === 'Target.detachedFromTarget') {
        const detached = params as { sessionId?: unknown; targetId?: unknown };
        tab.sessions.delete(String(detached.sessionId));
        tab.frames.delete(String(detached.sessionId));
        if (typeof detached.targetId === 'string') tab.targets.delete(detached.targetId);
        return;
      }
      if (method === 'Target.attachedToTarget') {
        void this.followTarget(tabId, tab, params as AttachedToTarget);
        return;
      }
      const session = tab.sessions.get(key);
      if (session === undefined) return;
      const { records, streamContent } = session.translator.event(method, params as Record<string, unknown>);
      if (records.length > 0) this.hooks.records(tabId, records);
      if (streamContent !== undefined) void this.streamContent(tabId, tab, session, streamContent);
      // A request of the tab's documents may be a new shared worker's script: look for it before it runs.
      if ((key === '' || tab.frames.has(key)) && method === 'Network.requestWillBeSent') void this.scan(tabId, tab);
    });
    debuggerApi.onDetach.addListener((source: Debuggee, reason: string) => {
      if (source.targetId !== undefined) {
        const tabId = this.directTabs.get(source.targetId);
        this.directTabs.delete(source.targetId);
        const tab = tabId === undefined ? undefined : this.attached.get(tabId);
        tab?.direct.delete(source.targetId);
        tab?.targets.delete(source.targetId);
        tab?.sessions.delete(`target:${source.targetId}`);
        return;
      }
      const tabId = source.tabId;
      const tab = tabId === undefined ? undefined : this.attached.get(tabId);
      if (tabId === undefined || tab === undefined) return;
      this.forget(tabId, tab);
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
    const tab: Attached = {
      sessions: new Map([['', { debuggee: target, translator: new WireTranslator() }]]),
      sessionsOpened: 0,
      targets: new Set(),
      direct: new Set(),
      refused: new Set(),
      frames: new Map(),
      scanning: false,
      rescan: false,
    };
    this.attached.set(tabId, tab);
    try {
      await debuggerApi.attach(target, PROTOCOL_VERSION);
      await debuggerApi.sendCommand(target, 'Network.enable', {});
      // Dedicated and service workers the tab starts (and those running now): each a flat session
      // whose network we follow too.
      await debuggerApi
        .sendCommand(target, 'Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true })
        .catch((error: unknown) => console.warn('SSE DevTools deep capture: no auto-attach to workers:', error));
    } catch (error) {
      this.forget(tabId, tab);
      await debuggerApi.detach(target).catch(() => undefined);
      throw error;
    }
    this.scanTimer ??= setInterval(() => {
      for (const [id, attached] of this.attached) void this.scan(id, attached);
    }, SCAN_MS);
    await this.scan(tabId, tab);
  }

  async detach(tabId: number): Promise<void> {
    const tab = this.attached.get(tabId);
    if (tab === undefined) return;
    const direct = [...tab.direct];
    this.forget(tabId, tab);
    const debuggerApi = api();
    await Promise.all([
      debuggerApi?.detach({ tabId }).catch(() => undefined),
      ...direct.map((targetId) => debuggerApi?.detach({ targetId }).catch(() => undefined)),
    ]);
  }

  /** The tab and session an event of `source` belongs to. */
  private sessionOf(source: Debuggee): { tabId: number; tab: Attached; key: string } | undefined {
    if (source.targetId !== undefined) {
      const tabId = this.directTabs.get(source.targetId);
      const tab = tabId === undefined ? undefined : this.attached.get(tabId);
      return tabId === undefined || tab === undefined ? undefined : { tabId, tab, key: `target:${source.targetId}` };
    }
    const tab = source.tabId === undefined ? undefined : this.attached.get(source.tabId);
    return tab === undefined ? undefined : { tabId: source.tabId!, tab, key: source.sessionId ?? '' };
  }

  /** Deep capture of the tab is off: its sessions, and the directly attached workers, are forgotten. */
  private forget(tabId: number, tab: Attached): void {
    this.attached.delete(tabId);
    for (const targetId of tab.direct) this.directTabs.delete(targetId);
    if (this.attached.size === 0 && this.scanTimer !== undefined) {
      clearInterval(this.scanTimer);
      this.scanTimer = undefined;
    }
  }

  /**
   * A target the tab (or one of its frames) started, auto-attached and paused until we let it run:
   * a worker's or an out-of-process frame's network is followed in its own session (a frame's
   * children are auto-attached in turn); anything else is only let run.
   */
  private async followTarget(tabId: number, tab: Attached, params: AttachedToTarget): Promise<void> {
    const debuggerApi = api();
    if (debuggerApi === undefined || typeof params.sessionId !== 'string') return;
    const debuggee: Debuggee = { tabId, sessionId: params.sessionId };
    const targetId = params.targetInfo?.targetId;
    const type = params.targetInfo?.type ?? '';
    const frame = type === FRAME_TYPE;
    const follow = (WORKER_TYPES.has(type) || frame) && (targetId === undefined || !tab.targets.has(targetId));
    if (follow) {
      if (targetId !== undefined) tab.targets.add(targetId);
      tab.sessions.set(params.sessionId, { debuggee, translator: new WireTranslator(`wire:${++tab.sessionsOpened}:`) });
      if (frame) tab.frames.set(params.sessionId, originOf(params.targetInfo?.url));
    }
    // All at once: a service worker answers Network.enable only once it runs (awaiting it first
    // would wait forever); commands of a session are handled in order, so the network is followed
    // (and a frame's workers are to be attached) before the target's first line runs.
    await Promise.all([
      follow
        ? debuggerApi
            .sendCommand(debuggee, 'Network.enable', {})
            .catch((error: unknown) => console.warn(`SSE DevTools deep capture: could not follow a ${type}:`, error))
        : undefined,
      follow && frame
        ? debuggerApi
            .sendCommand(debuggee, 'Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true })
            .catch((error: unknown) => console.warn('SSE DevTools deep capture: no auto-attach in a frame:', error))
        : undefined,
      debuggerApi.sendCommand(debuggee, 'Runtime.runIfWaitingForDebugger', {}).catch(() => undefined),
    ]);
  }

  /**
   * Looks for workers of the tab's origins (its page's, its out-of-process frames') that auto-attach does not give (shared workers) and
   * follows each by attaching to it directly. One scan at a time per tab; asked again meanwhile, it
   * runs once more after.
   */
  private async scan(tabId: number, tab: Attached): Promise<void> {
    const debuggerApi = api();
    if (debuggerApi === undefined) return;
    if (tab.scanning) {
      tab.rescan = true;
      return;
    }
    tab.scanning = true;
    try {
      do {
        tab.rescan = false;
        const targets = await debuggerApi.getTargets();
        const origins = new Set([
          originOf(targets.find((t) => t.tabId === tabId && t.type === 'page')?.url),
          ...tab.frames.values(),
        ]);
        origins.delete(undefined);
        for (const target of targets) {
          // chrome.debugger calls shared and service workers 'worker' (a dedicated one is 'other').
          if (target.type !== 'worker' || !origins.has(originOf(target.url))) continue;
          if (tab.targets.has(target.id) || tab.refused.has(target.id) || this.directTabs.has(target.id)) continue;
          await this.attachWorker(tabId, tab, target.id);
        }
      } while (tab.rescan && this.attached.get(tabId) === tab);
    } catch (error) {
      console.warn('SSE DevTools deep capture: could not look for workers:', error);
    } finally {
      tab.scanning = false;
    }
  }

  private async attachWorker(tabId: number, tab: Attached, targetId: string): Promise<void> {
    const debuggerApi = api()!;
    const debuggee: Debuggee = { targetId };
    tab.targets.add(targetId);
    this.directTabs.set(targetId, tabId);
    tab.direct.add(targetId);
    try {
      await debuggerApi.attach(debuggee, PROTOCOL_VERSION);
      if (this.attached.get(tabId) !== tab) {
        await debuggerApi.detach(debuggee).catch(() => undefined);
        return;
      }
      tab.sessions.set(`target:${targetId}`, { debuggee, translator: new WireTranslator(`wire:${++tab.sessionsOpened}:`) });
      await debuggerApi.sendCommand(debuggee, 'Network.enable', {});
    } catch (error) {
      // Gone meanwhile, or not attachable (another client's policy...): left to auto-attach, if it ever gives it.
      tab.refused.add(targetId);
      tab.targets.delete(targetId);
      tab.direct.delete(targetId);
      tab.sessions.delete(`target:${targetId}`);
      if (this.directTabs.get(targetId) === tabId) this.directTabs.delete(targetId);
      await debuggerApi.detach(debuggee).catch(() => undefined);
      console.warn('SSE DevTools deep capture: could not follow a shared worker:', error);
    }
  }

  /** Asks the browser for a response's bytes as they come; what it buffered so far comes back at once. */
  private async streamContent(tabId: number, tab: Attached, session: Session, requestId: string): Promise<void> {
    let records: PageRecord[];
    try {
      const answer = (await api()?.sendCommand(session.debuggee, 'Network.streamResourceContent', { requestId })) as
        { bufferedData?: string } | undefined;
      records = session.translator.bufferedData(requestId, answer?.bufferedData ?? '');
    } catch (error) {
      // The request finished (or failed) before we asked: an EventSource keeps the browser's events.
      console.warn('SSE DevTools deep capture: no bytes of a stream, its events only:', error);
      records = session.translator.streamFailed(requestId);
    }
    if (this.attached.get(tabId) === tab && records.length > 0) this.hooks.records(tabId, records);
  }
}

interface AttachedToTarget {
  sessionId: string;
  targetInfo?: { type?: string; targetId?: string; url?: string };
}
