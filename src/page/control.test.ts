/**
 * The page world's command handling, without a browser: forged commands change nothing and throw
 * nothing; a replay dispatches its events on schedule to the live EventSource it names (here an
 * EventTarget standing in for one), records them as replayed, and stops when told; mocks arm and
 * disarm. Node has EventTarget, CustomEvent, MessageEvent and URL, which is all this uses (the DOM's
 * Node is only looked at when the modules load). The mocked fetch and EventSource themselves are
 * covered in real Chromium (test/e2e/replay.e2e.test.ts).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PAGE_EVENT, type PageCommand, type PageStatus, type SseItemRecord } from '../protocol';
import { decodeWireBatch, StreamDecoders } from '../background/wire-decode';
import { installControl } from './control';
import { hasArmedMock, takeMock } from './mock';
import { PageLog } from './page-log';
import { rememberLiveSource } from './replay';
import { StreamTap } from './stream-tap';

vi.hoisted(() => {
  (globalThis as { Node?: unknown }).Node ??= class {};
});

/** Stands in for window. */
const window = new EventTarget() as EventTarget & typeof globalThis;
const statuses: PageStatus[] = [];
const batches: string[] = [];
const pageErrors: unknown[] = [];
let outbox: PageLog;

beforeAll(() => {
  window.addEventListener(PAGE_EVENT.status, (event) =>
    statuses.push(JSON.parse((event as CustomEvent<string>).detail) as PageStatus),
  );
  window.addEventListener(PAGE_EVENT.batch, (event) => batches.push((event as CustomEvent<string>).detail));
  window.addEventListener(PAGE_EVENT.pageHello, () => window.dispatchEvent(new CustomEvent(PAGE_EVENT.relayReady)));
  process.on('uncaughtException', (error) => pageErrors.push(error));
  outbox = new PageLog(window, true);
  installControl(window);
});

afterEach(() => {
  statuses.length = 0;
  batches.length = 0;
});

const send = (detail: unknown) => window.dispatchEvent(new CustomEvent(PAGE_EVENT.command, { detail }));
const command = (c: PageCommand) => send(JSON.stringify(c));
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const statesOf = (id: string) =>
  statuses.filter((s) => s.id === id).map((s) => `${s.state} ${s.delivered ?? ''}/${s.total ?? ''}`);

/** An EventTarget standing in for a live EventSource, with its tap, recording what it dispatches. */
function liveSource(url = 'http://h.test:8080/s?x=1') {
  const source = new EventTarget();
  const tap = new StreamTap(
    outbox,
    { kind: 'eventsource', url, method: 'GET', requestHeaders: [], time: Date.now() },
    'http://h.test:8080/',
  );
  rememberLiveSource(source as EventSource, tap, url);
  const got: { type: string; data: unknown; lastEventId: string; origin: string; trusted: boolean; at: number }[] = [];
  const record = (event: Event) => {
    const e = event as MessageEvent;
    got.push({
      type: e.type,
      data: e.data,
      lastEventId: e.lastEventId,
      origin: e.origin,
      trusted: e.isTrusted,
      at: performance.now(),
    });
  };
  source.addEventListener('tick', record);
  source.addEventListener('message', record);
  return { source, tap, got };
}

function replayedItems(stream: string) {
  batches.length = 0;
  window.dispatchEvent(
    new CustomEvent(PAGE_EVENT.control, { detail: JSON.stringify({ type: 'control', live: false, keep: false, send: 0 }) }),
  );
  const decoders = new StreamDecoders();
  return batches
    .flatMap((json) => decodeWireBatch(json, decoders)!.records.flatMap((r) => r ?? []))
    .filter((r): r is SseItemRecord => r.type === 'sse' && r.stream === stream)
    .flatMap((r) => r.items);
}

