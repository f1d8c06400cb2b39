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
import type { Connection, LoggedItem } from '../../core/log-store';
import { clockTime } from '../../core/format';
import {
  DEFAULT_GAP_THRESHOLD_MS,
  TimelineIndex,
  clampWindow,
  dataExtent,
  padExtent,
  pan,
  xToTime,
  zoomAt,
  type TimeRange,
  type TimelineModel,
  type TimelineTheme,
} from '../../core/timeline';
import { t } from '../i18n';
import { BrushOverlay, LaneLabel, Tooltip } from './parts';
import { draw } from './paint';
import { TimelineToolbar } from './TimelineToolbar';
import { timelineGestures } from './gestures';
import {
  HEADER_HEIGHT,
  KEY_PAN,
  KEY_PAN_LARGE,
  LANE_HEIGHT,
  legendOf,
  WHEEL_ZOOM,
  widthOf,
  windowOf,
  ZOOM_IN,
  ZOOM_OUT,
  type BrushDrag,
  type DrawState,
  type Drag,
  type Hover,
  type View,
} from './view';

export { HEADER_HEIGHT, LANE_HEIGHT };

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
  const empty = connections.length === 0;
  useEffect(() => {
    if (empty) {
      setView({ mode: 'fit' });
      setHover(null);
    }
  }, [empty]);

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

  // ---- pointer: hover, drag the lanes to pan, click a tick, brush on the axis (gestures.ts)

  const {
    onLanesPointerDown,
    onLanesPointerMove,
    onLanesPointerUp,
    onBrushPointerDown,
    onBrushPointerMove,
    onBrushPointerUp,
    onBrushPointerCancel,
  } = timelineGestures({
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
  });

  // ---- render

  const shownBrush = pendingBrush ?? range;
  const totalHeight = connections.length * LANE_HEIGHT;
  const canvasHeight = viewportHeight > 0 ? Math.min(totalHeight, viewportHeight) : totalHeight;
  const overflowing = viewportHeight > 0 && totalHeight > viewportHeight + 1;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- connections' type counts grow in place: the item total says when
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
      <TimelineToolbar
        visible={visible}
        view={view.mode}
        range={range}
        legend={legend}
        theme={theme}
        onZoomIn={() => zoomBy(ZOOM_IN)}
        onZoomOut={() => zoomBy(ZOOM_OUT)}
        onFit={fit}
        onBrush={onBrush}
      />
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
            {hover?.kind === 'item' ? <div class="tl-cursor" style={{ left: `${hover.tickX}px` }} aria-hidden="true" /> : null}
          </div>
        </div>
      </div>
      {hover !== null ? <Tooltip hover={hover} theme={theme} /> : null}
    </div>
  );
}
