/**
 * The schema of what a HAR entry carries beyond HAR 1.2: Chrome's `_eventSourceMessages`, and our
 * `_sseDevtools` extras (everything needed to rebuild a stream exactly: kind, frame, state changes,
 * the raw chunks and when each arrived, the items that are not re-derived from them, and their
 * order). The writer (`har.ts`) builds these types; the reader (`readSseDevtoolsExtras`, used by
 * `har-import-own.ts`) checks every field of a file against them.
 */
import { STATE_REASONS, STREAM_KINDS, STREAM_STATES, WARNING_CODES } from '../protocol';
import type { Connection, StateTransition } from './log-store';
import type { SseItem, SseWarningCode } from './sse-types';
import type { conversationJson } from './ai/export';
import {
  array,
  BadField,
  list,
  numbers,
  object,
  oneOf,
  optBoolean,
  optNumber,
  optString,
  number,
  string,
  time,
  type Json,
} from './har-fields';

export interface EventSourceMessage {
  /** Epoch seconds (float). */
  time: number;
  eventName: string;
  eventId: string;
  data: string;
}

/** One raw chunk of a fetch/XHR stream: its `length` (UTF-16 code units) of response.content.text. */
export interface HarChunk {
  /** When the page read it (epoch ms). */
  time: number;
  length: number;
  /** Bytes on the wire (XHR: code units), as captured. */
  bytes: number;
}

export interface SseDevtoolsExtras {
  streamId: string;
  kind: Connection['kind'];
  /** The exact start (epoch ms, sub-ms precision; startedDateTime is rounded to the ms). */
  startTime: number;
  /** The URL as captured (redacted like request.url), when request.url differs from it. */
  url?: string;
  frameUrl: string;
  frameId: number;
  withCredentials?: boolean;
  /** Present when a response was seen: when, and whether it was redirected (to `url`). */
  response?: { time: number; redirected?: boolean; url?: string };
  /** Captured although not served as text/event-stream (the request asked for an event stream). */
  mislabelled: boolean;
  /** EventSource: the event types the page listened for (only those are visible). */
  listenedTypes?: string[];
  state: Connection['state'];
  stateReason?: Connection['stateReason'];
  transitions: StateTransition[];
  requestBodyTruncated?: boolean;
  /** The request body's declared size, when the capture knew it. */
  requestBodySize?: number;
  /** Every parsed item other than events, in order, time in epoch ms. */
  comments: { time: number; text: string }[];
  retries: { time: number; milliseconds: number }[];
  ignoredFields: { time: number; name: string; value: string }[];
  warnings: { time: number; code: string; message: string }[];
  /** Events whose data was cut by the per-event cap. */
  truncatedEvents: { index: number; originalLength: number }[];
  /** Whether response.content.text is the raw stream (fetch/XHR) or absent (EventSource). */
  rawStream: boolean;
  /** fetch/XHR: response.content.text cut into the chunks the page read, in order. */
  chunks?: HarChunk[];
  /**
   * Items that cannot be re-derived from content.text (all of an EventSource's), one letter per
   * item of the stream in order: e(vent), c(omment), r(etry), f(ield), w(arning) for those,
   * upper-case for items that are re-derived from the chunks. Absent when every item is derived.
   */
  itemOrder?: string;
  /** The exact times (epoch ms) of the events written in lower case in `itemOrder`, in order. */
  eventTimes?: number[];
  /** Indices in `_eventSourceMessages` of those events whose block had its own `id:` field. */
  idSetEvents?: number[];
  /** Indices in `_eventSourceMessages` of events dispatched again by "Replay to page". */
  replayedEvents?: number[];
  /** The stream was answered from a recording by "Mock next request", not by the network. */
  mocked?: boolean;
  /** Lines of records (NDJSON, Vercel AI data stream), not SSE: `_eventSourceMessages` is empty. */
  framing?: 'lines';
  /**
   * An AI stream (a protocol was detected): the conversation as the Conversation view's JSON export
   * writes it. For readers; import re-assembles it from the stream.
   */
  aiConversation?: ReturnType<typeof conversationJson>;
  /**
   * Deep capture: where the request was seen — by the page tap, on the wire, or both (then this
   * entry is the wire's stream, and `page` says what the page saw of it). Absent: by the page tap
   * (every file written before deep capture).
   */
  seenOn?: 'page' | 'wire' | 'both';
  /** seenOn 'both': the page tap's own stream of the request. */
  page?: PageExtras;
  /** seenOn 'both': indices in `_eventSourceMessages` of events only the page had (before deep capture joined; replayed). */
  pageOnlyEvents?: number[];
  /**
   * seenOn 'both': indices in `_eventSourceMessages` of events the page never heard (a type no
   * listener asked for). For readers: an import derives them again from `page`.
   */
  notHeardEvents?: number[];
  /** seenOn 'both': indices of events that came after the page stopped reading (for readers, as above). */
  notReadEvents?: number[];
  /**
   * seenOn 'both': the wire capture holds less than the page saw (`core/sightings.ts`
   * `shortfallOf`), so the page's events are the request's: for an EventSource they are among
   * `_eventSourceMessages` (`pageOnlyEvents`), for fetch/XHR the page's text is `page.text`. For
   * readers: an import tells it again from what both streams hold.
   */
  wireIncomplete?: {
    /** What `wire` and `page` count: events (EventSource), or text in UTF-16 code units (fetch/XHR). */
    unit: 'events' | 'chars';
    wire: number;
    page: number;
    wireEvents: number;
    pageEvents: number;
  };
}

