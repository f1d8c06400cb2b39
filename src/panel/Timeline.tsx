/**
 * The timeline: one swimlane per connection on a <canvas>, its items drawn as per-pixel buckets
 * coloured by event type (never a shape or a DOM node per event), silent gaps highlighted, the time
 * to first event, and an events/second strip under the time axis.
 *
 * Zoom: Ctrl/⌘+wheel, +/− (buttons or keys). Pan: wheel, dragging the lanes, ←/→. Brush: drag on
 * the axis/strip (a click there clears it), or "Filter to view"; Esc clears. Hover a tick for the
 * event; click it to select it.
 *
 * The window follows the data while it streams in: "fit" (the default, and after Fit) keeps
 * everything in view, and a window touching the latest data keeps its width and slides with it.
 * Drawing happens at most once per animation frame, from `core/timeline` (pure); page data only
 * ever reaches the DOM as text.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Connection, LoggedItem } from '../core/log-store';
import { clockTime, preview } from '../core/format';
import {
  DEFAULT_GAP_THRESHOLD_MS,
  TimelineIndex,
  axisTicks,
  buildTimeline,
  clampWindow,
  dataExtent,
  formatDuration,
  gapAt,
  laneLabel,
  padExtent,
  pan,
  pickEvent,
  tickType,
  timeToX,
  typeColor,
  xToTime,
  zoomAt,
  type TimeRange,
  type TimelineModel,
  type TimelineTheme,
} from '../core/timeline';
import { t } from './i18n';
import { itemText, itemTypeLabel } from './item-labels';

export const LANE_HEIGHT = 22;
const AXIS_HEIGHT = 18;
const STRIP_HEIGHT = 30;
export const HEADER_HEIGHT = AXIS_HEIGHT + STRIP_HEIGHT;
/** A press that moves less than this (px) is a click. */
const DRAG_THRESHOLD = 3;
/** Hover finds a tick within this many px of the pointer. */
const PICK_RADIUS = 4;
const KEY_PAN = 0.1;
const KEY_PAN_LARGE = 0.5;
const ZOOM_IN = 0.5;
const ZOOM_OUT = 2;
const WHEEL_ZOOM = 0.002;
const LEGEND_MAX = 8;

export interface TimelineProps {
  connections: Connection[];
  /** A connection's items to draw: already filtered, in time order. */
  itemsByConnection: (id: string) => LoggedItem[];
  /** The brush selection (the table's time filter), or null. */
  range: TimeRange | null;
  onBrush(range: TimeRange | null): void;
  /** A tick was clicked: its nearest item. */
  onSelectItem?(item: LoggedItem): void;
  theme: TimelineTheme;
  /** Silences longer than this are highlighted (default 5 s). */
  gapThresholdMs?: number;
}

/** How the window is chosen: everything, the latest `span` ms, or a fixed range. */
type View = { mode: 'fit' } | { mode: 'tail'; span: number } | { mode: 'fixed'; window: TimeRange };

type Hover =
  | { kind: 'item'; x: number; y: number; tickX: number; item: LoggedItem; connection: Connection; columnCount: number }
  | { kind: 'gap'; x: number; y: number; gap: TimeRange };

interface Drag {
  pointerId: number;
  startX: number;
  startWindow: TimeRange;
  moved: boolean;
}

interface BrushDrag {
  pointerId: number;
  startX: number;
  startTime: number;
  moved: boolean;
}

