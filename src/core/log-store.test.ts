import { describe, expect, it } from 'vitest';
import type { LogStats, PageRecord, StoredRecord } from '../protocol';
import { LogStore, rawTextOf } from './log-store';

// ---------------------------------------------------------------------------------------------
// helpers: records stamped the way the background's TabLog does (frameId + increasing seq)

let seq = 0;
function stored(record: PageRecord, frameId = 0): StoredRecord {
  return { ...record, frameId, seq: seq++ } as StoredRecord;
}

const open = (stream: string, time: number, extra: Partial<Extract<PageRecord, { type: 'stream-open' }>> = {}, frameId = 0) =>
  stored(
    {
      type: 'stream-open',
      stream,
      kind: 'fetch',
      url: `https://api.example.com/${stream}`,
      method: 'GET',
      requestHeaders: [{ name: 'Accept', value: 'text/event-stream' }],
      frameUrl: 'https://app.example.com/',
      time,
      ...extra,
    },
    frameId,
  );

const response = (stream: string, time: number, status = 200) =>
  stored({
    type: 'stream-response',
    stream,
    status,
    statusText: status === 200 ? 'OK' : 'Error',
    responseHeaders: [{ name: 'Content-Type', value: 'text/event-stream' }],
    contentType: 'text/event-stream',
    time,
  });

const state = (
  stream: string,
  s: 'connecting' | 'open' | 'closed' | 'error',
  time: number,
  reason?: Extract<PageRecord, { type: 'stream-state' }>['reason'],
  detail?: string,
) => stored({ type: 'stream-state', stream, state: s, time, ...(reason ? { reason } : {}), ...(detail ? { detail } : {}) });

const chunk = (stream: string, text: string, bytes: number, time: number) =>
  stored({ type: 'stream-chunk', stream, text, bytes, time });

const event = (stream: string, type: string, data: string, time: number, lastEventId = '') =>
  stored({ type: 'sse', stream, items: [{ kind: 'event', type, data, lastEventId, time }] });

const comment = (stream: string, text: string, time: number) =>
  stored({ type: 'sse', stream, items: [{ kind: 'comment', text, time }] });

// ---------------------------------------------------------------------------------------------

describe('LogStore: connections', () => {
  it('starts empty', () => {
    const store = new LogStore();
    expect(store.connectionList).toEqual([]);
    expect(store.items).toEqual([]);
    expect(store.captureIssues).toEqual([]);
    expect(store.stats).toEqual({ invalid: 0, dropped: 0, droppedReasons: [] });
    expect(store.version).toBe(0);
  });

  it('builds a connection from stream-open with every request field', () => {
    const store = new LogStore();
    store.apply([
      open('s1', 1000, {
        kind: 'xhr',
        method: 'POST',
        url: 'https://api.example.com/chat?x=1',
        requestBody: { mimeType: 'application/json', text: '{"q":1}' },
        withCredentials: true,
        frameUrl: 'https://app.example.com/page',
      }),
    ]);
    const c = store.connections.get('s1')!;
    expect(c).toMatchObject({
      id: 's1',
      kind: 'xhr',
      url: 'https://api.example.com/chat?x=1',
      method: 'POST',
      requestHeaders: [{ name: 'Accept', value: 'text/event-stream' }],
      requestBody: { mimeType: 'application/json', text: '{"q":1}' },
      withCredentials: true,
      frameUrl: 'https://app.example.com/page',
      frameId: 0,
      startTime: 1000,
      lastTime: 1000,
      state: 'connecting',
      transitions: [{ state: 'connecting', time: 1000 }],
      bytes: 0,
      chunks: [],
      eventCount: 0,
    });
    expect(c.response).toBeUndefined();
    expect(c.endTime).toBeUndefined();
    expect(c.eventTypes.size).toBe(0);
  });

  it('keeps the frame id the record was stamped with', () => {
    const store = new LogStore();
    store.apply([open('f', 5, {}, 7)]);
    expect(store.connections.get('f')!.frameId).toBe(7);
  });

  it('records the response', () => {
    const store = new LogStore();
    store.apply([
      open('s1', 1000),
      stored({
        type: 'stream-response',
        stream: 's1',
        status: 201,
        statusText: 'Created',
        responseHeaders: [{ name: 'X-Req', value: 'abc' }],
        contentType: 'text/plain',
        redirected: true,
        url: 'https://api.example.com/final',
        time: 1040,
      }),
    ]);
    const c = store.connections.get('s1')!;
    expect(c.response).toEqual({
      status: 201,
      statusText: 'Created',
      headers: [{ name: 'X-Req', value: 'abc' }],
      contentType: 'text/plain',
      redirected: true,
      url: 'https://api.example.com/final',
      time: 1040,
    });
    expect(c.lastTime).toBe(1040);
    // the request URL is not overwritten by the final URL
    expect(c.url).toBe('https://api.example.com/s1');
  });

  it('keeps connections in insertion order and separate from each other', () => {
    const store = new LogStore();
    store.apply([open('b', 20), open('a', 10), chunk('a', 'x', 1, 11), chunk('b', 'yy', 2, 21)]);
    expect(store.connectionList.map((c) => c.id)).toEqual(['b', 'a']);
    expect(store.connections.get('a')!.chunks).toEqual(['x']);
    expect(store.connections.get('b')!.chunks).toEqual(['yy']);
  });
});

