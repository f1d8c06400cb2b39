/**
 * window.EventSource, wrapped: `new EventSource(...)` still builds a native EventSource (same
 * prototype, same behaviour); we add our own listeners to it, first in line, and record every
 * trusted event it dispatches.
 *
 * A wrapped EventSource only dispatches the named event types someone listens for, so we add a
 * listener of our own for each type the page listens for (before the page's, so that
 * stopImmediatePropagation in the page cannot hide events from us). Named types nobody listens
 * for stay invisible in this mode; the panel says so.
 */
import { bare, bareArray, call, getter, natives, now, read, SafeWeakMap, uncurried } from './natives';
import { disguisedProxy, guard, reportInternalError, wrapMethod } from './disguise';
import type { PageLog } from './page-log';
import { StreamTap } from './stream-tap';
import { answerEventSource, closeMockedSource, hasArmedMock, mockedEventSource, takeMock } from './mock';
import { forgetLiveSource, rememberLiveSource } from './replay';
import { resolveUrl } from './request-info';

const ALWAYS_HEARD = ['open', 'error', 'message'];

interface EventSourceTap {
  tap: StreamTap;
  /** Event types we listen for (no prototype: `in` never reaches the page's Object.prototype). */
  heardTypes: Record<string, true>;
  opened: boolean;
  lastEventId: string;
}