/** What the page tap saw of a request deep capture saw too (`_sseDevtools.page`). */
export interface PageExtras {
  streamId: string;
  /** The API the page used (absent: the entry's kind). Firefox's wire records an EventSource as a fetch. */
  kind?: Connection['kind'];
  /** The URL the page asked for (redacted like request.url). */
  url: string;
  startTime: number;
  frameId: number;
  frameUrl: string;
  /** EventSource: when the page began to listen for each event type (epoch ms). */
  listening: { type: string; time: number }[];
  /** The page's own state changes (it may have closed or cancelled before the stream ended). */
  transitions: StateTransition[];
  /** fetch/XHR: how much of response.content.text the page read (UTF-16 code units). */
  readLength?: number;
  /**
   * fetch/XHR whose wire capture holds less than the page read (`wireIncomplete`): the text the
   * page read, which response.content.text (the wire's) lacks part of; its events are parsed from it.
   */
  text?: string;
  /** With `text`: it cut into the chunks the page read, in order (as the entry's `chunks`). */
  chunks?: HarChunk[];
}

export const SEEN_ON = ['page', 'wire', 'both'] as const;

/**
 * The letter of each item kind in `itemOrder`: lower case for items written in the extras (or in
 * `_eventSourceMessages`), upper case for items re-derived from the chunks.
 */
export const ITEM_ORDER_LETTER: Record<SseItem['kind'], string> = {
  event: 'e',
  comment: 'c',
  retry: 'r',
  field: 'f',
  warning: 'w',
};

/** What the reader takes from `_sseDevtools` (the state and flags it derives itself are left out). */
export type ReadExtras = Omit<
  SseDevtoolsExtras,
  'state' | 'stateReason' | 'mislabelled' | 'rawStream' | 'warnings' | 'listenedTypes'
> & {
  listenedTypes: string[];
  warnings: { time: number; code: SseWarningCode; message: string }[];
};

