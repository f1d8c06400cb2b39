/**
 * HAR import: turns a HAR file into the StoredRecords a LogStore replays, so an imported file is
 * viewed with the panel's own views.
 *
 * - Our own exports (`_sseDevtools` on an entry) are rebuilt exactly: the open, the response, every
 *   state change, the listened types, and for fetch/XHR the raw chunks with the time each arrived
 *   (`_sseDevtools.chunks` cut response.content.text back into them), from which the LogStore's
 *   parser re-derives every item with its time, as it did live. EventSource items come from
 *   `_eventSourceMessages` and the other `_sseDevtools` lists, in the order `itemOrder` gives.
 *   Records of different streams are interleaved by time (the original arrival order, whose ties
 *   across streams a HAR does not keep).
 * - Any other HAR (e.g. Chrome's "Save all as HAR with content"): entries whose response is
 *   text/event-stream with `content.text` (base64 too) are parsed by our parser; entries with
 *   `_eventSourceMessages` (Chrome writes them for EventSource, `_resourceType: "eventsource"`,
 *   without text) give one event per message. A HAR keeps no per-chunk times, so the text is cut
 *   at its blank lines (one chunk per event block) and each chunk is stamped at a time spread by
 *   its position in the text between the response start (startedDateTime plus the timings before
 *   `receive`) and the entry's end (startedDateTime + time): events keep their order, are spaced
 *   in proportion to the bytes between them and span the entry's real duration. Message times
 *   are epoch seconds when they fall within a day of the entry; otherwise (Chrome's monotonic
 *   clock) they keep their spacing, the first one placed at the response start.
 *
 * A file that is too large, not JSON, not a HAR, has a field of the wrong type or no SSE entry
 * gives a clear error and no records.
 */
import {
  isPageRecord,
  STATE_REASONS,
  STREAM_KINDS,
  STREAM_STATES,
  WARNING_CODES,
  type BodyText,
  type HeaderEntry,
  type PageRecord,
  type StoredRecord,
  type StreamKind,
  type StreamState,
} from '../protocol';
import { SseTextParser } from './sse-parser';
import type { SseEvent, SseItem } from './sse-types';

/** Largest file imported (the text's length; a string of this size is near what engines allow). */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

export type ImportErrorCode = 'too-large' | 'not-json' | 'not-har' | 'bad-field' | 'no-sse';

export interface ImportOptions {
  /** Refuse texts longer than this (default MAX_IMPORT_BYTES). */
  maxLength?: number;
}

export interface ImportSummary {
  /** The HAR's creator, e.g. "SSE DevTools 0.1.0" or "WebInspector 537.36". */
  creator: string;
  /** Every SSE entry came from SSE DevTools: streams are rebuilt exactly. */
  ownFormat: boolean;
  /** Entries in the file. */
  entries: number;
  /** Streams imported. */
  streams: number;
  /** Entries that are not SSE streams (left out). */
  skipped: number;
  /** Events across the imported streams. */
  events: number;
  /** SSE entries with neither content.text nor messages (imported as streams without events). */
  withoutContent: number;
  /** Earliest and latest time in the imported records (epoch ms). */
  timeRange?: [number, number];
}

export type ImportResult =
  | { ok: true; records: StoredRecord[]; summary: ImportSummary }
  | { ok: false; code: ImportErrorCode; error: string; detail?: string };

// ---------------------------------------------------------------------------------------------
// reading fields, with the path of a wrong one

