/**
 * Every export form besides the HAR itself: the items in view as NDJSON, CSV or JSON, one item's
 * data, and a connection's request as a cURL command or a fetch snippet. Pure functions.
 *
 * Redaction is the HAR's (har.ts): unless `includeSensitive`, sensitive headers and secret-looking
 * URL parameters are replaced by REDACTED in every form. Event data is exported as received.
 *
 * Big exports are built in parts without freezing the panel: `buildExportParts` yields to the UI
 * every `every` units of work (items, or JSON array elements for the HAR) and returns the file as
 * string parts for `new Blob(parts)`; `buildExportText` is the same output in one synchronous go.
 */
import { pageMark, pageViewOf, type ConnectionRow, type PageMark, type PageView } from './sightings';
import type { HeaderEntry, StreamKind } from '../protocol';
import {
  harConnectionOrder,
  harEntryBuilder,
  harLogHeader,
  redactHeaders,
  redactUrl,
  REDACTED,
  type HarEntry,
  type HarOptions,
} from './har';
import type { Connection, LoggedItem } from './log-store';
import type { SseItem } from './sse-types';
import { utf8Length } from './format';

export type ExportFormat = 'har' | 'ndjson' | 'csv' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['har', 'ndjson', 'csv', 'json'];

export const EXPORT_MIME_TYPES: Record<ExportFormat, string> = {
  har: 'application/json',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv;charset=utf-8',
  json: 'application/json',
};

export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { har: 'har', ndjson: 'ndjson', csv: 'csv', json: 'json' };

export interface ExportInput {
  /** The items to export, in the order shown (the caller filters and sorts). */
  items: readonly LoggedItem[];
  /** The connections: the items' (NDJSON/CSV/JSON look them up); for HAR, one entry each. */
  connections: readonly Connection[] | ReadonlyMap<string, Connection>;
  /** Keep secrets (default false: redacted). */
  includeSensitive?: boolean;
  /** The extension's version, written in the HAR's creator. */
  creatorVersion: string;
}

// ---------------------------------------------------------------------------------------------
// one item, as exported

/** One row of the NDJSON/CSV/JSON exports. */
export interface ExportedItem {
  /** ISO 8601, UTC, to the millisecond. */
  time: string;
  /** Epoch ms (sub-ms precision when captured so). */
  epochMs: number;
  connectionId: string;
  connectionKind: StreamKind | '';
  connectionUrl: string;
  /** event, comment, retry, field (ignored by the spec) or warning. */
  kind: SseItem['kind'];
  /** Event type; an ignored field's name; a warning's code; empty otherwise. */
  type: string;
  /** Event: the last event ID; empty otherwise. */
  id: string;
  /** Event data; comment text; retry milliseconds; ignored field value; warning message. */
  data: string;
  /** `data` in UTF-8 bytes. */
  size: number;
  /** Event cut by the per-event cap: the original data length. */
  truncatedFrom?: number;
  /** Deep capture: where the request was seen (page, wire or both). */
  seenOn?: 'page' | 'wire' | 'both';
  /** Deep capture, a request both saw: what the page missed of this item (core/sightings.ts). */
  pageMissed?: PageMark;
}

/**
 * The connections a rows export (NDJSON, CSV, JSON) looks its items up in: each stream as the row
 * the panel shows it in (`rowOf`, from `mergeSightings`), saying where it was seen, a pair's with
 * the page view its marks are told by (the table's and the HAR's: `row.pageView`); the store's own
 * connection for a stream in no row.
 */
export function rowExportConnections(
  connections: ReadonlyMap<string, Connection>,
  rowOf: ReadonlyMap<string, ConnectionRow>,
): Map<string, Connection> {
  const out = new Map<string, Connection>(connections);
  const byRow = new Map<ConnectionRow, Connection>();
  for (const [id, row] of rowOf) {
    let c = byRow.get(row);
    if (c === undefined) {
      c = row.seen === undefined ? row.connection : { ...row.connection, seen: row.seen };
      const side = c.pageSide;
      if (side !== undefined && row.pageView !== undefined) c = { ...c, pageSide: { ...side, view: row.pageView } };
      byRow.set(row, c);
    }
    out.set(id, c);
  }
  return out;
}

/** The text "Copy data" copies: an event's data, a comment's text, a retry's ms, a field's value, a warning's message. */
export function copyDataOf(item: SseItem): string {
  switch (item.kind) {
    case 'event':
      return item.data;
    case 'comment':
      return item.text;
    case 'retry':
      return String(item.milliseconds);
    case 'field':
      return item.value;
    case 'warning':
      return item.message;
  }
}