describe('LogStore: states', () => {
  it('follows connecting → open → closed, recording each transition and the end time', () => {
    const store = new LogStore();
    store.apply([open('s', 100), response('s', 150), state('s', 'open', 151)]);
    let c = store.connections.get('s')!;
    expect(c.state).toBe('open');
    expect(c.endTime).toBeUndefined();
    expect(c.lastTime).toBe(151);

    store.apply([state('s', 'closed', 900, 'ended-by-server')]);
    c = store.connections.get('s')!;
    expect(c.state).toBe('closed');
    expect(c.stateReason).toBe('ended-by-server');
    expect(c.endTime).toBe(900);
    expect(c.lastTime).toBe(900);
    expect(c.transitions).toEqual([
      { state: 'connecting', time: 100 },
      { state: 'open', reason: undefined, detail: undefined, time: 151 },
      { state: 'closed', reason: 'ended-by-server', detail: undefined, time: 900 },
    ]);
  });

  it('sets endTime on error and clears it when an EventSource reconnects', () => {
    const store = new LogStore();
    store.apply([open('es', 0, { kind: 'eventsource' }), state('es', 'open', 10)]);
    store.apply([state('es', 'error', 50, 'reconnecting', 'Last-Event-ID: 7')]);
    let c = store.connections.get('es')!;
    expect(c.state).toBe('error');
    expect(c.stateReason).toBe('reconnecting');
    expect(c.endTime).toBe(50);
    expect(c.transitions.at(-1)).toEqual({ state: 'error', reason: 'reconnecting', detail: 'Last-Event-ID: 7', time: 50 });

    store.apply([state('es', 'connecting', 3050), state('es', 'open', 3060)]);
    c = store.connections.get('es')!;
    expect(c.state).toBe('open');
    expect(c.stateReason).toBeUndefined();
    expect(c.endTime).toBeUndefined();
    expect(c.transitions.map((t) => t.state)).toEqual(['connecting', 'open', 'error', 'connecting', 'open']);

    store.apply([state('es', 'closed', 4000, 'closed-by-page')]);
    expect(store.connections.get('es')!.endTime).toBe(4000);
  });

  it('lastTime never goes backwards when a record carries an older time', () => {
    const store = new LogStore();
    store.apply([open('s', 100), chunk('s', 'a', 1, 500), response('s', 200), state('s', 'open', 300)]);
    expect(store.connections.get('s')!.lastTime).toBe(500);
  });
});

