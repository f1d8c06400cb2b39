/**
 * Deep capture, the pure part: the Chrome DevTools Protocol's Network events (as chrome.debugger
 * delivers them for one tab) turned into the records of the tab's log, marked as seen on the wire
 * (`seenOn: 'wire'`). No browser APIs here; src/background/deep-capture.ts attaches the debugger
 * and feeds this.
 *
 * What becomes a stream:
 * - an EventSource request (`type: 'EventSource'`) answered with `text/event-stream`: its bytes,
 *   asked for as soon as it is sent (Chromium streams an EventSource's body too), parsed by the
 *   panel into every event the server sent, including types no listener asked for (which a
 *   page-world tap never sees). While the bytes are asked for, the browser's own parse
 *   (`Network.eventSourceMessageReceived`) is held back, and used only when the bytes cannot be had
 *   (`streamFailed`, or the stream ended before the ask was answered);
 * - a fetch/XHR whose response is `text/event-stream`: its bytes, when the background asked the
 *   browser to stream them (`Network.streamResourceContent`, see `streamContent`), as chunks parsed
 *   by the panel like the page tap's;
 * - events of a request that started before deep capture was on: a stream of unknown URL, whose
 *   events are the browser's parse.
 * Stream ids are `wire:<requestId>` (`wire:<n>:<requestId>` in a worker's session): never a page's (those are `<frameId>:<id>`).
 */
import type { HeaderEntry, PageRecord, StreamKind } from '../protocol/records';
import type { SseItem } from './sse-types';

/** The URL shown for a stream whose request was sent before deep capture was on. */
export const UNKNOWN_URL = 'about:blank#opened-before-deep-capture';

export interface CdpRequest {
  url: string;
  method: string;
  headers?: Record<string, string>;
  postData?: string;
}

export interface CdpResponse {
  url: string;
  status: number;
  statusText: string;
  headers?: Record<string, string>;
  mimeType: string;
}

/** What `WireTranslator.event` returns: records for the log, and a request whose bytes to stream. */
export interface Translated {
  records: PageRecord[];
  /** Ask the browser for this request's body as it comes (`Network.streamResourceContent`). */
  streamContent?: string;
}

interface WireStream {
  stream: string;
  kind: StreamKind;
  /** wallTime − timestamp (seconds): turns the protocol's monotonic timestamps into epoch time. */
  offset: number;
  open: boolean;
  /** Set once its bytes were asked for: they are decoded into chunks. */
  decoder?: TextDecoder;
  /**
   * An EventSource whose bytes were asked for and not yet answered: the browser's events that came
   * meanwhile, kept in case the bytes cannot be had. Absent once answered (or never asked).
   */
  heldEvents?: SseEvent[];
  /** An EventSource whose bytes could not be had: its events are the browser's parse. */
  eventsOnly?: boolean;
}

type SseEvent = Extract<SseItem, { kind: 'event' }>;

interface PendingRequest {
  request: CdpRequest;
  kind: StreamKind;
  documentURL: string;
  offset: number;
  time: number;
}

const headerList = (headers: Record<string, string> | undefined): HeaderEntry[] =>
  Object.entries(headers ?? {}).map(([name, value]) => ({ name, value: String(value) }));

const isEventStream = (mimeType: string | undefined) =>
  (mimeType ?? '').toLowerCase().split(';')[0]!.trim() === 'text/event-stream';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Base64 to bytes without DOM helpers (works in a worker, in Node and in the browser). */
