/**
 * XMLHttpRequest, wrapped at open/setRequestHeader/send. Once the response headers say
 * text/event-stream, each new part of `responseText` is parsed as it arrives (polyfills such as
 * sse.js read SSE this way). Other requests get one readystatechange listener of ours, removed as
 * soon as their headers show they are not SSE.
 */
import { call, getter, natives, now, read, SafeWeakMap } from './natives';
import { guard, wrapMethod } from './disguise';
import type { Outbox } from './outbox';
import { absoluteUrl, acceptsEventStream, contentTypeOf, describeBody } from './request-info';
import { isCapturedContentType, StreamTap } from './stream-tap';
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

export function installXhrTap(win: typeof globalThis, outbox: Outbox): void {
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

  wrapMethod(proto, 'open', (original, xhr, args) => {
    const result = natives.apply(original, xhr, args);
    guard(() => {
      states.set(xhr as object, {
        method: natives.String(args[0]).toUpperCase(),
        url: absoluteUrl(args[1], win.location.href),
        async: args.length < 3 || args[2] !== false,
        requestHeaders: [],
        offset: 0,
        decided: false,
        sentAt: 0,
      });
    });
    return result;
  });

  wrapMethod(proto, 'setRequestHeader', (original, xhr, args) => {
    const result = natives.apply(original, xhr, args);
    const state = states.get(xhr);
    if (state !== undefined) {
      guard(() => {
        state.requestHeaders.push({ name: natives.String(args[0]), value: natives.String(args[1]) });
      });
    }
    return result;
  });

  function readNewText(xhr: XMLHttpRequest, state: XhrState, tap: StreamTap): void {
    const type = read(responseTypeOf, xhr);
    if (type !== '' && type !== 'text') return;
    const text = read(responseTextOf, xhr) ?? '';
    if (text.length > state.offset) {
      tap.text(call(natives.stringSlice, text, state.offset) as string);
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
      if (!isCapturedContentType(contentType, acceptsEventStream(state.requestHeaders))) {
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
      for (const [type, reason] of [
        ['abort', 'aborted'],
        ['error', 'network-error'],
        ['timeout', 'network-error'],
      ] as const) {
        call(natives.addEventListener, xhr, type, () =>
          guard(() => tap.setState('error', reason, type === 'timeout' ? 'timeout' : undefined)),
        );
      }
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

function parseHeaders(raw: string): HeaderEntry[] {
  const headers: HeaderEntry[] = [];
  for (const line of raw.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return headers;
}