/** What a draw needs, refreshed on every render (the frame callback reads the latest). */
interface DrawState {
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

let nextInstance = 0;

export function Timeline({
  connections,
  itemsByConnection,
  range,
  onBrush,
  onSelectItem,
  theme,
  gapThresholdMs = DEFAULT_GAP_THRESHOLD_MS,
}: TimelineProps) {
  const root = useRef<HTMLDivElement>(null);
  const brushArea = useRef<HTMLDivElement>(null);
  const headerCanvas = useRef<HTMLCanvasElement>(null);
  const lanesScroller = useRef<HTMLDivElement>(null);
  const lanesCanvas = useRef<HTMLCanvasElement>(null);
  const [indexCache] = useState(() => new TimelineIndex());
  const index = useRef(indexCache);
  const model = useRef<TimelineModel | null>(null);
  const frame = useRef(0);
  const drag = useRef<Drag | null>(null);
  const brushDrag = useRef<BrushDrag | null>(null);
  const hintId = useMemo(() => `timeline-hint-${nextInstance++}`, []);

  const [view, setView] = useState<View>({ mode: 'fit' });
  const [width, setWidth] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const [pendingBrush, setPendingBrush] = useState<TimeRange | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);

  // Each connection's items, asked for once per render (the caller may filter on demand).
  const itemsById = new Map<string, LoggedItem[]>();
  let totalItems = 0;
  for (const connection of connections) {
    const items = itemsByConnection(connection.id);
    itemsById.set(connection.id, items);
    totalItems += items.length;
  }
  const itemsOf = (id: string) => itemsById.get(id) ?? [];
  // The data's extent; a connection still open runs to the latest activity seen on any of them.
  const extent = dataExtent(connections, itemsOf);
  const bounds = extent === null ? null : padExtent(extent);
  const visible = bounds === null ? null : windowOf(view, bounds);
  // Handlers run several times between renders (wheel): they chain from the latest window.
  const current = useRef<{ window: TimeRange | null; bounds: TimeRange | null }>({ window: visible, bounds });
  current.current = { window: visible, bounds };

  const lanes = connections.map((connection) => {
    const first = index.current.lane(connection.id, itemsOf(connection.id)).firstEventTime;
    return { connection, firstEventDelay: first === null ? null : first - connection.startTime };
  });

  const state = useRef<DrawState | null>(null);
  state.current = {
    connections,
    itemsOf,
    window: visible,
    width,
    viewportHeight,
    scrollTop,
    theme,
    gapThresholdMs,
    now: extent?.to,
  };

  // ---- measuring

  useLayoutEffect(() => {
    const area = brushArea.current;
    const scroller = lanesScroller.current;
    if (area === null || scroller === null) return;
    const measure = () => {
      setWidth(Math.max(0, Math.floor(area.getBoundingClientRect().width)));
      setViewportHeight(Math.max(0, Math.floor(scroller.getBoundingClientRect().height)));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(area);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, []);

  // ---- drawing: at most once per frame, whatever the number of renders

  const scheduleDraw = () => {
    if (frame.current !== 0) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const drawState = state.current;
      if (drawState !== null) model.current = draw(drawState, index.current, headerCanvas.current, lanesCanvas.current);
    });
  };
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  useEffect(scheduleDraw, [
    connections,
    itemsByConnection,
    totalItems,
    visible?.from,
    visible?.to,
    width,
    viewportHeight,
    scrollTop,
    theme,
    gapThresholdMs,
  ]);

  // Cleared log: start again from "everything".
  useEffect(() => {
    if (connections.length === 0) {
      setView({ mode: 'fit' });
      setHover(null);
    }
  }, [connections.length === 0]);

  // ---- view changes

  const commit = (next: TimeRange) => {
    const limits = current.current.bounds;
    if (limits === null) return;
    const clamped = clampWindow(next, limits);
    const span = clamped.to - clamped.from;
    const boundsSpan = limits.to - limits.from;
    // Epoch-ms times carry ~2e-4 ms of float rounding: a window clamped to the whole range must still count as "fit".
    const epsilon = boundsSpan * 1e-9 + Math.abs(limits.to) * Number.EPSILON * 8;
    current.current = { ...current.current, window: clamped };
    setHover(null);
    if (span >= boundsSpan - epsilon) setView({ mode: 'fit' });
    else if (clamped.to >= limits.to - epsilon) setView({ mode: 'tail', span });
    else setView({ mode: 'fixed', window: clamped });
  };

