/**
 * HAR 1.2 export of captured streams (validated against the HAR 1.2 JSON schema in har.test.ts).
 * One entry per stream; its events go in `_eventSourceMessages` ([{time, eventName, eventId, data}],
 * time in epoch seconds), the names Chrome's own HAR export uses for EventSource messages, so other
 * tools can read them. Everything else we know (comments, retry, ignored fields, warnings, kind,
 * frame, state changes, the raw chunks and when each arrived) goes under `_sseDevtools`, which is
 * enough for `har-import.ts` to rebuild the very same log.
 *
 * Secrets are redacted unless asked otherwise (`includeSensitive`): sensitive headers, cookies and
 * URL parameters with secret-looking names (in request.url, queryString, the frame URL, ...). Every
 * other export form (export-formats.ts) applies the same functions.
 */
import type { HeaderEntry } from '../protocol';
import { rawLengthOf, rawTextOf, type Connection, type LoggedItem, type LogStore } from './log-store';
import { exportedConnections, pageMark, pageViewOf, withWholeWires, type ConnectionRow, type SightingFilter } from './sightings';
import { FilteredItems } from './filtered-items';
import { DEFAULT_FILTER } from './filter-model';
import { utf8Length } from './format';
import { ITEM_ORDER_LETTER, type EventSourceMessage, type SseDevtoolsExtras } from './har-extras';
import { AiStreamAssembler } from './ai/assembler';
import { conversationJson } from './ai/export';

export type { EventSourceMessage, HarChunk, SseDevtoolsExtras } from './har-extras';

export const REDACTED = '[redacted by SSE DevTools]';
/** REDACTED as it appears inside a URL. */
export const REDACTED_IN_URL = encodeURIComponent(REDACTED);

// ---------------------------------------------------------------------------------------------
// redaction (shared by every export form)

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

/** URL parameter names whose values are secrets (compared lower-case). */
const SENSITIVE_PARAMS = new Set([
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'api-key',
  'apikey',
  'key',
  'secret',
  'client_secret',
  'password',
  'passwd',
  'pwd',
  'auth',
  'sig',
  'signature',
  'jwt',
]);

/** Whether a URL query (or fragment) parameter name looks like it carries a secret. */
export function isSensitiveParam(name: string): boolean {
  const lower = name.toLowerCase();
  return SENSITIVE_PARAMS.has(lower) || /(^|[-_.])(token|secret|password|api[-_]?key|signature|credential)$/.test(lower);
}

export function redactHeaders(list: readonly HeaderEntry[], includeSensitive: boolean): HeaderEntry[] {
  return list.map(({ name, value }) => ({
    name,
    value: includeSensitive || !isSensitiveHeader(name) ? value : REDACTED,
  }));
}

function decodeParamName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** `a=1&token=x` → `a=1&token=<REDACTED_IN_URL>` (parameters without a value are left alone). */
function redactParams(params: string): string {
  return params
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq === -1 || eq === part.length - 1) return part;
      return isSensitiveParam(decodeParamName(part.slice(0, eq))) ? `${part.slice(0, eq + 1)}${REDACTED_IN_URL}` : part;
    })
    .join('&');
}

/**
 * The URL with the values of secret-looking query parameters, of parameter-like fragments
 * (`#access_token=...`, `#/route?token=...`) and any password in the user info replaced by
 * REDACTED (URL-encoded). Works on the raw text, so everything else stays byte for byte.
 */
