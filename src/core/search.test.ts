import { describe, expect, it } from 'vitest';
import type { SseItem } from './sse-types';
import {
  activeMatcher,
  compileSearch,
  isSearchError,
  itemMatches,
  MAX_RANGES,
  searchableTexts,
  type Matcher,
  type SearchQuery,
} from './search';

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
const search = (text: string, regex = false, caseSensitive = false): SearchQuery => ({ text, regex, caseSensitive });

function matcher(query: SearchQuery | null): Matcher {
  const compiled = compileSearch(query);
  if (isSearchError(compiled)) throw new Error(compiled.error);
  return compiled;
}

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
      ['(', 'missing closing ): `(`'],
      ['[a-', 'missing closing ]: `[a-`'],
      ['a{2,1}', 'invalid repeat count: `{2,1}`'],
      ['*', 'missing argument to repetition operator: `*`'],
      ['\\', 'trailing backslash at end of expression'],
    ];
    for (const [text, message] of expected) {
      expect(compileSearch(search(text, true))).toEqual({ error: message, reason: 'syntax' });
    }
    // RE2 has no lookahead and no backreferences: said as a syntax error, not run.
    expect(isSearchError(compileSearch(search('a(?=b)', true)))).toBe(true);
    expect(isSearchError(compileSearch(search('(a)\\1', true)))).toBe(true);
    // The same text as plain search is fine.
    expect(matcher(search('(', false)).test('f(x)')).toBe(true);
  });

  it('runs in linear time: patterns that backtrack exponentially in JavaScript take milliseconds', () => {
    // In V8: (a|aa)+$ on 33 characters ~1 s; [a-z]+[a-z]+[a-z]+$ on 1,000 characters 144 s.
    const cases: [string, string][] = [
      ['(a|aa)+$', `${'a'.repeat(32)}!`],
      ['(a+)+$', `${'a'.repeat(5000)}!`],
      ['[a-z]+[a-z]+[a-z]+$', `${'a'.repeat(4000)}!`],
      ['(.|\\s)*x', ' '.repeat(100_000)],
      ['(\\w+\\s?)*$', `${'word '.repeat(2000)}!`],
      ['a.*b.*c.*d', 'a'.repeat(100_000)],
    ];
    for (const [pattern, text] of cases) {
      const start = performance.now();
      const m = matcher(search(pattern, true));
      m.test(text);
      m.ranges(text);
      expect(performance.now() - start, pattern).toBeLessThan(1000);
    }
  });

  it('reads whole fields, however long (no cap)', () => {
    const text = `${'x'.repeat(1_000_000)}needle`;
    expect(matcher(search('need+le', true)).test(text)).toBe(true);
    expect(matcher(search('need+le', true)).ranges(text)).toEqual([[1_000_000, 1_000_006]]);
    expect(matcher(search('needle')).ranges(text)).toEqual([[1_000_000, 1_000_006]]);
  });

  it('ranges are in UTF-16 code units, across astral characters', () => {
    expect(matcher(search('b+', true)).ranges('😀abb😀bb')).toEqual([
      [3, 5],
      [7, 9],
    ]);
    expect(matcher(search('世.', true)).ranges('hi 世界!')).toEqual([[3, 5]]);
  });

  it('ranges: zero-width matches are skipped and never loop', () => {
    expect(matcher(search('a*', true)).ranges('baaab')).toEqual([[1, 4]]);
    expect(matcher(search('a*', true)).ranges('aaa')).toEqual([[0, 3]]);
    expect(matcher(search('x?', true)).ranges('y'.repeat(100_000))).toEqual([]);
    expect(matcher(search('\\b', true)).ranges('a b c')).toEqual([]);
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

describe('activeMatcher', () => {
  it('is null when the search filters nothing', () => {
    expect(activeMatcher(null)).toBeNull();
    expect(activeMatcher(search(''))).toBeNull();
    expect(activeMatcher(search('(', true))).toBeNull();
    expect(activeMatcher(search('a(?=b)', true))).toBeNull();
    expect(activeMatcher(search('a+', true))!.ranges('baab')).toEqual([[1, 3]]);
    expect(activeMatcher(search('(a+)+', true))!.ranges('baab')).toEqual([[1, 3]]);
  });
});
