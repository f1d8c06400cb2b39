import { describe, expect, it } from 'vitest';
import { isPageRecord } from '../protocol/validate-records';
import {
  bodyText,
  FilteredResponses,
  isStreamedResponse,
  MAX_BODY_BYTES,
  originOf,
  statusText,
  tabsOfRequest,
} from './filtered-responses';

const bytes = (text: string) => new TextEncoder().encode(text);

const response = (over: Partial<Parameters<FilteredResponses['opened']>[0]> = {}) => ({
  requestId: '41',
  url: 'http://127.0.0.1:8080/sse',
  method: 'GET',
  timeStamp: 1_700_000_000_500,
  statusCode: 200,
  statusLine: 'HTTP/1.1 200 OK',
  responseHeaders: [{ name: 'Content-Type', value: 'text/event-stream; charset=utf-8' }],
  documentUrl: 'http://127.0.0.1:8080/page.html',
  originUrl: 'http://127.0.0.1:8080/worker.js',
  ...over,
});

describe('isStreamedResponse', () => {
  const type = (value: string) => [{ name: 'content-type', value }];
  it('takes event streams, NDJSON / JSON Lines and the Vercel AI data stream', () => {
    expect(isStreamedResponse(type('text/event-stream'))).toBe(true);
    expect(isStreamedResponse(type(' Text/Event-Stream ; charset=utf-8'))).toBe(true);
    expect(isStreamedResponse(type('application/x-ndjson'))).toBe(true);
    expect(isStreamedResponse(type('application/jsonl'))).toBe(true);
    expect(isStreamedResponse([...type('text/plain'), { name: 'X-Vercel-AI-Data-Stream', value: 'v1' }])).toBe(true);
  });
  it('leaves everything else alone', () => {
    expect(isStreamedResponse(type('text/html'))).toBe(false);
    expect(isStreamedResponse(type('application/json'))).toBe(false);
    expect(isStreamedResponse(type('text/plain'))).toBe(false);
    expect(isStreamedResponse([])).toBe(false);
  });
  it('takes a mislabelled stream only when the request asked for an event stream', () => {
    const accept = [{ name: 'Accept', value: 'text/event-stream' }];
    expect(isStreamedResponse(type('text/plain'), accept)).toBe(true);
    expect(isStreamedResponse([], accept)).toBe(true);
    expect(isStreamedResponse(type('text/html'), accept)).toBe(false);
  });
});

