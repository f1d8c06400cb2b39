/**
 * XMLHttpRequest, wrapped at open/setRequestHeader/send. Once the response headers say
 * text/event-stream, each new part of `responseText` is parsed as it arrives (polyfills such as
 * sse.js read SSE this way). Other requests get one readystatechange listener of ours, removed as
 * soon as their headers show they are not SSE.
 */
import { bare, bareArray, call, getter, natives, now, read, SafeWeakMap } from './natives';
import { guard, wrapMethod } from './disguise';
import type { PageLog } from './page-log';
import { absoluteUrl, acceptsEventStream, contentTypeOf, describeBody } from './request-info';
import { isCapturedResponse, StreamTap } from './stream-tap';
import type { HeaderEntry } from '../protocol';

interface XhrState {
  method: string;
  url: string;
  async: boolean;
  requestHeaders: HeaderEntry[];
  tap?: StreamTap;
  /** Characters of responseText already parsed. */
  offset: number;
  decided: boolean;
  /** When send() was called (epoch ms). */
  sentAt: number;
  listener?: () => void;
}

export function installXhrTap(win: typeof globalThis, outbox: PageLog): void {
  const XHR = win.XMLHttpRequest;
  if (typeof XHR !== 'function') return;
  const proto = XHR.prototype;
  const readyStateOf = getter<number>(proto, 'readyState');
  const responseTextOf = getter<string>(proto, 'responseText');
  const responseTypeOf = getter<string>(proto, 'responseType');
  const statusOf = getter<number>(proto, 'status');
  const statusTextOf = getter<string>(proto, 'statusText');
  const responseUrlOf = getter<string>(proto, 'responseURL');
  const withCredentialsOf = getter<boolean>(proto, 'withCredentials');
  const getAllResponseHeaders = proto.getAllResponseHeaders;
  const states = new SafeWeakMap<object, XhrState>();

  // open() and setRequestHeader(): we convert the page's string arguments once (as the browser
  // would, ToString), hand the browser the strings, and keep them; the page's toString runs once.
  wrapMethod(proto, 'open', (original, xhr, args) => {
    if (args.length < 2) return natives.apply(original, xhr, args);
    const method = `${args[0] as string}`;
    const url = `${args[1] as string}`;
    const converted = bareArray<unknown>(method);
    converted[1] = url;
    for (let i = 2; i < args.length; i++) converted[i] = args[i];
    const result = natives.apply(original, xhr, converted);
    guard(() => {
      states.set(
        xhr as object,
        bare({
          method: normalizeMethod(method),
          url: absoluteUrl(url),
          async: args.length < 3 || args[2] !== false,
          requestHeaders: bareArray<HeaderEntry>(),
          offset: 0,
          decided: false,
          sentAt: 0,
        }) as XhrState,
      );
    });
    return result;
  });

  wrapMethod(proto, 'setRequestHeader', (original, xhr, args) => {
    const state = states.get(xhr);
    if (state === undefined || args.length < 2) return natives.apply(original, xhr, args);
    const name = `${args[0] as string}`;
    const value = `${args[1] as string}`;
    const converted = bareArray<unknown>(name);
    converted[1] = value;
    const result = natives.apply(original, xhr, converted);
    guard(() => {
      state.requestHeaders[state.requestHeaders.length] = bare({ name, value });
    });
    return result;
  });

  function readNewText(xhr: XMLHttpRequest, state: XhrState, tap: StreamTap): void {
    const type = read(responseTypeOf, xhr);
    if (type !== '' && type !== 'text') return;
    const text = read(responseTextOf, xhr) ?? '';
    if (text.length > state.offset) {
      // No slice now: responseText is a growing rope, and slicing it would flatten all of it on every
      // progress event. The range is cut from the latest text when the log is sent.
      tap.textRange(text, state.offset);
      state.offset = text.length;
    }
  }

  function onReadyStateChange(xhr: XMLHttpRequest, state: XhrState, body: unknown): void {
    const readyState = read(readyStateOf, xhr) ?? 0;
    if (!state.decided) {
      if (readyState < 2) return;
      state.decided = true;
      const headers = parseHeaders(call(getAllResponseHeaders, xhr) as string);
      const contentType = contentTypeOf(headers);
      if (!isCapturedResponse(headers, contentType, acceptsEventStream(state.requestHeaders))) {
        if (state.listener) call(natives.removeEventListener, xhr, 'readystatechange', state.listener);
        return;
      }
      const tap = new StreamTap(
        outbox,
        {
          kind: 'xhr',
          url: state.url,
          method: state.method,
          requestHeaders: state.requestHeaders,
          requestBody: describeBody(body, contentTypeOf(state.requestHeaders)),
          withCredentials: read(withCredentialsOf, xhr) ?? false,
          time: state.sentAt,
        },
        win.location.href,
      );
      state.tap = tap;
      tap.response({
        status: read(statusOf, xhr) ?? 0,
        statusText: read(statusTextOf, xhr) ?? '',
        responseHeaders: headers,
        contentType,
        url: read(responseUrlOf, xhr) ?? state.url,
      });
      tap.setState('open');
      const ended = (reason: 'aborted' | 'network-error', detail?: string) => () =>
        guard(() => tap.setState('error', reason, detail));
      call(natives.addEventListener, xhr, 'abort', ended('aborted'));
      call(natives.addEventListener, xhr, 'error', ended('network-error'));
      call(natives.addEventListener, xhr, 'timeout', ended('network-error', 'timeout'));
    }
    const tap = state.tap;
    if (tap === undefined) return;
    if (readyState >= 3) readNewText(xhr, state, tap);
    if (readyState === 4 && (read(statusOf, xhr) ?? 0) !== 0) tap.end();
  }

  wrapMethod(proto, 'send', (original, xhr, args) => {
    guard(() => {
      const state = states.get(xhr);
      if (state === undefined || !state.async) return;
      state.offset = 0;
      state.decided = false;
      state.tap = undefined;
      state.sentAt = now();
      const body = args[0];
      // Kept so the request body can be described if the response turns out to be SSE.
      const listener = () => guard(() => onReadyStateChange(xhr as XMLHttpRequest, state, body));
      state.listener = listener;
      call(natives.addEventListener, xhr, 'readystatechange', listener);
    });
    return natives.apply(original, xhr, args);
  });
}

/** XHR upper-cases the standard methods only (`patch` stays `patch`). */
const STANDARD_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
function normalizeMethod(method: string): string {
  const upper = call(natives.stringToUpperCase, method) as string;
  for (let i = 0; i < STANDARD_METHODS.length; i++) if (STANDARD_METHODS[i] === upper) return upper;
  return method;
}

/** getAllResponseHeaders() text → entries, with captured string methods only. */
function parseHeaders(raw: string): HeaderEntry[] {
  const headers = bareArray<HeaderEntry>();
  let start = 0;
  while (start < raw.length) {
    let end = call(natives.stringIndexOf, raw, '\n', start) as number;
    if (end === -1) end = raw.length;
    let line = call(natives.stringSlice, raw, start, end) as string;
    if (line.length > 0 && (call(natives.stringCharCodeAt, line, line.length - 1) as number) === 13) {
      line = call(natives.stringSlice, line, 0, line.length - 1) as string;
    }
    const colon = call(natives.stringIndexOf, line, ':') as number;
    if (colon > 0) {
      headers[headers.length] = bare({
        name: call(natives.stringTrim, call(natives.stringSlice, line, 0, colon) as string) as string,
        value: call(natives.stringTrim, call(natives.stringSlice, line, colon + 1) as string) as string,
      });
    }
    start = end + 1;
  }
  return headers;
}
