/**
 * A text with its search matches wrapped in <mark>. Page data is only ever rendered as text nodes
 * (never as HTML), so markup in it stays visible text.
 */
import type { ComponentChild } from 'preact';
import type { Matcher } from '../core/search';

export interface HighlightProps {
  text: string;
  /** Matches as [start, end) in UTF-16 code units, in order; overlapping or out-of-range parts are ignored. */
  ranges?: readonly (readonly [number, number])[] | null;
  /** Or the search: ranges are taken from `matcher.ranges(text)` (ignored when `ranges` is given). */
  matcher?: Matcher | null;
}

export function Highlight({ text, ranges, matcher }: HighlightProps) {
  const spans = ranges ?? (matcher != null && matcher.active ? matcher.ranges(text) : null);
  if (spans == null || spans.length === 0) return <>{text}</>;
  const parts: ComponentChild[] = [];
  let at = 0;
  for (const [rawStart, rawEnd] of spans) {
    if (!Number.isFinite(rawStart) || !Number.isFinite(rawEnd)) continue;
    const start = Math.max(Math.trunc(rawStart), at);
    const end = Math.min(Math.trunc(rawEnd), text.length);
    if (end <= start) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(
      <mark key={start} class="match">
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
