/**
 * window.fetch, wrapped: the page gets the very Response the browser made. Responses whose
 * Content-Type is text/event-stream are followed (tap-body.ts); all others are not touched.
 */
import { bare, getter, natives, read } from './natives';
import { observePromise, wrapMethod } from './disguise';
import type { PageLog } from './page-log';
import {
  acceptsEventStream,
  BodySink,
  contentTypeOf,
  describeBody,
  headerList,
  isRequest,
  readRequestBody,
  requestHeaderList,
  requestMethodOf,
  requestUrlOf,
} from './request-info';
import { isCapturedResponse, StreamTap, type StreamRequest } from './stream-tap';
import { tapResponse } from './tap-body';
import { now } from './natives';
import { answerFetch, hasArmedMock, takeMock } from './mock';

const responseHeaders = globalThis.Response ? getter<Headers>(Response.prototype, 'headers') : undefined;
const responseStatus = globalThis.Response ? getter<number>(Response.prototype, 'status') : undefined;
const responseStatusText = globalThis.Response ? getter<string>(Response.prototype, 'statusText') : undefined;
const responseUrl = globalThis.Response ? getter<string>(Response.prototype, 'url') : undefined;
const responseRedirected = globalThis.Response ? getter<boolean>(Response.prototype, 'redirected') : undefined;

interface PendingRequest extends StreamRequest {
  sink: BodySink;
}

/**
 * fetch(input, init) is defined as fetching `new Request(input, init)`: we build that Request
 * ourselves and hand it to the browser's fetch, so the page's `init` (and the URL's toString) is
 * read exactly once, by the browser's own rules, and we read method, URL and headers back from the
 * Request through the browser's getters, without running page code again. The one member we read
 * ourselves is `body` (the first member the browser reads too), so we can describe it; the browser
 * then reads it from our own property instead of the page's object.
 */
function prepareRequest(args: unknown[]): { request: Request; pending: PendingRequest } | undefined {
  const RequestCtor = natives.Request;
  if (RequestCtor === undefined) return undefined;
  // The browser converts `input` first (a Request, or else a string), then reads `init`: so do we.
  const input = isRequest(args[0]) ? args[0] : `${args[0] as string}`;
  const init = args.length > 1 ? args[1] : undefined;
  const time = now();
  let body: unknown;
  let browserInit: unknown = init;
  if (init !== null && typeof init === 'object') {
    body = (init as RequestInit).body;
    browserInit = natives.objectCreate(init, bare({ body: bare({ value: body, enumerable: true }) }));
  }
  const request = natives.construct(RequestCtor, browserInit === undefined ? [input] : [input, browserInit]) as Request;
  const requestHeaders = requestHeaderList(request);
  const sink = new BodySink();
  const mimeType = contentTypeOf(requestHeaders);
  if (body !== undefined && body !== null) sink.body = describeBody(body, mimeType);
  else if (isRequest(input) && acceptsEventStream(requestHeaders)) readRequestBody(request, sink, mimeType);
  return {
    request,
    pending: { kind: 'fetch', url: requestUrlOf(request), method: requestMethodOf(request), requestHeaders, time, sink },
  };
}

/** The answer of an armed mock whose pattern matches the request, if there is one. */
function mockedFetch(
  win: typeof globalThis,
  outbox: PageLog,
  request: Request,
  pending: PendingRequest,
): Promise<Response> | undefined {
  let mock: ReturnType<typeof takeMock>;
  try {
    mock = takeMock(pending.url);
  } catch {
    return undefined;
  }
  if (mock === undefined) return undefined;
  const { sink, ...streamRequest } = pending;
  const tap = new StreamTap(outbox, { ...streamRequest, requestBody: sink.body, mocked: true }, win.location.href);
  sink.whenRead((body) => tap.requestBody(body));
  try {
    return answerFetch(request, pending.url, tap, mock);
  } catch {
    return undefined;
  }
}

export function installFetchTap(win: typeof globalThis, outbox: PageLog): void {
  if (typeof win.fetch !== 'function') return;
  wrapMethod(win, 'fetch', (original, thisArg, args) => {
    // Called on something other than a window or with no argument (errors the browser reports), or
    // with arguments the Request constructor refuses: the browser handles the call as it is.
    if ((thisArg !== undefined && thisArg !== win) || args.length === 0) return natives.apply(original, thisArg, args);
    let prepared: ReturnType<typeof prepareRequest>;
    try {
      prepared = prepareRequest(args);
    } catch {
      prepared = undefined;
    }
    if (prepared === undefined) return natives.apply(original, thisArg, args);
    const pending = prepared.pending;
    if (hasArmedMock()) {
      const mocked = mockedFetch(win, outbox, prepared.request, pending);
      if (mocked !== undefined) return mocked;
    }
    const result = natives.apply(original, thisArg, [prepared.request]) as Promise<Response>;
    return observePromise(
      result,
      (response) => {
        const headers = headerList(read(responseHeaders, response));
        const contentType = contentTypeOf(headers);
        if (!isCapturedResponse(headers, contentType, acceptsEventStream(pending.requestHeaders))) return;
        const { sink, ...streamRequest } = pending;
        const tap = new StreamTap(outbox, { ...streamRequest, requestBody: sink.body }, win.location.href);
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
        const message =
          typeof error === 'object' && error !== null ? natives.String((error as Error).message) : natives.String(error);
        tap.setState('error', name === 'AbortError' ? 'aborted' : 'network-error', message);
      },
    );
  });
}
