/** Raw text of fetch/XHR streams: item spans in the LogStore, rawSliceOf / rawLengthOf. */
import { describe, expect, it } from 'vitest';
import { isPageRecord, type PageRecord, type StoredRecord } from '../protocol';
import { LogStore, rawLengthOf, rawSliceOf, rawTextOf, type Connection } from './log-store';

let seq = 0;
const stored = (record: PageRecord): StoredRecord => ({ ...record, frameId: 0, seq: seq++ }) as StoredRecord;
const open = (stream: string, kind: 'fetch' | 'xhr' | 'eventsource' = 'fetch') =>
  stored({
    type: 'stream-open',
    stream,
    kind,
    url: `https://x.test/${stream}`,
    method: 'GET',
    requestHeaders: [],
    frameUrl: '',
    time: 0,
  });
const chunk = (stream: string, text: string, time = 1) =>
  stored({ type: 'stream-chunk', stream, text, bytes: text.length, time });
const closed = (stream: string) => stored({ type: 'stream-state', stream, state: 'closed', time: 9 });

const connectionOf = (chunks: string[]): Connection => ({ chunks }) as unknown as Connection;

describe('rawSliceOf / rawLengthOf', () => {
  it('slice the joined chunks at any offsets, clamped', () => {
    const chunks = ['ab', '', 'cde', 'f', 'ghij'];
    const connection = connectionOf(chunks);
    const joined = chunks.join('');
    expect(rawLengthOf(connection)).toBe(joined.length);
    for (let start = -1; start <= joined.length + 1; start++) {
      for (let end = -1; end <= joined.length + 1; end++) {
        const expected = end <= start ? '' : joined.slice(Math.max(0, start), Math.max(0, end));
        expect(rawSliceOf(connection, start, end), `${start}..${end}`).toBe(expected);
      }
    }
  });

  it('follow chunks appended later', () => {
    const connection = connectionOf([]);
    expect(rawLengthOf(connection)).toBe(0);
    expect(rawSliceOf(connection, 0, 5)).toBe('');
    connection.chunks.push('hello ');
    expect(rawSliceOf(connection, 0, 5)).toBe('hello');
    connection.chunks.push('world');
    expect(rawLengthOf(connection)).toBe(11);
    expect(rawSliceOf(connection, 4, 8)).toBe('o wo');
  });
});

describe('LogStore: spans of parsed items', () => {
  it('every item of a fetch stream has the span of its raw text, across chunks', () => {
    const store = new LogStore();
    const parts = [': hi\r', '\ndata: {"a":', '1}\r\nid: 4\r', '\r\n', 'retry: x\n', 'data: 2\n\n'];
    store.apply([open('s'), ...parts.map((p) => chunk('s', p))]);
    const connection = store.connections.get('s')!;
    expect(rawTextOf(connection)).toBe(parts.join(''));
    const raw = store.items.map(({ item }) => [item.kind, rawSliceOf(connection, item.span!.start, item.span!.end)]);
    expect(raw).toEqual([
      ['comment', ': hi\r\n'],
      ['event', ': hi\r\ndata: {"a":1}\r\nid: 4\r\r\n'],
      ['warning', 'retry: x\n'],
      ['event', 'retry: x\ndata: 2\n\n'],
    ]);
  });

  it('a stream parsed again after it ended keeps indexing all its text', () => {
    const store = new LogStore();
    store.apply([open('s'), chunk('s', 'data: 1\n\ndata: 2'), closed('s'), chunk('s', '\n\ndata: 3\n\n')]);
    const connection = store.connections.get('s')!;
    const raw = store.items.map(({ item }) => rawSliceOf(connection, item.span!.start, item.span!.end));
    expect(raw).toEqual(['data: 1\n\n', 'data: 2', 'data: 3\n\n']);
  });

  it('EventSource items have no span, and a page cannot send one', () => {
    const item = { kind: 'event', type: 'message', data: 'x', lastEventId: '', time: 1 };
    expect(isPageRecord({ type: 'sse', stream: 'e', items: [item] })).toBe(true);
    expect(isPageRecord({ type: 'sse', stream: 'e', items: [{ ...item, span: { start: 0, end: 1 } }] })).toBe(false);
    const store = new LogStore();
    store.apply([open('e', 'eventsource'), stored({ type: 'sse', stream: 'e', items: [item] } as PageRecord)]);
    expect(store.items[0]!.item.span).toBeUndefined();
  });
});

