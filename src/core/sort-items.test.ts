import { describe, expect, it } from 'vitest';
import type { LoggedItem } from './log-store';
import { ARRIVAL_ORDER, itemSize, SortedItems, sortItems } from './sort-items';

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

describe('SortedItems: appends are incremental', () => {
  const random = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const texts = ['', 'a', 'bb', 'ccc', 'é', '😀', 'zz', 'a a', '{"x":1}'];

  it('gives what a full sort gives after every append, for every column and direction', () => {
    const next = random(3);
    for (const column of ['time', 'type', 'id', 'data', 'size'] as const) {
      for (const descending of [false, true]) {
        const list: LoggedItem[] = [];
        const view = new SortedItems();
        let id = 0;
        for (let step = 0; step < 30; step++) {
          const add = Math.floor(next() * 20);
          for (let k = 0; k < add; k++) {
            const text = texts[Math.floor(next() * texts.length)]!;
            list.push(event(id, `t${Math.floor(next() * 3)}`, text, Math.floor(next() * 50), String(Math.floor(next() * 5))));
            id += 1 + Math.floor(next() * 2); // filtered lists skip ids
          }
          const order = { column, descending };
          expect(view.update(list, order).map((l) => l.id)).toEqual(sortItems(list, order).map((l) => l.id));
        }
      }
    }
  });

  it('keys only the new items: sorted by size, 200k rows plus 100 appended', () => {
    const list: LoggedItem[] = [];
    for (let i = 0; i < 200_000; i++) list.push(event(i, 'm', 'x'.repeat(i % 97), i));
    const view = new SortedItems();
    const bySize = { column: 'size', descending: true } as const;
    view.update(list, bySize);
    expect(view.keyed).toBe(200_000);
    for (let i = 200_000; i < 200_100; i++) list.push(event(i, 'm', 'y'.repeat(i % 101), i));
    const rows = view.update(list, bySize);
    expect(view.keyed).toBe(200_100);
    expect(rows.length).toBe(200_100);
    expect(rows.map((l) => l.id)).toEqual(sortItems(list, bySize).map((l) => l.id));
    // Unchanged list: same array, no work.
    expect(view.update(list, bySize)).toBe(rows);
    expect(view.keyed).toBe(200_100);
  });

  it('a new list or a new order sorts everything again; arrival order is the list itself', () => {
    const view = new SortedItems();
    const list = [...items];
    view.update(list, { column: 'data', descending: false });
    view.update([...list], { column: 'data', descending: false });
    expect(view.keyed).toBe(8);
    view.update(list, { column: 'size', descending: false });
    expect(view.keyed).toBe(12);
    expect(view.update(list, ARRIVAL_ORDER)).toBe(list);
  });
});
