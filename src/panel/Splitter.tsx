/**
 * A draggable divider between two panes, and the remembered position it sets. The position is a
 * fraction of the container (the first pane's share), kept in localStorage per key, so the panel
 * opens as the user left it. Keyboard: ←/→ or ↑/↓ move it by 2 %, Home/End to the limits.
 */
import { useRef, useState } from 'preact/hooks';

const STORAGE_PREFIX = 'sse-devtools:split:';

function load(key: string, fallback: number): number {
  try {
    const value = Number(globalThis.localStorage?.getItem(STORAGE_PREFIX + key));
    return Number.isFinite(value) && value > 0 && value < 1 ? value : fallback;
  } catch {
    return fallback;
  }
}

function save(key: string, value: number): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_PREFIX + key, String(value));
  } catch {
    // Storage may be refused (private windows): the split still works, unremembered.
  }
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * The first pane's share of the container, remembered under `key` (a layout that changes, e.g.
 * side by side and stacked, keeps one share per key).
 */
export function useSplit(key: string, fallback: number, min = 0.15, max = 0.85): [number, (value: number) => void] {
  const [values, setValues] = useState<Record<string, number>>({});
  const value = values[key] ?? clamp(load(key, fallback), min, max);
  const set = (next: number) => {
    const clamped = clamp(next, min, max);
    setValues((old) => ({ ...old, [key]: clamped }));
    save(key, clamped);
  };
  return [value, set];
}

export interface SplitterProps {
  /** 'vertical': a vertical bar between panes side by side; 'horizontal': a bar between panes stacked. */
  orientation: 'vertical' | 'horizontal';
  value: number;
  onChange(value: number): void;
  label: string;
  min?: number;
  max?: number;
}

export function Splitter({ orientation, value, onChange, label, min = 0.15, max = 0.85 }: SplitterProps) {
  const bar = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  const vertical = orientation === 'vertical';

  const fractionAt = (event: PointerEvent): number | null => {
    const container = bar.current?.parentElement;
    if (!container) return null;
    const box = container.getBoundingClientRect();
    const size = vertical ? box.width : box.height;
    if (size <= 0) return null;
    return (vertical ? event.clientX - box.left : event.clientY - box.top) / size;
  };
  const onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0) return;
    event.preventDefault();
    dragging.current = true;
    bar.current?.setPointerCapture?.(event.pointerId);
    bar.current?.focus();
  };
  const onPointerMove = (event: PointerEvent) => {
    if (!dragging.current) return;
    const fraction = fractionAt(event);
    if (fraction !== null) onChange(clamp(fraction, min, max));
  };
  const onPointerUp = (event: PointerEvent) => {
    dragging.current = false;
    bar.current?.releasePointerCapture?.(event.pointerId);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const step = 0.02;
    const keys: Record<string, number> = vertical
      ? { ArrowLeft: value - step, ArrowRight: value + step, Home: min, End: max }
      : { ArrowUp: value - step, ArrowDown: value + step, Home: min, End: max };
    const next = keys[event.key];
    if (next === undefined) return;
    event.preventDefault();
    onChange(clamp(next, min, max));
  };

  return (
    <div
      ref={bar}
      class={`splitter splitter-${orientation}`}
      role="separator"
      tabIndex={0}
      aria-label={label}
      // A separator's orientation is the bar's own: panes side by side have a vertical bar.
      aria-orientation={vertical ? 'vertical' : 'horizontal'}
      aria-valuemin={Math.round(min * 100)}
      aria-valuemax={Math.round(max * 100)}
      aria-valuenow={Math.round(value * 100)}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
