/**
 * window.fetch, wrapped: the page gets the very Response the browser made. Responses whose
 * Content-Type is text/event-stream are followed (tap-body.ts); all others are not touched.
 */
import { getter, natives, read } from './natives';
import { observePromise, wrapMethod } from './disguise';
import type { Outbox } from './outbox';
import {
  absoluteUrl,
  acceptsEventStream,
  BodySink,
  contentTypeOf,
  describeBody,
  headerList,
  initHeaderList,
  isRequest,
  readRequestBody,
  requestHeaderList,
  requestMethodOf,
  requestUrlOf,
} from './request-info';
import { isCapturedContentType, StreamTap, type StreamRequest } from './stream-tap';
import { tapResponse } from './tap-body';
import { now } from './natives';

const responseHeaders = globalThis.Response ? getter<Headers>(Response.prototype, 'headers') : undefined;
const responseStatus = globalThis.Response ? getter<number>(Response.prototype, 'status') : undefined;
const responseStatusText = globalThis.Response ? getter<string>(Response.prototype, 'statusText') : undefined;
const responseUrl = globalThis.Response ? getter<string>(Response.prototype, 'url') : undefined;
const responseRedirected = globalThis.Response ? getter<boolean>(Response.prototype, 'redirected') : undefined;

interface PendingRequest extends StreamRequest {
  sink: BodySink;
}

function describeRequest(args: unknown[], baseUrl: string): PendingRequest {
  const [input, init] = args as [unknown, RequestInit | undefined];
  const time = now();
  const sink = new BodySink();
  let url: string;
  let method = 'GET';
  let requestHeaders = [] as ReturnType<typeof headerList>;
  if (isRequest(input)) {
    url = requestUrlOf(input);
    method = requestMethodOf(input);
    requestHeaders = requestHeaderList(input);
  } else {
    url = absoluteUrl(input, baseUrl);
  }
  if (init !== undefined && init !== null && typeof init === 'object') {
    if (typeof init.method === 'string') method = natives.String(init.method).toUpperCase();
    if (init.headers !== undefined) requestHeaders = initHeaderList(init.headers);
    if (init.body !== undefined && init.body !== null) {
      sink.body = describeBody(init.body, contentTypeOf(requestHeaders));
    }
  }
  if (sink.body === undefined && isRequest(input) && acceptsEventStream(requestHeaders)) {
    readRequestBody(input, sink, contentTypeOf(requestHeaders));
  }
  return { kind: 'fetch', url, method, requestHeaders, time, sink };
}

export function installFetchTap(win: typeof globalThis, outbox: Outbox): void {
  if (typeof win.fetch !== 'function') return;
  wrapMethod(win, 'fetch', (original, thisArg, args) => {
    let request: PendingRequest | undefined;
    try {
      request = describeRequest(args, win.location.href);
    } catch {
      request = undefined;
    }
    const result = natives.apply(original, thisArg, args) as Promise<Response>;
    if (request === undefined) return result;
    const pending = request;
    return observePromise(
      result,
      (response) => {
        const headers = headerList(read(responseHeaders, response));
        const contentType = contentTypeOf(headers);
        if (!isCapturedContentType(contentType, acceptsEventStream(pending.requestHeaders))) return;
        const { sink, ...streamRequest } = pending;
        const tap = new StreamTap(
          outbox,
          { ...streamRequest, requestBody: sink.body },
          win.location.href,
        );
        tap.response({
          status: read(responseStatus, response) ?? 0,
          statusText: read(responseStatusText, response) ?? '',
          responseHeaders: headers,
          contentType,
          redirected: read(responseRedirected, response) ?? false,
          url: read(responseUrl, response) ?? pending.url,
        });
        tap.setState('open');
        tapResponse(response, tap);
        sink.whenRead((body) => tap.requestBody(body));
      },
      (error) => {
        // A failed request that asked for an event stream is worth showing; others are not ours.
        if (!acceptsEventStream(pending.requestHeaders)) return;
        const { sink, ...streamRequest } = pending;
        const tap = new StreamTap(outbox, { ...streamRequest, requestBody: sink.body }, win.location.href);
        const name = typeof error === 'object' && error !== null ? natives.String((error as Error).name) : '';
        const message = typeof error === 'object' && error !== null ? natives.String((error as Error).message) : natives.String(error);
        tap.setState('error', name === 'AbortError' ? 'aborted' : 'network-error', message);
      },
    );
  });
}
