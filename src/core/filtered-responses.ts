/**
 * Deep capture in Firefox, the pure part: what `webRequest` says of a request and what its
 * `StreamFilter` hands us of the response, turned into the records of the tab's log — the same
 * shapes the page tap produces for a fetch stream (open, response, state, raw chunks), marked as
 * seen on the wire (`seenOn: 'wire'`). No browser APIs here; src/background/deep-capture-firefox.ts
 * registers the listeners and the filters and feeds this.
 *
 * Every filtered response is recorded as kind `fetch`: the wire shows the bytes of a response, not
 * which API read them (webRequest calls fetch, XHR and EventSource requests alike), and a raw byte
 * stream is what the panel parses for every event type and writes to the HAR as it came.
 *
 * Stream ids are `wire:fx:<requestId>`: a page's are `<frameId>:<id>`, so none can be a page's.
 */
import type { BodyText, HeaderEntry, PageRecord } from '../protocol/records';
import { LINE_STREAM_TYPES, MISLABEL_CANDIDATES, VERCEL_DATA_STREAM_HEADER } from '../protocol/stream-kinds';

export const FIREFOX_WIRE_PREFIX = 'wire:fx:';

/**
 * What deep capture asks Firefox for (all optional in the Firefox manifest): filterResponseData
 * wants webRequest and webRequestBlocking, and in MV3 webRequestFilterResponse (Firefox 110+); the
 * listeners want host access to the requests' URLs, which may be any origin the page talks to.
 */
export const DEEP_CAPTURE_PERMISSIONS: {
  permissions: ('webRequest' | 'webRequestBlocking' | 'webRequestFilterResponse')[];
  origins: string[];
} = {
  permissions: ['webRequest', 'webRequestBlocking', 'webRequestFilterResponse'],
  origins: ['<all_urls>'],
};

/** A header as webRequest gives it (`binaryValue` for values that are not text). */
export interface WebRequestHeader {
  name: string;
  value?: string;
  binaryValue?: number[];
}

/** What `onSendHeaders` tells of a request (the headers as sent). */
export interface RequestSent {
  requestId: string;
  url: string;
  method: string;
  /** Epoch ms. */
  timeStamp: number;
  requestHeaders?: WebRequestHeader[];
}

/** A request body as `onBeforeRequest` gives it (with `requestBody` asked for). */
export interface WebRequestBody {
  /** The body's bytes, in parts (`file` parts: a file the page uploads, not read). */
  raw?: { bytes?: ArrayBuffer; file?: string }[];
  /** A form the browser could read (urlencoded or multipart), by field. */
  formData?: Record<string, string | string[]>;
  error?: string;
}

/** What `onHeadersReceived` tells of a response. */
export interface ResponseHeaders {
  requestId: string;
  url: string;
  method: string;
  timeStamp: number;
  statusCode: number;
  statusLine: string;
  responseHeaders?: WebRequestHeader[];
  /** The document that made the request (absent for workers that are not a document's). */
  documentUrl?: string;
  /** Who made it: a document, or a worker's script. */
  originUrl?: string;
}

const SSE_MIME = 'text/event-stream';
const LINE_TYPES = new Set(LINE_STREAM_TYPES);
const MISLABELLED = new Set(MISLABEL_CANDIDATES);

const essence = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

function headerText(header: WebRequestHeader): string {
  if (header.value !== undefined) return header.value;
  // Header bytes that are not UTF-8 text: shown as Latin-1, one character a byte, as HTTP/1.1 has them.
  return String.fromCharCode(...(header.binaryValue ?? []));
}

export function headerEntries(headers: readonly WebRequestHeader[] | undefined): HeaderEntry[] {
  return (headers ?? []).map((h) => ({ name: h.name, value: headerText(h) }));
}

function header(headers: readonly HeaderEntry[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name)?.value;
}

/**
 * Whether a response is one the panel reads as a stream: SSE, SSE mislabelled (to a request that
 * asked for `text/event-stream`), NDJSON / JSON Lines, or a Vercel AI data stream. The rule of the
 * page tap (src/page/stream-tap.ts, isCapturedResponse).
 */
export function isStreamedResponse(
  responseHeaders: readonly HeaderEntry[],
  requestHeaders: readonly HeaderEntry[] = [],
): boolean {
  const type = essence(header(responseHeaders, 'content-type') ?? '');
  if (type === SSE_MIME || LINE_TYPES.has(type)) return true;
  if (responseHeaders.some((h) => h.name.toLowerCase() === VERCEL_DATA_STREAM_HEADER)) return true;
  const accept = (header(requestHeaders, 'accept') ?? '').toLowerCase();
  return MISLABELLED.has(type) && accept.includes(SSE_MIME);
}

