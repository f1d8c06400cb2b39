/**
 * "Mock next request": an armed recording answers the next fetch or EventSource of this frame whose
 * URL matches its pattern, without the network, once.
 *
 * - fetch: the page gets an ordinary Response (made with the Response constructor, its url and
 *   type set as the network's would be) whose body is a ReadableStream that enqueues the recorded
 *   chunks on schedule. reader.cancel() (or any cancel of the body) and the request's AbortSignal
 *   stop the playback.
 * - EventSource: the page gets a real EventSource (so `instanceof`, prototype, onmessage... are the
 *   browser's), constructed with a `data:` URL and closed at once, so it never touches the network
 *   (nor trips the page's CSP: closing at once cancels the fetch before the check). Since no
 *   browser-made event can then follow the recorded pacing (a `data:` stream delivers everything at
 *   once), we dispatch `open`, each event and the final `error` ourselves, as a script would: they
 *   are untrusted (`isTrusted` is false), which is the one thing that tells them apart. `url` and
 *   `readyState` answer as for the real connection (the getters are wrapped when a mock is first
 *   armed: nothing is wrapped before). At the end the EventSource waits to reconnect
 *   (readyState CONNECTING), as a real one would after the server ended the stream, but it never
 *   does; close() stops the playback.
 *
 * Mocked streams are captured like any other (a fetch's body through the body taps; an
 * EventSource's events recorded here) and marked `mocked`.
 */
import type { HeaderEntry, MockRecording, PageCommand } from '../protocol';
import { matchesUrlPattern } from '../core/url-pattern';
import { guard, overrideGetter } from './disguise';
import { bare, bareArray, call, getter, natives, now, read, SafeWeakMap } from './natives';
import { Playback } from './playback';
import { dispatchMessage, originOf, type Report } from './replay';
import { contentTypeOf } from './request-info';
import { mimeEssence, SSE_MIME, type StreamTap } from './stream-tap';
import { tapOfResponse, tapResponse } from './tap-body';

interface ArmedMock {
  id: string;
  pattern: string;
  recording: MockRecording;
  report: Report;
}

interface MockedSource {
  readyState: number;
  url: string;
  /** Stops the playback (the page closed the EventSource). */
  cancel?: () => void;
}

/** A URL the browser fetches without the network (and which we cancel at once anyway). */
const NO_NETWORK_URL = 'data:text/event-stream,';

/** Statuses whose response has no body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = [101, 103, 204, 205, 304];

const eventSourceProto = globalThis.EventSource?.prototype;
const nativeClose = eventSourceProto?.close;
const responseProto = natives.Response?.prototype;
const requestSignal = natives.Request ? getter<AbortSignal>(natives.Request.prototype, 'signal') : undefined;
const signalAborted = globalThis.AbortSignal ? getter<boolean>(AbortSignal.prototype, 'aborted') : undefined;
const signalReason = globalThis.AbortSignal ? getter<unknown>(AbortSignal.prototype, 'reason') : undefined;
const encoder = new natives.TextEncoder();

// ReadableStreamDefaultController's methods, taken from a controller (the interface may not be global).
let controllerEnqueue: ((this: unknown, chunk: unknown) => void) | undefined;
let controllerClose: ((this: unknown) => void) | undefined;
let controllerError: ((this: unknown, reason: unknown) => void) | undefined;
try {
  new natives.ReadableStream({
    start(controller) {
      const proto = natives.getPrototypeOf(controller) as ReadableStreamDefaultController;
      controllerEnqueue = proto.enqueue;
      controllerClose = proto.close;
      controllerError = proto.error;
    },
  });
} catch {
  controllerEnqueue = undefined;
}

let armed: ArmedMock[] = bareArray();
/** Stops the playback of an answered mock, by command id, while it runs. */
const playing: Record<string, (() => void) | undefined> = bare({});
const mockedSources = new SafeWeakMap<object, MockedSource>();
/** What a mocked Response's `url` and `type` say, by the tap that follows it (clones share it). */
const mockedResponses = new SafeWeakMap<object, { url: string; type: string }>();
let gettersInstalled = false;

export function hasArmedMock(): boolean {
  return armed.length > 0;
}

export function armMock(command: Extract<PageCommand, { type: 'mock' }>, report: Report): void {
  installMockGetters();
  removeArmed(command.id);
  armed[armed.length] = bare({ id: command.id, pattern: command.pattern, recording: command.recording, report });
  report({ state: 'armed' });
}

