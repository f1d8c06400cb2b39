/**
 * The timeline's model: one lane per connection, its items bucketed into pixel columns, silent
 * gaps, time to first event, an events/second series, axis ticks, and the zoom/pan/hover math.
 * Pure: no DOM, no browser APIs.
 *
 * Scale: a lane's items are copied once into typed arrays (`LaneIndex`, kept up to date
 * incrementally as items stream in by `TimelineIndex`), so a redraw costs O(items in view + pixel
 * width) with no allocation per item, and a hover lookup is a binary search. Nothing here makes an
 * object per item.
 *
 * Times are epoch ms (sub-ms precision) as stamped by the parser. A window is inclusive at both ends.
 */
import type { Connection, LoggedItem } from './log-store';
import type { SseItem } from './sse-types';
import { splitUrl } from './format';

export interface TimeRange {
  from: number;
  to: number;
}

export type TimelineTheme = 'light' | 'dark';

/** Silences longer than this are highlighted as gaps, unless the caller says otherwise. */
export const DEFAULT_GAP_THRESHOLD_MS = 5000;
/** The narrowest window zooming in can reach. */
export const MIN_SPAN_MS = 1;
/** `fitAll` never returns a window narrower than this (a lone event still gets some context). */
export const FIT_MIN_SPAN_MS = 100;
/** `fitAll` pads the data's extent by this fraction of it on each side. */
export const FIT_PADDING = 0.02;

// ---------------------------------------------------------------------------------------------
// Tick types and colours

/**
 * Items that are not events get a key an event type cannot collide with in practice (a NUL
 * prefix), so "comment" the event type and a comment line stay apart.
 */
export const NON_EVENT_KEYS = {
  comment: '\u0000comment',
  retry: '\u0000retry',
  field: '\u0000field',
  warning: '\u0000warning',
} as const satisfies Record<Exclude<SseItem['kind'], 'event'>, string>;

/** What colours an item's tick: the event type, or a reserved key for the other kinds. */
export function tickType(item: SseItem): string {
  return item.kind === 'event' ? item.type : NON_EVENT_KEYS[item.kind];
}

/** The kind behind a reserved key, or null for an event type. */
export function nonEventKind(key: string): Exclude<SseItem['kind'], 'event'> | null {
  switch (key) {
    case NON_EVENT_KEYS.comment:
      return 'comment';
    case NON_EVENT_KEYS.retry:
      return 'retry';
    case NON_EVENT_KEYS.field:
      return 'field';
    case NON_EVENT_KEYS.warning:
      return 'warning';
    default:
      return null;
  }
}

/** The panel's --accent in each theme: 'message' (the default type) is drawn in it. */
export const ACCENT = { light: '#1a73e8', dark: '#8ab4f8' } as const;
/** The backgrounds type colours are checked against. */
export const LANE_BACKGROUND = { light: '#ffffff', dark: '#202124' } as const;
/** Minimum contrast of a hashed type colour against the lane background. */
export const TYPE_COLOR_CONTRAST = 4;

// A Map, not an object: a type named "constructor" must not find Object.prototype's.
const FIXED_COLORS = new Map<string, Record<TimelineTheme, string>>([
  ['message', ACCENT],
  [NON_EVENT_KEYS.comment, { light: '#5f6368', dark: '#9aa0a6' }],
  [NON_EVENT_KEYS.retry, { light: '#5f6368', dark: '#9aa0a6' }],
  [NON_EVENT_KEYS.field, { light: '#5f6368', dark: '#9aa0a6' }],
  [NON_EVENT_KEYS.warning, { light: '#b06000', dark: '#fdd663' }],
]);

/** Hues within this many degrees of the accent's are skipped, so no type looks like 'message'. */
const ACCENT_HUE = 214;
const ACCENT_HUE_BAND = 25;
const colorCache = new Map<string, string>();

/** 32-bit FNV-1a of the string's UTF-16 code units. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The hue (degrees) a type hashes to, outside the accent's band. */
export function typeHue(type: string): number {
  const hue = hashString(type) % (360 - 2 * ACCENT_HUE_BAND);
  return hue >= ACCENT_HUE - ACCENT_HUE_BAND ? hue + 2 * ACCENT_HUE_BAND : hue;
}

