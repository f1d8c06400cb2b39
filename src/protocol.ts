/**
 * Every message that crosses a boundary of the extension, and the checks applied to what comes
 * from the page (which we do not trust: any script on the page can forge these).
 *
 *   page world (src/page)  <--CustomEvent(JSON string)-->  relay (src/relay)
 *   relay                   <--runtime port "sse-relay"-->  background (src/background)
 *   background              <--runtime port "sse-panel"-->  panel (src/panel)
 *
 * The page posts batches of PageRecords. The relay checks the envelope and forwards the JSON string
 * unparsed; the background parses and validates every record (off the page's thread) before it
 * enters a tab's log. The panel receives validated StoredRecords.
 *
 * The other way (replay and mock): the panel sends a PageCommand for a frame of its tab; the
 * background checks it and posts its JSON to that frame's relay port; the relay checks it again and
 * hands the JSON string to the page world, which validates it once more (any script on the page
 * can forge a command: it must never make the tap throw). The page world answers with PageStatus
 * JSON strings, which go back the way batches go.
 */
import type { SseItem, SseWarningCode } from './core/sse-types';

export const PROTOCOL_VERSION = 1;

/** DOM event names used between the MAIN-world tap and the ISOLATED-world relay. */
export const PAGE_EVENT = {
  /** page → relay: detail is a JSON string of a PageBatch. */
  batch: 'sse-devtools:batch',
  /** page → relay: the tap announces itself (the relay answers with `relayReady`). */
  pageHello: 'sse-devtools:page-hello',
  /** relay → page: the relay is listening; the tap may flush. */
  relayReady: 'sse-devtools:relay-ready',
  /** relay → page: detail is a JSON string of a PageCommand (replay, mock). */
  command: 'sse-devtools:command',
  /** page → relay: detail is a JSON string of a PageStatus (how a command is doing). */
  status: 'sse-devtools:status',
} as const;

export const PORT_NAME = { relay: 'sse-relay', panel: 'sse-panel' } as const;

/** Upper bound of one page batch's JSON, checked by the relay before forwarding. */
export const MAX_BATCH_JSON_LENGTH = 64 * 1024 * 1024;
/** Upper bound of one command's JSON (a recording to mock can be large). */
export const MAX_COMMAND_JSON_LENGTH = 64 * 1024 * 1024;
/** Upper bound of one status's JSON. */
export const MAX_STATUS_JSON_LENGTH = 64 * 1024;

export type StreamKind = 'eventsource' | 'fetch' | 'xhr';
export type StreamState = 'connecting' | 'open' | 'closed' | 'error';
/** Why a stream changed state; shown next to the state in the panel. */
export type StateReason =
  | 'reconnecting'
  | 'closed-by-page'
  | 'ended-by-server'
  | 'cancelled-by-page'
  | 'aborted'
  | 'network-error'
  | 'http-error';

export interface HeaderEntry {
  name: string;
  value: string;
}

/** A request body as far as we could read it as text. */
export interface BodyText {
  mimeType: string;
  text: string;
  /** Set when `text` is a prefix or a description (e.g. "[Blob 12 bytes]") rather than the body. */
  truncated?: boolean;
  /** Length of the full body when known. */
  size?: number;
}

// ---------------------------------------------------------------------------------------------
// page world → relay → background

/** A new stream the page opened (an EventSource, or a fetch/XHR whose response is SSE). */
export interface StreamOpenRecord {
  type: 'stream-open';
  stream: string;
  kind: StreamKind;
  url: string;
  method: string;
  requestHeaders: HeaderEntry[];
  requestBody?: BodyText;
  withCredentials?: boolean;
  /** location.href of the frame the stream lives in. */
  frameUrl: string;
  /** When the page asked for it (epoch ms). */
  time: number;
  /** Answered from a recording armed in the panel ("Mock next request"), not by the network. */
  mocked?: boolean;
}

export interface StreamResponseRecord {
  type: 'stream-response';
  stream: string;
  status: number;
  statusText: string;
  responseHeaders: HeaderEntry[];
  /** The Content-Type as sent (may differ from text/event-stream for mislabelled streams). */
  contentType: string;
  redirected?: boolean;
  /** Final URL after redirects. */
  url?: string;
  time: number;
}

