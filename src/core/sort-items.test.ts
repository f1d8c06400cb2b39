import { describe, expect, it } from 'vitest';
import type { LoggedItem } from './log-store';
import { ARRIVAL_ORDER, itemSize, sortItems } from './sort-items';

const event = (id: number, type: string, data: string, time: number, lastEventId = ''): LoggedItem => ({
  id,
  seq: id,
  connectionId: 'c',
  item: { kind: 'event', type, data, lastEventId, time },
});

const items = [
  event(0, 'tick', 'bb', 30, '2'),
  event(1, 'alert', 'a', 10, '10'),
  event(2, 'tick', 'ccc', 20, '1'),
  { id: 3, seq: 3, connectionId: 'c', item: { kind: 'comment' as const, text: 'ping', time: 5 } },
];

describe('sortItems', () => {
  it('keeps arrival order as is (same array, no work)', () => {
    expect(sortItems(items, ARRIVAL_ORDER)).toBe(items);
  });

  it('sorts by time, type, id, data and size, stable, both directions', () => {
    const ids = (column: 'time' | 'type' | 'id' | 'data' | 'size', descending = false) =>
      sortItems(items, { column, descending }).map((l) => l.id);
    expect(ids('time')).toEqual([0, 1, 2, 3]);
    expect(ids('time', true)).toEqual([0, 2, 1, 3]);
    // Comments sort after every event type.
    expect(ids('type')).toEqual([1, 0, 2, 3]);
    expect(ids('type', true)).toEqual([3, 0, 2, 1]);
    expect(ids('id')).toEqual([3, 2, 1, 0]);
    expect(ids('data')).toEqual([1, 0, 2, 3]);
    expect(ids('size')).toEqual([1, 0, 2, 3]);
  });
});

describe('itemSize', () => {
  it('counts UTF-8 bytes', () => {
    expect(itemSize({ kind: 'event', type: 'm', data: 'abc', lastEventId: '', time: 0 })).toBe(3);
    expect(itemSize({ kind: 'event', type: 'm', data: 'tö€', lastEventId: '', time: 0 })).toBe(6);
  });
});