/**
 * A stable colour ('#rrggbb') for an event type: 'message' gets the accent colour, the other
 * kinds fixed greys (warnings amber), and any other type a hue hashed from its name, with the
 * lightness chosen so it stands out from the lane background by at least TYPE_COLOR_CONTRAST.
 */
export function typeColor(type: string, theme: TimelineTheme = 'light'): string {
  const fixed = FIXED_COLORS.get(type);
  if (fixed !== undefined) return fixed[theme];
  const cacheKey = `${theme}\u0000${type}`;
  const cached = colorCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const hue = typeHue(type);
  const background = LANE_BACKGROUND[theme];
  // Light: darken from 45 %; dark: lighten from 62 %, until the contrast is reached.
  let lightness = theme === 'light' ? 45 : 62;
  let color = hslToHex(hue, 75, lightness);
  while (contrastRatio(color, background) < TYPE_COLOR_CONTRAST && lightness > 5 && lightness < 95) {
    lightness += theme === 'light' ? -1 : 1;
    color = hslToHex(hue, 75, lightness);
  }
  if (colorCache.size > 4096) colorCache.clear();
  colorCache.set(cacheKey, color);
  return color;
}

export function hslToHex(hue: number, saturation: number, lightness: number): string {
  const s = saturation / 100;
  const l = lightness / 100;
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const value = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/** WCAG relative luminance of '#rrggbb'. */
export function relativeLuminance(hex: string): number {
  const value = Number.parseInt(hex.slice(1), 16);
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear((value >> 16) & 255) + 0.7152 * linear((value >> 8) & 255) + 0.0722 * linear(value & 255);
}

/** WCAG contrast ratio of two '#rrggbb' colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

// ---------------------------------------------------------------------------------------------
// Per-lane index: item times and type ids in typed arrays, ascending by time

/** Interns tick types as small integers, shared by every lane so one id means one colour. */
export class TypeTable {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }
}

export interface LaneIndex {
  /**
   * Item times, never decreasing; only the first `length` entries are meaningful. An item stamped
   * earlier than the one before it (the clock stepped back) is placed at that one's time, so the
   * positions stay the items' own: `items[p]` is at `times[p]`.
   */
  times: Float64Array;
  /** The TypeTable id of each item's tick type. */
  types: Uint32Array;
  length: number;
  /** The items indexed (the array given, not a copy). */
  items: readonly LoggedItem[];
  /** Time of the first item of kind 'event', or null when there is none. */
  firstEventTime: number | null;
}

/** The item at a position of the index. */
export function itemAt(index: LaneIndex, position: number): LoggedItem {
  return index.items[position]!;
}

/** First position whose time is >= `time` (`length` when none). */
export function lowerBound(times: Float64Array, length: number, time: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid]! < time) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First position whose time is > `time` (`length` when none). */
export function upperBound(times: Float64Array, length: number, time: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid]! <= time) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Position of the item nearest to `time` (the earlier one on a tie), or -1 for an empty index. */
export function nearestPosition(times: Float64Array, length: number, time: number): number {
  if (length === 0) return -1;
  const after = lowerBound(times, length, time);
  if (after === 0) return 0;
  if (after === length) return length - 1;
  return time - times[after - 1]! <= times[after]! - time ? after - 1 : after;
}

/** Builds a lane's index from scratch. */
export function buildLaneIndex(items: readonly LoggedItem[], types: TypeTable): LaneIndex {
  const index: LaneIndex = {
    times: new Float64Array(Math.max(16, items.length)),
    types: new Uint32Array(Math.max(16, items.length)),
    length: 0,
    items,
    firstEventTime: null,
  };
  appendToLaneIndex(index, items, types);
  return index;
}

