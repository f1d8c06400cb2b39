/**
 * Sorting the event table. Arrival order needs no work (items are appended in order); any other
 * column sorts a copy, stable, so equal keys keep their arrival order.
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

export function sortItems(items: readonly LoggedItem[], order: SortOrder): readonly LoggedItem[] {
  if (order.column === 'time' && !order.descending) return items;
  const keyed = items.map((logged, index) => ({ logged, index, key: key(logged, order.column) }));
  const direction = order.descending ? -1 : 1;
  keyed.sort((a, b) => {
    if (a.key < b.key) return -direction;
    if (a.key > b.key) return direction;
    return a.index - b.index;
  });
  return keyed.map((entry) => entry.logged);
}
