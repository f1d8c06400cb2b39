/**
 * Replay and mock: the panel sends a PageCommand for a frame of its tab; the background checks it and
 * posts its JSON to that frame's relay, which checks it again and hands the JSON string to the page
 * world, which validates it once more (any script on the page can forge a command: it must never
 * make the tap throw). The page world answers with PageStatus JSON strings, which go back the way
 * batches go. The validators here run in the page world too: they call no method of what they
 * check, and use only built-ins captured when the module loads.
 */
import type { HeaderEntry, StreamKind } from './records';
import { isArray, isNumber, isObject, isString, isTime } from './checks';
import { STREAM_KINDS } from './stream-kinds';

/** Upper bound of one command's JSON (a recording to mock can be large). */
export const MAX_COMMAND_JSON_LENGTH = 64 * 1024 * 1024;
/** Upper bound of one status's JSON. */
export const MAX_STATUS_JSON_LENGTH = 64 * 1024;

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

export const isFrameId = (v: unknown): v is number => isNumber(v) && v >= 0 && v % 1 === 0;
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
        isString(v.pattern) && v.pattern.length > 0 && v.pattern.length <= MAX_PATTERN_LENGTH && isMockRecording(v.recording)
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
