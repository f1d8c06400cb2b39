/**
 * The records of a capture, as the background stores them and the panel reads them: one stream's
 * opening, response, states, raw chunks (decoded text) and dispatched events. The page world holds
 * the same records in a compact form and sends them in the wire form of `page-world.ts`; the
 * background turns the wire form back into these (src/background/wire-decode.ts).
 */
import type { SseItem } from '../core/sse-types';

export type StreamKind = 'eventsource' | 'fetch' | 'xhr';
export type StreamState = 'connecting' | 'open' | 'closed' | 'error';
/** Why a stream changed state; shown next to the state in the panel. */
export type StateReason =
  'reconnecting' | 'closed-by-page' | 'ended-by-server' | 'cancelled-by-page' | 'aborted' | 'network-error' | 'http-error';

export interface HeaderEntry {
  name: string;
  value: string;
}

/** A request body as far as we could read it as text. */
export interface BodyText {
  mimeType: string;
  text: string;
  /** Set when `text` is a prefix or a description (e.g. "[Blob 12 bytes]") rather than the body. */
  truncated?: boolean;
  /** Length of the full body when known. */
  size?: number;
}

// ---------------------------------------------------------------------------------------------
// page world → relay → background

/** A new stream the page opened (an EventSource, or a fetch/XHR whose response is SSE). */
export interface StreamOpenRecord {
  type: 'stream-open';
  stream: string;
  kind: StreamKind;
  url: string;
  method: string;
  requestHeaders: HeaderEntry[];
  requestBody?: BodyText;
  withCredentials?: boolean;
  /** location.href of the frame the stream lives in. */
  frameUrl: string;
  /** When the page asked for it (epoch ms). */
  time: number;
  /** Answered from a recording armed in the panel ("Mock next request"), not by the network. */
  mocked?: boolean;
  /**
   * Seen on the wire by deep capture (chrome.debugger's Network domain, src/background/deep-capture.ts),
   * not by the page-world tap. Set only by the background: a page's record that claims it is refused.
   */
  seenOn?: 'wire';
}

export interface StreamResponseRecord {
  type: 'stream-response';
  stream: string;
  status: number;
  statusText: string;
  responseHeaders: HeaderEntry[];
  /** The Content-Type as sent (may differ from text/event-stream for mislabelled streams). */
  contentType: string;
  redirected?: boolean;
  /** Final URL after redirects. */
  url?: string;
  time: number;
}

export interface StreamStateRecord {
  type: 'stream-state';
  stream: string;
  state: StreamState;
  reason?: StateReason;
  /** Human-readable detail (an error message, the Last-Event-ID sent on reconnect, ...). */
  detail?: string;
  time: number;
}

/** Raw text the page read from the stream (fetch/XHR only), decoded as UTF-8 as the spec says. */
export interface StreamChunkRecord {
  type: 'stream-chunk';
  stream: string;
  text: string;
  /** Bytes on the wire for this chunk (for XHR: UTF-16 code units, bytes are not visible). */
  bytes: number;
  time: number;
}

/** The request body, when it could only be read after the stream opened (a Request's body). */
export interface StreamRequestBodyRecord {
  type: 'stream-request-body';
  stream: string;
  body: BodyText;
  time: number;
}

/**
 * The page started listening for an event type on an EventSource (named types are only
 * dispatched, and so only visible to us, when someone listens for them).
 */
export interface StreamListenRecord {
  type: 'stream-listen';
  stream: string;
  eventType: string;
  time: number;
}

/**
 * Items an EventSource dispatched (consecutive items of one stream share a record). fetch/XHR
 * streams send only their raw chunks: the items are derived from those by our parser outside the
 * page (core/log-store.ts), which keeps the page's work to one decode and one append per chunk.
 */
export interface SseItemRecord {
  type: 'sse';
  stream: string;
  items: SseItem[];
}

/** The tap could not do its job somewhere (e.g. the page replaced a built-in we rely on). */
export interface CaptureIssueRecord {
  type: 'capture-issue';
  message: string;
  time: number;
}

export type PageRecord =
  | StreamOpenRecord
  | StreamResponseRecord
  | StreamStateRecord
  | StreamChunkRecord
  | StreamRequestBodyRecord
  | StreamListenRecord
  | SseItemRecord
  | CaptureIssueRecord;
