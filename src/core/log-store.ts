/**
 * The panel's model of a tab's log: turns the stream of StoredRecords into connections (one per
 * stream) and the items each received. Pure: no DOM, no browser APIs. HAR export and every view
 * read from here.
 *
 * fetch/XHR streams arrive as raw chunks with the time each reached the page; they are parsed here
 * with our spec-exact parser, so each event is stamped with the time of the chunk that completed
 * it, and carries its `span` in the stream's raw text (see `rawSliceOf`). EventSource streams
 * arrive as the items the browser dispatched (no raw text, no spans).
 *
 * Not every captured stream is SSE: NDJSON (`application/x-ndjson`...) and the Vercel AI SDK data
 * stream (`x-vercel-ai-data-stream`) are lines of records. Each fetch/XHR connection gets a
 * `framing` from its response headers, or, when they do not say (a `text/plain` answer to a request
 * that asked for an event stream), from its first line; its chunks wait unparsed until then. Line
 * streams are parsed by `LineTextParser`: one record (an event of type `line`) per line.
 */
import type {
  BodyText,
  CaptureIssueRecord,
  HeaderEntry,
  LogStats,
  StateReason,
  StoredRecord,
  StreamKind,
  StreamState,
} from '../protocol';
import type { SseItem } from './sse-types';
import type { PageView } from './sightings';
import { SseTextParser, type SseParserOptions } from './sse-parser';
import { LineTextParser } from './line-parser';
import { sniffTransport, transportOfHeaders } from './ai/detect';

/** How a stream's body is cut into items: SSE events, or lines of records (NDJSON, Vercel data stream). */
export type Framing = 'sse' | 'lines';

export interface StateTransition {
  state: StreamState;
  reason?: StateReason;
  detail?: string;
  time: number;
}

export interface ConnectionResponse {
  status: number;
  statusText: string;
  headers: HeaderEntry[];
  contentType: string;
  redirected?: boolean;
  url?: string;
  time: number;
}

export interface Connection {
  id: string;
  kind: StreamKind;
  url: string;
  method: string;
  requestHeaders: HeaderEntry[];
  requestBody?: BodyText;
  withCredentials?: boolean;
  frameUrl: string;
  frameId: number;
  startTime: number;
  response?: ConnectionResponse;
  /**
   * The response was captured although its Content-Type is not text/event-stream (text/plain,
   * application/octet-stream or none), because the request asked for an event stream.
   */
  mislabelled: boolean;
  /**
   * How the body is framed: 'sse' (always for EventSource), or 'lines' — not SSE: NDJSON or a
   * Vercel AI data stream, each line one record. Undefined while not known yet (a fetch/XHR stream
   * before its response, or whose headers do not say, before its first line).
   */
  framing?: Framing;
  state: StreamState;
  stateReason?: StateReason;
  transitions: StateTransition[];
  /** Time of the last thing we saw on this stream. */
  lastTime: number;
  /** Set once the stream is closed or errored for good. */
  endTime?: number;
  /** Answered from a recording the panel armed ("Mock next request"), not by the network. */
  mocked?: boolean;
  /** Seen on the wire by deep capture (chrome.debugger), not by the page tap. */
  seenOn?: 'wire';
  /**
   * Not in the store: set on the panel's rows and exports once deep capture saw anything
   * (`core/sightings.ts`): where the request was seen.
   */
  seen?: 'page' | 'wire' | 'both';
  /** Not in the store: on a request both saw, the page's own stream (what it saw of the request). */
  pageSide?: PageSide;
  /**
   * Not in the store: on a request both saw whose wire capture holds less than the page saw
   * (`core/sightings.ts` `shortfallOf`), by how much. The row then shows the page's items.
   */
  wireShortfall?: WireShortfall;
  /** Bytes read by the page (for XHR: characters). */
  bytes: number;
  /**
   * The raw stream text as the page read it, chunk by chunk (fetch/XHR only). The `span` of each
   * item parsed from it indexes these chunks joined: read it with `rawSliceOf`.
   */
  chunks: string[];
  /**
   * When each of `chunks` reached the page (epoch ms), index for index. Kept so an export can
   * replay the stream chunk by chunk and re-derive every item with its exact time.
   */
  chunkTimes?: number[];
  eventCount: number;
  /** EventSource only: the event types the page listens for (others are not dispatched, so not seen). */
  listenedTypes: string[];
  /**
   * EventSource only: when the page began to listen for each of `listenedTypes` (epoch ms), so deep
   * capture can tell which events came before anyone listened (`core/sightings.ts`).
   */
  listenTimes?: Map<string, number>;
  /** Count of each event type received. */
  eventTypes: Map<string, number>;
}

