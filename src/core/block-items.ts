/** Which items of a parsed stream came from the same raw text as another (by their spans). Pure. */
import type { LoggedItem } from './log-store';

/**
 * The items of `list` (one connection's items, in arrival order) whose raw text lies inside that
 * of `logged`, `logged` itself excluded: for an event, the comments, ignored fields and warnings of
 * its block; for a line, the warnings about it. Empty when `logged` has no span (EventSource).
 * Only looks at the neighbours of `logged`: O(log n + block size).
 */
export function itemsWithin(list: readonly LoggedItem[], logged: LoggedItem): LoggedItem[] {
  const span = logged.item.span;
  if (span === undefined) return [];
  // `list` is in id order: find `logged` by binary search.
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.id < logged.id) lo = mid + 1;
    else hi = mid;
  }
  if (list[lo] !== logged) return [];
  const before: LoggedItem[] = [];
  for (let i = lo - 1; i >= 0; i--) {
    const other = list[i]!.item.span;
    if (other === undefined || other.end <= span.start) break;
    if (other.start >= span.start && other.end <= span.end) before.push(list[i]!);
  }
  before.reverse();
  for (let i = lo + 1; i < list.length; i++) {
    const other = list[i]!.item.span;
    if (other === undefined || other.start >= span.end) break;
    if (other.start >= span.start && other.end <= span.end) before.push(list[i]!);
  }
  return before;
}
