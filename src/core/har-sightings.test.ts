import { describe, expect, it } from 'vitest';
import { buildHar, harExportOf, type Har } from './har';
import { importHar } from './har-import';
import { LogStore, type LoggedItem } from './log-store';
import { FilteredItems } from './filtered-items';
import { DEFAULT_FILTER } from './filter-model';
import { exportedConnections, mergeSightings, pageMark, type Sightings } from './sightings';
import { buildExportParts } from './export-formats';
import { harSchemaErrors } from '../../test/har-schema';
import type { StoredRecord } from '../protocol';
import {
  BURST_FETCH_URL,
  BURST_URL,
  CHAT_URL,
  CLOCK_URL,
  deepPairRecords,
  NOTIFY_URL,
  shortPairRecords,
  T0,
  WORKER_URL,
} from '../../test/fixtures/deep-pair';

/** What the panel exports as HAR: one entry per row, a pair's items shown once. */
function exportOf(store: LogStore): { sightings: Sightings; items: LoggedItem[] } {
  const sightings = mergeSightings(store.connectionList, undefined, store.itemsByConnection);
  const items = new FilteredItems().update(store, { ...DEFAULT_FILTER, sightings: sightings.filter });
  return { sightings, items };
}

/** Each row: its URL, where it was seen, and the marks of its events (what the page missed). */
function view(store: LogStore) {
  const { sightings, items } = exportOf(store);
  return sightings.rows.map((row) => {
    const pageView = sightings.filter.pageViews.get(row.id);
    const own = items.filter((logged) => row.members.includes(logged.connectionId) && logged.item.kind === 'event');
    return {
      url: row.connection.url,
      seen: row.seen,
      events: own.map((logged) => {
        const mark = pageView === undefined ? undefined : pageMark(logged.item, pageView);
        return `${logged.item.kind === 'event' ? logged.item.data : ''}${mark === undefined ? '' : ` (${mark})`}`;
      }),
    };
  });
}

/** The HAR the panel exports of every row (`harExportOf`, as App's export does). */
function harOf(store: LogStore): Har {
  const sightings = mergeSightings(store.connectionList, undefined, store.itemsByConnection);
  const { connections, items } = harExportOf(store, sightings.rows, sightings.filter);
  return buildHar(connections, items, { creatorVersion: '0.1.0' });
}

const live = () => {
  const store = new LogStore();
  store.apply(deepPairRecords());
  return store;
};

const EXPECTED = [
  { url: NOTIFY_URL, seen: 'both', events: ['hello', '{"v":2} (not-heard)', 'after close (not-read)'] },
  { url: CHAT_URL, seen: 'both', events: ['first', 'second (not-read)'] },
  { url: WORKER_URL, seen: 'wire', events: ['from the worker'] },
  { url: CLOCK_URL, seen: 'page', events: ['tick'] },
];