export interface StreamStateRecord {
  type: 'stream-state';
  stream: string;
  state: StreamState;
  reason?: StateReason;
  /** Human-readable detail (an error message, the Last-Event-ID sent on reconnect, ...). */
  detail?: string;
  time: number;
}

/** Raw text the page read from the stream (fetch/XHR only), decoded as UTF-8 as the spec says. */
export interface StreamChunkRecord {
  type: 'stream-chunk';
  stream: string;
  text: string;
  /** Bytes on the wire for this chunk (for XHR: UTF-16 code units, bytes are not visible). */
  bytes: number;
  time: number;
}

/** The request body, when it could only be read after the stream opened (a Request's body). */
export interface StreamRequestBodyRecord {
  type: 'stream-request-body';
  stream: string;
  body: BodyText;
  time: number;
}

/**
 * The page started listening for an event type on an EventSource (named types are only
 * dispatched, and so only visible to us, when someone listens for them).
 */
export interface StreamListenRecord {
  type: 'stream-listen';
  stream: string;
  eventType: string;
  time: number;
}

/**
 * Items an EventSource dispatched (consecutive items of one stream share a record). fetch/XHR
 * streams send only their raw chunks: the items are derived from those by our parser outside the
 * page (core/log-store.ts), which keeps the page's work to one decode and one append per chunk.
 */
export interface SseItemRecord {
  type: 'sse';
  stream: string;
  items: SseItem[];
}

/** The tap could not do its job somewhere (e.g. the page replaced a built-in we rely on). */
export interface CaptureIssueRecord {
  type: 'capture-issue';
  message: string;
  time: number;
}

export type PageRecord =
  | StreamOpenRecord
  | StreamResponseRecord
  | StreamStateRecord
  | StreamChunkRecord
  | StreamRequestBodyRecord
  | StreamListenRecord
  | SseItemRecord
  | CaptureIssueRecord;

export interface PageBatch {
  v: typeof PROTOCOL_VERSION;
  /** Records the tap had to drop before this batch (its own buffer cap). */
  dropped?: number;
  records: PageRecord[];
}

// ---------------------------------------------------------------------------------------------
// relay → background

export type RelayMessage =
  /**
   * First message on each port. `document` identifies the frame's document (a new one means the
   * frame navigated; the same one means the port was re-opened after the worker restarted).
   */
  | { type: 'relay-hello'; frameUrl: string; isTop: boolean; document: string }
  /** A page batch, forwarded as the JSON string the page posted. */
  | { type: 'page-batch'; json: string }
  /** A PageStatus, forwarded as the JSON string the page posted. */
  | { type: 'page-status'; json: string };

// ---------------------------------------------------------------------------------------------
// panel → background → relay → page world: replay and mock

/** An event to dispatch `at` ms after its playback starts. */
export interface PlaybackEvent {
  at: number;
  type: string;
  data: string;
  lastEventId: string;
}

/** Raw response text to hand the page `at` ms after the request. */
export interface PlaybackChunk {
  at: number;
  text: string;
}

/**
 * A recording that answers the next request to a matching URL: times are ms after the request,
 * already divided by the chosen speed. A fetch reads `chunks`; an EventSource dispatches `events`.
 */
export interface MockRecording {
  /** The recorded URL (for the status line). */
  source: string;
  status: number;
  statusText: string;
  headers: HeaderEntry[];
  /** When the response (headers, `open`) arrives. */
  responseAt: number;
  chunks: PlaybackChunk[];
  events: PlaybackEvent[];
  /** When the body ends (after the last chunk or event). */
  endAt: number;
}

export type PageCommand =
  /** Dispatch `events` to the live EventSource of `stream`, `at` ms after the command arrives. */
  | { type: 'replay'; id: string; stream: string; events: PlaybackEvent[] }
  /** Stop the replay or mock playback `id` (a mock that has not answered yet is disarmed). */
  | { type: 'stop'; id: string }
  /**
   * Answer the next EventSource or fetch of this frame whose URL matches `pattern` (a substring, or
   * a glob where `*` is any text) from `recording`, without the network. Once.
   */
  | { type: 'mock'; id: string; pattern: string; recording: MockRecording };

