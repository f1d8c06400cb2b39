/**
 * What crosses the boundary between the page world (src/page, MAIN world) and the relay
 * (src/relay, ISOLATED world): DOM event names, the wire form of captured records, and the
 * controls the relay sends the page world. Everything the page world receives is validated there
 * (any script on the page can dispatch the same events).
 *
 * Page data crosses this boundary once, in one of two wire forms, as the relay says (PageControl
 * `clone`):
 * - clone: where the relay's port uses structured clone (Chrome 148+ with the manifest's
 *   `message_serialization`), a batch is an object: chunk bytes as Uint8Array, event strings as
 *   they are. Each hop is a structured clone (a copy, no encoding, no escaping).
 * - JSON: elsewhere, a batch is a JSON string; bulk data (chunk bytes, event strings) goes as base64
 *   of UTF-8, a string JSON needs no escaping for, so neither the page world's JSON nor the port's
 *   (which serialises its message again) pays per character.
 * Stream metadata (URLs, headers, bodies) is small and goes as it is.
 */
import type { CaptureIssueRecord, PageRecord } from './records';
import { isNumber, isObject } from './checks';

/** Version of the wire form (the relay checks it; the background parses only this version). */
export const PROTOCOL_VERSION = 2;

/** DOM event names used between the MAIN-world tap and the ISOLATED-world relay. */
export const PAGE_EVENT = {
  /** page → relay: detail is a JSON string of a WireBatch. */
  batch: 'sse-devtools:batch',
  /** page → relay: the tap announces itself (the relay answers with `relayReady`). */
  pageHello: 'sse-devtools:page-hello',
  /** page → relay: the first record of this document was captured (the relay opens its port). */
  captured: 'sse-devtools:captured',
  /** relay → page: the relay is listening. */
  relayReady: 'sse-devtools:relay-ready',
  /** relay → page: detail is a JSON string of a PageControl (send what you hold; live or quiet). */
  control: 'sse-devtools:control',
  /** relay → page: detail is a JSON string of a PageCommand (replay, mock). */
  command: 'sse-devtools:command',
  /** page → relay: detail is a JSON string of a PageStatus (how a command is doing). */
  status: 'sse-devtools:status',
} as const;

/** Upper bound of one wire batch's JSON, checked by the relay before forwarding. */
export const MAX_BATCH_JSON_LENGTH = 16 * 1024 * 1024;
/** Upper bound of one control's JSON. */
export const MAX_CONTROL_JSON_LENGTH = 256;

/** Raw bytes the page read (fetch/XHR), as base64 of the bytes (XHR: of the UTF-8 of the text). */
export interface WireChunk {
  type: 'stream-chunk';
  stream: string;
  /** Base64 of the bytes (JSON form). */
  b64?: string;
  /** The bytes (clone form). */
  data?: Uint8Array;
  /** Blob form: how many bytes of the batch's `bytes` blob are this chunk's (blobs are cut in record order). */
  size?: number;
  /** Blob form: the UTF-16 length of this chunk's text (XHR, Response.text()) in the batch's `text` blob. */
  textLength?: number;
  /** Bytes on the wire for this chunk (for XHR: UTF-16 code units of the text, bytes are not visible). */
  bytes: number;
  time: number;
}

/**
 * Consecutive events one EventSource dispatched. Their type, lastEventId and data strings are
 * concatenated in that order, event after event, and sent as base64 of UTF-8; `lengths` gives the
 * UTF-16 length of each string (three per event), `times` the time of each event.
 */
export interface WireEvents {
  type: 'sse-events';
  stream: string;
  times: number[];
  /** JSON and blob forms: the UTF-16 length of each string; JSON: base64 of their UTF-8, concatenated. */
  lengths?: number[];
  b64?: string;
  /** Clone form: the strings themselves (type, lastEventId, data of each event). */
  strings?: string[];
  /** Dispatched by our replay, not by the browser. */
  replayed?: boolean;
}

export type WireRecord = Exclude<PageRecord, { type: 'stream-chunk' } | { type: 'sse' }> | WireChunk | WireEvents;

/** Why the page world dropped records, and how many (its per-document cap). */
export interface DropCount {
  reason: string;
  count: number;
}

export interface WireBatch {
  v: typeof PROTOCOL_VERSION;
  /** Index of the first record in this document's log (records are numbered from 0). */
  at: number;
  records: WireRecord[];
  /** Every drop the page world counted since the document started (totals, not increments). */
  drops?: DropCount[];
  /** Sent as the document goes away (pagehide): the last the background will hear of it. */
  final?: boolean;
  /**
   * Blob form (the clone form's bulk): the bytes of the batch's chunks, one after another in
   * record order. A Blob crosses worlds and ports as a handle: its bytes are copied once, into it,
   * where an object's would be copied at every hop.
   */
  bytes?: Blob;
  /** Blob form: the UTF-8 of every string the records' `lengths`/`textLength` count, in record order. */
  text?: Blob;
}

/**
 * relay → page world. `send`: post the records from index `from` on (now, in batches); `live`:
 * keep posting new records as they come (a panel is open, or Preserve log is on) or hold them until
 * asked (quiet: the page pays nothing but recording); `keep`: when the document goes away, post
 * everything it holds (`final`), so the background can keep it (an iframe's log outlives its
 * document; a top document's does only with Preserve log).
 */
export interface PageControl {
  type: 'control';
  send?: number;
  live: boolean;
  keep: boolean;
  /** Post batches in the clone form (objects) rather than as JSON strings. */
  clone?: boolean;
}

/** The page world's check of a control (it runs no page code: the object came from JSON.parse). */
export function isPageControl(v: unknown): v is PageControl {
  return (
    isObject(v) &&
    v.type === 'control' &&
    typeof v.live === 'boolean' &&
    typeof v.keep === 'boolean' &&
    (v.send === undefined || (isNumber(v.send) && v.send >= 0 && v.send % 1 === 0)) &&
    (v.clone === undefined || typeof v.clone === 'boolean')
  );
}

/** Upper bound of one batch in the clone form: bytes of chunks plus characters of strings, roughly. */
export const MAX_BATCH_SIZE = MAX_BATCH_JSON_LENGTH;

/** The relay's cheap check on what arrives from the page world, before forwarding it. */
export function isPlausibleBatchJson(detail: unknown): detail is string {
  return (
    typeof detail === 'string' &&
    detail.length > 0 &&
    detail.length <= MAX_BATCH_JSON_LENGTH &&
    detail.startsWith(`{"v":${PROTOCOL_VERSION},`)
  );
}

export type { CaptureIssueRecord };