describe('LogStore: framing (SSE or lines)', () => {
  const response = (stream: string, contentType: string, responseHeaders: { name: string; value: string }[] = []) =>
    stored({ type: 'stream-response', stream, status: 200, statusText: 'OK', responseHeaders, contentType, time: 0.5 });
  const records = (stream: string) =>
    (store(stream).itemsByConnection.get(stream) ?? []).map(({ item }) =>
      item.kind === 'event' ? `${item.type}:${item.data}` : item.kind,
    );
  let current: LogStore;
  const store = (_stream: string) => current;

  it('NDJSON: one record per line, not SSE, not mislabelled; spans and times as for SSE', () => {
    current = new LogStore();
    current.apply([
      open('n'),
      response('n', 'application/x-ndjson'),
      chunk('n', '{"a":1}\n{"b"', 1),
      chunk('n', ':2}\n', 2),
      closed('n'),
    ]);
    const connection = current.connections.get('n')!;
    expect(connection.framing).toBe('lines');
    expect(connection.mislabelled).toBe(false);
    expect(connection.eventCount).toBe(2);
    expect(records('n')).toEqual(['line:{"a":1}', 'line:{"b":2}']);
    const items = current.itemsByConnection.get('n')!;
    expect(items.map(({ item }) => item.time)).toEqual([1, 2]);
    expect(items.map(({ item }) => rawSliceOf(connection, item.span!.start, item.span!.end))).toEqual(['{"a":1}\n', '{"b":2}\n']);
  });

  it('the Vercel AI data stream header makes text/plain lines', () => {
    current = new LogStore();
    current.apply([
      open('v'),
      response('v', 'text/plain; charset=utf-8', [{ name: 'X-Vercel-AI-Data-Stream', value: 'v1' }]),
      chunk('v', '0:"Hi"\n0:" there"\nd:{"finishReason":"stop"}\n'),
    ]);
    expect(current.connections.get('v')!.framing).toBe('lines');
    expect(current.connections.get('v')!.mislabelled).toBe(false);
    expect(records('v')).toEqual(['line:0:"Hi"', 'line:0:" there"', 'line:d:{"finishReason":"stop"}']);
  });

  it('text/event-stream and EventSource are SSE', () => {
    current = new LogStore();
    current.apply([open('s'), response('s', 'text/event-stream'), chunk('s', 'data: 1\n\n'), open('e', 'eventsource')]);
    expect(current.connections.get('s')!.framing).toBe('sse');
    expect(current.connections.get('e')!.framing).toBe('sse');
    expect(records('s')).toEqual(['message:1']);
  });

  it('headers that do not say: the first whole line decides; chunks wait for it, keeping their times and spans', () => {
    current = new LogStore();
    current.apply([
      open('p'),
      response('p', 'text/plain'),
      chunk('p', '\n{"done"', 1),
      chunk('p', ':false}\n{"done":true}\n', 2),
    ]);
    expect(current.connections.get('p')!.framing).toBe('lines');
    expect(current.connections.get('p')!.mislabelled).toBe(false);
    expect(records('p')).toEqual(['line:{"done":false}', 'line:{"done":true}']);
    expect(current.itemsByConnection.get('p')!.map(({ item }) => item.span)).toEqual([
      { start: 1, end: 16 },
      { start: 16, end: 30 },
    ]);

    current = new LogStore();
    current.apply([open('m'), response('m', 'text/plain'), chunk('m', 'da', 1)]);
    expect(current.connections.get('m')!.framing).toBeUndefined();
    expect(records('m')).toEqual([]);
    current.apply([chunk('m', 'ta: x\n\n', 2)]);
    expect(current.connections.get('m')!.framing).toBe('sse');
    expect(current.connections.get('m')!.mislabelled).toBe(true);
    expect(records('m')).toEqual(['message:x']);
    expect(current.itemsByConnection.get('m')![0]!.item.time).toBe(2);
  });

  it('a broken SSE stream stays SSE (its warnings are the point); so does a stream that ends before a line', () => {
    current = new LogStore();
    current.apply([open('b'), chunk('b', 'Data: x\ndata: y\n\n'), open('c'), chunk('c', 'data: unterminated'), closed('c')]);
    expect(current.connections.get('b')!.framing).toBe('sse');
    expect(records('b')).toEqual(['field', 'warning', 'message:y']);
    expect(current.connections.get('c')!.framing).toBe('sse');
    expect(records('c')).toEqual(['warning']);
  });

  it('a final JSON line without its LF is a record when the stream ends', () => {
    current = new LogStore();
    current.apply([open('f'), chunk('f', '{"x":1}'), closed('f')]);
    expect(current.connections.get('f')!.framing).toBe('lines');
    expect(records('f')).toEqual(['line:{"x":1}']);
  });
});