describe('LogStore: chunks, items, events', () => {
  it('accumulates chunks and bytes; rawTextOf joins the chunks', () => {
    const store = new LogStore();
    store.apply([open('s', 0), chunk('s', 'data: é', 8, 1), chunk('s', '\n\n', 2, 2)]);
    const c = store.connections.get('s')!;
    expect(c.chunks).toEqual(['data: é', '\n\n']);
    expect(c.bytes).toBe(10);
    expect(c.lastTime).toBe(2);
    expect(rawTextOf(c)).toBe('data: é\n\n');
  });

  it('counts events and event types, but not comments or other items', () => {
    const store = new LogStore();
    store.apply([
      open('s', 0),
      event('s', 'message', 'a', 1),
      comment('s', 'ping', 2),
      event('s', 'update', 'b', 3),
      event('s', 'message', 'c', 4),
      stored({ type: 'sse', stream: 's', items: [{ kind: 'retry', milliseconds: 3000, time: 5 }] }),
      stored({ type: 'sse', stream: 's', items: [{ kind: 'field', name: 'foo', value: 'bar', time: 6 }] }),
      stored({ type: 'sse', stream: 's', items: [{ kind: 'warning', code: 'unknown-field', message: 'm', time: 7 }] }),
    ]);
    const c = store.connections.get('s')!;
    expect(c.eventCount).toBe(3);
    expect([...c.eventTypes]).toEqual([
      ['message', 2],
      ['update', 1],
    ]);
    expect(c.lastTime).toBe(7);
    expect(store.items.map((i) => i.item.kind)).toEqual(['event', 'comment', 'event', 'event', 'retry', 'field', 'warning']);
  });

  it('logs items across streams in arrival order with their seq and connection', () => {
    const store = new LogStore();
    const records = [
      open('a', 0),
      open('b', 0),
      event('a', 'message', '1', 1),
      event('b', 'tick', '2', 2),
      comment('a', 'hb', 3),
    ];
    store.apply(records);
    expect(store.items.map((i) => [i.seq, i.connectionId, i.item.kind])).toEqual([
      [records[2]!.seq, 'a', 'event'],
      [records[3]!.seq, 'b', 'event'],
      [records[4]!.seq, 'a', 'comment'],
    ]);
    expect(store.items[1]!.item).toEqual({ kind: 'event', type: 'tick', data: '2', lastEventId: '', time: 2 });
    expect(store.connections.get('a')!.eventCount).toBe(1);
    expect(store.connections.get('b')!.eventTypes.get('tick')).toBe(1);
  });
});

describe('LogStore: a request body read after the stream opened', () => {
  it("sets the connection's requestBody", () => {
    const store = new LogStore();
    store.apply([
      open('s', 100),
      stored({
        type: 'stream-request-body',
        stream: 's',
        body: { mimeType: 'application/json', text: '{"a":1}', size: 7 },
        time: 105,
      }),
    ]);
    const c = store.connections.get('s')!;
    expect(c.requestBody).toEqual({ mimeType: 'application/json', text: '{"a":1}', size: 7 });
    expect(c.method).toBe('GET');
    expect(c.startTime).toBe(100);
  });

  it('for an unknown stream, creates a placeholder holding the body', () => {
    const store = new LogStore();
    store.apply([stored({ type: 'stream-request-body', stream: 'g', body: { mimeType: 'text/plain', text: 'b' }, time: 9 })]);
    expect(store.connections.get('g')).toMatchObject({
      url: '(unknown stream)',
      startTime: 9,
      requestBody: { mimeType: 'text/plain', text: 'b' },
    });
  });
});

