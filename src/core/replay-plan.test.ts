import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../protocol';
import { LogStore, type Connection } from './log-store';
import {
  defaultReplayTarget,
  eventsOf,
  liveEventSources,
  mockRecording,
  replaySchedule,
  serializeSse,
  speedFactor,
} from './replay-plan';
import { SseTextParser } from './sse-parser';
import type { SseItem } from './sse-types';

const T = 1_768_471_200_000;

/** An EventSource stream: opened at T, open at T+50, events every 200 ms from T+100, ended by the server at T+1000. */
function esRecords(stream = 'es-1', url = 'http://h/events?x=1'): StoredRecord[] {
  let seq = 0;
  const r = (record: Record<string, unknown>) => ({ ...record, stream, frameId: 2, seq: seq++ }) as unknown as StoredRecord;
  return [
    r({ type: 'stream-open', kind: 'eventsource', url, method: 'GET', requestHeaders: [], frameUrl: 'http://h/', time: T }),
    r({
      type: 'stream-response',
      status: 200,
      statusText: 'OK',
      responseHeaders: [],
      contentType: 'text/event-stream',
      time: T + 50,
    }),
    r({ type: 'stream-state', state: 'open', time: T + 50 }),
    r({
      type: 'sse',
      items: [1, 2, 3, 4].map((i) => ({
        kind: 'event',
        type: i === 3 ? 'tick' : 'message',
        data: `d${i}`,
        lastEventId: `${i}`,
        time: T + 100 + (i - 1) * 200,
      })),
    }),
    r({ type: 'stream-state', state: 'connecting', reason: 'reconnecting', time: T + 1000 }),
    r({ type: 'stream-state', state: 'closed', reason: 'closed-by-page', time: T + 1500 }),
  ];
}

const RAW = [': hi\n\n', 'id: 1\ndata: a\n\n', 'event: x\ndata: b\ndata: c\n\n', 'data: d\n\n'];

function fetchRecords(stream = 'f-1'): StoredRecord[] {
  let seq = 100;
  const r = (record: Record<string, unknown>) => ({ ...record, stream, frameId: 0, seq: seq++ }) as unknown as StoredRecord;
  return [
    r({
      type: 'stream-open',
      kind: 'fetch',
      url: 'http://h/chat',
      method: 'POST',
      requestHeaders: [],
      frameUrl: 'http://h/',
      time: T,
    }),
    r({
      type: 'stream-response',
      status: 201,
      statusText: 'Created',
      responseHeaders: [
        { name: 'content-type', value: 'text/event-stream' },
        { name: 'x-a', value: '1' },
      ],
      contentType: 'text/event-stream',
      time: T + 300,
    }),
    r({ type: 'stream-state', state: 'open', time: T + 300 }),
    ...RAW.map((text, i) => r({ type: 'stream-chunk', text, bytes: text.length, time: T + 400 + i * 100 })),
    r({ type: 'stream-state', state: 'closed', reason: 'ended-by-server', time: T + 900 }),
  ];
}

function storeOf(...records: StoredRecord[][]): LogStore {
  const store = new LogStore();
  store.apply(records.flat());
  return store;
}

const parse = (text: string): SseItem[] => {
  const out: SseItem[] = [];
  const parser = new SseTextParser();
  parser.push(text, 0, out);
  parser.end(0, out);
  return out;
};

describe('replaySchedule', () => {
  const store = storeOf(esRecords());
  const items = store.itemsByConnection.get('es-1')!;

  it('keeps the recorded gaps at 1×, relative to the first replayed event', () => {
    expect(replaySchedule(items, '1')).toEqual([
      { at: 0, type: 'message', data: 'd1', lastEventId: '1' },
      { at: 200, type: 'message', data: 'd2', lastEventId: '2' },
      { at: 400, type: 'tick', data: 'd3', lastEventId: '3' },
      { at: 600, type: 'message', data: 'd4', lastEventId: '4' },
    ]);
  });

  it('divides them by the speed; instant is all at 0', () => {
    expect(replaySchedule(items, '0.5').map((e) => e.at)).toEqual([0, 400, 800, 1200]);
    expect(replaySchedule(items, '2').map((e) => e.at)).toEqual([0, 100, 200, 300]);
    expect(replaySchedule(items, '10').map((e) => e.at)).toEqual([0, 20, 40, 60]);
    expect(replaySchedule(items, 'instant').map((e) => e.at)).toEqual([0, 0, 0, 0]);
    expect(speedFactor('instant')).toBe(Infinity);
  });

  it('replays a range from its own first event, and applies data edits by item id', () => {
    const range = items.slice(1, 3);
    const edits = new Map([[range[1]!.id, 'edited']]);
    expect(replaySchedule(range, '1', edits)).toEqual([
      { at: 0, type: 'message', data: 'd2', lastEventId: '2' },
      { at: 200, type: 'tick', data: 'edited', lastEventId: '3' },
    ]);
  });

  it('skips items that are not events and never goes back in time', () => {
    const logged = [
      { id: 0, seq: 0, connectionId: 'c', item: { kind: 'comment', text: 'x', time: T } as SseItem },
      {
        id: 1,
        seq: 0,
        connectionId: 'c',
        item: { kind: 'event', type: 'message', data: 'a', lastEventId: '', time: T + 100 } as SseItem,
      },
      {
        id: 2,
        seq: 0,
        connectionId: 'c',
        item: { kind: 'event', type: 'message', data: 'b', lastEventId: '', time: T + 50 } as SseItem,
      },
    ];
    expect(replaySchedule(logged, '1').map((e) => [e.at, e.data])).toEqual([
      [0, 'a'],
      [0, 'b'],
    ]);
    expect(eventsOf(logged).map((l) => l.id)).toEqual([1, 2]);
  });
});

