/**
 * The page world's log of what this document captured, and its only way out.
 *
 * Recording is the part the page pays for on every chunk or event, so it is kept to a copy of the
 * chunk's bytes (fetch; the page may reuse or transfer its own buffer) or four array stores
 * (EventSource), with no decoding, no per-event object and no serialisation. What is recorded
 * stays here until the background asks for it (a panel opened, Preserve log is on: see
 * PageControl); then it is posted to the relay in the wire form of protocol/page-world.ts, from the
 * index the background asks for, and, while `live`, every FLUSH_DELAY_MS as new records come.
 * Keeping the capture here is what makes it durable: a stopped background worker loses nothing,
 * it asks again. When the document goes away and its log is to be kept (`keep`), everything is
 * posted one last time.
 *
 * Bounded: at most MAX_DOCUMENT_CHARGE bytes (the real size of what is held: chunk bytes, strings
 * at two bytes a character, and a fixed overhead per record); what the bound refuses is counted
 * with its reason and reported in every batch.
 */
import {
  PAGE_EVENT,
  PROTOCOL_VERSION,
  isPageControl,
  MAX_CONTROL_JSON_LENGTH,
  type DropCount,
  type PageRecord,
  type WireBatch,
  type WireRecord,
} from '../protocol';
import { bare, bareArray, call, getter, iterable, natives, read } from './natives';
import { toBase64, utf8Base64 } from './base64';
import { jsonOfOurRecords } from './safe-json';
import { dropReason } from '../protocol/drop-reasons';

const FLUSH_DELAY_MS = 50;
/** Base64 characters per batch, roughly: bounds each message on the way to the background. */
const BATCH_TARGET_CHARS = 4 * 1024 * 1024;
/** Events per events record: a long run of one stream still makes batches of bounded size. */
const MAX_EVENTS_PER_RECORD = 2048;
/** A chunk larger than this (e.g. a whole body from `text()`) is held in pieces of this size. */
const MAX_CHUNK_PIECE = 1024 * 1024;
/**
 * What one document may hold: chunk bytes + 2 bytes a string character (an upper bound: finding
 * the strings that the engine stores at one byte a character would cost a scan per event) +
 * RECORD_OVERHEAD a record.
 */
export const MAX_DOCUMENT_CHARGE = 128 * 1024 * 1024;
const RECORD_OVERHEAD = 64;
const EVENT_OVERHEAD = 24;

type MetaRecord = Exclude<PageRecord, { type: 'stream-chunk' } | { type: 'sse' }>;

/**
 * The latest value of a growing text (XHR responseText) of one stream: every range of the stream
 * is cut from it when sent, so the text is flattened once, not once per progress event.
 */
interface GrowingText {
  text: string;
}

/** `source.text.slice(start, end)`, cut when sent. */
interface TextRange {
  source: GrowingText;
  start: number;
  end: number;
}

interface HeldChunk {
  type: 'stream-chunk';
  stream: string;
  /** A copy of the bytes read (fetch), the text read (Response.text()), or a range of a growing text (XHR). */
  data: Uint8Array | string | TextRange;
  bytes: number;
  time: number;
}

interface HeldEvents {
  type: 'sse-events';
  stream: string;
  replayed: boolean;
  /** type, lastEventId, data of each event, in order. */
  strings: string[];
  times: number[];
}

type HeldRecord = MetaRecord | HeldChunk | HeldEvents;

const customEventDetail = getter<unknown>(CustomEvent.prototype, 'detail');
const uint8Slice = Uint8Array.prototype.slice;
const uint8Set = Uint8Array.prototype.set;
/** Chunk copies are made into buffers of this size (see PageLog.copyOf). */
const SLAB_SIZE = 1024 * 1024;
const uint8Subarray = Uint8Array.prototype.subarray;

/** JSON.parse's reviver: every object and array it makes loses its prototype. */
function withoutPrototype(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null) natives.setPrototypeOf(value, null);
  return value;
}

