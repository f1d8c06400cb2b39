import { describe, expect, it } from 'vitest';
import { UNKNOWN_URL, WireTranslator } from './deep-capture';

const utf8base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

describe('WireTranslator', () => {
  it("turns an EventSource request into a wire stream of its bytes; the browser's events are held while the bytes are asked for", () => {
    const wire = new WireTranslator();
    const open = wire.event('Network.requestWillBeSent', {
      requestId: '7',
      type: 'EventSource',
      documentURL: 'http://127.0.0.1/page',
      request: { url: 'http://127.0.0.1/sse', method: 'GET', headers: { Accept: 'text/event-stream' } },
      timestamp: 100,
      wallTime: 1_700_000_000,
    });
    expect(open.records).toEqual([
      {
        type: 'stream-open',
        stream: 'wire:7',
        kind: 'eventsource',
        url: 'http://127.0.0.1/sse',
        method: 'GET',
        requestHeaders: [{ name: 'Accept', value: 'text/event-stream' }],
        frameUrl: 'http://127.0.0.1/page',
        time: 1_700_000_000_000,
        seenOn: 'wire',
      },
    ]);
    const response = wire.event('Network.responseReceived', {
      requestId: '7',
      timestamp: 100.5,
      response: {
        url: 'http://127.0.0.1/sse',
        status: 200,
        statusText: 'OK',
        headers: { 'Content-Type': 'text/event-stream' },
        mimeType: 'text/event-stream',
      },
    });
    expect(response.records.map((r) => r.type)).toEqual(['stream-response', 'stream-state']);
    // Its bytes were asked for when it was sent (a short stream may be over by its response).
    expect(open.streamContent).toBe('7');
    expect(response.streamContent).toBeUndefined();
    const message = (data: string, timestamp: number) =>
      wire.event('Network.eventSourceMessageReceived', { requestId: '7', timestamp, eventName: 'secret', eventId: '3', data })
        .records;
    // Before the bytes are answered: held (they are in the bytes the browser buffered).
    expect(message('x', 101)).toEqual([]);
    const secret = 'id: 3\nevent: secret\ndata: x\n\n';
    expect(wire.bufferedData('7', utf8base64(secret), 5)).toEqual([
      { type: 'stream-chunk', stream: 'wire:7', text: secret, bytes: secret.length, time: 5 },
    ]);
    // After: the browser's events are not records (the panel parses them from the bytes), the bytes are.
    expect(message('y', 101.2)).toEqual([]);
    expect(
      wire.event('Network.dataReceived', { requestId: '7', timestamp: 101.2, data: utf8base64('data: y\n\n') }).records,
    ).toEqual([{ type: 'stream-chunk', stream: 'wire:7', text: 'data: y\n\n', bytes: 9, time: 1_700_000_001_200 }]);
    // Nothing held is let out later.
    expect(wire.streamFailed('7')).toEqual([]);
    const end = wire.event('Network.loadingFailed', {
      requestId: '7',
      timestamp: 102,
      canceled: true,
      errorText: 'net::ERR_ABORTED',
    });
    expect(end.records).toEqual([
      { type: 'stream-state', stream: 'wire:7', state: 'closed', reason: 'cancelled-by-page', time: 1_700_000_002_000 },
    ]);
  });

  it("falls back to the browser's events, unlistened types included, when an EventSource's bytes cannot be had", () => {
    const wire = new WireTranslator();
    wire.event('Network.requestWillBeSent', {
      requestId: '8',
      type: 'EventSource',
      documentURL: 'http://h/',
      request: { url: 'http://h/sse', method: 'GET' },
      timestamp: 100,
      wallTime: 1_700_000_000,
    });
    wire.event('Network.responseReceived', {
      requestId: '8',
      timestamp: 100,
      response: { url: 'http://h/sse', status: 200, statusText: 'OK', headers: {}, mimeType: 'text/event-stream' },
    });
    const first = wire.event('Network.eventSourceMessageReceived', {
      requestId: '8',
      timestamp: 101,
      eventName: 'update',
      eventId: '',
      data: 'held',
    });
    expect(first.records).toEqual([]);
    const item = (data: string, time: number) => ({ kind: 'event', type: 'update', data, lastEventId: '', time });
    expect(wire.streamFailed('8')).toEqual([{ type: 'sse', stream: 'wire:8', items: [item('held', 1_700_000_001_000)] }]);
    expect(
      wire.event('Network.eventSourceMessageReceived', {
        requestId: '8',
        timestamp: 102,
        eventName: 'update',
        eventId: '',
        data: 'next',
      }).records,
    ).toEqual([{ type: 'sse', stream: 'wire:8', items: [item('next', 1_700_000_002_000)] }]);
    // A late answer or data of the failed stream adds no bytes beside the events.
    expect(wire.bufferedData('8', utf8base64('data: x\n\n'))).toEqual([]);
    expect(
      wire.event('Network.dataReceived', { requestId: '8', timestamp: 103, data: utf8base64('data: x\n\n') }).records,
    ).toEqual([]);
  });

  it("keeps an EventSource's events when it ends before the ask for its bytes was answered, and no bytes of a response that is not a stream", () => {
    const wire = new WireTranslator();
    const send = (requestId: string) =>
      wire.event('Network.requestWillBeSent', {
        requestId,
        type: 'EventSource',
        documentURL: 'http://h/',
        request: { url: `http://h/${requestId}`, method: 'GET' },
        timestamp: 100,
        wallTime: 1_700_000_000,
      });
    const respond = (requestId: string, mimeType: string) =>
      wire.event('Network.responseReceived', {
        requestId,
        timestamp: 100,
        response: { url: `http://h/${requestId}`, status: 200, statusText: 'OK', headers: {}, mimeType },
      });
    send('a');
    respond('a', 'text/event-stream');
    wire.event('Network.eventSourceMessageReceived', {
      requestId: 'a',
      timestamp: 101,
      eventName: 'update',
      eventId: '',
      data: 'u',
    });
    const end = wire.event('Network.loadingFinished', { requestId: 'a', timestamp: 102 });
    expect(end.records).toEqual([
      {
        type: 'sse',
        stream: 'wire:a',
        items: [{ kind: 'event', type: 'update', data: 'u', lastEventId: '', time: 1_700_000_001_000 }],
      },
      { type: 'stream-state', stream: 'wire:a', state: 'closed', reason: 'ended-by-server', time: 1_700_000_002_000 },
    ]);
    // The late answer (an error, or data) adds nothing.
    expect(wire.bufferedData('a', utf8base64('event: update\ndata: u\n\n'))).toEqual([]);
    expect(wire.streamFailed('a')).toEqual([]);

    send('b');
    respond('b', 'text/html');
    expect(wire.bufferedData('b', utf8base64('<h1>Not Found</h1>'))).toEqual([]);
    expect(wire.event('Network.dataReceived', { requestId: 'b', timestamp: 101, data: utf8base64('<p>') }).records).toEqual([]);
  });

  it('opens a stream of unknown URL for messages of a request sent before it attached', () => {
    const wire = new WireTranslator();
    const { records } = wire.event(
      'Network.eventSourceMessageReceived',
      { requestId: '9', timestamp: 50, eventName: 'message', eventId: '', data: 'hi' },
      10_000,
    );
    expect(records.map((r) => r.type)).toEqual(['stream-open', 'sse']);
    expect(records[0]).toMatchObject({ url: UNKNOWN_URL, seenOn: 'wire', kind: 'eventsource', time: 10_000 });
    expect(
      wire.event('Network.eventSourceMessageReceived', {
        requestId: '9',
        timestamp: 51,
        eventName: 'message',
        eventId: '',
        data: 'again',
      }).records,
    ).toHaveLength(1);
  });

  it('streams the bytes of a fetch answered with text/event-stream, and ignores other responses', () => {
    const wire = new WireTranslator();
    for (const id of ['1', '2']) {
      wire.event('Network.requestWillBeSent', {
        requestId: id,
        type: 'Fetch',
        documentURL: 'http://h/',
        request: { url: `http://h/${id}`, method: 'POST', postData: '{}' },
        timestamp: 1,
        wallTime: 1000,
      });
    }
    const json = wire.event('Network.responseReceived', {
      requestId: '2',
      timestamp: 2,
      response: { url: 'http://h/2', status: 200, statusText: 'OK', headers: {}, mimeType: 'application/json' },
    });
    expect(json.records).toEqual([]);
    const sse = wire.event('Network.responseReceived', {
      requestId: '1',
      timestamp: 2,
      response: {
        url: 'http://h/1',
        status: 200,
        statusText: 'OK',
        headers: { 'content-type': 'text/event-stream; charset=utf-8' },
        mimeType: 'text/event-stream',
      },
    });
    expect(sse.streamContent).toBe('1');
    expect(sse.records[0]).toMatchObject({
      type: 'stream-open',
      kind: 'fetch',
      method: 'POST',
      requestBody: { text: '{}' },
      seenOn: 'wire',
      time: 1_000_000,
    });
    expect(sse.records[1]).toMatchObject({ type: 'stream-response', contentType: 'text/event-stream; charset=utf-8' });
    // "é" split across two network chunks: decoded once whole.
    const bytes = new TextEncoder().encode('data: é\n\n');
    const first = wire.bufferedData('1', btoa(String.fromCharCode(...bytes.slice(0, 7))), 5);
    const second = wire.event('Network.dataReceived', {
      requestId: '1',
      timestamp: 3,
      data: btoa(String.fromCharCode(...bytes.slice(7))),
    });
    expect(first).toEqual([{ type: 'stream-chunk', stream: 'wire:1', text: 'data: ', bytes: 7, time: 5 }]);
    expect(second.records).toEqual([
      { type: 'stream-chunk', stream: 'wire:1', text: 'é\n\n', bytes: bytes.length - 7, time: 1_002_000 },
    ]);
    expect(wire.event('Network.dataReceived', { requestId: '2', timestamp: 3, data: utf8base64('x') }).records).toEqual([]);
    expect(wire.event('Network.loadingFinished', { requestId: '1', timestamp: 4 }).records).toEqual([
      { type: 'stream-state', stream: 'wire:1', state: 'closed', reason: 'ended-by-server', time: 1_003_000 },
    ]);
  });
});

describe('WireTranslator in a worker session', () => {
  it('names its streams with its own prefix (request ids of two sessions may meet)', () => {
    const wire = new WireTranslator('wire:2:');
    const { records } = wire.event('Network.requestWillBeSent', {
      requestId: '7',
      type: 'EventSource',
      documentURL: 'blob:http://h/worker',
      request: { url: 'http://h/sse', method: 'GET' },
      timestamp: 1,
      wallTime: 1000,
    });
    expect(records[0]).toMatchObject({ stream: 'wire:2:7', seenOn: 'wire', frameUrl: 'blob:http://h/worker' });
  });
});
