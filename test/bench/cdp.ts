/**
 * What the bench reads from Chromium over the DevTools protocol (public CDP, no DevTools
 * internals): CPU time of every process of a browser, and the JS heap of a page or of the
 * extension's service worker after a forced garbage collection.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

/** A browser-level CDP session (persistent contexts have a browser too). */
export async function browserSession(context: BrowserContext): Promise<CDPSession> {
  const browser = context.browser();
  if (browser === null) throw new Error('this context has no browser to open a CDP session on');
  return browser.newBrowserCDPSession();
}

/** CPU seconds per process id, as Chromium counts them (10 ms resolution on Linux). */
export type CpuSample = Map<number, number>;

/**
 * CPU time of a whole browser: the browser process, every renderer (pages, the extension's worker,
 * DevTools windows, extension pages), GPU and utility processes.
 */
export class CpuMeter {
  constructor(private readonly session: CDPSession) {}

  async sample(): Promise<CpuSample> {
    const { processInfo } = (await this.session.send('SystemInfo.getProcessInfo')) as {
      processInfo: { id: number; cpuTime: number }[];
    };
    return new Map(processInfo.map((process) => [process.id, process.cpuTime]));
  }

  /**
   * CPU seconds spent between two samples. A process that started in between counts from zero; one
   * that exited in between is lost for that interval (the bench samples often, so this is small).
   */
  static spent(before: CpuSample, after: CpuSample): number {
    let seconds = 0;
    for (const [id, cpu] of after) seconds += Math.max(0, cpu - (before.get(id) ?? 0));
    return seconds;
  }

  /**
   * Waits until the browser is quiet: less than `thresholdSeconds` of CPU over a `windowMs`
   * window, so work a round left behind (a worker or panel catching up) is charged to that round
   * and does not slow down the next browser's round. Returns the last sample and whether it got
   * quiet before `timeoutMs`.
   */
  async quiet(
    options: { windowMs?: number; thresholdSeconds?: number; timeoutMs?: number } = {},
  ): Promise<{ sample: CpuSample; quiet: boolean }> {
    const windowMs = options.windowMs ?? 250;
    const threshold = options.thresholdSeconds ?? 0.02;
    const deadline = Date.now() + (options.timeoutMs ?? 20_000);
    let previous = await this.sample();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, windowMs));
      const current = await this.sample();
      if (CpuMeter.spent(previous, current) <= threshold) return { sample: current, quiet: true };
      if (Date.now() > deadline) return { sample: current, quiet: false };
      previous = current;
    }
  }
}

/**
 * JS memory of one V8 isolate, in bytes, after garbage collection: the V8 heap, Blink's own
 * (Oilpan) heap that V8 reports as embedder memory, and the backing stores of ArrayBuffers and
 * external strings (bytes kept in typed arrays are there, not in the V8 heap).
 */
export interface HeapUsage {
  v8: number;
  embedder: number;
  backingStore: number;
  total: number;
}

interface HeapUsageAnswer {
  usedSize: number;
  embedderHeapUsedSize?: number;
  backingStorageSize?: number;
}

function heapUsage(answer: HeapUsageAnswer): HeapUsage {
  const embedder = answer.embedderHeapUsedSize ?? 0;
  const backingStore = answer.backingStorageSize ?? 0;
  return { v8: answer.usedSize, embedder, backingStore, total: answer.usedSize + embedder + backingStore };
}

/** A page's heap after GC. Content scripts (MAIN and ISOLATED worlds) live in the page's isolate, so this includes them. */
export async function pageHeap(context: BrowserContext, page: Page): Promise<HeapUsage> {
  const session = await context.newCDPSession(page);
  try {
    // Twice: the first collection can leave objects whose finalizers run before the second.
    await session.send('HeapProfiler.collectGarbage');
    await session.send('HeapProfiler.collectGarbage');
    return heapUsage((await session.send('Runtime.getHeapUsage')) as HeapUsageAnswer);
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/**
 * The heap of the service worker whose URL starts with `urlPrefix`, after GC, plus its target id
 * (a different id later means the worker was restarted in between).
 *
 * Playwright opens CDP sessions on pages and frames only, so this attaches to the worker from the
 * browser session the non-flattened way: commands go in `Target.sendMessageToTarget`, answers come
 * back as `Target.receivedMessageFromTarget` events.
 */
export async function workerHeap(session: CDPSession, urlPrefix: string): Promise<{ targetId: string; heap: HeapUsage }> {
  const { targetInfos } = (await session.send('Target.getTargets')) as {
    targetInfos: { targetId: string; type: string; url: string }[];
  };
  const worker = targetInfos.find((target) => target.type === 'service_worker' && target.url.startsWith(urlPrefix));
  if (worker === undefined) throw new Error(`no running service worker under ${urlPrefix}`);
  const { sessionId } = (await session.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false })) as {
    sessionId: string;
  };
  let nextId = 0;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const onMessage = (event: { sessionId: string; message: string }): void => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
    const pending = message.id === undefined ? undefined : waiting.get(message.id);
    if (pending === undefined) return;
    waiting.delete(message.id!);
    if (message.error) pending.reject(new Error(message.error.message));
    else pending.resolve(message.result);
  };
  const events = session as unknown as {
    on(name: string, listener: (event: { sessionId: string; message: string }) => void): void;
    off(name: string, listener: (event: { sessionId: string; message: string }) => void): void;
  };
  events.on('Target.receivedMessageFromTarget', onMessage);
  const call = (method: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, { resolve, reject });
      session
        .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) })
        .catch(reject);
    });
  try {
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    return { targetId: worker.targetId, heap: heapUsage((await call('Runtime.getHeapUsage')) as HeapUsageAnswer) };
  } finally {
    events.off('Target.receivedMessageFromTarget', onMessage);
    await session.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
  }
}