function stringCharge(value: string | undefined): number {
  return value === undefined ? 0 : value.length * 2;
}

/** What a metadata record costs to hold (its strings and a fixed overhead). */
function metaCharge(record: MetaRecord): number {
  let charge = RECORD_OVERHEAD * 4;
  switch (record.type) {
    case 'stream-open':
      charge += stringCharge(record.url) + stringCharge(record.frameUrl) + stringCharge(record.method);
      for (let i = 0; i < record.requestHeaders.length; i++) {
        const header = record.requestHeaders[i]!;
        charge += stringCharge(header.name) + stringCharge(header.value) + RECORD_OVERHEAD;
      }
      charge += stringCharge(record.requestBody?.text);
      break;
    case 'stream-response':
      for (let i = 0; i < record.responseHeaders.length; i++) {
        const header = record.responseHeaders[i]!;
        charge += stringCharge(header.name) + stringCharge(header.value) + RECORD_OVERHEAD;
      }
      charge += stringCharge(record.statusText) + stringCharge(record.contentType) + stringCharge(record.url);
      break;
    case 'stream-state':
      charge += stringCharge(record.detail);
      break;
    case 'stream-request-body':
      charge += stringCharge(record.body.text);
      break;
    case 'stream-listen':
      charge += stringCharge(record.eventType);
      break;
    case 'capture-issue':
      charge += stringCharge(record.message);
      break;
  }
  return charge;
}

export class PageLog {
  private held: HeldRecord[] = bareArray();
  /** Records below this index were posted since the relay last asked (live mode posts from here). */
  private sentUpTo = 0;
  /** Post new records as they come (a panel is open, or Preserve log is on). */
  private live = false;
  /** Post everything when the document goes away. An iframe's log outlives it; a top document's does with Preserve log. */
  private keep: boolean;
  private relayReady = false;
  /** Post batches as objects (structured clone all the way) rather than JSON strings. */
  private clone = false;
  private charge = 0;
  /** Drops by reason (no prototype: reasons are our own strings, but `in` must not reach the page). */
  private readonly drops: Record<string, number> = bare({});
  private dropCount = 0;
  /** A flush is scheduled; `scheduled` names it (an earlier flush makes it stale). */
  private scheduled = 0;
  private flushes = 0;
  private announced = false;
  /** The latest text of each XHR stream (see addTextRange); no prototype: stream ids are keys. */
  private readonly growingTexts: Record<string, GrowingText> = bare({});
  /** Where chunk copies go (see copyOf). */
  private slab: Uint8Array | undefined;
  private slabUsed = 0;

  constructor(
    private readonly target: EventTarget,
    isTop: boolean,
    private readonly limit = MAX_DOCUMENT_CHARGE,
    /**
     * Clone form with the bulk in Blobs (fillBlobBatch): measured cheaper for the page (INTERNALS.md,
     * "Wire forms"); the extension turns it on (src/page/index.ts). It was off for a while: full CI
     * runs lost the chunks of one stream its server cut short — the same loss came later with the
     * plain clone form, from the test server dropping the connection in the tick of its last write.
     */
    private readonly blobs = false,
  ) {
    this.keep = !isTop;
    call(natives.addEventListener, target, PAGE_EVENT.relayReady, () => {
      this.relayReady = true;
    });
    call(natives.addEventListener, target, PAGE_EVENT.control, (event: Event) => {
      try {
        this.onControl(read(customEventDetail, event));
      } catch {
        // A forged control: nothing may reach the page.
      }
    });
    // The relay may already be listening (it can be injected before us): ask it to answer.
    this.dispatch(PAGE_EVENT.pageHello, null);
    call(natives.addEventListener, target, 'pagehide', () => {
      try {
        if (this.keep && this.held.length > 0) this.send(0, true);
        else if (this.live) this.flush();
      } catch {
        // Nothing may reach the page.
      }
    });
  }

