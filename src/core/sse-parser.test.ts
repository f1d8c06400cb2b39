import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_EVENT_LENGTH, nearMissMessage, SseByteParser, SseTextParser, type SseParserOptions } from './sse-parser';
import type { SseEvent, SseItem, SseWarningCode } from './sse-types';

// ---------------------------------------------------------------------------------------------
// helpers

type Untimed = Record<string, unknown>;

const encoder = new TextEncoder();
const BOM = [0xef, 0xbb, 0xbf];

/** Bytes from UTF-8 encoded strings and raw byte arrays. */
function bytesOf(...parts: (string | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

function untimed(items: SseItem[]): Untimed[] {
  return items.map((item) => {
    const { time: _time, ...rest } = item;
    return rest;
  });
}

interface Run {
  items: SseItem[];
  lastEventId: string;
  /** Concatenated text the byte parser returned (push + end). */
  text: string;
  bytes: number;
}

/** Feeds byte chunks (chunk i delivered at time i + 1) then ends the stream at time chunks + 1. */
function runBytes(chunks: Uint8Array[], options?: SseParserOptions): Run {
  const parser = new SseByteParser(options);
  const items: SseItem[] = [];
  let text = '';
  chunks.forEach((chunk, i) => {
    text += parser.push(chunk, i + 1, items);
  });
  text += parser.end(chunks.length + 1, items);
  return { items, lastEventId: parser.lastEventId, text, bytes: parser.bytes };
}

function runText(chunks: string[], options?: SseParserOptions): Run {
  const parser = new SseTextParser(options);
  const items: SseItem[] = [];
  chunks.forEach((chunk, i) => parser.push(chunk, i + 1, items));
  parser.end(chunks.length + 1, items);
  return { items, lastEventId: parser.lastEventId, text: chunks.join(''), bytes: 0 };
}

const ONE_BYTE_AT_A_TIME_MAX = 512;

/**
 * Runs `bytes` whole, then split in two at every byte boundary, then (when short) one byte at a
 * time; every run must give the same items (time aside), the same last event ID and the same text.
 */
function runBytesEverySplit(bytes: Uint8Array, options?: SseParserOptions): Run {
  const whole = runBytes([bytes], options);
  const expected = { items: untimed(whole.items), lastEventId: whole.lastEventId, text: whole.text };
  for (let i = 0; i <= bytes.length; i++) {
    const split = runBytes([bytes.subarray(0, i), bytes.subarray(i)], options);
    const got = { items: untimed(split.items), lastEventId: split.lastEventId, text: split.text };
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      expect(got, `split at byte ${i} of ${bytes.length}`).toEqual(expected);
    }
  }
  if (bytes.length <= ONE_BYTE_AT_A_TIME_MAX) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i++) chunks.push(bytes.subarray(i, i + 1));
    const single = runBytes(chunks, options);
    expect({ items: untimed(single.items), lastEventId: single.lastEventId, text: single.text }, 'one byte at a time').toEqual(
      expected,
    );
  }
  return whole;
}

/** The same for text (split at every UTF-16 code unit, and one code unit at a time). */
function runTextEverySplit(text: string, options?: SseParserOptions): Run {
  const whole = runText([text], options);
  const expected = { items: untimed(whole.items), lastEventId: whole.lastEventId };
  for (let i = 0; i <= text.length; i++) {
    const split = runText([text.slice(0, i), text.slice(i)], options);
    const got = { items: untimed(split.items), lastEventId: split.lastEventId };
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      expect(got, `split at code unit ${i} of ${text.length}`).toEqual(expected);
    }
  }
  if (text.length <= ONE_BYTE_AT_A_TIME_MAX) {
    const single = runText(text.split(''), options);
    expect({ items: untimed(single.items), lastEventId: single.lastEventId }, 'one code unit at a time').toEqual(expected);
  }
  return whole;
}

/** An expected event (time aside). */
function ev(data: string, type = 'message', lastEventId = '', extra: Partial<SseEvent> = {}): Untimed {
  return { kind: 'event', type, data, lastEventId, ...extra };
}
const idSet = { idSet: true } as const;
const comment = (text: string): Untimed => ({ kind: 'comment', text });
const retry = (milliseconds: number): Untimed => ({ kind: 'retry', milliseconds });
const field = (name: string, value: string): Untimed => ({ kind: 'field', name, value });
/** An expected warning; without `message`, any message. */
function warn(code: SseWarningCode, message?: string): Untimed {
  return { kind: 'warning', code, message: message ?? expect.any(String) };
}

function events(items: SseItem[]): SseEvent[] {
  return items.filter((i): i is SseEvent => i.kind === 'event');
}

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// byte-level cases: each is also run split at every byte boundary and one byte at a time

interface ByteCase {
  name: string;
  input: Uint8Array;
  /** Every item the parser must produce, in order, time aside (end-of-stream warnings included). */
  items: Untimed[];
  lastEventId?: string;
  options?: SseParserOptions;
}

const L = 'x'.repeat(2 * 1024);

