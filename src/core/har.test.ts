import { describe, expect, it } from 'vitest';
import type { PageRecord, StoredRecord } from '../protocol';
import {
  buildHar,
  harFileName,
  harRequestUrl,
  isSensitiveHeader,
  isSensitiveParam,
  REDACTED,
  REDACTED_IN_URL,
  redactUrl,
  type Har,
  type HarEntry,
} from './har';
import { harSchemaErrors } from '../../test/har-schema';
import { richStore, SECRETS as RICH_SECRETS, T0 as RICH_T0 } from '../../test/fixtures/stores';
import { LogStore } from './log-store';
import type { SseItem } from './sse-types';

// ---------------------------------------------------------------------------------------------
// fixtures: StoredRecords fed through the real LogStore

/** 2026-01-15T10:00:00.250Z */
const T0 = Date.UTC(2026, 0, 15, 10, 0, 0, 250);

/** A small per-event cap (5), so the fixture can show a truncated event with short data. */
function storeOf(records: PageRecord[]): LogStore {
  const store = new LogStore({ maxEventLength: 5 });
  store.apply(records.map((r, seq) => ({ ...r, frameId: 0, seq }) as StoredRecord));
  return store;
}

function harOf(store: LogStore, includeSensitive?: boolean): Har {
  return buildHar(store.connectionList, store.items, { creatorVersion: '9.8.7', includeSensitive });
}

const sse = (stream: string, item: SseItem): PageRecord => ({ type: 'sse', stream, items: [item] });

const SECRETS = {
  authorization: 'Bearer SECRET-authz-111',
  proxy: 'Basic SECRET-proxy-222',
  cookie: 'sid=SECRET-cookie-333',
  setCookie: 'sid=SECRET-setcookie-444; HttpOnly',
  xApiKey: 'SECRET-xapikey-555',
  apiKey: 'SECRET-apikey-666',
  authToken: 'SECRET-authtoken-777',
  googKey: 'SECRET-googkey-888',
};

const REQUEST_BODY = '{"prompt":"héllo"}'; // 19 bytes in UTF-8 (é is 2)

/**
 * A fetch stream (POST, headers with secrets, body, 3 chunks, events and other items, closed) and
 * an EventSource that started earlier and is still open. Records are applied fetch-first so
 * sorting by start time is observable.
 */
function mainFixture(): LogStore {
  return storeOf([
    {
      type: 'stream-open',
      stream: 'f1',
      kind: 'fetch',
      url: 'https://api.example.com/chat?model=m1&q=a%20b&q=2',
      method: 'POST',
      requestHeaders: [
        { name: 'Accept', value: 'text/event-stream' },
        { name: 'Authorization', value: SECRETS.authorization },
        { name: 'proxy-authorization', value: SECRETS.proxy },
        { name: 'Cookie', value: SECRETS.cookie },
        { name: 'X-API-Key', value: SECRETS.xApiKey },
        { name: 'api-key', value: SECRETS.apiKey },
        { name: 'X-Auth-Token', value: SECRETS.authToken },
        { name: 'X-Goog-Api-Key', value: SECRETS.googKey },
        { name: 'X-Request-Id', value: 'req-1' },
      ],
      requestBody: { mimeType: 'application/json', text: REQUEST_BODY },
      withCredentials: true,
      frameUrl: 'https://app.example.com/',
      time: T0,
    },
    {
      type: 'stream-response',
      stream: 'f1',
      status: 200,
      statusText: 'OK',
      responseHeaders: [
        { name: 'Content-Type', value: 'text/event-stream; charset=utf-8' },
        { name: 'Set-Cookie', value: SECRETS.setCookie },
        { name: 'Cache-Control', value: 'no-cache' },
      ],
      contentType: 'text/event-stream; charset=utf-8',
      time: T0 + 120,
    },
    { type: 'stream-state', stream: 'f1', state: 'open', time: T0 + 121 },
    { type: 'stream-chunk', stream: 'f1', text: 'data: one\n\n', bytes: 11, time: T0 + 200 },
    { type: 'stream-chunk', stream: 'f1', text: ': ping\n\nretry: 5000\nfoo: bar\n\n', bytes: 30, time: T0 + 300 },
    { type: 'stream-chunk', stream: 'f1', text: 'event: upd\nid: 7\ndata: twö\n\n', bytes: 28, time: T0 + 400 },
    // Items of fetch streams are parsed from the chunks (by LogStore), with the cap set in storeOf.
    { type: 'stream-chunk', stream: 'f1', text: 'event: big\ndata: xxxxxxxx\n\n', bytes: 27, time: T0 + 450 },
    { type: 'stream-state', stream: 'f1', state: 'closed', reason: 'ended-by-server', time: T0 + 1000 },

    {
      type: 'stream-open',
      stream: 'e1',
      kind: 'eventsource',
      url: 'https://api.example.com/events',
      method: 'GET',
      requestHeaders: [{ name: 'Accept', value: 'text/event-stream' }],
      withCredentials: false,
      frameUrl: 'https://app.example.com/frame',
      time: T0 - 500,
    },
    {
      type: 'stream-response',
      stream: 'e1',
      status: 200,
      statusText: 'OK',
      responseHeaders: [],
      contentType: 'text/event-stream',
      time: T0 - 450,
    },
    { type: 'stream-state', stream: 'e1', state: 'open', time: T0 - 450 },
    sse('e1', { kind: 'event', type: 'message', data: 'hello', lastEventId: '', time: T0 - 300 }),
    sse('e1', { kind: 'comment', text: 'hb', time: T0 - 200 }),
    sse('e1', { kind: 'event', type: 'tick', data: 'a\nb', lastEventId: '42', idSet: true, time: T0 + 1500.5 }),
  ]);
}