  /** Records held (for tests and the transparency suite's accounting). */
  get length(): number {
    return this.held.length;
  }

  /** A stream's opening, response, state...: a record of its own. */
  add(record: MetaRecord): void {
    if (!this.admit(metaCharge(record))) return;
    this.held[this.held.length] = record;
    this.counted();
  }

  /** Bytes the page read: a copy is held (the page may reuse or transfer its buffer). */
  addBytes(stream: string, chunk: Uint8Array, time: number): void {
    const length = chunk.byteLength;
    if (length > MAX_CHUNK_PIECE) {
      for (let start = 0; start < length; start += MAX_CHUNK_PIECE) {
        this.addBytes(stream, call(uint8Subarray, chunk, start, start + MAX_CHUNK_PIECE) as Uint8Array, time);
      }
      return;
    }
    if (!this.admit(length + RECORD_OVERHEAD)) return;
    this.held[this.held.length] = bare({
      type: 'stream-chunk',
      stream,
      data: this.copyOf(chunk),
      bytes: length,
      time,
    }) as HeldChunk;
    this.counted();
  }

  /**
   * A copy of `chunk` in the current slab: one memcpy into a buffer allocated once per SLAB_SIZE,
   * rather than a buffer of its own per chunk (allocating one per 16 KiB chunk cost more than the
   * copy, and gave the page's GC one more external buffer each time). Large chunks get their own.
   */
  private copyOf(chunk: Uint8Array): Uint8Array {
    const length = chunk.byteLength;
    if (length > SLAB_SIZE / 4) return call(uint8Slice, chunk) as Uint8Array;
    if (this.slab === undefined || this.slabUsed + length > SLAB_SIZE) {
      this.slab = new natives.Uint8Array(SLAB_SIZE);
      this.slabUsed = 0;
    }
    const start = this.slabUsed;
    call(uint8Set, this.slab, chunk, start);
    this.slabUsed = start + length;
    return call(uint8Subarray, this.slab, start, start + length) as Uint8Array;
  }

  /**
   * The part of `whole` past `start` (XHR responseText, which only grows): held as a range of the
   * stream's latest text, cut when sent.
   */
  addTextRange(stream: string, whole: string, start: number, time: number): void {
    let source = this.growingTexts[stream];
    if (source === undefined) this.growingTexts[stream] = source = bare({ text: whole });
    else source.text = whole;
    // Pieces of at most MAX_CHUNK_PIECE characters, like any other chunk (batches stay bounded).
    for (let from = start; from < whole.length; from += MAX_CHUNK_PIECE) {
      const end = Math.min(whole.length, from + MAX_CHUNK_PIECE);
      if (!this.admit((end - from) * 2 + RECORD_OVERHEAD)) return;
      const range: TextRange = bare({ source, start: from, end });
      this.held[this.held.length] = bare({ type: 'stream-chunk', stream, data: range, bytes: end - from, time }) as HeldChunk;
      this.counted();
    }
  }

  /** Text the page read (Response.text()). */
  addText(stream: string, text: string, time: number): void {
    if (text.length > MAX_CHUNK_PIECE) {
      for (let start = 0; start < text.length; start += MAX_CHUNK_PIECE) {
        this.addText(stream, call(natives.stringSlice, text, start, start + MAX_CHUNK_PIECE) as string, time);
      }
      return;
    }
    if (!this.admit(text.length * 2 + RECORD_OVERHEAD)) return;
    this.held[this.held.length] = bare({ type: 'stream-chunk', stream, data: text, bytes: text.length, time }) as HeldChunk;
    this.counted();
  }

