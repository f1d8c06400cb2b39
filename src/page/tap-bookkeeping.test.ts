/**
 * The page-world tap's bookkeeping, without a browser: StreamTap turns what the page read into
 * records, PageLog holds them and sends them in the wire form when asked; the background's decoder
 * turns that back into records. Node has EventTarget, CustomEvent, TextEncoder and TextDecoder,
 * which is all these use.
 */
import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_CHARGE, PageLog } from './page-log';
import { isCapturedContentType, isCapturedResponse, mimeEssence, StreamTap } from './stream-tap';
import { PAGE_EVENT, PROTOCOL_VERSION, type PageControl, type PageRecord, type StoredRecord, type WireBatch } from '../protocol';
import { LogStore } from '../core/log-store';
import { decodeWireBatch, readBlobBatch, StreamDecoders } from '../background/wire-decode';

/** An EventTarget standing in for window, with a relay that collects batches. */
function relayedWindow(options: { ready?: boolean } = {}) {
  const target = new EventTarget();
  const batches: string[] = [];
  target.addEventListener(PAGE_EVENT.batch, (event) => batches.push((event as CustomEvent<string>).detail));
  const becomeReady = () => target.dispatchEvent(new CustomEvent(PAGE_EVENT.relayReady));
  if (options.ready !== false) target.addEventListener(PAGE_EVENT.pageHello, becomeReady);
  return { target, batches, becomeReady };
}

/** What the background makes of the batches: decoded records, none invalid. */
function records(batches: string[]): PageRecord[] {
  const decoders = new StreamDecoders();
  return batches.flatMap((json) => {
    const parsed = decodeWireBatch(json, decoders);
    if (parsed === null) throw new Error(`invalid batch: ${json.slice(0, 80)}`);
    expect(parsed.records.every((r) => r !== null)).toBe(true);
    return parsed.records.flatMap((r) => r ?? []);
  });
}

/** Records decoded from batches of the JSON or the plain clone form, each batch with decoders of its own. */
function records2(batches: unknown[]): PageRecord[] {
  return batches.flatMap((batch) =>
    decodeWireBatch(batch as string | object, new StreamDecoders())!.records.flatMap((r) => r ?? []),
  );
}

/** The relay passes on a control from the background. */
function control(target: EventTarget, value: Omit<PageControl, 'type'>): void {
  target.dispatchEvent(new CustomEvent(PAGE_EVENT.control, { detail: JSON.stringify({ type: 'control', ...value }) }));
}
/** The background asks for everything the document holds. */
const pull = (target: EventTarget) => control(target, { live: false, keep: false, send: 0 });

/** The panel's model of what the tap sent: events of fetch/XHR streams are parsed there. */
function modelOf(got: PageRecord[]): LogStore {
  const store = new LogStore();
  store.apply(got.map((record, seq) => ({ ...record, frameId: 0, seq }) as StoredRecord));
  return store;
}
const eventsOf = (store: LogStore) => store.items.flatMap(({ item }) => (item.kind === 'event' ? [item] : []));

const request = { kind: 'fetch' as const, url: 'http://127.0.0.1/s', method: 'GET', requestHeaders: [], time: 1000 };
const bytes = (text: string) => new TextEncoder().encode(text);