describe('FilteredResponses', () => {
  it('records a filtered response as a fetch stream seen on the wire: request, response, bytes, end', () => {
    const wire = new FilteredResponses();
    wire.sent({
      requestId: '41',
      url: 'http://127.0.0.1:8080/sse',
      method: 'POST',
      timeStamp: 1_700_000_000_000,
      requestHeaders: [{ name: 'Accept', value: 'text/event-stream' }],
    });
    expect(wire.wants(response())).toBe(true);
    const opened = wire.opened(response());
    expect(opened).toEqual([
      {
        type: 'stream-open',
        stream: 'wire:fx:41',
        kind: 'fetch',
        url: 'http://127.0.0.1:8080/sse',
        method: 'POST',
        requestHeaders: [{ name: 'Accept', value: 'text/event-stream' }],
        frameUrl: 'http://127.0.0.1:8080/page.html',
        time: 1_700_000_000_000,
        seenOn: 'wire',
      },
      {
        type: 'stream-response',
        stream: 'wire:fx:41',
        status: 200,
        statusText: 'OK',
        responseHeaders: [{ name: 'Content-Type', value: 'text/event-stream; charset=utf-8' }],
        contentType: 'text/event-stream; charset=utf-8',
        url: 'http://127.0.0.1:8080/sse',
        time: 1_700_000_000_500,
      },
      { type: 'stream-state', stream: 'wire:fx:41', state: 'open', time: 1_700_000_000_500 },
    ]);
    // "é" split across two chunks: decoded once whole, each chunk's byte count kept.
    const e = bytes('data: é\n\n');
    const first = wire.data('41', e.subarray(0, 7), 1_700_000_000_600);
    const second = wire.data('41', e.subarray(7), 1_700_000_000_700);
    expect(first).toEqual([{ type: 'stream-chunk', stream: 'wire:fx:41', text: 'data: ', bytes: 7, time: 1_700_000_000_600 }]);
    expect(second).toEqual([{ type: 'stream-chunk', stream: 'wire:fx:41', text: 'é\n\n', bytes: 3, time: 1_700_000_000_700 }]);
    const end = wire.stopped('41', 1_700_000_000_800);
    expect(end).toEqual([
      { type: 'stream-state', stream: 'wire:fx:41', state: 'closed', reason: 'ended-by-server', time: 1_700_000_000_800 },
    ]);
    // Every record passes the checks the background applies to what it stores; nothing more after the end.
    for (const record of [...opened, ...first, ...second, ...end]) {
      const { seenOn: _wire, ...asChecked } = record as { seenOn?: string };
      expect(isPageRecord(asChecked)).toBe(true);
    }
    expect(wire.data('41', bytes('late'), 1)).toEqual([]);
    expect(wire.isRecording('41')).toBe(false);
  });

  it('a stream cut inside a character keeps the replacement character, and an abort is the page cancelling', () => {
    const wire = new FilteredResponses();
    wire.opened(response({ requestId: '5' }));
    wire.data('5', bytes('é').subarray(0, 1), 1);
    expect(wire.failed('5', 'NS_BINDING_ABORTED', 2)).toEqual([
      { type: 'stream-chunk', stream: 'wire:fx:5', text: '\uFFFD', bytes: 0, time: 2 },
      {
        type: 'stream-state',
        stream: 'wire:fx:5',
        state: 'closed',
        reason: 'cancelled-by-page',
        detail: 'NS_BINDING_ABORTED',
        time: 2,
      },
    ]);
  });

  it('a network failure is an error with the browser’s words; an HTTP error status says so', () => {
    const wire = new FilteredResponses();
    const opened = wire.opened(response({ requestId: '6', statusCode: 503, statusLine: 'HTTP/1.1 503 Service Unavailable' }));
    expect(opened[2]).toEqual({
      type: 'stream-state',
      stream: 'wire:fx:6',
      state: 'error',
      reason: 'http-error',
      time: 1_700_000_000_500,
    });
    expect(wire.failed('6', 'NS_ERROR_NET_RESET', 3)).toEqual([
      {
        type: 'stream-state',
        stream: 'wire:fx:6',
        state: 'error',
        reason: 'network-error',
        detail: 'NS_ERROR_NET_RESET',
        time: 3,
      },
    ]);
  });

  it('a stream released when deep capture goes off is closed in the log, with why', () => {
    const wire = new FilteredResponses();
    wire.opened(response({ requestId: '8' }));
    const [state] = wire.released('8', 4);
    expect(state).toMatchObject({ type: 'stream-state', stream: 'wire:fx:8', state: 'closed', time: 4 });
    expect((state as { detail: string }).detail).toContain('deep capture turned off');
    expect(wire.released('8', 5)).toEqual([]);
  });

  it('without the request (sent before deep capture was on) the response tells URL, method and time', () => {
    const wire = new FilteredResponses();
    const [open] = wire.opened(response({ requestId: '9', method: 'GET', documentUrl: undefined }));
    expect(open).toMatchObject({
      url: 'http://127.0.0.1:8080/sse',
      method: 'GET',
      requestHeaders: [],
      frameUrl: 'http://127.0.0.1:8080/worker.js',
      time: 1_700_000_000_500,
    });
    // A second response for the same request (a redirect's) is not a second stream.
    expect(wire.opened(response({ requestId: '9' }))).toEqual([]);
  });

  it('keeps at most MAX_PENDING unanswered requests, the oldest going first', () => {
    const wire = new FilteredResponses();
    for (let i = 0; i <= FilteredResponses.MAX_PENDING; i++) {
      wire.sent({ requestId: String(i), url: `http://h/${i}`, method: 'PUT', timeStamp: i });
    }
    const [oldest] = wire.opened(response({ requestId: '0' }));
    expect(oldest).toMatchObject({ method: 'GET', url: 'http://127.0.0.1:8080/sse' });
    const [newest] = wire.opened(response({ requestId: String(FilteredResponses.MAX_PENDING) }));
    expect(newest).toMatchObject({ method: 'PUT', url: `http://h/${FilteredResponses.MAX_PENDING}` });
  });

  it('reads header values given as bytes', () => {
    const wire = new FilteredResponses();
    const headers = [{ name: 'Content-Type', binaryValue: [...bytes('text/event-stream')] }];
    expect(wire.wants(response({ responseHeaders: headers }))).toBe(true);
  });
});