/** Indexes `items[index.length..]`; the index must hold a prefix of `items`. */
export function appendToLaneIndex(index: LaneIndex, items: readonly LoggedItem[], types: TypeTable): void {
  const start = index.length;
  const end = items.length;
  if (end > index.times.length) {
    const capacity = Math.max(end, index.times.length * 2);
    const times = new Float64Array(capacity);
    times.set(index.times.subarray(0, start));
    const typeIds = new Uint32Array(capacity);
    typeIds.set(index.types.subarray(0, start));
    index.times = times;
    index.types = typeIds;
  }
  const times = index.times;
  const typeIds = index.types;
  let previous = start > 0 ? times[start - 1]! : -Infinity;
  let firstEventTime = index.firstEventTime;
  // Streams repeat a type over and over: skip the map for a repeat of the last one.
  let lastName = '';
  let lastId = -1;
  for (let i = start; i < end; i++) {
    const item = items[i]!.item;
    const time = item.time > previous ? item.time : previous;
    previous = time;
    times[i] = time;
    const name = item.kind === 'event' ? item.type : NON_EVENT_KEYS[item.kind];
    if (name !== lastName || lastId < 0) {
      lastName = name;
      lastId = types.id(name);
    }
    typeIds[i] = lastId;
    if (firstEventTime === null && item.kind === 'event') firstEventTime = item.time;
  }
  index.length = end;
  index.items = items;
  index.firstEventTime = firstEventTime;
}

/**
 * Keeps each connection's LaneIndex up to date across redraws. Given the same array grown, or a
 * new array that starts with the items indexed before (a re-filtered copy while events stream
 * in), only the new items are indexed; anything else is indexed again from scratch.
 */
export class TimelineIndex {
  readonly types = new TypeTable();
  private readonly lanes = new Map<string, LaneIndex>();

  lane(id: string, items: readonly LoggedItem[]): LaneIndex {
    const known = this.lanes.get(id);
    if (known !== undefined && items.length >= known.length && isPrefix(known, items)) {
      if (items.length > known.length || items !== known.items) appendToLaneIndex(known, items, this.types);
      return known;
    }
    const built = buildLaneIndex(items, this.types);
    this.lanes.set(id, built);
    return built;
  }

  /** Forgets the lanes of connections not in `ids`. */
  retain(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const id of this.lanes.keys()) if (!keep.has(id)) this.lanes.delete(id);
  }
}