export type CommandState =
  /** A mock waits for its request. */
  | 'armed'
  /** A mock answered a request (`kind`, `url`, `stream`); its playback runs. */
  | 'answered'
  /** A replay started. */
  | 'started'
  /** Playback finished: every event or chunk was delivered. */
  | 'done'
  /** Stopped from the panel (or a mock disarmed before it answered). */
  | 'stopped'
  /** The page cancelled it: reader.cancel(), abort(), es.close(), or the EventSource closed. */
  | 'cancelled'
  /** A replay's EventSource is not live in that frame (closed, or never there). */
  | 'not-found'
  /** The background could not reach that frame (set by the background, never by the page). */
  | 'unreachable';

export interface PageStatus {
  type: 'command-status';
  /** The command's id. */
  id: string;
  state: CommandState;
  /** Events or chunks delivered so far, of `total`. */
  delivered?: number;
  total?: number;
  /** The request a mock answered. */
  kind?: StreamKind;
  url?: string;
  /** The stream id the tap gave the answered request. */
  stream?: string;
  time: number;
}

// ---------------------------------------------------------------------------------------------
// background ↔ panel

/** A page record as stored in a tab's log: which frame sent it, and its place in the log. */
export type StoredRecord = PageRecord & { frameId: number; seq: number };

export interface LogStats {
  /** Records the background refused because they failed validation. */
  invalid: number;
  /** Records dropped because a cap applied (tap buffer or tab log cap). */
  dropped: number;
  /** Why records were dropped, for display. */
  droppedReasons: string[];
}

export type PanelRequest =
  | { type: 'panel-hello'; tabId: number }
  | { type: 'clear' }
  | { type: 'set-preserve'; preserve: boolean }
  /** A command for the page world of frame `frameId` of the panel's tab. */
  | { type: 'page-command'; frameId: number; command: PageCommand };

export type BackgroundToPanel =
  | { type: 'snapshot'; records: StoredRecord[]; stats: LogStats; preserve: boolean }
  | { type: 'append'; records: StoredRecord[]; stats: LogStats }
  | { type: 'reset'; reason: 'navigation' | 'clear'; url?: string }
  | { type: 'command-status'; frameId: number; status: PageStatus };

/** background → relay (on the relay's port): a validated command, as JSON, for the page world. */
export type BackgroundToRelay = { type: 'page-command'; json: string };

// ---------------------------------------------------------------------------------------------
// validation of what the page posts

// Captured when the module loads: the page world runs the command validators, and by then the page
// may have replaced these (in the page world this module loads before any page script).
const isArray = Array.isArray;
const isFinite = Number.isFinite;

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && isFinite(v);
/** A time (epoch ms) a Date can hold: anything else makes `new Date(t).toISOString()` throw. */
const isTime = (v: unknown): v is number => isNumber(v) && Math.abs(v) <= 8.64e15;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !isArray(v);

export const STREAM_KINDS: readonly StreamKind[] = ['eventsource', 'fetch', 'xhr'];
export const STREAM_STATES: readonly StreamState[] = ['connecting', 'open', 'closed', 'error'];
export const STATE_REASONS: readonly StateReason[] = [
  'reconnecting',
  'closed-by-page',
  'ended-by-server',
  'cancelled-by-page',
  'aborted',
  'network-error',
  'http-error',
];
export const WARNING_CODES: readonly SseWarningCode[] = [
  'retry-not-digits',
  'id-contains-nul',
  'unknown-field',
  'incomplete-final-event',
  'data-without-dispatch',
  'line-truncated',
  'event-truncated',
  'event-without-data',
];

function isHeaderList(v: unknown): v is HeaderEntry[] {
  return Array.isArray(v) && v.every((h) => isObject(h) && isString(h.name) && isString(h.value));
}

function isBodyText(v: unknown): v is BodyText {
  return (
    isObject(v) &&
    isString(v.mimeType) &&
    isString(v.text) &&
    (v.truncated === undefined || typeof v.truncated === 'boolean') &&
    (v.size === undefined || isNumber(v.size))
  );
}

