/**
 * Search: compiling what the user typed (text or regex, case toggle) into a `Matcher`, and which
 * texts of an item it reads. Pure: no DOM, no browser APIs.
 *
 * Regular expressions run on RE2JS (the `re2js` package, a JavaScript port of RE2), not on the
 * browser's backtracking engine: its time is linear in the text whatever the pattern, so no
 * pattern can freeze the panel (`(a|aa)+$` on 33 characters took ~1 s in V8, `[a-z]+[a-z]+[a-z]+$`
 * on 1,000 characters 144 s; both take milliseconds here). The price is RE2's syntax, which is
 * JavaScript's for everything people type into a search box, but has no backreferences and no
 * lookahead: such a pattern is a syntax error, shown as such. A worker with a deadline would have
 * kept the full JavaScript syntax, but every search (and every highlight of every visible row)
 * would then be asynchronous and a slow pattern would still burn a core until killed. Plain-text
 * search uses the browser's own `indexOf`/escaped RegExp, which is linear too.
 */
import { RE2JS } from 're2js';
import type { SseItem } from './sse-types';

export interface SearchQuery {
  text: string;
  regex: boolean;
  caseSensitive: boolean;
}

/** `ranges()` returns at most this many matches per text. */
export const MAX_RANGES = 1000;

/** [start, end) in UTF-16 code units. */
export type MatchRange = [start: number, end: number];

export interface Matcher {
  /** False for the match-everything matcher of an empty search. */
  readonly active: boolean;
  test(text: string): boolean;
  /** Non-empty matches, in order, not overlapping (zero-width matches are skipped). */
  ranges(text: string): MatchRange[];
}

/** Why a regex search cannot run: the pattern is not valid RE2 syntax. */
export type SearchErrorReason = 'syntax';

export interface SearchError {
  /** The regex engine's message, e.g. "missing closing ): `(a`". */
  readonly error: string;
  readonly reason: SearchErrorReason;
}

export function isSearchError(value: Matcher | SearchError): value is SearchError {
  return 'error' in value;
}

export function sameSearch(a: SearchQuery | null, b: SearchQuery | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return a.text === b.text && a.regex === b.regex && a.caseSensitive === b.caseSensitive;
}

const MATCH_ALL: Matcher = Object.freeze({
  active: false,
  test: () => true,
  ranges: () => [],
});

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A literal, ignoring case: an escaped RegExp (no repetition, so linear in the browser's engine). */
function plainCaseInsensitiveMatcher(needle: string): Matcher {
  const tester = new RegExp(escapeRegex(needle), 'i');
  const finder = new RegExp(escapeRegex(needle), 'gi');
  return {
    active: true,
    test: (text) => tester.test(text),
    ranges(text) {
      const out: MatchRange[] = [];
      finder.lastIndex = 0;
      while (out.length < MAX_RANGES) {
        const match = finder.exec(text);
        if (match === null) break;
        out.push([match.index, match.index + match[0].length]);
      }
      finder.lastIndex = 0;
      return out;
    },
  };
}

function plainCaseSensitiveMatcher(needle: string): Matcher {
  return {
    active: true,
    test: (text) => text.includes(needle),
    ranges(text) {
      const out: MatchRange[] = [];
      let from = 0;
      while (out.length < MAX_RANGES) {
        const at = text.indexOf(needle, from);
        if (at === -1) break;
        out.push([at, at + needle.length]);
        from = at + needle.length;
      }
      return out;
    },
  };
}

function re2Matcher(pattern: RE2JS): Matcher {
  return {
    active: true,
    test: (text) => pattern.test(text),
    ranges(text) {
      const out: MatchRange[] = [];
      // matchAll moves past every match, empty ones included: the loop ends.
      for (const match of pattern.matchAll(text)) {
        const start = match.index ?? 0;
        if (match[0].length === 0) continue;
        out.push([start, start + match[0].length]);
        if (out.length >= MAX_RANGES) break;
      }
      return out;
    },
  };
}

/**
 * Compiles a search. Never throws: a regex RE2 cannot compile gives a `SearchError`. A null search
 * or empty text gives a matcher that matches everything and highlights nothing.
 */
export function compileSearch(search: SearchQuery | null): Matcher | SearchError {
  if (search === null || search.text === '') return MATCH_ALL;
  if (!search.regex) {
    return search.caseSensitive ? plainCaseSensitiveMatcher(search.text) : plainCaseInsensitiveMatcher(search.text);
  }
  try {
    return re2Matcher(RE2JS.compile(search.text, search.caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // "error parsing regexp: missing closing ): `(?i)(`": the engine's words, on the pattern as typed.
    return { error: message.replace(/^error parsing regexp: /, '').replace('`(?i)', '`'), reason: 'syntax' };
  }
}

/**
 * The matcher a search filters and highlights with: null when the search is empty or invalid (it
 * then filters nothing; `compileSearch` says why).
 */
export function activeMatcher(search: SearchQuery | null): Matcher | null {
  const compiled = compileSearch(search);
  return isSearchError(compiled) || !compiled.active ? null : compiled;
}

/** The texts of an item that search reads. */
export function searchableTexts(item: SseItem): string[] {
  switch (item.kind) {
    case 'event':
      return [item.data, item.type, item.lastEventId];
    case 'comment':
      return [item.text];
    case 'warning':
      return [item.message];
    case 'field':
      return [item.name, item.value];
    case 'retry':
      return [String(item.milliseconds)];
  }
}

/**
 * Whether search finds the item: events by data, type and last event ID; comments by text;
 * warnings by message; ignored fields by name and value; retries by their number.
 */
export function itemMatches(item: SseItem, matcher: Matcher): boolean {
  switch (item.kind) {
    case 'event':
      return matcher.test(item.data) || matcher.test(item.type) || matcher.test(item.lastEventId);
    case 'comment':
      return matcher.test(item.text);
    case 'warning':
      return matcher.test(item.message);
    case 'field':
      return matcher.test(item.name) || matcher.test(item.value);
    case 'retry':
      return matcher.test(String(item.milliseconds));
  }
}
