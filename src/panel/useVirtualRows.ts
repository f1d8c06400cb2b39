/**
 * Preact binding of @tanstack/virtual-core (there is no official Preact adapter): only the rows
 * in view are rendered, so the table stays smooth with a million events.
 */
import { useEffect, useLayoutEffect, useReducer, useState } from 'preact/hooks';
import {
  elementScroll,
  observeElementOffset,
  observeElementRect,
  Virtualizer,
  type VirtualItem,
} from '@tanstack/virtual-core';

export function useVirtualRows(
  count: number,
  rowHeight: number,
  scrollElement: () => HTMLElement | null,
): { rows: VirtualItem[]; totalHeight: number; virtualizer: Virtualizer<HTMLElement, Element> } {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [virtualizer] = useState(
    () =>
      new Virtualizer<HTMLElement, Element>({
        count,
        getScrollElement: scrollElement,
        estimateSize: () => rowHeight,
        overscan: 10,
        scrollToFn: elementScroll,
        observeElementRect,
        observeElementOffset,
        onChange: () => rerender(0),
      }),
  );
  virtualizer.setOptions({ ...virtualizer.options, count });
  useLayoutEffect(() => virtualizer._willUpdate());
  useEffect(() => virtualizer._didMount(), [virtualizer]);
  return { rows: virtualizer.getVirtualItems(), totalHeight: virtualizer.getTotalSize(), virtualizer };
}