function isSseItem(v: unknown): v is SseItem {
  // A `span` is only ever set by the panel's own parser (LogStore): never accepted from a page.
  if (!isObject(v) || !isTime(v.time) || v.span !== undefined) return false;
  switch (v.kind) {
    case 'event':
      return (
        isString(v.type) &&
        isString(v.data) &&
        isString(v.lastEventId) &&
        (v.idSet === undefined || typeof v.idSet === 'boolean') &&
        (v.replayed === undefined || typeof v.replayed === 'boolean') &&
        (v.truncated === undefined || (isObject(v.truncated) && isNumber(v.truncated.originalLength)))
      );
    case 'comment':
      return isString(v.text);
    case 'retry':
      return isNumber(v.milliseconds) && v.milliseconds >= 0;
    case 'field':
      return isString(v.name) && isString(v.value);
    case 'warning':
      return isString(v.message) && WARNING_CODES.includes(v.code as SseWarningCode);
    default:
      return false;
  }
}

/** True when `v` is a well-formed PageRecord. Unknown extra properties are tolerated. */
export function isPageRecord(v: unknown): v is PageRecord {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'stream-open':
      return (
        isString(v.stream) &&
        STREAM_KINDS.includes(v.kind as StreamKind) &&
        isString(v.url) &&
        isString(v.method) &&
        isHeaderList(v.requestHeaders) &&
        (v.requestBody === undefined || isBodyText(v.requestBody)) &&
        (v.withCredentials === undefined || typeof v.withCredentials === 'boolean') &&
        isString(v.frameUrl) &&
        isTime(v.time) &&
        (v.mocked === undefined || typeof v.mocked === 'boolean')
      );
    case 'stream-response':
      return (
        isString(v.stream) &&
        isNumber(v.status) &&
        isString(v.statusText) &&
        isHeaderList(v.responseHeaders) &&
        isString(v.contentType) &&
        (v.redirected === undefined || typeof v.redirected === 'boolean') &&
        (v.url === undefined || isString(v.url)) &&
        isTime(v.time)
      );
    case 'stream-state':
      return (
        isString(v.stream) &&
        STREAM_STATES.includes(v.state as StreamState) &&
        (v.reason === undefined || STATE_REASONS.includes(v.reason as StateReason)) &&
        (v.detail === undefined || isString(v.detail)) &&
        isTime(v.time)
      );
    case 'stream-chunk':
      return isString(v.stream) && isString(v.text) && isNumber(v.bytes) && isTime(v.time);
    case 'stream-request-body':
      return isString(v.stream) && isBodyText(v.body) && isTime(v.time);
    case 'stream-listen':
      return isString(v.stream) && isString(v.eventType) && isTime(v.time);
    case 'sse':
      return isString(v.stream) && Array.isArray(v.items) && v.items.every(isSseItem);
    case 'capture-issue':
      return isString(v.message) && isTime(v.time);
    default:
      return false;
  }
}

export interface ParsedBatch {
  records: PageRecord[];
  /** Records in the batch that failed validation. */
  invalid: number;
  /** Records the page-world tap reported as dropped before sending. */
  dropped: number;
}

/** Parses and validates a page batch's JSON. Never throws: a bad batch yields `null`. */
export function parsePageBatch(json: string): ParsedBatch | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!isObject(value) || value.v !== PROTOCOL_VERSION || !Array.isArray(value.records)) return null;
  const records: PageRecord[] = [];
  let invalid = 0;
  for (const record of value.records) {
    if (isPageRecord(record)) records.push(record);
    else invalid++;
  }
  const dropped = isNumber(value.dropped) && value.dropped > 0 ? Math.floor(value.dropped) : 0;
  return { records, invalid, dropped };
}

/** The relay's cheap check on what arrives from the page world, before forwarding it. */
export function isPlausibleBatchJson(detail: unknown): detail is string {
  return (
    typeof detail === 'string' &&
    detail.length > 0 &&
    detail.length <= MAX_BATCH_JSON_LENGTH &&
    detail.startsWith(`{"v":${PROTOCOL_VERSION},`)
  );
}

export function isRelayMessage(v: unknown): v is RelayMessage {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'relay-hello':
      return isString(v.frameUrl) && typeof v.isTop === 'boolean' && isString(v.document);
    case 'page-batch':
    case 'page-status':
      return isString(v.json);
    default:
      return false;
  }
}

