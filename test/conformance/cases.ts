/**
 * The SSE conformance cases (cases.json): byte streams and the events the WHATWG "Server-sent
 * events" parsing rules dispatch for them. Shared by the unit suite (src/core/sse-conformance.test.ts,
 * our parser fed at every split position) and the browser suite (test/e2e/conformance.e2e.test.ts,
 * our tap against Chromium's own EventSource).
 *
 * A case:
 * - `name` (unique), `source`: the test it comes from (WPT eventsource/format-*, Chromium's
 *   event_source_parser_test.cc, or the spec rule it checks);
 * - `chunks`: the stream, one network write each: a string (sent as UTF-8) or `{ base64 }` raw
 *   bytes (invalid UTF-8, partial sequences);
 * - `contentType` (default "text/event-stream"): a type whose essence is not text/event-stream
 *   means "not an event stream" (EventSource fails, the tap does not capture it, the parser is not
 *   involved), so such a case expects no events;
 * - `initialLastEventId`: the last event ID the stream starts with (a reconnected EventSource);
 *   unit only, a fresh EventSource cannot start with one;
 * - `expected`: the events the spec dispatches (type, data, lastEventId), in order;
 * - `retries`: when given, the reconnection times (ms) the stream sets, in order (unit only);
 * - `note`: why the expectation is what it is, when not obvious;
 * - `chromiumDeparts`: set where Chromium's EventSource is known to dispatch something else than the
 *   spec; the browser suite then checks that it still does, and that our tap follows the spec.
 */
import { readFileSync } from 'node:fs';

export interface ExpectedEvent {
  type: string;
  data: string;
  lastEventId: string;
}

export type Chunk = string | { base64: string };

export interface ConformanceCase {
  name: string;
  source: string;
  chunks: Chunk[];
  contentType?: string;
  initialLastEventId?: string;
  expected: ExpectedEvent[];
  retries?: number[];
  note?: string;
  chromiumDeparts?: string;
}

export const CASES_FILE = new URL('./cases.json', import.meta.url);
export const DEFAULT_CONTENT_TYPE = 'text/event-stream';

function fail(where: string, what: string): never {
  throw new Error(`cases.json: ${where}: ${what}`);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** Reads and validates cases.json (a malformed case fails loudly, it is never skipped). */
export function loadCases(): ConformanceCase[] {
  const parsed: unknown = JSON.parse(readFileSync(CASES_FILE, 'utf8'));
  if (!Array.isArray(parsed) || parsed.length === 0) fail('top level', 'expected a non-empty array');
  const names = new Set<string>();
  const known = new Set([
    'name',
    'source',
    'chunks',
    'contentType',
    'initialLastEventId',
    'expected',
    'retries',
    'note',
    'chromiumDeparts',
  ]);
  return parsed.map((raw: unknown, index) => {
    if (typeof raw !== 'object' || raw === null) fail(`#${index}`, 'not an object');
    const c = raw as Record<string, unknown>;
    const where = `#${index} ${String(c.name)}`;
    for (const key of Object.keys(c)) if (!known.has(key)) fail(where, `unknown key ${key}`);
    if (!isString(c.name) || c.name === '') fail(where, 'name');
    if (names.has(c.name)) fail(where, 'duplicate name');
    names.add(c.name);
    if (!isString(c.source) || c.source === '') fail(where, 'source');
    if (!Array.isArray(c.chunks) || c.chunks.length === 0) fail(where, 'chunks');
    for (const chunk of c.chunks as unknown[]) {
      const ok =
        (isString(chunk) && chunk.length > 0) ||
        (typeof chunk === 'object' &&
          chunk !== null &&
          isString((chunk as { base64?: unknown }).base64) &&
          Object.keys(chunk).length === 1);
      if (!ok) fail(where, `bad chunk ${JSON.stringify(chunk)}`);
    }
    for (const key of ['contentType', 'initialLastEventId', 'note', 'chromiumDeparts'] as const) {
      if (c[key] !== undefined && !isString(c[key])) fail(where, key);
    }
    if (!Array.isArray(c.expected)) fail(where, 'expected');
    for (const e of c.expected as unknown[]) {
      const event = e as Record<string, unknown>;
      if (
        typeof e !== 'object' ||
        e === null ||
        Object.keys(event).length !== 3 ||
        !isString(event.type) ||
        !isString(event.data) ||
        !isString(event.lastEventId)
      ) {
        fail(where, `bad expected event ${JSON.stringify(e)}`);
      }
    }
    if (c.retries !== undefined && (!Array.isArray(c.retries) || !c.retries.every((n) => Number.isSafeInteger(n) && n >= 0)))
      fail(where, 'retries');
    const parsedCase = c as unknown as ConformanceCase;
    if (!isEventStream(parsedCase) && parsedCase.expected.length > 0)
      fail(where, 'a non-event-stream content type dispatches nothing');
    return parsedCase;
  });
}

/** The bytes of one chunk. */
export function chunkBytes(chunk: Chunk): Uint8Array {
  return typeof chunk === 'string'
    ? new Uint8Array(Buffer.from(chunk, 'utf8'))
    : new Uint8Array(Buffer.from(chunk.base64, 'base64'));
}

/** The whole stream. */
export function streamBytes(c: ConformanceCase): Uint8Array {
  const parts = c.chunks.map(chunkBytes);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function contentTypeOf(c: ConformanceCase): string {
  return c.contentType ?? DEFAULT_CONTENT_TYPE;
}

/** Whether the case's Content-Type makes it an event stream (MIME essence text/event-stream). */
export function isEventStream(c: ConformanceCase): boolean {
  return contentTypeOf(c).split(';')[0]!.trim().toLowerCase() === 'text/event-stream';
}