/** The page tap's stream of a request deep capture saw too. */
export interface PageSide {
  connection: Connection;
  /** What the page saw, as the panel marks the wire's items against it (core/sightings.ts). */
  view?: PageView;
  /**
   * The wire stream was joined mid-stream (an EventSource opened before deep capture was on): its
   * URL was not known, and the page's items before it are the page's own.
   */
  joined: boolean;
  /**
   * False on the later requests of an EventSource that reconnected: the page's stream is written
   * once, with the first (an export), and the others are marked against it.
   */
  summary?: false;
}

/** How much less than the page the wire capture of a request holds (`core/sightings.ts`). */
export interface WireShortfall {
  /** What `wire` and `page` count: events (EventSource), or text in UTF-16 code units (fetch/XHR). */
  unit: 'events' | 'chars';
  /** What the wire holds: its events of the types the page heard, or its text's length. */
  wire: number;
  /** What the page had: its events the wire should hold, or the length of the text it read. */
  page: number;
  /** Events on each side: the wire's of the types the page heard, and the page's (for the words). */
  wireEvents: number;
  pageEvents: number;
  /** The wire's events the page never had (not heard, not read): shown besides the page's. */
  wireOnlyEvents: number;
  wireOnlyTypes: ReadonlyMap<string, number>;
}

export interface LoggedItem {
  /** Unique within the store (several items can come from one record). */
  id: number;
  /** Position in the tab's log of the record it came from. */
  seq: number;
  connectionId: string;
  item: SseItem;
}

export class LogStore {
  readonly connections = new Map<string, Connection>();
  /** Every item (event, comment, retry, ignored field, warning) in arrival order; `items[i].id === i`. */
  items: LoggedItem[] = [];
  /** The same items, by connection id. */
  readonly itemsByConnection = new Map<string, LoggedItem[]>();
  captureIssues: CaptureIssueRecord[] = [];
  stats: LogStats = { invalid: 0, dropped: 0, droppedReasons: [] };
  /** Bumped on every change, so views can tell cheaply whether to re-render. */
  version = 0;
  /** Parsers of the fetch/XHR streams still open. */
  private readonly parsers = new Map<string, SseTextParser | LineTextParser>();
  /** Streams whose framing is not known yet: the index of their first chunk not parsed. */
  private readonly unparsed = new Map<string, number>();
  private readonly parsed: SseItem[] = [];
  private nextItemId = 0;

  /** `parser` options apply to the fetch/XHR streams parsed here (e.g. the per-event cap). */
  constructor(private readonly parserOptions: SseParserOptions = {}) {}

  get connectionList(): Connection[] {
    return [...this.connections.values()];
  }

  reset(): void {
    this.connections.clear();
    this.parsers.clear();
    this.unparsed.clear();
    this.itemsByConnection.clear();
    this.items = [];
    this.nextItemId = 0;
    this.captureIssues = [];
    this.stats = { invalid: 0, dropped: 0, droppedReasons: [] };
    this.version++;
  }

  apply(records: readonly StoredRecord[], stats?: LogStats): void {
    for (const record of records) this.applyOne(record);
    if (stats !== undefined) this.stats = stats;
    this.version++;
  }

  private connection(id: string, frameId: number, time: number): Connection {
    let connection = this.connections.get(id);
    if (connection === undefined) {
      // A record for a stream whose opening we did not see (e.g. lost to a cap): keep it visible.
      connection = {
        id,
        kind: 'fetch',
        url: '(unknown stream)',
        method: '',
        requestHeaders: [],
        frameUrl: '',
        frameId,
        startTime: time,
        mislabelled: false,
        state: 'open',
        transitions: [],
        lastTime: time,
        bytes: 0,
        chunks: [],
        chunkTimes: [],
        eventCount: 0,
        listenedTypes: [],
        eventTypes: new Map(),
      };
      this.connections.set(id, connection);
    }
    return connection;
  }