export function isPanelRequest(v: unknown): v is PanelRequest {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'panel-hello':
      return isNumber(v.tabId);
    case 'clear':
      return true;
    case 'set-preserve':
      return typeof v.preserve === 'boolean';
    case 'page-command':
      return isFrameId(v.frameId) && isPageCommand(v.command);
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// validation of commands (run in the panel's background, the relay and the page world) and statuses

/** Command ids and stream ids are ours: short strings. */
const MAX_ID_LENGTH = 200;
/** URL patterns are typed by hand. */
export const MAX_PATTERN_LENGTH = 4096;
/** Playback times (ms): a day at most. */
const MAX_PLAYBACK_MS = 86_400_000;

const COMMAND_STATES: readonly CommandState[] = [
  'armed',
  'answered',
  'started',
  'done',
  'stopped',
  'cancelled',
  'not-found',
  'unreachable',
];

const isFrameId = (v: unknown): v is number => isNumber(v) && v >= 0 && v % 1 === 0;
const isId = (v: unknown): v is string => isString(v) && v.length > 0 && v.length <= MAX_ID_LENGTH;
const isPlaybackTime = (v: unknown): v is number => isNumber(v) && v >= 0 && v <= MAX_PLAYBACK_MS;

/** Whether `check` holds for every element (a plain loop: no Array.prototype method the page could replace). */
function isListOf<T>(v: unknown, check: (element: unknown) => element is T): v is T[] {
  if (!isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!check(v[i])) return false;
  return true;
}

function isHeaderEntry(v: unknown): v is HeaderEntry {
  return isObject(v) && isString(v.name) && isString(v.value);
}

function isPlaybackEvent(v: unknown): v is PlaybackEvent {
  return isObject(v) && isPlaybackTime(v.at) && isString(v.type) && isString(v.data) && isString(v.lastEventId);
}

function isPlaybackChunk(v: unknown): v is PlaybackChunk {
  return isObject(v) && isPlaybackTime(v.at) && isString(v.text);
}

function isMockRecording(v: unknown): v is MockRecording {
  return (
    isObject(v) &&
    isString(v.source) &&
    isNumber(v.status) &&
    isString(v.statusText) &&
    isListOf(v.headers, isHeaderEntry) &&
    isPlaybackTime(v.responseAt) &&
    isListOf(v.chunks, isPlaybackChunk) &&
    isListOf(v.events, isPlaybackEvent) &&
    isPlaybackTime(v.endAt)
  );
}

/**
 * True when `v` is a well-formed PageCommand. Safe to run in the page world on what JSON.parse
 * made: it calls no method of the values it checks, only reads their own properties.
 */
export function isPageCommand(v: unknown): v is PageCommand {
  if (!isObject(v) || !isId(v.id)) return false;
  switch (v.type) {
    case 'replay':
      return isId(v.stream) && isListOf(v.events, isPlaybackEvent);
    case 'stop':
      return true;
    case 'mock':
      return (
        isString(v.pattern) &&
        v.pattern.length > 0 &&
        v.pattern.length <= MAX_PATTERN_LENGTH &&
        isMockRecording(v.recording)
      );
    default:
      return false;
  }
}

export function isPageStatus(v: unknown): v is PageStatus {
  return (
    isObject(v) &&
    v.type === 'command-status' &&
    isId(v.id) &&
    COMMAND_STATES.includes(v.state as CommandState) &&
    (v.delivered === undefined || isNumber(v.delivered)) &&
    (v.total === undefined || isNumber(v.total)) &&
    (v.kind === undefined || STREAM_KINDS.includes(v.kind as StreamKind)) &&
    (v.url === undefined || isString(v.url)) &&
    (v.stream === undefined || isString(v.stream)) &&
    isTime(v.time)
  );
}

/** Parses and validates a status the page posted (in the background). Never throws. */
export function parsePageStatus(json: string): PageStatus | null {
  if (json.length > MAX_STATUS_JSON_LENGTH) return null;
  try {
    const value: unknown = JSON.parse(json);
    return isPageStatus(value) ? value : null;
  } catch {
    return null;
  }
}

/** The relay's cheap check on a status from the page, before forwarding it. */
export function isPlausibleStatusJson(detail: unknown): detail is string {
  return typeof detail === 'string' && detail.length > 0 && detail.length <= MAX_STATUS_JSON_LENGTH;
}

/** The relay's check on what the background sends it. */
export function isBackgroundToRelay(v: unknown): v is BackgroundToRelay {
  return (
    isObject(v) &&
    v.type === 'page-command' &&
    isString(v.json) &&
    v.json.length > 0 &&
    v.json.length <= MAX_COMMAND_JSON_LENGTH
  );
}