export function redactUrl(url: string, includeSensitive = false): string {
  if (includeSensitive) return url;
  let out = url.replace(
    /^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)([^/?#@]+)@/i,
    (_m, before: string) => `${before}${REDACTED_IN_URL}@`,
  );
  const hash = out.indexOf('#');
  let fragment = hash === -1 ? null : out.slice(hash + 1);
  out = hash === -1 ? out : out.slice(0, hash);
  const query = out.indexOf('?');
  if (query !== -1) out = out.slice(0, query + 1) + redactParams(out.slice(query + 1));
  if (fragment !== null) {
    const q = fragment.indexOf('?');
    fragment = q === -1 ? redactParams(fragment) : fragment.slice(0, q + 1) + redactParams(fragment.slice(q + 1));
    out += `#${fragment}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// HAR types

export interface HarOptions {
  /** Keep secrets (default false: they are replaced by REDACTED). */
  includeSensitive?: boolean;
  creatorVersion: string;
}

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarCookie {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  expires?: string;
  httpOnly?: boolean;
  secure?: boolean;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarCookie[];
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
    cookies: HarCookie[];
    headers: HarNameValue[];
    content: { size: number; mimeType: string; text?: string; encoding?: string; comment?: string };
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

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: never[];
    entries: HarEntry[];
    comment?: string;
  };
}

// ---------------------------------------------------------------------------------------------

function queryString(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/**
 * request.url as HAR wants it: an absolute URL without fragment. A URL that does not parse (only a
 * stream whose opening was not seen has one) becomes about:blank; `_sseDevtools.url` keeps it.
 */
export function harRequestUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    return parsed.href;
  } catch {
    return 'about:blank';
  }
}

function headerValues(list: readonly HeaderEntry[], name: string): string[] {
  return list.filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
}

/**
 * HAR cookies are parsed from the Cookie / Set-Cookie headers, and only when secrets are kept:
 * redacted, those headers are one REDACTED value and cookies is empty (as in Chrome's sanitized
 * export), so a redacted file reads the same after an import and a new export.
 */
function requestCookies(list: readonly HeaderEntry[], includeSensitive: boolean): HarCookie[] {
  if (!includeSensitive) return [];
  const cookies: HarCookie[] = [];
  for (const header of headerValues(list, 'cookie')) {
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      cookies.push({ name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() });
    }
  }
  return cookies;
}

function responseCookies(list: readonly HeaderEntry[], includeSensitive: boolean): HarCookie[] {
  if (!includeSensitive) return [];
  const cookies: HarCookie[] = [];
  for (const header of headerValues(list, 'set-cookie')) {
    const [first = '', ...attributes] = header.split(';');
    const eq = first.indexOf('=');
    if (eq <= 0) continue;
    const cookie: HarCookie = { name: first.slice(0, eq).trim(), value: first.slice(eq + 1).trim() };
    for (const attribute of attributes) {
      const at = attribute.indexOf('=');
      const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
      const value = at === -1 ? '' : attribute.slice(at + 1).trim();
      if (key === 'path') cookie.path = value;
      else if (key === 'domain') cookie.domain = value;
      else if (key === 'httponly') cookie.httpOnly = true;
      else if (key === 'secure') cookie.secure = true;
      else if (key === 'expires') {
        const time = Date.parse(value);
        if (Number.isFinite(time)) cookie.expires = new Date(time).toISOString();
      }
    }
    cookies.push(cookie);
  }
  return cookies;
}

/** One stream's HAR entry; `items` are the stream's items (in order). */
export function buildHarEntry(connection: Connection, items: readonly LoggedItem[], options: HarOptions): HarEntry {
  const builder = harEntryBuilder(connection, options);
  for (const logged of items) builder.add(logged);
  return builder.finish();
}

export interface HarEntryBuilder {
  /** The stream's next item. */
  add(logged: LoggedItem): void;
  /** The entry, once every item was added. */
  finish(): HarEntry;
}

/** Builds one stream's entry an item at a time (so a big export can give the UI turns). */
export function harEntryBuilder(connection: Connection, options: HarOptions): HarEntryBuilder {
  const includeSensitive = options.includeSensitive === true;
  // The bytes go in content.text where we have them: fetch/XHR, and an EventSource seen on the wire
  // (deep capture reads its body; the page tap sees only its events).
  const rawStream = connection.kind !== 'eventsource' || (connection.seenOn === 'wire' && connection.chunks.length > 0);
  // Lines of records (NDJSON, Vercel AI data stream) are not SSE: no EventSource messages for them.
  const lines = connection.framing === 'lines';
  // Deep capture: a request both saw is the wire's stream with what the page saw of it.
  const pageSide = connection.pageSide;
  const pageView = pageSide === undefined ? undefined : (pageSide.view ?? pageViewOf(pageSide.connection));
  // A wire capture that holds less than the page saw: the page's events are the request's. A
  // page's fetch/XHR text goes whole in `page.text` (its events re-derive from it); an EventSource's
  // events are written as the page's own (`pageOnlyEvents`).
  const shortfall = pageSide !== undefined && pageSide.summary !== false ? connection.wireShortfall : undefined;
  const pageText = shortfall !== undefined && pageSide!.connection.kind !== 'eventsource';
  const url = redactUrl(connection.url, includeSensitive);
  // A wire stream joined mid-stream has no URL of its own: the page's is the request's.
  const requestUrl = harRequestUrl(pageSide?.joined === true ? redactUrl(pageSide.connection.url, includeSensitive) : url);
  const response = connection.response;
  const extras: SseDevtoolsExtras = {
    streamId: connection.id,
    kind: connection.kind,
    startTime: connection.startTime,
    ...(url !== requestUrl ? { url } : {}),
    frameUrl: redactUrl(connection.frameUrl, includeSensitive),
    frameId: connection.frameId,
    withCredentials: connection.withCredentials,
    ...(response
      ? {
          response: {
            time: response.time,
            redirected: response.redirected,
            url: response.url === undefined ? undefined : redactUrl(response.url, includeSensitive),
          },
        }
      : {}),
    mislabelled: connection.mislabelled,
    ...(connection.mocked === true ? { mocked: true } : {}),
    ...(connection.kind === 'eventsource' ? { listenedTypes: connection.listenedTypes } : {}),
    state: connection.state,
    stateReason: connection.stateReason,
    transitions: connection.transitions,
    requestBodyTruncated: connection.requestBody?.truncated,
    requestBodySize: connection.requestBody?.size,
    comments: [],
    retries: [],
    ignoredFields: [],
    warnings: [],
    truncatedEvents: [],
    rawStream,
    ...(lines ? { framing: 'lines' as const } : {}),
  };
  const messages: EventSourceMessage[] = [];
  // An AI stream's conversation goes under `aiConversation` (assembled as the Conversation view does).
  const ai = new AiStreamAssembler({
    method: connection.method,
    url: connection.url,
    headers: connection.requestHeaders,
    ...(connection.requestBody === undefined ? {} : { body: connection.requestBody.text }),
    time: connection.startTime,
  });
  if (response !== undefined)
    ai.response({ status: response.status, headers: response.headers, contentType: response.contentType, time: response.time });
  // Items the LogStore parsed from the chunks carry a span; those re-derive from content.text.
  let order = '';
  let explicit = false;
  const eventTimes: number[] = [];
  const idSetEvents: number[] = [];
  const replayedEvents: number[] = [];
  const pageOnlyEvents: number[] = [];
  const notHeardEvents: number[] = [];
  const notReadEvents: number[] = [];
  const add = ({ item, connectionId }: LoggedItem): void => {
    // A pair's items are the wire's, and a few the page alone had (they are not in content.text).
    const fromPage = pageSide !== undefined && connectionId === pageSide.connection.id;
    if (fromPage && pageText && item.span !== undefined) return; // re-derived from page.text
    const derived = rawStream && item.span !== undefined && !fromPage;
    if (!derived) explicit = true;
    order += derived ? ITEM_ORDER_LETTER[item.kind].toUpperCase() : ITEM_ORDER_LETTER[item.kind];
    switch (item.kind) {
      case 'event':
        if (lines) break; // re-derived from the chunks, and not an EventSource message
        if (!ai.undetectable) ai.event(item);
        if (item.truncated)
          extras.truncatedEvents.push({ index: messages.length, originalLength: item.truncated.originalLength });
        if (!derived) {
          eventTimes.push(item.time);
          if (item.idSet === true) idSetEvents.push(messages.length);
          if (item.replayed === true) replayedEvents.push(messages.length);
        }
        if (fromPage) pageOnlyEvents.push(messages.length);
        else if (pageView !== undefined) {
          const mark = pageMark(item, pageView);
          if (mark === 'not-heard') notHeardEvents.push(messages.length);
          else if (mark === 'not-read') notReadEvents.push(messages.length);
        }
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
  };
  const finish = (): HarEntry => {
    if (connection.seen !== undefined) extras.seenOn = connection.seen;
    if (pageSide !== undefined && pageSide.summary !== false) {
      const page = pageSide.connection;
      extras.page = {
        streamId: page.id,
        kind: page.kind,
        url: redactUrl(page.url, includeSensitive),
        startTime: page.startTime,
        frameId: page.frameId,
        frameUrl: redactUrl(page.frameUrl, includeSensitive),
        // A log kept before listen times were: listened for from the start.
        listening: [...(pageView?.listening ?? [])].map(([type, at]) => ({
          type,
          time: Number.isFinite(at) ? at : page.startTime,
        })),
        transitions: page.transitions,
        ...(page.kind !== 'eventsource' ? { readLength: rawLengthOf(page) } : {}),
        ...(pageText
          ? {
              text: rawTextOf(page),
              chunks: page.chunks.map((text, i) => ({
                time: page.chunkTimes?.[i] ?? page.lastTime,
                length: text.length,
                bytes: utf8Length(text),
              })),
            }
          : {}),
      };
    }
    if (shortfall !== undefined) {
      const { unit, wire, page, wireEvents, pageEvents } = shortfall;
      extras.wireIncomplete = { unit, wire, page, wireEvents, pageEvents };
    }
    if (pageSide !== undefined) {
      if (pageOnlyEvents.length > 0) extras.pageOnlyEvents = pageOnlyEvents;
      extras.notHeardEvents = notHeardEvents;
      extras.notReadEvents = notReadEvents;
    }
    if (explicit) {
      extras.itemOrder = order;
      extras.eventTimes = eventTimes;
      extras.idSetEvents = idSetEvents;
      if (replayedEvents.length > 0) extras.replayedEvents = replayedEvents;
    }
    if (rawStream) {
      const times = connection.chunkTimes ?? [];
      extras.chunks = connection.chunks.map((text, i) => ({
        time: times[i] ?? connection.lastTime,
        length: text.length,
        bytes: utf8Length(text),
      }));
      // The bytes the capture counted (XHR: code units) are kept in total; per chunk they are the
      // UTF-8 length, give or take the difference, which goes to the last chunk.
      const last = extras.chunks[extras.chunks.length - 1];
      if (last !== undefined) last.bytes += connection.bytes - extras.chunks.reduce((sum, c) => sum + c.bytes, 0);
    }
    if (lines) {
      const times = connection.chunkTimes ?? [];
      for (let i = 0; i < connection.chunks.length && !ai.undetectable; i++)
        ai.body(connection.chunks[i]!, times[i] ?? connection.lastTime);
    }
    if (connection.endTime !== undefined) ai.end(connection.endTime);
    if (ai.conversation.protocol !== null) {
      const source = { url: connection.url, method: connection.method, startTime: connection.startTime };
      extras.aiConversation = conversationJson(ai.conversation, ai.summary(), source, includeSensitive);
    }
    const end = connection.endTime ?? connection.lastTime;
    const responseTime = response?.time ?? end;
    const raw = rawStream ? rawTextOf(connection) : undefined;
    const body = connection.requestBody;
    const wait = Math.max(0, responseTime - connection.startTime);
    const receive = Math.max(0, end - Math.max(responseTime, connection.startTime));
    return {
      startedDateTime: new Date(connection.startTime).toISOString(),
      time: wait + receive,
      request: {
        method: connection.method,
        url: requestUrl,
        httpVersion: '',
        cookies: requestCookies(connection.requestHeaders, includeSensitive),
        headers: redactHeaders(connection.requestHeaders, includeSensitive),
        queryString: queryString(requestUrl),
        ...(body ? { postData: { mimeType: body.mimeType, text: body.text } } : {}),
        headersSize: -1,
        bodySize: body ? Math.round(body.size ?? utf8Length(body.text)) : 0,
      },
      response: {
        status: Math.round(response?.status ?? 0),
        statusText: response?.statusText ?? '',
        httpVersion: '',
        cookies: responseCookies(response?.headers ?? [], includeSensitive),
        headers: redactHeaders(response?.headers ?? [], includeSensitive),
        content: {
          size: rawStream ? Math.round(connection.bytes) : -1,
          mimeType: response?.contentType ?? 'text/event-stream',
          ...(raw !== undefined ? { text: raw } : { comment: 'EventSource exposes events, not bytes: see _eventSourceMessages' }),
        },
        redirectURL: '',
        headersSize: -1,
        bodySize: rawStream ? Math.round(connection.bytes) : -1,
      },
      cache: {},
      timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait, receive },
      _resourceType: connection.kind,
      _eventSourceMessages: messages,
      _sseDevtools: extras,
    };
  };
  return { add, finish };
}

/** Items grouped by connection id, in their order. */
export function itemsByConnection(items: readonly LoggedItem[]): Map<string, LoggedItem[]> {
  const byConnection = new Map<string, LoggedItem[]>();
  for (const logged of items) {
    let list = byConnection.get(logged.connectionId);
    if (list === undefined) {
      list = [];
      byConnection.set(logged.connectionId, list);
    }
    list.push(logged);
  }
  return byConnection;
}

/** A connection's items; for a request both sightings saw, with the page's own among the wire's, in log order. */
function entryItems(connection: Connection, byConnection: Map<string, LoggedItem[]>): LoggedItem[] {
  const own = byConnection.get(connection.id) ?? [];
  const side = connection.pageSide;
  const page = side === undefined || side.summary === false ? undefined : byConnection.get(side.connection.id);
  if (page === undefined || page.length === 0) return own;
  return [...own, ...page].sort((a, b) => a.id - b.id);
}

/**
 * What a HAR export of `rows` writes: their streams as entries (`exportedConnections`) and every
 * item of them in log order, a pair's shown once (the writer tells the page's own items by their
 * stream id). O(items of the log).
 */
export function harExportOf(
  store: LogStore,
  rows: readonly ConnectionRow[],
  sightings: SightingFilter | null,
): { connections: Connection[]; items: LoggedItem[] } {
  const ids = new Set(rows.flatMap((row) => row.members));
  return {
    connections: rows.flatMap(exportedConnections),
    // A pair whose wire capture is short: the page's items and all of the wire's (an import tells the pair short again).
    items: new FilteredItems().update(store, { ...DEFAULT_FILTER, connectionIds: ids, sightings: withWholeWires(sightings) }),
  };
}

/** The connections in the order their entries appear (by start time). */
export function harConnectionOrder(connections: readonly Connection[]): Connection[] {
  return connections.slice().sort((a, b) => a.startTime - b.startTime);
}

/** The log object without its entries (the chunked export writes these around them). */
export function harLogHeader(options: HarOptions): Omit<Har['log'], 'entries'> {
  return {
    version: '1.2',
    creator: { name: 'SSE DevTools', version: options.creatorVersion },
    pages: [],
    ...(options.includeSensitive === true
      ? {}
      : { comment: `Sensitive headers, cookies and URL parameters are replaced by "${REDACTED}".` }),
  };
}

/** Builds a HAR log of `connections`, with the items of each (items may span all connections). */
export function buildHar(connections: readonly Connection[], items: readonly LoggedItem[], options: HarOptions): Har {
  const byConnection = itemsByConnection(items);
  return {
    log: {
      ...harLogHeader(options),
      entries: harConnectionOrder(connections).map((connection) =>
        buildHarEntry(connection, entryItems(connection, byConnection), options),
      ),
    },
  };
}

/** A file name for an export, e.g. "sse-127.0.0.1-2026-11-21T10-00-00.har". */
export function harFileName(pageUrl: string, date: Date, extension = 'har'): string {
  let host = 'page';
  try {
    host = new URL(pageUrl).host.replace(/[^a-z0-9.-]/gi, '_') || 'page';
  } catch {
    // keep "page"
  }
  return `sse-${host}-${date.toISOString().slice(0, 19).replace(/:/g, '-')}.${extension}`;
}