/** Bytes of one request body kept as text at most (an AI prompt is rarely more; the rest is cut and said so). */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * A request body as text: its bytes decoded as UTF-8 (cut at MAX_BODY_BYTES), a form as
 * `name=value&...`; files are named, not read. `mimeType` is filled from the request's headers later.
 */
export function bodyText(body: WebRequestBody): BodyText | undefined {
  if (body.formData !== undefined) {
    const params = new URLSearchParams();
    for (const [name, values] of Object.entries(body.formData)) {
      for (const value of Array.isArray(values) ? values : [values]) params.append(name, value);
    }
    return { mimeType: '', text: params.toString() };
  }
  if (body.raw === undefined) return undefined;
  const size = body.raw.reduce((total, part) => total + (part.bytes?.byteLength ?? 0), 0);
  const bytes = new Uint8Array(Math.min(size, MAX_BODY_BYTES));
  let at = 0;
  const files: string[] = [];
  for (const part of body.raw) {
    if (part.file !== undefined) files.push(part.file);
    if (part.bytes === undefined || at >= bytes.length) continue;
    const piece = new Uint8Array(part.bytes, 0, Math.min(part.bytes.byteLength, bytes.length - at));
    bytes.set(piece, at);
    at += piece.length;
  }
  if (size === 0) return files.length === 0 ? undefined : { mimeType: '', text: `[file ${files.join(', ')}]`, truncated: true };
  const text = new TextDecoder('utf-8').decode(bytes);
  return size > bytes.length || files.length > 0 ? { mimeType: '', text, truncated: true, size } : { mimeType: '', text };
}

/** `HTTP/1.1 200 OK` → `OK` (HTTP/2 and 3 status lines have no reason phrase). */
export function statusText(statusLine: string): string {
  return /^\S+\s+\d{3}\s*(.*)$/.exec(statusLine)?.[1] ?? '';
}

interface Recorded {
  stream: string;
  decoder: TextDecoder;
}

/**
 * One Firefox deep capture's requests and the streams recorded of them, by webRequest's request
 * id. The caller (the background) says which responses it filters; this makes their records.
 */
export class FilteredResponses {
  /** Request headers as sent, until the response says whether it is a stream (bounded: see `sent`). */
  private readonly requests = new Map<string, RequestSent>();
  /** Request bodies (`onBeforeRequest`), until the response says whether it is a stream; bounded by MAX_PENDING_BODY_BYTES. */
  private readonly bodies = new Map<string, BodyText>();
  private bodyBytes = 0;
  private readonly streams = new Map<string, Recorded>();

  /** Requests kept waiting for their response at most; the oldest go first (a request may never be answered). */
  static readonly MAX_PENDING = 2000;
  /** Text of request bodies kept waiting for their response at most (UTF-16 code units); the oldest go first. */
  static readonly MAX_PENDING_BODY_CHARS = 8 * 1024 * 1024;

  /** A request is about to go (`onBeforeRequest`): its body, if it has one, is kept for its response. */
  began(requestId: string, body: WebRequestBody | undefined): void {
    this.dropBody(requestId);
    const text = body === undefined ? undefined : bodyText(body);
    if (text === undefined) return;
    this.bodies.set(requestId, text);
    this.bodyBytes += text.text.length;
    while (this.bodyBytes > FilteredResponses.MAX_PENDING_BODY_CHARS) this.dropBody(this.bodies.keys().next().value!);
  }

  private dropBody(requestId: string): void {
    const body = this.bodies.get(requestId);
    if (body === undefined) return;
    this.bodies.delete(requestId);
    this.bodyBytes -= body.text.length;
  }

  /** A request went out (`onSendHeaders`): its headers are kept for its response. */
  sent(request: RequestSent): void {
    this.requests.delete(request.requestId);
    this.requests.set(request.requestId, request);
    if (this.requests.size > FilteredResponses.MAX_PENDING) {
      this.requests.delete(this.requests.keys().next().value!);
    }
  }

  /** Whether the response is a stream to filter (`onHeadersReceived`); the request's headers are read, not consumed. */
  wants(response: ResponseHeaders): boolean {
    const request = this.requests.get(response.requestId);
    return isStreamedResponse(headerEntries(response.responseHeaders), headerEntries(request?.requestHeaders));
  }