  const zoomBy = (factor: number, anchor?: number) => {
    const { window: now, bounds: limits } = current.current;
    if (now === null || limits === null) return;
    // Following the latest data: zoom around the right edge so it keeps following.
    const at = anchor ?? (view.mode === 'tail' ? now.to : (now.from + now.to) / 2);
    commit(zoomAt(now, at, factor, limits));
  };

  const panBy = (fraction: number) => {
    const { window: now, bounds: limits } = current.current;
    if (now === null || limits === null) return;
    commit(pan(now, (now.to - now.from) * fraction, limits));
  };

  const fit = () => {
    setView({ mode: 'fit' });
    setHover(null);
  };

  const toStart = () => {
    const { window: now, bounds: limits } = current.current;
    if (now === null || limits === null) return;
    commit({ from: limits.from, to: limits.from + (now.to - now.from) });
  };

  const toEnd = () => {
    const { window: now, bounds: limits } = current.current;
    if (now === null || limits === null) return;
    commit({ from: limits.to - (now.to - now.from), to: limits.to });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    let handled = true;
    switch (event.key) {
      case 'ArrowLeft':
        panBy(-(event.shiftKey ? KEY_PAN_LARGE : KEY_PAN));
        break;
      case 'ArrowRight':
        panBy(event.shiftKey ? KEY_PAN_LARGE : KEY_PAN);
        break;
      case '+':
      case '=':
        zoomBy(ZOOM_IN);
        break;
      case '-':
      case '_':
        zoomBy(ZOOM_OUT);
        break;
      case '0':
        fit();
        break;
      case 'Home':
        toStart();
        break;
      case 'End':
        toEnd();
        break;
      case 'ArrowUp':
      case 'ArrowDown': {
        const scroller = lanesScroller.current;
        // The lanes scroll by themselves when they have the focus.
        if (scroller === null || event.target === scroller) handled = false;
        else scroller.scrollTop += event.key === 'ArrowUp' ? -LANE_HEIGHT : LANE_HEIGHT;
        break;
      }
      case 'Escape':
        if (range !== null || pendingBrush !== null) {
          brushDrag.current = null;
          setPendingBrush(null);
          onBrush(null);
        } else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  };

  const onWheel = (event: WheelEvent) => {
    const { window: now, bounds: limits } = current.current;
    const element = event.currentTarget as HTMLElement;
    const plotWidth = widthOf(element, width);
    if (now === null || limits === null || plotWidth <= 0) return;
    event.preventDefault();
    const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? plotWidth : 1;
    const dx = (event.deltaX || 0) * unit;
    const dy = (event.deltaY || 0) * unit;
    if (event.ctrlKey || event.metaKey) {
      const anchor = xToTime(event.clientX - element.getBoundingClientRect().left, now, plotWidth);
      commit(zoomAt(now, anchor, Math.exp(dy * WHEEL_ZOOM), limits));
    } else {
      const delta = Math.abs(dx) > Math.abs(dy) ? dx : dy;
      commit(pan(now, (delta / plotWidth) * (now.to - now.from), limits));
    }
  };

  // ---- lanes: hover, drag to pan, click to select

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
    const hit = pickEvent(drawn.lanes, { window: drawn.window, width: drawn.width, laneHeight: LANE_HEIGHT, top: -scrollTop }, x, y, PICK_RADIUS);
    if (hit !== null) onSelectItem(hit.item);
  };

  // ---- brush: drag on the axis/strip

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

  // ---- render

  const shownBrush = pendingBrush ?? range;
  const totalHeight = connections.length * LANE_HEIGHT;
  const canvasHeight = viewportHeight > 0 ? Math.min(totalHeight, viewportHeight) : totalHeight;
  const overflowing = viewportHeight > 0 && totalHeight > viewportHeight + 1;
  const legend = useMemo(() => legendOf(connections), [connections, totalItems]);
  const ariaLabel =
    visible === null
      ? t('timelineCanvasLabel', [connections.length, totalItems, '—', '—'])
      : t('timelineCanvasLabel', [connections.length, totalItems, clockTime(visible.from), clockTime(visible.to)]);