describe('serializeSse', () => {
  it('writes items back as SSE text that parses to the same events', () => {
    const items: SseItem[] = [
      { kind: 'comment', text: ' hello', time: 0 },
      { kind: 'retry', milliseconds: 3000, time: 0 },
      { kind: 'event', type: 'message', data: 'a', lastEventId: '', time: 0 },
      { kind: 'event', type: 'update', data: 'line 1\nline 2\r\nline 3', lastEventId: '7', time: 0 },
      { kind: 'event', type: 'message', data: ' leading space', lastEventId: '7', time: 0 },
      { kind: 'event', type: 'message', data: '', lastEventId: '7', idSet: true, time: 0 },
      { kind: 'event', type: 'message', data: 'reset', lastEventId: '', time: 0 },
      { kind: 'warning', code: 'unknown-field', message: 'x', time: 0 },
    ];
    const text = serializeSse(items);
    expect(text).toBe(
      ': hello\nretry: 3000\ndata: a\n\nid: 7\nevent: update\ndata: line 1\ndata: line 2\ndata: line 3\n\n' +
        'data:  leading space\n\nid: 7\ndata: \n\nid: \ndata: reset\n\n',
    );
    const events = parse(text).flatMap((item) => (item.kind === 'event' ? [[item.type, item.data, item.lastEventId]] : []));
    expect(events).toEqual([
      ['message', 'a', ''],
      ['update', 'line 1\nline 2\nline 3', '7'],
      ['message', ' leading space', '7'],
      ['message', '', '7'],
      ['message', 'reset', ''],
    ]);
  });
});

