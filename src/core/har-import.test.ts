import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPageRecord, type StoredRecord } from '../protocol';
import { buildHar, type Har } from './har';
import { importHar, MAX_IMPORT_BYTES, type ImportResult } from './har-import';
import { LogStore, type Connection, type LoggedItem } from './log-store';
import { bigStore, richStore, SECRETS, STORE_OPTIONS, T0 } from '../../test/fixtures/stores';
import { harSchemaErrors } from '../../test/har-schema';

const CHROME_HAR = readFileSync(new URL('../../test/fixtures/chrome-save-all-with-content.har', import.meta.url), 'utf8');

function exportText(store: LogStore, includeSensitive: boolean): string {
  return JSON.stringify(buildHar(store.connectionList, store.items, { creatorVersion: '0.1.0', includeSensitive }), null, 2);
}

function imported(text: string): Extract<ImportResult, { ok: true }> {
  const result = importHar(text);
  if (!result.ok) throw new Error(`import failed: ${result.error}`);
  return result;
}

function storeFrom(records: StoredRecord[]): LogStore {
  const store = new LogStore(STORE_OPTIONS);
  store.apply(records);
  return store;
}

/** What a LogStore shows, minus the records' positions in the original log (`seq`). */
function comparable(store: LogStore) {
  const connections = [...store.connections.values()]
    .map((c: Connection) => ({ ...c, eventTypes: [...c.eventTypes] }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const items = store.items.map(({ seq: _seq, ...rest }: LoggedItem) => JSON.parse(JSON.stringify(rest)) as unknown);
  return { connections: JSON.parse(JSON.stringify(connections)) as unknown, items };
}

// ---------------------------------------------------------------------------------------------

describe('importHar: our own HAR round-trips exactly', () => {
  it('export → import → export gives the same HAR, byte for byte (secrets kept)', () => {
    const original = richStore();
    const first = exportText(original, true);
    const second = exportText(storeFrom(imported(first).records), true);
    expect(second).toBe(first);
  });

  it('export → import → export gives the same HAR, byte for byte (redacted)', () => {
    const first = exportText(richStore(), false);
    const again = imported(first);
    expect(exportText(storeFrom(again.records), false)).toBe(first);
    const json = JSON.stringify(again.records);
    for (const secret of Object.values(SECRETS)) expect(json).not.toContain(secret);
  });

  it('a fresh LogStore fed the records shows the same connections and items, with the same times', () => {
    const original = richStore();
    const restored = storeFrom(imported(exportText(original, true)).records);
    expect(comparable(restored)).toEqual(comparable(original));
    // spot checks of what the comparison covers
    const es = restored.connections.get('es-1')!;
    expect(es).toMatchObject({
      kind: 'eventsource',
      frameId: 3,
      listenedTypes: ['tick', 'news'],
      state: 'closed',
      stateReason: 'closed-by-page',
    });
    expect(es.transitions.map((t) => [t.state, t.reason, t.detail])).toEqual([
      ['connecting', undefined, undefined],
      ['open', undefined, undefined],
      ['connecting', 'reconnecting', 'Last-Event-ID: 2'],
      ['open', undefined, undefined],
      ['connecting', 'reconnecting', 'Last-Event-ID: 3'],
      ['open', undefined, undefined],
      ['closed', 'closed-by-page', undefined],
    ]);
    const m1 = restored.connections.get('m-1')!;
    expect(m1.mislabelled).toBe(true);
    expect(m1.response).toMatchObject({ redirected: true, contentType: 'text/plain' });
    expect(m1.requestBody).toEqual({
      mimeType: 'application/octet-stream',
      text: '[Blob 4096 bytes]',
      truncated: true,
      size: 4096,
    });
    const f1 = restored.connections.get('f-1')!;
    expect(f1.chunks).toEqual(original.connections.get('f-1')!.chunks);
    expect(f1.chunkTimes).toEqual(original.connections.get('f-1')!.chunkTimes);
    expect(f1.bytes).toBe(233);
    const ghost = restored.connections.get('ghost')!;
    expect(ghost).toMatchObject({ url: '(unknown stream)', method: '', state: 'error', stateReason: 'network-error' });
    // every kind of item, in the original order, at the original times
    expect(restored.items.map((l) => [l.connectionId, l.item.kind, l.item.time])).toEqual(
      original.items.map((l) => [l.connectionId, l.item.kind, l.item.time]),
    );
    const truncated = restored.items.filter((l) => l.item.kind === 'event' && l.item.truncated !== undefined).map((l) => l.item);
    expect(truncated).toMatchObject([
      { type: 'delta', data: expect.stringMatching(/^héllo wörld/) },
      { type: 'message', data: 'x'.repeat(64), truncated: { originalLength: 100 } },
      { type: 'message', data: 'x'.repeat(40), truncated: { originalLength: 5000 } },
    ]);
  });

  it('replayed events and mocked streams keep their marks', () => {
    let seq = 0;
    const r = (stream: string, record: Record<string, unknown>) =>
      ({ ...record, stream, frameId: 0, seq: seq++ }) as unknown as StoredRecord;
    const original = storeFrom([
      r('es', {
        type: 'stream-open',
        kind: 'eventsource',
        url: 'http://h/e',
        method: 'GET',
        requestHeaders: [],
        frameUrl: 'http://h/',
        time: T0,
      }),
      r('es', { type: 'stream-state', state: 'open', time: T0 + 1 }),
      r('es', {
        type: 'sse',
        items: [
          { kind: 'event', type: 'message', data: 'live', lastEventId: '', time: T0 + 2 },
          { kind: 'event', type: 'message', data: 'again', lastEventId: '', replayed: true, time: T0 + 3 },
        ],
      }),
      r('mock', {
        type: 'stream-open',
        kind: 'fetch',
        url: 'http://h/s',
        method: 'GET',
        requestHeaders: [],
        frameUrl: 'http://h/',
        time: T0 + 10,
        mocked: true,
      }),
      r('mock', {
        type: 'stream-response',
        status: 200,
        statusText: 'OK',
        responseHeaders: [],
        contentType: 'text/event-stream',
        time: T0 + 11,
      }),
      r('mock', { type: 'stream-chunk', text: 'data: x\n\n', bytes: 9, time: T0 + 12 }),
    ]);
    const text = exportText(original, true);
    const har = JSON.parse(text) as Har;
    const [es, mock] = har.log.entries;
    expect(es!._sseDevtools.replayedEvents).toEqual([1]);
    expect(es!._sseDevtools.mocked).toBeUndefined();
    expect(mock!._sseDevtools.mocked).toBe(true);
    expect(harSchemaErrors(har)).toEqual([]);
    const restored = storeFrom(imported(text).records);
    expect(comparable(restored)).toEqual(comparable(original));
    expect(restored.connections.get('mock')!.mocked).toBe(true);
    expect(restored.items.map((l) => l.item.kind === 'event' && l.item.replayed === true)).toEqual([false, true, false]);
    expect(exportText(restored, true)).toBe(text);
  });

  it('gives valid, numbered records, and a summary', () => {
    const result = imported(exportText(richStore(), false));
    expect(result.records.every((r) => isPageRecord(r))).toBe(true);
    expect(result.records.map((r) => r.seq)).toEqual(result.records.map((_, i) => i));
    expect(result.summary).toEqual({
      creator: 'SSE DevTools 0.1.0',
      ownFormat: true,
      entries: 5,
      streams: 5,
      skipped: 0,
      events: 12,
      withoutContent: 0,
      timeRange: [T0, T0 + 3300],
    });
  });

  it('interleaves streams by time and keeps each stream in its own order', () => {
    const { records } = imported(exportText(richStore(), true));
    const times = records.map((r) => (r.type === 'sse' ? r.items[0]!.time : r.time));
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    // a chunk and the close at the same time: the chunk first
    const ofX1 = records.filter((r) => 'stream' in r && r.stream === 'x-1').map((r) => r.type);
    expect(ofX1).toEqual([
      'stream-open',
      'stream-response',
      'stream-state',
      'stream-chunk',
      'stream-chunk',
      'stream-chunk',
      'stream-state',
    ]);
  });

  it('a big log (20k events, EventSource and fetch) round-trips too', () => {
    const big = bigStore(20_000);
    const text = JSON.stringify(
      buildHar(big.connectionList, big.items, { creatorVersion: '0.1.0', includeSensitive: true }),
      null,
      2,
    );
    const restored = new LogStore();
    restored.apply(imported(text).records);
    expect(restored.items).toHaveLength(big.items.length);
    expect(comparable(restored)).toEqual(comparable(big));
  });

  it('keeps two streams with the same id apart (two files joined into one)', () => {
    const har = JSON.parse(exportText(richStore(), true)) as Har;
    har.log.entries.push(...structuredClone(har.log.entries));
    const restored = storeFrom(imported(JSON.stringify(har)).records);
    expect(restored.connections.size).toBe(10);
    expect(restored.connections.get('f-1#2')?.eventCount).toBe(restored.connections.get('f-1')?.eventCount);
  });

  it('an entry written without chunk times still re-derives its events', () => {
    const har = JSON.parse(exportText(richStore(), true)) as Har;
    const x1 = har.log.entries.find((e) => e._sseDevtools.streamId === 'x-1')!;
    delete x1._sseDevtools.chunks;
    const restored = storeFrom(imported(JSON.stringify(har)).records);
    expect(
      restored.itemsByConnection
        .get('x-1')!
        .filter((l) => l.item.kind === 'event')
        .map((l) => l.item.kind === 'event' && l.item.data),
    ).toEqual(['x1', 'x2']);
  });
});

// ---------------------------------------------------------------------------------------------

describe("importHar: other tools' HARs (Chrome's Save all as HAR with content)", () => {
  const result = imported(CHROME_HAR);
  const store = storeFrom(result.records);
  const started = (iso: string) => Date.parse(iso);

  it('imports the SSE entries only, and says so', () => {
    expect(result.summary).toEqual({
      creator: 'WebInspector 537.36',
      ownFormat: false,
      entries: 5,
      streams: 3,
      skipped: 2,
      events: 8,
      withoutContent: 0,
      timeRange: [started('2026-03-02T09:30:00.500Z'), started('2026-03-02T09:30:04.500Z')], // the EventSource: 4 s
    });
    expect(store.connectionList.map((c) => [c.kind, c.url])).toEqual([
      ['eventsource', 'http://localhost:8080/events'],
      ['fetch', 'https://api.example.com/v1/chat?stream=true'],
      ['xhr', 'http://localhost:8080/xhr-stream'],
    ]);
  });

  it('a fetch stream: request, response and the events our parser finds in content.text', () => {
    const fetch = store.connectionList.find((c) => c.kind === 'fetch')!;
    expect(fetch).toMatchObject({ method: 'POST', state: 'closed', mislabelled: false, frameUrl: '' });
    expect(fetch.requestBody).toEqual({ mimeType: 'application/json', text: '{"prompt":"héllo"}' });
    expect(fetch.requestHeaders).toContainEqual({ name: 'authorization', value: 'Bearer chrome-fixture-token' });
    expect(fetch.response).toMatchObject({ status: 200, contentType: 'text/event-stream; charset=utf-8' });
    const items = store.itemsByConnection.get(fetch.id)!.map((l) => l.item);
    expect(items.map((i) => (i.kind === 'event' ? `${i.type}#${i.lastEventId}:${i.data}` : i.kind))).toEqual([
      'comment',
      'token#1:{"t":"Hel"}',
      'token#2:{"t":"lo, 世界"}',
      'retry',
      'done#2:[DONE]',
    ]);
  });

  it('times: chunks spread by position between the response start and the entry end', () => {
    const fetch = store.connectionList.find((c) => c.kind === 'fetch')!;
    const start = started('2026-03-02T09:30:01.250Z');
    const responseStart = start + 1.5 + 0.5 + 98; // blocked + send + wait (dns, connect, ssl: -1)
    const end = start + 1000;
    expect(fetch.startTime).toBe(start);
    expect(fetch.response!.time).toBe(responseStart);
    expect(fetch.endTime).toBe(end);
    const text = fetch.chunks.join('');
    const events = store.itemsByConnection.get(fetch.id)!.filter((l) => l.item.kind === 'event');
    // each event at the time of the chunk (its block) that completes it
    const blockEnd = (marker: string) => text.indexOf('\n\n', text.indexOf(marker)) + 2;
    expect(events.map((l) => l.item.time)).toEqual(
      ['"Hel"', 'lo, 世界', '[DONE]'].map((m) => responseStart + ((end - responseStart) * blockEnd(m)) / text.length),
    );
    expect(fetch.chunks.length).toBe(5); // one per event block
  });

  it('an EventSource entry: one event per message; monotonic times keep their spacing from the response start', () => {
    const es = store.connectionList.find((c) => c.kind === 'eventsource')!;
    const responseStart = started('2026-03-02T09:30:00.500Z') + 0.5 + 0.1 + 9.4;
    const events = store.itemsByConnection.get(es.id)!.map((l) => l.item);
    expect(events).toEqual([
      { kind: 'event', type: 'message', data: 'hello', lastEventId: '42', time: responseStart },
      { kind: 'event', type: 'tick', data: '{"n":1}', lastEventId: '43', time: expect.closeTo(responseStart + 1000, 6) },
      { kind: 'event', type: 'tick', data: 'line 1\nline 2', lastEventId: '44', time: expect.closeTo(responseStart + 2250, 6) },
    ]);
    expect(es.requestHeaders).toContainEqual({ name: 'Last-Event-ID', value: '41' });
    expect(es.chunks).toEqual([]);
  });

  it('base64 content (an XHR stream) is decoded as UTF-8', () => {
    const xhr = store.connectionList.find((c) => c.kind === 'xhr')!;
    const data = store.itemsByConnection.get(xhr.id)!.flatMap((l) => (l.item.kind === 'event' ? [l.item.data] : []));
    expect(data).toEqual(['line one\nline two', 'ünïcödé 🚀']);
    expect(xhr.bytes).toBe(new TextEncoder().encode('data: line one\ndata: line two\n\ndata: ünïcödé 🚀\n\n').byteLength);
  });

  it('the imported streams export as a valid HAR that imports again to the same thing', () => {
    const text = exportText(store, true);
    expect(harSchemaErrors(JSON.parse(text))).toEqual([]);
    expect(exportText(storeFrom(imported(text).records), true)).toBe(text);
  });

  it('message times already in epoch seconds are used as they are', () => {
    const har = JSON.parse(CHROME_HAR) as { log: { entries: Record<string, unknown>[] } };
    const es = har.log.entries.find((e) => e._resourceType === 'eventsource')!;
    const t = Date.parse('2026-03-02T09:30:01.000Z') / 1000;
    es._eventSourceMessages = [{ time: t, eventName: 'message', eventId: '', data: 'x' }];
    const restored = storeFrom(imported(JSON.stringify(har)).records);
    const event = restored.items.find((l) => l.item.kind === 'event' && l.item.data === 'x')!;
    expect(event.item.time).toBe(t * 1000);
  });

  it('an SSE entry without content becomes a stream without events, and is counted', () => {
    const har = JSON.parse(CHROME_HAR) as { log: { entries: { response: { content: { text?: string } } }[] } };
    delete har.log.entries[1]!.response.content.text;
    const result = imported(JSON.stringify(har));
    expect(result.summary).toMatchObject({ streams: 3, withoutContent: 1, events: 5 });
  });

  it('a failed SSE request (status 0) ends in a network error', () => {
    const har = JSON.parse(CHROME_HAR) as { log: { entries: { response: { status: number } }[] } };
    har.log.entries[3]!.response.status = 0;
    const restored = storeFrom(imported(JSON.stringify(har)).records);
    const xhr = restored.connectionList.find((c) => c.kind === 'xhr')!;
    expect(xhr).toMatchObject({ state: 'error', stateReason: 'network-error' });
    expect(xhr.response).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------

describe('importHar: bad files give a clear message and nothing else', () => {
  function failure(text: string, maxLength?: number) {
    const result = importHar(text, maxLength === undefined ? {} : { maxLength });
    expect(result.ok).toBe(false);
    expect('records' in result).toBe(false);
    return result as Extract<ImportResult, { ok: false }>;
  }

  it('not JSON', () => {
    const result = failure('<html>not json</html>');
    expect(result.code).toBe('not-json');
    expect(result.error).toMatch(/^The file is not valid JSON \(.+\), so it is not a HAR file\.$/);
  });

  it.each(['[]', '{}', '{"log":{}}', '{"log":{"entries":{}}}', '"log"', 'null', '42'])('JSON but not a HAR: %s', (text) => {
    const result = failure(text);
    expect(result.code).toBe('not-har');
    expect(result.error).toBe('The file is JSON but not a HAR file: it has no "log.entries" list.');
  });

  it('a HAR without SSE entries', () => {
    const har = JSON.parse(CHROME_HAR) as { log: { entries: unknown[] } };
    har.log.entries = [har.log.entries[0], har.log.entries[4]];
    const result = failure(JSON.stringify(har));
    expect(result.code).toBe('no-sse');
    expect(result.error).toBe(
      'The HAR file has 2 entries but no Server-Sent Events stream (no text/event-stream response and no EventSource messages).',
    );
    expect(failure('{"log":{"entries":[]}}').error).toMatch(/has 0 entries but no Server-Sent Events stream/);
  });

  it('too large (512 MB by default)', () => {
    expect(MAX_IMPORT_BYTES).toBe(512 * 1024 * 1024);
    const result = failure(CHROME_HAR, 1024);
    expect(result.code).toBe('too-large');
    expect(result.error).toBe('The file is too large to import (1 MB; the limit is 1 MB).');
    expect(failure(' '.repeat(3 * 1024 * 1024), 2 * 1024 * 1024).error).toBe(
      'The file is too large to import (3 MB; the limit is 2 MB).',
    );
  });

  const own = () => JSON.parse(exportText(richStore(), true)) as { log: { entries: Record<string, any>[] } };
  const chrome = () => JSON.parse(CHROME_HAR) as { log: { entries: Record<string, any>[] } };
  const cases: [string, () => unknown, string][] = [
    ['an entry that is not an object', () => ({ log: { entries: ['x'] } }), 'log.entries[0] should be an object'],
    [
      'a request URL that is a number',
      () => {
        const h = chrome();
        h.log.entries[1]!.request.url = 42;
        return h;
      },
      'log.entries[1].request.url should be a string',
    ],
    [
      'a header value that is null',
      () => {
        const h = chrome();
        h.log.entries[1]!.request.headers[4].value = null;
        return h;
      },
      'log.entries[1].request.headers[4].value should be a string',
    ],
    [
      'a message whose data is a number',
      () => {
        const h = chrome();
        h.log.entries[2]!._eventSourceMessages[1].data = 7;
        return h;
      },
      'log.entries[2]._eventSourceMessages[1].data should be a string',
    ],
    [
      'a start that is not a date',
      () => {
        const h = chrome();
        h.log.entries[1]!.startedDateTime = 'yesterday';
        return h;
      },
      'log.entries[1].startedDateTime should be a date and time',
    ],
    [
      'content text that is not base64',
      () => {
        const h = chrome();
        h.log.entries[3]!.response.content.text = '*** not base64 ***';
        return h;
      },
      'log.entries[3].response.content.text should be base64 text',
    ],
    [
      'a chunk time that is a string',
      () => {
        const h = own();
        h.log.entries[1]!._sseDevtools.chunks[0].time = '12:00';
        return h;
      },
      '._sseDevtools.chunks[0].time should be a number',
    ],
    [
      'chunks that do not add up',
      () => {
        const h = own();
        h.log.entries[1]!._sseDevtools.chunks[0].length += 1;
        return h;
      },
      '._sseDevtools.chunks should be lengths that add up to response.content.text',
    ],
    [
      'an unknown state',
      () => {
        const h = own();
        h.log.entries[0]!._sseDevtools.transitions[1].state = 'paused';
        return h;
      },
      '._sseDevtools.transitions[1].state should be one of connecting, open, closed, error',
    ],
    [
      'an item order that does not match the lists',
      () => {
        const h = own();
        h.log.entries[0]!._sseDevtools.itemOrder += 'c';
        return h;
      },
      '._sseDevtools.itemOrder should be as many "c" as comments has entries',
    ],
    [
      'a time beyond what a date holds',
      () => {
        const h = own();
        h.log.entries[0]!._sseDevtools.comments[0].time = 1e300;
        return h;
      },
      '._sseDevtools.comments[0].time should be a time',
    ],
    [
      '_sseDevtools that is an array',
      () => {
        const h = own();
        h.log.entries[0]!._sseDevtools = [];
        return h;
      },
      'log.entries[0]._sseDevtools should be an object',
    ],
  ];
  it.each(cases)('a field of the wrong type: %s', (_name, make, message) => {
    const result = failure(JSON.stringify(make()));
    expect(result.code).toBe('bad-field');
    expect(result.error).toMatch(/^The HAR file has a field of the wrong type: log\.entries\[\d+\].+\.$/);
    expect(result.error).toContain(message);
  });
});
