/**
 * Hover: which event (or gap) is under the pointer, found by binary search in the lane's index.
 */
import type { LoggedItem } from '../log-store';
import { columnOf, xToTime } from './buckets';
import { itemAt, lowerBound, nearestPosition, upperBound } from './lane-index';
import type { TimelineLane } from './model';
import type { TimeRange } from './types';

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
  const tickX = columnOf(tickTime, window.from, scale, width) + 0.5;
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