const byteCases: ByteCase[] = [
  // --- web-platform-tests eventsource/format-*.htm (the server appends what message.py appends)
  {
    name: 'wpt format-bom: one leading BOM is stripped, a later one is part of the field name',
    input: bytesOf(BOM, 'data:1\n\n', BOM, 'data:2\n\ndata:3', '\n\n\n'),
    items: [
      ev('1'),
      field('\uFEFFdata', '2'),
      warn('unknown-field', 'field `\uFEFFdata` (leading BOM (U+FEFF)) is not `data`: ignored'),
      ev('3'),
    ],
  },
  {
    name: 'wpt format-bom-2: only the first of two BOMs is stripped',
    input: bytesOf(BOM, BOM, 'data:1\n\ndata:2\n\ndata:3', '\n\n\n'),
    items: [field('\uFEFFdata', '1'), warn('unknown-field'), ev('2'), ev('3')],
  },
  {
    name: 'wpt format-comments',
    input: bytesOf(`data:1\r:\0\n:\r\ndata:2\n:${L}\rdata:3\n:data:fail\r:${L}\ndata:4\n`, '\n'),
    items: [comment('\0'), comment(''), comment(L), comment('data:fail'), comment(L), ev('1\n2\n3\n4')],
  },
  {
    name: 'wpt format-data-before-final-empty-line: the unterminated event is discarded',
    input: bytesOf('retry:1000\ndata:test1\n\nid:test\ndata:test2', '\n'),
    items: [retry(1000), ev('test1'), warn('incomplete-final-event')],
    lastEventId: 'test',
  },
  {
    name: 'wpt format-field-data',
    input: bytesOf('data:\n\ndata\ndata\n\ndata:test', '\n\n\n'),
    items: [ev(''), ev('\n'), ev('test')],
  },
  {
    name: 'wpt format-field-event',
    input: bytesOf('event:test\ndata:x\n\ndata:x', '\n\n\n'),
    items: [ev('x', 'test'), ev('x')],
  },
  {
    name: 'wpt format-field-event-empty: an empty event type means "message"',
    input: bytesOf('event: \ndata:data', '\n\n\n'),
    items: [ev('data')],
  },
  {
    name: 'wpt format-field-id (multi-byte id)',
    input: bytesOf('id: …\nretry: 200\ndata: hello\n\n'),
    items: [retry(200), ev('hello', 'message', '…', idSet)],
    lastEventId: '…',
  },
  {
    name: 'wpt format-field-id-2: the reconnected stream starts from the previous last event ID',
    input: bytesOf('data: …\n\n'),
    options: { lastEventId: '…' },
    items: [ev('…', 'message', '…')],
    lastEventId: '…',
  },
  {
    name: 'wpt format-field-id-3: id persists',
    input: bytesOf('id: 1\ndata: 1\n\ndata:2\n\n'),
    items: [ev('1', 'message', '1', idSet), ev('2', 'message', '1')],
    lastEventId: '1',
  },
  {
    name: 'wpt format-field-id-3: id changes and persists',
    input: bytesOf('id: 1\ndata: 1\n\nid: 2\ndata:2\n\ndata:3\n\n'),
    items: [ev('1', 'message', '1', idSet), ev('2', 'message', '2', idSet), ev('3', 'message', '2')],
    lastEventId: '2',
  },
  {
    name: 'wpt format-field-id-3: an empty id resets it',
    input: bytesOf('id: 1\ndata: 1\n\nid:\ndata:2\n\ndata:3\n\n'),
    items: [ev('1', 'message', '1', idSet), ev('2', 'message', '', idSet), ev('3', 'message', '')],
    lastEventId: '',
  },
  {
    name: 'wpt format-field-id-null: an id containing U+0000 is ignored',
    input: bytesOf('id: \0\0\nretry: 200\ndata: hello\n\n'),
    items: [warn('id-contains-nul'), retry(200), ev('hello')],
    lastEventId: '',
  },
  {
    name: 'wpt format-field-parsing',
    input: bytesOf(
      'data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n',
      '\n',
    ),
    items: [
      field('Data', '1'),
      warn('unknown-field', 'field `Data` (different case; field names are case-sensitive) is not `data`: ignored'),
      field('data\0', '2'),
      field('\0data', '4'),
      field('da-ta', '3'),
      field('data_5', ''),
      field(' data', '32'),
      warn('unknown-field', 'field ` data` (leading space) is not `data`: ignored'),
      ev('\0\n 2\n1\n3\n\n4'),
    ],
  },
  {
    name: 'wpt format-field-retry: decimal, leading zeros',
    input: bytesOf('retry:02000\ndata:x', '\n\n\n'),
    items: [retry(2000), ev('x')],
  },
  {
    name: 'wpt format-field-retry-bogus',
    input: bytesOf('retry:2000\nretry:1000x\ndata:x', '\n\n\n'),
    items: [retry(2000), warn('retry-not-digits', 'retry value `1000x` is not ASCII digits only: ignored'), ev('x')],
  },
  {
    name: 'wpt format-field-retry-empty',
    input: bytesOf('retry\ndata:test', '\n\n\n'),
    items: [warn('retry-not-digits', 'retry field with an empty value: ignored'), ev('test')],
  },
  {
    name: 'wpt format-field-unknown',
    input: bytesOf('data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test', '\n\n\n'),
    items: [
      field(' data', ''),
      warn('unknown-field'),
      field('foobar', 'xxx'),
      field('justsometext', ''),
      comment('thisisacommentyay'),
      ev('test\n\ntest'),
    ],
  },
  {
    name: 'wpt format-leading-space: only one U+0020 is removed, a tab is kept',
    input: bytesOf('data:\ttest\rdata: \ndata:test', '\n\n\n'),
    items: [ev('\ttest\n\ntest')],
  },
  {
    name: 'wpt format-newlines',
    input: bytesOf('data:test\r\ndata\ndata:test\r\n\r', '\n'),
    items: [ev('test\n\ntest')],
  },
  {
    name: 'wpt format-null-character',
    input: bytesOf('data:\0\n\n', '\n\n\n'),
    items: [ev('\0')],
  },
  {
    name: 'wpt format-utf-8: always UTF-8',
    input: bytesOf('data:ok', [0xe2, 0x80, 0xa6], '\n\n\n'),
    items: [ev('ok…')],
  },

  // --- decoding
  {
    name: 'invalid UTF-8 becomes U+FFFD (maximal subparts)',
    input: bytesOf('data:', [0xff], 'a', [0xc3, 0x28], 'b', [0xed, 0xa0, 0x80], '\n\n'),
    items: [ev('\uFFFDa\uFFFD(b\uFFFD\uFFFD\uFFFD')],
  },
  {
    name: 'multi-byte characters (2, 3 and 4 bytes) everywhere',
    input: bytesOf('event: ünïcødé\nid: 😀\ndata: 日本語 😀\n:é\n\n'),
    items: [comment('é'), ev('日本語 😀', 'ünïcødé', '😀', idSet)],
    lastEventId: '😀',
  },
  {
    name: 'an incomplete UTF-8 sequence at the end of the stream becomes U+FFFD (and is discarded)',
    input: bytesOf('data: a\n\ndata: b', [0xe2, 0x82]),
    items: [ev('a'), warn('incomplete-final-event')],
  },

  // --- line endings
  {
    name: 'CRLF line endings',
    input: bytesOf('data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n'),
    items: [ev('a\nb'), ev('c')],
  },
  {
    name: 'lone CR line endings',
    input: bytesOf('data: a\rdata: b\r\rid: 3\revent: e\rdata: c\r\r'),
    items: [ev('a\nb'), ev('c', 'e', '3', idSet)],
    lastEventId: '3',
  },
  {
    name: 'CR CR LF is a line end then a blank line',
    input: bytesOf('data: a\r\r\ndata: b\n\n'),
    items: [ev('a'), ev('b')],
  },
  {
    name: 'LF CR is a line end then a blank line',
    input: bytesOf('data: a\n\rdata: b\n\n'),
    items: [ev('a'), ev('b')],
  },
  {
    name: 'mixed line endings in one event',
    input: bytesOf('data: 1\rdata: 2\ndata: 3\r\ndata: 4\r\n\n'),
    items: [ev('1\n2\n3\n4')],
  },
  {
    name: 'blank lines alone dispatch nothing',
    input: bytesOf('\n\r\n\r\n\n\r\r'),
    items: [],
  },

  // --- fields
  {
    name: 'colons in the value; only the first colon splits, only one space is removed',
    input: bytesOf('data:a:b\ndata::c\ndata: :d\ndata:  e\ndata:f \ndata: \n\n'),
    items: [ev('a:b\n:c\n:d\n e\nf \n')],
  },
  {
    name: 'comments keep their text exactly (leading space included)',
    input: bytesOf(': heartbeat\n:\n::x\n:  two\n'),
    items: [comment(' heartbeat'), comment(''), comment(':x'), comment('  two')],
  },
  {
    name: 'event type: last wins, reset after each dispatch',
    input: bytesOf('event: a\nevent: b\ndata: 1\n\ndata: 2\n\nevent: c\nevent\ndata: 3\n\n'),
    items: [ev('1', 'b'), ev('2'), ev('3')],
  },
  {
    name: 'a block with an event type but no data dispatches nothing, and resets the type',
    input: bytesOf('event: ping\n\ndata: x\n\n'),
    items: [warn('event-without-data', expect.stringContaining('`ping`') as unknown as string), ev('x')],
  },
  {
    name: 'an id-only block sets the last event ID without dispatching; idSet is per block',
    input: bytesOf('id: 7\n\ndata: x\n\nid\ndata: y\n\n'),
    items: [ev('x', 'message', '7'), ev('y', 'message', '', idSet)],
    lastEventId: '',
  },
  {
    name: 'an id containing U+0000 keeps the previous id',
    input: bytesOf('id: a\ndata: 1\n\nid: b\0c\ndata: 2\n\n'),
    items: [ev('1', 'message', 'a', idSet), warn('id-contains-nul'), ev('2', 'message', 'a')],
    lastEventId: 'a',
  },
  {
    name: 'retry: ASCII digits only',
    input: bytesOf(
      'retry: 1000\nretry:  5\nretry: -1\nretry: +1\nretry: 1.5\nretry: 1e3\nretry: ١٢\nretry: 12 \nretry:0\nretry: 99999999999999999999999\n',
    ),
    items: [
      retry(1000),
      warn('retry-not-digits', 'retry value ` 5` is not ASCII digits only: ignored'),
      warn('retry-not-digits'),
      warn('retry-not-digits'),
      warn('retry-not-digits'),
      warn('retry-not-digits'),
      warn('retry-not-digits'),
      warn('retry-not-digits'),
      retry(0),
      retry(Number.MAX_SAFE_INTEGER),
    ],
  },
  {
    name: 'field names are case-sensitive; near misses are flagged',
    input: bytesOf('DATA: x\nEvent: y\nID: 3\nRetry: 5\nevent : z\ndata\t: w\nfoo: bar\n\n'),
    items: [
      field('DATA', 'x'),
      warn('unknown-field', 'field `DATA` (different case; field names are case-sensitive) is not `data`: ignored'),
      field('Event', 'y'),
      warn('unknown-field'),
      field('ID', '3'),
      warn('unknown-field'),
      field('Retry', '5'),
      warn('unknown-field'),
      field('event ', 'z'),
      warn('unknown-field', 'field `event ` (trailing space) is not `event`: ignored'),
      field('data\t', 'w'),
      warn('unknown-field', 'field `data\t` (trailing tab) is not `data`: ignored'),
      field('foo', 'bar'),
    ],
    lastEventId: '',
  },
  {
    name: 'a stream ending mid-line discards the pending event',
    input: bytesOf('data: a\n\ndata: b'),
    items: [ev('a'), warn('incomplete-final-event', expect.stringContaining('unterminated line') as unknown as string)],
  },
  {
    name: 'a stream ending after an id line warns that the id was never dispatched',
    input: bytesOf('data: a\n\nid: 9\n'),
    items: [ev('a'), warn('incomplete-final-event', expect.stringContaining('`9`') as unknown as string)],
    lastEventId: '9',
  },
  {
    name: 'a stream ending after a comment or a retry is complete',
    input: bytesOf('data: a\n\n:bye\nretry: 10\n:unterminated comment'),
    items: [ev('a'), comment('bye'), retry(10)],
  },
  { name: 'empty stream', input: bytesOf(''), items: [] },

  // --- the cap (small caps, so every split also exercises the pending-line path)
  {
    name: 'cap: a data line longer than the cap is cut',
    options: { maxEventLength: 8 },
    input: bytesOf('data: 0123456789\n\ndata: after\n\n'),
    items: [
      warn('line-truncated', '`data` value of 10 code units cut to its first 8'),
      ev('01234567', 'message', '', { truncated: { originalLength: 10 } }),
      ev('after'),
    ],
  },
  {
    name: 'cap: exactly at the cap is not cut',
    options: { maxEventLength: 8 },
    input: bytesOf('data: 01234567\n\n:abcdefgh\n'),
    items: [ev('01234567'), comment('abcdefgh')],
  },
  {
    name: 'cap: several lines together over the cap',
    options: { maxEventLength: 8 },
    input: bytesOf('data: 1234\ndata: 5678\n\n'),
    items: [warn('event-truncated'), ev('1234\n567', 'message', '', { truncated: { originalLength: 9 } })],
  },
  {
    name: 'cap: a long line, then more lines',
    options: { maxEventLength: 8 },
    input: bytesOf('data: 123\ndata: 456789012345\ndata: x\n\n'),
    items: [
      warn('line-truncated'),
      warn('event-truncated'),
      ev('123\n4567', 'message', '', { truncated: { originalLength: 3 + 1 + 12 + 1 + 1 } }),
    ],
  },
  {
    name: 'cap: comments, event types and unknown fields are cut too',
    options: { maxEventLength: 8 },
    input: bytesOf(`:${'c'.repeat(20)}\nevent: abcdefghijkl\nfoo: 0123456789\ndata: x\n\n`),
    items: [
      comment('cccccccc'),
      warn('line-truncated', 'comment of 20 code units cut to its first 8'),
      warn('line-truncated'),
      field('foo', '01234567'),
      warn('line-truncated'),
      ev('x', 'abcdefgh'),
    ],
  },
  {
    name: 'cap: field names are kept up to 64 code units; the value after a 64-unit name is capped',
    options: { maxEventLength: 8 },
    input: bytesOf(`${'n'.repeat(100)}\n${'m'.repeat(100)}: v\n${'k'.repeat(64)}: ${'v'.repeat(100)}\n${'j'.repeat(65)}:v\n`),
    items: [
      field('n'.repeat(64), ''),
      warn('line-truncated'),
      field('m'.repeat(64), ''),
      warn('line-truncated'),
      field('k'.repeat(64), 'v'.repeat(8)),
      warn('line-truncated'),
      field('j'.repeat(64), ''),
      warn('line-truncated'),
    ],
  },
];