function entry(har: Har, streamId: string): HarEntry {
  const found = har.log.entries.find((e) => e._sseDevtools.streamId === streamId);
  if (found === undefined) throw new Error(`no entry for ${streamId}`);
  return found;
}

// ---------------------------------------------------------------------------------------------

describe('buildHar: HAR 1.2 shape', () => {
  it('has the log header', () => {
    const har = harOf(mainFixture());
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'SSE DevTools', version: '9.8.7' });
    expect(har.log.pages).toEqual([]);
    expect(har.log.entries).toHaveLength(2);
  });

  it('every entry has every field HAR 1.2 requires, with the right types', () => {
    const har = JSON.parse(JSON.stringify(harOf(mainFixture()))) as Har;
    for (const e of har.log.entries) {
      expect(typeof e.startedDateTime).toBe('string');
      expect(e.startedDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(typeof e.time).toBe('number');
      expect(e.time).toBeGreaterThanOrEqual(0);

      const rq = e.request;
      expect(typeof rq.method).toBe('string');
      expect(typeof rq.url).toBe('string');
      expect(typeof rq.httpVersion).toBe('string');
      expect(Array.isArray(rq.cookies)).toBe(true);
      expect(Array.isArray(rq.headers)).toBe(true);
      expect(Array.isArray(rq.queryString)).toBe(true);
      expect(typeof rq.headersSize).toBe('number');
      expect(typeof rq.bodySize).toBe('number');

      const rs = e.response;
      expect(typeof rs.status).toBe('number');
      expect(typeof rs.statusText).toBe('string');
      expect(typeof rs.httpVersion).toBe('string');
      expect(Array.isArray(rs.cookies)).toBe(true);
      expect(Array.isArray(rs.headers)).toBe(true);
      expect(typeof rs.content.size).toBe('number');
      expect(typeof rs.content.mimeType).toBe('string');
      expect(typeof rs.redirectURL).toBe('string');
      expect(typeof rs.headersSize).toBe('number');
      expect(typeof rs.bodySize).toBe('number');

      expect(e.cache).toEqual({});

      for (const key of ['send', 'wait', 'receive'] as const) {
        expect(typeof e.timings[key]).toBe('number');
        expect(e.timings[key]).toBeGreaterThanOrEqual(0);
      }
      for (const key of ['blocked', 'dns', 'connect', 'ssl'] as const) {
        expect(e.timings[key] === -1 || e.timings[key] >= 0).toBe(true);
      }
      // HAR 1.2: entry.time is the sum of the timings that are not -1
      const sum = Object.values(e.timings)
        .filter((t) => t !== -1)
        .reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(e.time, 6);
    }
  });

  it('has one entry per stream, sorted by start time', () => {
    const har = harOf(mainFixture());
    expect(har.log.entries.map((e) => e._sseDevtools.streamId)).toEqual(['e1', 'f1']);
    expect(har.log.entries.map((e) => e.startedDateTime)).toEqual(['2026-01-15T09:59:59.750Z', '2026-01-15T10:00:00.250Z']);
    expect(har.log.entries.map((e) => e._resourceType)).toEqual(['eventsource', 'fetch']);
  });

  it('an empty log gives no entries', () => {
    const har = buildHar([], [], { creatorVersion: '1' });
    expect(har.log.entries).toEqual([]);
    expect(har.log.version).toBe('1.2');
  });
});

