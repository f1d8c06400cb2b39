import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../protocol';
import type { SseItem } from './sse-types';
import { LogStore, type LoggedItem } from './log-store';
import { DEFAULT_FILTER, type EventFilter } from './filter-model';
import { createPredicate, FilteredItems, type ItemSource } from './filtered-items';
import type { SearchQuery } from './search';

// ---------------------------------------------------------------------------------------------
// helpers

let seq = 0;
function sse(stream: string, items: SseItem[]): StoredRecord {
  return { type: 'sse', stream, items, frameId: 0, seq: seq++ } as StoredRecord;
}
const ev = (type: string, data: string, time: number, lastEventId = ''): SseItem => ({
  kind: 'event',
  type,
  data,
  lastEventId,
  time,
});
const comment = (text: string, time: number): SseItem => ({ kind: 'comment', text, time });
const warning = (message: string, time: number): SseItem => ({ kind: 'warning', code: 'unknown-field', message, time });
const retry = (milliseconds: number, time: number): SseItem => ({ kind: 'retry', milliseconds, time });
const field = (name: string, value: string, time: number): SseItem => ({ kind: 'field', name, value, time });

function filter(overrides: Partial<EventFilter> = {}): EventFilter {
  return { ...DEFAULT_FILTER, ...overrides };
}
const search = (text: string, regex = false, caseSensitive = false): SearchQuery => ({ text, regex, caseSensitive });

/** A small log: two connections, several types, comments, a warning, a retry and a field. */
function sampleStore(): LogStore {
  const store = new LogStore();
  store.apply([
    sse('a', [ev('message', 'hello world', 1000, '1'), ev('tick', '{"n":1}', 1001, '2'), comment(' heartbeat', 1002)]),
    sse('b', [ev('message', 'Hello again', 1003), ev('update', 'status=ok', 1004, 'abc')]),
    sse('a', [warning('Unknown field "foo" ignored', 1005), retry(3000, 1006), field('foo', 'bar', 1007)]),
    sse('b', [comment('keep-alive', 1008), ev('tick', '{"n":2}', 1009, 'xyz')]),
  ]);
  return store;
}

const ids = (items: LoggedItem[]) => items.map((logged) => logged.id);

/** The reference answer: the whole filter applied to every item. */
const reference = (store: ItemSource, f: EventFilter) => ids(store.items.filter(createPredicate(f)));

function referenceCounts(store: ItemSource, f: EventFilter): Map<string, number> {
  const counts = new Map<string, number>();
  const pass = createPredicate({ ...f, hiddenTypes: new Set() });
  for (const logged of store.items) {
    if (logged.item.kind !== 'event') continue;
    if (f.connectionIds !== null && !f.connectionIds.has(logged.connectionId)) continue;
    counts.set(logged.item.type, (counts.get(logged.item.type) ?? 0) + (pass(logged) ? 1 : 0));
  }
  return counts;
}