  /** An event an EventSource dispatched: joins the last record when it holds events of the same stream. */
  addEvent(stream: string, type: string, lastEventId: string, data: string, time: number, replayed = false): void {
    if (!this.admit((type.length + lastEventId.length + data.length) * 2 + EVENT_OVERHEAD)) return;
    const held = this.held;
    const index = held.length - 1;
    const last = held[index];
    let record: HeldEvents;
    if (
      last !== undefined &&
      last.type === 'sse-events' &&
      last.stream === stream &&
      last.replayed === replayed &&
      index >= this.sentUpTo &&
      last.times.length < MAX_EVENTS_PER_RECORD
    ) {
      record = last;
    } else {
      record = bare({
        type: 'sse-events',
        stream,
        replayed,
        strings: bareArray<string>(),
        times: bareArray<number>(),
      }) as HeldEvents;
      held[held.length] = record;
    }
    const strings = record.strings;
    const at = strings.length;
    strings[at] = type;
    strings[at + 1] = lastEventId;
    strings[at + 2] = data;
    record.times[record.times.length] = time;
    this.counted();
  }

  /** Room for `charge` more bytes? Counts the drop when not. */
  private admit(charge: number): boolean {
    if (this.charge + charge > this.limit) {
      const reason = dropReason('page-log-full', this.limit);
      this.drops[reason] = (this.drops[reason] ?? 0) + 1;
      this.dropCount++;
      // (Once per pending flush: a full log refuses every event, and each must not schedule a task.)
      if (this.live && this.scheduled === 0) this.schedule();
      return false;
    }
    this.charge += charge;
    return true;
  }

  private counted(): void {
    if (!this.announced) {
      // The first capture of this document: the relay opens its port, and learns whether to go live.
      this.announced = true;
      this.dispatch(PAGE_EVENT.captured, null);
    }
    if (this.live && this.scheduled === 0) this.schedule();
  }

  private onControl(detail: unknown): void {
    if (typeof detail !== 'string' || detail.length > MAX_CONTROL_JSON_LENGTH) return;
    const control: unknown = natives.jsonParse(detail, withoutPrototype);
    if (!isPageControl(control)) return;
    this.relayReady = true;
    this.live = control.live;
    this.keep = control.keep;
    this.clone = control.clone === true;
    if (control.send !== undefined) this.send(control.send, false);
    else if (this.live) this.flush();
  }

  /**
   * Flushes in FLUSH_DELAY_MS. scheduler.postTask takes no timer id: with setTimeout, the page
   * would see a gap in the ids of its own timers.
   */
  private schedule(): void {
    const flush = ++this.flushes;
    this.scheduled = flush;
    const run = () => {
      try {
        if (this.scheduled === flush) this.flush();
      } catch {
        // Nothing may reach the page (a throw here would reject the task's promise).
      }
    };
    if (natives.schedulerPostTask !== undefined) {
      try {
        call(natives.schedulerPostTask, natives.scheduler, run, bare({ delay: FLUSH_DELAY_MS }));
        return;
      } catch {
        // Fall back to a timer.
      }
    }
    call(natives.setTimeout, globalThis, run, FLUSH_DELAY_MS);
  }

  /** Posts what was not posted yet (live mode). */
  flush(): void {
    this.scheduled = 0;
    if (!this.live || !this.relayReady) return;
    if (this.sentUpTo < this.held.length || this.dropCount > 0) this.send(this.sentUpTo, false);
  }

  /** Posts the records from index `from` on, in batches of bounded size. */
  private send(from: number, final: boolean): void {
    const held = this.held;
    const end = held.length;
    if (from >= end && !final && this.dropCount === 0) return;
    let index = from;
    do {
      const at = index;
      const batch: WireBatch = bare({ v: PROTOCOL_VERSION, at, records: bareArray<WireRecord>() });
      index = !this.clone
        ? fillBatch(batch, held, index, end, toWire)
        : this.blobs
          ? fillBlobBatch(batch, held, index, end)
          : fillBatch(batch, held, index, end, cloneWire);
      if (this.dropCount > 0) batch.drops = this.dropList();
      if (final && index >= end) batch.final = true;
      // Clone form: the object itself (the relay's copy is a structured clone: no getter, no toJSON runs).
      this.dispatch(PAGE_EVENT.batch, this.clone ? batch : jsonOfOurRecords(batch));
    } while (index < end);
    if (end > this.sentUpTo) this.sentUpTo = end;
  }