describe('buildHar: request', () => {
  it('copies method and URL, parses the query string, and puts the body in postData', () => {
    const f1 = entry(harOf(mainFixture()), 'f1');
    expect(f1.request.method).toBe('POST');
    expect(f1.request.url).toBe('https://api.example.com/chat?model=m1&q=a%20b&q=2');
    expect(f1.request.queryString).toEqual([
      { name: 'model', value: 'm1' },
      { name: 'q', value: 'a b' },
      { name: 'q', value: '2' },
    ]);
    expect(f1.request.postData).toEqual({ mimeType: 'application/json', text: REQUEST_BODY });
    expect(f1.request.bodySize).toBe(19);
    expect(f1.request.headersSize).toBe(-1);
  });

  it('has no postData and bodySize 0 without a body, and an empty query string without a query', () => {
    const e1 = entry(harOf(mainFixture()), 'e1');
    expect(e1.request.postData).toBeUndefined();
    expect('postData' in e1.request).toBe(false);
    expect(e1.request.bodySize).toBe(0);
    expect(e1.request.queryString).toEqual([]);
    expect(e1.request.method).toBe('GET');
  });

  it('takes postData from a request body that arrived after the stream opened', () => {
    const store = storeOf([
      {
        type: 'stream-open',
        stream: 'r',
        kind: 'fetch',
        url: 'https://h/r',
        method: 'POST',
        requestHeaders: [],
        frameUrl: '',
        time: T0,
      },
      { type: 'stream-request-body', stream: 'r', body: { mimeType: 'text/plain', text: 'ça' }, time: T0 + 2 },
    ]);
    const e = harOf(store).log.entries[0]!;
    expect(e.request.postData).toEqual({ mimeType: 'text/plain', text: 'ça' });
    expect(e.request.bodySize).toBe(3);
  });

  it('uses the declared body size and flags a truncated body', () => {
    const store = storeOf([
      {
        type: 'stream-open',
        stream: 'b',
        kind: 'xhr',
        url: 'not a url',
        method: 'PUT',
        requestHeaders: [],
        requestBody: { mimeType: 'application/octet-stream', text: '[Blob 5000 bytes]', truncated: true, size: 5000 },
        frameUrl: '',
        time: T0,
      },
    ]);
    const e = harOf(store).log.entries[0]!;
    expect(e.request.bodySize).toBe(5000);
    expect(e.request.postData).toEqual({ mimeType: 'application/octet-stream', text: '[Blob 5000 bytes]' });
    expect(e._sseDevtools.requestBodyTruncated).toBe(true);
    // an unparsable URL gives an empty query string rather than throwing
    expect(e.request.queryString).toEqual([]);
  });
});

