/**
 * The timeline view's constants, state shapes and small helpers: lane and header sizes, how the
 * window is chosen (fit, tail, fixed), hover and drag records, and the legend.
 */
import type { Connection, LoggedItem } from '../../core/log-store';
import { clampWindow, type TimeRange, type TimelineTheme } from '../../core/timeline';

export const LANE_HEIGHT = 22;
export const AXIS_HEIGHT = 18;
export const STRIP_HEIGHT = 30;
export const HEADER_HEIGHT = AXIS_HEIGHT + STRIP_HEIGHT;
/** A press that moves less than this (px) is a click. */
export const DRAG_THRESHOLD = 3;
/** Hover finds a tick within this many px of the pointer. */
export const PICK_RADIUS = 4;
export const KEY_PAN = 0.1;
export const KEY_PAN_LARGE = 0.5;
export const ZOOM_IN = 0.5;
export const ZOOM_OUT = 2;
export const WHEEL_ZOOM = 0.002;
export const LEGEND_MAX = 8;

export type View = { mode: 'fit' } | { mode: 'tail'; span: number } | { mode: 'fixed'; window: TimeRange };

export type Hover =
  | { kind: 'item'; x: number; y: number; tickX: number; item: LoggedItem; connection: Connection; columnCount: number }
  | { kind: 'gap'; x: number; y: number; gap: TimeRange };

export interface Drag {
  pointerId: number;
  startX: number;
  startWindow: TimeRange;
  moved: boolean;
}

export interface BrushDrag {
  pointerId: number;
  startX: number;
  startTime: number;
  moved: boolean;
}

/** What a draw needs, refreshed on every render (the frame callback reads the latest). */
export interface DrawState {
  connections: Connection[];
  itemsOf: (id: string) => LoggedItem[];
  window: TimeRange | null;
  width: number;
  viewportHeight: number;
  scrollTop: number;
  theme: TimelineTheme;
  gapThresholdMs: number;
  now: number | undefined;
}

export function windowOf(view: View, bounds: TimeRange): TimeRange {
  switch (view.mode) {
    case 'fit':
      return bounds;
    case 'tail':
      return clampWindow({ from: bounds.to - view.span, to: bounds.to }, bounds);
    case 'fixed':
      return clampWindow(view.window, bounds);
  }
}

export function ordered(a: number, b: number): TimeRange {
  return a <= b ? { from: a, to: b } : { from: b, to: a };
}

export function widthOf(element: HTMLElement, fallback: number): number {
  return element.getBoundingClientRect().width || fallback;
}

export function capture(event: PointerEvent): void {
  try {
    (event.currentTarget as Element).setPointerCapture(event.pointerId);
  } catch {
    // Not an active pointer (synthetic events): dragging still works inside the element.
  }
}

/** Where the tooltip goes, relative to the timeline, kept inside it. */
export function tooltipPosition(event: PointerEvent, container: HTMLElement | null): { x: number; y: number } {
  if (container === null) return { x: 0, y: 0 };
  const rect = container.getBoundingClientRect();
  const x = event.clientX - rect.left + 12;
  const y = event.clientY - rect.top + 14;
  const maxX = rect.width - 280;
  return { x: maxX > 0 && x > maxX ? Math.max(0, event.clientX - rect.left - 292) : x, y };
}

/** The most frequent event types over all connections, for the legend. */
export function legendOf(connections: readonly Connection[]): { shown: string[]; more: number } {
  const totals = new Map<string, number>();
  for (const connection of connections) {
    for (const [type, count] of connection.eventTypes) totals.set(type, (totals.get(type) ?? 0) + count);
  }
  const sorted = [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([type]) => type);
  return { shown: sorted.slice(0, LEGEND_MAX), more: Math.max(0, sorted.length - LEGEND_MAX) };
}

export function formatRate(perSecond: number): string {
  return perSecond >= 10 ? String(Math.round(perSecond)) : String(Number(perSecond.toFixed(1)));
}