describe('StreamTap', () => {
  it('records open, response and raw chunks; events get the time of the chunk that completed them', () => {
    const { target, batches } = relayedWindow();
    const outbox = new PageLog(target, true);
    const tap = new StreamTap(outbox, request, 'http://127.0.0.1/page');
    tap.response({ status: 200, statusText: 'OK', responseHeaders: [], contentType: 'text/event-stream' }, 1001);
    tap.bytes(bytes('data: a\n\nda'), 0, 1002);
    tap.bytes(bytes('ta: b\n'), 11, 1003);
    tap.bytes(bytes('\n'), 17, 1004);
    tap.end(1005);
    pull(target);
    const got = records(batches);
    // The page sends raw chunks only: no parsed items (that work is done off the page's thread).
    expect(got.map((r) => r.type)).toEqual([
      'stream-open',
      'stream-response',
      'stream-chunk',
      'stream-chunk',
      'stream-chunk',
      'stream-state',
    ]);
    const events = eventsOf(modelOf(got));
    expect(events.map((e) => [e.data, e.time])).toEqual([
      ['a', 1002],
      ['b', 1004],
    ]);
    expect(
      got
        .filter((r) => r.type === 'stream-chunk')
        .map((r) => (r as { text: string }).text)
        .join(''),
    ).toBe('data: a\n\ndata: b\n\n');
    expect(got.at(-1)).toMatchObject({ type: 'stream-state', state: 'closed', reason: 'ended-by-server', time: 1005 });
    expect(new Set(got.map((r) => ('stream' in r ? r.stream : '')))).toEqual(new Set([tap.id]));
  });

  it('parses bytes once when tee()/clone() branches re-read them', () => {
    const { target, batches } = relayedWindow();
    const outbox = new PageLog(target, true);
    const tap = new StreamTap(outbox, request, '');
    const stream = 'data: 1\n\ndata: 2\n\n';
    // Branch A reads everything in two chunks; branch B re-reads in other chunk sizes, later.
    tap.bytes(bytes(stream.slice(0, 5)), 0);
    tap.bytes(bytes(stream.slice(0, 12)), 0); // overlaps 0..5, adds 5..12
    tap.bytes(bytes(stream.slice(5)), 5); // overlaps 5..12, adds the rest
    tap.bytes(bytes(stream.slice(12)), 12); // nothing new
    pull(target);
    const got = records(batches);
    expect(eventsOf(modelOf(got)).map((e) => e.data)).toEqual(['1', '2']);
    const raw = got.flatMap((r) => (r.type === 'stream-chunk' ? [r.text] : [])).join('');
    expect(raw).toBe(stream);
    const byteCount = got.reduce((sum, r) => sum + (r.type === 'stream-chunk' ? r.bytes : 0), 0);
    expect(byteCount).toBe(stream.length);
  });

  it('discards an unterminated final event at the end, and ignores anything after the end', () => {
    const { target, batches } = relayedWindow();
    const outbox = new PageLog(target, true);
    const tap = new StreamTap(outbox, { ...request, kind: 'xhr' }, '');
    tap.text('data: kept\n\ndata: lost');
    tap.end();
    tap.text('data: after\n\n');
    tap.setState('error', 'network-error');
    pull(target);
    const got = records(batches);
    const model = modelOf(got);
    expect(eventsOf(model).map((e) => e.data)).toEqual(['kept']);
    const warnings = model.items.flatMap(({ item }) => (item.kind === 'warning' ? [item.code] : []));
    expect(warnings).toEqual(['incomplete-final-event']);
    const states = got.flatMap((r) => (r.type === 'stream-state' ? [r.state] : []));
    expect(states).toEqual(['closed']);
  });

  it('groups consecutive EventSource items of one stream into one record', () => {
    const { target, batches } = relayedWindow();
    const outbox = new PageLog(target, true);
    const a = new StreamTap(outbox, { ...request, kind: 'eventsource' }, '');
    const b = new StreamTap(outbox, { ...request, kind: 'eventsource' }, '');
    const event = (tap: StreamTap, data: string) => tap.event('message', '', data, 1);
    event(a, 'a1');
    event(a, 'a2');
    event(b, 'b1');
    event(a, 'a3');
    pull(target);
    const sse = records(batches).flatMap((r) =>
      r.type === 'sse' ? [[r.stream, r.items.map((i) => (i as { data: string }).data)]] : [],
    );
    expect(sse).toEqual([
      [a.id, ['a1', 'a2']],
      [b.id, ['b1']],
      [a.id, ['a3']],
    ]);
  });

  it('gives each stream of a document its own id', () => {
    const { target } = relayedWindow();
    const outbox = new PageLog(target, true);
    const ids = new Set(Array.from({ length: 50 }, () => new StreamTap(outbox, request, '').id));
    expect(ids.size).toBe(50);
  });
});

