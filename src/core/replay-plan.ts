/**
 * What "Replay to page" and "Mock next request" send to the page world, worked out in the panel:
 * recorded items (with the user's data edits) become a schedule, times divided by the speed. The
 * page world only keeps to the schedule (src/page/replay.ts, src/page/mock.ts).
 *
 * Times of a replay are relative to the first replayed event. Times of a mock are relative to the
 * request: the response comes when it came in the recording, then the body as it was read; a
 * subset of the events (what the table shows) starts right after the response.
 */
import type { HeaderEntry, MockRecording, PlaybackChunk, PlaybackEvent } from '../protocol';
import type { Connection, LoggedItem } from './log-store';
import type { SseItem } from './sse-types';

export const REPLAY_SPEEDS = ['0.5', '1', '2', '10', 'instant'] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];

/** Edited event data, by LoggedItem id. */
export type DataEdits = ReadonlyMap<number, string>;

const NO_EDITS: DataEdits = new Map();

/** How many times faster than recorded (Infinity: as fast as possible). */
export function speedFactor(speed: ReplaySpeed): number {
  return speed === 'instant' ? Infinity : Number(speed);
}

/** Recorded milliseconds → milliseconds at `speed`. */
function scaled(ms: number, factor: number): number {
  return factor === Infinity ? 0 : Math.max(0, ms) / factor;
}

/** The events among `items`, in order. */
export function eventsOf(items: readonly LoggedItem[]): LoggedItem[] {
  return items.filter((logged) => logged.item.kind === 'event');
}

function dataOf(logged: LoggedItem, edits: DataEdits): string {
  const item = logged.item;
  return edits.get(logged.id) ?? (item.kind === 'event' ? item.data : '');
}

/** The events of `items` as a replay schedule: `at` ms after the first, at `speed`, in order. */
export function replaySchedule(items: readonly LoggedItem[], speed: ReplaySpeed, edits: DataEdits = NO_EDITS): PlaybackEvent[] {
  const factor = speedFactor(speed);
  const schedule: PlaybackEvent[] = [];
  let first: number | undefined;
  let previous = 0;
  for (const logged of items) {
    const item = logged.item;
    if (item.kind !== 'event') continue;
    first ??= item.time;
    // Never earlier than the event before it (clocks of one stream only go forward, but be sure).
    previous = Math.max(previous, scaled(item.time - first, factor));
    schedule.push({ at: previous, type: item.type, data: dataOf(logged, edits), lastEventId: item.lastEventId });
  }
  return schedule;
}

/**
 * SSE text that a spec parser turns back into `item` (events, comments, retry and ignored fields;
 * warnings are the parser's, not the stream's). `previousId` is the last event ID before it: an
 * `id:` line is written when the event set one, or when its ID differs from the one in force.
 */
export function serializeItem(item: SseItem, previousId: string): string {
  switch (item.kind) {
    case 'event': {
      let block = '';
      if (item.idSet === true || item.lastEventId !== previousId) block += `id: ${item.lastEventId}\n`;
      if (item.type !== 'message') block += `event: ${item.type}\n`;
      for (const line of item.data.split(/\r\n|\r|\n/)) block += `data: ${line}\n`;
      return `${block}\n`;
    }
    case 'comment':
      return `:${item.text}\n`;
    case 'retry':
      return `retry: ${item.milliseconds}\n`;
    case 'field':
      return `${item.name}: ${item.value}\n`;
    case 'warning':
      return '';
  }
}

/** SSE text for a list of items (see serializeItem). */
export function serializeSse(items: readonly SseItem[]): string {
  let text = '';
  let id = '';
  for (const item of items) {
    text += serializeItem(item, id);
    if (item.kind === 'event') id = item.lastEventId;
  }
  return text;
}

/** When the server ended the stream (a fetch's end of body, an EventSource's first reconnect). */
function serverEndTime(connection: Connection, responseTime: number): number | undefined {
  return connection.transitions.find(
    (t) => t.time >= responseTime && (t.reason === 'ended-by-server' || t.reason === 'reconnecting'),
  )?.time;
}