describe('buildHar: response and content', () => {
  it('fetch: status, headers, content.text is the concatenated raw chunks, size is the byte count', () => {
    const f1 = entry(harOf(mainFixture()), 'f1');
    expect(f1.response.status).toBe(200);
    expect(f1.response.statusText).toBe('OK');
    expect(f1.response.redirectURL).toBe('');
    // 11 + 30 + 28 + 27 bytes, as the chunk records say (ö is 2 bytes).
    expect(f1.response.content).toEqual({
      size: 96,
      mimeType: 'text/event-stream; charset=utf-8',
      text: 'data: one\n\n: ping\n\nretry: 5000\nfoo: bar\n\nevent: upd\nid: 7\ndata: twö\n\nevent: big\ndata: xxxxxxxx\n\n',
    });
    expect(f1.response.bodySize).toBe(96);
    expect(f1._sseDevtools.rawStream).toBe(true);
  });

  it('eventsource: no content.text, a comment instead, size -1', () => {
    const e1 = entry(harOf(mainFixture()), 'e1');
    expect(e1.response.content.text).toBeUndefined();
    expect('text' in e1.response.content).toBe(false);
    expect(e1.response.content.comment).toMatch(/_eventSourceMessages/);
    expect(e1.response.content.size).toBe(-1);
    expect(e1.response.content.mimeType).toBe('text/event-stream');
    expect(e1._sseDevtools.rawStream).toBe(false);
  });

  it('xhr keeps the raw text too', () => {
    const store = storeOf([
      {
        type: 'stream-open',
        stream: 'x',
        kind: 'xhr',
        url: 'https://h/x',
        method: 'GET',
        requestHeaders: [],
        frameUrl: '',
        time: T0,
      },
      { type: 'stream-chunk', stream: 'x', text: 'data: 1\n', bytes: 8, time: T0 + 1 },
      { type: 'stream-chunk', stream: 'x', text: '\n', bytes: 1, time: T0 + 2 },
    ]);
    const e = harOf(store).log.entries[0]!;
    expect(e.response.content.text).toBe('data: 1\n\n');
    expect(e.response.content.size).toBe(9);
  });

  it('a stream without a response has status 0 and the default mime type', () => {
    const store = storeOf([
      {
        type: 'stream-open',
        stream: 'n',
        kind: 'fetch',
        url: 'https://h/n',
        method: 'GET',
        requestHeaders: [],
        frameUrl: '',
        time: T0,
      },
      { type: 'stream-state', stream: 'n', state: 'error', reason: 'network-error', time: T0 + 30 },
    ]);
    const e = harOf(store).log.entries[0]!;
    expect(e.response.status).toBe(0);
    expect(e.response.statusText).toBe('');
    expect(e.response.headers).toEqual([]);
    expect(e.response.content.mimeType).toBe('text/event-stream');
    expect(e.response.content.text).toBe('');
    expect(e.timings).toMatchObject({ send: 0, wait: 30, receive: 0 });
    expect(e.time).toBe(30);
  });
});

describe('buildHar: timings', () => {
  it('closed fetch: wait until the response, receive until the close', () => {
    const f1 = entry(harOf(mainFixture()), 'f1');
    expect(f1.time).toBe(1000);
    expect(f1.timings).toEqual({ blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 120, receive: 880 });
  });

  it('open eventsource: ends at the last thing seen', () => {
    const e1 = entry(harOf(mainFixture()), 'e1');
    // start T0-500, response T0-450, last item T0+1500.5
    expect(e1.time).toBe(2000.5);
    expect(e1.timings).toEqual({ blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 50, receive: 1950.5 });
  });
});

describe('buildHar: messages and extras', () => {
  it('_eventSourceMessages lists only events, in dispatch order, time in epoch seconds', () => {
    const har = harOf(mainFixture());
    expect(entry(har, 'f1')._eventSourceMessages).toEqual([
      { time: 1768471200.45, eventName: 'message', eventId: '', data: 'one' },
      { time: 1768471200.65, eventName: 'upd', eventId: '7', data: 'twö' },
      { time: 1768471200.7, eventName: 'big', eventId: '7', data: 'xxxxx' },
    ]);
    expect(entry(har, 'e1')._eventSourceMessages).toEqual([
      { time: 1768471199.95, eventName: 'message', eventId: '', data: 'hello' },
      { time: 1768471201.7505, eventName: 'tick', eventId: '42', data: 'a\nb' },
    ]);
  });

  it('puts comments, retries, ignored fields and warnings under _sseDevtools (times in ms)', () => {
    const f1 = entry(harOf(mainFixture()), 'f1');
    expect(f1._sseDevtools.comments).toEqual([{ time: T0 + 300, text: ' ping' }]);
    expect(f1._sseDevtools.retries).toEqual([{ time: T0 + 300, milliseconds: 5000 }]);
    expect(f1._sseDevtools.ignoredFields).toEqual([{ time: T0 + 300, name: 'foo', value: 'bar' }]);
    expect(f1._sseDevtools.warnings.map(({ time, code }) => ({ time, code }))).toEqual([
      { time: T0 + 450, code: 'line-truncated' },
    ]);
    expect(entry(harOf(mainFixture()), 'e1')._sseDevtools.comments).toEqual([{ time: T0 - 200, text: 'hb' }]);
  });

  it('lists truncated events by their index in _eventSourceMessages', () => {
    const har = harOf(mainFixture());
    expect(entry(har, 'f1')._sseDevtools.truncatedEvents).toEqual([{ index: 2, originalLength: 8 }]);
    expect(entry(har, 'e1')._sseDevtools.truncatedEvents).toEqual([]);
  });

  it('records stream metadata and state history', () => {
    const har = harOf(mainFixture());
    const f1 = entry(har, 'f1')._sseDevtools;
    expect(f1).toMatchObject({
      streamId: 'f1',
      kind: 'fetch',
      frameUrl: 'https://app.example.com/',
      frameId: 0,
      withCredentials: true,
      state: 'closed',
      stateReason: 'ended-by-server',
    });
    expect(f1.transitions.map((t) => [t.state, t.time - T0])).toEqual([
      ['connecting', 0],
      ['open', 121],
      ['closed', 1000],
    ]);
    const e1 = entry(har, 'e1')._sseDevtools;
    expect(e1).toMatchObject({
      kind: 'eventsource',
      state: 'open',
      withCredentials: false,
      frameUrl: 'https://app.example.com/frame',
    });
  });

  it('items of other streams do not leak into an entry', () => {
    const har = harOf(mainFixture());
    const e1 = entry(har, 'e1');
    expect(e1._eventSourceMessages.map((m) => m.data)).not.toContain('one');
    expect(e1._sseDevtools.retries).toEqual([]);
    expect(e1._sseDevtools.warnings).toEqual([]);
  });
});