describe('mockRecording', () => {
  const store = storeOf(esRecords(), fetchRecords());
  const es = store.connections.get('es-1')!;
  const esItems = store.itemsByConnection.get('es-1')!;
  const fetched = store.connections.get('f-1')!;
  const fetchItems = store.itemsByConnection.get('f-1')!;

  it('a whole unedited fetch recording keeps its raw chunks, status, headers and times', () => {
    const recording = mockRecording(fetched, fetchItems, { speed: '1' });
    expect(recording).toMatchObject({
      source: 'http://h/chat',
      status: 201,
      statusText: 'Created',
      headers: [
        { name: 'content-type', value: 'text/event-stream' },
        { name: 'x-a', value: '1' },
      ],
      responseAt: 300,
      endAt: 900,
    });
    expect(recording.chunks).toEqual(RAW.map((text, i) => ({ at: 400 + i * 100, text })));
    expect(recording.events.map((e) => [e.at, e.type, e.data, e.lastEventId])).toEqual([
      [500, 'message', 'a', '1'],
      [600, 'x', 'b\nc', '1'],
      [700, 'message', 'd', '1'],
    ]);
  });

  it('at another speed every time is divided by it', () => {
    const recording = mockRecording(fetched, fetchItems, { speed: '2' });
    expect(recording.responseAt).toBe(150);
    expect(recording.chunks.map((c) => c.at)).toEqual([200, 250, 300, 350]);
    expect(recording.endAt).toBe(450);
    const instant = mockRecording(fetched, fetchItems, { speed: 'instant' });
    expect([instant.responseAt, instant.endAt, ...instant.chunks.map((c) => c.at)]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('an edited fetch recording is written back as SSE text with the edits', () => {
    const edited = eventsOf(fetchItems)[1]!;
    const recording = mockRecording(fetched, fetchItems, { speed: '1', edits: new Map([[edited.id, 'NEW']]) });
    const text = recording.chunks.map((c) => c.text).join('');
    expect(parse(text).flatMap((i) => (i.kind === 'event' ? [i.data] : []))).toEqual(['a', 'NEW', 'd']);
    expect(text).toContain(': hi\n');
    expect(recording.events.map((e) => e.data)).toEqual(['a', 'NEW', 'd']);
    // One chunk per instant, at the time of the chunk that completed each item.
    expect(recording.chunks.map((c) => c.at)).toEqual([400, 500, 600, 700]);
  });

  it('an EventSource recording becomes SSE text for a fetch, with a content type, and ends when the server ended it', () => {
    const recording = mockRecording(es, esItems, { speed: '1' });
    expect(recording).toMatchObject({ status: 200, statusText: 'OK', responseAt: 50, endAt: 1000 });
    expect(recording.headers).toEqual([{ name: 'content-type', value: 'text/event-stream' }]);
    expect(recording.chunks.map((c) => c.at)).toEqual([100, 300, 500, 700]);
    expect(recording.chunks[0]!.text).toBe('id: 1\ndata: d1\n\n');
    expect(recording.chunks[2]!.text).toBe('id: 3\nevent: tick\ndata: d3\n\n');
    expect(recording.events.map((e) => e.at)).toEqual([100, 300, 500, 700]);
  });

  it('a part of the stream starts right after the response', () => {
    const recording = mockRecording(es, esItems.slice(2), { speed: '1', subset: true });
    expect(recording.events.map((e) => [e.at, e.data])).toEqual([
      [50, 'd3'],
      [250, 'd4'],
    ]);
    expect(recording.endAt).toBe(250);
    // From a fetch recording, a part is written back too (its raw chunks hold everything), with the
    // ID in force.
    const part = mockRecording(fetched, fetchItems.slice(-1), { speed: '1', subset: true });
    expect(part.chunks).toEqual([{ at: 300, text: 'id: 1\ndata: d\n\n' }]);
  });
});

describe('mockRecording of a stream of lines (NDJSON)', () => {
  it('an edited recording is written back as lines, not SSE, with its own content type', () => {
    let seq = 200;
    const r = (record: Record<string, unknown>) =>
      ({ ...record, stream: 'n', frameId: 0, seq: seq++ }) as unknown as StoredRecord;
    const store = storeOf([
      r({
        type: 'stream-open',
        kind: 'fetch',
        url: 'http://h/api/chat',
        method: 'POST',
        requestHeaders: [],
        frameUrl: 'http://h/',
        time: T,
      }),
      r({
        type: 'stream-response',
        status: 200,
        statusText: 'OK',
        responseHeaders: [],
        contentType: 'application/x-ndjson',
        time: T + 10,
      }),
      r({ type: 'stream-chunk', text: '{"a":1}\n{"b":2}\n', bytes: 16, time: T + 20 }),
      r({ type: 'stream-chunk', text: '{"c":3}\n', bytes: 8, time: T + 30 }),
      r({ type: 'stream-state', state: 'closed', reason: 'ended-by-server', time: T + 40 }),
    ]);
    const connection = store.connections.get('n')!;
    const items = store.itemsByConnection.get('n')!;
    const recording = mockRecording(connection, items, { speed: '1', edits: new Map([[items[1]!.id, '{"b":"NEW"}']]) });
    expect(recording.headers).toEqual([{ name: 'content-type', value: 'application/x-ndjson' }]);
    expect(recording.chunks).toEqual([
      { at: 20, text: '{"a":1}\n{"b":"NEW"}\n' },
      { at: 30, text: '{"c":3}\n' },
    ]);
  });
});

describe('replay targets', () => {
  const store = storeOf(esRecords('a', 'http://h/events?x=1'), esRecords('b', 'http://h/other'), fetchRecords());
  const open = (id: string, url: string): Connection => ({ ...store.connections.get('a')!, id, url, endTime: undefined });

  it('lists the EventSources still open, newest first', () => {
    const live = liveEventSources([
      store.connections.get('a')!,
      open('c', 'http://h/events'),
      store.connections.get('f-1')!,
      open('d', 'http://h/x'),
    ]);
    expect(live.map((c) => c.id)).toEqual(['d', 'c']);
  });

  it('prefers the recorded one, then one of the same URL, then the newest', () => {
    const source = store.connections.get('a')!;
    const sameUrl = open('c', 'http://h/events?x=2');
    const other = open('d', 'http://h/x');
    expect(defaultReplayTarget(source, [other, sameUrl])?.id).toBe('c');
    expect(defaultReplayTarget(source, [other])?.id).toBe('d');
    expect(defaultReplayTarget(source, [])).toBeUndefined();
    const itself = { ...source, endTime: undefined };
    expect(defaultReplayTarget(itself, [other, sameUrl, itself])?.id).toBe('a');
  });
});
