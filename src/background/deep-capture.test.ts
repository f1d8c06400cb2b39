/**
 * DeepCapture's bookkeeping against a fake chrome.debugger that behaves as Chromium 156 was seen to
 * (test/e2e/deep-capture.e2e.test.ts proves the real thing): a paused service worker answers
 * Network.enable only once resumed; shared workers are listed by getTargets() as `worker` and
 * attached by target id; events of a directly attached target come with `{ targetId }`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PageRecord } from '../protocol';
import { DeepCapture } from './deep-capture';

type Debuggee = { tabId?: number; targetId?: string; sessionId?: string };
type Listener<A extends unknown[]> = (...args: A) => void;

const TAB = 7;
const ORIGIN = 'http://127.0.0.1:8000';

/** A fake chrome.debugger: records commands, lets a test answer some of them later. */
class FakeDebugger {
  readonly sent: { target: Debuggee; method: string }[] = [];
  readonly attachedTo: Debuggee[] = [];
  readonly detachedFrom: Debuggee[] = [];
  targets: { id: string; type: string; url: string; tabId?: number; attached: boolean }[] = [
    { id: 'page', type: 'page', url: `${ORIGIN}/test/deep/index.html`, tabId: TAB, attached: false },
  ];
  private readonly eventListeners: Listener<[Debuggee, string, object?]>[] = [];
  private readonly detachListeners: Listener<[Debuggee, string]>[] = [];
  /** Sessions paused on start: their Network.enable is answered once they are resumed. */
  private readonly paused = new Map<string, () => void>();

  readonly api = {
    onEvent: { addListener: (l: Listener<[Debuggee, string, object?]>) => this.eventListeners.push(l) },
    onDetach: { addListener: (l: Listener<[Debuggee, string]>) => this.detachListeners.push(l) },
    attach: async (target: Debuggee) => {
      this.attachedTo.push(target);
    },
    detach: async (target: Debuggee) => {
      this.detachedFrom.push(target);
    },
    getTargets: async () => this.targets,
    sendCommand: (target: Debuggee, method: string): Promise<unknown> => {
      this.sent.push({ target, method });
      const session = target.sessionId;
      if (session !== undefined && this.paused.has(session)) {
        if (method === 'Network.enable') return new Promise((resolve) => this.paused.set(session, () => resolve({})));
        if (method === 'Runtime.runIfWaitingForDebugger') {
          this.paused.get(session)!();
          this.paused.delete(session);
        }
      }
      if (method === 'Network.streamResourceContent') return Promise.resolve({ bufferedData: '' });
      return Promise.resolve({});
    },
  };

  /** A worker or frame the tab started, auto-attached and paused (`waitForDebuggerOnStart`). */
  autoAttach(sessionId: string, type: string, targetId: string, url?: string): void {
    this.paused.set(sessionId, () => undefined);
    this.emit({ tabId: TAB }, 'Target.attachedToTarget', { sessionId, targetInfo: { type, targetId, url } });
  }

  emit(source: Debuggee, method: string, params: object): void {
    for (const listener of this.eventListeners) listener(source, method, params);
  }

  sentTo(match: Partial<Debuggee>, method?: string): string[] {
    return this.sent
      .filter(({ target }) => Object.entries(match).every(([k, v]) => target[k as keyof Debuggee] === v))
      .filter((c) => method === undefined || c.method === method)
      .map((c) => c.method);
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

let fake: FakeDebugger;
let records: PageRecord[];
let deep: DeepCapture;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  fake = new FakeDebugger();
  (globalThis as { chrome?: unknown }).chrome = { debugger: fake.api };
  records = [];
  deep = new DeepCapture({ records: (_tab, added) => records.push(...added), detached: () => undefined });
});

afterEach(async () => {
  await deep.detach(TAB);
  delete (globalThis as { chrome?: unknown }).chrome;
  vi.useRealTimers();
});

