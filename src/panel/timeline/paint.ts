/**
 * Painting the timeline on its two canvases (the axis and rate strip, and the lanes) from the pure
 * model of `core/timeline`: colours from the panel's CSS variables, one rectangle per pixel column,
 * never one per event. `draw` builds the model for the current state and paints it.
 */
import {
  axisTicks,
  buildTimeline,
  formatDuration,
  timeToX,
  typeColor,
  type TimelineIndex,
  type TimelineModel,
  type TimelineTheme,
} from '../../core/timeline';
import { t } from '../i18n';
import { AXIS_HEIGHT, formatRate, HEADER_HEIGHT, LANE_HEIGHT, STRIP_HEIGHT, type DrawState } from './view';

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
export function draw(
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