class BadField extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path} should be ${expected}`);
  }
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A time (epoch ms) a Date can hold, as protocol.ts requires. */
const isTime = (v: number): boolean => Number.isFinite(v) && Math.abs(v) <= 8.64e15;

function object(v: unknown, path: string): Json {
  if (!isObject(v)) throw new BadField(path, 'an object');
  return v;
}
function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new BadField(path, 'an array');
  return v;
}
function string(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new BadField(`${path}.${key}`, 'a string');
  return v;
}
function optString(o: Json, key: string, path: string): string | undefined {
  return o[key] === undefined ? undefined : string(o, key, path);
}
function number(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadField(`${path}.${key}`, 'a number');
  return v;
}
function optNumber(o: Json, key: string, path: string): number | undefined {
  return o[key] === undefined ? undefined : number(o, key, path);
}
function time(o: Json, key: string, path: string): number {
  const v = number(o, key, path);
  if (!isTime(v)) throw new BadField(`${path}.${key}`, 'a time');
  return v;
}
function optBoolean(o: Json, key: string, path: string): boolean | undefined {
  const v = o[key];
  if (v !== undefined && typeof v !== 'boolean') throw new BadField(`${path}.${key}`, 'true or false');
  return v as boolean | undefined;
}
function oneOf<T extends string>(o: Json, key: string, path: string, values: readonly T[]): T {
  const v = o[key];
  if (typeof v !== 'string' || !values.includes(v as T)) throw new BadField(`${path}.${key}`, `one of ${values.join(', ')}`);
  return v as T;
}
function list<T>(o: Json, key: string, path: string, read: (item: Json, path: string) => T): T[] {
  return array(o[key], `${path}.${key}`).map((item, i) => read(object(item, `${path}.${key}[${i}]`), `${path}.${key}[${i}]`));
}
function headers(o: Json, key: string, path: string): HeaderEntry[] {
  if (o[key] === undefined) return [];
  return list(o, key, path, (h, p) => ({ name: string(h, 'name', p), value: string(h, 'value', p) }));
}


// ---------------------------------------------------------------------------------------------
// records of one stream, merged in time order

/** Order of records at the same time: open, listen, connecting, response, open state, data, end. */
const RANK = { open: 0, listen: 1, connecting: 2, response: 3, opened: 4, data: 5, end: 6 } as const;
const stateRank = (state: StreamState): number =>
  state === 'connecting' ? RANK.connecting : state === 'open' ? RANK.opened : RANK.end;

interface Timed {
  time: number;
  rank: number;
  record: PageRecord;
}

/** Merges lists each already in its own order: the earliest (time, rank) head goes first. */
function mergeLists(lists: Timed[][]): Timed[] {
  const out: Timed[] = [];
  const heads = lists.map(() => 0);
  for (;;) {
    let best = -1;
    for (let l = 0; l < lists.length; l++) {
      const head = lists[l]![heads[l]!];
      if (head === undefined) continue;
      const current = best === -1 ? undefined : lists[best]![heads[best]!]!;
      if (current === undefined || head.time < current.time || (head.time === current.time && head.rank < current.rank)) best = l;
    }
    if (best === -1) return out;
    out.push(lists[best]![heads[best]!++]!);
  }
}

interface StreamRecords {
  records: Timed[];
  events: number;
  hasContent: boolean;
}

// ---------------------------------------------------------------------------------------------
// entries written by SSE DevTools

function readOwnEntry(entry: Json, path: string, streamId: string): StreamRecords {
  const x = object(entry._sseDevtools, `${path}._sseDevtools`);
  const xp = `${path}._sseDevtools`;
  const request = object(entry.request, `${path}.request`);
  const response = object(entry.response, `${path}.response`);
  const content = object(response.content, `${path}.response.content`);
  const kind = oneOf(x, 'kind', xp, STREAM_KINDS);
  const startedDateTime = Date.parse(string(entry, 'startedDateTime', path));
  const url = optString(x, 'url', xp) ?? string(request, 'url', `${path}.request`);
  const frameUrl = string(x, 'frameUrl', xp);
  const withCredentials = optBoolean(x, 'withCredentials', xp);
  const mocked = optBoolean(x, 'mocked', xp);
  const transitions = list(x, 'transitions', xp, (t, p) => ({
    state: oneOf(t, 'state', p, STREAM_STATES),
    reason: t.reason === undefined ? undefined : oneOf(t, 'reason', p, STATE_REASONS),
    detail: optString(t, 'detail', p),
    time: time(t, 'time', p),
  }));
  const first = transitions[0];
  const startTime =
    x.startTime !== undefined ? time(x, 'startTime', xp) : first?.state === 'connecting' ? first.time : startedDateTime;
  if (!isTime(startTime)) throw new BadField(`${path}.startedDateTime`, 'a date and time');
  const listenedTypes = x.listenedTypes === undefined ? [] : array(x.listenedTypes, `${xp}.listenedTypes`).map((v, i) => {
    if (typeof v !== 'string') throw new BadField(`${xp}.listenedTypes[${i}]`, 'a string');
    return v;
  });
  let body: BodyText | undefined;
  if (request.postData !== undefined) {
    const postData = object(request.postData, `${path}.request.postData`);
    const truncated = optBoolean(x, 'requestBodyTruncated', xp);
    const size = optNumber(x, 'requestBodySize', xp);
    body = {
      mimeType: string(postData, 'mimeType', `${path}.request.postData`),
      text: optString(postData, 'text', `${path}.request.postData`) ?? '',
      ...(truncated !== undefined ? { truncated } : {}),
      ...(size !== undefined ? { size } : {}),
    };
  }

  const lists: Timed[][] = [];
  let responseTime: number | undefined;
  const head: Timed[] = [];
  // A stream whose opening was seen starts with the 'connecting' its stream-open made.
  const opened = first !== undefined && first.state === 'connecting' && first.reason === undefined && first.detail === undefined && first.time === startTime;
  if (opened) {
    head.push({
      time: startTime,
      rank: RANK.open,
      record: {
        type: 'stream-open',
        stream: streamId,
        kind,
        url,
        method: string(request, 'method', `${path}.request`),
        requestHeaders: headers(request, 'headers', `${path}.request`),
        ...(body ? { requestBody: body } : {}),
        ...(withCredentials !== undefined ? { withCredentials } : {}),
        frameUrl,
        time: startTime,
        ...(mocked === true ? { mocked } : {}),
      },
    });
  } else if (body) {
    head.push({ time: startTime, rank: RANK.open, record: { type: 'stream-request-body', stream: streamId, body, time: startTime } });
  }
  for (const eventType of listenedTypes) {
    head.push({ time: startTime, rank: RANK.listen, record: { type: 'stream-listen', stream: streamId, eventType, time: startTime } });
  }
  if (x.response !== undefined) {
    const r = object(x.response, `${xp}.response`);
    const at = time(r, 'time', `${xp}.response`);
    responseTime = at;
    const redirected = optBoolean(r, 'redirected', `${xp}.response`);
    const finalUrl = optString(r, 'url', `${xp}.response`);
    const status = number(response, 'status', `${path}.response`);
    lists.push([
      {
        time: at,
        rank: RANK.response,
        record: {
          type: 'stream-response',
          stream: streamId,
          status,
          statusText: string(response, 'statusText', `${path}.response`),
          responseHeaders: headers(response, 'headers', `${path}.response`),
          contentType: string(content, 'mimeType', `${path}.response.content`),
          ...(redirected !== undefined ? { redirected } : {}),
          ...(finalUrl !== undefined ? { url: finalUrl } : {}),
          time: at,
        },
      },
    ]);
  }
  lists.push(
    transitions.slice(opened ? 1 : 0).map((t) => ({
      time: t.time,
      rank: stateRank(t.state),
      record: {
        type: 'stream-state',
        stream: streamId,
        state: t.state,
        ...(t.reason !== undefined ? { reason: t.reason } : {}),
        ...(t.detail !== undefined ? { detail: t.detail } : {}),
        time: t.time,
      },
    })),
  );

  // Raw chunks (fetch/XHR).
  const text = optString(content, 'text', `${path}.response.content`);
  if (x.chunks !== undefined) {
    const chunks = list(x, 'chunks', xp, (c, p) => ({ time: time(c, 'time', p), length: number(c, 'length', p), bytes: number(c, 'bytes', p) }));
    const raw = text ?? '';
    let offset = 0;
    const timed: Timed[] = [];
    for (const chunk of chunks) {
      if (!Number.isInteger(chunk.length) || chunk.length < 0 || offset + chunk.length > raw.length) {
        throw new BadField(`${xp}.chunks`, 'lengths that add up to response.content.text');
      }
      const piece = raw.slice(offset, offset + chunk.length);
      offset += chunk.length;
      timed.push({ time: chunk.time, rank: RANK.data, record: { type: 'stream-chunk', stream: streamId, text: piece, bytes: chunk.bytes, time: chunk.time } });
    }
    if (offset !== raw.length) throw new BadField(`${xp}.chunks`, 'lengths that add up to response.content.text');
    lists.push(timed);
  } else if (kind !== 'eventsource' && text !== undefined && text.length > 0) {
    // Written without chunk times: spread them over the entry, as for other tools' files.
    const from = responseTime ?? startTime;
    lists.push(spreadChunks(text, streamId, from, Math.max(from, startTime + Math.max(0, number(entry, 'time', path)))));
  }

  // Items that are not re-derived from the chunks.
  const messages = readMessages(entry, path);
  const comments = list(x, 'comments', xp, (c, p) => ({ time: time(c, 'time', p), text: string(c, 'text', p) }));
  const retries = list(x, 'retries', xp, (r, p) => ({ time: time(r, 'time', p), milliseconds: number(r, 'milliseconds', p) }));
  const fields = list(x, 'ignoredFields', xp, (f, p) => ({ time: time(f, 'time', p), name: string(f, 'name', p), value: string(f, 'value', p) }));
  const warnings = list(x, 'warnings', xp, (w, p) => ({ time: time(w, 'time', p), code: oneOf(w, 'code', p, WARNING_CODES), message: string(w, 'message', p) }));
  const truncated = new Map<number, number>();
  for (const t of list(x, 'truncatedEvents', xp, (t, p) => ({ index: number(t, 'index', p), originalLength: number(t, 'originalLength', p) }))) {
    truncated.set(t.index, t.originalLength);
  }
  const eventTimes = x.eventTimes === undefined ? undefined : numbers(x.eventTimes, `${xp}.eventTimes`);
  const idSet = new Set(x.idSetEvents === undefined ? [] : numbers(x.idSetEvents, `${xp}.idSetEvents`));
  const replayed = new Set(x.replayedEvents === undefined ? [] : numbers(x.replayedEvents, `${xp}.replayedEvents`));
  let order = optString(x, 'itemOrder', xp);
  if (order === undefined && kind === 'eventsource') {
    // Written without an order (by hand, or an older version): every item, by time.
    order = defaultOrder(messages, comments, retries, fields, warnings);
  }
  if (order !== undefined) {
    if (!/^[ecrfwECRFW]*$/.test(order)) throw new BadField(`${xp}.itemOrder`, 'letters e, c, r, f, w');
    const count = (letter: string) => order!.split('').filter((c) => c.toLowerCase() === letter).length;
    const expect = (letter: string, length: number, name: string) => {
      if (count(letter) !== length) throw new BadField(`${xp}.itemOrder`, `as many "${letter}" as ${name} has entries`);
    };
    expect('e', messages.length, '_eventSourceMessages');
    expect('c', comments.length, 'comments');
    expect('r', retries.length, 'retries');
    expect('f', fields.length, 'ignoredFields');
    expect('w', warnings.length, 'warnings');
    const explicitEvents = order.split('').filter((c) => c === 'e').length;
    if (eventTimes !== undefined && eventTimes.length !== explicitEvents) {
      throw new BadField(`${xp}.eventTimes`, 'one time per event written in lower case in itemOrder');
    }
    const at = { e: 0, c: 0, r: 0, f: 0, w: 0 };
    let explicitEvent = 0;
    const timed: Timed[] = [];
    for (const letter of order) {
      const lower = letter.toLowerCase() as keyof typeof at;
      const index = at[lower]++;
      if (letter !== lower) continue; // re-derived from the chunks
      let item: SseItem;
      switch (lower) {
        case 'e': {
          const m = messages[index]!;
          const event: SseEvent = {
            kind: 'event',
            type: m.eventName,
            data: m.data,
            lastEventId: m.eventId,
            time: eventTimes?.[explicitEvent] ?? m.time * 1000,
          };
          explicitEvent++;
          if (idSet.has(index)) event.idSet = true;
          if (replayed.has(index)) event.replayed = true;
          const originalLength = truncated.get(index);
          if (originalLength !== undefined) event.truncated = { originalLength };
          item = event;
          break;
        }
        case 'c':
          item = { kind: 'comment', ...comments[index]! };
          break;
        case 'r':
          item = { kind: 'retry', ...retries[index]! };
          break;
        case 'f':
          item = { kind: 'field', ...fields[index]! };
          break;
        case 'w':
          item = { kind: 'warning', ...warnings[index]! };
          break;
      }
      if (!isTime(item.time)) throw new BadField(`${path}._eventSourceMessages[${index}].time`, 'a time');
      timed.push({ time: item.time, rank: RANK.data, record: { type: 'sse', stream: streamId, items: [item] } });
    }
    lists.push(timed);
  }
  // The opening goes first whatever the clocks say (a record before it would open a placeholder).
  return { records: [...head, ...mergeLists(lists)], events: messages.length, hasContent: text !== undefined || messages.length > 0 };
}

function numbers(v: unknown, path: string): number[] {
  return array(v, path).map((n, i) => {
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new BadField(`${path}[${i}]`, 'a number');
    return n;
  });
}

interface Message {
  time: number;
  eventName: string;
  eventId: string;
  data: string;
}

function readMessages(entry: Json, path: string): Message[] {
  if (entry._eventSourceMessages === undefined) return [];
  return list(entry, '_eventSourceMessages', path, (m, p) => ({
    time: number(m, 'time', p),
    eventName: optString(m, 'eventName', p) ?? '',
    eventId: optString(m, 'eventId', p) ?? '',
    data: optString(m, 'data', p) ?? '',
  }));
}

/** Every item by time (stable: events, then comments, retries, fields, warnings at equal times). */
function defaultOrder(messages: Message[], ...others: { time: number }[][]): string {
  const all: { time: number; letter: string }[] = messages.map((m) => ({ time: m.time * 1000, letter: 'e' }));
  others.forEach((items, k) => {
    for (const i of items) all.push({ time: i.time, letter: 'crfw'[k]! });
  });
  return all
    .map((a, index) => ({ ...a, index }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map((a) => a.letter)
    .join('');
}

// ---------------------------------------------------------------------------------------------
// entries of other tools

function mimeEssence(type: string): string {
  return type.split(';')[0]!.trim().toLowerCase();
}

function decodeBase64(text: string, path: string): string {
  let binary: string;
  try {
    binary = atob(text.replace(/\s+/g, ''));
  } catch {
    throw new BadField(path, 'base64 text (its encoding is "base64")');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

/** Offsets just after each blank line (where each event block ends), and the text's end. */
function blockEnds(text: string): number[] {
  const ends: number[] = [];
  let lineStart = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x0a && c !== 0x0d) {
      i++;
      continue;
    }
    const next = c === 0x0d && text.charCodeAt(i + 1) === 0x0a ? i + 2 : i + 1;
    if (i === lineStart && next < text.length) ends.push(next);
    lineStart = i = next;
  }
  ends.push(text.length);
  return ends;
}

/**
 * Raw text without chunk times: one chunk per event block, each stamped at a time spread by its
 * end's position in the text over [from, to].
 */
function spreadChunks(text: string, streamId: string, from: number, to: number): Timed[] {
  const timed: Timed[] = [];
  const encoder = new TextEncoder();
  let start = 0;
  for (const end of blockEnds(text)) {
    const piece = text.slice(start, end);
    const at = from + ((to - from) * end) / text.length;
    timed.push({ time: at, rank: RANK.data, record: { type: 'stream-chunk', stream: streamId, text: piece, bytes: encoder.encode(piece).byteLength, time: at } });
    start = end;
  }
  return timed;
}

/** Events our parser finds in `text` (what the LogStore will show). */
function countEvents(text: string): number {
  const out: SseItem[] = [];
  const parser = new SseTextParser();
  parser.push(text, 0, out);
  parser.end(0, out);
  return out.filter((item) => item.kind === 'event').length;
}

function nonNegative(o: Json | undefined, key: string, path: string): number {
  if (o === undefined || o[key] === undefined) return 0;
  return Math.max(0, number(o, key, path));
}

function readForeignEntry(entry: Json, path: string, streamId: string, kind: StreamKind): StreamRecords {
  const request = object(entry.request, `${path}.request`);
  const response = object(entry.response, `${path}.response`);
  const content = object(response.content, `${path}.response.content`);
  const start = Date.parse(string(entry, 'startedDateTime', path));
  if (!isTime(start)) throw new BadField(`${path}.startedDateTime`, 'a date and time');
  const duration = Math.max(0, number(entry, 'time', path));
  const timings = entry.timings === undefined ? undefined : object(entry.timings, `${path}.timings`);
  const tp = `${path}.timings`;
  // Time before the first byte: blocked, dns, connect (which includes ssl), send, wait.
  const beforeResponse = ['blocked', 'dns', 'connect', 'send', 'wait'].reduce((sum, key) => sum + nonNegative(timings, key, tp), 0);
  const end = start + duration;
  const responseStart = Math.min(end, start + beforeResponse);
  const status = number(response, 'status', `${path}.response`);
  const responseHeaders = headers(response, 'headers', `${path}.response`);
  const mimeType = string(content, 'mimeType', `${path}.response.content`);
  const contentType = responseHeaders.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? mimeType;
  let body: BodyText | undefined;
  if (request.postData !== undefined) {
    const postData = object(request.postData, `${path}.request.postData`);
    body = { mimeType: optString(postData, 'mimeType', `${path}.request.postData`) ?? '', text: optString(postData, 'text', `${path}.request.postData`) ?? '' };
  }
  const records: Timed[] = [
    {
      time: start,
      rank: RANK.open,
      record: {
        type: 'stream-open',
        stream: streamId,
        kind,
        url: string(request, 'url', `${path}.request`),
        method: string(request, 'method', `${path}.request`),
        requestHeaders: headers(request, 'headers', `${path}.request`),
        ...(body ? { requestBody: body } : {}),
        frameUrl: '',
        time: start,
      },
    },
  ];
  if (status > 0) {
    records.push({
      time: responseStart,
      rank: RANK.response,
      record: {
        type: 'stream-response',
        stream: streamId,
        status,
        statusText: optString(response, 'statusText', `${path}.response`) ?? '',
        responseHeaders,
        contentType,
        time: responseStart,
      },
    });
    records.push({ time: responseStart, rank: RANK.opened, record: { type: 'stream-state', stream: streamId, state: 'open', time: responseStart } });
  }

  const messages = readMessages(entry, path);
  let text = optString(content, 'text', `${path}.response.content`);
  if (text !== undefined && optString(content, 'encoding', `${path}.response.content`) === 'base64') {
    text = decodeBase64(text, `${path}.response.content.text`);
  }
  let events = 0;
  if (messages.length > 0) {
    // Epoch seconds, or (Chrome's monotonic clock) seconds to shift to the response start.
    const day = 86_400_000;
    const epoch = messages.every((m) => m.time * 1000 >= start - day && m.time * 1000 <= end + day);
    const shift = epoch ? 0 : responseStart - messages[0]!.time * 1000;
    messages.forEach((m, index) => {
      const at = m.time * 1000 + shift;
      if (!isTime(at)) throw new BadField(`${path}._eventSourceMessages[${index}].time`, 'a time');
      const item: SseEvent = { kind: 'event', type: m.eventName === '' ? 'message' : m.eventName, data: m.data, lastEventId: m.eventId, time: at };
      records.push({ time: at, rank: RANK.data, record: { type: 'sse', stream: streamId, items: [item] } });
    });
    events = messages.length;
  } else if (text !== undefined && text.length > 0) {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // the UTF-8 decode step strips a BOM
    // One loop, not push(...spread): a long stream has more chunks than a call has room for arguments.
    for (const chunk of spreadChunks(text, streamId, responseStart, end)) records.push(chunk);
    events = countEvents(text);
  }
  records.push({
    time: end,
    rank: RANK.end,
    record: status > 0 ? { type: 'stream-state', stream: streamId, state: 'closed', time: end } : { type: 'stream-state', stream: streamId, state: 'error', reason: 'network-error', time: end },
  });
  // Sorting by time is safe here (every time was computed in order); the opening stays first.
  const [open, ...rest] = records;
  rest.sort((a, b) => a.time - b.time || a.rank - b.rank);
  return { records: [open!, ...rest], events, hasContent: messages.length > 0 || (text !== undefined && text.length > 0) };
}

/** The stream kind of a non-SSE-DevTools entry, or null when it is not an SSE stream. */
function foreignKind(entry: Json, path: string): StreamKind | null {
  const resourceType = optString(entry, '_resourceType', path)?.toLowerCase();
  const response = object(entry.response, `${path}.response`);
  const content = object(response.content, `${path}.response.content`);
  const mimeType = optString(content, 'mimeType', `${path}.response.content`) ?? '';
  const messages = entry._eventSourceMessages === undefined ? [] : array(entry._eventSourceMessages, `${path}._eventSourceMessages`);
  if (resourceType === 'eventsource' || messages.length > 0) return 'eventsource';
  if (mimeEssence(mimeType) !== 'text/event-stream') return null;
  return resourceType === 'xhr' ? 'xhr' : 'fetch';
}

// ---------------------------------------------------------------------------------------------

function fail(code: ImportErrorCode, error: string, detail?: string): ImportResult {
  return { ok: false, code, error, ...(detail !== undefined ? { detail } : {}) };
}

const megabytes = (n: number) => `${Math.ceil(n / (1024 * 1024))} MB`;

export function importHar(text: string, options: ImportOptions = {}): ImportResult {
  const maxLength = options.maxLength ?? MAX_IMPORT_BYTES;
  if (text.length > maxLength) {
    return fail('too-large', `The file is too large to import (${megabytes(text.length)}; the limit is ${megabytes(maxLength)}).`, megabytes(maxLength));
  }
  let root: unknown;
  try {
    root = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail('not-json', `The file is not valid JSON (${reason}), so it is not a HAR file.`, reason);
  }
  if (!isObject(root) || !isObject(root.log) || !Array.isArray(root.log.entries)) {
    return fail('not-har', 'The file is JSON but not a HAR file: it has no "log.entries" list.');
  }
  const log = root.log;
  const entries = log.entries as unknown[];
  const creator = isObject(log.creator)
    ? [log.creator.name, log.creator.version].filter((v) => typeof v === 'string' && v !== '').join(' ')
    : '';

  const streams: { records: Timed[]; frameId: number }[] = [];
  const usedIds = new Set<string>();
  let skipped = 0;
  let events = 0;
  let withoutContent = 0;
  let own = 0;
  try {
    entries.forEach((value, index) => {
      const path = `log.entries[${index}]`;
      const entry = object(value, path);
      let read: StreamRecords;
      let frameId = 0;
      if (entry._sseDevtools !== undefined) {
        const extras = object(entry._sseDevtools, `${path}._sseDevtools`);
        let id = string(extras, 'streamId', `${path}._sseDevtools`);
        // Two files joined into one could repeat an id: keep the streams apart.
        for (let n = 2; usedIds.has(id); n++) id = `${string(extras, 'streamId', `${path}._sseDevtools`)}#${n}`;
        usedIds.add(id);
        frameId = number(extras, 'frameId', `${path}._sseDevtools`);
        read = readOwnEntry(entry, path, id);
        own++;
      } else {
        const kind = foreignKind(entry, path);
        if (kind === null) {
          skipped++;
          return;
        }
        let id = `har-${index}`;
        for (let n = 2; usedIds.has(id); n++) id = `har-${index}#${n}`;
        usedIds.add(id);
        read = readForeignEntry(entry, path, id, kind);
      }
      events += read.events;
      if (!read.hasContent) withoutContent++;
      streams.push({ records: read.records, frameId });
    });
  } catch (error) {
    if (error instanceof BadField) {
      return fail('bad-field', `The HAR file has a field of the wrong type: ${error.path} should be ${error.expected}.`, `${error.path}: ${error.expected}`);
    }
    throw error;
  }
  if (streams.length === 0) {
    return fail(
      'no-sse',
      `The HAR file has ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} but no Server-Sent Events stream (no text/event-stream response and no EventSource messages).`,
      String(entries.length),
    );
  }

  // Interleave the streams by time, each keeping its own order (its times made non-decreasing).
  const keyed: { at: number; stream: number; index: number; record: PageRecord }[] = [];
  streams.forEach(({ records }, stream) => {
    let at = -Infinity;
    records.forEach((timed, index) => {
      at = Math.max(at, timed.time);
      keyed.push({ at, stream, index, record: timed.record });
    });
  });
  keyed.sort((a, b) => a.at - b.at || a.stream - b.stream || a.index - b.index);

  const records: StoredRecord[] = [];
  let first = Infinity;
  let last = -Infinity;
  for (const { stream, record } of keyed) {
    if (!isPageRecord(record)) {
      return fail('bad-field', `The HAR file has a value SSE DevTools cannot show in stream ${stream + 1}.`, `stream ${stream + 1}`);
    }
    const times = record.type === 'sse' ? record.items.map((i) => i.time) : [record.time];
    for (const t of times) {
      first = Math.min(first, t);
      last = Math.max(last, t);
    }
    const previous = records[records.length - 1];
    // Consecutive items of one stream share a record, as the page's batches do.
    if (record.type === 'sse' && previous?.type === 'sse' && previous.stream === record.stream) {
      for (const item of record.items) previous.items.push(item);
      continue;
    }
    records.push({ ...record, frameId: streams[stream]!.frameId, seq: records.length } as StoredRecord);
  }
  return {
    ok: true,
    records,
    summary: {
      creator,
      ownFormat: own === streams.length,
      entries: entries.length,
      streams: streams.length,
      skipped,
      events,
      withoutContent,
      ...(first <= last ? { timeRange: [first, last] as [number, number] } : {}),
    },
  };
}