/** A fetch of `url` answered with text/event-stream, in the session of `source`. */
function sseFetch(source: Debuggee, requestId: string, url: string): void {
  fake.emit(source, 'Network.requestWillBeSent', {
    requestId,
    type: 'Fetch',
    documentURL: url,
    request: { url, method: 'GET' },
    timestamp: 1,
    wallTime: 1000,
  });
  fake.emit(source, 'Network.responseReceived', {
    requestId,
    timestamp: 1,
    response: { url, status: 200, statusText: 'OK', headers: {}, mimeType: 'text/event-stream' },
  });
}

describe('DeepCapture (Chromium) and workers', () => {
  it('resumes an auto-attached service worker without waiting for Network.enable, which it answers only once running', async () => {
    await deep.attach(TAB);
    fake.autoAttach('sw-session', 'service_worker', 'sw-target');
    await flush();
    expect(fake.sentTo({ sessionId: 'sw-session' })).toEqual(['Network.enable', 'Runtime.runIfWaitingForDebugger']);
    // Its fetch is a wire stream of its own prefix.
    sseFetch({ tabId: TAB, sessionId: 'sw-session' }, 'r1', `${ORIGIN}/sse?source=sw`);
    expect(records.find((r) => r.type === 'stream-open')).toMatchObject({ stream: 'wire:1:r1', seenOn: 'wire' });
  });

  it('attaches the shared workers of the tab’s origin by target id, once, and records their streams', async () => {
    fake.targets.push(
      { id: 'shared', type: 'worker', url: `${ORIGIN}/test/deep/shared-worker.js`, attached: false },
      { id: 'elsewhere', type: 'worker', url: 'http://other.test/shared.js', attached: false },
      { id: 'dedicated', type: 'other', url: `${ORIGIN}/test/deep/worker.js`, attached: false },
    );
    await deep.attach(TAB);
    await flush();
    expect(fake.attachedTo).toEqual([{ tabId: TAB }, { targetId: 'shared' }]);
    expect(fake.sentTo({ targetId: 'shared' })).toEqual(['Network.enable']);
    // Each request of the tab looks again; the worker is not attached twice.
    fake.emit({ tabId: TAB }, 'Network.requestWillBeSent', {
      requestId: 'x',
      type: 'Script',
      request: { url: 'a', method: 'GET' },
    });
    await vi.advanceTimersByTimeAsync(5000);
    expect(fake.attachedTo.filter((t) => t.targetId === 'shared')).toHaveLength(1);
    sseFetch({ targetId: 'shared' }, 'r9', `${ORIGIN}/sse?source=shared`);
    expect(records.find((r) => r.type === 'stream-open')).toMatchObject({ stream: 'wire:1:r9', seenOn: 'wire' });
    // Turned off: the tab and the shared worker are detached.
    await deep.detach(TAB);
    expect(fake.detachedFrom).toEqual(expect.arrayContaining([{ tabId: TAB }, { targetId: 'shared' }]));
  });

  it('attaches a shared worker of two deep tabs of its origin once, records it for both, and keeps it while one is deep', async () => {
    const OTHER_TAB = 8;
    fake.targets.push(
      { id: 'page-2', type: 'page', url: `${ORIGIN}/second.html`, tabId: OTHER_TAB, attached: false },
      { id: 'shared', type: 'worker', url: `${ORIGIN}/test/deep/shared-worker.js`, attached: false },
    );
    const byTab = new Map<number, PageRecord[]>();
    deep = new DeepCapture({
      records: (tab, added) => byTab.set(tab, [...(byTab.get(tab) ?? []), ...added]),
      detached: () => undefined,
    });
    const opened = (tab: number) => (byTab.get(tab) ?? []).filter((r) => r.type === 'stream-open').map((r) => r.stream);
    await deep.attach(TAB);
    await deep.attach(OTHER_TAB);
    await flush();
    expect(fake.attachedTo.filter((t) => t.targetId === 'shared')).toHaveLength(1);
    sseFetch({ targetId: 'shared' }, 'r1', `${ORIGIN}/sse?source=shared`);
    expect([opened(TAB), opened(OTHER_TAB)]).toEqual([['wire:1:r1'], ['wire:1:r1']]);
    // The first tab goes off: the worker stays attached for the second, whose log alone gets more.
    await deep.detach(TAB);
    expect(fake.detachedFrom).not.toContainEqual({ targetId: 'shared' });
    sseFetch({ targetId: 'shared' }, 'r2', `${ORIGIN}/sse?source=shared`);
    expect([opened(TAB), opened(OTHER_TAB)]).toEqual([['wire:1:r1'], ['wire:1:r1', 'wire:1:r2']]);
    // The last one goes off: detached.
    await deep.detach(OTHER_TAB);
    expect(fake.detachedFrom).toContainEqual({ targetId: 'shared' });
  });

  it('finds a shared worker the page starts later, at the tab’s next request', async () => {
    await deep.attach(TAB);
    fake.targets.push({ id: 'late', type: 'worker', url: `${ORIGIN}/late-worker.js`, attached: false });
    fake.emit({ tabId: TAB }, 'Network.requestWillBeSent', {
      requestId: 's',
      type: 'Script',
      request: { url: `${ORIGIN}/late-worker.js`, method: 'GET' },
    });
    await flush();
    expect(fake.attachedTo).toContainEqual({ targetId: 'late' });
  });

  it('follows a frame of another site (out of process), its own workers, and the shared workers of its origin', async () => {
    const frameOrigin = 'http://localhost:8000';
    await deep.attach(TAB);
    fake.autoAttach('frame-session', 'iframe', 'frame-target', `${frameOrigin}/widget.html`);
    await flush();
    // Its network followed, its children auto-attached, then let run — in that order.
    expect(fake.sentTo({ sessionId: 'frame-session' })).toEqual([
      'Network.enable',
      'Target.setAutoAttach',
      'Runtime.runIfWaitingForDebugger',
    ]);
    sseFetch({ tabId: TAB, sessionId: 'frame-session' }, 'f1', `${frameOrigin}/sse?source=frame`);
    expect(records.find((r) => r.type === 'stream-open')).toMatchObject({ stream: 'wire:1:f1', seenOn: 'wire' });
    // A shared worker of the frame's origin, started by it, is found at the frame's next request.
    fake.targets.push({ id: 'frame-shared', type: 'worker', url: `${frameOrigin}/shared.js`, attached: false });
    fake.emit({ tabId: TAB, sessionId: 'frame-session' }, 'Network.requestWillBeSent', {
      requestId: 's',
      type: 'Script',
      request: { url: `${frameOrigin}/shared.js`, method: 'GET' },
    });
    await flush();
    expect(fake.attachedTo).toContainEqual({ targetId: 'frame-shared' });
    // Once the frame is gone, its origin is not looked in any more.
    fake.emit({ tabId: TAB }, 'Target.detachedFromTarget', { sessionId: 'frame-session', targetId: 'frame-target' });
    fake.targets.push({ id: 'after', type: 'worker', url: `${frameOrigin}/after.js`, attached: false });
    await vi.advanceTimersByTimeAsync(5000);
    expect(fake.attachedTo).not.toContainEqual({ targetId: 'after' });
  });

  it('only lets run an auto-attached target that is neither a worker nor a frame', async () => {
    await deep.attach(TAB);
    fake.autoAttach('other-session', 'auction_worklet', 'worklet');
    await flush();
    expect(fake.sentTo({ sessionId: 'other-session' })).toEqual(['Runtime.runIfWaitingForDebugger']);
  });

  it('follows a service worker through one session only, whichever attached it first', async () => {
    // Listed as a worker of the origin and attached directly before auto-attach reported it...
    fake.targets.push({ id: 'sw-target', type: 'worker', url: `${ORIGIN}/sw.js`, attached: false });
    await deep.attach(TAB);
    await flush();
    fake.autoAttach('sw-session', 'service_worker', 'sw-target');
    await flush();
    // ...the auto-attached session only lets it run.
    expect(fake.sentTo({ sessionId: 'sw-session' })).toEqual(['Runtime.runIfWaitingForDebugger']);
    sseFetch({ tabId: TAB, sessionId: 'sw-session' }, 'r2', `${ORIGIN}/sse`);
    expect(records).toEqual([]);
  });
});
