import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../protocol';
import type { SseItem } from './sse-types';
import { LogStore, type LoggedItem } from './log-store';
import {
  DEFAULT_FILTER,
  activeMatcher,
  FilteredItems,
  MAX_RANGES,
  REGEX_TEXT_CAP,
  allTypes,
  compileSearch,
  createPredicate,
  isFilterActive,
  isSearchError,
  itemMatches,
  onlyType,
  regexRisk,
  sameFilter,
  searchableTexts,
  stripLeadingWildcard,
  toggleType,
  type EventFilter,
  type ItemSource,
  type Matcher,
  type SearchQuery,
} from './filters';

// ---------------------------------------------------------------------------------------------
// helpers

let seq = 0;
function sse(stream: string, items: SseItem[]): StoredRecord {
  return { type: 'sse', stream, items, frameId: 0, seq: seq++ } as StoredRecord;
}
const ev = (type: string, data: string, time: number, lastEventId = ''): SseItem => ({ kind: 'event', type, data, lastEventId, time });
const comment = (text: string, time: number): SseItem => ({ kind: 'comment', text, time });
const warning = (message: string, time: number): SseItem => ({ kind: 'warning', code: 'unknown-field', message, time });
const retry = (milliseconds: number, time: number): SseItem => ({ kind: 'retry', milliseconds, time });
const field = (name: string, value: string, time: number): SseItem => ({ kind: 'field', name, value, time });

function filter(overrides: Partial<EventFilter> = {}): EventFilter {
  return { ...DEFAULT_FILTER, ...overrides };
}
const search = (text: string, regex = false, caseSensitive = false): SearchQuery => ({ text, regex, caseSensitive });

function matcher(query: SearchQuery | null): Matcher {
  const compiled = compileSearch(query);
  if (isSearchError(compiled)) throw new Error(compiled.error);
  return compiled;
}

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

describe('filter values and helpers', () => {
  it('DEFAULT_FILTER filters nothing', () => {
    expect(DEFAULT_FILTER).toEqual({ connectionIds: null, hiddenTypes: new Set(), hideComments: false, search: null, timeRange: null });
    expect(isFilterActive(DEFAULT_FILTER)).toBe(false);
    expect(isFilterActive(filter({ search: search('') }))).toBe(false);
    expect(isFilterActive(filter({ search: search('x') }))).toBe(true);
    expect(isFilterActive(filter({ hideComments: true }))).toBe(true);
  });

  it('compares filters by value', () => {
    const a = filter({ connectionIds: new Set(['a', 'b']), hiddenTypes: new Set(['tick']), search: search('x', true) });
    const b = filter({ connectionIds: new Set(['b', 'a']), hiddenTypes: new Set(['tick']), search: search('x', true) });
    expect(sameFilter(a, b)).toBe(true);
    expect(sameFilter(a, { ...b, hiddenTypes: new Set(['tick', 'message']) })).toBe(false);
    expect(sameFilter(a, { ...b, connectionIds: null })).toBe(false);
    expect(sameFilter(a, { ...b, search: search('x', false) })).toBe(false);
    expect(sameFilter(a, { ...b, timeRange: { from: 0, to: 1 } })).toBe(false);
    expect(sameFilter(filter({ timeRange: { from: 0, to: 1 } }), filter({ timeRange: { from: 0, to: 1 } }))).toBe(true);
  });

  it('toggleType, onlyType and allTypes', () => {
    const hidden = toggleType(DEFAULT_FILTER, 'tick');
    expect([...hidden.hiddenTypes]).toEqual(['tick']);
    expect(DEFAULT_FILTER.hiddenTypes.size).toBe(0); // not mutated
    expect([...toggleType(hidden, 'tick').hiddenTypes]).toEqual([]);
    const only = onlyType(hidden, 'update', ['message', 'tick', 'update']);
    expect([...only.hiddenTypes].sort()).toEqual(['message', 'tick']);
    // "only" a type that was hidden shows it
    expect([...onlyType(hidden, 'tick', ['message', 'tick']).hiddenTypes]).toEqual(['message']);
    // hidden types no longer known stay hidden
    expect([...onlyType(filter({ hiddenTypes: new Set(['gone']) }), 'a', ['a', 'b']).hiddenTypes].sort()).toEqual(['b', 'gone']);
    expect(allTypes(only).hiddenTypes.size).toBe(0);
    expect(allTypes(DEFAULT_FILTER)).toBe(DEFAULT_FILTER);
  });
});