describe('HAR of a deep-captured log', () => {
  it('is one entry per request, saying where it was seen and what the page missed', () => {
    expect(view(live())).toEqual(EXPECTED);
    const entries = harOf(live()).log.entries;
    expect(entries.map((e) => [e.request.url, e._sseDevtools.seenOn])).toEqual([
      [NOTIFY_URL, 'both'],
      [CHAT_URL, 'both'],
      [WORKER_URL, 'wire'],
      [CLOCK_URL, 'page'],
    ]);
    const notify = entries[0]!;
    expect(notify._eventSourceMessages.map((m) => m.data)).toEqual(['hello', '{"v":2}', 'after close']);
    expect(notify._sseDevtools).toMatchObject({
      streamId: 'wire:7',
      notHeardEvents: [1],
      notReadEvents: [2],
      page: { streamId: '0:1', url: NOTIFY_URL, listening: [{ type: 'message' }] },
    });
    expect(notify._sseDevtools.page!.transitions.at(-1)).toMatchObject({ state: 'closed', reason: 'closed-by-page' });
    const chat = entries[1]!;
    expect(chat.response.content.text).toBe('data: first\n\ndata: second\n\n');
    expect(chat._sseDevtools).toMatchObject({ notHeardEvents: [], notReadEvents: [1], page: { readLength: 13 } });
  });

  it('validates against the HAR 1.2 JSON schema', () => {
    expect(harSchemaErrors(harOf(live()))).toEqual([]);
  });

  it('redacts the page’s URL and frame like the entry’s', () => {
    const store = new LogStore();
    const secret = 'TOKEN-SECRET-42';
    store.apply(
      deepPairRecords().map((r) =>
        r.type === 'stream-open' ? { ...r, url: `${r.url}?token=${secret}`, frameUrl: `https://app.test/?api_key=${secret}` } : r,
      ),
    );
    const text = JSON.stringify(harOf(store));
    expect(text).toContain('"seenOn":"both"');
    expect(text).not.toContain(secret);
  });

  it('comes back from an import as it was: the same rows, marks and events', () => {
    const result = importHar(JSON.stringify(harOf(live())));
    if (!result.ok) throw new Error(result.error);
    expect(result.summary).toMatchObject({ streams: 4, ownFormat: true });
    const imported = new LogStore();
    imported.apply(result.records);
    expect(view(imported)).toEqual(EXPECTED);
    // And again: an export of the import is the same file.
    expect(JSON.stringify(harOf(imported))).toBe(JSON.stringify(harOf(live())));
  });

  it('the chunked export writes the same HAR as buildHar', async () => {
    const { sightings, items } = exportOf(live());
    const parts = await buildExportParts(
      'har',
      { items, connections: sightings.rows.flatMap(exportedConnections), creatorVersion: '0.1.0' },
      { yieldToUi: async () => {} },
    );
    expect(JSON.parse(parts.join(''))).toEqual(JSON.parse(JSON.stringify(harOf(live()))));
  });

  it('NDJSON says where each event was seen and what the page missed', async () => {
    const store = live();
    const { sightings, items } = exportOf(store);
    const connections = new Map([...sightings.rowOf].map(([id, row]) => [id, { ...row.connection, seen: row.seen }]));
    const parts = await buildExportParts(
      'ndjson',
      { items, connections, creatorVersion: '0.1.0' },
      { yieldToUi: async () => {} },
    );
    const rows = parts
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { data: string; seenOn?: string; pageMissed?: string; connectionUrl: string });
    expect(rows.map((r) => [r.data, r.seenOn, r.pageMissed ?? ''])).toEqual([
      ['hello', 'both', ''],
      ['{"v":2}', 'both', 'not-heard'],
      ['after close', 'both', 'not-read'],
      ['first', 'both', ''],
      ['second', 'both', 'not-read'],
      ['from the worker', 'wire', ''],
      ['tick', 'page', ''],
    ]);
  });

  it('writes each request of an EventSource that reconnected as its own entry, and imports them as one row again', () => {
    const T = 1_700_000_000_000;
    const open = (stream: string, time: number, wire: boolean) => ({
      type: 'stream-open',
      stream,
      kind: 'eventsource',
      url: 'https://a.test/es',
      method: 'GET',
      requestHeaders: [],
      frameUrl: 'https://a.test/',
      time,
      ...(wire ? { seenOn: 'wire' } : {}),
    });
    const ev = (stream: string, data: string, time: number, type = 'message') => ({
      type: 'sse',
      stream,
      items: [{ kind: 'event', type, data, lastEventId: '', time }],
    });
    const store = new LogStore();
    store.apply(
      [
        open('0:1', T, false),
        { type: 'stream-state', stream: '0:1', state: 'open', time: T + 50 },
        open('wire:1', T + 1, true),
        ev('wire:1', 'a', T + 100),
        ev('0:1', 'a', T + 101),
        { type: 'stream-state', stream: 'wire:1', state: 'closed', reason: 'ended-by-server', time: T + 900 },
        { type: 'stream-state', stream: '0:1', state: 'connecting', reason: 'reconnecting', time: T + 1000 },
        open('wire:2', T + 4000, true),
        { type: 'stream-state', stream: '0:1', state: 'open', time: T + 4050 },
        ev('wire:2', 'b', T + 4100, 'update'),
      ].map((r, seq) => ({ ...r, frameId: 0, seq }) as never),
    );
    const expected = [{ url: 'https://a.test/es', seen: 'both', events: ['a', 'b (not-heard)'] }];
    expect(view(store)).toEqual(expected);
    const har = harOf(store);
    expect(har.log.entries.map((e) => [e._sseDevtools.streamId, e._sseDevtools.seenOn, e._sseDevtools.page?.streamId])).toEqual([
      ['wire:1', 'both', '0:1'],
      ['wire:2', 'both', undefined],
    ]);
    expect(har.log.entries[1]!._sseDevtools.notHeardEvents).toEqual([0]);
    const result = importHar(JSON.stringify(har));
    if (!result.ok) throw new Error(result.error);
    const imported = new LogStore();
    imported.apply(result.records);
    expect(view(imported)).toEqual(expected);
  });

  it('a page EventSource and Firefox’s wire bytes of it (a fetch on the wire) are one EventSource row, there and back', () => {
    const T = 1_700_000_000_000;
    const store = new LogStore();
    store.apply(
      [
        {
          type: 'stream-open',
          stream: '0:1',
          kind: 'eventsource',
          url: 'https://a.test/es',
          method: 'GET',
          requestHeaders: [],
          frameUrl: 'https://a.test/',
          time: T,
        },
        { type: 'stream-listen', stream: '0:1', eventType: 'message', time: T },
        {
          type: 'stream-open',
          stream: 'wire:fx:9',
          kind: 'fetch',
          url: 'https://a.test/es',
          method: 'GET',
          requestHeaders: [],
          frameUrl: 'https://a.test/',
          time: T + 2,
          seenOn: 'wire',
        },
        {
          type: 'stream-response',
          stream: 'wire:fx:9',
          status: 200,
          statusText: 'OK',
          responseHeaders: [],
          contentType: 'text/event-stream',
          time: T + 20,
        },
        { type: 'stream-chunk', stream: 'wire:fx:9', text: 'data: a\n\nevent: update\ndata: b\n\n', bytes: 31, time: T + 30 },
        { type: 'sse', stream: '0:1', items: [{ kind: 'event', type: 'message', data: 'a', lastEventId: '', time: T + 31 }] },
      ].map((r, seq) => ({ ...r, frameId: 0, seq }) as never),
    );
    const expected = [{ url: 'https://a.test/es', seen: 'both', events: ['a', 'b (not-heard)'] }];
    expect(view(store)).toEqual(expected);
    expect(mergeSightings(store.connectionList).rows[0]!.connection.kind).toBe('eventsource');
    const result = importHar(JSON.stringify(harOf(store)));
    if (!result.ok) throw new Error(result.error);
    const imported = new LogStore();
    imported.apply(result.records);
    expect(view(imported)).toEqual(expected);
    expect(mergeSightings(imported.connectionList).rows[0]!.connection.kind).toBe('eventsource');
  });

  it('writes the bytes of an EventSource seen on the wire as content.text, and imports them back as the same events', () => {
    const raw = 'data: one\n\nevent: update\ndata: unheard\n\n: note\ndata: thr';
    const rest = 'ee\n\n';
    const records: StoredRecord[] = [
      {
        type: 'stream-open',
        stream: 'wire:9',
        kind: 'eventsource',
        url: 'https://app.test/es',
        method: 'GET',
        requestHeaders: [],
        frameUrl: 'https://app.test/',
        time: T0,
        seenOn: 'wire',
      },
      {
        type: 'stream-response',
        stream: 'wire:9',
        status: 200,
        statusText: 'OK',
        responseHeaders: [],
        contentType: 'text/event-stream',
        time: T0 + 5,
      },
      { type: 'stream-chunk', stream: 'wire:9', text: raw, bytes: raw.length, time: T0 + 10 },
      { type: 'stream-chunk', stream: 'wire:9', text: rest, bytes: rest.length, time: T0 + 20 },
      { type: 'stream-state', stream: 'wire:9', state: 'closed', reason: 'ended-by-server', time: T0 + 30 },
    ].map((record, seq) => ({ ...record, frameId: 0, seq }) as StoredRecord);
    const store = new LogStore();
    store.apply(records);
    const har = harOf(store);
    const entry = har.log.entries[0]!;
    expect(entry.response.content.text).toBe(raw + rest);
    expect(entry._eventSourceMessages.map((m) => [m.eventName, m.data])).toEqual([
      ['message', 'one'],
      ['update', 'unheard'],
      ['message', 'three'],
    ]);
    const result = importHar(JSON.stringify(har));
    if (!result.ok) throw new Error(result.error);
    const imported = new LogStore();
    imported.apply(result.records);
    const events = (s: LogStore) =>
      [...s.itemsByConnection.values()]
        .flat()
        .flatMap(({ item }) => (item.kind === 'event' ? [`${item.type}:${item.data}`] : []));
    expect(events(imported)).toEqual(['message:one', 'update:unheard', 'message:three']);
    expect(JSON.stringify(harOf(imported))).toBe(JSON.stringify(har));
  });

  it('keeps the events only the page had (before deep capture joined a stream of unknown URL)', () => {
    const store = new LogStore();
    const T = 1_700_000_000_000;
    store.apply(
      [
        {
          type: 'stream-open',
          stream: '0:1',
          kind: 'eventsource',
          url: 'https://a.test/es',
          method: 'GET',
          requestHeaders: [],
          frameUrl: 'https://a.test/',
          time: T,
        },
        { type: 'sse', stream: '0:1', items: [{ kind: 'event', type: 'message', data: 'early', lastEventId: '', time: T + 10 }] },
        {
          type: 'stream-open',
          stream: 'wire:5',
          kind: 'eventsource',
          url: 'about:blank#opened-before-deep-capture',
          method: 'GET',
          requestHeaders: [],
          frameUrl: '',
          time: T + 100,
          seenOn: 'wire',
        },
        {
          type: 'sse',
          stream: 'wire:5',
          items: [{ kind: 'event', type: 'message', data: 'late', lastEventId: '', time: T + 100 }],
        },
        { type: 'sse', stream: '0:1', items: [{ kind: 'event', type: 'message', data: 'late', lastEventId: '', time: T + 101 }] },
      ].map((r, seq) => ({ ...r, frameId: 0, seq }) as never),
    );
    const expected = [{ url: 'https://a.test/es', seen: 'both', events: ['early', 'late'] }];
    expect(view(store)).toEqual(expected);
    const har = harOf(store);
    expect(har.log.entries[0]!.request.url).toBe('https://a.test/es');
    expect(har.log.entries[0]!._sseDevtools).toMatchObject({
      url: 'about:blank#opened-before-deep-capture',
      pageOnlyEvents: [0],
    });
    const result = importHar(JSON.stringify(har));
    if (!result.ok) throw new Error(result.error);
    const imported = new LogStore();
    imported.apply(result.records);
    expect(view(imported)).toEqual(expected);
  });
});

