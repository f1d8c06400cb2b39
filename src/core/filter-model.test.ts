import { describe, expect, it } from 'vitest';
import { allTypes, DEFAULT_FILTER, isFilterActive, onlyType, sameFilter, toggleType, type EventFilter } from './filter-model';
import type { SearchQuery } from './search';

function filter(overrides: Partial<EventFilter> = {}): EventFilter {
  return { ...DEFAULT_FILTER, ...overrides };
}
const search = (text: string, regex = false, caseSensitive = false): SearchQuery => ({ text, regex, caseSensitive });

describe('filter values and helpers', () => {
  it('DEFAULT_FILTER filters nothing', () => {
    expect(DEFAULT_FILTER).toEqual({
      connectionIds: null,
      hiddenTypes: new Set(),
      hideComments: false,
      search: null,
      timeRange: null,
    });
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
