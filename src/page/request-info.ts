/**
 * What a fetch/XHR call asked for (method, URL, headers, body as text), read without consuming or
 * altering anything the page passed in. Runs for every fetch, SSE or not, so it stays cheap: the
 * body is only described here, and copied to text (bounded) when it is text already.
 */
import type { BodyText, HeaderEntry } from '../protocol';
import { bare, bareArray, call, getter, natives, read } from './natives';

/** Request bodies are kept up to this many UTF-16 code units. */
export const MAX_BODY_TEXT = 64 * 1024;

const RequestCtor = globalThis.Request;
const requestUrl = RequestCtor ? getter<string>(RequestCtor.prototype, 'url') : undefined;
const requestMethod = RequestCtor ? getter<string>(RequestCtor.prototype, 'method') : undefined;
const requestHeaders = RequestCtor ? getter<Headers>(RequestCtor.prototype, 'headers') : undefined;
const requestBodyGetter = RequestCtor ? getter<ReadableStream | null>(RequestCtor.prototype, 'body') : undefined;
const requestClone = RequestCtor?.prototype.clone;
const requestText = RequestCtor?.prototype.text;
const headersForEach = globalThis.Headers?.prototype.forEach;
const URLCtor = URL;
const baseUriOf = getter<string>(Node.prototype, 'baseURI');
const urlHref = getter<string>(URL.prototype, 'href');
const BlobCtor = globalThis.Blob;
const blobSize = BlobCtor ? getter<number>(BlobCtor.prototype, 'size') : undefined;
const blobType = BlobCtor ? getter<string>(BlobCtor.prototype, 'type') : undefined;
const URLSearchParamsCtor = globalThis.URLSearchParams;
const searchParamsToString = URLSearchParamsCtor?.prototype.toString;
const FormDataCtor = globalThis.FormData;
const ReadableStreamCtor = globalThis.ReadableStream;
const utf8 = new natives.TextDecoder();

/** A brand check (the browser's getter refuses anything else), where `instanceof` would ask the page. */
export function isRequest(value: unknown): value is Request {
  if (value === null || typeof value !== 'object' || requestUrl === undefined) return false;
  try {
    read(requestUrl, value);
    return true;
  } catch {
    return false;
  }
}

/** The document's base URL (what relative URLs resolve against: <base href>, about:blank's creator). */
export function documentBaseUrl(): string {
  return read(baseUriOf, document) ?? '';
}

/** Absolute form of `url` (already a string), resolved against the document's base URL. */
export function absoluteUrl(url: string): string {
  try {
    return read(urlHref, new URLCtor(url, documentBaseUrl())) ?? url;
  } catch {
    return url;
  }
}

/** `url` resolved against the document's base URL, or undefined when it is not a valid URL. */
export function resolveUrl(url: string): string | undefined {
  try {
    return read(urlHref, new URLCtor(url, documentBaseUrl()));
  } catch {
    return undefined;
  }
}

export function headerList(headers: Headers | undefined): HeaderEntry[] {
  const list = bareArray<HeaderEntry>();
  if (headers === undefined || headersForEach === undefined) return list;
  call(headersForEach, headers, (value: string, name: string) => {
    list[list.length] = bare({ name, value });
  });
  return list;
}

export function requestHeaderList(request: Request): HeaderEntry[] {
  return headerList(read(requestHeaders, request));
}

export function requestMethodOf(request: Request): string {
  return read(requestMethod, request) ?? 'GET';
}

export function requestUrlOf(request: Request): string {
  return read(requestUrl, request) ?? '';
}

export function contentTypeOf(headers: HeaderEntry[]): string {
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i]!;
    if (call(natives.stringToLowerCase, header.name) === 'content-type') return header.value;
  }
  return '';
}

export function acceptsEventStream(headers: HeaderEntry[]): boolean {
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i]!;
    if (
      call(natives.stringToLowerCase, header.name) === 'accept' &&
      (call(natives.stringIndexOf, call(natives.stringToLowerCase, header.value), 'text/event-stream') as number) !== -1
    ) {
      return true;
    }
  }
  return false;
}

function bounded(text: string, mimeType: string): BodyText {
  if (text.length <= MAX_BODY_TEXT) return { mimeType, text, size: text.length };
  return {
    mimeType,
    text: call(natives.stringSlice, text, 0, MAX_BODY_TEXT) as string,
    truncated: true,
    size: text.length,
  };
}

/** Describes a body given to fetch (init.body) or XHR send(). Never reads a stream or a Blob. */
export function describeBody(body: unknown, mimeType: string): BodyText | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return bounded(body, mimeType);
  if (URLSearchParamsCtor !== undefined && body instanceof URLSearchParamsCtor && searchParamsToString) {
    return bounded(call(searchParamsToString, body) as string, mimeType || 'application/x-www-form-urlencoded');
  }
  if (body instanceof natives.ArrayBuffer || natives.arrayBufferIsView(body)) {
    const view = body instanceof natives.ArrayBuffer ? new natives.Uint8Array(body) : (body as ArrayBufferView);
    const size = view.byteLength;
    const bytes =
      view instanceof natives.Uint8Array ? view : new natives.Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    const head = size > MAX_BODY_TEXT ? bytes.subarray(0, MAX_BODY_TEXT) : bytes;
    return { mimeType, text: utf8.decode(head), truncated: size > MAX_BODY_TEXT, size };
  }
  if (BlobCtor !== undefined && body instanceof BlobCtor) {
    const size = read(blobSize, body) ?? 0;
    const type = read(blobType, body) ?? '';
    return { mimeType: mimeType || type, text: `[Blob, ${size} bytes${type ? `, ${type}` : ''}]`, truncated: true, size };
  }
  if (FormDataCtor !== undefined && body instanceof FormDataCtor) {
    return { mimeType: mimeType || 'multipart/form-data', text: '[FormData]', truncated: true };
  }
  if (ReadableStreamCtor !== undefined && body instanceof ReadableStreamCtor) {
    return { mimeType, text: '[ReadableStream body: not read]', truncated: true };
  }
  return { mimeType, text: `[${typeof body} body]`, truncated: true };
}

/**
 * Where a request body read later ends up: in `body` if it arrives before the stream opens, else
 * handed to the listener the stream sets.
 */
export class BodySink {
  body: BodyText | undefined;
  private listener: ((body: BodyText) => void) | undefined;

  deliver(body: BodyText): void {
    if (this.listener) this.listener(body);
    else this.body = body;
  }

  /** Calls `listener` with the body now if it is here, else when it arrives. */
  whenRead(listener: (body: BodyText) => void): void {
    if (this.body !== undefined) return;
    this.listener = listener;
  }
}

/**
 * For a Request with a body, reads a clone's text so the original stays usable. Only done for
 * requests that ask for an event stream: cloning tees the body, which we avoid for other traffic.
 */
export function readRequestBody(request: Request, sink: BodySink, mimeType: string): void {
  if (requestClone === undefined || requestText === undefined) return;
  if (read(requestBodyGetter, request) === null) return;
  const clone = call(requestClone, request) as Request;
  const pending = call(requestText, clone) as Promise<string>;
  call(
    natives.promiseThen as (...a: never[]) => Promise<void>,
    pending,
    (text: string) => sink.deliver(bounded(text, mimeType)),
    () => sink.deliver({ mimeType, text: '[body could not be read]', truncated: true }),
  );
}