describe('buildHar: redaction', () => {
  it('redacts sensitive request and response headers by default', () => {
    const f1 = entry(harOf(mainFixture()), 'f1');
    expect(f1.request.headers).toEqual([
      { name: 'Accept', value: 'text/event-stream' },
      { name: 'Authorization', value: REDACTED },
      { name: 'proxy-authorization', value: REDACTED },
      { name: 'Cookie', value: REDACTED },
      { name: 'X-API-Key', value: REDACTED },
      { name: 'api-key', value: REDACTED },
      { name: 'X-Auth-Token', value: REDACTED },
      { name: 'X-Goog-Api-Key', value: REDACTED },
      { name: 'X-Request-Id', value: 'req-1' },
    ]);
    expect(f1.response.headers).toEqual([
      { name: 'Content-Type', value: 'text/event-stream; charset=utf-8' },
      { name: 'Set-Cookie', value: REDACTED },
      { name: 'Cache-Control', value: 'no-cache' },
    ]);
  });

  it('no secret appears anywhere in the serialized HAR by default', () => {
    const json = JSON.stringify(harOf(mainFixture()));
    for (const secret of Object.values(SECRETS)) expect(json).not.toContain(secret);
    expect(json).not.toContain('SECRET-');
    // sanity: the non-secret values are there
    expect(json).toContain('req-1');
    expect(json).toContain(REDACTED);
  });

  it('explicit includeSensitive: false behaves like the default', () => {
    const json = JSON.stringify(harOf(mainFixture(), false));
    expect(json).not.toContain('SECRET-');
  });

  it('keeps the secrets with includeSensitive: true', () => {
    const har = harOf(mainFixture(), true);
    const f1 = entry(har, 'f1');
    const value = (list: { name: string; value: string }[], name: string) => list.find((h) => h.name === name)?.value;
    expect(value(f1.request.headers, 'Authorization')).toBe(SECRETS.authorization);
    expect(value(f1.request.headers, 'Cookie')).toBe(SECRETS.cookie);
    expect(value(f1.request.headers, 'X-API-Key')).toBe(SECRETS.xApiKey);
    expect(value(f1.response.headers, 'Set-Cookie')).toBe(SECRETS.setCookie);
    const json = JSON.stringify(har);
    for (const secret of Object.values(SECRETS)) expect(json).toContain(secret);
    expect(json).not.toContain(REDACTED);
  });

  it('isSensitiveHeader: known names in any case, *-token / *-api-key / *-secret suffixes', () => {
    for (const name of [
      'Authorization',
      'AUTHORIZATION',
      'Proxy-Authorization',
      'cookie',
      'Set-Cookie',
      'x-api-key',
      'api-key',
      'apikey',
      'X-Api_Key',
      'x-auth-token',
      'X-Access-Token',
      'X-CSRF-Token',
      'x-xsrf-token',
      'X-Amz-Security-Token',
      'X-Client-Secret',
      'client_secret',
      'token',
      'X-Authorization',
      'X-Forwarded-Authorization',
    ]) {
      expect(isSensitiveHeader(name), name).toBe(true);
    }
    for (const name of [
      'Accept',
      'Content-Type',
      'X-Request-Id',
      'Last-Event-ID',
      'X-Token-Count',
      'Tokens',
      'Cache-Control',
      'x-secretary',
    ]) {
      expect(isSensitiveHeader(name), name).toBe(false);
    }
  });
});

