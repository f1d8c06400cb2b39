/**
 * The background's decoding of page batches: exact round trips (UTF-8 split between chunks, event
 * strings of any content), and hostile input that must never throw or pollute anything.
 */
import { describe, expect, it } from 'vitest';
import { decodeWireBatch, StreamDecoders } from './wire-decode';
import { PROTOCOL_VERSION, type PageRecord } from '../protocol';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const utf8 = (text: string) => new TextEncoder().encode(text);
const batch = (records: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ v: PROTOCOL_VERSION, at: 0, records, ...extra });
const decode = (json: string, decoders = new StreamDecoders()) => decodeWireBatch(json, decoders);
const flat = (json: string, decoders = new StreamDecoders()): PageRecord[] =>
  decode(json, decoders)!.records.flatMap((r) => r ?? []);

describe('decodeWireBatch', () => {
  it('turns chunks back into text, keeping a character split between two chunks (and batches) whole', () => {
    const bytes = utf8('data: é€😀\n\n');
    const decoders = new StreamDecoders();
    const first = flat(
      batch([{ type: 'stream-chunk', stream: 's', b64: b64(bytes.subarray(0, 8)), bytes: 8, time: 1 }]),
      decoders,
    );
    const second = flat(
      batch([{ type: 'stream-chunk', stream: 's', b64: b64(bytes.subarray(8)), bytes: bytes.length - 8, time: 2 }], { at: 1 }),
      decoders,
    );
    const text = [...first, ...second].map((r) => (r as { text: string }).text).join('');
    expect(text).toBe('data: é€😀\n\n');
  });

  it('flushes an incomplete character when the stream ends, before the state record', () => {
    const decoders = new StreamDecoders();
    const records = flat(
      batch([
        { type: 'stream-chunk', stream: 's', b64: b64(utf8('€').subarray(0, 2)), bytes: 2, time: 1 },
        { type: 'stream-state', stream: 's', state: 'closed', reason: 'ended-by-server', time: 2 },
      ]),
      decoders,
    );
    expect(records.map((r) => r.type)).toEqual(['stream-chunk', 'stream-chunk', 'stream-state']);
    expect((records[1] as { text: string }).text).toBe('\ufffd');
  });

  it('turns an events run back into items, whatever their strings hold', () => {
    const events = [
      ['message', '', '{"a":"b"}\nline two'],
      ['error', '7', 'overloaded'],
      ['tick', 'id with ünïcode', '😀'.repeat(3)],
      ['message', '', ''],
    ];
    const strings = events.flat();
    const record = {
      type: 'sse-events',
      stream: 's',
      times: [1, 2, 3, 4],
      lengths: strings.map((x) => x.length),
      b64: b64(utf8(strings.join(''))),
    };
    const [sse] = flat(batch([record]));
    expect(sse).toEqual({
      type: 'sse',
      stream: 's',
      items: events.map(([type, lastEventId, data], i) => ({ kind: 'event', type, lastEventId, data, time: i + 1 })),
    });
    const [replayed] = flat(batch([{ ...record, replayed: true }]));
    expect(
      (replayed as Extract<PageRecord, { type: 'sse' }>).items.every((item) => item.kind === 'event' && item.replayed === true),
    ).toBe(true);
  });

  it('refuses, record by record, what does not add up, and keeps the indices aligned', () => {
    const good = { type: 'capture-issue', message: 'ok', time: 1 };
    const decoded = decode(
      batch([
        { type: 'sse-events', stream: 's', times: [1], lengths: [1, 1, 5], b64: b64(utf8('abc')) },
        { type: 'sse-events', stream: 's', times: [1, 2], lengths: [1, 1, 1], b64: b64(utf8('abc')) },
        { type: 'sse-events', stream: 's', times: [NaN], lengths: [1, 1, 1], b64: b64(utf8('abc')) },
        { type: 'stream-chunk', stream: 's', b64: '***', bytes: 1, time: 1 },
        { type: 'stream-chunk', stream: 's', text: 'plain text is not the wire form', bytes: 1, time: 1 },
        { type: 'sse', stream: 's', items: [] },
        good,
      ]),
    )!;
    expect(decoded.records.slice(0, 6)).toEqual([null, null, null, null, null, null]);
    expect(decoded.records[6]).toEqual([good]);
  });

  it('reads the page world drop totals and the final flag', () => {
    const decoded = decode(
      batch([], {
        drops: [
          { reason: 'full', count: 3 },
          { reason: 5, count: 1 },
          { reason: 'x', count: -1 },
        ],
        final: true,
      }),
    )!;
    expect(decoded.drops).toEqual([{ reason: 'full', count: 3 }]);
    expect(decoded.final).toBe(true);
  });

  it('returns null for what is not a batch of this version, and never throws', () => {
    const depth = 100_000;
    for (const json of [
      '',
      'null',
      '[]',
      '{"v":1,"at":0,"records":[]}',
      '{"v":2,"records":[]}',
      '{"v":2,"at":-1,"records":[]}',
      '{"v":2,"at":0,"records":{}}',
      '{"__proto__":{"v":2,"at":0,"records":[]}}',
      '['.repeat(depth) + ']'.repeat(depth),
      '\u0000\uffff\ud800',
    ]) {
      expect(() => decode(json)).not.toThrow();
      expect(decode(json), json.slice(0, 40)).toBeNull();
    }
    const full = batch([{ type: 'capture-issue', message: 'm', time: 1 }]);
    for (let cut = 0; cut < full.length; cut += 5) expect(() => decode(full.slice(0, cut))).not.toThrow();
    const nested = `{"v":2,"at":0,"records":[${'['.repeat(depth)}${']'.repeat(depth)}]}`;
    expect(decode(nested)!.records).toEqual([null]);
  });

  it('__proto__ keys pollute nothing', () => {
    decode('{"v":2,"at":0,"records":[{"type":"capture-issue","message":"m","time":1,"__proto__":{"polluted":"yes"}}]}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