  private applyOne(record: StoredRecord): void {
    switch (record.type) {
      case 'stream-open': {
        this.connections.set(record.stream, {
          id: record.stream,
          kind: record.kind,
          url: record.url,
          method: record.method,
          requestHeaders: record.requestHeaders,
          requestBody: record.requestBody,
          withCredentials: record.withCredentials,
          frameUrl: record.frameUrl,
          frameId: record.frameId,
          startTime: record.time,
          mislabelled: false,
          state: 'connecting',
          transitions: [{ state: 'connecting', time: record.time }],
          lastTime: record.time,
          bytes: 0,
          chunks: [],
          chunkTimes: [],
          eventCount: 0,
          listenedTypes: [],
          eventTypes: new Map(),
          ...(record.mocked === true ? { mocked: true } : {}),
          ...(record.seenOn === 'wire' ? { seenOn: 'wire' as const } : {}),
          ...(record.kind === 'eventsource' ? { framing: 'sse' as const } : {}),
        });
        return;
      }
      case 'stream-response': {
        const connection = this.connection(record.stream, record.frameId, record.time);
        connection.response = {
          status: record.status,
          statusText: record.statusText,
          headers: record.responseHeaders,
          contentType: record.contentType,
          redirected: record.redirected,
          url: record.url,
          time: record.time,
        };
        if (connection.kind !== 'eventsource') {
          connection.framing ??= transportOfHeaders(record.contentType, record.responseHeaders);
        }
        connection.mislabelled = connection.framing !== 'lines' && !/^\s*text\/event-stream\s*(;|$)/i.test(record.contentType);
        connection.lastTime = Math.max(connection.lastTime, record.time);
        return;
      }
      case 'stream-state': {
        const connection = this.connection(record.stream, record.frameId, record.time);
        connection.state = record.state;
        connection.stateReason = record.reason;
        connection.transitions.push({ state: record.state, reason: record.reason, detail: record.detail, time: record.time });
        connection.lastTime = Math.max(connection.lastTime, record.time);
        if (record.state === 'closed' || record.state === 'error') {
          connection.endTime = record.time;
          this.endParser(connection, record.seq, record.time);
        } else {
          connection.endTime = undefined;
        }
        return;
      }
      case 'stream-chunk': {
        const connection = this.connection(record.stream, record.frameId, record.time);
        const parser = this.parsers.get(connection.id);
        if (parser === undefined && !this.unparsed.has(connection.id)) this.unparsed.set(connection.id, connection.chunks.length);
        connection.chunks.push(record.text);
        (connection.chunkTimes ??= []).push(record.time);
        connection.bytes += record.bytes;
        connection.lastTime = Math.max(connection.lastTime, record.time);
        if (parser !== undefined) {
          parser.push(record.text, record.time, this.parsed);
          this.addParsed(connection, record.seq);
        } else {
          this.startParser(connection, record.seq, false);
        }
        return;
      }
      case 'stream-listen': {
        const connection = this.connection(record.stream, record.frameId, record.time);
        if (!connection.listenedTypes.includes(record.eventType)) {
          connection.listenedTypes.push(record.eventType);
          (connection.listenTimes ??= new Map()).set(record.eventType, record.time);
        }
        return;
      }
      case 'stream-request-body': {
        this.connection(record.stream, record.frameId, record.time).requestBody = record.body;
        return;
      }
      case 'sse': {
        const first = record.items[0];
        if (first === undefined) return;
        const connection = this.connection(record.stream, record.frameId, first.time);
        for (const item of record.items) this.addItem(connection, record.seq, item);
        return;
      }
      case 'capture-issue':
        this.captureIssues.push(record);
        return;
    }
  }

  private addItem(connection: Connection, seq: number, item: SseItem): void {
    if (item.kind === 'event') {
      connection.eventCount++;
      connection.eventTypes.set(item.type, (connection.eventTypes.get(item.type) ?? 0) + 1);
    }
    connection.lastTime = Math.max(connection.lastTime, item.time);
    const logged: LoggedItem = { id: this.nextItemId++, seq, connectionId: connection.id, item };
    this.items.push(logged);
    let ofConnection = this.itemsByConnection.get(connection.id);
    if (ofConnection === undefined) {
      ofConnection = [];
      this.itemsByConnection.set(connection.id, ofConnection);
    }
    ofConnection.push(logged);
  }

  private addParsed(connection: Connection, seq: number): void {
    const parsed = this.parsed;
    for (let i = 0; i < parsed.length; i++) this.addItem(connection, seq, parsed[i]!);
    parsed.length = 0;
  }