function withContentType(headers: readonly HeaderEntry[], contentType: string): HeaderEntry[] {
  if (headers.some((h) => h.name.toLowerCase() === 'content-type')) return [...headers];
  return [...headers, { name: 'content-type', value: contentType }];
}

export interface MockOptions {
  speed: ReplaySpeed;
  edits?: DataEdits;
  /** `items` are a part of the stream (what the table shows), not all of it. */
  subset?: boolean;
}

/**
 * The recording that answers a mocked request: `items` of `connection` (all of them, or the part
 * the table shows), with edits. A fetch/XHR recording played whole and unedited keeps its raw
 * chunks and their times; otherwise the items are written back as SSE text, one chunk per instant.
 */
export function mockRecording(connection: Connection, items: readonly LoggedItem[], options: MockOptions): MockRecording {
  const factor = speedFactor(options.speed);
  const edits = options.edits ?? NO_EDITS;
  const subset = options.subset === true;
  const response = connection.response;
  const responseTime = response?.time ?? connection.startTime;
  const responseAt = scaled(responseTime - connection.startTime, factor);
  const base = subset ? (items[0]?.item.time ?? responseTime) : responseTime;
  let last = responseAt;
  const at = (time: number): number => (last = Math.max(last, responseAt + scaled(time - base, factor)));

  const events: PlaybackEvent[] = [];
  for (const logged of items) {
    const item = logged.item;
    if (item.kind === 'event')
      events.push({ at: at(item.time), type: item.type, data: dataOf(logged, edits), lastEventId: item.lastEventId });
  }

  last = responseAt;
  const chunks: PlaybackChunk[] = [];
  const edited = items.some((logged) => edits.has(logged.id));
  if (!subset && !edited && connection.kind !== 'eventsource' && connection.chunks.length > 0) {
    connection.chunks.forEach((text, i) => chunks.push({ at: at(connection.chunkTimes?.[i] ?? connection.lastTime), text }));
  } else {
    let id = '';
    for (const logged of items) {
      const item = logged.item.kind === 'event' ? { ...logged.item, data: dataOf(logged, edits) } : logged.item;
      // A stream of lines (NDJSON, Vercel data stream) is written back as lines: one per record.
      const text = connection.framing === 'lines' ? (item.kind === 'event' ? `${item.data}\n` : '') : serializeItem(item, id);
      if (item.kind === 'event') id = item.lastEventId;
      if (text === '') continue;
      const time = at(item.time);
      const previous = chunks[chunks.length - 1];
      if (previous !== undefined && previous.at === time) previous.text += text;
      else chunks.push({ at: time, text });
    }
  }

  const lastAt = Math.max(responseAt, events[events.length - 1]?.at ?? 0, chunks[chunks.length - 1]?.at ?? 0);
  const end = subset ? undefined : serverEndTime(connection, responseTime);
  return {
    source: connection.url,
    status: response?.status || 200,
    statusText: response === undefined ? 'OK' : response.statusText,
    headers: withContentType(response?.headers ?? [], response?.contentType || 'text/event-stream'),
    responseAt,
    chunks,
    events,
    endAt: end === undefined ? lastAt : Math.max(lastAt, responseAt + scaled(end - base, factor)),
  };
}

/** The EventSource connections of a live log still open in the page (replay targets), newest first. */
export function liveEventSources(connections: readonly Connection[]): Connection[] {
  return connections.filter((c) => c.kind === 'eventsource' && c.endTime === undefined).reverse();
}

/**
 * Where "Replay to page" sends a recording by default: the recorded EventSource itself while it is
 * open, else the newest open one of the same URL (query aside), else the newest open one.
 */
export function defaultReplayTarget(source: Connection, live: readonly Connection[]): Connection | undefined {
  const path = (url: string) => url.replace(/[?#].*$/s, '');
  return live.find((c) => c.id === source.id) ?? live.find((c) => path(c.url) === path(source.url)) ?? live[0];
}