export function installEventSourceTap(win: typeof globalThis, outbox: PageLog): void {
  const NativeEventSource = win.EventSource;
  if (typeof NativeEventSource !== 'function') return;
  const proto = NativeEventSource.prototype;
  const esUrl = getter<string>(proto, 'url');
  const esWithCredentials = getter<boolean>(proto, 'withCredentials');
  const esReadyState = getter<number>(proto, 'readyState');
  const messageData = getter<unknown>(MessageEvent.prototype, 'data');
  const messageLastEventId = getter<string>(MessageEvent.prototype, 'lastEventId');
  const nativeAddEventListener = natives.addEventListener;

  const taps = new SafeWeakMap<object, EventSourceTap>();
  // Read once per event: no arguments array per read.
  const readMessageData = uncurried(messageData);
  const readMessageLastEventId = uncurried(messageLastEventId);
  /** A brand check that runs no page code: MessageEvent's own `data` getter throws on anything else. */
  const isMessageEvent = (event: Event): boolean => {
    if (messageData === undefined) return false;
    try {
      call(messageData, event);
      return true;
    } catch {
      return false;
    }
  };

  function listen(source: EventSource, state: EventSourceTap, type: string): void {
    if (type in state.heardTypes) return;
    state.heardTypes[type] = true;
    if (type !== 'open' && type !== 'error') state.tap.listening(type);
    // One listener per type, knowing its type: per event we read two getters and make no closure.
    const listener =
      type === 'open' || type === 'error'
        ? (event: Event) => {
            try {
              onOpenOrError(source, state, type, event);
            } catch (error) {
              reportInternalError(error);
            }
          }
        : (event: Event) => {
            try {
              // isTrusted is an own, unforgeable property of each event: the page cannot fake it.
              if (event.isTrusted !== true) return;
              onMessage(state, type, event, now());
            } catch (error) {
              reportInternalError(error);
            }
          };
    call(nativeAddEventListener, source, type, listener);
  }

  function onMessage(state: EventSourceTap, type: string, event: Event, time: number): void {
    const data = readMessageData === undefined ? undefined : readMessageData(event);
    const lastEventId = readMessageLastEventId === undefined ? '' : readMessageLastEventId(event);
    state.lastEventId = lastEventId;
    state.tap.event(type, lastEventId, typeof data === 'string' ? data : natives.String(data), time);
  }

  /**
   * `open` and `error` are the connection's own events, and also names a server may give its
   * events (`event: error` is sent in-band, e.g. by Anthropic's API on overload): those arrive as
   * MessageEvents, carry data, and leave the connection as it is. Only a plain Event is a change of
   * state.
   */
  function onOpenOrError(source: EventSource, state: EventSourceTap, type: string, event: Event): void {
    if (event.isTrusted !== true) return;
    const time = now();
    if (isMessageEvent(event)) {
      onMessage(state, type, event, time);
      return;
    }
    if (type === 'open') {
      if (!state.opened) {
        state.opened = true;
        // EventSource only opens on a 200 text/event-stream response; it exposes no headers.
        state.tap.response({ status: 200, statusText: 'OK', responseHeaders: [], contentType: 'text/event-stream' }, time);
      }
      state.tap.setState('open', undefined, undefined, time);
      return;
    }
    const readyState = read(esReadyState, source);
    if (readyState === 0) {
      state.tap.setState('connecting', 'reconnecting', `Last-Event-ID: ${state.lastEventId}`, time);
    } else {
      state.tap.setState('error', state.opened ? 'network-error' : 'http-error', undefined, time);
      forgetLiveSource(state.tap);
    }
  }

  /** The armed mock that answers `new EventSource(url)`, with the URL resolved. */
  function mockFor(url: string): { mock: NonNullable<ReturnType<typeof takeMock>>; url: string } | undefined {
    try {
      const absolute = resolveUrl(url);
      const mock = absolute === undefined ? undefined : takeMock(absolute);
      return mock === undefined ? undefined : { mock, url: absolute! };
    } catch {
      return undefined;
    }
  }

  const replacement = disguisedProxy(NativeEventSource, {
    construct(target, args, newTarget) {
      let mock: ReturnType<typeof mockFor>;
      if (hasArmedMock() && args.length > 0) {
        // With a mock armed, the URL is converted here, once (as the browser would convert it), and
        // the browser gets the string.
        const converted = bareArray<unknown>(`${args[0] as string}`);
        for (let i = 1; i < args.length; i++) converted[i] = args[i];
        args = converted;
        mock = mockFor(converted[0] as string);
      }
      const source =
        mock === undefined
          ? (natives.construct(target, args, newTarget) as EventSource)
          : mockedEventSource((url) => {
              args[0] = url;
              return natives.construct(target, args, newTarget) as EventSource;
            });
      guard(() => {
        const url = mock?.url ?? read(esUrl, source) ?? '';
        const tap = new StreamTap(
          outbox,
          {
            kind: 'eventsource',
            url,
            method: 'GET',
            requestHeaders: [{ name: 'Accept', value: 'text/event-stream' }],
            withCredentials: read(esWithCredentials, source) ?? false,
            time: now(),
            ...(mock === undefined ? {} : { mocked: true }),
          },
          win.location.href,
        );
        const state: EventSourceTap = { tap, heardTypes: bare({}), opened: false, lastEventId: '' };
        taps.set(source, state);
        for (let i = 0; i < ALWAYS_HEARD.length; i++) listen(source, state, ALWAYS_HEARD[i]!);
        rememberLiveSource(source, tap, url);
        if (mock !== undefined) answerEventSource(source, tap, mock.url, mock.mock);
      });
      return source;
    },
  });
  // The prototype's `constructor` must lead back to what the page sees as EventSource.
  const constructorDescriptor = natives.getOwnPropertyDescriptor(proto, 'constructor');
  if (constructorDescriptor) natives.defineProperty(proto, 'constructor', { ...constructorDescriptor, value: replacement });
  const globalDescriptor = natives.getOwnPropertyDescriptor(win, 'EventSource');
  if (globalDescriptor) natives.defineProperty(win, 'EventSource', { ...globalDescriptor, value: replacement });

  wrapMethod(EventTarget.prototype, 'addEventListener', (original, target, args) => {
    const state = taps.get(target);
    if (state !== undefined && typeof args[0] === 'string') {
      const type = args[0];
      guard(() => listen(target as EventSource, state, type));
    }
    return natives.apply(original, target, args);
  });

  wrapMethod(proto, 'close', (original, source, args) => {
    const result = natives.apply(original, source, args);
    const state = taps.get(source);
    if (state !== undefined) {
      guard(() => {
        state.tap.setState('closed', 'closed-by-page');
        forgetLiveSource(state.tap);
        closeMockedSource(source);
      });
    }
    return result;
  });
}