export function base64Bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export class WireTranslator {
  /** `prefix` of the stream ids: `wire:` for the tab's own session, another for each worker's. */
  constructor(private readonly prefix = 'wire:') {}

  private readonly streams = new Map<string, WireStream>();
  /** Requests that may turn out to be event streams (fetch/XHR, until their response says). */
  private readonly pending = new Map<string, PendingRequest>();
  /** A wall-clock offset for requests we never saw start (estimated when first needed). */
  private fallbackOffset: number | undefined;

  /** `now`: epoch ms when the event arrived (used only for requests sent before we attached). */
  event(method: string, params: Record<string, unknown>, now = Date.now()): Translated {
    const requestId = str(params.requestId);
    if (requestId === '') return { records: [] };
    const timestamp = num(params.timestamp);
    switch (method) {
      case 'Network.requestWillBeSent':
        return this.requestWillBeSent(requestId, params, now);
      case 'Network.responseReceived':
        return this.responseReceived(requestId, params, timestamp, now);
      case 'Network.eventSourceMessageReceived': {
        const stream = this.streams.get(requestId) ?? this.unknownStream(requestId, timestamp, now);
        const time = this.time(stream, timestamp, now);
        const event: SseEvent = {
          kind: 'event',
          type: str(params.eventName) || 'message',
          data: str(params.data),
          lastEventId: str(params.eventId),
          time,
        };
        // Its bytes carry this event: the panel parses it from them.
        if (stream.decoder !== undefined && !stream.eventsOnly) {
          stream.heldEvents?.push(event);
          return { records: [] };
        }
        const records: PageRecord[] = stream.open ? [] : [this.opened(stream, time)];
        records.push({ type: 'sse', stream: stream.stream, items: [event] });
        return { records };
      }
      case 'Network.dataReceived': {
        const stream = this.streams.get(requestId);
        const data = str(params.data);
        if (stream === undefined || stream.decoder === undefined || stream.eventsOnly || data === '') return { records: [] };
        return { records: this.chunk(stream, base64Bytes(data), this.time(stream, timestamp, now)) };
      }
      case 'Network.loadingFinished':
      case 'Network.loadingFailed': {
        this.pending.delete(requestId);
        const stream = this.streams.get(requestId);
        if (stream === undefined) return { records: [] };
        this.streams.delete(requestId);
        const time = this.time(stream, timestamp, now);
        const records: PageRecord[] = [];
        // Ended before the ask for its bytes was answered: they will not come, its events are what there is.
        if (stream.heldEvents !== undefined && stream.heldEvents.length > 0) {
          records.push({ type: 'sse', stream: stream.stream, items: stream.heldEvents });
        } else if (stream.decoder !== undefined && !stream.eventsOnly) {
          const rest = stream.decoder.decode();
          if (rest !== '') records.push({ type: 'stream-chunk', stream: stream.stream, text: rest, bytes: 0, time });
        }
        if (method === 'Network.loadingFinished') {
          records.push({ type: 'stream-state', stream: stream.stream, state: 'closed', reason: 'ended-by-server', time });
        } else if (params.canceled === true) {
          records.push({ type: 'stream-state', stream: stream.stream, state: 'closed', reason: 'cancelled-by-page', time });
        } else {
          const detail = str(params.errorText);
          records.push({
            type: 'stream-state',
            stream: stream.stream,
            state: 'error',
            reason: 'network-error',
            ...(detail ? { detail } : {}),
            time,
          });
        }
        return { records };
      }
      default:
        return { records: [] };
    }
  }

  /** The bytes the browser had buffered when asked to stream a response (`streamResourceContent`'s answer). */
  bufferedData(requestId: string, base64: string, now = Date.now()): PageRecord[] {
    const stream = this.streams.get(requestId);
    if (stream === undefined || stream.decoder === undefined || stream.eventsOnly) return [];
    // The events held meanwhile are in these bytes (or in those still to come).
    delete stream.heldEvents;
    if (base64 === '') return [];
    return this.chunk(stream, base64Bytes(base64), now);
  }

  /**
   * The browser would not stream the response (it finished before we asked, or it refuses): an
   * EventSource falls back to the browser's parse (the events held meanwhile, then those to come);
   * a fetch/XHR keeps what it has.
   */
  streamFailed(requestId: string): PageRecord[] {
    const stream = this.streams.get(requestId);
    if (stream === undefined || stream.kind !== 'eventsource' || stream.decoder === undefined) return [];
    stream.eventsOnly = true;
    const held = stream.heldEvents ?? [];
    delete stream.heldEvents;
    return held.length === 0 ? [] : [{ type: 'sse', stream: stream.stream, items: held }];
  }

  private requestWillBeSent(requestId: string, params: Record<string, unknown>, now: number): Translated {
    const request = params.request as CdpRequest | undefined;
    if (request === undefined || typeof request.url !== 'string') return { records: [] };
    const timestamp = num(params.timestamp) ?? now / 1000;
    const wallTime = num(params.wallTime) ?? now / 1000;
    const offset = wallTime - timestamp;
    const type = str(params.type);
    const kind: StreamKind | undefined =
      type === 'EventSource' ? 'eventsource' : type === 'Fetch' ? 'fetch' : type === 'XHR' ? 'xhr' : undefined;
    if (kind === undefined) return { records: [] };
    const documentURL = str(params.documentURL);
    const existing = this.streams.get(requestId);
    if (existing !== undefined) {
      // A redirect: the same request goes on to a new URL (its response will say so).
      return { records: [] };
    }
    if (kind !== 'eventsource') {
      this.pending.set(requestId, { request, kind, documentURL, offset, time: wallTime * 1000 });
      return { records: [] };
    }
    // An EventSource's response is a stream: its bytes are asked for at once, not at its response,
    // so that a short stream has not ended (and its bytes gone) by the time the ask is handled.
    const stream: WireStream = {
      stream: `${this.prefix}${requestId}`,
      kind,
      offset,
      open: true,
      decoder: new TextDecoder('utf-8'),
      heldEvents: [],
    };
    this.streams.set(requestId, stream);
    return { records: [this.openRecord(stream, request, documentURL, wallTime * 1000)], streamContent: requestId };
  }

  private responseReceived(
    requestId: string,
    params: Record<string, unknown>,
    timestamp: number | undefined,
    now: number,
  ): Translated {
    const response = params.response as CdpResponse | undefined;
    if (response === undefined) return { records: [] };
    const records: PageRecord[] = [];
    let stream = this.streams.get(requestId);
    let streamContent: string | undefined;
    if (stream === undefined) {
      const pending = this.pending.get(requestId);
      if (pending === undefined || !isEventStream(response.mimeType)) {
        this.pending.delete(requestId);
        return { records: [] };
      }
      this.pending.delete(requestId);
      stream = { stream: `${this.prefix}${requestId}`, kind: pending.kind, offset: pending.offset, open: true };
      this.streams.set(requestId, stream);
      records.push(this.openRecord(stream, pending.request, pending.documentURL, pending.time));
    }
    if (stream.decoder === undefined && isEventStream(response.mimeType)) {
      // Ask for the bytes of a fetch/XHR stream.
      stream.decoder = new TextDecoder('utf-8');
      streamContent = requestId;
    } else if (stream.kind === 'eventsource' && !isEventStream(response.mimeType)) {
      // Not a stream (an error page...): the EventSource fails; its body is not events.
      delete stream.decoder;
      delete stream.heldEvents;
    }
    const time = this.time(stream, timestamp, now);
    const headers = headerList(response.headers);
    const contentType = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? response.mimeType ?? '';
    records.push({
      type: 'stream-response',
      stream: stream.stream,
      status: response.status,
      statusText: response.statusText ?? '',
      responseHeaders: headers,
      contentType,
      url: response.url,
      time,
    });
    records.push({
      type: 'stream-state',
      stream: stream.stream,
      state: response.status >= 200 && response.status < 300 ? 'open' : 'error',
      time,
    });
    return streamContent === undefined ? { records } : { records, streamContent };
  }

  private openRecord(stream: WireStream, request: CdpRequest, documentURL: string, time: number): PageRecord {
    return {
      type: 'stream-open',
      stream: stream.stream,
      kind: stream.kind,
      url: request.url,
      method: request.method || 'GET',
      requestHeaders: headerList(request.headers),
      ...(request.postData === undefined ? {} : { requestBody: { mimeType: '', text: request.postData } }),
      frameUrl: documentURL,
      time,
      seenOn: 'wire',
    };
  }

  /** A stream whose request we never saw (it started before deep capture was on). */
  private unknownStream(requestId: string, timestamp: number | undefined, now: number): WireStream {
    if (this.fallbackOffset === undefined) this.fallbackOffset = now / 1000 - (timestamp ?? now / 1000);
    const stream: WireStream = {
      stream: `${this.prefix}${requestId}`,
      kind: 'eventsource',
      offset: this.fallbackOffset,
      open: false,
    };
    this.streams.set(requestId, stream);
    return stream;
  }

  private opened(stream: WireStream, time: number): PageRecord {
    stream.open = true;
    return {
      type: 'stream-open',
      stream: stream.stream,
      kind: stream.kind,
      url: UNKNOWN_URL,
      method: 'GET',
      requestHeaders: [],
      frameUrl: '',
      time,
      seenOn: 'wire',
    };
  }

  private chunk(stream: WireStream, bytes: Uint8Array, time: number): PageRecord[] {
    const text = stream.decoder!.decode(bytes, { stream: true });
    return [{ type: 'stream-chunk', stream: stream.stream, text, bytes: bytes.length, time }];
  }

  private time(stream: WireStream, timestamp: number | undefined, now: number): number {
    return timestamp === undefined ? now : Math.round((timestamp + stream.offset) * 1000 * 1000) / 1000;
  }
}
