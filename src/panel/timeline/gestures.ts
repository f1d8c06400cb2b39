/**
 * The timeline's pointer gestures: hovering the lanes shows the event or gap under the pointer,
 * dragging them pans, a click selects the nearest tick; dragging on the axis/strip brushes a time
 * range (a click there clears it). Handlers are made on every render from the latest state.
 */
import type { MutableRef, StateUpdater, Dispatch } from 'preact/hooks';
import type { LoggedItem } from '../../core/log-store';
import { gapAt, pan, pickEvent, timeToX, xToTime, type TimeRange, type TimelineModel } from '../../core/timeline';
import {
  capture,
  DRAG_THRESHOLD,
  LANE_HEIGHT,
  ordered,
  PICK_RADIUS,
  tooltipPosition,
  type BrushDrag,
  type Drag,
  type Hover,
} from './view';

export interface GestureContext {
  /** The model last drawn (what is under the pointer). */
  model: MutableRef<TimelineModel | null>;
  root: MutableRef<HTMLDivElement | null>;
  drag: MutableRef<Drag | null>;
  brushDrag: MutableRef<BrushDrag | null>;
  /** The latest window and bounds (handlers may run several times between renders). */
  current: MutableRef<{ window: TimeRange | null; bounds: TimeRange | null }>;
  visible: TimeRange | null;
  width: number;
  scrollTop: number;
  range: TimeRange | null;
  commit(window: TimeRange): void;
  setHover: Dispatch<StateUpdater<Hover | null>>;
  setPendingBrush: Dispatch<StateUpdater<TimeRange | null>>;
  onBrush(range: TimeRange | null): void;
  onSelectItem?(item: LoggedItem): void;
}

export function timelineGestures(context: GestureContext) {
  const {
    model,
    root,
    drag,
    brushDrag,
    current,
    visible,
    width,
    scrollTop,
    range,
    commit,
    setHover,
    setPendingBrush,
    onBrush,
    onSelectItem,
  } = context;

  const pointInLanes = (event: PointerEvent) => {
    const canvas = event.currentTarget as HTMLElement;
    const rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top, plotWidth: rect.width || width };
  };

  const hoverAt = (event: PointerEvent) => {
    const drawn = model.current;
    const { x, y, plotWidth } = pointInLanes(event);
    if (drawn === null || plotWidth <= 0) return setHover(null);
    const geometry = { window: drawn.window, width: drawn.width, laneHeight: LANE_HEIGHT, top: -scrollTop };
    const position = tooltipPosition(event, root.current);
    const hit = pickEvent(drawn.lanes, geometry, x, y, PICK_RADIUS);
    if (hit !== null) {
      const tickX = timeToX(hit.item.item.time, drawn.window, drawn.width);
      return setHover({
        kind: 'item',
        ...position,
        tickX,
        item: hit.item,
        connection: drawn.lanes[hit.lane]!.connection,
        columnCount: hit.columnCount,
      });
    }
    const lane = drawn.lanes[Math.floor((y + scrollTop) / LANE_HEIGHT)];
    const gap = lane === undefined ? null : gapAt(lane.gaps, xToTime(x, drawn.window, drawn.width));
    setHover(gap === null ? null : { kind: 'gap', ...position, gap });
  };

  const onLanesPointerDown = (event: PointerEvent) => {
    if (event.button !== 0 || visible === null) return;
    drag.current = { pointerId: event.pointerId, startX: event.clientX, startWindow: visible, moved: false };
    capture(event);
  };

  const onLanesPointerMove = (event: PointerEvent) => {
    const dragging = drag.current;
    if (dragging === null || dragging.pointerId !== event.pointerId) return hoverAt(event);
    const dx = event.clientX - dragging.startX;
    if (!dragging.moved && Math.abs(dx) < DRAG_THRESHOLD) return;
    dragging.moved = true;
    const limits = current.current.bounds;
    const plotWidth = pointInLanes(event).plotWidth;
    if (limits === null || plotWidth <= 0) return;
    const span = dragging.startWindow.to - dragging.startWindow.from;
    commit(pan(dragging.startWindow, (-dx / plotWidth) * span, limits));
  };

  const onLanesPointerUp = (event: PointerEvent) => {
    const dragging = drag.current;
    if (dragging === null || dragging.pointerId !== event.pointerId) return;
    drag.current = null;
    if (dragging.moved || onSelectItem === undefined) return;
    const drawn = model.current;
    const { x, y } = pointInLanes(event);
    if (drawn === null) return;
    const hit = pickEvent(
      drawn.lanes,
      { window: drawn.window, width: drawn.width, laneHeight: LANE_HEIGHT, top: -scrollTop },
      x,
      y,
      PICK_RADIUS,
    );
    if (hit !== null) onSelectItem(hit.item);
  };

  // Brush: drag on the axis/strip.

  const brushTime = (event: PointerEvent) => {
    const element = event.currentTarget as HTMLElement;
    const rect = element.getBoundingClientRect();
    const plotWidth = rect.width || width;
    const now = current.current.window;
    if (now === null || plotWidth <= 0) return null;
    const x = Math.min(Math.max(event.clientX - rect.left, 0), plotWidth);
    return xToTime(x, now, plotWidth);
  };

  const onBrushPointerDown = (event: PointerEvent) => {
    if (event.button !== 0) return;
    const time = brushTime(event);
    if (time === null) return;
    brushDrag.current = { pointerId: event.pointerId, startX: event.clientX, startTime: time, moved: false };
    capture(event);
  };

  const onBrushPointerMove = (event: PointerEvent) => {
    const brushing = brushDrag.current;
    if (brushing === null || brushing.pointerId !== event.pointerId) return;
    if (!brushing.moved && Math.abs(event.clientX - brushing.startX) < DRAG_THRESHOLD) return;
    brushing.moved = true;
    const time = brushTime(event);
    if (time !== null) setPendingBrush(ordered(brushing.startTime, time));
  };

  const onBrushPointerUp = (event: PointerEvent) => {
    const brushing = brushDrag.current;
    if (brushing === null || brushing.pointerId !== event.pointerId) return;
    brushDrag.current = null;
    setPendingBrush(null);
    if (!brushing.moved) {
      // A click on the axis clears the selection.
      if (range !== null) onBrush(null);
      return;
    }
    const time = brushTime(event);
    const selected = ordered(brushing.startTime, time ?? brushing.startTime);
    onBrush(selected.to > selected.from ? selected : null);
  };

  const onBrushPointerCancel = () => {
    brushDrag.current = null;
    setPendingBrush(null);
  };
  return {
    onLanesPointerDown,
    onLanesPointerMove,
    onLanesPointerUp,
    onBrushPointerDown,
    onBrushPointerMove,
    onBrushPointerUp,
    onBrushPointerCancel,
  };
}
