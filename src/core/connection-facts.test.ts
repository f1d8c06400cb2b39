import { describe, expect, it } from 'vitest';
import { LogStore } from './log-store';
import { reconnectChain, retryInForce } from './connection-facts';
import type { PageRecord, StoredRecord } from '../protocol';

function storeOf(records: PageRecord[]): LogStore {
  const store = new LogStore();
  store.apply(records.map((r, seq) => ({ ...r, frameId: 0, seq }) as StoredRecord));
  return store;
}

const open = (stream: string, kind: 'eventsource' | 'fetch'): PageRecord => ({
  type: 'stream-open',
  stream,
  kind,
  url: 'http://127.0.0.1/s',
  method: 'GET',
  requestHeaders: [],
  frameUrl: '',
  time: 0,
});

describe('reconnectChain', () => {
  it('lists each reconnect with the Last-Event-ID sent and when the stream reopened', () => {
    const store = storeOf([
      open('e', 'eventsource'),
      { type: 'stream-state', stream: 'e', state: 'open', time: 10 },
      { type: 'stream-state', stream: 'e', state: 'connecting', reason: 'reconnecting', detail: 'Last-Event-ID: 5', time: 100 },
      { type: 'stream-state', stream: 'e', state: 'open', time: 1100 },
      { type: 'stream-state', stream: 'e', state: 'connecting', reason: 'reconnecting', detail: 'Last-Event-ID: ', time: 2000 },
      { type: 'stream-state', stream: 'e', state: 'closed', reason: 'closed-by-page', time: 2500 },
    ]);
    expect(reconnectChain(store.connections.get('e')!)).toEqual([
      { droppedAt: 100, lastEventId: '5', reopenedAt: 1100 },
      { droppedAt: 2000, lastEventId: '' },
    ]);
  });

  it('is empty for a stream that never dropped', () => {
    const store = storeOf([open('e', 'eventsource'), { type: 'stream-state', stream: 'e', state: 'open', time: 10 }]);
    expect(reconnectChain(store.connections.get('e')!)).toEqual([]);
  });
});

describe('retryInForce', () => {
  it('is the last retry the stream sent, per connection', () => {
    const store = storeOf([
      open('f', 'fetch'),
      open('g', 'fetch'),
      { type: 'stream-chunk', stream: 'f', text: 'retry: 3000\n\nretry: 1500\n\n', bytes: 26, time: 1 },
      { type: 'stream-chunk', stream: 'g', text: 'retry: 99\n\n', bytes: 11, time: 2 },
    ]);
    expect(retryInForce(store.items, 'f')).toBe(1500);
    expect(retryInForce(store.items, 'g')).toBe(99);
    expect(retryInForce(store.items, 'none')).toBeUndefined();
  });
});

describe('mislabelled streams', () => {
  it('are flagged when the response is not text/event-stream', () => {
    const response = (stream: string, contentType: string): PageRecord => ({
      type: 'stream-response',
      stream,
      status: 200,
      statusText: 'OK',
      responseHeaders: [],
      contentType,
      time: 1,
    });
    const store = storeOf([
      open('a', 'fetch'),
      response('a', 'Text/Event-Stream; charset=utf-8'),
      open('b', 'fetch'),
      response('b', 'text/plain'),
      open('c', 'fetch'),
      response('c', ''),
    ]);
    expect(['a', 'b', 'c'].map((id) => store.connections.get(id)!.mislabelled)).toEqual([false, true, true]);
  });
});