describe('forged or malformed commands', () => {
  it('are ignored without a throw, a status or an error on the page', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    for (const detail of [
      undefined,
      null,
      42,
      { type: 'stop', id: 'x' },
      '',
      'not json',
      '{"type":"replay"',
      deep,
      '{"type":"replay","id":"r","stream":"s","events":"all"}',
      '{"type":"mock","id":"m","pattern":"","recording":{}}',
      '{"__proto__":{"type":"stop"},"id":"p"}',
      '{"type":"stop","id":"p","__proto__":{"polluted":true}}',
      JSON.stringify({ type: 'replay', id: 'r', stream: 's', events: [{ at: -1, type: 'm', data: '', lastEventId: '' }] }),
    ]) {
      expect(() => send(detail)).not.toThrow();
    }
    await wait(20);
    // The last-but-one is a valid stop of a command that is not there: answered by nothing.
    expect(statuses).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('a replay to a stream that is not live here says so', async () => {
    command({
      type: 'replay',
      id: 'r-missing',
      stream: 'nope',
      events: [{ at: 0, type: 'message', data: 'x', lastEventId: '' }],
    });
    await wait(5);
    expect(statesOf('r-missing')).toEqual(['not-found 0/1']);
  });
});

describe('replay', () => {
  it('dispatches the events in order, on schedule, as untrusted MessageEvents with the origin, recorded as replayed', async () => {
    const { tap, got } = liveSource();
    const events = [
      { at: 0, type: 'tick', data: 'a', lastEventId: '1' },
      { at: 40, type: 'message', data: 'b', lastEventId: '2' },
      { at: 80, type: 'tick', data: 'c', lastEventId: '2' },
    ];
    command({ type: 'replay', id: 'r-1', stream: tap.id, events });
    expect(got).toEqual([]); // asynchronous, even at 0 ms
    await wait(200);
    expect(got.map(({ type, data, lastEventId, origin, trusted }) => ({ type, data, lastEventId, origin, trusted }))).toEqual(
      events.map(({ type, data, lastEventId }) => ({ type, data, lastEventId, origin: 'http://h.test:8080', trusted: false })),
    );
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(35);
    expect(got[2]!.at - got[0]!.at).toBeGreaterThanOrEqual(75);
    expect(statesOf('r-1')).toEqual(['started 0/3', 'done 3/3']);
    expect(
      replayedItems(tap.id).map((item) => item.kind === 'event' && [item.type, item.data, item.lastEventId, item.replayed]),
    ).toEqual([
      ['tick', 'a', '1', true],
      ['message', 'b', '2', true],
      ['tick', 'c', '2', true],
    ]);
  });

  it('stops when told, and when the EventSource closes', async () => {
    const first = liveSource();
    const events = [
      { at: 0, type: 'tick', data: 'a', lastEventId: '' },
      { at: 150, type: 'tick', data: 'b', lastEventId: '' },
    ];
    command({ type: 'replay', id: 'r-stop', stream: first.tap.id, events });
    await wait(50);
    command({ type: 'stop', id: 'r-stop' });
    await wait(200);
    expect(first.got.map((e) => e.data)).toEqual(['a']);
    expect(statesOf('r-stop')).toEqual(['started 0/2', 'stopped 1/2']);

    const second = liveSource();
    command({ type: 'replay', id: 'r-closed', stream: second.tap.id, events });
    await wait(50);
    second.tap.setState('closed', 'closed-by-page');
    await wait(200);
    expect(second.got.map((e) => e.data)).toEqual(['a']);
    expect(statesOf('r-closed')).toEqual(['started 0/2', 'cancelled 1/2']);
  });
});

describe('mock', () => {
  const recording = {
    source: 'http://h.test/s',
    status: 200,
    statusText: 'OK',
    headers: [],
    responseAt: 0,
    chunks: [],
    events: [],
    endAt: 0,
  };

  it('arms, matches the pattern once, and disarms', async () => {
    command({ type: 'mock', id: 'm-1', pattern: '*/chat*', recording });
    await wait(5);
    expect(statesOf('m-1')).toEqual(['armed /']);
    expect(hasArmedMock()).toBe(true);
    expect(takeMock('http://h.test/other')).toBeUndefined();
    expect(takeMock('http://h.test/api/chat?x=1')?.id).toBe('m-1');
    expect(hasArmedMock()).toBe(false);

    command({ type: 'mock', id: 'm-2', pattern: 'chat', recording });
    command({ type: 'stop', id: 'm-2' });
    await wait(5);
    expect(statesOf('m-2')).toEqual(['armed /', 'stopped /']);
    expect(hasArmedMock()).toBe(false);
  });
});
