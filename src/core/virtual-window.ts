/**
 * Which rows of a fixed-row-height list are in view. O(1) whatever the row count, so a table of
 * millions of events costs the same as one of ten. (@tanstack/virtual-core, tried first, keeps a
 * measurement per row and rebuilt it as rows streamed in: seconds per update at a million rows.)
 *
 * Browsers cap an element's height (Chromium at about 33.5 million px), so past MAX_SCROLL_HEIGHT
 * the scroll range is scaled: the scrollbar maps onto the rows proportionally.
 */
export const MAX_SCROLL_HEIGHT = 8_000_000;

export interface VirtualWindow {
  /** Height of the scrollable content, in px. */
  scrollHeight: number;
  /** First and last (exclusive) row index to render. */
  start: number;
  end: number;
  /** Where row `start` goes, in px from the top of the scrollable content. */
  offset: number;
}

export function virtualWindow(
  rowCount: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan = 8,
): VirtualWindow {
  const fullHeight = rowCount * rowHeight;
  const scrollHeight = Math.min(fullHeight, MAX_SCROLL_HEIGHT);
  const visibleRows = Math.ceil(viewportHeight / rowHeight) + 1;
  const maxScrollTop = Math.max(0, scrollHeight - viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), maxScrollTop);
  // The first row in view: exact when not scaled; proportional to the scroll position when scaled.
  const firstVisible =
    fullHeight === scrollHeight || maxScrollTop === 0
      ? Math.floor(top / rowHeight)
      : Math.round((top / maxScrollTop) * Math.max(0, rowCount - visibleRows + 1));
  const start = Math.max(0, firstVisible - overscan);
  const end = Math.min(rowCount, firstVisible + visibleRows + overscan);
  // Rows are laid out from the viewport's top edge so the visible ones always line up with it.
  const offset = fullHeight === scrollHeight ? start * rowHeight : top - (firstVisible - start) * rowHeight;
  return { scrollHeight, start, end, offset };
}
