/**
 * What the SSE parser produces. Each item carries the time (epoch ms, sub-ms precision) at which
 * the chunk holding its last byte was delivered, so events of one chunk share a time but an event
 * spread over several chunks is stamped with the chunk that completed it.
 */

/**
 * Where an item's raw text is: UTF-16 offsets [start, end) into the text the parser was fed (all
 * chunks concatenated). Set only by a parser constructed with `spans: true` (the panel's LogStore);
 * never sent across the page boundary, and EventSource items (no raw bytes) never have one.
 *
 * - an event, and a warning given when its block ends ('event-truncated', 'event-without-data'):
 *   from the first line of its block (comments and ignored lines included) to the end of the
 *   blank line's line ending;
 * - 'incomplete-final-event': from the first line of the pending block to the end of the text;
 * - anything else (comment, retry, ignored field, a warning about one line): that line, with its
 *   line ending.
 *
 * When a chunk ends with CR, whether an LF follows is only known from the next chunk: the parser
 * then moves the `end` of the spans it gave for that line one further (the same objects), so read
 * spans when you use them rather than copying them on arrival.
 */
export interface SseSpan {
  start: number;
  end: number;
}

/** A dispatched event (the spec's "dispatch the event" step ran with a non-empty data buffer). */
export interface SseEvent {
  kind: 'event';
  /** Event type: the `event:` field, or "message". */
  type: string;
  data: string;
  /** The last event ID buffer at dispatch time (persists across events, as in the spec). */
  lastEventId: string;
  /** True when an `id:` field appeared in this event's own block. */
  idSet?: boolean;
  /** Dispatched again by the panel's "Replay to page" (not received from the server). */
  replayed?: boolean;
  time: number;
  /** Set when the event's data (or one of its lines) exceeded the per-event cap and was cut. */
  truncated?: { originalLength: number };
  /** Where its raw text is (see SseSpan); only from a parser with `spans: true`. */
  span?: SseSpan;
}

/** A line starting with ":" (heartbeats are usually comments). `text` excludes the colon. */
export interface SseComment {
  kind: 'comment';
  text: string;
  time: number;
  /** Where its raw text is (see SseSpan); only from a parser with `spans: true`. */
  span?: SseSpan;
}

/** A valid `retry:` field (ASCII digits only): the reconnection time the stream asks for. */
export interface SseRetry {
  kind: 'retry';
  milliseconds: number;
  time: number;
  /** Where its raw text is (see SseSpan); only from a parser with `spans: true`. */
  span?: SseSpan;
}

/** A field the spec ignores (unknown name, or `event ` with a trailing space, ...), kept for display. */
export interface SseIgnoredField {
  kind: 'field';
  name: string;
  value: string;
  time: number;
  /** Where its raw text is (see SseSpan); only from a parser with `spans: true`. */
  span?: SseSpan;
}

/** Something the spec tolerates silently but a developer wants to know about. */
export interface SseWarning {
  kind: 'warning';
  code: SseWarningCode;
  message: string;
  time: number;
  /** Where its raw text is (see SseSpan); only from a parser with `spans: true`. */
  span?: SseSpan;
}

export type SseWarningCode =
  | 'retry-not-digits'
  | 'id-contains-nul'
  | 'unknown-field'
  | 'incomplete-final-event'
  | 'data-without-dispatch'
  | 'line-truncated'
  | 'event-truncated'
  /** A block with an `event:` field but no `data:` line ended: the spec dispatches nothing. */
  | 'event-without-data';

export type SseItem = SseEvent | SseComment | SseRetry | SseIgnoredField | SseWarning;
