/**
 * Sorting the event table. Arrival order needs no work (items are appended in order); any other
 * column sorts a copy, stable, so equal keys keep their arrival order. `SortedItems` keeps a sorted
 * view up to date as items are appended: only the new items get a key (a size, a text) and are
 * sorted, then merged into the rows already in order.
 */
import type { LoggedItem } from './log-store';
import type { SseItem } from './sse-types';
import { utf8Length } from './format';

export type SortColumn = 'time' | 'type' | 'id' | 'data' | 'size';
export interface SortOrder {
  column: SortColumn;
  descending: boolean;
}
export const ARRIVAL_ORDER: SortOrder = { column: 'time', descending: false };

/** The text an item shows in the Data column (and that search and size look at). */
export function itemText(item: SseItem): string {
  switch (item.kind) {
    case 'event':
      return item.data;
    case 'comment':
      return item.text;
    case 'retry':
      return `${item.milliseconds} ms`;
    case 'field':
      return `${item.name}: ${item.value}`;
    case 'warning':
      return item.message;
  }
}

/** Size of the item's text in UTF-8 bytes. */
export function itemSize(item: SseItem): number {
  return utf8Length(itemText(item));
}

function key(logged: LoggedItem, column: SortColumn): string | number {
  const item = logged.item;
  switch (column) {
    case 'time':
      return item.time;
    case 'type':
      return item.kind === 'event' ? item.type : `\uffff${item.kind}`;
    case 'id':
      return item.kind === 'event' ? item.lastEventId : '';
    case 'data':
      return itemText(item);
    case 'size':
      return itemSize(item);
  }
}

/** Key order, then arrival order (item ids grow with arrival), whatever the direction. */
function compare(keyA: string | number, idA: number, keyB: string | number, idB: number, direction: number): number {
  if (keyA < keyB) return -direction;
  if (keyA > keyB) return direction;
  return idA - idB;
}

/**
 * A sorted view of a list that only grows (the filtered items of the table). Call `update` on every
 * render: when the same array has grown by k items, the cost is O(k log n) comparisons plus one
 * copy of the rows (no old row compared with another, no key recomputed); a new array or
 * a new order sorts everything once.
 */
export class SortedItems {
  private source: readonly LoggedItem[] | null = null;
  private order: SortOrder = ARRIVAL_ORDER;
  private processed = 0;
  private sorted: LoggedItem[] = [];
  private keys: (string | number)[] = [];
  /** Keys computed so far (a cost counter, for tests). */
  keyed = 0;

  update(items: readonly LoggedItem[], order: SortOrder): readonly LoggedItem[] {
    if (order.column === 'time' && !order.descending) {
      this.source = null;
      this.sorted = [];
      this.keys = [];
      return items;
    }
    const direction = order.descending ? -1 : 1;
    const grown =
      items === this.source &&
      order.column === this.order.column &&
      order.descending === this.order.descending &&
      items.length >= this.processed;
    const from = grown ? this.processed : 0;
    if (grown && from === items.length) return this.sorted;
    const fresh: { logged: LoggedItem; key: string | number }[] = [];
    for (let i = from; i < items.length; i++) fresh.push({ logged: items[i]!, key: key(items[i]!, order.column) });
    this.keyed += fresh.length;
    fresh.sort((a, b) => compare(a.key, a.logged.id, b.key, b.logged.id, direction));
    const oldRows = grown ? this.sorted : [];
    const oldKeys = grown ? this.keys : [];
    // Each new row's place among the old ones by binary search (k log n comparisons), then one copy.
    const rows: LoggedItem[] = [];
    const keys: (string | number)[] = [];
    let copied = 0;
    for (const { logged, key: freshKey } of fresh) {
      let lo = copied;
      let hi = oldRows.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compare(oldKeys[mid]!, oldRows[mid]!.id, freshKey, logged.id, direction) < 0) lo = mid + 1;
        else hi = mid;
      }
      for (; copied < lo; copied++) {
        rows.push(oldRows[copied]!);
        keys.push(oldKeys[copied]!);
      }
      rows.push(logged);
      keys.push(freshKey);
    }
    for (; copied < oldRows.length; copied++) {
      rows.push(oldRows[copied]!);
      keys.push(oldKeys[copied]!);
    }
    this.source = items;
    this.order = order;
    this.processed = items.length;
    this.sorted = rows;
    this.keys = keys;
    return rows;
  }
}

export function sortItems(items: readonly LoggedItem[], order: SortOrder): readonly LoggedItem[] {
  if (order.column === 'time' && !order.descending) return items;
  const keyed = items.map((logged, index) => ({ logged, index, key: key(logged, order.column) }));
  const direction = order.descending ? -1 : 1;
  keyed.sort((a, b) => compare(a.key, a.index, b.key, b.index, direction));
  return keyed.map((entry) => entry.logged);
}