  /**
   * The response of a request we now filter: its opening, response and state records. A redirect's
   * second response for the same request id is a new stream only if the first one was not recorded.
   */
  opened(response: ResponseHeaders): PageRecord[] {
    const request = this.requests.get(response.requestId);
    const body = this.bodies.get(response.requestId);
    this.forget(response.requestId);
    if (this.streams.has(response.requestId)) return [];
    const requestHeaders = headerEntries(request?.requestHeaders);
    const stream = `${FIREFOX_WIRE_PREFIX}${response.requestId}`;
    this.streams.set(response.requestId, { stream, decoder: new TextDecoder('utf-8') });
    const headers = headerEntries(response.responseHeaders);
    const time = response.timeStamp;
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return [
      {
        type: 'stream-open',
        stream,
        kind: 'fetch',
        url: request?.url ?? response.url,
        method: request?.method ?? response.method,
        requestHeaders,
        ...(body === undefined ? {} : { requestBody: { ...body, mimeType: header(requestHeaders, 'content-type') ?? '' } }),
        frameUrl: response.documentUrl ?? response.originUrl ?? '',
        time: request?.timeStamp ?? time,
        seenOn: 'wire',
      },
      {
        type: 'stream-response',
        stream,
        status: response.statusCode,
        statusText: statusText(response.statusLine),
        responseHeaders: headers,
        contentType: header(headers, 'content-type') ?? '',
        url: response.url,
        time,
      },
      {
        type: 'stream-state',
        stream,
        state: ok ? 'open' : 'error',
        ...(ok ? {} : { reason: 'http-error' as const }),
        time,
      },
    ];
  }

  /** Bytes of the response as they reached the filter (and went on, unchanged, to the page). */
  data(requestId: string, bytes: Uint8Array, time: number): PageRecord[] {
    const recorded = this.streams.get(requestId);
    if (recorded === undefined || bytes.length === 0) return [];
    const text = recorded.decoder.decode(bytes, { stream: true });
    return [{ type: 'stream-chunk', stream: recorded.stream, text, bytes: bytes.length, time }];
  }

  /** The response ended (the filter's `onstop`). */
  stopped(requestId: string, time: number): PageRecord[] {
    return this.end(requestId, time, { state: 'closed', reason: 'ended-by-server' });
  }

  /**
   * The response failed (the filter's `onerror`, or webRequest's `onErrorOccurred`): a page that
   * aborted its request shows as cancelled, anything else as a network error with the browser's words.
   */
  failed(requestId: string, error: string, time: number): PageRecord[] {
    if (/ABORT/i.test(error)) return this.end(requestId, time, { state: 'closed', reason: 'cancelled-by-page', detail: error });
    return this.end(requestId, time, { state: 'error', reason: 'network-error', ...(error ? { detail: error } : {}) });
  }

  /** Deep capture went off while the response went on: the rest reaches the page unrecorded. */
  released(requestId: string, time: number): PageRecord[] {
    return this.end(requestId, time, { state: 'closed', detail: 'deep capture turned off: the rest was not recorded' });
  }

  /** A request that never got (or will not get) a recorded response: forget it. */
  forget(requestId: string): void {
    this.requests.delete(requestId);
    this.dropBody(requestId);
  }

  isRecording(requestId: string): boolean {
    return this.streams.has(requestId);
  }

  private end(
    requestId: string,
    time: number,
    state: { state: 'closed' | 'error'; reason?: 'ended-by-server' | 'cancelled-by-page' | 'network-error'; detail?: string },
  ): PageRecord[] {
    this.forget(requestId);
    const recorded = this.streams.get(requestId);
    if (recorded === undefined) return [];
    this.streams.delete(requestId);
    const records: PageRecord[] = [];
    const rest = recorded.decoder.decode();
    if (rest !== '') records.push({ type: 'stream-chunk', stream: recorded.stream, text: rest, bytes: 0, time });
    records.push({ type: 'stream-state', stream: recorded.stream, ...state, time });
    return records;
  }
}

/** The origin of a URL, or undefined when it has none (about:, data:, a malformed URL...). */
export function originOf(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Which deep-capture tabs a request belongs to. A request of a tab's documents or of their dedicated
 * workers carries the tab's id. Requests of shared workers and service workers carry -1 in Firefox:
 * such a worker belongs to its origin, not to a tab (every tab of that origin shares it), so the
 * request goes to every deep-capture tab whose top-level page has the origin of the worker (the
 * request's `originUrl`, else its `documentUrl`) — the tabs that can be using that worker. A tab of
 * another origin never gets it, even when that origin's page embeds a frame of the worker's origin:
 * which tab's frame asked is not knowable, and a wrong tab is worse than a missing row.
 */
export function tabsOfRequest(
  request: { tabId: number; originUrl?: string; documentUrl?: string },
  deepTabOrigins: ReadonlyMap<number, string | undefined>,
): number[] {
  if (request.tabId !== -1) return deepTabOrigins.has(request.tabId) ? [request.tabId] : [];
  const origin = originOf(request.originUrl) ?? originOf(request.documentUrl);
  if (origin === undefined) return [];
  const tabs: number[] = [];
  for (const [tabId, tabOrigin] of deepTabOrigins) if (tabOrigin === origin) tabs.push(tabId);
  return tabs;
}
