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
 *   A shared worker serves every tab of its origin: attached once, what it sees goes to the log of
 *   each deep tab it serves, and it stays attached while one of them is deep.
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
  /** By key: '' the tab's own, a sessionId (an auto-attached worker or frame). Workers attached by target id are in `direct`. */
  sessions: Map<string, Session>;
  /** Worker targets auto-attached to the tab and followed, by target id: each through one session only. */
  targets: Set<string>;
  /** Targets that could not be attached directly: not tried again (auto-attach may still give them). */
  refused: Set<string>;
  /** The sessions of the tab's out-of-process frames, with each frame's origin (its shared workers are looked for too). */
  frames: Map<string, string | undefined>;
  /** A scan for workers is running; `rescan`: another was asked for meanwhile. */
  scanning: boolean;
  rescan: boolean;
}

/** A worker attached by its target id (a shared worker): the deep tabs whose logs get what it sees. */
interface DirectWorker {
  session: Session;
  tabs: Set<number>;
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
  /** Workers attached by target id, by target id. */
  private readonly direct = new Map<string, DirectWorker>();
  /** Worker and frame sessions opened so far: each gets the stream prefix `wire:<n>:`, unique in every tab's log. */
  private sessionsOpened = 0;
  private scanTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly hooks: DeepCaptureHooks) {
    const debuggerApi = api();
    if (debuggerApi === undefined) return;
    debuggerApi.onEvent.addListener((source: Debuggee, method: string, params?: object) => {
      if (params === undefined) return;
      if (source.targetId !== undefined) {
        const worker = this.direct.get(source.targetId);
        if (worker !== undefined) this.sessionEvent(worker.session, method, params, () => [...worker.tabs]);
        return;
      }
      const tabId = source.tabId;
      const tab = tabId === undefined ? undefined : this.attached.get(tabId);
      if (tabId === undefined || tab === undefined) return;
      const key = source.sessionId ?? '';
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
      this.sessionEvent(session, method, params, () => (this.attached.get(tabId) === tab ? [tabId] : []));
      // A request of the tab's documents may be a new shared worker's script: look for it before it runs.
      if ((key === '' || tab.frames.has(key)) && method === 'Network.requestWillBeSent') void this.scan(tabId, tab);
    });
    debuggerApi.onDetach.addListener((source: Debuggee, reason: string) => {
      if (source.targetId !== undefined) {
        this.direct.delete(source.targetId);
        return;
      }
      const tabId = source.tabId;
      const tab = tabId === undefined ? undefined : this.attached.get(tabId);
      if (tabId === undefined || tab === undefined) return;
      // The user closed the bar, or the tab went: the shared workers it alone kept are let go too.
      for (const targetId of this.forget(tabId)) void debuggerApi.detach({ targetId }).catch(() => undefined);
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
      targets: new Set(),
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
      this.forget(tabId);
      await debuggerApi.detach(target).catch(() => undefined);
      throw error;
    }
    this.scanTimer ??= setInterval(() => {
      for (const [id, attached] of this.attached) void this.scan(id, attached);
    }, SCAN_MS);
    // Not awaited: the panel hears "on" once the tab is followed; shared workers follow in a moment
    // (attaching to one that is shutting down must not hold up the tab's other work).
    void this.scan(tabId, tab);
  }

  async detach(tabId: number): Promise<void> {
    const tab = this.attached.get(tabId);
    if (tab === undefined) return;
    const unserved = this.forget(tabId);
    const debuggerApi = api();
    await Promise.all([
      debuggerApi?.detach({ tabId }).catch(() => undefined),
      ...unserved.map((targetId) => debuggerApi?.detach({ targetId }).catch(() => undefined)),
    ]);
  }

  /** What a session saw, recorded for the tabs it serves (asked once the records are made). */
  private sessionEvent(session: Session, method: string, params: object, tabs: () => number[]): void {
    const { records, streamContent } = session.translator.event(method, params as Record<string, unknown>);
    this.report(tabs(), records);
    if (streamContent !== undefined) void this.streamContent(session, streamContent, tabs);
  }

  private report(tabs: readonly number[], records: PageRecord[]): void {
    if (records.length === 0) return;
    for (const tabId of tabs) this.hooks.records(tabId, records);
  }

  /**
   * Deep capture of the tab is off: its sessions are forgotten, and it leaves the workers attached
   * by target id; returns those it was the last deep tab of (to detach).
   */
  private forget(tabId: number): string[] {
    this.attached.delete(tabId);
    const unserved: string[] = [];
    for (const [targetId, worker] of this.direct) {
      if (!worker.tabs.delete(tabId) || worker.tabs.size > 0) continue;
      this.direct.delete(targetId);
      unserved.push(targetId);
    }
    if (this.attached.size === 0 && this.scanTimer !== undefined) {
      clearInterval(this.scanTimer);
      this.scanTimer = undefined;
    }
    return unserved;
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
    const follow =
      (WORKER_TYPES.has(type) || frame) && (targetId === undefined || (!tab.targets.has(targetId) && !this.direct.has(targetId)));
    if (follow) {
      if (targetId !== undefined) tab.targets.add(targetId);
      tab.sessions.set(params.sessionId, { debuggee, translator: new WireTranslator(`wire:${++this.sessionsOpened}:`) });
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
        /** The origins of a deep tab: its page's and its out-of-process frames'. */
        const originsOf = (id: number, of: Attached) => {
          const origins = new Set([
            originOf(targets.find((t) => t.tabId === id && t.type === 'page')?.url),
            ...of.frames.values(),
          ]);
          origins.delete(undefined);
          return origins;
        };
        const origins = originsOf(tabId, tab);
        for (const target of targets) {
          // chrome.debugger calls shared and service workers 'worker' (a dedicated one is 'other').
          const origin = originOf(target.url);
          if (target.type !== 'worker' || !origins.has(origin)) continue;
          // Attached for another deep tab of the origin already: it serves this one too.
          const worker = this.direct.get(target.id);
          if (worker !== undefined) worker.tabs.add(tabId);
          if (worker !== undefined || tab.targets.has(target.id) || tab.refused.has(target.id)) continue;
          // A new one serves every deep tab of its origin from its first request, not from their next scans.
          const served = [...this.attached].filter(([id, of]) => id === tabId || originsOf(id, of).has(origin));
          await this.attachWorker(
            tabId,
            tab,
            target.id,
            served.map(([id]) => id),
          );
        }
      } while (tab.rescan && this.attached.get(tabId) === tab);
    } catch (error) {
      console.warn('SSE DevTools deep capture: could not look for workers:', error);
    } finally {
      tab.scanning = false;
    }
  }

  /** Attaches a worker by its target id, for `tab` and the other deep tabs it serves (`served`). */
  private async attachWorker(tabId: number, tab: Attached, targetId: string, served: number[]): Promise<void> {
    const debuggerApi = api()!;
    const debuggee: Debuggee = { targetId };
    const worker: DirectWorker = {
      session: { debuggee, translator: new WireTranslator(`wire:${++this.sessionsOpened}:`) },
      tabs: new Set([tabId, ...served]),
    };
    this.direct.set(targetId, worker);
    try {
      await debuggerApi.attach(debuggee, PROTOCOL_VERSION);
      if (this.direct.get(targetId) !== worker || ![...worker.tabs].some((id) => this.attached.has(id))) {
        // Every tab it was for went off meanwhile.
        if (this.direct.get(targetId) === worker) this.direct.delete(targetId);
        await debuggerApi.detach(debuggee).catch(() => undefined);
        return;
      }
      await debuggerApi.sendCommand(debuggee, 'Network.enable', {});
    } catch (error) {
      // Gone meanwhile, or not attachable (another client's policy...): left to auto-attach, if it ever gives it.
      tab.refused.add(targetId);
      if (this.direct.get(targetId) === worker) this.direct.delete(targetId);
      await debuggerApi.detach(debuggee).catch(() => undefined);
      console.warn('SSE DevTools deep capture: could not follow a shared worker:', error);
    }
  }

  /** Asks the browser for a response's bytes as they come; what it buffered so far comes back at once. */
  private async streamContent(session: Session, requestId: string, tabs: () => number[]): Promise<void> {
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
    this.report(tabs(), records);
  }
}

interface AttachedToTarget {
  sessionId: string;
  targetInfo?: { type?: string; targetId?: string; url?: string };
}
