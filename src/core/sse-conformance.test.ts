/**
 * Conformance of our parser (SseByteParser: UTF-8 decoding + WHATWG event stream interpretation)
 * against every case of test/conformance/cases.json (WPT eventsource/format-*, Chromium's
 * event_source_parser_test.cc, spec rules). Each case's stream is fed:
 *   (a) whole, in one chunk;
 *   (b) split in two at every byte position (0..length: the empty chunk at either end included);
 *   (c) as the case's own chunks;
 *   (d) one byte per chunk;
 * and the dispatched events (type, data, lastEventId) must be the expected ones every time.
 */
import { describe, expect, it } from 'vitest';
import { SseByteParser } from './sse-parser';
import type { SseItem } from './sse-types';
import {
  chunkBytes,
  isEventStream,
  loadCases,
  streamBytes,
  type ConformanceCase,
  type ExpectedEvent,
} from '../../test/conformance/cases';

interface Outcome {
  events: ExpectedEvent[];
  retries: number[];
}

function parse(c: ConformanceCase, chunks: readonly Uint8Array[]): Outcome {
  const parser = new SseByteParser(c.initialLastEventId === undefined ? {} : { lastEventId: c.initialLastEventId });
  const out: SseItem[] = [];
  let time = 0;
  for (const chunk of chunks) parser.push(chunk, ++time, out);
  parser.end(++time, out);
  const events: ExpectedEvent[] = [];
  const retries: number[] = [];
  for (const item of out) {
    if (item.kind === 'event') events.push({ type: item.type, data: item.data, lastEventId: item.lastEventId });
    else if (item.kind === 'retry') retries.push(item.milliseconds);
  }
  return { events, retries };
}

/** Escapes what a failure message would otherwise hide (CR, NUL, BOM, U+FFFD...). */
function show(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const cases = loadCases();
const parsed = cases.filter(isEventStream);
const notParsed = cases.filter((c) => !isEventStream(c));
const splitCount = (c: ConformanceCase) => streamBytes(c).length + 1;
const totalSplits = parsed.reduce((n, c) => n + splitCount(c), 0);
const totalRuns = parsed.reduce((n, c) => n + 1 + splitCount(c) + 1 + streamBytes(c).length, 0);

describe(`SSE conformance: ${parsed.length} cases × every split position (${totalSplits} two-chunk splits)`, () => {
  function check(c: ConformanceCase, how: string, got: Outcome): void {
    const context = `${c.name} (${c.source}), fed ${how}`;
    expect(got.events, `${context}: events ${show(got.events)} expected ${show(c.expected)}`).toEqual(c.expected);
    if (c.retries !== undefined) expect(got.retries, `${context}: retries`).toEqual(c.retries);
  }

  for (const c of parsed) {
    const bytes = streamBytes(c);
    it(`${c.name}: whole, ${bytes.length + 1} splits, ${c.chunks.length} own chunks, byte by byte`, () => {
      check(c, 'whole', parse(c, [bytes]));
      for (let at = 0; at <= bytes.length; at++) {
        check(c, `split at byte ${at} of ${bytes.length}`, parse(c, [bytes.subarray(0, at), bytes.subarray(at)]));
      }
      check(c, 'as its own chunks', parse(c, c.chunks.map(chunkBytes)));
      check(
        c,
        'byte by byte',
        parse(
          c,
          Array.from(bytes, (b) => Uint8Array.of(b)),
        ),
      );
    });
  }

  it('summary: counts every case and run', () => {
    const ids = new Set(cases.map((c) => c.name));
    expect(ids.size).toBe(cases.length);
    // Every WPT format test and every Chromium parser test is represented (see cases.json sources).
    expect(cases.filter((c) => c.source.startsWith('wpt ')).length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((c) => c.source.startsWith('chromium ')).length).toBeGreaterThanOrEqual(25);
    expect(parsed.length + notParsed.length).toBe(cases.length);
    console.log(
      `SSE conformance: ${cases.length} cases (${parsed.length} parsed; ${notParsed.length} not event streams: ` +
        `${notParsed.map((c) => c.name).join(', ')}); ${totalSplits} two-chunk split positions; ` +
        `${totalRuns} parser runs in all (whole + splits + own chunks + byte by byte).`,
    );
  });
});
