/** Shared by the AI unit tests: feed a fixture to an assembler, compare conversations without times. */
import { AiStreamAssembler, type AssemblerOptions } from './assembler';
import { RESPONSE_TIME, type Fixture } from './fixtures/load';
import type { PageRecord, StoredRecord } from '../../protocol';
import type { Conversation } from './types';

/** Chunk i reaches the page at RESPONSE_TIME + 10·(i+1); the stream ends 5 ms after the last. */
export function assemble(
  fixture: Fixture,
  chunks: readonly string[] = [fixture.body],
  options: AssemblerOptions = {},
  end = true,
) {
  const assembler = new AiStreamAssembler(fixture.request, options);
  assembler.response(fixture.response);
  chunks.forEach((chunk, i) => assembler.body(chunk, RESPONSE_TIME + 10 * (i + 1)));
  if (end) assembler.end(RESPONSE_TIME + 10 * chunks.length + 5);
  return assembler;
}

const TIME_KEYS = new Set(['time', 'startTime', 'endTime', 'finishTime', 'requestTime', 'responseTime', 'version']);

/** The conversation as plain data without times (which depend on how the body was chunked). */
export function timeless(conversation: Conversation): unknown {
  return JSON.parse(JSON.stringify(conversation, (key, value: unknown) => (TIME_KEYS.has(key) ? undefined : value)));
}

/** The body cut into lines (each line its own chunk, line ending included). */
export function lineChunks(body: string): string[] {
  return body.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

let seq = 0;
/** A record stamped the way the background stamps them (frame 0, increasing seq). */
export const stored = (record: PageRecord): StoredRecord => ({ ...record, frameId: 0, seq: seq++ }) as StoredRecord;

/** A fixture as LogStore batches: open + response, one batch per chunk, then closed. */
export function fixtureRecords(
  stream: string,
  fixture: Fixture,
  chunks: string[],
  kind: 'fetch' | 'xhr' = 'fetch',
): StoredRecord[][] {
  const batches: StoredRecord[][] = [];
  batches.push([
    stored({
      type: 'stream-open',
      stream,
      kind,
      url: fixture.request.url,
      method: fixture.request.method,
      requestHeaders: [...fixture.request.headers],
      ...(fixture.request.body === undefined
        ? {}
        : { requestBody: { mimeType: 'application/json', text: fixture.request.body } }),
      frameUrl: 'https://app.example/',
      time: fixture.request.time,
    }),
    stored({
      type: 'stream-response',
      stream,
      status: fixture.response.status,
      statusText: 'OK',
      responseHeaders: [...fixture.response.headers],
      contentType: fixture.response.contentType,
      time: fixture.response.time,
    }),
  ]);
  chunks.forEach((text, i) =>
    batches.push([
      stored({ type: 'stream-chunk', stream, text, bytes: text.length, time: fixture.response.time + 10 * (i + 1) }),
    ]),
  );
  batches.push([
    stored({
      type: 'stream-state',
      stream,
      state: 'closed',
      reason: 'ended-by-server',
      time: fixture.response.time + 10 * chunks.length + 5,
    }),
  ]);
  return batches;
}