  private dropList(): DropCount[] {
    const list = bareArray<DropCount>();
    const reasons = natives.objectKeys(this.drops);
    for (let i = 0; i < reasons.length; i++) list[i] = bare({ reason: reasons[i]!, count: this.drops[reasons[i]!]! });
    return list;
  }

  private dispatch(type: string, detail: string | object | null): void {
    const event = new natives.CustomEvent(type, bare({ detail }));
    call(natives.dispatchEvent, this.target, event);
  }
}

/**
 * Fills `batch` with held records from `index` on, each in its wire form by `form` (toWire: JSON
 * form; cloneWire: plain clone form), up to the batch's size; returns where it stopped.
 */
function fillBatch(
  batch: WireBatch,
  held: HeldRecord[],
  index: number,
  end: number,
  form: (record: HeldRecord) => { record: WireRecord; size: number },
): number {
  const records = batch.records;
  let size = 0;
  while (index < end && (size < BATCH_TARGET_CHARS || records.length === 0)) {
    const wire = form(held[index]!);
    records[records.length] = wire.record;
    size += wire.size;
    index++;
  }
  return index;
}

/** A held record in the plain clone form, with its weight. */
function cloneWire(record: HeldRecord): { record: WireRecord; size: number } {
  return { record: toCloneWire(record), size: cloneSize(record) };
}

/** What a held record weighs in the clone form, roughly (bytes, two a character, a fixed overhead). */
function cloneSize(record: HeldRecord): number {
  if (record.type === 'stream-chunk') return record.bytes;
  if (record.type === 'sse-events') {
    let size = record.times.length * 24;
    for (let i = 0; i < record.strings.length; i++) size += record.strings[i]!.length * 2;
    return size;
  }
  return RECORD_OVERHEAD;
}

/**
 * Fills `batch` in the blob form: the bulk of its records (chunk bytes, texts, event strings) goes
 * into two Blobs, `bytes` and `text` (the UTF-8 of the texts and strings), made here in one copy
 * each; what crosses to the relay and on to the background is then the records' small
 * metadata and two blob handles. (Measured in Chromium: a 4 MB port message costs the page's
 * thread ~17 ms, a 4 MB Blob ~7 ms to make and ~0.2 ms to post.) Where no Blob can be made, the
 * records go as they are (structured clone).
 */
function fillBlobBatch(batch: WireBatch, held: HeldRecord[], index: number, end: number): number {
  const records = batch.records;
  const byteParts = bareArray<BlobPart>();
  // Texts and the strings of event runs, joined once at the end (a rope of a string per event
  // would cost more to flatten than a join of each run).
  const textPieces = bareArray<string>();
  let size = 0;
  const start = index;
  while (index < end && (size < BATCH_TARGET_CHARS || records.length === 0)) {
    const record = held[index]!;
    if (record.type === 'stream-chunk') {
      const data = textOf(record.data);
      if (typeof data === 'string') {
        textPieces[textPieces.length] = data;
        records[records.length] = bare({
          type: 'stream-chunk',
          stream: record.stream,
          textLength: data.length,
          bytes: record.bytes,
          time: record.time,
        }) as WireRecord;
        size += data.length * 2;
      } else {
        byteParts[byteParts.length] = data as Uint8Array<ArrayBuffer>;
        records[records.length] = bare({
          type: 'stream-chunk',
          stream: record.stream,
          size: data.byteLength,
          bytes: record.bytes,
          time: record.time,
        }) as WireRecord;
        size += data.byteLength;
      }
    } else if (record.type === 'sse-events') {
      const { lengths, text } = eventRun(record.strings);
      textPieces[textPieces.length] = text;
      const wire = bare({ type: 'sse-events', stream: record.stream, times: record.times, lengths }) as WireRecord & {
        replayed?: boolean;
      };
      if (record.replayed) wire.replayed = true;
      records[records.length] = wire;
      size += text.length * 2 + record.times.length * 24;
    } else {
      records[records.length] = record;
      size += RECORD_OVERHEAD;
    }
    index++;
  }
  const Blob = natives.Blob;
  const parts = iterable(byteParts);
  const text = call(natives.arrayJoin, textPieces, '') as string;
  // UTF-8 made here (native, one pass) rather than by the Blob, which is slower at it.
  const textParts = iterable(bareArray<BlobPart>(call(natives.textEncoderEncode, cloneEncoder, text) as Uint8Array<ArrayBuffer>));
  if (Blob !== undefined && parts !== undefined && textParts !== undefined) {
    try {
      if (byteParts.length > 0) batch.bytes = new Blob(parts);
      if (text.length > 0) batch.text = new Blob(textParts);
      return index;
    } catch {
      // No blob after all: the records as they are, below.
    }
  }
  records.length = 0;
  delete batch.bytes;
  delete batch.text;
  for (let i = start; i < index; i++) records[records.length] = toCloneWire(held[i]!);
  return index;
}

