// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { buildHar } from '../core/har';
import { LogStore } from '../core/log-store';
import { richStore } from '../../test/fixtures/stores';
import { IMPORT_SLICE, runImport, type ImportMessage, type ImportRequest } from './har-import-job';
import { readHarFile, type WorkerLike } from './har-reader';

vi.mock('./i18n', () => import('./i18n.test-double'));

const rich = richStore();
const OWN_HAR = JSON.stringify(buildHar(rich.connectionList, rich.items, { creatorVersion: '0.1.0' }));
const file = (text: string, name = 'x.har') => new File([text], name);

/** A Chrome-style HAR with one fetch SSE response of `events` events. */
function chromeHar(events: number): string {
  const text = Array.from({ length: events }, (_, i) => `event: token\nid: ${i}\ndata: {"t":"tok${i}"}\n\n`).join('');
  return JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      entries: [
        {
          startedDateTime: '2026-03-02T09:30:01.250Z',
          time: 60_000,
          _resourceType: 'fetch',
          request: { method: 'POST', url: 'https://api.example.com/v1/chat', headers: [] },
          response: {
            status: 200,
            statusText: '',
            headers: [],
            content: { mimeType: 'text/event-stream', size: text.length, text },
          },
          timings: { blocked: 1, send: 1, wait: 10, receive: 59_000 },
        },
      ],
    },
  });
}

/** A worker stand-in: runs the job asynchronously, message by message, as a real worker would. */
class FakeWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<ImportMessage>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  terminated = false;
  posted: ImportMessage[] = [];
  constructor(private readonly crashAfter = Infinity) {}
  postMessage(request: ImportRequest): void {
    void runImport(request, (message) => {
      this.posted.push(message);
      const n = this.posted.length;
      setTimeout(() => {
        if (this.terminated) return;
        if (n > this.crashAfter) {
          if (n === this.crashAfter + 1) this.onerror?.({ message: 'Out of memory', preventDefault() {} } as ErrorEvent);
          return;
        }
        this.onmessage?.({ data: message } as MessageEvent<ImportMessage>);
      }, 0);
    });
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('readHarFile', () => {
  it('parses in the worker and fills a store of its own, slice by slice', async () => {
    const worker = new FakeWorker();
    const progress: number[] = [];
    const result = await readHarFile(file(chromeHar(25_000), 'big.har'), undefined, {
      startWorker: () => worker,
      onProgress: (items) => progress.push(items),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.summary).toMatchObject({ streams: 1, events: 25_000 });
    expect(result.store.connectionList[0]!.eventCount).toBe(25_000);
    // 25k event chunks plus open/response/state records: three slices, each applied on its own.
    expect(worker.posted.filter((m) => m.type === 'records')).toHaveLength(Math.ceil((25_000 + 4) / IMPORT_SLICE));
    expect(progress.length).toBe(3);
    expect(worker.terminated).toBe(true);
  });

  it('imports a Chrome HAR whose stream has 200k events (no "Maximum call stack size exceeded")', async () => {
    const started = performance.now();
    const result = await readHarFile(file(chromeHar(200_000), 'long.har'), undefined, { startWorker: () => null });
    expect(result.ok && result.store.items.length).toBe(200_000);
    expect(performance.now() - started).toBeLessThan(30_000);
  }, 60_000);

  it('a worker that dies ends in a clear message, and the worker is stopped', async () => {
    const worker = new FakeWorker(1);
    const result = await readHarFile(file(OWN_HAR, 'session.har'), undefined, { startWorker: () => worker });
    expect(result).toEqual({ ok: false, message: 'importErrorFailed(session.har|Out of memory)' });
    expect(worker.terminated).toBe(true);
  });

  it('a worker that cannot start: the job runs here', async () => {
    const result = await readHarFile(file(OWN_HAR, 'session.har'), undefined, {
      startWorker: () => {
        throw new Error('SecurityError');
      },
    });
    expect(result.ok && result.summary.streams).toBe(5);
  });

  it('an unexpected exception while building the view becomes a message', async () => {
    const apply = vi.spyOn(LogStore.prototype, 'apply').mockImplementationOnce(() => {
      throw new RangeError('Invalid array length');
    });
    const result = await readHarFile(file(OWN_HAR, 'odd.har'), undefined, { startWorker: () => new FakeWorker() });
    apply.mockRestore();
    expect(result).toEqual({ ok: false, message: 'importErrorFailed(odd.har|Invalid array length)' });
  });
});