describe('HAR of a pair whose wire capture holds less than the page saw', () => {
  const short = () => {
    const store = new LogStore();
    store.apply(shortPairRecords());
    return store;
  };
  const EXPECTED_SHORT = [
    { url: BURST_URL, seen: 'both', events: ['one', 'two', 'three'] },
    { url: BURST_FETCH_URL, seen: 'both', events: ['first', 'second'] },
  ];
  const shortfalls = (store: LogStore) =>
    mergeSightings(store.connectionList, undefined, store.itemsByConnection).rows.map((row) => {
      const s = row.connection.wireShortfall;
      return s === undefined
        ? undefined
        : { unit: s.unit, wire: s.wire, page: s.page, wireEvents: s.wireEvents, pageEvents: s.pageEvents };
    });

  it('keeps the page’s events, the wire’s capture, and says the wire is incomplete', () => {
    expect(view(short())).toEqual(EXPECTED_SHORT);
    const har = harOf(short());
    expect(harSchemaErrors(har)).toEqual([]);
    const [es, fetch] = har.log.entries;
    expect(es!._sseDevtools).toMatchObject({
      streamId: 'wire:21',
      seenOn: 'both',
      wireIncomplete: { unit: 'events', wire: 0, page: 3, wireEvents: 0, pageEvents: 3 },
      pageOnlyEvents: [0, 1, 2],
      page: { streamId: '0:11' },
    });
    expect(es!._eventSourceMessages.map((m) => m.data)).toEqual(['one', 'two', 'three']);
    // The wire's text is what it got; the page's is in page.text, whole.
    expect(fetch!.response.content.text).toBe('data: first\n\n');
    expect(fetch!._sseDevtools).toMatchObject({
      wireIncomplete: { unit: 'chars', wire: 13, page: 27, wireEvents: 1, pageEvents: 2 },
      page: { streamId: '0:12', readLength: 27, text: 'data: first\n\ndata: second\n\n' },
    });
    expect(fetch!._sseDevtools.page!.chunks!.map((c) => c.length)).toEqual([13, 14]);
  });

  it('comes back from an import as it was: the same rows, the same shortfall, the same file', () => {
    const result = importHar(JSON.stringify(harOf(short())));
    if (!result.ok) throw new Error(result.error);
    const imported = new LogStore();
    imported.apply(result.records);
    expect(view(imported)).toEqual(EXPECTED_SHORT);
    expect(shortfalls(imported)).toEqual(shortfalls(short()));
    expect(shortfalls(imported)).toEqual([
      { unit: 'events', wire: 0, page: 3, wireEvents: 0, pageEvents: 3 },
      { unit: 'chars', wire: 13, page: 27, wireEvents: 1, pageEvents: 2 },
    ]);
    expect(JSON.stringify(harOf(imported))).toBe(JSON.stringify(harOf(short())));
  });

  it('the chunked export (as the panel writes it) is the same HAR', async () => {
    const store = short();
    const sightings = mergeSightings(store.connectionList, undefined, store.itemsByConnection);
    const { connections, items } = harExportOf(store, sightings.rows, sightings.filter);
    const parts = await buildExportParts('har', { items, connections, creatorVersion: '0.1.0' }, { yieldToUi: async () => {} });
    expect(JSON.parse(parts.join(''))).toEqual(JSON.parse(JSON.stringify(harOf(short()))));
  });

  it('beside the deep-pair log, changes nothing of the other rows', () => {
    const store = live();
    store.apply(shortPairRecords().map((r) => ({ ...r, seq: r.seq + 1000 })));
    expect(view(store)).toEqual([...EXPECTED, ...EXPECTED_SHORT]);
  });
});
