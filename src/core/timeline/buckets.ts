/**
 * What a lane shows at a given window and width: its items bucketed into pixel columns, the silent
 * gaps, and the events/second series of the strip above the lanes; and the time ↔ x mapping.
 */
import { lowerBound, upperBound, type LaneIndex } from './lane-index';
import { DEFAULT_GAP_THRESHOLD_MS, type TimeRange } from './types';

/** Pixel column of a time (may be outside [0, width)). */
export function timeToX(time: number, window: TimeRange, width: number): number {
  return ((time - window.from) / (window.to - window.from)) * width;
}

export function xToTime(x: number, window: TimeRange, width: number): number {
  return window.from + (x / width) * (window.to - window.from);
}

/** The column a time in the window falls in: the last column holds `window.to` itself. */
export function columnOf(time: number, from: number, scale: number, width: number): number {
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