describe('LogStore: records for an unknown stream', () => {
  it('a chunk creates a visible placeholder connection', () => {
    const store = new LogStore();
    store.apply([stored({ type: 'stream-chunk', stream: 'ghost', text: 'data: x\n\n', bytes: 9, time: 42 }, 3)]);
    expect(store.connectionList).toHaveLength(1);
    const c = store.connections.get('ghost')!;
    expect(c).toMatchObject({
      id: 'ghost',
      url: '(unknown stream)',
      frameId: 3,
      startTime: 42,
      lastTime: 42,
      state: 'open',
      bytes: 9,
      chunks: ['data: x\n\n'],
      // Chunks are parsed here: the one event in it counts.
      eventCount: 1,
    });
  });

  it('an event creates a placeholder stamped with the event time, and is counted', () => {
    const store = new LogStore();
    store.apply([event('ghost', 'message', 'hi', 77)]);
    const c = store.connections.get('ghost')!;
    expect(c.startTime).toBe(77);
    expect(c.eventCount).toBe(1);
    expect(store.items).toHaveLength(1);
    expect(store.items[0]!.connectionId).toBe('ghost');
  });

  it('a state or response record creates a placeholder too', () => {
    const store = new LogStore();
    store.apply([state('g1', 'closed', 10, 'aborted'), response('g2', 20, 500)]);
    const g1 = store.connections.get('g1')!;
    expect(g1.state).toBe('closed');
    expect(g1.endTime).toBe(10);
    expect(g1.transitions).toEqual([{ state: 'closed', reason: 'aborted', detail: undefined, time: 10 }]);
    expect(store.connections.get('g2')!.response?.status).toBe(500);
    expect(store.connectionList.map((c) => c.url)).toEqual(['(unknown stream)', '(unknown stream)']);
  });
});

describe('LogStore: capture issues, stats, version, reset', () => {
  it('keeps capture issues without creating connections', () => {
    const store = new LogStore();
    const issue = stored({ type: 'capture-issue', message: 'fetch was replaced', time: 5 }, 2);
    store.apply([issue]);
    expect(store.captureIssues).toEqual([
      { type: 'capture-issue', message: 'fetch was replaced', time: 5, frameId: 2, seq: issue.seq },
    ]);
    expect(store.connectionList).toEqual([]);
    expect(store.items).toEqual([]);
  });

  it('replaces stats when given and keeps them otherwise', () => {
    const store = new LogStore();
    const stats: LogStats = { invalid: 3, dropped: 7, droppedReasons: [{ reason: 'tab-log-full:10240', count: 7 }] };
    store.apply([], stats);
    expect(store.stats).toEqual(stats);
    store.apply([open('s', 1)]);
    expect(store.stats).toEqual(stats);
    const next: LogStats = { invalid: 4, dropped: 7, droppedReasons: [] };
    store.apply([], next);
    expect(store.stats).toEqual(next);
  });

  it('bumps version on every apply and reset', () => {
    const store = new LogStore();
    store.apply([open('s', 1)]);
    expect(store.version).toBe(1);
    store.apply([chunk('s', 'a', 1, 2), chunk('s', 'b', 1, 3)]);
    expect(store.version).toBe(2);
    store.apply([]);
    expect(store.version).toBe(3);
    store.reset();
    expect(store.version).toBe(4);
  });

  it('reset() forgets connections, items, capture issues and stats', () => {
    const store = new LogStore();
    store.apply([open('s', 1), event('s', 'message', 'x', 2), stored({ type: 'capture-issue', message: 'm', time: 3 })], {
      invalid: 1,
      dropped: 2,
      droppedReasons: [{ reason: 'relay-malformed', count: 1 }],
    });
    store.reset();
    expect(store.connectionList).toEqual([]);
    expect(store.connections.size).toBe(0);
    expect(store.items).toEqual([]);
    expect(store.captureIssues).toEqual([]);
    expect(store.stats).toEqual({ invalid: 0, dropped: 0, droppedReasons: [] });
    // and the store works again afterwards
    store.apply([open('t', 10), event('t', 'message', 'y', 11)]);
    expect(store.connectionList.map((c) => c.id)).toEqual(['t']);
    expect(store.connections.get('t')!.eventCount).toBe(1);
  });
});
