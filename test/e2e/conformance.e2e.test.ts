/**
 * Fidelity in real Chromium: for every case of test/conformance/cases.json, the test server sends
 * the case's exact bytes (one write per chunk) twice, from one page load of
 * test/server/pages/test/conformance.html: once to the browser's own EventSource, once to a fetch
 * whose body the page reads. What our extension's tap recorded for the fetch stream, rebuilt the
 * way the panel does (background records → LogStore), must be what EventSource dispatched and what
 * the spec says (`expected`). Where Chromium departs from the spec (`chromiumDeparts`), the tap
 * must follow the spec, and the test checks that Chromium still departs so the list stays true.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, storedRecords, type ExtensionBrowser } from './browser';
import { startServer, type StartedServer } from '../server/sse-server';
import { LogStore } from '../../src/core/log-store';
import {
  chunkBytes,
  isEventStream,
  loadCases,
  streamBytes,
  type ConformanceCase,
  type ExpectedEvent,
} from '../conformance/cases';

interface PageResult {
  id: number;
  es: { events: ExpectedEvent[]; opened: boolean; failed: boolean; timedOut: boolean };
  fetch: { status: number; base64: string } | { error: string };
}

interface Outcome {
  page: PageResult;
  /** Events the tap recorded for the fetch stream; null when it recorded no such stream. */
  tap: ExpectedEvent[] | null;
  tapState: string | null;
  /** Reads the page made of the fetch body, as the tap recorded them. */
  tapReads: number;
}

const cases = loadCases();
/** A fresh EventSource cannot start with a last event ID: those cases are for the unit suite only. */
const browserCases = cases.filter((c) => c.initialLastEventId === undefined);
const unitOnly = cases.filter((c) => c.initialLastEventId !== undefined);
/** Milliseconds between two writes of a case with several chunks, so they reach the page apart. */
const CHUNK_DELAY_MS = 15;
const CONCURRENCY = 3; // cases at a time; each holds two connections, HTTP/1.1 allows six per host

let server: StartedServer;
let browser: ExtensionBrowser;
const outcomes = new Map<number, Outcome>();

function streamUrl(c: ConformanceCase, id: number, via: 'es' | 'fetch'): string {
  const query = new URLSearchParams({ case: String(id), via });
  for (const chunk of c.chunks) query.append('raw', Buffer.from(chunkBytes(chunk)).toString('base64url'));
  if (c.chunks.length > 1) query.set('delay', String(CHUNK_DELAY_MS));
  if (c.contentType !== undefined) query.set('contentType', c.contentType);
  return `/test/stream?${query}`;
}

/**
 * Event types EventSource must be listening for: the expected ones, plus every `event` field value
 * the stream holds, so that a type Chromium dispatches where the spec would not is seen too.
 */
function typesToListen(c: ConformanceCase): string[] {
  const types = new Set(c.expected.map((e) => e.type));
  for (const line of new TextDecoder().decode(streamBytes(c)).split(/\r\n|\r|\n/)) {
    if (line.startsWith('event:')) types.add(line.slice(line.startsWith('event: ') ? 7 : 6));
  }
  types.delete(''); // an empty type dispatches "message"
  return [...types];
}