/** Disarms mock `id`, or stops its playback. False when no such mock is here. */
export function stopMock(id: string, report: Report): boolean {
  if (removeArmed(id) !== undefined) {
    report({ state: 'stopped' });
    return true;
  }
  const stop = playing[id];
  if (stop === undefined) return false;
  stop();
  return true;
}

function removeArmed(id: string): ArmedMock | undefined {
  let found: ArmedMock | undefined;
  const kept = bareArray<ArmedMock>();
  for (let i = 0; i < armed.length; i++) {
    const mock = armed[i]!;
    if (mock.id === id) found = mock;
    else kept[kept.length] = mock;
  }
  armed = kept;
  return found;
}

/** The armed mock that answers a request to `url` (used up by it), if any. */
export function takeMock(url: string): ArmedMock | undefined {
  for (let i = 0; i < armed.length; i++) {
    const mock = armed[i]!;
    if (matchesUrlPattern(mock.pattern, url)) {
      removeArmed(mock.id);
      return mock;
    }
  }
  return undefined;
}

function installMockGetters(): void {
  if (gettersInstalled) return;
  gettersInstalled = true;
  if (eventSourceProto !== undefined) {
    overrideGetter(eventSourceProto, 'readyState', (source) => mockedSources.get(source)?.readyState);
    overrideGetter(eventSourceProto, 'url', (source) => mockedSources.get(source)?.url);
  }
  if (responseProto !== undefined) {
    const mocked = (response: unknown) => {
      const tap = tapOfResponse(response);
      return tap === undefined ? undefined : mockedResponses.get(tap);
    };
    overrideGetter(responseProto, 'url', (response) => mocked(response)?.url);
    overrideGetter(responseProto, 'type', (response) => mocked(response)?.type);
  }
}

// -------------------------------------------------------------------------------------------------
// EventSource

/**
 * Builds the EventSource `new EventSource(url, init)` gives the page when `mock` answers it:
 * `construct` makes a native one for a given URL.
 */
export function mockedEventSource(construct: (url: string) => EventSource): EventSource {
  const source = construct(NO_NETWORK_URL);
  if (nativeClose !== undefined) call(nativeClose, source);
  return source;
}

export function answerEventSource(source: EventSource, tap: StreamTap, url: string, mock: ArmedMock): void {
  const { recording, report, id } = mock;
  const info: MockedSource = bare({ readyState: 0, url });
  mockedSources.set(source, info);
  report({ state: 'answered', kind: 'eventsource', url, stream: tap.id });
  const events = recording.events;
  const origin = originOf(url);
  const contentType = contentTypeOf(recording.headers);
  // A real EventSource opens only on a 200 text/event-stream response; anything else fails it.
  const opens = recording.status === 200 && mimeEssence(contentType) === SSE_MIME;
  const steps = opens ? events.length + 2 : 1;
  const dispatch = (type: string) => call(natives.dispatchEvent, source, new natives.Event(type));
  const playback: Playback = new Playback(
    steps,
    (index) => (index === 0 ? recording.responseAt : index <= events.length ? events[index - 1]!.at : recording.endAt),
    (index) => {
      if (index === 0 && !opens) {
        info.readyState = 2;
        tap.setState('error', 'http-error', `${recording.status} ${recording.statusText}`);
        dispatch('error');
      } else if (index === 0) {
        info.readyState = 1;
        tap.response({ status: 200, statusText: recording.statusText, responseHeaders: recording.headers, contentType });
        tap.setState('open');
        dispatch('open');
      } else if (index <= events.length) {
        const event = events[index - 1]!;
        tap.event(event.type, event.lastEventId, event.data, now());
        dispatchMessage(source, event.type, event.data, event.lastEventId, origin);
      } else {
        info.readyState = 0;
        tap.setState('closed', 'ended-by-server');
        dispatch('error');
      }
    },
    () => {
      delete playing[id];
      report({ state: 'done', delivered: events.length, total: events.length });
    },
  );
  const delivered = () => (playback.done <= 1 ? 0 : Math.min(events.length, playback.done - 1));
  info.cancel = () => {
    if (!playback.running) return;
    playback.stop();
    delete playing[id];
    report({ state: 'cancelled', delivered: delivered(), total: events.length });
  };
  playing[id] = () => {
    if (!playback.running) return;
    playback.stop();
    delete playing[id];
    report({ state: 'stopped', delivered: delivered(), total: events.length });
  };
  playback.start();
}

/** The page closed EventSource `source`: a mocked one stops its playback and says CLOSED. */
export function closeMockedSource(source: unknown): void {
  const info = mockedSources.get(source);
  if (info === undefined) return;
  info.readyState = 2;
  info.cancel?.();
}

// -------------------------------------------------------------------------------------------------
// fetch