describe('compileSearch', () => {
  it('an empty or null search matches everything and highlights nothing', () => {
    for (const query of [null, search(''), search('', true)]) {
      const m = matcher(query);
      expect(m.active).toBe(false);
      expect(m.test('anything')).toBe(true);
      expect(m.ranges('anything')).toEqual([]);
    }
  });

  it('plain text is literal, case-insensitive by default', () => {
    const m = matcher(search('a.b'));
    expect(m.test('xA.By')).toBe(true);
    expect(m.test('aXb')).toBe(false); // "." is not a wildcard
    expect(m.ranges('a.b A.B a.b')).toEqual([
      [0, 3],
      [4, 7],
      [8, 11],
    ]);
    expect(matcher(search('(*')).ranges('x(*y')).toEqual([[1, 3]]);
  });

  it('case-sensitive plain text', () => {
    const m = matcher(search('Hello', false, true));
    expect(m.test('Hello')).toBe(true);
    expect(m.test('hello')).toBe(false);
    expect(m.ranges('Hello hello HelloHello')).toEqual([
      [0, 5],
      [12, 17],
      [17, 22],
    ]);
  });

  it('regex, with and without case sensitivity', () => {
    expect(matcher(search('^he.+o$', true)).test('HELLO')).toBe(true);
    expect(matcher(search('^he.+o$', true, true)).test('HELLO')).toBe(false);
    expect(matcher(search('\\d+', true)).ranges('a1b22c333')).toEqual([
      [1, 2],
      [3, 5],
      [6, 9],
    ]);
  });

  it('an invalid regex is an error, never a throw', () => {
    const expected: [string, string][] = [
      ['(', 'Unterminated group'],
      ['[a-', 'Unterminated character class'],
      ['a{2,1}', 'numbers out of order in {} quantifier'],
      ['*', 'Nothing to repeat'],
      ['\\', '\\ at end of pattern'],
    ];
    for (const [text, message] of expected) {
      expect(compileSearch(search(text, true))).toEqual({ error: message, reason: 'syntax' });
    }
    // The same text as plain search is fine.
    expect(matcher(search('(', false)).test('f(x)')).toBe(true);
  });

  it('refuses patterns that can take exponential time', () => {
    const refused: [string, string][] = [
      ['(a+)+$', 'nested-repetition'],
      ['(\\w+\\s?)*$', 'nested-repetition'],
      ['(x*)*y', 'nested-repetition'],
      ['(\\d+,)*;', 'nested-repetition'],
      ['(.|\\s)*x', 'overlapping-alternatives'],
      ['(a|a)+b', 'overlapping-alternatives'],
      ['a.*b.*c', 'many-wildcards'],
      ['x\\S+y[^z]*w', 'many-wildcards'],
    ];
    for (const [text, reason] of refused) {
      const compiled = compileSearch(search(text, true));
      expect(isSearchError(compiled) && compiled.reason, text).toBe(reason);
      expect(isSearchError(compiled) && compiled.error, text).toMatch(/time/);
    }
    for (const text of ['(a|b)+', '(\\d|,)+', '"([^"\\\\]|\\\\.)*"', 'foo.*bar', '.*foo', '(\\d{1,3}\\.){3}\\d{1,3}', '(?:ab)+', 'x{3}']) {
      expect(regexRisk(stripLeadingWildcard(text)), text).toBeNull();
    }
  });

  it('a refused pattern would really hang: it is never run', () => {
    const start = performance.now();
    const compiled = compileSearch(search('(a+)+$', true));
    expect(isSearchError(compiled)).toBe(true);
    expect(performance.now() - start).toBeLessThan(100);
  });

  it('drops a leading wildcard for matching, not for highlighting', () => {
    expect(stripLeadingWildcard('.*foo')).toBe('foo');
    expect(stripLeadingWildcard('.+foo')).toBe('.foo');
    expect(stripLeadingWildcard('\\w+x')).toBe('\\wx');
    expect(stripLeadingWildcard('[^"]*?x')).toBe('x');
    expect(stripLeadingWildcard('^.*foo')).toBe('^.*foo');
    expect(stripLeadingWildcard('a.*foo')).toBe('a.*foo');
    const m = matcher(search('.*foo', true));
    expect(m.test('xx foo')).toBe(true);
    expect(m.test('xx fo')).toBe(false);
    expect(m.ranges('xx foo')).toEqual([[0, 6]]);
    // Quadratic on a long field without it.
    const long = 'a'.repeat(REGEX_TEXT_CAP);
    const start = performance.now();
    for (let i = 0; i < 20; i++) matcher(search('\\w+x', true)).test(long);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('ranges: zero-width matches are skipped and never loop', () => {
    expect(matcher(search('a*', true)).ranges('baaab')).toEqual([[1, 4]]);
    expect(matcher(search('a*', true)).ranges('aaa')).toEqual([[0, 3]]);
    expect(matcher(search('x?', true)).ranges('y'.repeat(100_000))).toEqual([]);
    expect(matcher(search('\\b', true)).ranges('a b c')).toEqual([]);
    expect(matcher(search('(?=a)', true)).ranges('aaa')).toEqual([]);
    expect(matcher(search('aa', true)).ranges('aaaaa')).toEqual([
      [0, 2],
      [2, 4],
    ]);
  });

  it('ranges: at most MAX_RANGES', () => {
    expect(matcher(search('a')).ranges('a'.repeat(MAX_RANGES * 2))).toHaveLength(MAX_RANGES);
    expect(matcher(search('a', false, true)).ranges('a'.repeat(MAX_RANGES * 2))).toHaveLength(MAX_RANGES);
    expect(matcher(search('a', true)).ranges('a'.repeat(MAX_RANGES * 2))).toHaveLength(MAX_RANGES);
  });

  it('a regex reads the first REGEX_TEXT_CAP characters of a field; plain text reads all', () => {
    const text = `${'x'.repeat(REGEX_TEXT_CAP)}needle`;
    expect(matcher(search('needle', true)).test(text)).toBe(false);
    expect(matcher(search('needle')).test(text)).toBe(true);
    expect(matcher(search('needle', false, true)).test(text)).toBe(true);
    expect(matcher(search('needle')).ranges(text)).toEqual([[REGEX_TEXT_CAP, REGEX_TEXT_CAP + 6]]);
    expect(matcher(search('needle', true)).test(`${'x'.repeat(REGEX_TEXT_CAP - 6)}needle`)).toBe(true);
  });
});

describe('itemMatches', () => {
  const m = (text: string) => matcher(search(text));
  it('events by data, type and last event ID', () => {
    const item = ev('update', '{"status":"ok"}', 0, 'id-42');
    expect(itemMatches(item, m('status'))).toBe(true);
    expect(itemMatches(item, m('UPDATE'))).toBe(true);
    expect(itemMatches(item, m('id-42'))).toBe(true);
    expect(itemMatches(item, m('nope'))).toBe(false);
    expect(searchableTexts(item)).toEqual(['{"status":"ok"}', 'update', 'id-42']);
  });
  it('comments, warnings, fields and retries by their text', () => {
    expect(itemMatches(comment(' heartbeat', 0), m('heart'))).toBe(true);
    expect(itemMatches(warning('Unknown field', 0), m('unknown'))).toBe(true);
    expect(itemMatches(field('foo', 'bar', 0), m('bar'))).toBe(true);
    expect(itemMatches(retry(3000, 0), m('300'))).toBe(true);
    expect(itemMatches(comment('x', 0), m('heart'))).toBe(false);
  });
});

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
      [filter({ search: search('(a+)+$', true) }), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]], // refused: filters nothing
      [filter({ connectionIds: new Set(['a']), hideComments: true, hiddenTypes: new Set(['tick']) }), [0, 5, 6, 7]],
      [filter({ connectionIds: new Set(['b']), search: search('e') }), [3, 4, 8]],
    ];
    for (const [f, expected] of cases) {
      expect(ids(new FilteredItems().update(store, f)), JSON.stringify({ ...f, connectionIds: [...(f.connectionIds ?? [])], hiddenTypes: [...f.hiddenTypes] })).toEqual(expected);
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
    expect(sorted(view.typeCounts(store, filter({ connectionIds: new Set(['a']), timeRange: { from: 1001, to: 2000 } })))).toEqual([
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
  if (r < 0.7) return ev(['message', 'tick', 'update', 'ping'][Math.floor(next() * 4)]!, word, time, String(Math.floor(next() * 5)));
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
        for (let i = Math.floor(next() * 10); i > 0; i--) records.push(sse(`c${1 + Math.floor(next() * 3)}`, [randomItem(next, time++)]));
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
    expect(ids(view.update(store, filter({ search: search('alp') })))).toEqual(reference(store, filter({ search: search('alp') })));
    expect(view.scanned - before).toBe(store.items.length);
  });

  it('an equal filter does no work', () => {
    const store = sampleStore();
    const view = new FilteredItems();
    const f = filter({ search: search('o'), hiddenTypes: new Set(['tick']), connectionIds: new Set(['a', 'b']) });
    const first = view.update(store, f);
    view.typeCounts(store, f);
    const before = view.scanned;
    const again = view.update(store, { ...f, hiddenTypes: new Set(['tick']), connectionIds: new Set(['b', 'a']), search: search('o') });
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
    const f = filter({ search: search('needle'), hideComments: true, hiddenTypes: new Set(['tick']), connectionIds: new Set(['c0', 'c1']) });
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

describe('activeMatcher', () => {
  it('is null when the search filters nothing', () => {
    expect(activeMatcher(null)).toBeNull();
    expect(activeMatcher(search(''))).toBeNull();
    expect(activeMatcher(search('(', true))).toBeNull();
    expect(activeMatcher(search('(a+)+', true))).toBeNull();
    expect(activeMatcher(search('a+', true))!.ranges('baab')).toEqual([[1, 3]]);
  });
});