/** A held record in the clone form: the bytes and strings as they are (the clone copies them). */
function toCloneWire(record: HeldRecord): WireRecord {
  if (record.type === 'stream-chunk') {
    const data = textOf(record.data);
    return bare({
      type: 'stream-chunk',
      stream: record.stream,
      // A view into a slab would be cloned with its whole buffer: send exactly its bytes.
      data: typeof data === 'string' ? call(natives.textEncoderEncode, cloneEncoder, data) : call(uint8Slice, data),
      bytes: record.bytes,
      time: record.time,
    }) as WireRecord;
  }
  if (record.type === 'sse-events') {
    const wire = bare({
      type: 'sse-events',
      stream: record.stream,
      times: record.times,
      strings: record.strings,
    }) as WireRecord & {
      replayed?: boolean;
    };
    if (record.replayed) wire.replayed = true;
    return wire;
  }
  return record;
}

const cloneEncoder = new natives.TextEncoder();

/** A held chunk's bytes or text, a range cut now from its stream's latest text. */
function textOf(data: Uint8Array | string | TextRange): Uint8Array | string {
  if (typeof data === 'string' || natives.arrayBufferIsView(data)) return data as Uint8Array | string;
  const range = data as TextRange;
  return call(natives.stringSlice, range.source.text, range.start, range.end) as string;
}

/**
 * A run of events' strings (type, lastEventId, data of each) as the JSON and blob forms send them:
 * the UTF-16 length of each, and all of them joined (one join: a rope of a string per event costs
 * more to flatten).
 */
function eventRun(strings: string[]): { lengths: number[]; text: string } {
  const lengths = bareArray<number>();
  for (let i = 0; i < strings.length; i++) lengths[i] = strings[i]!.length;
  return { lengths, text: call(natives.arrayJoin, strings, '') as string };
}

/** A held record in its wire form, with its size in characters (roughly). */
function toWire(record: HeldRecord): { record: WireRecord; size: number } {
  if (record.type === 'stream-chunk') {
    const data = textOf(record.data);
    const b64 = typeof data === 'string' ? utf8Base64(data) : toBase64(data);
    const wire = bare({ type: 'stream-chunk', stream: record.stream, b64, bytes: record.bytes, time: record.time });
    return { record: wire as WireRecord, size: b64.length };
  }
  if (record.type === 'sse-events') {
    const { lengths, text } = eventRun(record.strings);
    const b64 = utf8Base64(text);
    const wire = bare({ type: 'sse-events', stream: record.stream, times: record.times, lengths, b64 }) as WireRecord & {
      replayed?: boolean;
    };
    if (record.replayed) wire.replayed = true;
    return { record: wire, size: b64.length + record.times.length * 24 };
  }
  return { record, size: RECORD_OVERHEAD };
}