describe('buildHar: a stream whose opening was not seen', () => {
  it('still gives a complete entry for the placeholder connection', () => {
    const store = storeOf([
      { type: 'stream-chunk', stream: 'ghost', text: 'data: z\n\n', bytes: 9, time: T0 + 10 },
      { type: 'stream-state', stream: 'ghost', state: 'closed', reason: 'ended-by-server', time: T0 + 60 },
    ]);
    const e = harOf(store).log.entries[0]!;
    expect(e.startedDateTime).toBe('2026-01-15T10:00:00.260Z');
    // HAR wants an absolute URL: the placeholder's text is kept under _sseDevtools.
    expect(e.request).toMatchObject({ method: '', url: 'about:blank', queryString: [], headers: [], bodySize: 0 });
    expect(e._sseDevtools.url).toBe('(unknown stream)');
    expect(e.response.status).toBe(0);
    expect(e.response.content.text).toBe('data: z\n\n');
    expect(e._eventSourceMessages).toEqual([{ time: 1768471200.26, eventName: 'message', eventId: '', data: 'z' }]);
    expect(e.time).toBe(50);
    expect(e.timings).toMatchObject({ send: 0, wait: 50, receive: 0 });
  });
});

describe('harFileName', () => {
  const date = new Date(Date.UTC(2026, 10, 21, 10, 0, 0, 999));

  it('uses the host and the UTC time, with file-name-safe characters', () => {
    expect(harFileName('https://example.com/app?x=1', date)).toBe('sse-example.com-2026-11-21T10-00-00.har');
    expect(harFileName('http://127.0.0.1:8080/', date)).toBe('sse-127.0.0.1_8080-2026-11-21T10-00-00.har');
    expect(harFileName('http://[::1]:3000/', date)).toBe('sse-___1__3000-2026-11-21T10-00-00.har');
  });

  it('falls back to "page" for URLs without a host or that do not parse', () => {
    expect(harFileName('about:blank', date)).toBe('sse-page-2026-11-21T10-00-00.har');
    expect(harFileName('not a url', date)).toBe('sse-page-2026-11-21T10-00-00.har');
    expect(harFileName('', date)).toBe('sse-page-2026-11-21T10-00-00.har');
  });
});

// ---------------------------------------------------------------------------------------------
// HAR 1.2 schema (har-schema + ajv) and what the spec says beyond it

/** Every export the tests make, as the parsed JSON a consumer reads. */
function exportsToValidate(): [string, unknown][] {
  const rich = richStore();
  const main = mainFixture();
  const asJson = (har: Har) => JSON.parse(JSON.stringify(har)) as unknown;
  return [
    ['main fixture, redacted', asJson(harOf(main))],
    ['main fixture, with secrets', asJson(harOf(main, true))],
    ['rich fixture, redacted', asJson(buildHar(rich.connectionList, rich.items, { creatorVersion: '1.2.3' }))],
    [
      'rich fixture, with secrets',
      asJson(buildHar(rich.connectionList, rich.items, { creatorVersion: '1.2.3', includeSensitive: true })),
    ],
    ['empty log', asJson(buildHar([], [], { creatorVersion: '1' }))],
  ];
}

