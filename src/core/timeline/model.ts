/**
 * The whole model of one frame: a lane per connection (label, buckets, gaps, time to first event),
 * the rate strip and the axis, built from the lane indexes for a window and a width.
 */
import type { Connection } from '../log-store';
import type { LoggedItem } from '../log-store';
import { splitUrl } from '../format';
import { bucketLane, laneGaps, rateSeries, type LaneBuckets, type RateSeries } from './buckets';
import { TimelineIndex, type LaneIndex } from './lane-index';
import { DEFAULT_GAP_THRESHOLD_MS, type TimeRange } from './types';

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
