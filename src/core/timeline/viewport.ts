/**
 * Zoom and pan: the visible window kept inside the data's bounds and above a minimum span, zoomed
 * about a point, panned, and fitted to the data.
 */
import type { Connection, LoggedItem } from '../log-store';
import { FIT_MIN_SPAN_MS, FIT_PADDING, MIN_SPAN_MS, type TimeRange } from './types';

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