/** Escapes what a failure message would otherwise hide (CR, NUL, BOM, U+FFFD...). */
function show(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchWithExtension();
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/test/conformance.html`);
  const jobs = browserCases.map((c, id) => ({
    id,
    esUrl: streamUrl(c, id, 'es'),
    fetchUrl: streamUrl(c, id, 'fetch'),
    types: typesToListen(c),
  }));
  const results = (await page.evaluate(
    ([j, n]) => (window as unknown as { runConformance(jobs: unknown, n: number): Promise<unknown> }).runConformance(j, n),
    [jobs, CONCURRENCY] as const,
  )) as PageResult[];

  // The tap's records reach the background in batches: wait until every captured fetch stream is closed.
  const captured = new Set(browserCases.flatMap((c, id) => (isEventStream(c) ? [id] : [])));
  const deadline = Date.now() + 15_000;
  let store: LogStore;
  let fetchConnections: Map<number, { id: string; state: string; reads: number }>;
  for (;;) {
    store = new LogStore();
    store.apply(await storedRecords(browser));
    fetchConnections = new Map();
    for (const connection of store.connectionList) {
      const query = new URL(connection.url, server.url).searchParams;
      if (connection.kind !== 'fetch' || query.get('via') !== 'fetch') continue;
      const id = Number(query.get('case'));
      if (fetchConnections.has(id)) throw new Error(`case ${id}: two fetch streams recorded`);
      fetchConnections.set(id, { id: connection.id, state: connection.state, reads: connection.chunks.length });
    }
    const done = [...captured].every((id) => fetchConnections.get(id)?.state === 'closed');
    if (done || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const result of results) {
    const connection = fetchConnections.get(result.id);
    const tap =
      connection === undefined
        ? null
        : store.items
            .filter((logged) => logged.connectionId === connection.id)
            .flatMap(({ item }) =>
              item.kind === 'event' ? [{ type: item.type, data: item.data, lastEventId: item.lastEventId }] : [],
            );
    outcomes.set(result.id, { page: result, tap, tapState: connection?.state ?? null, tapReads: connection?.reads ?? 0 });
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe(`conformance in Chromium: the tap (fetch) vs the browser's EventSource, ${browserCases.length} cases`, () => {
  browserCases.forEach((c, id) => {
    it(`${c.name}${c.chromiumDeparts ? ' (Chromium departs from the spec)' : ''}`, () => {
      const outcome = outcomes.get(id);
      expect(outcome, 'the page ran the case').toBeDefined();
      const { page, tap, tapState } = outcome!;
      const context = `${c.name} (${c.source})`;

      // The page read exactly the case's bytes: the transport is not what is being tested.
      expect('error' in page.fetch ? page.fetch.error : page.fetch.status, `${context}: fetch`).toBe(200);
      if (!('error' in page.fetch)) {
        expect(Buffer.from(page.fetch.base64, 'base64').equals(Buffer.from(streamBytes(c))), `${context}: bytes read`).toBe(true);
      }
      expect(page.es.timedOut, `${context}: EventSource neither ended nor failed`).toBe(false);
      const native = page.es.events;

      if (!isEventStream(c)) {
        expect(page.es.failed, `${context}: EventSource fails on a non event stream`).toBe(true);
        expect(native).toEqual([]);
        expect(tap, `${context}: the tap does not capture a plain fetch of a non event stream`).toBeNull();
        return;
      }
      expect(tapState, `${context}: the tap recorded the fetch stream to its end`).toBe('closed');
      expect(tap, `${context}: tap ${show(tap)} expected (spec) ${show(c.expected)}`).toEqual(c.expected);
      if (c.chromiumDeparts === undefined) {
        expect(page.es.opened && !page.es.failed, `${context}: EventSource opened and did not fail`).toBe(true);
        expect(tap, `${context}: tap ${show(tap)} vs Chromium's EventSource ${show(native)}`).toEqual(native);
      } else {
        expect(
          native,
          `${context}: Chromium's EventSource now follows the spec here: remove chromiumDeparts ("${c.chromiumDeparts}")`,
        ).not.toEqual(c.expected);
      }
    });
  });

  it('summary', () => {
    const departs = browserCases.filter((c) => c.chromiumDeparts !== undefined);
    expect(outcomes.size).toBe(browserCases.length);
    // Writes CHUNK_DELAY_MS apart usually reach the page as separate reads (not guaranteed: TCP may merge them).
    const multi = browserCases.flatMap((c, id) => (c.chunks.length > 1 && isEventStream(c) ? [{ c, id }] : []));
    const separate = multi.filter(({ c, id }) => outcomes.get(id)!.tapReads >= c.chunks.length).length;
    console.log(
      `SSE conformance in Chromium: ${browserCases.length} cases run through EventSource and the tap ` +
        `(${unitOnly.length} unit-only: ${unitOnly.map((c) => c.name).join(', ')}); ` +
        `${separate} of ${multi.length} multi-chunk cases reached the page in as many reads as writes.\n` +
        `Chromium departs from the spec in ${departs.length}:\n` +
        departs.map((c) => `  - ${c.name}: ${c.chromiumDeparts}`).join('\n'),
    );
  });
});