describe('SseByteParser: spec cases, whole and split at every byte boundary', () => {
  for (const c of byteCases) {
    it(c.name, () => {
      const run = runBytesEverySplit(c.input, c.options);
      expect(untimed(run.items)).toEqual(c.items);
      if (c.lastEventId !== undefined) expect(run.lastEventId).toBe(c.lastEventId);
      expect(run.bytes).toBe(c.input.length);
    });
  }
});

describe('SseTextParser: the same cases as text, split at every code unit', () => {
  for (const c of byteCases) {
    // The text parser does not strip a BOM (the decoder does); those cases are below.
    if (c.input[0] === 0xef || c.name.includes('UTF-8')) continue;
    it(c.name, () => {
      const text = new TextDecoder().decode(c.input);
      const run = runTextEverySplit(text, c.options);
      expect(untimed(run.items)).toEqual(c.items);
      if (c.lastEventId !== undefined) expect(run.lastEventId).toBe(c.lastEventId);
    });
  }

  it('does not strip a leading BOM (the decoder does)', () => {
    const run = runText(['\uFEFFdata: x\n\ndata: y\n\n']);
    expect(untimed(run.items)).toEqual([field('\uFEFFdata', 'x'), warn('unknown-field'), ev('y')]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('chunk boundaries and timing', () => {
  it('an event split over chunks gets the time of the chunk holding its blank line', () => {
    const parser = new SseTextParser();
    const out: SseItem[] = [];
    parser.push('event: up', 10, out);
    parser.push('date\ndata: hel', 20, out);
    parser.push('lo\n', 30, out);
    expect(out).toEqual([]);
    parser.push('\ndata: next\n\n', 40, out);
    expect(out).toEqual([
      { kind: 'event', type: 'update', data: 'hello', lastEventId: '', time: 40 },
      { kind: 'event', type: 'message', data: 'next', lastEventId: '', time: 40 },
    ]);
  });

  it('comments, retries, fields and warnings get the time of the chunk that ends their line', () => {
    const parser = new SseTextParser();
    const out: SseItem[] = [];
    parser.push(':a', 1, out);
    parser.push('b\nretry: 5', 2, out);
    parser.push('0\nfoo', 3, out);
    parser.push(': x\nretry: y\n', 4, out);
    parser.end(5, out);
    expect(out).toEqual([
      { kind: 'comment', text: 'ab', time: 2 },
      { kind: 'retry', milliseconds: 50, time: 3 },
      { kind: 'field', name: 'foo', value: 'x', time: 4 },
      { kind: 'warning', code: 'retry-not-digits', message: expect.any(String), time: 4 },
    ]);
  });

  it('events of one chunk share its time', () => {
    const out: SseItem[] = [];
    new SseTextParser().push('data: 1\n\ndata: 2\n\n: c\n', 7.25, out);
    expect(out.map((i) => i.time)).toEqual([7.25, 7.25, 7.25]);
  });

  it('a CR ending a chunk ends the line at once; the LF starting the next chunk is part of it', () => {
    const parser = new SseTextParser();
    const out: SseItem[] = [];
    parser.push('data: a\r\n\r', 1, out);
    expect(untimed(out)).toEqual([ev('a')]);
    expect(out[0]!.time).toBe(1);
    // This LF completes the CRLF: it must not be a second blank line (which would reset the type).
    parser.push('\nevent: x\r', 2, out);
    parser.push('', 3, out);
    parser.push('', 4, out);
    parser.push('\ndata: y\r', 5, out);
    parser.push('\n\r', 6, out);
    parser.push('\n', 7, out);
    expect(untimed(out)).toEqual([ev('a'), ev('y', 'x')]);
    expect(out[1]!.time).toBe(6);
  });

  it('a CR ending a chunk then a CR starting the next is a blank line', () => {
    const parser = new SseTextParser();
    const out: SseItem[] = [];
    parser.push('data: a\r', 1, out);
    parser.push('\rdata: b\r', 2, out);
    parser.push('\r', 3, out);
    expect(out).toEqual([
      { kind: 'event', type: 'message', data: 'a', lastEventId: '', time: 2 },
      { kind: 'event', type: 'message', data: 'b', lastEventId: '', time: 3 },
    ]);
  });

  it('CRLF split across byte chunks is one line ending', () => {
    const run = runBytes([bytesOf('event: x\r'), bytesOf('\ndata: 1\r'), bytesOf('\n\r'), bytesOf('\n')]);
    expect(untimed(run.items)).toEqual([ev('1', 'x')]);
    expect(run.items[0]!.time).toBe(3);
  });

  it('a multi-byte character split across byte chunks decodes, and the text is returned chunk by chunk', () => {
    const input = bytesOf('data: 😀é…\n\n');
    const parser = new SseByteParser();
    const out: SseItem[] = [];
    const texts: string[] = [];
    for (let i = 0; i < input.length; i++) texts.push(parser.push(input.subarray(i, i + 1), i, out));
    texts.push(parser.end(99, out));
    expect(texts.join('')).toBe('data: 😀é…\n\n');
    expect(texts.slice(6, 10)).toEqual(['', '', '', '😀']);
    expect(untimed(out)).toEqual([ev('😀é…')]);
    expect(parser.bytes).toBe(input.length);
  });

  it('end() stamps its warning with its own time and leaves the parser ready for a new stream', () => {
    const parser = new SseTextParser();
    const out: SseItem[] = [];
    parser.push('id: 5\ndata: 1\n\ndata: lost\nevent: t', 1, out);
    parser.end(2, out);
    expect(out.slice(1)).toEqual([{ kind: 'warning', code: 'incomplete-final-event', message: expect.any(String), time: 2 }]);
    out.length = 0;
    parser.push('data: 2\n\n', 3, out);
    expect(out).toEqual([{ kind: 'event', type: 'message', data: '2', lastEventId: '5', time: 3 }]);
  });

  it('a clean end adds nothing', () => {
    const out: SseItem[] = [];
    const parser = new SseTextParser();
    parser.push('data: 1\n\n:c\n', 1, out);
    parser.end(2, out);
    expect(out.map((i) => i.kind)).toEqual(['event', 'comment']);
  });

  it('the byte parser strips a BOM split across chunks, once per stream', () => {
    const run = runBytes([Uint8Array.from([0xef]), Uint8Array.from([0xbb]), bytesOf([0xbf], 'data: x\n\n')]);
    expect(untimed(run.items)).toEqual([ev('x')]);
    expect(run.text).toBe('data: x\n\n');
  });
});

// ---------------------------------------------------------------------------------------------

describe('the cap', () => {
  it('a 50 MB single data line fed in 64 KiB chunks: bounded, fast, and counted exactly', () => {
    const CHUNK = 64 * 1024;
    const CHUNKS = 800; // 50 MiB of value
    const chunk = new Uint8Array(CHUNK).fill(0x78); // "x"
    const parser = new SseByteParser();
    const out: SseItem[] = [];
    const started = performance.now();
    parser.push(bytesOf('id: big\ndata: '), 1, out);
    for (let i = 0; i < CHUNKS; i++) {
      parser.push(chunk, 2, out);
      if (i === CHUNKS / 2) {
        // White-box: the pending line is kept only up to the cap (+ "data: "), however long it is.
        const pending = (parser as unknown as { parser: { partial: string; partialLength: number } }).parser;
        expect(pending.partial.length).toBeLessThanOrEqual(DEFAULT_MAX_EVENT_LENGTH + 'data: '.length);
        expect(pending.partialLength).toBe('data: '.length + (i + 1) * CHUNK);
      }
    }
    parser.push(bytesOf('\n\ndata: after\n\n'), 3, out);
    parser.end(4, out);
    const elapsed = performance.now() - started;

    expect(out.map((i) => i.kind)).toEqual(['warning', 'event', 'event']);
    const [warning, big, after] = out as [SseItem, SseEvent, SseEvent];
    expect(warning).toMatchObject({ code: 'line-truncated', time: 3 });
    expect(big.data.length).toBe(DEFAULT_MAX_EVENT_LENGTH);
    expect(big.data.length).toBeLessThanOrEqual(DEFAULT_MAX_EVENT_LENGTH);
    expect(big.data.charAt(0) + big.data.charAt(big.data.length - 1)).toBe('xx');
    expect(big.data.indexOf('d')).toBe(-1);
    expect(big.truncated).toEqual({ originalLength: CHUNK * CHUNKS });
    expect(big).toMatchObject({ type: 'message', lastEventId: 'big', idSet: true, time: 3 });
    expect(after).toEqual({ kind: 'event', type: 'message', data: 'after', lastEventId: 'big', time: 3 });
    expect(parser.bytes).toBe('id: big\ndata: '.length + CHUNK * CHUNKS + '\n\ndata: after\n\n'.length);
    expect(elapsed).toBeLessThan(1500);
  });

  it('many data lines adding up past the default cap', () => {
    const line = `data: ${'y'.repeat(1023)}\n`; // 1024 code units per line with its LF
    const out: SseItem[] = [];
    const parser = new SseTextParser();
    for (let i = 0; i < 2048; i++) parser.push(line, 1, out);
    parser.push('\n', 2, out);
    expect(out.map((i) => (i.kind === 'warning' ? i.code : i.kind))).toEqual(['event-truncated', 'event']);
    const event = out[1] as SseEvent;
    expect(event.data.length).toBe(DEFAULT_MAX_EVENT_LENGTH);
    expect(event.truncated).toEqual({ originalLength: 2048 * 1024 - 1 });
    expect(event.data.slice(1020, 1030)).toBe('yyy\nyyyyyy');
  });

  it('a custom cap applies; a bogus cap falls back to a sane one', () => {
    const out: SseItem[] = [];
    new SseTextParser({ maxEventLength: 3 }).push('data: abcdef\n\n', 1, out);
    expect((out[1] as SseEvent).data).toBe('abc');
    const out2: SseItem[] = [];
    new SseTextParser({ maxEventLength: Number.NaN }).push(`data: ${'z'.repeat(5000)}\n\n`, 1, out2);
    expect(untimed(out2)).toEqual([ev('z'.repeat(5000))]);
    const out3: SseItem[] = [];
    new SseTextParser({ maxEventLength: 0 }).push('data: ab\n\n', 1, out3);
    expect((out3[1] as SseEvent).data).toBe('a');
  });
});

// ---------------------------------------------------------------------------------------------

describe('volume and robustness', () => {
  it('100k tiny events in one chunk', () => {
    let input = '';
    for (let i = 0; i < 100_000; i++) input += `data: ${i}\n\n`;
    const out: SseItem[] = [];
    const started = performance.now();
    new SseTextParser().push(input, 1, out);
    const elapsed = performance.now() - started;
    expect(out.length).toBe(100_000);
    let ok = 0;
    for (let i = 0; i < out.length; i++) {
      const e = out[i] as SseEvent;
      if (e.kind === 'event' && e.type === 'message' && e.data === String(i)) ok++;
    }
    expect(ok).toBe(100_000);
    expect(elapsed).toBeLessThan(1000);
  });

  it('binary garbage does not throw, and gives the same items however it is chunked', () => {
    const random = prng(42);
    const garbage = new Uint8Array(256 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (random() * 256) | 0;
    const whole = runBytes([garbage]);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < garbage.length;) {
      const size = 1 + ((random() * 3000) | 0);
      chunks.push(garbage.subarray(at, at + size));
      at += size;
    }
    const chunked = runBytes(chunks);
    expect(untimed(chunked.items)).toEqual(untimed(whole.items));
    expect(chunked.text).toBe(whole.text);
    expect(whole.bytes).toBe(garbage.length);
    // Garbage with many line breaks and colons, split everywhere.
    const dense = new Uint8Array(300);
    const alphabet = [0x0a, 0x0d, 0x3a, 0x20, 0x00, 0xff, 0xc3, 0xa9, 0xe2, 0x61, 0x64];
    for (let i = 0; i < dense.length; i++) dense[i] = alphabet[(random() * alphabet.length) | 0]!;
    runBytesEverySplit(dense);
    runBytesEverySplit(dense, { maxEventLength: 4 });
  });

  it('agrees with a literal transcription of the spec on random streams, however chunked', () => {
    const random = prng(7);
    const tokens = [
      'data',
      'event',
      'id',
      'retry',
      'Data',
      ':',
      ': ',
      ' ',
      'x',
      'yz',
      '12',
      '\0',
      '\r',
      '\n',
      '\r\n',
      '\n\n',
      'é',
      '😀',
      '\t',
    ];
    for (let round = 0; round < 400; round++) {
      let input = '';
      const count = (random() * 60) | 0;
      for (let i = 0; i < count; i++) input += tokens[(random() * tokens.length) | 0];
      const expected = referenceParse(input);
      const chunks: string[] = [];
      for (let at = 0; at < input.length;) {
        const size = 1 + ((random() * 8) | 0);
        chunks.push(input.slice(at, at + size));
        at += size;
      }
      for (const run of [runText([input]), runText(chunks), runBytes(chunks.map((c) => encoder.encode(c)))]) {
        const got = {
          events: events(run.items).map(({ type, data, lastEventId }) => ({ type, data, lastEventId })),
          retries: run.items.flatMap((i) => (i.kind === 'retry' ? [i.milliseconds] : [])),
          lastEventId: run.lastEventId,
        };
        expect(got, JSON.stringify(input)).toEqual(expected);
      }
    }
  });

  it('keeps working when the page replaces the built-ins it uses', () => {
    const S = String.prototype as unknown as Record<string, unknown>;
    const A = Array.prototype as unknown as Record<string, unknown>;
    const D = TextDecoder.prototype as unknown as Record<string, unknown>;
    const targets: [Record<string, unknown>, string][] = [
      [S, 'indexOf'],
      [S, 'slice'],
      [S, 'charCodeAt'],
      [S, 'startsWith'],
      [S, 'trim'],
      [S, 'toLowerCase'],
      [A, 'push'],
      [D, 'decode'],
    ];
    const saved = targets.map(([o, k]) => o[k]);
    let calls = 0;
    const out: SseItem[] = [];
    let text = '';
    try {
      for (const [o, k] of targets) {
        o[k] = function () {
          calls++;
          throw new Error('page replacement called');
        };
      }
      const parser = new SseByteParser({ maxEventLength: 5 });
      text += parser.push(bytesOf('id: 1\nevent: e\nretry: 9\nEvent: q\n:c\ndata: a\r'), 1, out);
      text += parser.push(bytesOf('\ndata: bcdefgh\n\n'), 2, out);
      text += parser.end(3, out);
    } finally {
      targets.forEach(([o, k], i) => {
        o[k] = saved[i];
      });
    }
    expect(calls).toBe(0);
    expect(text).toBe('id: 1\nevent: e\nretry: 9\nEvent: q\n:c\ndata: a\r\ndata: bcdefgh\n\n');
    expect(untimed(out)).toEqual([
      retry(9),
      field('Event', 'q'),
      warn('unknown-field'),
      comment('c'),
      warn('line-truncated'),
      warn('event-truncated'),
      ev('a\nbcd', 'e', '1', { idSet: true, truncated: { originalLength: 9 } }),
    ]);
  });
});

describe('nearMissMessage', () => {
  it('names what differs', () => {
    expect(nearMissMessage('event ')).toBe('field `event ` (trailing space) is not `event`: ignored');
    expect(nearMissMessage('  id')).toBe('field `  id` (2 leading spaces) is not `id`: ignored');
    expect(nearMissMessage(' Retry\t')).toBe(
      'field ` Retry\t` (leading space, trailing tab, different case; field names are case-sensitive) is not `retry`: ignored',
    );
    expect(nearMissMessage('data\u00a0')).toBe('field `data\u00a0` (trailing no-break space (U+00A0)) is not `data`: ignored');
    expect(nearMissMessage('data\u2003')).toBe('field `data\u2003` (trailing whitespace (U+2003)) is not `data`: ignored');
    expect(nearMissMessage('data \t')).toBe('field `data \t` (trailing whitespace) is not `data`: ignored');
  });

  it('is null for other names', () => {
    expect(nearMissMessage('foo')).toBeNull();
    expect(nearMissMessage('datum')).toBeNull();
    expect(nearMissMessage('data\0')).toBeNull();
    expect(nearMissMessage('da ta')).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

/** The spec's algorithm, transcribed as literally as possible (whole input at once). */
function referenceParse(input: string): {
  events: { type: string; data: string; lastEventId: string }[];
  retries: number[];
  lastEventId: string;
} {
  const lines = input.split(/\r\n|\r|\n/);
  lines.pop(); // the incomplete last line (or "" after the last line ending): discarded at end of stream
  let data = '';
  let eventType = '';
  let lastEventId = '';
  const out: { type: string; data: string; lastEventId: string }[] = [];
  const retries: number[] = [];
  for (const line of lines) {
    if (line === '') {
      if (data === '') {
        eventType = '';
        continue;
      }
      if (data.endsWith('\n')) data = data.slice(0, -1);
      out.push({ type: eventType === '' ? 'message' : eventType, data, lastEventId });
      data = '';
      eventType = '';
      continue;
    }
    if (line.startsWith(':')) continue;
    let name = line;
    let value = '';
    const colon = line.indexOf(':');
    if (colon !== -1) {
      name = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
    }
    if (name === 'event') eventType = value;
    else if (name === 'data') data += `${value}\n`;
    else if (name === 'id') {
      if (!value.includes('\0')) lastEventId = value;
    } else if (name === 'retry') {
      if (/^[0-9]+$/.test(value)) retries.push(Number(value));
    }
  }
  return { events: out, retries, lastEventId };
}

// ---------------------------------------------------------------------------------------------

describe('spans (option `spans: true`)', () => {
  const SPANS = { spans: true } as const;

  function parseChunks(chunks: string[], options: SseParserOptions = SPANS): SseItem[] {
    const parser = new SseTextParser(options);
    const out: SseItem[] = [];
    chunks.forEach((chunk, i) => parser.push(chunk, i + 1, out));
    parser.end(chunks.length + 1, out);
    return out;
  }
  const spansOf = (items: SseItem[]) => items.map((i) => (i.span === undefined ? null : [i.span.start, i.span.end]));
  const withoutSpan = (items: SseItem[]) =>
    untimed(items).map((i) => {
      const { span: _span, ...rest } = i;
      return rest;
    });
  /** Lines of `raw` as [content, line ending] ('' for an unterminated last line). */
  function linesOf(raw: string): [string, string][] {
    const lines: [string, string][] = [];
    const re = /([^\r\n]*)(\r\n|\r|\n|$)/g;
    for (let m = re.exec(raw); m !== null && m.index < raw.length; m = re.exec(raw)) lines.push([m[1]!, m[2]!]);
    return lines;
  }
  /** `at` is where a line starts in `text` (not between the CR and LF of one line ending). */
  const atLineStart = (text: string, at: number) =>
    at === 0 || (/[\r\n]/.test(text[at - 1]!) && !(text[at - 1] === '\r' && text[at] === '\n'));
  /** `at` is where a block starts: after a blank line, or at the start. */
  const atBlockStart = (text: string, at: number) => {
    if (at === 0) return true;
    const before = linesOf(text.slice(0, at));
    return atLineStart(text, at) && (before.length === 1 ? before[0]![0] === '' : before.at(-1)![0] === '');
  };

  /**
   * Spans are the same whole, split in two at every code unit, one code unit at a time and in random
   * pieces; the items are those of a parser without spans; and each span is where its item's text
   * is. Returns the items of the whole run.
   */
  function checkSpans(text: string, options: SseParserOptions = {}): SseItem[] {
    const withSpans = { ...options, spans: true };
    const whole = parseChunks([text], withSpans);
    expect(withoutSpan(whole)).toEqual(untimed(parseChunks([text], options)));
    const expected = spansOf(whole);
    expect(expected.every((s) => s !== null)).toBe(true);
    const splits: string[][] = [];
    for (let i = 0; i <= text.length; i++) splits.push([text.slice(0, i), text.slice(i)]);
    if (text.length <= ONE_BYTE_AT_A_TIME_MAX) splits.push(text.split(''));
    const random = prng(text.length);
    for (let r = 0; r < 20; r++) {
      const pieces: string[] = [];
      for (let at = 0; at < text.length;) {
        const size = 1 + Math.floor(random() * 7);
        pieces.push(text.slice(at, at + size));
        at += size;
      }
      splits.push(pieces);
    }
    for (const chunks of splits) {
      const got = spansOf(parseChunks(chunks, withSpans));
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        expect(got, `chunks ${JSON.stringify(chunks.map((c) => c.length))}`).toEqual(expected);
      }
    }

    for (const item of whole) {
      const { start, end } = item.span!;
      const raw = text.slice(start, end);
      expect(start).toBeLessThanOrEqual(end);
      const block =
        item.kind === 'event' ||
        (item.kind === 'warning' && (item.code === 'event-truncated' || item.code === 'event-without-data'));
      expect(atLineStart(text, start), `start ${start}`).toBe(true);
      expect(end === text.length || atLineStart(text, end), `end ${end}`).toBe(true);
      const lines = linesOf(raw);
      if (item.kind === 'warning' && item.code === 'incomplete-final-event') {
        // The pending block, to the end of the text.
        expect(end).toBe(text.length);
        expect(atBlockStart(text, start)).toBe(true);
        expect(lines.slice(0, -1).every(([content]) => content !== '')).toBe(true);
      } else if (block) {
        // A block: lines, the last of them blank and no other; that a fresh parser turns into the same event.
        expect(atBlockStart(text, start)).toBe(true);
        expect(lines.every(([, ending]) => ending !== '')).toBe(true);
        expect(lines.map(([content]) => content === '')).toEqual(lines.map((_, i) => i === lines.length - 1));
        if (item.kind === 'event') {
          // (An id-only block before it may have set the ID it inherits.)
          const inherited = item.idSet === true ? '' : item.lastEventId;
          const again = parseChunks([raw], { ...options, lastEventId: inherited, spans: false }).filter(
            (i) => i.kind === 'event',
          );
          expect(untimed(again)).toEqual(withoutSpan([item]));
        }
      } else {
        // One non-blank line with its line ending.
        expect(lines.length).toBe(1);
        expect(lines[0]![0]).not.toBe('');
        expect(lines[0]![1]).not.toBe('');
      }
    }
    return whole;
  }

  it('are not set without the option', () => {
    const items = parseChunks([': c\ndata: x\nretry: 1\nfoo: 2\nretry: x\n\nevent: e\n\ndata: y'], {});
    expect(items.length).toBe(7);
    for (const item of items) expect('span' in item).toBe(false);
  });

  it('are exact for LF, CRLF and CR streams with comments inside a block', () => {
    //           0         1          2         3
    //           0123 456789 0123456 7 8 9012345678 9
    const text = ': c\ndata: a\r\nid: 1\r\r\nretry: 5\n\n';
    const items = checkSpans(text);
    expect(items.map((i) => [i.kind, text.slice(i.span!.start, i.span!.end)])).toEqual([
      ['comment', ': c\n'],
      ['event', ': c\ndata: a\r\nid: 1\r\r\n'],
      ['retry', 'retry: 5\n'],
    ]);
  });

  it('a CR that ends a chunk takes the LF that starts the next one', () => {
    const parser = new SseTextParser(SPANS);
    const out: SseItem[] = [];
    parser.push(': hb\rdata: x\r\r', 1, out);
    expect(spansOf(out)).toEqual([
      [0, 5],
      [0, 14],
    ]);
    parser.push('\n: next\n', 2, out);
    // The event's blank line was CR LF: the span given with the first chunk grew.
    expect(spansOf(out)).toEqual([
      [0, 5],
      [0, 15],
      [15, 22],
    ]);
    parser.push('data: y\r', 3, out);
    parser.push('', 4, out);
    parser.push('\r', 5, out);
    parser.push('\n', 6, out);
    expect(out.at(-1)).toMatchObject({ kind: 'event', data: 'y', span: { start: 15, end: 32 } });
  });

  const streams: [string, string, SseParserOptions?][] = [
    ['LF', 'data: 1\n\nid: 7\nevent: up\ndata: 2\ndata: 3\n\n: hb\n\n'],
    ['CRLF', 'data: 1\r\n\r\n: c\r\nid: 7\r\nevent: up\r\ndata: 2\r\n\r\n\r\n\r\nretry: 10\r\n'],
    ['CR', 'data: 1\r\r: c\rid: 7\revent: up\rdata: 2\r\r\r\rretry: 10\r'],
    ['mixed line endings', 'data: a\r\n: x\rdata: b\n\r\n\n\rdata: c\r\r\ndata: d\n\r'],
    [
      'comments and ignored lines inside a block',
      ': one\ndata: 1\n: two\nfoo: bar\nEvent: x\nretry: 1\nretry: nope\nid\n: three\n\n',
    ],
    ['a leading BOM (text parser: part of the first field name)', '\uFEFFdata: x\r\n\r\n\uFEFF: c\r\ndata: y\r\n\r\n'],
    [
      'an event without data, an id with NUL, an unterminated last event',
      'event: x\r\n\r\nid: a\0b\ndata: 1\n\ndata: 2\r\nevent: e',
    ],
    ['an unterminated comment at the end', 'data: 1\n\n: tail'],
    ['a blank line at the very end after CR', 'data: 1\r'],
    ['astral and non-ASCII text', 'data: 😀é\r\n: ü\n\ndata: 𝄞\r\r'],
  ];
  for (const [name, text, options] of streams) {
    it(`are exact under every split: ${name}`, () => {
      checkSpans(text, options);
    });
  }

  it('are exact for cut lines and cut events', () => {
    const long = 'x'.repeat(40);
    checkSpans(`data: ${long}\r\ndata: ${long}\r\n\r\n: ${long}\n${long}\ndata:${long}`, { maxEventLength: 16 });
    checkSpans(`data: ${long}\rdata: y\r\r`, { maxEventLength: 50 });
  });

  it('are exact for every spec case', () => {
    for (const c of byteCases) {
      // Keep a BOM the decoder would strip: the text parser sees it as part of a field name.
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(c.input);
      if (text.length > 3000) continue;
      checkSpans(text, c.options);
    }
  });

  it('start at `spanOffset`', () => {
    const items = parseChunks(['data: x\n\n', ': c\n'], { spans: true, spanOffset: 100 });
    expect(spansOf(items)).toEqual([
      [100, 109],
      [109, 113],
    ]);
  });

  it('index the decoded text of SseByteParser (leading BOM stripped)', () => {
    const parser = new SseByteParser(SPANS);
    const out: SseItem[] = [];
    let text = parser.push(bytesOf(BOM, 'data: é\r\n'), 1, out);
    text += parser.push(bytesOf('\r\n: c\n'), 2, out);
    text += parser.end(3, out);
    expect(out.map((i) => text.slice(i.span!.start, i.span!.end))).toEqual(['data: é\r\n\r\n', ': c\n']);
  });

  it('continue after end() (a new stream on the same parser)', () => {
    const parser = new SseTextParser(SPANS);
    const out: SseItem[] = [];
    parser.push('data: a\n', 1, out);
    parser.end(2, out);
    parser.push('data: b\n\n', 3, out);
    expect(out.map((i) => [i.kind, i.span!.start, i.span!.end])).toEqual([
      ['warning', 0, 8],
      ['event', 8, 17],
    ]);
  });
});