describe('buildHar: valid HAR 1.2', () => {
  it.each(exportsToValidate())('%s validates against the HAR 1.2 JSON schema', (_name, har) => {
    expect(harSchemaErrors(har)).toEqual([]);
  });

  it('the validator does catch a broken HAR (no false passes)', () => {
    const [, har] = exportsToValidate()[2]!;
    const broken = structuredClone(har) as { log: { entries: Record<string, Record<string, unknown>>[] } };
    const entry = broken.log.entries[0]!;
    entry.request!.url = 'not a url';
    entry.response!.status = 200.5;
    entry.timings!.wait = -3;
    delete entry.response!.content;
    const errors = harSchemaErrors(broken).map((e) => e.replace(/ \(.*\)$/, ''));
    expect(errors).toEqual(
      expect.arrayContaining([
        '/log/entries/0/request/url must match format "uri"',
        "/log/entries/0/response must have required property 'content'",
        '/log/entries/0/response/status must be integer',
        '/log/entries/0/timings/wait must pass "min" keyword validation',
      ]),
    );
  });

  it('per the spec: time is the sum of the timings, urls are absolute without fragment, queryString matches the url', () => {
    const rich = richStore();
    for (const includeSensitive of [false, true]) {
      const har = buildHar(rich.connectionList, rich.items, { creatorVersion: '1', includeSensitive });
      for (const e of har.log.entries) {
        const sum = Object.values(e.timings)
          .filter((t) => t !== -1)
          .reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(e.time, 9);
        expect(new URL(e.request.url).href).toBe(e.request.url);
        expect(e.request.url).not.toContain('#');
        expect(e.request.queryString).toEqual([...new URL(e.request.url).searchParams].map(([name, value]) => ({ name, value })));
        expect(
          Number.isInteger(e.request.bodySize) &&
            Number.isInteger(e.response.bodySize) &&
            Number.isInteger(e.response.content.size),
        ).toBe(true);
      }
    }
  });

  it('the fragment goes from request.url; the URL as captured stays under _sseDevtools', () => {
    const rich = richStore();
    const har = buildHar(rich.connectionList, rich.items, { creatorVersion: '1', includeSensitive: true });
    const f1 = entry(har, 'f-1');
    expect(f1.request.url).toBe(`https://api.example.com/v1/chat?model=gpt&token=${RICH_SECRETS.queryToken}&q=a%20b`);
    expect(f1._sseDevtools.url).toBe(`https://api.example.com/v1/chat?model=gpt&token=${RICH_SECRETS.queryToken}&q=a%20b#frag`);
    expect(entry(har, 'x-1')._sseDevtools.url).toBeUndefined();
  });

  it('records each raw chunk with its time and bytes, and the exact start time', () => {
    const rich = richStore();
    const har = buildHar(rich.connectionList, rich.items, { creatorVersion: '1' });
    const x1 = entry(har, 'x-1');
    expect(x1._sseDevtools.chunks).toEqual([
      { time: RICH_T0 + 240, length: 16, bytes: 16 },
      { time: RICH_T0 + 240, length: 10, bytes: 10 },
      { time: RICH_T0 + 1400, length: 9, bytes: 9 },
    ]);
    const f1 = entry(har, 'f-1');
    expect(f1._sseDevtools.startTime).toBe(RICH_T0 + 10.25);
    expect(f1.startedDateTime).toBe(new Date(RICH_T0 + 10).toISOString());
    const chunks = f1._sseDevtools.chunks!;
    expect(chunks.map((c) => c.length).reduce((a, b) => a + b, 0)).toBe(f1.response.content.text!.length);
    // per-chunk bytes add up to what the capture counted
    expect(chunks.map((c) => c.bytes).reduce((a, b) => a + b, 0)).toBe(f1.response.content.size);
    // fetch items are all re-derived from the chunks: no explicit order needed
    expect(f1._sseDevtools.itemOrder).toBeUndefined();
  });

  it('EventSource: item order, exact event times and idSet are kept', () => {
    const rich = richStore();
    const es = entry(buildHar(rich.connectionList, rich.items, { creatorVersion: '1' }), 'es-1');
    expect(es._sseDevtools.itemOrder).toBe('eecee' + 'e');
    expect(es._sseDevtools.eventTimes).toEqual([
      RICH_T0 + 41.125,
      RICH_T0 + 41.125,
      RICH_T0 + 1300,
      RICH_T0 + 2600.001,
      RICH_T0 + 2600.001,
    ]);
    expect(es._sseDevtools.idSetEvents).toEqual([0, 1, 2]);
    expect(es._sseDevtools.truncatedEvents).toEqual([{ index: 4, originalLength: 5000 }]);
    expect(es._sseDevtools.listenedTypes).toEqual(['tick', 'news']);
    expect(es._sseDevtools.chunks).toBeUndefined();
    expect(es._sseDevtools.frameId).toBe(3);
  });

  it('with secrets kept, cookies are parsed from Cookie / Set-Cookie', () => {
    const rich = richStore();
    const f1 = entry(buildHar(rich.connectionList, rich.items, { creatorVersion: '1', includeSensitive: true }), 'f-1');
    expect(f1.request.cookies).toEqual([
      { name: 'sid', value: 'COOKIE-SECRET-0003' },
      { name: 'theme', value: 'dark' },
    ]);
    expect(f1.response.cookies).toEqual([
      { name: 'sid', value: 'SETCOOKIE-SECRET-0004', path: '/', httpOnly: true, secure: true },
    ]);
    const redacted = entry(buildHar(rich.connectionList, rich.items, { creatorVersion: '1' }), 'f-1');
    expect(redacted.request.cookies).toEqual([]);
    expect(redacted.response.cookies).toEqual([]);
  });
});