  return (
    <div
      ref={root}
      class="timeline"
      role="region"
      aria-label={t('timelineLabel')}
      aria-describedby={hintId}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="timeline"
      data-window-from={visible === null ? undefined : String(visible.from)}
      data-window-to={visible === null ? undefined : String(visible.to)}
      data-brush-from={range === null ? undefined : String(range.from)}
      data-brush-to={range === null ? undefined : String(range.to)}
      data-view={view.mode}
      data-lanes={connections.length}
      data-items={totalItems}
      style={{ '--tl-lane-height': `${LANE_HEIGHT}px`, '--tl-header-height': `${HEADER_HEIGHT}px` } as JSX.CSSProperties}
    >
      <div class="tl-toolbar" role="toolbar" aria-label={t('timelineToolbar')}>
        <button
          type="button"
          class="tl-button"
          onClick={() => zoomBy(ZOOM_IN)}
          disabled={visible === null}
          aria-label={t('timelineZoomIn')}
          title={t('timelineZoomIn')}
          data-testid="timeline-zoom-in"
        >
          +
        </button>
        <button
          type="button"
          class="tl-button"
          onClick={() => zoomBy(ZOOM_OUT)}
          disabled={visible === null || view.mode === 'fit'}
          aria-label={t('timelineZoomOut')}
          title={t('timelineZoomOut')}
          data-testid="timeline-zoom-out"
        >
          −
        </button>
        <button type="button" class="tl-button" onClick={fit} disabled={visible === null} data-testid="timeline-fit">
          {t('timelineFit')}
        </button>
        <span class="tl-separator" />
        <button
          type="button"
          class="tl-button"
          onClick={() => visible !== null && onBrush({ ...visible })}
          disabled={visible === null}
          data-testid="timeline-brush-view"
        >
          {t('timelineBrushView')}
        </button>
        <button
          type="button"
          class="tl-button"
          onClick={() => onBrush(null)}
          disabled={range === null}
          data-testid="timeline-clear-brush"
        >
          {t('timelineClearBrush')}
        </button>
        <span class="tl-readout" data-testid="timeline-readout">
          {visible === null ? '' : t('timelineViewSpan', [formatDuration(visible.to - visible.from)])}
          {range === null
            ? ''
            : ` · ${t('timelineRangeReadout', [clockTime(range.from), clockTime(range.to), formatDuration(range.to - range.from)])}`}
        </span>
        <span class="tl-spacer" />
        <ul class="tl-legend" aria-label={t('timelineLegend')}>
          {legend.shown.map((type) => (
            <li key={type}>
              <span class="tl-swatch" style={{ background: typeColor(type, theme) }} />
              {type}
            </li>
          ))}
          {legend.more > 0 ? <li class="tl-legend-more">{t('timelineMoreTypes', [legend.more])}</li> : null}
        </ul>
      </div>
      <p class="tl-hint" id={hintId}>
        {t('timelineHint')}
      </p>
      <div class="tl-header">
        <div class="tl-corner">{t('timelineRate')}</div>
        <div
          ref={brushArea}
          class="tl-brush-area"
          data-testid="timeline-brush-area"
          onPointerDown={onBrushPointerDown}
          onPointerMove={onBrushPointerMove}
          onPointerUp={onBrushPointerUp}
          onPointerCancel={onBrushPointerCancel}
          onWheel={onWheel}
        >
          <canvas ref={headerCanvas} class="tl-header-canvas" aria-hidden="true" />
          <BrushOverlay range={shownBrush} window={visible} width={width} pending={pendingBrush !== null} />
        </div>
      </div>
      <div
        ref={lanesScroller}
        class="tl-lanes"
        // Keyboard users can scroll lanes that overflow (↑/↓ on the timeline work too).
        tabIndex={overflowing ? 0 : undefined}
        role={overflowing ? 'group' : undefined}
        aria-label={overflowing ? t('connections') : undefined}
        onScroll={(event) => setScrollTop((event.currentTarget as HTMLElement).scrollTop)}
      >
        <div class="tl-lanes-inner" style={{ height: `${totalHeight}px` }}>
          <ul class="tl-labels" aria-label={t('connections')}>
            {lanes.map(({ connection, firstEventDelay }) => (
              <LaneLabel key={connection.id} connection={connection} firstEventDelay={firstEventDelay} />
            ))}
          </ul>
          <div class="tl-plot" data-testid="timeline-lanes-plot">
            <canvas
              ref={lanesCanvas}
              class="tl-lanes-canvas"
              role="img"
              aria-label={ariaLabel}
              data-testid="timeline-canvas"
              style={{ height: `${canvasHeight}px` }}
              onPointerDown={onLanesPointerDown}
              onPointerMove={onLanesPointerMove}
              onPointerUp={onLanesPointerUp}
              onPointerCancel={() => (drag.current = null)}
              onPointerLeave={() => setHover(null)}
              onWheel={onWheel}
            />
            <BrushOverlay range={shownBrush} window={visible} width={width} pending={pendingBrush !== null} />
            {hover?.kind === 'item' ? (
              <div class="tl-cursor" style={{ left: `${hover.tickX}px` }} aria-hidden="true" />
            ) : null}
          </div>
        </div>
      </div>
      {hover !== null ? <Tooltip hover={hover} theme={theme} /> : null}
    </div>
  );
}