function typeOf(item: SseItem): string {
  switch (item.kind) {
    case 'event':
      return item.type;
    case 'field':
      return item.name;
    case 'warning':
      return item.code;
    default:
      return '';
  }
}

function isoTime(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

export function exportedItem(logged: LoggedItem, connection: Connection | undefined, includeSensitive = false): ExportedItem {
  const item = logged.item;
  const data = copyDataOf(item);
  return {
    time: isoTime(item.time),
    epochMs: item.time,
    connectionId: logged.connectionId,
    connectionKind: connection?.kind ?? '',
    connectionUrl: connection ? redactUrl(connection.url, includeSensitive) : '',
    kind: item.kind,
    type: typeOf(item),
    id: item.kind === 'event' ? item.lastEventId : '',
    data,
    size: utf8Length(data),
    ...(item.kind === 'event' && item.truncated ? { truncatedFrom: item.truncated.originalLength } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180)

/**
 * The CSV's columns. Deep capture's two come last (so readers of the first seven keep working):
 * `seen_on`, where the item's request was seen (page, wire or both; empty when deep capture saw
 * nothing), and `page`, for a request both saw, what the page missed of the item ("not heard" or
 * "not read"; empty when the page got it).
 */
export const CSV_COLUMNS = ['time', 'connection_url', 'kind', 'type', 'id', 'data', 'size', 'seen_on', 'page'] as const;

/** The CSV's words for a page mark (the `page` column). */
export const CSV_PAGE_MARKS: Record<PageMark, string> = { 'not-heard': 'not heard', 'not-read': 'not read' };

/**
 * One CSV cell: a text a spreadsheet would run as a formula (starting with = + - @, tab or CR)
 * gets a leading apostrophe; a cell with a comma, quote, CR or LF is quoted, quotes doubled.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(row: ExportedItem): string {
  const page = row.pageMissed === undefined ? '' : CSV_PAGE_MARKS[row.pageMissed];
  return (
    [row.time, row.connectionUrl, row.kind, row.type, row.id, row.data, row.size, row.seenOn ?? '', page].map(csvCell).join(',') +
    '\r\n'
  );
}

// ---------------------------------------------------------------------------------------------
// building files, in parts

/** A point where the async builder may give the UI a turn. */
const PAUSE = Symbol('pause');
type Chunk = string | typeof PAUSE;

/** Counts units of work (items, array elements); the builders pause every `every`. */
class Work {
  private done = 0;
  constructor(readonly every: number) {}
  /** Adds `n` units; true when a multiple of `every` was crossed. */
  add(n = 1): boolean {
    const before = Math.floor(this.done / this.every);
    this.done += n;
    return Math.floor(this.done / this.every) > before;
  }
}

function connectionMap(connections: ExportInput['connections']): ReadonlyMap<string, Connection> {
  if (connections instanceof Map) return connections;
  return new Map((connections as readonly Connection[]).map((c) => [c.id, c]));
}

/** `exportedItem` for many items: each connection's redacted URL is worked out once. */
function rowMaker(input: ExportInput): (logged: LoggedItem) => ExportedItem {
  const connections = connectionMap(input.connections);
  const include = input.includeSensitive === true;
  const urls = new Map<string, string>();
  const pageViews = new Map<string, PageView>();
  return (logged) => {
    const connection = connections.get(logged.connectionId);
    const row = exportedItem(logged, undefined, include);
    if (connection !== undefined) {
      let url = urls.get(connection.id);
      if (url === undefined) {
        url = redactUrl(connection.url, include);
        urls.set(connection.id, url);
      }
      row.connectionKind = connection.kind;
      row.connectionUrl = url;
      // Deep capture: where it was seen, what the page missed (by the HAR's view: the row's, when given).
      if (connection.seen !== undefined) row.seenOn = connection.seen;
      const side = connection.pageSide;
      if (side !== undefined && logged.connectionId !== side.connection.id) {
        let view = pageViews.get(connection.id);
        if (view === undefined) pageViews.set(connection.id, (view = side.view ?? pageViewOf(side.connection)));
        const missed = pageMark(logged.item, view);
        if (missed !== undefined) row.pageMissed = missed;
      }
    }
    return row;
  };
}

/** Items a slice at a time: each slice serialized natively in one go. */
function* rowsChunks(format: 'ndjson' | 'csv' | 'json', input: ExportInput, work: Work): Generator<Chunk> {
  const makeRow = rowMaker(input);
  const items = input.items;
  if (format === 'csv') yield CSV_COLUMNS.join(',') + '\r\n';
  if (format === 'json' && items.length === 0) yield '[]';
  for (let from = 0; from < items.length; from += work.every) {
    const rows = items.slice(from, from + work.every).map(makeRow);
    if (format === 'ndjson') yield rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
    else if (format === 'csv') yield rows.map(csvRow).join('');
    // JSON.stringify(rows, null, 2) without its "[" and "\n]": the elements, already indented.
    else yield (from === 0 ? '[' : ',') + JSON.stringify(rows, null, 2).slice(1, -2);
    if (work.add(rows.length)) yield PAUSE;
  }
  if (format === 'json' && items.length > 0) yield '\n]';
}

/** A value JSON.stringify can write on its own cheaply: a primitive, or an object/array of primitives. */
function isFlat(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) return false;
  return true;
}

/**
 * JSON.stringify(value, null, 2), as chunks (for plain data: objects, arrays, strings, numbers,
 * booleans, null; `toJSON` is honoured). Runs of flat array elements are serialized natively, a
 * slice of `work.every` at a time; nested structure is walked.
 */
function* jsonChunks(value: unknown, indent: string, work: Work, inArray: boolean): Generator<Chunk> {
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (isFlat(value)) {
    const text = JSON.stringify(value, null, 2) as string | undefined;
    yield text === undefined ? (inArray ? 'null' : '') : text.replace(/\n/g, `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const length = value.length;
    if (length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    let i = 0;
    while (i < length) {
      const element: unknown = value[i];
      if (isFlat(element)) {
        // A run of flat elements: JSON.stringify(run, null, 2), re-indented, without "[" and "\n]".
        let end = i + 1;
        while (end < length && end - i < work.every && isFlat(value[end])) end++;
        const run = value.slice(i, end);
        const text = JSON.stringify(run, null, 2).replace(/\n/g, `\n${indent}`);
        yield (i === 0 ? '' : ',') + text.slice(1, text.length - indent.length - 2);
        if (work.add(end - i)) yield PAUSE;
        i = end;
        continue;
      }
      yield `${i === 0 ? '\n' : ',\n'}${inner}`;
      yield* jsonChunks(element, inner, work, true);
      if (work.add()) yield PAUSE;
      i++;
    }
    yield `\n${indent}]`;
    return;
  }
  const entries = Object.entries(value as object).filter(
    ([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol',
  );
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  for (let i = 0; i < entries.length; i++) {
    const [key, v] = entries[i]!;
    yield `${i === 0 ? '\n' : ',\n'}${inner}${JSON.stringify(key)}: `;
    yield* jsonChunks(v, inner, work, false);
  }
  yield `\n${indent}}`;
}

function* harChunks(input: ExportInput, work: Work): Generator<Chunk> {
  const options: HarOptions = { includeSensitive: input.includeSensitive, creatorVersion: input.creatorVersion };
  const connections = harConnectionOrder([...connectionMap(input.connections).values()]);
  const builders = new Map(connections.map((c) => [c.id, harEntryBuilder(c, options)]));
  // A request both sightings saw is one entry: the page's own items go to the wire stream's.
  const byStream = new Map(builders);
  for (const c of connections)
    if (c.pageSide !== undefined && c.pageSide.summary !== false) byStream.set(c.pageSide.connection.id, builders.get(c.id)!);
  const items = input.items;
  for (let i = 0; i < items.length; i++) {
    byStream.get(items[i]!.connectionId)?.add(items[i]!);
    if (work.add()) yield PAUSE;
  }
  const entries: HarEntry[] = [];
  for (const builder of builders.values()) {
    entries.push(builder.finish());
    yield PAUSE;
  }
  yield* jsonChunks({ log: { ...harLogHeader(options), entries } }, '', work, false);
}

function* exportChunks(format: ExportFormat, input: ExportInput, every: number): Generator<Chunk> {
  const work = new Work(Math.max(1, Math.floor(every)));
  if (format === 'har') yield* harChunks(input, work);
  else yield* rowsChunks(format, input, work);
}

/** Work between two turns given to the UI, by default. */
export const DEFAULT_EXPORT_CHUNK = 2000;

/** The whole file at once (same output as `buildExportParts`). */
export function buildExportText(format: ExportFormat, input: ExportInput): string {
  let out = '';
  for (const chunk of exportChunks(format, input, DEFAULT_EXPORT_CHUNK)) if (chunk !== PAUSE) out += chunk;
  return out;
}

export interface ExportPartsOptions {
  /** Gives the UI a turn (e.g. a resolved setTimeout(0)); called every `every` units of work. */
  yieldToUi: () => Promise<void>;
  every?: number;
  /** Stops the build (the promise then rejects with an AbortError). */
  signal?: AbortSignal;
}

/** The file as parts for `new Blob(parts)`, built a slice at a time, yielding to the UI between. */
export async function buildExportParts(format: ExportFormat, input: ExportInput, options: ExportPartsOptions): Promise<string[]> {
  const parts: string[] = [];
  let part = '';
  for (const chunk of exportChunks(format, input, options.every ?? DEFAULT_EXPORT_CHUNK)) {
    if (chunk !== PAUSE) {
      part += chunk;
      continue;
    }
    if (part !== '') parts.push(part);
    part = '';
    await options.yieldToUi();
    options.signal?.throwIfAborted();
  }
  if (part !== '') parts.push(part);
  return parts;
}

// ---------------------------------------------------------------------------------------------
// a connection's request, to replay it

export interface RequestCopyOptions {
  includeSensitive?: boolean;
}

/** POSIX shell quoting: single quotes, each ' written as '\''. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function hasHeader(list: readonly HeaderEntry[], name: string): boolean {
  return list.some((h) => h.name.toLowerCase() === name);
}

/** The request's headers as sent, with Accept: text/event-stream when none was captured. */
function replayHeaders(connection: Connection, includeSensitive: boolean): HeaderEntry[] {
  // HTTP/2 pseudo-headers (":authority", from imported HARs) are not headers one can send.
  const list = redactHeaders(connection.requestHeaders, includeSensitive).filter((h) => !h.name.startsWith(':'));
  if (!hasHeader(list, 'accept')) list.unshift({ name: 'Accept', value: 'text/event-stream' });
  return list;
}

const TRUNCATED_BODY_NOTE = 'the request body was not captured in full';

/** A cURL command that repeats the request and prints the stream as it arrives (-N). */
export function toCurl(connection: Connection, options: RequestCopyOptions = {}): string {
  const include = options.includeSensitive === true;
  const body = connection.requestBody;
  const args = [shellQuote(redactUrl(connection.url, include)), '-N'];
  const method = connection.method || 'GET';
  if (!(method === 'GET' && !body) && !(method === 'POST' && body)) args.push(`-X ${shellQuote(method)}`);
  for (const { name, value } of replayHeaders(connection, include)) {
    // "Name:" would make curl drop the header; "Name;" sends it empty.
    args.push(`-H ${shellQuote(value === '' ? `${name};` : `${name}: ${value}`)}`);
  }
  if (body) args.push(`--data-raw ${shellQuote(body.text)}`);
  const command = `curl ${args.join(' \\\n  ')}`;
  return body?.truncated ? `# Note: ${TRUNCATED_BODY_NOTE}.\n${command}` : command;
}

/** Headers fetch() may not set (the Fetch standard's forbidden request-header names). */
const FORBIDDEN_HEADERS = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

function isForbiddenHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return FORBIDDEN_HEADERS.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-');
}

/**
 * A JavaScript snippet that repeats the request with fetch() and logs the stream's text as it
 * arrives. Headers a page may not set (Cookie, Origin, ...) are left out; cookies are sent with
 * `credentials: "include"` when the request had them (withCredentials or a Cookie header).
 */
export function toFetch(connection: Connection, options: RequestCopyOptions = {}): string {
  const include = options.includeSensitive === true;
  const body = connection.requestBody;
  const headers = new Map<string, string>();
  for (const { name, value } of replayHeaders(connection, include)) {
    if (isForbiddenHeader(name)) continue;
    const key = name.toLowerCase();
    const previous = headers.get(key);
    headers.set(key, previous === undefined ? value : `${previous}, ${value}`);
  }
  const credentials = connection.withCredentials === true || hasHeader(connection.requestHeaders, 'cookie');
  const init: string[] = [`    method: ${JSON.stringify(connection.method || 'GET')},`];
  init.push('    headers: {');
  for (const [name, value] of headers) init.push(`      ${JSON.stringify(name)}: ${JSON.stringify(value)},`);
  init.push('    },');
  if (body) init.push(`    body: ${JSON.stringify(body.text)},`);
  if (credentials) init.push('    credentials: "include",');
  const lines = [
    ...(body?.truncated ? [`// Note: ${TRUNCATED_BODY_NOTE}.`] : []),
    '(async () => {',
    `  const response = await fetch(${JSON.stringify(redactUrl(connection.url, include))}, {`,
    ...init,
    '  });',
    '  console.log(response.status, response.headers.get("content-type"));',
    '  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();',
    '  for (;;) {',
    '    const { done, value } = await reader.read();',
    '    if (done) break;',
    '    console.log(value);',
    '  }',
    '})();',
  ];
  return lines.join('\n');
}

/** Whether a copy of this connection's request has redacted values in it. */
export function requestHasRedactions(connection: Connection, includeSensitive = false): boolean {
  if (includeSensitive) return false;
  return (
    redactUrl(connection.url) !== connection.url ||
    redactHeaders(connection.requestHeaders, false).some((h) => h.value === REDACTED)
  );
}
