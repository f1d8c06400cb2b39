/**
 * One captured stream in the page world: gives it an id and appends records to the page log. Taps
 * for EventSource, fetch and XHR all end here, so the records of every kind look alike.
 *
 * What a fetch/XHR page reads is held as raw bytes (a copy of each chunk, with the time it reached
 * the page); decoding and our spec-exact parser run outside the page (src/background decodes,
 * core/log-store.ts parses). Per chunk the page pays one copy and one append, whatever the number
 * of events in it.
 */
import type { BodyText, HeaderEntry, StateReason, StreamKind, StreamState } from '../protocol';
import type { PageLog } from './page-log';
import { call, natives, now } from './natives';
import { LINE_STREAM_TYPES, MISLABEL_CANDIDATES, VERCEL_DATA_STREAM_HEADER } from '../protocol/stream-kinds';

let streamCounter = 0;
const documentToken =
  call(natives.numberToString, natives.dateNow(), 36) +
  call(natives.numberToString, Math.floor(natives.mathRandom() * 0xffffff), 36);

export function nextStreamId(): string {
  streamCounter++;
  return `${documentToken}-${streamCounter}`;
}

export interface StreamRequest {
  kind: StreamKind;
  url: string;
  method: string;
  requestHeaders: HeaderEntry[];
  requestBody?: BodyText;
  withCredentials?: boolean;
  /** When the page asked for the stream (epoch ms). */
  time: number;
  /** Answered by an armed mock, not the network. */
  mocked?: boolean;
}

export interface StreamResponse {
  status: number;
  statusText: string;
  responseHeaders: HeaderEntry[];
  contentType: string;
  redirected?: boolean;
  url?: string;
}

export class StreamTap {
  readonly id = nextStreamId();
  private state: StreamState = 'connecting';
  /** Bytes recorded so far; tee()/clone() branches re-read bytes below it. */
  private consumed = 0;

  constructor(
    private readonly outbox: PageLog,
    request: StreamRequest,
    frameUrl: string,
  ) {
    outbox.add({ type: 'stream-open', stream: this.id, frameUrl, ...request });
  }

  get ended(): boolean {
    return this.state === 'closed' || this.state === 'error';
  }

  response(response: StreamResponse, time = now()): void {
    this.outbox.add({ type: 'stream-response', stream: this.id, time, ...response });
  }

  /** The request body, read after the stream opened. */
  requestBody(body: BodyText, time = now()): void {
    this.outbox.add({ type: 'stream-request-body', stream: this.id, body, time });
  }

  setState(state: StreamState, reason?: StateReason, detail?: string, time = now()): void {
    if (this.ended) return;
    this.state = state;
    this.outbox.add({ type: 'stream-state', stream: this.id, state, reason, detail, time });
  }

  /**
   * Bytes the page read, at `offset` bytes into the body. A branch of a tee()/clone() re-reads
   * bytes another branch already delivered: only bytes past what we consumed are parsed.
   */
  bytes(chunk: Uint8Array, offset: number, time = now()): void {
    if (this.ended) return;
    const end = offset + chunk.byteLength;
    if (end <= this.consumed) return;
    const fresh = offset >= this.consumed ? chunk : chunk.subarray(this.consumed - offset);
    this.consumed = end;
    if (fresh.byteLength > 0) this.outbox.addBytes(this.id, fresh, time);
  }

  /**
   * Text a growing response text holds past `start` (XHR responseText; every later value of it
   * begins with this one).
   */
  textRange(whole: string, start: number, time = now()): void {
    if (this.ended || whole.length <= start) return;
    this.outbox.addTextRange(this.id, whole, start, time);
  }

  /** Text the page read (Response.text()). */
  text(chunk: string, time = now()): void {
    if (this.ended || chunk.length === 0) return;
    this.outbox.addText(this.id, chunk, time);
  }

  /** The body ended as the server finished it. */
  end(time = now()): void {
    if (this.ended) return;
    this.setState('closed', 'ended-by-server', undefined, time);
  }

  /** The page listens for `eventType` on this EventSource (so its events will be dispatched). */
  listening(eventType: string, time = now()): void {
    this.outbox.add({ type: 'stream-listen', stream: this.id, eventType, time });
  }

  /** An event the browser already parsed (EventSource dispatches events), or that our replay dispatched. */
  event(type: string, lastEventId: string, data: string, time: number, replayed = false): void {
    if (this.ended) return;
    this.outbox.addEvent(this.id, type, lastEventId, data, time, replayed);
  }
}

/** The MIME type's essence ("text/event-stream"), lower-cased, parameters dropped. */
export function mimeEssence(contentType: string | null | undefined): string {
  if (!contentType) return '';
  const semicolon = call(natives.stringIndexOf, contentType, ';') as number;
  const essence = semicolon === -1 ? contentType : (call(natives.stringSlice, contentType, 0, semicolon) as string);
  return call(natives.stringToLowerCase, call(natives.stringTrim, essence) as string) as string;
}

export const SSE_MIME = 'text/event-stream';

// Which content types are captured: src/protocol/stream-kinds.ts, shared with deep capture (read
// here with index loops only, no method of the page's Array.prototype).

/**
 * Whether a fetch/XHR response is ours to capture: SSE (or a mislabelled SSE stream, see
 * isCapturedContentType), an NDJSON stream, or a Vercel AI data stream. Other responses are never
 * touched.
 */
export function isCapturedResponse(
  headers: readonly HeaderEntry[],
  contentType: string,
  requestAcceptsEventStream: boolean,
): boolean {
  if (isCapturedContentType(contentType, requestAcceptsEventStream)) return true;
  const essence = mimeEssence(contentType);
  for (let i = 0; i < LINE_STREAM_TYPES.length; i++) if (LINE_STREAM_TYPES[i] === essence) return true;
  for (let i = 0; i < headers.length; i++) {
    if ((call(natives.stringToLowerCase, headers[i]!.name) as string) === VERCEL_DATA_STREAM_HEADER) return true;
  }
  return false;
}

/** Whether a response with `contentType` to a request that accepts event streams is ours to capture. */
export function isCapturedContentType(contentType: string, requestAcceptsEventStream: boolean): boolean {
  const essence = mimeEssence(contentType);
  if (essence === SSE_MIME) return true;
  if (!requestAcceptsEventStream) return false;
  for (let i = 0; i < MISLABEL_CANDIDATES.length; i++) if (MISLABEL_CANDIDATES[i] === essence) return true;
  return false;
}