describe('request bodies', () => {
  const buffer = (text: string) => bytes(text).buffer as ArrayBuffer;

  it('a POST body goes with its stream, typed by the request’s Content-Type; other requests’ bodies are dropped', () => {
    const wire = new FilteredResponses();
    wire.began('1', { raw: [{ bytes: buffer('{"model":"m",') }, { bytes: buffer('"stream":true}') }] });
    wire.sent({
      requestId: '1',
      url: 'http://h/v1/chat',
      method: 'POST',
      timeStamp: 1,
      requestHeaders: [{ name: 'Content-Type', value: 'application/json' }],
    });
    const [open] = wire.opened(response({ requestId: '1', method: 'POST' }));
    expect(open).toMatchObject({
      method: 'POST',
      requestBody: { mimeType: 'application/json', text: '{"model":"m","stream":true}' },
    });
    expect(isPageRecord(open)).toBe(false); // seenOn: 'wire' is the background's own mark...
    const { seenOn: _wire, ...asChecked } = open as { seenOn?: string };
    expect(isPageRecord(asChecked)).toBe(true); // ...the rest is an ordinary record.
    wire.began('2', { raw: [{ bytes: buffer('x') }] });
    wire.forget('2');
    const [other] = wire.opened(response({ requestId: '2' }));
    expect(other).not.toHaveProperty('requestBody');
  });

  it('cuts a long body and says so; names files without reading them; reads forms', () => {
    const long = bodyText({ raw: [{ bytes: new Uint8Array(MAX_BODY_BYTES + 10).fill(97).buffer }] })!;
    expect(long).toMatchObject({ truncated: true, size: MAX_BODY_BYTES + 10 });
    expect(long.text).toHaveLength(MAX_BODY_BYTES);
    expect(bodyText({ raw: [{ file: '/tmp/a.bin' }] })).toEqual({ mimeType: '', text: '[file /tmp/a.bin]', truncated: true });
    expect(bodyText({ formData: { q: ['a b', 'c'], n: '1' } })).toEqual({ mimeType: '', text: 'q=a+b&q=c&n=1' });
    expect(bodyText({ raw: [] })).toBeUndefined();
    expect(bodyText({ error: 'unavailable' })).toBeUndefined();
  });

  it('keeps at most MAX_PENDING_BODY_CHARS of bodies waiting, the oldest going first', () => {
    const wire = new FilteredResponses();
    const big = new Uint8Array(FilteredResponses.MAX_PENDING_BODY_CHARS / 2).fill(98).buffer;
    const part = { raw: [{ bytes: big.slice(0, MAX_BODY_BYTES) }] };
    const count = FilteredResponses.MAX_PENDING_BODY_CHARS / MAX_BODY_BYTES + 1;
    for (let i = 0; i < count; i++) wire.began(String(i), part);
    expect(wire.opened(response({ requestId: '0' }))[0]).not.toHaveProperty('requestBody');
    expect(wire.opened(response({ requestId: String(count - 1) }))[0]).toHaveProperty('requestBody');
  });
});

describe('statusText', () => {
  it('is the reason phrase of the status line, empty when there is none', () => {
    expect(statusText('HTTP/1.1 404 Not Found')).toBe('Not Found');
    expect(statusText('HTTP/2 200')).toBe('');
    expect(statusText('')).toBe('');
  });
});

describe('tabsOfRequest', () => {
  const deepTabs = new Map<number, string | undefined>([
    [3, 'http://127.0.0.1:8080'],
    [4, 'http://127.0.0.1:8080'],
    [5, 'https://other.example'],
  ]);
  it('a tab’s own request (documents, dedicated workers) goes to that tab only, if it is in deep mode', () => {
    expect(tabsOfRequest({ tabId: 5, originUrl: 'http://127.0.0.1:8080/' }, deepTabs)).toEqual([5]);
    expect(tabsOfRequest({ tabId: 9 }, deepTabs)).toEqual([]);
  });
  it('a shared or service worker’s request (tab -1) goes to every deep tab of the worker’s origin', () => {
    expect(tabsOfRequest({ tabId: -1, originUrl: 'http://127.0.0.1:8080/test/deep/sw.js' }, deepTabs)).toEqual([3, 4]);
    expect(tabsOfRequest({ tabId: -1, documentUrl: 'https://other.example/a' }, deepTabs)).toEqual([5]);
    expect(tabsOfRequest({ tabId: -1, originUrl: 'https://third.example/sw.js' }, deepTabs)).toEqual([]);
    expect(tabsOfRequest({ tabId: -1 }, deepTabs)).toEqual([]);
  });
});

describe('originOf', () => {
  it('is the origin, or undefined for URLs without one', () => {
    expect(originOf('http://127.0.0.1:8080/a?b')).toBe('http://127.0.0.1:8080');
    expect(originOf('about:blank')).toBeUndefined();
    expect(originOf('not a url')).toBeUndefined();
    expect(originOf(undefined)).toBeUndefined();
  });
});