function LaneLabel({ connection, firstEventDelay }: { connection: Connection; firstEventDelay: number | null }) {
  const label = laneLabel(connection);
  const firstEvent =
    firstEventDelay === null ? t('timelineNoEvent') : t('timelineFirstEvent', [formatDuration(Math.max(0, firstEventDelay))]);
  return (
    <li class="tl-lane-label" title={`${connection.method} ${connection.url}\n${firstEvent}`} data-connection-id={connection.id}>
      <span class="tl-lane-name">{label}</span>
      <span class="tl-ttfe" data-testid="timeline-ttfe">
        {firstEvent}
      </span>
    </li>
  );
}

function BrushOverlay({
  range,
  window,
  width,
  pending,
}: {
  range: TimeRange | null;
  window: TimeRange | null;
  width: number;
  pending: boolean;
}) {
  if (range === null || window === null || width <= 0) return null;
  const left = Math.max(0, timeToX(range.from, window, width));
  const right = Math.min(width, timeToX(range.to, window, width));
  if (right < 0 || left > width) return null;
  return (
    <div
      class={`tl-brush${pending ? ' pending' : ''}`}
      style={{ left: `${left}px`, width: `${Math.max(1, right - left)}px` }}
      aria-hidden="true"
    />
  );
}

function Tooltip({ hover, theme }: { hover: Hover; theme: TimelineTheme }) {
  const style = { left: `${hover.x}px`, top: `${hover.y}px` };
  if (hover.kind === 'gap') {
    return (
      <div class="tl-tooltip" role="tooltip" data-testid="timeline-tooltip" style={style}>
        <div class="tl-tooltip-title">{t('timelineGapTooltip', [formatDuration(hover.gap.to - hover.gap.from)])}</div>
        <div class="tl-tooltip-dim">{`${clockTime(hover.gap.from)} – ${clockTime(hover.gap.to)}`}</div>
      </div>
    );
  }
  const item = hover.item.item;
  return (
    <div class="tl-tooltip" role="tooltip" data-testid="timeline-tooltip" style={style}>
      <div class="tl-tooltip-title">
        <span class="tl-swatch" style={{ background: typeColor(tickType(item), theme) }} />
        {itemTypeLabel(item)}
      </div>
      <dl>
        {item.kind === 'event' && item.lastEventId !== '' ? (
          <>
            <dt>{t('colId')}</dt>
            <dd>{item.lastEventId}</dd>
          </>
        ) : null}
        <dt>{t('colTime')}</dt>
        <dd>
          {`${clockTime(item.time)} (${t('timelineSinceOpen', [formatDuration(Math.max(0, item.time - hover.connection.startTime))])})`}
        </dd>
        <dt>{t('colData')}</dt>
        <dd class="tl-tooltip-data">{preview(itemText(item), 200)}</dd>
      </dl>
      {hover.columnCount > 1 ? <div class="tl-tooltip-dim">{t('timelineMoreHere', [hover.columnCount - 1])}</div> : null}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// helpers

function windowOf(view: View, bounds: TimeRange): TimeRange {
  switch (view.mode) {
    case 'fit':
      return bounds;
    case 'tail':
      return clampWindow({ from: bounds.to - view.span, to: bounds.to }, bounds);
    case 'fixed':
      return clampWindow(view.window, bounds);
  }
}

function ordered(a: number, b: number): TimeRange {
  return a <= b ? { from: a, to: b } : { from: b, to: a };
}

function widthOf(element: HTMLElement, fallback: number): number {
  return element.getBoundingClientRect().width || fallback;
}

function capture(event: PointerEvent): void {
  try {
    (event.currentTarget as Element).setPointerCapture(event.pointerId);
  } catch {
    // Not an active pointer (synthetic events): dragging still works inside the element.
  }
}

/** Where the tooltip goes, relative to the timeline, kept inside it. */
function tooltipPosition(event: PointerEvent, container: HTMLElement | null): { x: number; y: number } {
  if (container === null) return { x: 0, y: 0 };
  const rect = container.getBoundingClientRect();
  const x = event.clientX - rect.left + 12;
  const y = event.clientY - rect.top + 14;
  const maxX = rect.width - 280;
  return { x: maxX > 0 && x > maxX ? Math.max(0, event.clientX - rect.left - 292) : x, y };
}

/** The most frequent event types over all connections, for the legend. */
function legendOf(connections: readonly Connection[]): { shown: string[]; more: number } {
  const totals = new Map<string, number>();
  for (const connection of connections) {
    for (const [type, count] of connection.eventTypes) totals.set(type, (totals.get(type) ?? 0) + count);
  }
  const sorted = [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([type]) => type);
  return { shown: sorted.slice(0, LEGEND_MAX), more: Math.max(0, sorted.length - LEGEND_MAX) };
}

function formatRate(perSecond: number): string {
  return perSecond >= 10 ? String(Math.round(perSecond)) : String(Number(perSecond.toFixed(1)));
}

// ---------------------------------------------------------------------------------------------
// canvas

interface Palette {
  bg: string;
  bgAlt: string;
  border: string;
  fg: string;
  fgDim: string;
  accent: string;
  warnBg: string;
  warnFg: string;
  font: string;
}

const FALLBACK: Record<TimelineTheme, Omit<Palette, 'font'>> = {
  light: {
    bg: '#ffffff',
    bgAlt: '#f8f9fa',
    border: '#dadce0',
    fg: '#202124',
    fgDim: '#5f6368',
    accent: '#1a73e8',
    warnBg: '#fffbe5',
    warnFg: '#5c3c00',
  },
  dark: {
    bg: '#202124',
    bgAlt: '#292a2d',
    border: '#3c4043',
    fg: '#e8eaed',
    fgDim: '#9aa0a6',
    accent: '#8ab4f8',
    warnBg: '#413500',
    warnFg: '#fdd663',
  },
};

function palette(element: Element, theme: TimelineTheme): Palette {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const base = FALLBACK[theme];
  return {
    bg: read('--bg', base.bg),
    bgAlt: read('--bg-alt', base.bgAlt),
    border: read('--border', base.border),
    fg: read('--fg', base.fg),
    fgDim: read('--fg-dim', base.fgDim),
    accent: read('--accent', base.accent),
    warnBg: read('--warn-bg', base.warnBg),
    warnFg: read('--warn-fg', base.warnFg),
    font: `10px ${read('--ui', 'system-ui, sans-serif')}`,
  };
}

/** Sizes the canvas's backing store for the device pixel ratio; null without a 2D context. */
function prepare(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): CanvasRenderingContext2D | null {
  const ratio = globalThis.devicePixelRatio || 1;
  const pixelWidth = Math.max(1, Math.round(cssWidth * ratio));
  const pixelHeight = Math.max(1, Math.round(cssHeight * ratio));
  if (canvas.width !== pixelWidth) canvas.width = pixelWidth;
  if (canvas.height !== pixelHeight) canvas.height = pixelHeight;
  canvas.style.width = `${cssWidth}px`;
  let context: CanvasRenderingContext2D | null = null;
  try {
    context = canvas.getContext('2d');
  } catch {
    context = null;
  }
  if (context === null) return null;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, cssWidth, cssHeight);
  return context;
}

/** Computes the model for the current window and paints both canvases (when they can be). */
function draw(
  state: DrawState,
  index: TimelineIndex,
  header: HTMLCanvasElement | null,
  lanes: HTMLCanvasElement | null,
): TimelineModel | null {
  const { window, width, connections } = state;
  index.retain(connections.map((connection) => connection.id));
  if (window === null || width <= 0) return null;
  const model = buildTimeline(connections, state.itemsOf, {
    window,
    width,
    gapThresholdMs: state.gapThresholdMs,
    now: state.now,
    index,
  });
  const colors = palette(header ?? lanes ?? document.documentElement, state.theme);
  if (header !== null) {
    const context = prepare(header, width, HEADER_HEIGHT);
    if (context !== null) paintHeader(context, model, colors);
  }
  if (lanes !== null) {
    const totalHeight = connections.length * LANE_HEIGHT;
    const height = state.viewportHeight > 0 ? Math.min(totalHeight, state.viewportHeight) : totalHeight;
    const context = height > 0 ? prepare(lanes, width, height) : null;
    if (context !== null) paintLanes(context, model, colors, state.theme, state.scrollTop, height);
  }
  return model;
}

function paintHeader(context: CanvasRenderingContext2D, model: TimelineModel, colors: Palette): void {
  const { width, window, rate } = model;
  context.fillStyle = colors.bgAlt;
  context.fillRect(0, 0, width, HEADER_HEIGHT);
  context.font = colors.font;
  context.textBaseline = 'alphabetic';

  // Axis: tick marks, labels and faint grid lines through the strip.
  const ticks = axisTicks(window, width, 90);
  context.fillStyle = colors.fgDim;
  for (const tick of ticks) {
    const x = Math.round(tick.x);
    context.fillRect(x, AXIS_HEIGHT - 5, 1, 5);
    // A label that would be cut at the right edge is left out (its tick stays).
    if (x + 3 + context.measureText(tick.label).width <= width) context.fillText(tick.label, x + 3, AXIS_HEIGHT - 6);
  }
  context.fillStyle = colors.border;
  context.fillRect(0, AXIS_HEIGHT - 1, width, 1);
  for (const tick of ticks) context.fillRect(Math.round(tick.x), AXIS_HEIGHT, 1, STRIP_HEIGHT);

  // Events/second: one bar per pixel column.
  if (rate.max > 0) {
    const usable = STRIP_HEIGHT - 6;
    context.beginPath();
    for (let x = 0; x < width; x++) {
      const value = rate.perSecond[x]!;
      if (value <= 0) continue;
      const height = Math.max(1, (value / rate.max) * usable);
      context.rect(x, HEADER_HEIGHT - height, 1, height);
    }
    context.globalAlpha = 0.6;
    context.fillStyle = colors.accent;
    context.fill();
    context.globalAlpha = 1;
    const peak = t('timelineRatePeak', [formatRate(rate.max)]);
    context.fillStyle = colors.bgAlt;
    context.globalAlpha = 0.85;
    context.fillRect(2, AXIS_HEIGHT + 2, context.measureText(peak).width + 4, 12);
    context.globalAlpha = 1;
    context.fillStyle = colors.fgDim;
    context.fillText(peak, 4, AXIS_HEIGHT + 11);
  }
}

function paintLanes(
  context: CanvasRenderingContext2D,
  model: TimelineModel,
  colors: Palette,
  theme: TimelineTheme,
  scrollTop: number,
  height: number,
): void {
  const { width, window, lanes, maxCount, typeNames } = model;
  const x = (time: number) => timeToX(time, window, width);
  const first = Math.max(0, Math.floor(scrollTop / LANE_HEIGHT));
  const last = Math.min(lanes.length, Math.ceil((scrollTop + height) / LANE_HEIGHT));
  context.font = colors.font;
  context.textBaseline = 'middle';
  context.textAlign = 'center';
  // Ticks are gathered per type and filled once per colour.
  const byType = new Map<number, number[]>();
  const logMax = Math.log1p(Math.max(1, maxCount));
  const tallest = LANE_HEIGHT - 6;

  for (let i = first; i < last; i++) {
    const lane = lanes[i]!;
    const top = i * LANE_HEIGHT - scrollTop;
    const middle = top + LANE_HEIGHT / 2;
    if (i % 2 === 1) {
      context.fillStyle = colors.bgAlt;
      context.fillRect(0, top, width, LANE_HEIGHT);
    }
    context.fillStyle = colors.border;
    context.fillRect(0, top + LANE_HEIGHT - 1, width, 1);

    // The connection's life: a faint line from its start to its end, a mark at the start.
    const start = x(lane.connection.startTime);
    const end = x(lane.end);
    if (end >= 0 && start <= width) {
      context.fillStyle = colors.fgDim;
      context.globalAlpha = 0.35;
      context.fillRect(Math.max(0, start), Math.round(middle), Math.min(width, end) - Math.max(0, start), 1);
      context.globalAlpha = 1;
      if (start >= 0 && start <= width) context.fillRect(Math.round(start), top + 4, 1, LANE_HEIGHT - 8);
    }

    // Gaps: shaded, with their length when there is room.
    for (const gap of lane.gaps) {
      const left = Math.max(0, x(gap.from));
      const right = Math.min(width, x(gap.to));
      if (right - left < 0.5) continue;
      context.fillStyle = colors.warnBg;
      context.fillRect(left, top + 2, right - left, LANE_HEIGHT - 4);
      context.fillStyle = colors.warnFg;
      context.globalAlpha = 0.6;
      context.fillRect(left, top + 2, right - left, 1);
      context.fillRect(left, top + LANE_HEIGHT - 3, right - left, 1);
      context.globalAlpha = 1;
      const label = formatDuration(gap.to - gap.from);
      if (right - left > context.measureText(label).width + 10) context.fillText(label, (left + right) / 2, middle);
    }

    // Time to first event: a dashed accent line from the start to the first event.
    if (lane.firstEventTime !== null) {
      const to = x(lane.firstEventTime);
      if (to >= 0 && start <= width && to - start >= 2) {
        context.strokeStyle = colors.accent;
        context.lineWidth = 1;
        context.setLineDash([3, 2]);
        context.beginPath();
        context.moveTo(Math.max(0, start), top + LANE_HEIGHT - 4.5);
        context.lineTo(Math.min(width, to), top + LANE_HEIGHT - 4.5);
        context.stroke();
        context.setLineDash([]);
      }
    }

    const { counts, types } = lane.buckets;
    for (let column = 0; column < counts.length; column++) {
      const count = counts[column]!;
      if (count === 0) continue;
      const tall = tallest * (0.45 + (0.55 * Math.log1p(count)) / logMax);
      let rects = byType.get(types[column]!);
      if (rects === undefined) byType.set(types[column]!, (rects = []));
      rects.push(column, middle - tall / 2, tall);
    }
  }

  for (const [type, rects] of byType) {
    context.fillStyle = typeColor(typeNames[type] ?? '', theme);
    context.beginPath();
    for (let i = 0; i < rects.length; i += 3) context.rect(rects[i]!, rects[i + 1]!, 1, rects[i + 2]!);
    context.fill();
  }
  context.textAlign = 'start';
  context.textBaseline = 'alphabetic';
}