/** Reads and checks an entry's `_sseDevtools` at `path`; a field of the wrong type throws `BadField`. */
export function readSseDevtoolsExtras(value: unknown, path: string): ReadExtras {
  const x: Json = object(value, path);
  const listenedTypes =
    x.listenedTypes === undefined
      ? []
      : array(x.listenedTypes, `${path}.listenedTypes`).map((v, i) => {
          if (typeof v !== 'string') throw new BadField(`${path}.listenedTypes[${i}]`, 'a string');
          return v;
        });
  let response: ReadExtras['response'];
  if (x.response !== undefined) {
    const r = object(x.response, `${path}.response`);
    const rp = `${path}.response`;
    const redirected = optBoolean(r, 'redirected', rp);
    const url = optString(r, 'url', rp);
    response = {
      time: time(r, 'time', rp),
      ...(redirected !== undefined ? { redirected } : {}),
      ...(url !== undefined ? { url } : {}),
    };
  }
  const optional = <T>(key: string, read: () => T): { [k: string]: T } => (x[key] === undefined ? {} : { [key]: read() });
  return {
    streamId: string(x, 'streamId', path),
    frameId: number(x, 'frameId', path),
    kind: oneOf(x, 'kind', path, STREAM_KINDS),
    ...optional('startTime', () => time(x, 'startTime', path)),
    ...optional('url', () => string(x, 'url', path)),
    frameUrl: string(x, 'frameUrl', path),
    ...optional('withCredentials', () => optBoolean(x, 'withCredentials', path)!),
    ...optional('mocked', () => optBoolean(x, 'mocked', path)!),
    ...(response !== undefined ? { response } : {}),
    listenedTypes,
    transitions: list(x, 'transitions', path, (t, p) => ({
      state: oneOf(t, 'state', p, STREAM_STATES),
      reason: t.reason === undefined ? undefined : oneOf(t, 'reason', p, STATE_REASONS),
      detail: optString(t, 'detail', p),
      time: time(t, 'time', p),
    })),
    ...optional('requestBodyTruncated', () => optBoolean(x, 'requestBodyTruncated', path)!),
    ...optional('requestBodySize', () => optNumber(x, 'requestBodySize', path)!),
    ...optional('chunks', () =>
      list(x, 'chunks', path, (c, p) => ({
        time: time(c, 'time', p),
        length: number(c, 'length', p),
        bytes: number(c, 'bytes', p),
      })),
    ),
    comments: list(x, 'comments', path, (c, p) => ({ time: time(c, 'time', p), text: string(c, 'text', p) })),
    retries: list(x, 'retries', path, (r, p) => ({ time: time(r, 'time', p), milliseconds: number(r, 'milliseconds', p) })),
    ignoredFields: list(x, 'ignoredFields', path, (f, p) => ({
      time: time(f, 'time', p),
      name: string(f, 'name', p),
      value: string(f, 'value', p),
    })),
    warnings: list(x, 'warnings', path, (w, p) => ({
      time: time(w, 'time', p),
      code: oneOf(w, 'code', p, WARNING_CODES),
      message: string(w, 'message', p),
    })),
    truncatedEvents: list(x, 'truncatedEvents', path, (t, p) => ({
      index: number(t, 'index', p),
      originalLength: number(t, 'originalLength', p),
    })),
    ...optional('itemOrder', () => string(x, 'itemOrder', path)),
    ...optional('eventTimes', () => numbers(x.eventTimes, `${path}.eventTimes`)),
    ...optional('idSetEvents', () => numbers(x.idSetEvents, `${path}.idSetEvents`)),
    ...optional('replayedEvents', () => numbers(x.replayedEvents, `${path}.replayedEvents`)),
    ...optional('seenOn', () => oneOf(x, 'seenOn', path, SEEN_ON)),
    ...optional('page', () => readPageExtras(x.page, `${path}.page`)),
    ...optional('pageOnlyEvents', () => numbers(x.pageOnlyEvents, `${path}.pageOnlyEvents`)),
    ...optional('notHeardEvents', () => numbers(x.notHeardEvents, `${path}.notHeardEvents`)),
    ...optional('notReadEvents', () => numbers(x.notReadEvents, `${path}.notReadEvents`)),
  } as ReadExtras;
}

function readPageExtras(value: unknown, path: string): PageExtras {
  const p: Json = object(value, path);
  const readLength = optNumber(p, 'readLength', path);
  const text = optString(p, 'text', path);
  const chunks =
    p.chunks === undefined
      ? undefined
      : list(p, 'chunks', path, (c, cp) => ({
          time: time(c, 'time', cp),
          length: number(c, 'length', cp),
          bytes: number(c, 'bytes', cp),
        }));
  return {
    streamId: string(p, 'streamId', path),
    ...(p.kind === undefined ? {} : { kind: oneOf(p, 'kind', path, STREAM_KINDS) }),
    url: string(p, 'url', path),
    startTime: time(p, 'startTime', path),
    frameId: number(p, 'frameId', path),
    frameUrl: string(p, 'frameUrl', path),
    listening: list(p, 'listening', path, (l, lp) => ({ type: string(l, 'type', lp), time: time(l, 'time', lp) })),
    transitions: list(p, 'transitions', path, (t, tp) => ({
      state: oneOf(t, 'state', tp, STREAM_STATES),
      reason: t.reason === undefined ? undefined : oneOf(t, 'reason', tp, STATE_REASONS),
      detail: optString(t, 'detail', tp),
      time: time(t, 'time', tp),
    })),
    ...(readLength !== undefined ? { readLength } : {}),
    ...(text !== undefined ? { text } : {}),
    ...(chunks !== undefined ? { chunks } : {}),
  };
}