/** Whether the indexed items are the first items of `items` (the very same objects). */
function isPrefix(index: LaneIndex, items: readonly LoggedItem[]): boolean {
  const count = index.length;
  if (count === 0) return true;
  const old = index.items;
  // The same array, grown by appending (LogStore's per-connection arrays).
  if (items === old) return true;
  if (items[count - 1] !== old[count - 1] || items[0] !== old[0]) return false;
  for (let i = 1; i < count - 1; i++) if (items[i] !== old[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Buckets, gaps, time to first event, rate

/** Pixel column of a time (may be outside [0, width)). */
export function timeToX(time: number, window: TimeRange, width: number): number {
  return ((time - window.from) / (window.to - window.from)) * width;
}

export function xToTime(x: number, window: TimeRange, width: number): number {
  return window.from + (x / width) * (window.to - window.from);
}

/** The column a time in the window falls in: the last column holds `window.to` itself. */
function columnOf(time: number, from: number, scale: number, width: number): number {
  const column = Math.floor((time - from) * scale);
  return column >= width ? width - 1 : column;
}

export interface LaneBuckets {
  /** Items per pixel column. */
  counts: Uint32Array;
  /** The most frequent tick type (TypeTable id) per column, -1 for an empty column. */
  types: Int32Array;
  /** Largest count of a column. */
  max: number;
  /** Items inside the window. */
  total: number;
}

/**
 * Buckets the items of [window.from, window.to] into `width` columns. The dominant type of a
 * column is the most frequent one; on a tie, the one that reached that count first.
 */
export function bucketLane(index: LaneIndex, window: TimeRange, width: number, typeCount: number): LaneBuckets {
  const columns = Math.max(0, Math.floor(width));
  const counts = new Uint32Array(columns);
  const types = new Int32Array(columns).fill(-1);
  const span = window.to - window.from;
  if (columns === 0 || !(span > 0) || index.length === 0) return { counts, types, max: 0, total: 0 };
  const times = index.times;
  const typeIds = index.types;
  const start = lowerBound(times, index.length, window.from);
  const end = upperBound(times, index.length, window.to);
  const scale = columns / span;
  const perType = new Uint32Array(typeCount);
  const touched: number[] = [];
  let max = 0;
  let column = -1;
  let best = -1;
  let bestCount = 0;
  let count = 0;
  const flush = () => {
    counts[column] = count;
    types[column] = best;
    if (count > max) max = count;
    for (let i = 0; i < touched.length; i++) perType[touched[i]!] = 0;
    touched.length = 0;
  };
  // Times ascend, so each column's items are consecutive.
  for (let position = start; position < end; position++) {
    let at = Math.floor((times[position]! - window.from) * scale);
    if (at >= columns) at = columns - 1;
    if (at !== column) {
      if (column >= 0) flush();
      column = at;
      best = -1;
      bestCount = 0;
      count = 0;
    }
    const type = typeIds[position]!;
    const typeTotal = ++perType[type];
    if (typeTotal === 1) touched.push(type);
    if (typeTotal > bestCount) {
      bestCount = typeTotal;
      best = type;
    }
    count++;
  }
  if (column >= 0) flush();
  return { counts, types, max, total: end - start };
}

/**
 * The silences of a lane longer than `thresholdMs` that overlap the window (whole, not clipped):
 * from the connection's start to its first item, between consecutive items, and from its last item
 * to `end` (the connection's end, or "now" for one still open; omit to leave the tail out). With no
 * item at all, the silence runs from the start to `end`.
 */
export function laneGaps(
  index: LaneIndex,
  startTime: number,
  end: number | undefined,
  window: TimeRange,
  thresholdMs: number = DEFAULT_GAP_THRESHOLD_MS,
): TimeRange[] {
  const gaps: TimeRange[] = [];
  const consider = (from: number, to: number) => {
    if (to - from > thresholdMs && to >= window.from && from <= window.to) gaps.push({ from, to });
  };
  const times = index.times;
  const length = index.length;
  if (length === 0) {
    if (end !== undefined) consider(startTime, end);
    return gaps;
  }
  consider(startTime, times[0]!);
  // Pairs (i - 1, i) that can overlap the window: from the last item before it to the first after.
  const first = Math.max(1, lowerBound(times, length, window.from));
  const last = Math.min(length - 1, upperBound(times, length, window.to));
  for (let i = first; i <= last; i++) {
    // Inlined test first: this runs once per item in view.
    if (times[i]! - times[i - 1]! > thresholdMs) consider(times[i - 1]!, times[i]!);
  }
  if (end !== undefined) consider(times[length - 1]!, end);
  return gaps;
}

export interface RateSeries {
  /** Events per second, one value per pixel column. */
  perSecond: Float64Array;
  max: number;
  /** The length of the time each value was counted over, in ms. */
  windowMs: number;
}

/**
 * Events per second over the window, one value per column. A column wider than a second averages
 * over itself; a narrower one counts the second centred on it (so zooming in does not turn one
 * event into "1000/s"). Every item given counts (the caller chose what to show). O(lanes × width +
 * items in reach): two cursors sweep each lane once.
 */
export function rateSeries(indexes: readonly LaneIndex[], window: TimeRange, width: number): RateSeries {
  const columns = Math.max(0, Math.floor(width));
  const perSecond = new Float64Array(columns);
  const span = window.to - window.from;
  if (columns === 0 || !(span > 0)) return { perSecond, max: 0, windowMs: 0 };
  const columnMs = span / columns;
  const windowMs = Math.max(columnMs, 1000);
  // Column c counts [startOf(c), startOf(c) + windowMs): both ends grow with c, so two cursors
  // sweep each lane once.
  const startOf = (c: number) =>
    columnMs >= 1000 ? window.from + c * columnMs : window.from + (c + 0.5) * columnMs - windowMs / 2;
  const firstStart = startOf(0);
  const lastEnd = startOf(columns - 1) + windowMs;
  for (const index of indexes) {
    const times = index.times;
    const length = index.length;
    if (length === 0 || times[0]! >= lastEnd || times[length - 1]! < firstStart) continue;
    let low = lowerBound(times, length, firstStart);
    let high = low;
    for (let c = 0; c < columns; c++) {
      const start = startOf(c);
      const end = start + windowMs;
      while (low < length && times[low]! < start) low++;
      if (high < low) high = low;
      while (high < length && times[high]! < end) high++;
      perSecond[c] += high - low;
    }
  }
  let max = 0;
  const seconds = windowMs / 1000;
  for (let c = 0; c < columns; c++) {
    const rate = perSecond[c]! / seconds;
    perSecond[c] = rate;
    if (rate > max) max = rate;
  }
  return { perSecond, max, windowMs };
}

// ---------------------------------------------------------------------------------------------
// The whole model

/** "GET /stream?x=1": the method and the URL's path and query. */
export function laneLabel(connection: Connection): string {
  return `${connection.method} ${splitUrl(connection.url).path}`.trim();
}

/** When a connection's lane ends: its end, or for one still open, `now`. */
export function laneEnd(connection: Connection, now: number | undefined): number | undefined {
  if (connection.endTime !== undefined) return connection.endTime;
  if (connection.state === 'closed' || connection.state === 'error') return connection.lastTime;
  return now;
}

export interface TimelineLane {
  id: string;
  connection: Connection;
  label: string;
  index: LaneIndex;
  buckets: LaneBuckets;
  gaps: TimeRange[];
  /** Time of the first event (of the items given), or null. */
  firstEventTime: number | null;
  /** firstEventTime − connection.startTime, or null when no event. */
  timeToFirstEvent: number | null;
  /** Where the lane's line ends: the connection's end, or `now` while open. */
  end: number;
}

export interface TimelineModel {
  window: TimeRange;
  width: number;
  lanes: TimelineLane[];
  rate: RateSeries;
  /** Largest column count over all lanes. */
  maxCount: number;
  /** Items inside the window, all lanes. */
  visibleItems: number;
  /** Items given, all lanes. */
  totalItems: number;
  /** Tick type names by id (for the buckets' `types`). */
  typeNames: readonly string[];
}

export interface TimelineOptions {
  window: TimeRange;
  /** Pixel columns. */
  width: number;
  gapThresholdMs?: number;
  /** End of the lanes of connections still open (default: their last activity). */
  now?: number;
  /** Reuse across redraws so items are indexed only once; a fresh one per call otherwise. */
  index?: TimelineIndex;
}

export function buildTimeline(
  connections: readonly Connection[],
  itemsOf: (id: string) => readonly LoggedItem[],
  options: TimelineOptions,
): TimelineModel {
  const cache = options.index ?? new TimelineIndex();
  const { window, width } = options;
  const threshold = options.gapThresholdMs ?? DEFAULT_GAP_THRESHOLD_MS;
  const indexes = connections.map((connection) => cache.lane(connection.id, itemsOf(connection.id)));
  const typeCount = cache.types.names.length;
  let maxCount = 0;
  let visibleItems = 0;
  let totalItems = 0;
  const lanes = connections.map((connection, i): TimelineLane => {
    const index = indexes[i]!;
    const buckets = bucketLane(index, window, width, typeCount);
    maxCount = Math.max(maxCount, buckets.max);
    visibleItems += buckets.total;
    totalItems += index.length;
    const end = laneEnd(connection, options.now) ?? Math.max(connection.lastTime, lastTime(index));
    const firstEventTime = index.firstEventTime;
    return {
      id: connection.id,
      connection,
      label: laneLabel(connection),
      index,
      buckets,
      gaps: laneGaps(index, connection.startTime, end, window, threshold),
      firstEventTime,
      timeToFirstEvent: firstEventTime === null ? null : firstEventTime - connection.startTime,
      end,
    };
  });
  return {
    window,
    width,
    lanes,
    rate: rateSeries(indexes, window, width),
    maxCount,
    visibleItems,
    totalItems,
    typeNames: cache.types.names,
  };
}

function lastTime(index: LaneIndex): number {
  return index.length === 0 ? -Infinity : index.times[index.length - 1]!;
}

// ---------------------------------------------------------------------------------------------
// Hover

export interface TimelinePick {
  /** Lane number (0 = first connection). */
  lane: number;
  /** Position in the lane's index (= in the lane's items). */
  position: number;
  item: LoggedItem;
  /** Horizontal distance from the pointer to the tick, in px. */
  distance: number;
  /** Items in the tick's pixel column. */
  columnCount: number;
}

export interface PickGeometry {
  window: TimeRange;
  width: number;
  laneHeight: number;
  /** y of the top of lane 0 (negative once the lanes are scrolled). Default 0. */
  top?: number;
}

/**
 * The item nearest to the point (x, y), searched in the lane under y within `radius` px of x:
 * the tick the pointer is on. Null when no lane is there or no item close enough.
 */
export function pickEvent(
  lanes: readonly Pick<TimelineLane, 'index'>[],
  geometry: PickGeometry,
  x: number,
  y: number,
  radius = 4,
): TimelinePick | null {
  const { window, width, laneHeight } = geometry;
  const laneNumber = Math.floor((y - (geometry.top ?? 0)) / laneHeight);
  const lane = lanes[laneNumber];
  if (lane === undefined || width <= 0 || !(window.to > window.from)) return null;
  const { times, length } = lane.index;
  const time = xToTime(x, window, width);
  const position = nearestPosition(times, length, time);
  if (position < 0) return null;
  const tickTime = times[position]!;
  const scale = width / (window.to - window.from);
  if (tickTime < window.from || tickTime > window.to) return null;
  const tickX = (columnOf(tickTime, window.from, scale, width) + 0.5);
  const distance = Math.abs(tickX - x);
  if (distance > radius + 0.5) return null;
  // The other items of that column.
  const column = columnOf(tickTime, window.from, scale, width);
  const columnFrom = window.from + column / scale;
  const columnTo = column === width - 1 ? window.to : window.from + (column + 1) / scale;
  const first = lowerBound(times, length, columnFrom);
  const last = column === width - 1 ? upperBound(times, length, columnTo) : lowerBound(times, length, columnTo);
  return { lane: laneNumber, position, item: itemAt(lane.index, position), distance, columnCount: last - first };
}

/** The gap of a lane that contains `time`, if any. */
export function gapAt(gaps: readonly TimeRange[], time: number): TimeRange | null {
  for (const gap of gaps) if (time >= gap.from && time <= gap.to) return gap;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Zoom and pan

/**
 * Fits the window into `bounds`: no narrower than `minSpan`, no wider than the bounds, and inside
 * them (bounds narrower than `minSpan`: the window is centred on them).
 */
export function clampWindow(window: TimeRange, bounds: TimeRange, minSpan = MIN_SPAN_MS): TimeRange {
  const boundsSpan = bounds.to - bounds.from;
  if (boundsSpan <= minSpan) {
    const centre = (bounds.from + bounds.to) / 2;
    return { from: centre - minSpan / 2, to: centre + minSpan / 2 };
  }
  const span = Math.min(Math.max(window.to - window.from, minSpan), boundsSpan);
  const from = Math.min(Math.max(window.from, bounds.from), bounds.to - span);
  return { from, to: from + span };
}

/**
 * Zooms by `factor` (< 1 zooms in) keeping `anchorTime` at the same place on screen, then clamps
 * to `bounds`.
 */
export function zoomAt(
  window: TimeRange,
  anchorTime: number,
  factor: number,
  bounds: TimeRange,
  minSpan = MIN_SPAN_MS,
): TimeRange {
  const span = window.to - window.from;
  const boundsSpan = bounds.to - bounds.from;
  const nextSpan = Math.min(Math.max(span * factor, minSpan), Math.max(boundsSpan, minSpan));
  const ratio = span > 0 ? Math.min(Math.max((anchorTime - window.from) / span, 0), 1) : 0.5;
  const from = anchorTime - ratio * nextSpan;
  return clampWindow({ from, to: from + nextSpan }, bounds, minSpan);
}

/** Moves the window by `deltaMs` (positive: later), clamped to `bounds`. */
export function pan(window: TimeRange, deltaMs: number, bounds: TimeRange, minSpan = MIN_SPAN_MS): TimeRange {
  return clampWindow({ from: window.from + deltaMs, to: window.to + deltaMs }, bounds, minSpan);
}

/**
 * From the earliest connection start (or item) to the latest activity: an end, a last item, or
 * `now` for connections still open when given. Unpadded; null without connections.
 */
export function dataExtent(
  connections: readonly Connection[],
  itemsOf: (id: string) => readonly LoggedItem[],
  now?: number,
): TimeRange | null {
  let earliest = Infinity;
  let latest = -Infinity;
  for (const connection of connections) {
    const items = itemsOf(connection.id);
    earliest = Math.min(earliest, connection.startTime);
    latest = Math.max(latest, connection.lastTime, connection.startTime);
    if (connection.endTime !== undefined) latest = Math.max(latest, connection.endTime);
    else if (now !== undefined && connection.state !== 'closed' && connection.state !== 'error') latest = Math.max(latest, now);
    const first = items[0];
    const last = items[items.length - 1];
    if (first !== undefined) earliest = Math.min(earliest, first.item.time);
    if (last !== undefined) latest = Math.max(latest, last.item.time);
  }
  if (!Number.isFinite(earliest) || !Number.isFinite(latest)) return null;
  return { from: earliest, to: latest };
}

/** An extent padded by FIT_PADDING on each side, at least FIT_MIN_SPAN_MS wide. */
export function padExtent(extent: TimeRange): TimeRange {
  const span = Math.max(extent.to - extent.from, FIT_MIN_SPAN_MS);
  const padding = span * FIT_PADDING;
  return { from: extent.from - padding, to: extent.from + span + padding };
}

/** The window that shows everything: `dataExtent`, padded (`padExtent`). Null without connections. */
export function fitAll(
  connections: readonly Connection[],
  itemsOf: (id: string) => readonly LoggedItem[],
  now?: number,
): TimeRange | null {
  const extent = dataExtent(connections, itemsOf, now);
  return extent === null ? null : padExtent(extent);
}

// ---------------------------------------------------------------------------------------------
// Axis

/** Candidate tick steps, ms. */
const STEPS = [
  0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000,
  60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000,
  86_400_000,
];

export interface AxisTick {
  time: number;
  x: number;
  label: string;
}

/** The smallest step that leaves at least `minSpacing` px between ticks. */
export function tickStep(window: TimeRange, width: number, minSpacing = 90): number {
  const span = window.to - window.from;
  const wanted = (span / Math.max(width, 1)) * minSpacing;
  for (const step of STEPS) if (step >= wanted) return step;
  return Math.ceil(wanted / 86_400_000) * 86_400_000;
}

/**
 * Ticks on round local clock times ("12:34:56", "12:34:56.5", ...) at least `minSpacing` px apart.
 */
export function axisTicks(window: TimeRange, width: number, minSpacing = 90): AxisTick[] {
  if (!(window.to > window.from) || width <= 0) return [];
  const step = tickStep(window, width, minSpacing);
  // Round in local time (minutes and hours in zones off by 30/45 min included).
  const offset = -new Date(window.from).getTimezoneOffset() * 60_000;
  const ticks: AxisTick[] = [];
  const firstIndex = Math.ceil((window.from + offset) / step);
  for (let i = firstIndex; ; i++) {
    // i * step stays exact for integer steps; fractional steps are rounded to 1e-6 ms.
    const time = Math.round((i * step - offset) * 1e6) / 1e6;
    if (time > window.to) break;
    if (time < window.from) continue;
    ticks.push({ time, x: timeToX(time, window, width), label: formatTickLabel(time, step) });
    if (ticks.length > 1000) break;
  }
  return ticks;
}

/** A clock time with as many decimals of seconds as the step needs. */
export function formatTickLabel(time: number, stepMs: number): string {
  const decimals =
    stepMs >= 1000 && stepMs % 1000 === 0 ? 0 : stepMs >= 100 ? 1 : stepMs >= 10 ? 2 : stepMs >= 1 ? 3 : stepMs >= 0.1 ? 4 : 5;
  const units = 10 ** decimals;
  const total = Math.round((time / 1000) * units);
  const seconds = Math.floor(total / units);
  const date = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hm = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  if (stepMs >= 60_000 && stepMs % 60_000 === 0) return hm;
  const hms = `${hm}:${pad(date.getSeconds())}`;
  return decimals === 0 ? hms : `${hms}.${String(total - seconds * units).padStart(decimals, '0')}`;
}

/** "0.42 ms", "12.5 ms", "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 10) return `${Number(ms.toFixed(2))} ms`;
  if (ms < 100) return `${Number(ms.toFixed(1))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))} s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min`;
}