describe('PageLog', () => {
  it('holds records until asked, then sends them in order from the index asked for', () => {
    const { target, batches } = relayedWindow();
    const log = new PageLog(target, true);
    for (let i = 0; i < 5; i++) log.add({ type: 'capture-issue', message: `m${i}`, time: i });
    expect(batches).toEqual([]);
    control(target, { live: false, keep: false, send: 2 });
    expect(batches).toHaveLength(1);
    expect(batches[0]!.startsWith('{"v":2,')).toBe(true);
    expect((JSON.parse(batches[0]!) as WireBatch).at).toBe(2);
    expect(records(batches).map((r) => (r as { message: string }).message)).toEqual(['m2', 'm3', 'm4']);
  });

  it('in live mode, sends new records by itself shortly after they come, from where it was', async () => {
    const { target, batches } = relayedWindow();
    const log = new PageLog(target, true);
    log.add({ type: 'capture-issue', message: 'before', time: 1 });
    control(target, { live: true, keep: false, send: 0 });
    expect(batches).toHaveLength(1);
    log.add({ type: 'capture-issue', message: 'later', time: 2 });
    expect(batches).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(batches).toHaveLength(2);
    expect((JSON.parse(batches[1]!) as WireBatch).at).toBe(1);
    expect(records(batches.slice(1)).map((r) => (r as { message: string }).message)).toEqual(['later']);
  });

  it('sends a large log in bounded batches, every record once, with their indices', () => {
    const { target, batches } = relayedWindow();
    const log = new PageLog(target, true);
    const chunk = new Uint8Array(256 * 1024).fill(0x61);
    const tap = new StreamTap(log, request, '');
    for (let i = 0; i < 64; i++) tap.bytes(chunk, i * chunk.length, i);
    pull(target);
    expect(batches.length).toBeGreaterThanOrEqual(4);
    let expectedAt = 0;
    for (const json of batches) {
      expect(json.length).toBeLessThan(8 * 1024 * 1024);
      const batch = JSON.parse(json) as WireBatch;
      expect(batch.at).toBe(expectedAt);
      expectedAt += batch.records.length;
    }
    expect(expectedAt).toBe(log.length);
    const text = records(batches)
      .flatMap((r) => (r.type === 'stream-chunk' ? [r.text] : []))
      .join('');
    expect(text.length).toBe(64 * chunk.length);
  });

  it('XHR: ranges of the growing responseText are cut when sent, each with its own time, in bounded pieces', () => {
    const { target, batches } = relayedWindow();
    const log = new PageLog(target, true);
    const tap = new StreamTap(log, { ...request, kind: 'xhr' }, '');
    let text = 'data: é1\n\n';
    tap.textRange(text, 0, 10);
    const first = text.length;
    text += 'data: 2\n\n' + 'x'.repeat(2_500_000) + '\n\n';
    tap.textRange(text, first, 20);
    pull(target);
    const chunks = records(batches).flatMap((r) => (r.type === 'stream-chunk' ? [r] : []));
    expect(chunks.map((c) => c.text).join('')).toBe(text);
    expect(chunks[0]).toMatchObject({ text: 'data: é1\n\n', time: 10 });
    expect(chunks.slice(1).every((c) => c.time === 20 && c.text.length <= 1024 * 1024)).toBe(true);
    expect(chunks.length).toBe(4);
  });

  it('copies the bytes: a page that reuses its buffer does not change what was captured', () => {
    const { target, batches } = relayedWindow();
    const log = new PageLog(target, true);
    const tap = new StreamTap(log, request, '');
    const buffer = bytes('data: one\n\n');
    tap.bytes(buffer, 0);
    buffer.fill(0x78);
    pull(target);
    expect(records(batches).flatMap((r) => (r.type === 'stream-chunk' ? [r.text] : []))).toEqual(['data: one\n\n']);
  });

  it('counts what its cap refuses, with the reason, and reports it in every batch', () => {
    const { target, batches } = relayedWindow();
    const log = new PageLog(target, true, 10_000);
    const tap = new StreamTap(log, { ...request, kind: 'eventsource' }, '');
    for (let i = 0; i < 200; i++) tap.event('message', `${i}`, 'x'.repeat(40), i);
    pull(target);
    const batch = JSON.parse(batches[0]!) as WireBatch;
    const kept = records(batches).flatMap((r) => (r.type === 'sse' ? r.items : [])).length;
    expect(kept).toBeGreaterThan(50);
    expect(kept).toBeLessThan(200);
    expect(batch.drops).toEqual([{ reason: 'page-log-full:10000', count: 200 - kept }]);
  });

  it('posts everything when the document goes away, if its log is to be kept', () => {
    const { target, batches } = relayedWindow();
    const log = new PageLog(target, false);
    log.add({ type: 'capture-issue', message: 'kept', time: 1 });
    target.dispatchEvent(new Event('pagehide'));
    expect(batches).toHaveLength(1);
    expect((JSON.parse(batches[0]!) as WireBatch).final).toBe(true);

    const top = relayedWindow();
    const topLog = new PageLog(top.target, true);
    topLog.add({ type: 'capture-issue', message: 'not kept', time: 1 });
    top.target.dispatchEvent(new Event('pagehide'));
    expect(top.batches).toHaveLength(0);
  });

  it('in the clone form, posts objects whose bulk is in two blobs (chunk bytes; texts and event strings), that decode to the same records', async () => {
    const build = (clone: boolean) => {
      const target = new EventTarget();
      const posted: unknown[] = [];
      target.addEventListener(PAGE_EVENT.batch, (event) => posted.push(structuredClone((event as CustomEvent<unknown>).detail)));
      const log = new PageLog(target, true, MAX_DOCUMENT_CHARGE, true);
      const fetchTap = new StreamTap(log, request, '');
      fetchTap.bytes(bytes('data: é€\n\n'), 0, 5);
      fetchTap.bytes(bytes('data: 2\n\n'), 13, 5);
      const xhrTap = new StreamTap(log, { ...request, kind: 'xhr' }, '');
      xhrTap.text('data: x😀\n\n', 6);
      const esTap = new StreamTap(log, { ...request, kind: 'eventsource' }, '');
      esTap.event('error', '7', '{"type":"overloaded"}\nline', 7);
      esTap.event('message', '8', 'ü', 8);
      control(target, { live: false, keep: false, send: 0, clone });
      return posted;
    };
    const cloned = build(true);
    expect(cloned).toHaveLength(1);
    const batch = cloned[0] as WireBatch;
    expect(batch.bytes).toBeInstanceOf(Blob);
    expect(batch.bytes!.size).toBe(bytes('data: é€\n\ndata: 2\n\n').byteLength);
    expect(await batch.text!.text()).toBe('data: x😀\n\nerror7{"type":"overloaded"}\nlinemessage8ü');
    const records = async (batches: unknown[]) => {
      const decoders = new StreamDecoders();
      const out: PageRecord[] = [];
      for (const posted of batches) {
        const wire = typeof posted === 'string' ? posted : await readBlobBatch(posted as object);
        out.push(...decodeWireBatch(wire!, decoders)!.records.flatMap((r) => r ?? []));
      }
      return out.map((r) => ('stream' in r ? { ...r, stream: 'S' } : r));
    };
    const viaJson = build(false);
    expect(typeof viaJson[0]).toBe('string');
    expect(await records(cloned)).toEqual(await records(viaJson));
    expect((await records(cloned)).filter((r) => r.type === 'stream-chunk').map((r) => (r as { text: string }).text)).toEqual([
      'data: é€\n\n',
      'data: 2\n\n',
      'data: x😀\n\n',
    ]);
  });

  it('in the clone form, falls back to records that carry their bytes when the page replaced the array iterator (a Blob would call it)', async () => {
    const target = new EventTarget();
    const posted: unknown[] = [];
    target.addEventListener(PAGE_EVENT.batch, (event) => posted.push(structuredClone((event as CustomEvent<unknown>).detail)));
    const log = new PageLog(target, true, MAX_DOCUMENT_CHARGE, true);
    new StreamTap(log, request, '').bytes(bytes('data: é\n\n'), 0, 5);
    const iteratorPrototype = Object.getPrototypeOf([][Symbol.iterator]()) as { next: unknown };
    const nativeNext = iteratorPrototype.next;
    let calledByUs = 0;
    iteratorPrototype.next = function (this: Iterator<unknown>) {
      calledByUs++;
      return (nativeNext as () => unknown).call(this);
    };
    try {
      control(target, { live: false, keep: false, send: 0, clone: true });
    } finally {
      iteratorPrototype.next = nativeNext;
    }
    expect(calledByUs).toBe(0);
    const batch = posted[0] as WireBatch;
    expect(batch.bytes).toBeUndefined();
    const chunk = batch.records.find((r) => r.type === 'stream-chunk') as { data?: Uint8Array };
    expect(chunk.data).toBeInstanceOf(Uint8Array);
    expect(
      records2(posted)
        .filter((r) => r.type === 'stream-chunk')
        .map((r) => (r as { text?: string }).text),
    ).toEqual(['data: é\n\n']);
  });

  it('refuses a blob-form batch whose sizes do not add up to its blobs', async () => {
    const chunk = { type: 'stream-chunk', stream: 's', size: 4, bytes: 4, time: 1 };
    const good = { v: PROTOCOL_VERSION, at: 0, records: [chunk], bytes: new Blob(['abcd']) };
    expect(await readBlobBatch(good)).not.toBeNull();
    expect(await readBlobBatch({ ...good, bytes: new Blob(['abc']) })).toBeNull();
    expect(await readBlobBatch({ ...good, bytes: new Blob(['abcde']) })).toBeNull();
    expect(await readBlobBatch({ ...good, bytes: 'abcd' })).toBeNull();
    const events = { type: 'sse-events', stream: 's', times: [1], lengths: [7, 0, 3] };
    expect(await readBlobBatch({ v: PROTOCOL_VERSION, at: 0, records: [events], text: new Blob(['messageabc']) })).not.toBeNull();
    expect(await readBlobBatch({ v: PROTOCOL_VERSION, at: 0, records: [events], text: new Blob(['messageab']) })).toBeNull();
  });

  it('ignores forged controls, and throws nothing into the page', () => {
    const { target, batches } = relayedWindow();
    const log = new PageLog(target, true);
    log.add({ type: 'capture-issue', message: 'x', time: 1 });
    for (const detail of [
      '',
      '{',
      'null',
      '{"type":"control"}',
      '{"type":"control","live":true,"keep":false,"send":-1}',
      'x'.repeat(1000),
      42,
      null,
    ]) {
      expect(() => target.dispatchEvent(new CustomEvent(PAGE_EVENT.control, { detail }))).not.toThrow();
    }
    expect(batches).toEqual([]);
  });

  it('builds and posts its batches without running code the page put on the built-in prototypes', () => {
    // (The test's own code must not trip the hooks either: no push, no JSON.stringify while they are on.)
    const pullDetail = JSON.stringify({ type: 'control', live: false, keep: false, send: 0 });
    const send = () => {
      const target = new EventTarget();
      let batches = '';
      target.addEventListener(PAGE_EVENT.batch, (event) => (batches += (event as CustomEvent<string>).detail));
      const log = new PageLog(target, true);
      const tap = new StreamTap(
        log,
        { ...request, kind: 'eventsource', requestHeaders: [{ name: 'a', value: 'b' }] },
        'http://p/',
      );
      tap.event('message', '1', 'a', 2);
      tap.event('message', '2', 'b', 3);
      target.dispatchEvent(new CustomEvent(PAGE_EVENT.control, { detail: pullDetail }));
      return batches.replace(/"stream":"[^"]+"/g, '"stream":"S"');
    };
    const clean = send();
    let calls = '';
    const descriptors = ['0', '1', '2'];
    for (const index of descriptors) {
      Object.defineProperty(Array.prototype, index, {
        configurable: true,
        set(value) {
          calls += `Array.prototype[${index}] `;
          Object.defineProperty(this, index, { value, writable: true, enumerable: true, configurable: true });
        },
      });
    }
    Object.defineProperty(Object.prototype, 'toJSON', {
      configurable: true,
      get() {
        calls += 'toJSON ';
        return undefined;
      },
    });
    let posted: string;
    try {
      posted = send();
    } finally {
      for (const index of descriptors) delete (Array.prototype as unknown as Record<string, unknown>)[index];
      delete (Object.prototype as { toJSON?: unknown }).toJSON;
    }
    expect(calls).toBe('');
    expect(posted).toBe(clean);
  });
});

