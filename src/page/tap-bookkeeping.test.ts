/**
 * The page-world tap's bookkeeping, without a browser: StreamTap turns what the page read into
 * records, Outbox batches them for the relay. Node has EventTarget, CustomEvent and TextDecoder,
 * which is all these two use.
 */
import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox';
import { isCapturedContentType, mimeEssence, StreamTap } from './stream-tap';
import { PAGE_EVENT, parsePageBatch, type PageRecord, type StoredRecord } from '../protocol';
import { LogStore } from '../core/log-store';

/** An EventTarget standing in for window, with a relay that collects batches. */
function relayedWindow(options: { ready?: boolean } = {}) {
  const target = new EventTarget();
  const batches: string[] = [];
  target.addEventListener(PAGE_EVENT.batch, (event) => batches.push((event as CustomEvent<string>).detail));
  const becomeReady = () => target.dispatchEvent(new CustomEvent(PAGE_EVENT.relayReady));
  if (options.ready !== false) target.addEventListener(PAGE_EVENT.pageHello, becomeReady);
  return { target, batches, becomeReady };
}

function records(batches: string[]): PageRecord[] {
  return batches.flatMap((json) => {
    const parsed = parsePageBatch(json);
    if (parsed === null) throw new Error(`invalid batch: ${json.slice(0, 80)}`);
    expect(parsed.invalid).toBe(0);
    return parsed.records;
  });
}

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
    const outbox = new Outbox(target);
    const tap = new StreamTap(outbox, request, 'http://127.0.0.1/page');
    tap.response({ status: 200, statusText: 'OK', responseHeaders: [], contentType: 'text/event-stream' }, 1001);
    tap.bytes(bytes('data: a\n\nda'), 0, 1002);
    tap.bytes(bytes('ta: b\n'), 11, 1003);
    tap.bytes(bytes('\n'), 17, 1004);
    tap.end(1005);
    outbox.flush();
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
    expect(got.filter((r) => r.type === 'stream-chunk').map((r) => (r as { text: string }).text).join('')).toBe(
      'data: a\n\ndata: b\n\n',
    );
    expect(got.at(-1)).toMatchObject({ type: 'stream-state', state: 'closed', reason: 'ended-by-server', time: 1005 });
    expect(new Set(got.map((r) => ('stream' in r ? r.stream : '')))).toEqual(new Set([tap.id]));
  });

  it('parses bytes once when tee()/clone() branches re-read them', () => {
    const { target, batches } = relayedWindow();
    const outbox = new Outbox(target);
    const tap = new StreamTap(outbox, request, '');
    const stream = 'data: 1\n\ndata: 2\n\n';
    // Branch A reads everything in two chunks; branch B re-reads in other chunk sizes, later.
    tap.bytes(bytes(stream.slice(0, 5)), 0);
    tap.bytes(bytes(stream.slice(0, 12)), 0); // overlaps 0..5, adds 5..12
    tap.bytes(bytes(stream.slice(5)), 5); // overlaps 5..12, adds the rest
    tap.bytes(bytes(stream.slice(12)), 12); // nothing new
    outbox.flush();
    const got = records(batches);
    expect(eventsOf(modelOf(got)).map((e) => e.data)).toEqual(['1', '2']);
    const raw = got.flatMap((r) => (r.type === 'stream-chunk' ? [r.text] : [])).join('');
    expect(raw).toBe(stream);
    const byteCount = got.reduce((sum, r) => sum + (r.type === 'stream-chunk' ? r.bytes : 0), 0);
    expect(byteCount).toBe(stream.length);
  });

  it('discards an unterminated final event at the end, and ignores anything after the end', () => {
    const { target, batches } = relayedWindow();
    const outbox = new Outbox(target);
    const tap = new StreamTap(outbox, { ...request, kind: 'xhr' }, '');
    tap.text('data: kept\n\ndata: lost');
    tap.end();
    tap.text('data: after\n\n');
    tap.setState('error', 'network-error');
    outbox.flush();
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
    const outbox = new Outbox(target);
    const a = new StreamTap(outbox, { ...request, kind: 'eventsource' }, '');
    const b = new StreamTap(outbox, { ...request, kind: 'eventsource' }, '');
    const event = (data: string) => ({ kind: 'event' as const, type: 'message', data, lastEventId: '', time: 1 });
    a.item(event('a1'));
    a.item(event('a2'));
    b.item(event('b1'));
    a.item(event('a3'));
    outbox.flush();
    const sse = records(batches).flatMap((r) => (r.type === 'sse' ? [[r.stream, r.items.map((i) => (i as { data: string }).data)]] : []));
    expect(sse).toEqual([
      [a.id, ['a1', 'a2']],
      [b.id, ['b1']],
      [a.id, ['a3']],
    ]);
  });

  it('gives each stream of a document its own id', () => {
    const { target } = relayedWindow();
    const outbox = new Outbox(target);
    const ids = new Set(Array.from({ length: 50 }, () => new StreamTap(outbox, request, '').id));
    expect(ids.size).toBe(50);
  });
});

describe('Outbox', () => {
  it('holds records until the relay answers, then sends them in order in one batch', () => {
    const { target, batches, becomeReady } = relayedWindow({ ready: false });
    const outbox = new Outbox(target);
    for (let i = 0; i < 5; i++) outbox.add({ type: 'capture-issue', message: `m${i}`, time: i });
    outbox.flush();
    expect(batches).toEqual([]);
    becomeReady();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.startsWith('{"v":1,')).toBe(true);
    expect(records(batches).map((r) => (r as { message: string }).message)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('flushes by itself shortly after the first record', async () => {
    const { target, batches } = relayedWindow();
    const outbox = new Outbox(target);
    outbox.add({ type: 'capture-issue', message: 'later', time: 1 });
    expect(batches).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(batches).toHaveLength(1);
  });

  it('sends large bursts in bounded batches', () => {
    const { target, batches } = relayedWindow();
    const outbox = new Outbox(target);
    for (let i = 0; i < 10_000; i++) outbox.add({ type: 'capture-issue', message: 'x', time: i });
    outbox.flush();
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(records(batches)).toHaveLength(10_000);
    for (const batch of batches) expect(parsePageBatch(batch)!.records.length).toBeLessThanOrEqual(4000);
  });

  it('counts what its waiting cap drops, and reports it with the next batch', () => {
    const { target, batches, becomeReady } = relayedWindow({ ready: false });
    const outbox = new Outbox(target);
    for (let i = 0; i < 200_003; i++) outbox.add({ type: 'capture-issue', message: '', time: 0 });
    becomeReady();
    const parsed = parsePageBatch(batches[0]!)!;
    expect(parsed.dropped).toBe(3);
    expect(parsed.records).toHaveLength(200_000);
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