describe('redaction of URL parameters', () => {
  it('isSensitiveParam: the usual secret names, any case, and *_token / *-secret / *signature suffixes', () => {
    for (const name of [
      'token',
      'access_token',
      'ACCESS_TOKEN',
      'api_key',
      'apikey',
      'api-key',
      'key',
      'secret',
      'password',
      'auth',
      'sig',
      'signature',
      'X-Amz-Signature',
      'X-Amz-Credential',
      'X-Amz-Security-Token',
      'refresh_token',
      'client_secret',
      'jwt',
    ]) {
      expect(isSensitiveParam(name), name).toBe(true);
    }
    for (const name of ['model', 'q', 'page', 'keyword', 'tokens', 'monkey', 'author', 'signed', 'lang', 'channel']) {
      expect(isSensitiveParam(name), name).toBe(false);
    }
  });

  it('redactUrl replaces values in the query, a parameter-like fragment and the user info, and leaves the rest byte for byte', () => {
    expect(redactUrl('https://h/p?a=1&token=abc&b=%20x+y&api_key=k#frag')).toBe(
      `https://h/p?a=1&token=${REDACTED_IN_URL}&b=%20x+y&api_key=${REDACTED_IN_URL}#frag`,
    );
    expect(redactUrl('https://h/cb#access_token=xyz&state=s')).toBe(`https://h/cb#access_token=${REDACTED_IN_URL}&state=s`);
    expect(redactUrl('https://h/#/route?sig=abc&x=1')).toBe(`https://h/#/route?sig=${REDACTED_IN_URL}&x=1`);
    expect(redactUrl('https://bob:hunter2@h/p')).toBe(`https://bob:${REDACTED_IN_URL}@h/p`);
    expect(redactUrl('https://h/p?acc%65ss_token=abc')).toBe(`https://h/p?acc%65ss_token=${REDACTED_IN_URL}`);
    expect(redactUrl('https://h/p?token=&token')).toBe('https://h/p?token=&token');
    expect(redactUrl('https://h/p?token=abc', true)).toBe('https://h/p?token=abc');
    expect(redactUrl('(unknown stream)')).toBe('(unknown stream)');
    expect(new URL(redactUrl('https://h/p?token=abc')).searchParams.get('token')).toBe(REDACTED);
  });

  it('harRequestUrl: absolute, no fragment; about:blank for what does not parse', () => {
    expect(harRequestUrl('https://h/p?q=1#x')).toBe('https://h/p?q=1');
    expect(harRequestUrl('https://h/ü p')).toBe('https://h/%C3%BC%20p');
    expect(harRequestUrl('not a url')).toBe('about:blank');
  });

  it('request.url, queryString, the frame URL and the redirect URL are redacted; nothing secret is left', () => {
    const rich = richStore();
    const har = buildHar(rich.connectionList, rich.items, { creatorVersion: '1' });
    const f1 = entry(har, 'f-1');
    expect(f1.request.url).toBe(`https://api.example.com/v1/chat?model=gpt&token=${REDACTED_IN_URL}&q=a%20b`);
    expect(f1.request.queryString).toContainEqual({ name: 'token', value: REDACTED });
    expect(entry(har, 'es-1')._sseDevtools.frameUrl).toBe(
      `https://widgets.example.com/embed?access_token=${REDACTED_IN_URL}&lang=zh`,
    );
    expect(entry(har, 'm-1')._sseDevtools.response?.url).toBe(
      `https://cdn.example.com/legacy-stream?key=${REDACTED_IN_URL}&sig=${REDACTED_IN_URL}#token=${REDACTED_IN_URL}`,
    );
    expect(entry(har, 'x-1').request.url).toBe(
      `https://user:${REDACTED_IN_URL}@legacy.example.com/stream?api_key=${REDACTED_IN_URL}`,
    );
    const json = JSON.stringify(har);
    for (const secret of Object.values(RICH_SECRETS)) expect(json).not.toContain(secret);
    expect(json).not.toMatch(/SECRET-00|AUTHZ-0001|UFJPWFkt/);
  });
});