describe('mimeEssence', () => {
  it('compares media types without case, parameters or spaces', () => {
    expect(mimeEssence('Text/Event-Stream; charset=utf-8')).toBe('text/event-stream');
    expect(mimeEssence(' text/event-stream ')).toBe('text/event-stream');
    expect(mimeEssence('text/event-streams')).toBe('text/event-streams');
    expect(mimeEssence(null)).toBe('');
  });
});

describe('isCapturedContentType', () => {
  it('captures text/event-stream always, and likely mislabelled types only when the request asked for SSE', () => {
    expect(isCapturedContentType('text/event-stream;charset=utf-8', false)).toBe(true);
    for (const type of ['text/plain; charset=utf-8', 'application/octet-stream', '']) {
      expect(isCapturedContentType(type, true)).toBe(true);
      expect(isCapturedContentType(type, false)).toBe(false);
    }
    expect(isCapturedContentType('application/json', true)).toBe(false);
    expect(isCapturedContentType('text/html', true)).toBe(false);
  });
});

describe('isCapturedResponse', () => {
  it('also captures NDJSON streams and Vercel AI data streams, and nothing else new', () => {
    expect(isCapturedResponse([], 'application/x-ndjson', false)).toBe(true);
    expect(isCapturedResponse([], 'Application/JSONL; charset=utf-8', false)).toBe(true);
    expect(isCapturedResponse([{ name: 'x-vercel-ai-data-stream', value: 'v1' }], 'text/plain; charset=utf-8', false)).toBe(true);
    expect(isCapturedResponse([{ name: 'X-Vercel-AI-Data-Stream', value: 'v1' }], 'text/plain', false)).toBe(true);
    expect(isCapturedResponse([], 'text/plain; charset=utf-8', false)).toBe(false);
    expect(isCapturedResponse([{ name: 'content-type', value: 'application/json' }], 'application/json', false)).toBe(false);
    expect(isCapturedResponse([], 'text/event-stream', false)).toBe(true);
  });
});