  /**
   * Parses the chunks that waited for the stream's framing, once it is known: from the headers, or
   * from the first line (`force`: the stream ended; SSE, as the capture took it for, if still unknown).
   */
  private startParser(connection: Connection, seq: number, force: boolean): void {
    const first = this.unparsed.get(connection.id);
    if (first === undefined) return;
    const chunks = connection.chunks;
    if (connection.framing === undefined) {
      let head = '';
      for (let i = first; i < chunks.length && head.length < SNIFF_LENGTH; i++) head += chunks[i]!;
      const sniffed = sniffFraming(head.slice(0, SNIFF_LENGTH), force) ?? (force ? 'sse' : undefined);
      if (sniffed === undefined) return;
      connection.framing = sniffed;
      if (sniffed === 'lines') connection.mislabelled = false;
    }
    this.unparsed.delete(connection.id);
    // Spans index all the connection's text, including any a previous parser of it saw.
    const spanOffset = first === 0 ? 0 : endsOf(chunks)[first - 1]!;
    const options = { ...this.parserOptions, spans: true, spanOffset };
    const parser = connection.framing === 'lines' ? new LineTextParser(options) : new SseTextParser(options);
    this.parsers.set(connection.id, parser);
    const times = connection.chunkTimes;
    for (let i = first; i < chunks.length; i++) parser.push(chunks[i]!, times?.[i] ?? connection.lastTime, this.parsed);
    this.addParsed(connection, seq);
  }

  /** The stream is over: an unterminated final event is discarded (and reported), as the spec says. */
  private endParser(connection: Connection, seq: number, time: number): void {
    this.startParser(connection, seq, true);
    const parser = this.parsers.get(connection.id);
    if (parser === undefined) return;
    this.parsers.delete(connection.id);
    parser.end(time, this.parsed);
    this.addParsed(connection, seq);
  }
}

/**
 * The framing of a stream whose headers do not say, from its first line: lines only when that line
 * is a record (JSON, or a Vercel data part such as `0:"text"`); anything else stays SSE, so a
 * broken SSE stream (`Data: x`) still gets the parser's warnings. Undefined until a line is known.
 */
export function sniffFraming(text: string, final = false): Framing | undefined {
  // Leading blank lines say nothing (an SSE server may flush a line ending first).
  const body = text.replace(/^[\s\uFEFF]+/, '');
  const lineEnd = body.search(/[\r\n]/);
  // Judge a whole line; a first line of 4 KiB or more by its start.
  const whole = lineEnd !== -1 || final;
  if (!whole && text.length < SNIFF_LENGTH) return undefined;
  const line = (lineEnd === -1 ? body : body.slice(0, lineEnd)).trim();
  if (line === '' || sniffTransport(`${line}\n`) === 'sse') return 'sse';
  const record = whole ? isJson : (t: string) => /^[[{]/.test(t);
  return record(line) || (/^[0-9a-z]:/.test(line) && record(line.slice(2))) ? 'lines' : 'sse';
}

/** How much of a stream's first text decides its framing at most. */
const SNIFF_LENGTH = 4096;

function isJson(text: string): boolean {
  if (text === '') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The raw text of a connection's stream, as read by the page. */
export function rawTextOf(connection: Connection): string {
  return connection.chunks.join('');
}

/** Per chunks array: where each chunk ends in the joined text (extended as chunks are appended). */
const chunkEnds = new WeakMap<string[], number[]>();

function endsOf(chunks: string[]): number[] {
  let ends = chunkEnds.get(chunks);
  if (ends === undefined || ends.length > chunks.length) {
    ends = [];
    chunkEnds.set(chunks, ends);
  }
  for (let i = ends.length; i < chunks.length; i++) ends.push((i === 0 ? 0 : ends[i - 1]!) + chunks[i]!.length);
  return ends;
}

/** Length in UTF-16 code units of a connection's raw text (cached: O(new chunks)). */
export function rawLengthOf(connection: Connection): number {
  const ends = endsOf(connection.chunks);
  return ends.length === 0 ? 0 : ends[ends.length - 1]!;
}

/**
 * The raw text [start, end) of a connection's stream (an item's `span`), clamped to what exists.
 * Joins only the chunks it touches: O(log chunks + the slice's length).
 */
export function rawSliceOf(connection: Connection, start: number, end: number): string {
  const chunks = connection.chunks;
  const ends = endsOf(chunks);
  const total = ends.length === 0 ? 0 : ends[ends.length - 1]!;
  start = Math.max(0, Math.min(start, total));
  end = Math.max(start, Math.min(end, total));
  if (start === end) return '';
  // First chunk that ends after `start`.
  let lo = 0;
  let hi = ends.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! > start) hi = mid;
    else lo = mid + 1;
  }
  let out = '';
  for (let i = lo; i < chunks.length; i++) {
    const chunkStart = ends[i]! - chunks[i]!.length;
    if (chunkStart >= end) break;
    out += chunks[i]!.slice(Math.max(0, start - chunkStart), Math.min(chunks[i]!.length, end - chunkStart));
  }
  return out;
}
