/** Raw text of fetch/XHR streams: item spans in the LogStore, rawSliceOf / rawLengthOf. */
import { describe, expect, it } from 'vitest';
import { isPageRecord, type PageRecord, type StoredRecord } from '../protocol';
import { LogStore, rawLengthOf, rawSliceOf, rawTextOf, type Connection } from './log-store';

let seq = 0;
const stored = (record: PageRecord): StoredRecord => ({ ...record, frameId: 0, seq: seq++ }) as StoredRecord;
const open = (stream: string, kind: 'fetch' | 'xhr' | 'eventsource' = 'fetch') =>
  stored({ type: 'stream-open', stream, kind, url: `https://x.test/${stream}`, method: 'GET', requestHeaders: [], frameUrl: '', time: 0 });
const chunk = (stream: string, text: string, time = 1) => stored({ type: 'stream-chunk', stream, text, bytes: text.length, time });
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
