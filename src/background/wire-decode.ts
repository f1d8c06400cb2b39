/**
 * The background's side of the wire form (protocol/page-world.ts): parses a page batch, turns
 * base64 chunks back into text (one streaming UTF-8 decoder per stream: a character may be split
 * between chunks) and events runs back into items, and validates every record. Off the page's
 * thread; never throws on what a page forged.
 */
import { isPageRecord, PROTOCOL_VERSION, type DropCount, type PageRecord, type WireRecord } from '../protocol';
import type { SseItem } from '../core/sse-types';

const fromBase64Native = (Uint8Array as { fromBase64?: (text: string) => Uint8Array }).fromBase64;

function fromBase64(text: string): Uint8Array {
  if (fromBase64Native !== undefined) return fromBase64Native(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 8.64e15;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface DecodedBatch {
  /** Index of the first record in the document's log. */
  at: number;
  /** One entry per wire record (null where it failed validation), so indices stay aligned. */
  records: (PageRecord[] | null)[];
  /** Totals of the page world's drops, by reason. */
  drops: DropCount[];
  final: boolean;
}

/** Per document: the UTF-8 decoder of each fetch/XHR stream (kept between batches). */
export class StreamDecoders {
  private readonly decoders = new Map<string, TextDecoder>();

  /** Text of `bytes` for `stream`; a character split between chunks comes out with its last byte. */
  decode(stream: string, bytes: Uint8Array): string {
    let decoder = this.decoders.get(stream);
    if (decoder === undefined) {
      // Always UTF-8, as the spec says (whatever the charset); strips one leading BOM.
      decoder = new TextDecoder();
      this.decoders.set(stream, decoder);
    }
    return decoder.decode(bytes, { stream: true });
  }

  /** The stream ended: what its decoder still holds (an incomplete character becomes U+FFFD). */
  finish(stream: string): string {
    const decoder = this.decoders.get(stream);
    if (decoder === undefined) return '';
    this.decoders.delete(stream);
    return decoder.decode();
  }
}

/**
 * Parses and decodes a batch: its JSON string, or (clone form) the object the port delivered, a
 * copy made by structured clone that nothing else holds. A batch that is not ours at all yields null.
 */
export function decodeWireBatch(batch: string | object, decoders: StreamDecoders): DecodedBatch | null {
  let value: unknown = batch;
  if (typeof batch === 'string') {
    try {
      value = JSON.parse(batch);
    } catch {
      return null;
    }
  }
  if (!isObject(value) || value.v !== PROTOCOL_VERSION || !isCount(value.at) || !Array.isArray(value.records)) return null;
  const drops: DropCount[] = [];
  if (Array.isArray(value.drops)) {
    for (const drop of value.drops) {
      if (isObject(drop) && typeof drop.reason === 'string' && drop.reason.length <= 200 && isCount(drop.count)) {
        drops.push({ reason: drop.reason, count: drop.count });
      }
    }
  }
  const records = value.records.map((record: unknown) => decodeRecord(record, decoders));
  return { at: value.at, records, drops, final: value.final === true };
}

function decodeRecord(record: unknown, decoders: StreamDecoders): PageRecord[] | null {
  if (!isObject(record)) return null;
  try {
    switch (record.type) {
      case 'stream-chunk': {
        const readText = (record as { [READ_TEXT]?: unknown })[READ_TEXT];
        if (typeof readText === 'string') {
          // Blob form: text the page read as text (XHR, Response.text()), whole characters.
          if (typeof record.stream !== 'string' || !isCount(record.bytes) || !isTime(record.time)) return null;
          return [{ type: 'stream-chunk', stream: record.stream, text: readText, bytes: record.bytes, time: record.time }];
        }
        const bytes =
          record.data instanceof Uint8Array ? record.data : typeof record.b64 === 'string' ? fromBase64(record.b64) : undefined;
        if (typeof record.stream !== 'string' || bytes === undefined || !isCount(record.bytes) || !isTime(record.time)) {
          return null;
        }
        const text = decoders.decode(record.stream, bytes);
        return [{ type: 'stream-chunk', stream: record.stream, text, bytes: record.bytes, time: record.time }];
      }
      case 'sse-events':
        return decodeEvents(record);
      default: {
        if (!isPageRecord(record) || record.type === 'sse') return null;
        const meta = record as Exclude<WireRecord, { type: 'stream-chunk' } | { type: 'sse-events' }>;
        if (meta.type === 'stream-state' && (meta.state === 'closed' || meta.state === 'error')) {
          // The stream is over: what its decoder held comes first.
          const rest = decoders.finish(meta.stream);
          if (rest.length > 0)
            return [{ type: 'stream-chunk', stream: meta.stream, text: rest, bytes: 0, time: meta.time }, meta];
        }
        return [meta];
      }
    }
  } catch {
    return null;
  }
}

function decodeEvents(record: Record<string, unknown>): PageRecord[] | null {
  const { stream, times } = record;
  if (typeof stream !== 'string' || !Array.isArray(times) || !times.every(isTime)) return null;
  const strings = eventStrings(record, times.length);
  if (strings === null) return null;
  const replayed = record.replayed === true;
  const items: SseItem[] = [];
  for (let i = 0; i < times.length; i++) {
    const [type, lastEventId, data] = [strings[i * 3]!, strings[i * 3 + 1]!, strings[i * 3 + 2]!];
    items.push({ kind: 'event', type, data, lastEventId, time: times[i] as number, ...(replayed ? { replayed: true } : {}) });
  }
  return [{ type: 'sse', stream, items }];
}

/** The type, lastEventId and data of each of `count` events, from either wire form; null if they do not add up. */
function eventStrings(record: Record<string, unknown>, count: number): string[] | null {
  const { strings, lengths, b64 } = record;
  if (Array.isArray(strings)) {
    // Clone form: the strings themselves.
    return strings.length === count * 3 && strings.every((s) => typeof s === 'string') ? (strings as string[]) : null;
  }
  if (typeof b64 !== 'string' || !Array.isArray(lengths)) return null;
  if (lengths.length !== count * 3 || !lengths.every(isCount)) return null;
  const text = b64.length === 0 ? '' : new TextDecoder().decode(fromBase64(b64));
  const cut: string[] = [];
  let offset = 0;
  for (const length of lengths as number[]) cut.push(text.slice(offset, (offset += length)));
  // Lengths that do not add up mean the strings were not ours (or lost characters in UTF-8).
  return offset === text.length ? cut : null;
}

/**
 * Where readBlobBatch puts a chunk's text (a symbol: no batch a page posts can carry one, so only
 * text cut from a batch's own blob is taken as text rather than bytes).
 */
const READ_TEXT = Symbol('text read from the batch blob');

/** Largest blob a batch may carry (the relay refuses batches over MAX_BATCH_SIZE; this is a backstop). */
const MAX_BLOB_BYTES = 64 * 1024 * 1024;

/**
 * A clone-form batch in the blob form (protocol/page-world.ts: `bytes` and `text` blobs cut in
 * record order) turned into the plain clone form: chunk bytes as views of the read bytes, texts and
 * event strings cut from the decoded text. Other batches come back as they are; null when the
 * blobs cannot be read or the records' sizes do not add up to them.
 */
export async function readBlobBatch(batch: object): Promise<object | null> {
  const value = batch as { records?: unknown; bytes?: unknown; text?: unknown };
  if (value.bytes === undefined && value.text === undefined) return batch;
  if (!Array.isArray(value.records)) return null;
  const blobs = [value.bytes, value.text];
  if (blobs.some((blob) => blob !== undefined && (!(blob instanceof Blob) || blob.size > MAX_BLOB_BYTES))) return null;
  let bytes: Uint8Array;
  let text: string;
  try {
    bytes = value.bytes instanceof Blob ? new Uint8Array(await value.bytes.arrayBuffer()) : new Uint8Array(0);
    text = value.text instanceof Blob ? await value.text.text() : '';
  } catch {
    return null;
  }
  let byteAt = 0;
  let textAt = 0;
  const records: unknown[] = [];
  for (const record of value.records as unknown[]) {
    if (!isObject(record)) return null;
    if (record.type === 'stream-chunk' && (record.size !== undefined || record.textLength !== undefined)) {
      const { size: _size, textLength: _textLength, ...rest } = record;
      if (isCount(record.size)) {
        if (byteAt + record.size > bytes.length) return null;
        records.push({ ...rest, data: bytes.subarray(byteAt, (byteAt += record.size)) });
      } else if (isCount(record.textLength)) {
        if (textAt + record.textLength > text.length) return null;
        records.push({ ...rest, [READ_TEXT]: text.slice(textAt, (textAt += record.textLength)) });
      } else return null;
    } else if (record.type === 'sse-events' && Array.isArray(record.lengths) && record.strings === undefined) {
      const { lengths, ...rest } = record;
      const strings: string[] = [];
      for (const length of lengths as unknown[]) {
        if (!isCount(length) || textAt + length > text.length) return null;
        strings.push(text.slice(textAt, (textAt += length)));
      }
      records.push({ ...rest, strings });
    } else records.push(record);
  }
  // Every byte and character accounted for, or the batch was not ours.
  if (byteAt !== bytes.length || textAt !== text.length) return null;
  return { ...value, bytes: undefined, text: undefined, records };
}