function headerRecord(headers: readonly HeaderEntry[]): Record<string, string> {
  const record: Record<string, string> = bare({});
  for (let i = 0; i < headers.length; i++) {
    const { name, value } = headers[i]!;
    const key = call(natives.stringToLowerCase, name) as string;
    record[key] = key in record ? `${record[key]}, ${value}` : value;
  }
  return record;
}

function makeResponse(body: ReadableStream | null, recording: MockRecording, status: number): Response {
  try {
    return new natives.Response(
      body,
      bare({ status, statusText: recording.statusText, headers: headerRecord(recording.headers) }),
    );
  } catch {
    // A status text or header the constructor refuses (e.g. from an edited HAR): keep the essentials.
    const headers = bare({ 'content-type': contentTypeOf(recording.headers) || SSE_MIME });
    return new natives.Response(body, bare({ status, headers }));
  }
}

/** Answers the fetch of `request` (to `url`) from `mock`'s recording. */
export function answerFetch(request: Request, url: string, tap: StreamTap, mock: ArmedMock): Promise<Response> {
  const { recording, report, id } = mock;
  report({ state: 'answered', kind: 'fetch', url, stream: tap.id });
  let resolve!: (response: Response) => void;
  let reject!: (reason: unknown) => void;
  const promise = new natives.Promise<Response>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  const chunks = recording.chunks;
  const total = chunks.length;
  const status = recording.status >= 200 && recording.status <= 599 ? recording.status : 200;
  let hasBody = true;
  for (let i = 0; i < NULL_BODY_STATUSES.length; i++) if (NULL_BODY_STATUSES[i] === status) hasBody = false;
  let controller: ReadableStreamDefaultController | undefined;
  let responded = false;
  const delivered = () => (playback.done <= 1 ? 0 : Math.min(total, playback.done - 1));
  const end = (state: 'done' | 'stopped' | 'cancelled') => {
    playback.stop();
    delete playing[id];
    report({ state, delivered: state === 'done' ? total : delivered(), total });
  };

  const playback: Playback = new Playback(
    total + 2,
    (index) => (index === 0 ? recording.responseAt : index <= total ? chunks[index - 1]!.at : recording.endAt),
    (index) => {
      if (index === 0) {
        const body = hasBody && controllerEnqueue !== undefined ? bodyStream() : null;
        const response = makeResponse(body, recording, status);
        tapResponse(response, tap);
        mockedResponses.set(tap, bare({ url, type: originOf(url) === originOf(globalThis.location.href) ? 'basic' : 'cors' }));
        const contentType = contentTypeOf(recording.headers);
        tap.response({
          status,
          statusText: recording.statusText,
          responseHeaders: recording.headers,
          contentType,
          redirected: false,
          url,
        });
        tap.setState('open');
        responded = true;
        resolve(response);
      } else if (controller !== undefined && index <= total) {
        call(controllerEnqueue!, controller, call(natives.textEncoderEncode, encoder, chunks[index - 1]!.text));
      } else if (controller !== undefined) {
        call(controllerClose!, controller);
      }
    },
    () => end('done'),
  );

  function bodyStream(): ReadableStream {
    return new natives.ReadableStream<Uint8Array>(
      bare<UnderlyingDefaultSource<Uint8Array>>({
        start(c: ReadableStreamDefaultController) {
          controller = c;
        },
        cancel() {
          guard(() => {
            if (playback.running) end('cancelled');
          });
        },
      }),
      bare({}),
    );
  }

  const signal = read(requestSignal, request);
  const abort = () => {
    if (!playback.running) return;
    const reason = read(signalReason, signal);
    end('cancelled');
    tap.setState('error', 'aborted');
    // As the network's fetch does: the promise rejects, or else the body errors, with the reason.
    if (!responded) reject(reason);
    else if (controller !== undefined) call(controllerError!, controller, reason);
  };
  if (signal !== undefined && read(signalAborted, signal) === true) {
    tap.setState('error', 'aborted');
    report({ state: 'cancelled', delivered: 0, total });
    reject(read(signalReason, signal));
    return promise;
  }
  // Stopped from the panel: the body ends where it is (before the response: a network error).
  playing[id] = () => {
    if (!playback.running) return;
    end('stopped');
    if (!responded) {
      tap.setState('error', 'network-error');
      reject(new natives.TypeError('Failed to fetch'));
    } else if (controller !== undefined) {
      guard(() => call(controllerClose!, controller));
    }
  };
  if (signal !== undefined) call(natives.addEventListener, signal, 'abort', () => guard(abort), bare({ once: true }));
  playback.start();
  return promise;
}
