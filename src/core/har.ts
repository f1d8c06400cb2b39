/**
 * HAR 1.2 export of captured streams. One entry per stream; its events go in
 * `_eventSourceMessages` ([{time, eventName, eventId, data}], time in epoch seconds), the names
 * Chrome's own HAR export uses for EventSource messages, so other tools can read them. Everything
 * else we know (comments, retry, ignored fields, warnings, kind, frame, state changes) goes under
 * `_sseDevtools`. Sensitive headers are redacted unless asked otherwise.
 */
import type { HeaderEntry } from '../protocol';
import { rawTextOf, type Connection, type LoggedItem, type StateTransition } from './log-store';

export const REDACTED = '[redacted by SSE DevTools]';

/** Header names whose values are secrets (compared lower-case). */
const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-access-token',
  'x-csrf-token',
  'x-xsrf-token',
]);

export function isSensitiveHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SENSITIVE_HEADERS.has(lower) || /(^|[-_])(api[-_]?key|secret|token|authorization)$/.test(lower);
}

export interface HarOptions {
  /** Keep sensitive header values (default false: they are replaced by REDACTED). */
  includeSensitive?: boolean;
  creatorVersion: string;
}

export interface HarNameValue {
  name: string;
  value: string;
}

export interface EventSourceMessage {
  /** Epoch seconds (float). */
  time: number;
  eventName: string;
  eventId: string;
  data: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    queryString: HarNameValue[];
    postData?: { mimeType: string; text: string; params?: HarNameValue[] };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    content: { size: number; mimeType: string; text?: string; comment?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { blocked: number; dns: number; connect: number; send: number; wait: number; receive: number; ssl: number };
  _resourceType: string;
  _eventSourceMessages: EventSourceMessage[];
  _sseDevtools: SseDevtoolsExtras;
}

export interface SseDevtoolsExtras {
  streamId: string;
  kind: Connection['kind'];
  frameUrl: string;
  frameId: number;
  withCredentials?: boolean;
  /** Captured although not served as text/event-stream (the request asked for an event stream). */
  mislabelled: boolean;
  /** EventSource: the event types the page listened for (only those are visible). */
  listenedTypes?: string[];
  state: Connection['state'];
  stateReason?: Connection['stateReason'];
  transitions: StateTransition[];
  requestBodyTruncated?: boolean;
  /** Every parsed item other than events, in order, time in epoch ms. */
  comments: { time: number; text: string }[];
  retries: { time: number; milliseconds: number }[];
  ignoredFields: { time: number; name: string; value: string }[];
  warnings: { time: number; code: string; message: string }[];
  /** Events whose data was cut by the per-event cap. */
  truncatedEvents: { index: number; originalLength: number }[];
  /** Whether response.content.text is the raw stream (fetch/XHR) or absent (EventSource). */
  rawStream: boolean;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: never[];
    entries: HarEntry[];
    comment?: string;
  };
}

function headers(list: HeaderEntry[], includeSensitive: boolean): HarNameValue[] {
  return list.map(({ name, value }) => ({
    name,
    value: includeSensitive || !isSensitiveHeader(name) ? value : REDACTED,
  }));
}