const sorted = (map: ReadonlyMap<string, number>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

// ---------------------------------------------------------------------------------------------

describe('FilteredItems on a LogStore', () => {
  it('no filter: the store items themselves', () => {
    const store = sampleStore();
    const view = new FilteredItems();
    expect(view.update(store, DEFAULT_FILTER)).toBe(store.items);
  });

  it('each filter gives the expected items', () => {
    const store = sampleStore();
    // ids: 0 message/a, 1 tick/a, 2 comment/a, 3 message/b, 4 update/b, 5 warning/a, 6 retry/a, 7 field/a, 8 comment/b, 9 tick/b
    const cases: [EventFilter, number[]][] = [
      [filter({ connectionIds: new Set(['b']) }), [3, 4, 8, 9]],
      [filter({ connectionIds: new Set(['a', 'b']) }), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
      [filter({ connectionIds: new Set(['zzz']) }), []],
      [filter({ hiddenTypes: new Set(['tick', 'message']) }), [2, 4, 5, 6, 7, 8]],
      [filter({ hideComments: true }), [0, 1, 3, 4, 5, 6, 7, 9]],
      [filter({ timeRange: { from: 1003, to: 1005 } }), [3, 4, 5]],
      [filter({ search: search('hello') }), [0, 3]],
      [filter({ search: search('Hello', false, true) }), [3]],
      [filter({ search: search('tick') }), [1, 9]],
      [filter({ search: search('abc') }), [4]],
      [filter({ search: search('heartbeat') }), [2]],
      [filter({ search: search('unknown field') }), [5]],
      [filter({ search: search('^\\{"n":\\d\\}$', true) }), [1, 9]],
      [filter({ search: search('(', true) }), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]], // invalid: filters nothing
      [filter({ search: search('(a+)+$', true) }), []], // linear-time regex: runs, matches nothing here
      [filter({ connectionIds: new Set(['a']), hideComments: true, hiddenTypes: new Set(['tick']) }), [0, 5, 6, 7]],
      [filter({ connectionIds: new Set(['b']), search: search('e') }), [3, 4, 8]],
    ];
    for (const [f, expected] of cases) {
      expect(
        ids(new FilteredItems().update(store, f)),
        JSON.stringify({ ...f, connectionIds: [...(f.connectionIds ?? [])], hiddenTypes: [...f.hiddenTypes] }),
      ).toEqual(expected);
      expect(reference(store, f)).toEqual(expected);
    }
  });

  it('typeCounts: respects the other filters but not hiddenTypes, keeps known types at 0', () => {
    const store = sampleStore();
    const view = new FilteredItems();
    expect(sorted(view.typeCounts(store, DEFAULT_FILTER))).toEqual([
      ['message', 2],
      ['tick', 2],
      ['update', 1],
    ]);
    const f = filter({ hiddenTypes: new Set(['message']), search: search('hello') });
    view.update(store, f);
    expect(sorted(view.typeCounts(store, f))).toEqual([
      ['message', 2],
      ['tick', 0],
      ['update', 0],
    ]);
    expect(sorted(view.typeCounts(store, filter({ connectionIds: new Set(['b']) })))).toEqual([
      ['message', 1],
      ['tick', 1],
      ['update', 1],
    ]);
    expect(
      sorted(view.typeCounts(store, filter({ connectionIds: new Set(['a']), timeRange: { from: 1001, to: 2000 } }))),
    ).toEqual([
      ['message', 0],
      ['tick', 1],
    ]);
  });

  it('typeCounts returns the same map until something changes', () => {
    const store = sampleStore();
    const view = new FilteredItems();
    const first = view.typeCounts(store, DEFAULT_FILTER);
    expect(view.typeCounts(store, { ...DEFAULT_FILTER })).toBe(first);
    store.apply([sse('a', [ev('tick', 'x', 2000)])]);
    const second = view.typeCounts(store, DEFAULT_FILTER);
    expect(second).not.toBe(first);
    expect(second.get('tick')).toBe(3);
    expect(first.get('tick')).toBe(2); // a snapshot
  });

  it('follows a reset', () => {
    const store = sampleStore();
    const view = new FilteredItems();
    const f = filter({ search: search('tick') });
    expect(ids(view.update(store, f))).toEqual([1, 9]);
    expect(view.typeCounts(store, f).get('tick')).toBe(2);
    store.reset();
    expect(view.update(store, f)).toEqual([]);
    expect(view.typeCounts(store, f).size).toBe(0);
    store.apply([sse('c', [ev('tick', 'again', 5000), ev('other', 'x', 5001)])]);
    expect(ids(view.update(store, f))).toEqual([0]);
    expect(view.update(store, DEFAULT_FILTER)).toBe(store.items);
    expect(sorted(view.typeCounts(store, f))).toEqual([
      ['other', 0],
      ['tick', 1],
    ]);
  });

  it('a single connection filter follows a connection that appears later', () => {
    const store = new LogStore();
    const view = new FilteredItems();
    const f = filter({ connectionIds: new Set(['late']) });
    expect(view.update(store, f)).toEqual([]);
    store.apply([sse('other', [ev('message', 'x', 1)]), sse('late', [ev('message', 'y', 2)])]);
    expect(ids(view.update(store, f))).toEqual([1]);
    store.apply([sse('late', [ev('message', 'z', 3)])]);
    expect(ids(view.update(store, f))).toEqual([1, 2]);
  });
});

// ---------------------------------------------------------------------------------------------
// incremental correctness

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomItem(next: () => number, time: number): SseItem {
  const r = next();
  const words = ['alpha', 'Beta', 'gamma', 'delta', 'ALPHA beta', '{"n":42}', 'ping', 'x'];
  const word = words[Math.floor(next() * words.length)]!;
  if (r < 0.7)
    return ev(['message', 'tick', 'update', 'ping'][Math.floor(next() * 4)]!, word, time, String(Math.floor(next() * 5)));
  if (r < 0.85) return comment(word, time);
  if (r < 0.95) return warning(`warn ${word}`, time);
  return retry(Math.floor(next() * 5000), time);
}

const FILTERS: EventFilter[] = [
  DEFAULT_FILTER,
  filter({ connectionIds: new Set(['c1']) }),
  filter({ connectionIds: new Set(['c1', 'c3']) }),
  filter({ hiddenTypes: new Set(['tick']) }),
  filter({ hiddenTypes: new Set(['tick', 'message']), connectionIds: new Set(['c2']) }),
  filter({ hideComments: true }),
  filter({ search: search('alpha') }),
  filter({ search: search('alpha', false, true) }),
  filter({ search: search('^a.*a$', true) }),
  filter({ search: search('be', true), hideComments: true, hiddenTypes: new Set(['ping']) }),
  filter({ timeRange: { from: 100, to: 300 } }),
  filter({ timeRange: { from: 150, to: 250 }, search: search('ALPHA'), connectionIds: new Set(['c2']) }),
];

describe('FilteredItems: incremental = one full pass', () => {
  it('appending in steps gives the same list and counts as filtering everything at once', () => {
    const next = random(7);
    for (const f of FILTERS) {
      const store = new LogStore();
      const view = new FilteredItems();
      let time = 0;
      for (let step = 0; step < 25; step++) {
        const records: StoredRecord[] = [];
        const batch = Math.floor(next() * 30);
        for (let i = 0; i < batch; i++) records.push(sse(`c${1 + Math.floor(next() * 3)}`, [randomItem(next, time++)]));
        store.apply(records);
        const list = view.update(store, f);
        const counts = view.typeCounts(store, f);
        expect(ids(list)).toEqual(reference(store, f));
        expect(sorted(counts)).toEqual(sorted(referenceCounts(store, f)));
      }
      expect(ids(new FilteredItems().update(store, f))).toEqual(ids(view.update(store, f)));
    }
  });

  it('switching filters at random between appends stays exact', () => {
    const next = random(11);
    const store = new LogStore();
    const view = new FilteredItems();
    let time = 0;
    for (let step = 0; step < 200; step++) {
      if (next() < 0.5) {
        const records: StoredRecord[] = [];
        for (let i = Math.floor(next() * 10); i > 0; i--)
          records.push(sse(`c${1 + Math.floor(next() * 3)}`, [randomItem(next, time++)]));
        store.apply(records);
      }
      if (next() < 0.03) store.reset();
      const f = FILTERS[Math.floor(next() * FILTERS.length)]!;
      // A fresh but equal object half of the time (filters are compared by value).
      const given = next() < 0.5 ? f : { ...f, hiddenTypes: new Set(f.hiddenTypes) };
      expect(ids(view.update(store, given))).toEqual(reference(store, f));
      expect(sorted(view.typeCounts(store, given))).toEqual(sorted(referenceCounts(store, f)));
    }
  });

  it('typing a search narrows what is shown instead of rescanning, with the same result', () => {
    const next = random(3);
    const store = new LogStore();
    const records: StoredRecord[] = [];
    for (let i = 0; i < 2000; i++) records.push(sse(`c${1 + Math.floor(next() * 3)}`, [randomItem(next, i)]));
    store.apply(records);
    const view = new FilteredItems();
    view.update(store, DEFAULT_FILTER);
    let shown = view.update(store, filter({ search: search('a') })).length;
    for (const text of ['al', 'alp', 'alph', 'alpha']) {
      const before = view.scanned;
      // items arriving between keystrokes are filtered too
      store.apply([sse('c1', [ev('message', `alpha ${text}`, 5000)]), sse('c2', [ev('message', 'nothing', 5001)])]);
      const f = filter({ search: search(text) });
      const list = view.update(store, f);
      expect(view.scanned - before).toBeLessThanOrEqual(shown + 2);
      expect(ids(list)).toEqual(reference(store, f));
      expect(sorted(view.typeCounts(store, f))).toEqual(sorted(referenceCounts(store, f)));
      shown = list.length;
    }
    // Hiding comments and shrinking the time range narrow too.
    for (const f of [
      filter({ search: search('alpha'), hideComments: true }),
      filter({ search: search('alpha'), hideComments: true, timeRange: { from: 10, to: 1500 } }),
    ]) {
      const before = view.scanned;
      const list = view.update(store, f);
      expect(view.scanned - before).toBeLessThanOrEqual(shown);
      expect(ids(list)).toEqual(reference(store, f));
      shown = list.length;
    }
    // Widening rescans the log, with the right answer.
    const before = view.scanned;
    expect(ids(view.update(store, filter({ search: search('alp') })))).toEqual(
      reference(store, filter({ search: search('alp') })),
    );
    expect(view.scanned - before).toBe(store.items.length);
  });

  it('an equal filter does no work', () => {
    const store = sampleStore();
    const view = new FilteredItems();
    const f = filter({ search: search('o'), hiddenTypes: new Set(['tick']), connectionIds: new Set(['a', 'b']) });
    const first = view.update(store, f);
    view.typeCounts(store, f);
    const before = view.scanned;
    const again = view.update(store, {
      ...f,
      hiddenTypes: new Set(['tick']),
      connectionIds: new Set(['b', 'a']),
      search: search('o'),
    });
    expect(again).toBe(first);
    view.typeCounts(store, { ...f });
    expect(view.scanned).toBe(before);
  });
});

// ---------------------------------------------------------------------------------------------
// scale

describe('FilteredItems at 1,000,000 items', () => {
  /** A store-like source with shared item objects, to keep memory modest. */
  function bigSource(n: number): ItemSource & { append(count: number): void } {
    const kinds: SseItem[] = [
      ev('message', '{"token":"hello"}', 1, '7'),
      ev('tick', '{"n":1}', 2),
      comment('', 3),
      ev('update', '{"status":"needle"}', 4, 'x'),
    ];
    const items: LoggedItem[] = [];
    const append = (count: number) => {
      for (let i = 0; i < count; i++) {
        const id = items.length;
        items.push({ id, seq: id, connectionId: id % 3 === 0 ? 'c0' : 'c1', item: kinds[id % kinds.length]! });
      }
    };
    append(n);
    return { items, append };
  }

  it('appending 1000 items to a filtered 1M view looks at the new items only', () => {
    const source = bigSource(1_000_000);
    const view = new FilteredItems();
    const f = filter({
      search: search('needle'),
      hideComments: true,
      hiddenTypes: new Set(['tick']),
      connectionIds: new Set(['c0', 'c1']),
    });
    const fullStart = performance.now();
    const first = view.update(source, f);
    const counts = view.typeCounts(source, f);
    const full = performance.now() - fullStart;
    expect(first.length).toBe(250_000);
    expect(counts.get('update')).toBe(250_000);
    expect(counts.get('message')).toBe(0);
    expect(full).toBeLessThan(5000); // generous: one full pass over 1M items

    const before = view.scanned;
    source.append(1000);
    const start = performance.now();
    const list = view.update(source, { ...f, hiddenTypes: new Set(['tick']) });
    const counted = view.typeCounts(source, f);
    const elapsed = performance.now() - start;
    expect(list.length).toBe(250_250);
    expect(counted.get('update')).toBe(250_250);
    expect(list[list.length - 1]!.id).toBe(1_000_999);
    // 1000 new items through the base filter, then the 250 passing ones through the type filter.
    expect(view.scanned - before).toBe(1250);
    expect(elapsed).toBeLessThan(50);
  });

  it('no filter stays O(1) per update at 1M (the store array itself)', () => {
    const source = bigSource(1_000_000);
    const view = new FilteredItems();
    expect(view.update(source, DEFAULT_FILTER)).toBe(source.items);
    source.append(1000);
    const before = view.scanned;
    expect(view.update(source, DEFAULT_FILTER)).toBe(source.items);
    view.typeCounts(source, DEFAULT_FILTER);
    expect(view.scanned - before).toBe(1000); // counting the new items' types only
  });
});
