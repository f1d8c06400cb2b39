/**
 * Per-lane index: a lane's item times and type ids copied once into typed arrays, ascending by
 * time, and kept up to date incrementally as items stream in (`TimelineIndex`), so a redraw costs
 * O(items in view + pixel width) with no allocation per item and a hover lookup is a binary search.
 */
import type { LoggedItem } from '../log-store';
import { NON_EVENT_KEYS } from './colors';

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