function queryString(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

function entryFor(connection: Connection, items: LoggedItem[], options: HarOptions): HarEntry {
  const includeSensitive = options.includeSensitive === true;
  const extras: SseDevtoolsExtras = {
    streamId: connection.id,
    kind: connection.kind,
    frameUrl: connection.frameUrl,
    frameId: connection.frameId,
    withCredentials: connection.withCredentials,
    mislabelled: connection.mislabelled,
    ...(connection.kind === 'eventsource' ? { listenedTypes: connection.listenedTypes } : {}),
    state: connection.state,
    stateReason: connection.stateReason,
    transitions: connection.transitions,
    requestBodyTruncated: connection.requestBody?.truncated,
    comments: [],
    retries: [],
    ignoredFields: [],
    warnings: [],
    truncatedEvents: [],
    rawStream: connection.kind !== 'eventsource',
  };
  const messages: EventSourceMessage[] = [];
  for (const { item } of items) {
    switch (item.kind) {
      case 'event':
        if (item.truncated) extras.truncatedEvents.push({ index: messages.length, originalLength: item.truncated.originalLength });
        messages.push({ time: item.time / 1000, eventName: item.type, eventId: item.lastEventId, data: item.data });
        break;
      case 'comment':
        extras.comments.push({ time: item.time, text: item.text });
        break;
      case 'retry':
        extras.retries.push({ time: item.time, milliseconds: item.milliseconds });
        break;
      case 'field':
        extras.ignoredFields.push({ time: item.time, name: item.name, value: item.value });
        break;
      case 'warning':
        extras.warnings.push({ time: item.time, code: item.code, message: item.message });
        break;
    }
  }
  const end = connection.endTime ?? connection.lastTime;
  const responseTime = connection.response?.time ?? end;
  const raw = extras.rawStream ? rawTextOf(connection) : undefined;
  const body = connection.requestBody;
  return {
    startedDateTime: new Date(connection.startTime).toISOString(),
    time: Math.max(0, end - connection.startTime),
    request: {
      method: connection.method,
      url: connection.url,
      httpVersion: '',
      cookies: [],
      headers: headers(connection.requestHeaders, includeSensitive),
      queryString: queryString(connection.url),
      ...(body ? { postData: { mimeType: body.mimeType, text: body.text } } : {}),
      headersSize: -1,
      bodySize: body ? (body.size ?? utf8Length(body.text)) : 0,
    },
    response: {
      status: connection.response?.status ?? 0,
      statusText: connection.response?.statusText ?? '',
      httpVersion: '',
      cookies: [],
      headers: headers(connection.response?.headers ?? [], includeSensitive),
      content: {
        size: extras.rawStream ? connection.bytes : -1,
        mimeType: connection.response?.contentType ?? 'text/event-stream',
        ...(raw !== undefined
          ? { text: raw }
          : { comment: 'EventSource exposes events, not bytes: see _eventSourceMessages' }),
      },
      redirectURL: '',
      headersSize: -1,
      bodySize: extras.rawStream ? connection.bytes : -1,
    },
    cache: {},
    timings: {
      blocked: -1,
      dns: -1,
      connect: -1,
      ssl: -1,
      send: 0,
      wait: Math.max(0, responseTime - connection.startTime),
      receive: Math.max(0, end - responseTime),
    },
    _resourceType: connection.kind,
    _eventSourceMessages: messages,
    _sseDevtools: extras,
  };
}

/** Builds a HAR log of `connections`, with the items of each (items may span all connections). */
export function buildHar(connections: Connection[], items: LoggedItem[], options: HarOptions): Har {
  const byConnection = new Map<string, LoggedItem[]>();
  for (const logged of items) {
    let list = byConnection.get(logged.connectionId);
    if (list === undefined) {
      list = [];
      byConnection.set(logged.connectionId, list);
    }
    list.push(logged);
  }
  return {
    log: {
      version: '1.2',
      creator: { name: 'SSE DevTools', version: options.creatorVersion },
      pages: [],
      entries: connections
        .slice()
        .sort((a, b) => a.startTime - b.startTime)
        .map((connection) => entryFor(connection, byConnection.get(connection.id) ?? [], options)),
    },
  };
}

/** A file name for an export, e.g. "sse-127.0.0.1-2026-11-21T10-00-00.har". */
export function harFileName(pageUrl: string, date: Date): string {
  let host = 'page';
  try {
    host = new URL(pageUrl).host.replace(/[^a-z0-9.-]/gi, '_') || 'page';
  } catch {
    // keep "page"
  }
  return `sse-${host}-${date.toISOString().slice(0, 19).replace(/:/g, '-')}.har`;
}
