/**
 * What the panel shows: the filter (connections, event types, comments, text/regex search, time
 * range) and `FilteredItems`, which keeps the filtered view of a LogStore up to date as items
 * stream in. Pure: no DOM, no browser APIs. The table, the timeline and "export what you see" all
 * read the same filtered list.
 *
 * Cost model (n = items in the store):
 * - only new items arrived, filter unchanged (by value): O(new items);
 * - the filter narrowed (search text extended, comments hidden, time range shrunk): O(items shown);
 * - an event type was shown/hidden: O(items passing the other filters);
 * - anything else, or the store was reset: O(n).
 *
 * Search and runaway regular expressions: JavaScript regexes backtrack and cannot be interrupted,
 * so a pattern such as `(a+)+$` can freeze the panel on a single item. We defend in three ways:
 * 1. patterns that are known to blow up are refused with a `SearchError` giving the reason: nested
 *    repetition (`(a+)+`, `(\w+\s?)*`), an unbounded repeated group whose alternatives overlap
 *    (`(.|\s)*`, `(a|a)+`), and two or more unbounded wildcards (`.*`, `\S+`, `[^x]*`) after
 *    the first (`a.*b.*c`);
 * 2. a leading wildcard (`.*foo`, `\w+x`) is dropped for deciding whether an item matches — it
 *    cannot change the answer, only makes every attempt quadratic (highlights keep it, on the
 *    capped text, unless it is what makes the pattern refused);
 * 3. a regex is only run on the first `REGEX_TEXT_CAP` characters of each field (plain-text search,
 *    which is linear, sees the whole field).
 * This is a heuristic: it stops the common catastrophic shapes, not every slow pattern.
 */
import type { LoggedItem } from './log-store';
import type { SseItem } from './sse-types';

// ---------------------------------------------------------------------------------------------
// The filter

export interface SearchQuery {
  text: string;
  regex: boolean;
  caseSensitive: boolean;
}

/** Epoch ms, both ends inclusive. */
export interface TimeRange {
  from: number;
  to: number;
}

export interface EventFilter {
  /** The connections whose items are shown; null = all. */
  connectionIds: ReadonlySet<string> | null;
  /** Event types toggled off (applies to events only; comments, retries, fields and warnings have no type). */
  hiddenTypes: ReadonlySet<string>;
  /** Hide comment items (heartbeats are comments). */
  hideComments: boolean;
  /** Null or empty text = no search. An invalid or refused regex filters nothing (the bar shows why). */
  search: SearchQuery | null;
  timeRange: TimeRange | null;
}

const NO_TYPES: ReadonlySet<string> = new Set();

export const DEFAULT_FILTER: EventFilter = Object.freeze({
  connectionIds: null,
  hiddenTypes: NO_TYPES,
  hideComments: false,
  search: null,
  timeRange: null,
});

function sameSet(a: ReadonlySet<string> | null, b: ReadonlySet<string> | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.size !== b.size) return false;
  for (const value of a) if (!b.has(value)) return false;
  return true;
}

function sameSearch(a: SearchQuery | null, b: SearchQuery | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return a.text === b.text && a.regex === b.regex && a.caseSensitive === b.caseSensitive;
}

function sameRange(a: TimeRange | null, b: TimeRange | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return a.from === b.from && a.to === b.to;
}

/** Compares two filters by value (sets by content). */
export function sameFilter(a: EventFilter, b: EventFilter): boolean {
  return (
    a === b ||
    (a.hideComments === b.hideComments &&
      sameSet(a.connectionIds, b.connectionIds) &&
      sameSet(a.hiddenTypes, b.hiddenTypes) &&
      sameSearch(a.search, b.search) &&
      sameRange(a.timeRange, b.timeRange))
  );
}

/** True when the filter hides nothing (an empty search counts as no search). */
export function isFilterActive(filter: EventFilter): boolean {
  return (
    filter.connectionIds !== null ||
    filter.hiddenTypes.size > 0 ||
    filter.hideComments ||
    (filter.search !== null && filter.search.text !== '') ||
    filter.timeRange !== null
  );
}

/** Shows the type if it was hidden, hides it otherwise. */
export function toggleType(filter: EventFilter, type: string): EventFilter {
  const hiddenTypes = new Set(filter.hiddenTypes);
  if (hiddenTypes.has(type)) hiddenTypes.delete(type);
  else hiddenTypes.add(type);
  return { ...filter, hiddenTypes };
}

/**
 * Shows only `type` among `knownTypes` (e.g. the keys of `typeCounts`). Types first seen later are
 * not hidden: `hiddenTypes` lists what is off, so a new type shows up rather than silently vanishing.
 */
export function onlyType(filter: EventFilter, type: string, knownTypes: Iterable<string>): EventFilter {
  const hiddenTypes = new Set<string>();
  for (const known of knownTypes) if (known !== type) hiddenTypes.add(known);
  // Types hidden before that are not among the known ones (e.g. seen before a reset) stay hidden.
  for (const hidden of filter.hiddenTypes) if (hidden !== type) hiddenTypes.add(hidden);
  return { ...filter, hiddenTypes };
}

/** Shows every event type. */
export function allTypes(filter: EventFilter): EventFilter {
  return filter.hiddenTypes.size === 0 ? filter : { ...filter, hiddenTypes: NO_TYPES };
}

// ---------------------------------------------------------------------------------------------
// Search

/** Characters of each field a regex is run on (plain-text search reads whole fields). */
export const REGEX_TEXT_CAP = 4096;
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

/**
 * Why a regex search cannot run: 'syntax' (not a valid regex), or why it was refused because it
 * could freeze the panel: nested repetition (`(a+)+`), a repeated group whose alternatives
 * overlap (`(.|\s)*`), several wildcards (`a.*b.*c`).
 */
export type SearchErrorReason = 'syntax' | RegexRisk;
export type RegexRisk = 'nested-repetition' | 'overlapping-alternatives' | 'many-wildcards';

export interface SearchError {
  /** The regex engine's message for a syntax error (e.g. "Unterminated group"); an English explanation otherwise. */
  readonly error: string;
  readonly reason: SearchErrorReason;
}

const RISK_MESSAGES: Record<RegexRisk, string> = {
  'nested-repetition': 'nested repetition, such as (a+)+, can take exponential time',
  'overlapping-alternatives': 'a repeated group whose alternatives overlap, such as (.|\\s)*, can take exponential time',
  'many-wildcards': 'two or more wildcards such as .* can take a very long time on large events',
};

export function isSearchError(value: Matcher | SearchError): value is SearchError {
  return 'error' in value;
}

const MATCH_ALL: Matcher = Object.freeze({
  active: false,
  test: () => true,
  ranges: () => [],
});

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function capped(text: string): string {
  return text.length > REGEX_TEXT_CAP ? text.slice(0, REGEX_TEXT_CAP) : text;
}

function regexMatcher(source: string, flags: string, cap: boolean, rangeSource = source): Matcher {
  const tester = new RegExp(source, flags);
  const finder = new RegExp(rangeSource, `${flags}g`);
  return {
    active: true,
    test: (text) => tester.test(cap ? capped(text) : text),
    ranges(text) {
      const subject = cap ? capped(text) : text;
      const out: MatchRange[] = [];
      finder.lastIndex = 0;
      // Every turn moves lastIndex forward (past a match, or by one after an empty match), so this
      // ends even for patterns like /a*/ that match the empty string everywhere.
      while (out.length < MAX_RANGES && finder.lastIndex <= subject.length) {
        const match = finder.exec(subject);
        if (match === null) break;
        const start = match.index;
        const end = start + match[0].length;
        if (end === start) finder.lastIndex = start + 1;
        else out.push([start, end]);
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

/**
 * Compiles a search. Never throws: an invalid regex, or one refused as too risky (see the file
 * comment), gives a `SearchError`. A null search or empty text gives a matcher that matches
 * everything and highlights nothing.
 */
export function compileSearch(search: SearchQuery | null): Matcher | SearchError {
  if (search === null || search.text === '') return MATCH_ALL;
  const flags = search.caseSensitive ? '' : 'i';
  if (!search.regex) {
    // A literal pattern runs in linear time: no cap.
    return search.caseSensitive ? plainCaseSensitiveMatcher(search.text) : regexMatcher(escapeRegex(search.text), flags, false);
  }
  try {
    new RegExp(search.text, flags);
  } catch (error) {
    // V8 says "Invalid regular expression: /(/i: Unterminated group": keep the part after the pattern.
    const message = error instanceof Error ? error.message : String(error);
    return { error: message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, ''), reason: 'syntax' };
  }
  let source = stripLeadingWildcard(search.text);
  try {
    new RegExp(source, flags);
  } catch {
    source = search.text;
  }
  const risk = regexRisk(source);
  if (risk !== null) return { error: RISK_MESSAGES[risk], reason: risk };
  // Highlights show the whole match (".*foo" from the line's start) unless that is the risky part.
  return regexMatcher(source, flags, true, regexRisk(search.text) === null ? search.text : source);
}

interface Quantifier {
  min: number;
  max: number;
  length: number;
}

function quantifierAt(pattern: string, i: number): Quantifier | null {
  const c = pattern[i];
  let q: Quantifier;
  if (c === '*') q = { min: 0, max: Infinity, length: 1 };
  else if (c === '+') q = { min: 1, max: Infinity, length: 1 };
  else if (c === '?') q = { min: 0, max: 1, length: 1 };
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i, i + 40));
    if (m === null) return null; // a literal "{" (allowed without the u flag)
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    q = { min, max, length: m[0].length };
  } else return null;
  if (pattern[i + q.length] === '?') q.length++; // lazy
  return q;
}

/** Length of the single-character atom at `i` (".", "\w", "[^x]"...), or 0 if there is none. */
function classAtomLength(pattern: string, i: number): number {
  const c = pattern[i];
  if (c === '.') return 1;
  if (c === '\\') return /[sSwWdD]/.test(pattern[i + 1] ?? '') ? 2 : 0;
  if (c === '[') {
    let j = i + 1;
    if (pattern[j] === '^') j++;
    while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
    return j < pattern.length ? j + 1 - i : 0;
  }
  return 0;
}

/**
 * `.*foo` → `foo`, `\w+x` → `\wx`: a leading repeated character class cannot change whether a
 * text matches, but makes every attempt scan to the end of the text (quadratic per field).
 */
export function stripLeadingWildcard(pattern: string): string {
  const atom = classAtomLength(pattern, 0);
  if (atom === 0) return pattern;
  const q = quantifierAt(pattern, atom);
  if (q === null || q.max !== Infinity || q.min > 1) return pattern;
  const rest = pattern.slice(atom + q.length);
  return q.min === 0 ? rest : pattern.slice(0, atom) + rest;
}

/** An alternative made of one atom: a literal character, or a class (source text). */
type Single = { literal: string } | { cls: string };

interface Frame {
  /** Contains a repetition of variable count (`+`, `*`, `{1,3}`; not `?`). */
  variable: boolean;
  alternation: boolean;
  /** Atoms in the current alternative. */
  atoms: number;
  /** The last atom of the current alternative, if it is a plain (unquantified) character or class. */
  lastSingle: Single | null;
  /** The alternatives made of exactly one plain atom. */
  singles: Single[];
}

const newFrame = (): Frame => ({ variable: false, alternation: false, atoms: 0, lastSingle: null, singles: [] });

function closeAlternative(frame: Frame): void {
  if (frame.atoms === 1 && frame.lastSingle !== null) frame.singles.push(frame.lastSingle);
  frame.atoms = 0;
  frame.lastSingle = null;
}

const DISJOINT_CLASSES = new Set(['\\d\\s', '\\s\\d', '\\w\\s', '\\s\\w']);

/** Whether two one-atom alternatives may match the same character (conservative: yes if unsure). */
function mayOverlap(a: Single, b: Single): boolean {
  if ('literal' in a && 'literal' in b) return a.literal.toLowerCase() === b.literal.toLowerCase();
  if ('literal' in a || 'literal' in b) {
    const [literal, cls] = 'literal' in a ? [a.literal, (b as { cls: string }).cls] : [(b as { literal: string }).literal, a.cls];
    try {
      return new RegExp(cls, 'i').test(literal);
    } catch {
      return true;
    }
  }
  return !DISJOINT_CLASSES.has(a.cls + b.cls);
}

function overlappingAlternatives(frame: Frame): boolean {
  if (!frame.alternation) return false;
  const singles = frame.singles;
  for (let i = 0; i < singles.length; i++) {
    for (let j = i + 1; j < singles.length; j++) if (mayOverlap(singles[i]!, singles[j]!)) return true;
  }
  return false;
}

const ESCAPED_CHARACTERS: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' };

/** Why a (valid) pattern is refused, or null. Reads the pattern as a non-unicode JS regex. */
export function regexRisk(pattern: string): RegexRisk | null {
  const stack: Frame[] = [newFrame()];
  // The last atom, if a quantifier may follow: a group's frame, or whether it is a broad class.
  let last: { group: Frame | null; broad: boolean } | null = null;
  let wildcards = 0;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    const frame = stack[stack.length - 1]!;
    let single: Single | null = null;
    let broad = false;
    let length = 1;
    if (c === '\\') {
      const e = pattern[i + 1] ?? '';
      length = 2;
      if (/[bB]/.test(e)) {
        // an assertion, not an atom
        last = null;
        i += 2;
        continue;
      }
      if (/[sSwWdD]/.test(e)) single = { cls: `\\${e}` };
      else if (ESCAPED_CHARACTERS[e] !== undefined) single = { literal: ESCAPED_CHARACTERS[e] };
      else if (/[\dxuck]/.test(e)) single = { cls: `\\${e}` }; // a reference or a code: treat as unknown
      else single = { literal: e };
      broad = /[SWD]/.test(e);
    } else if (c === '[') {
      length = classAtomLength(pattern, i) || pattern.length - i;
      const body = pattern.slice(i, i + length);
      single = { cls: body };
      broad = body.startsWith('[^') || /\\[SWD]/.test(body);
    } else if (c === '.') {
      single = { cls: '.' };
      broad = true;
    } else if (c === '(') {
      let j = i + 1;
      if (pattern[j] === '?') {
        if (pattern[j + 1] === '<' && pattern[j + 2] !== '=' && pattern[j + 2] !== '!') {
          const close = pattern.indexOf('>', j);
          j = close === -1 ? j + 2 : close + 1;
        } else {
          j += pattern[j + 1] === '<' ? 3 : 2;
        }
      }
      stack.push(newFrame());
      last = null;
      i = j;
      continue;
    } else if (c === ')') {
      const inner = stack.length > 1 ? stack.pop()! : newFrame();
      closeAlternative(inner);
      const parent = stack[stack.length - 1]!;
      parent.variable ||= inner.variable;
      parent.atoms++;
      parent.lastSingle = null;
      last = { group: inner, broad: false };
      i++;
      continue;
    } else if (c === '|') {
      frame.alternation = true;
      closeAlternative(frame);
      last = null;
      i++;
      continue;
    } else if (c === '^' || c === '$') {
      last = null;
      i++;
      continue;
    } else {
      const q = quantifierAt(pattern, i);
      if (q !== null && last !== null) {
        const { group, broad: broadAtom }: { group: Frame | null; broad: boolean } = last;
        const large = q.max === Infinity || q.max >= 10;
        if (group !== null && large && q.max > 1) {
          if (group.variable) return 'nested-repetition';
          if (overlappingAlternatives(group)) return 'overlapping-alternatives';
        }
        if (q.max > 1 && q.max !== q.min) frame.variable = true;
        if (q.min !== 1 || q.max !== 1) frame.lastSingle = null; // no longer a plain atom
        if (group === null && broadAtom && q.max === Infinity && ++wildcards >= 2) {
          return 'many-wildcards';
        }
        last = null;
        i += q.length;
        continue;
      }
      single = { literal: c };
    }
    frame.atoms++;
    frame.lastSingle = single;
    last = { group: null, broad };
    i += length;
  }
  return null;
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

/**
 * The matcher a search filters and highlights with: null when the search is empty, invalid or
 * refused (it then filters nothing; `compileSearch` says why).
 */
export function activeMatcher(search: SearchQuery | null): Matcher | null {
  const compiled = compileSearch(search);
  return isSearchError(compiled) || !compiled.active ? null : compiled;
}

/**
 * A predicate for one item under the whole filter (for one-off checks; `FilteredItems` is the
 * fast way to filter a log).
 */
export function createPredicate(filter: EventFilter): (logged: LoggedItem) => boolean {
  const base = baseOf(filter);
  const rest = basePredicate(base, true);
  const hidden = filter.hiddenTypes;
  return (logged) =>
    (rest === null || rest(logged)) && !(hidden.size > 0 && logged.item.kind === 'event' && hidden.has(logged.item.type));
}

// ---------------------------------------------------------------------------------------------
// Incremental filtering

/** What `FilteredItems` reads from a LogStore (a LogStore is one). */
export interface ItemSource {
  /** Append-only; replaced by a new array on reset. */
  readonly items: LoggedItem[];
  /** When given, a single-connection filter walks only that connection's items. */
  readonly itemsByConnection?: ReadonlyMap<string, LoggedItem[]>;
}

/** Everything but the event types, with the search reduced to what actually filters. */
interface BaseFilter {
  connectionIds: ReadonlySet<string> | null;
  hideComments: boolean;
  search: SearchQuery | null;
  matcher: Matcher | null;
  timeRange: TimeRange | null;
}

function baseOf(filter: EventFilter): BaseFilter {
  const matcher = activeMatcher(filter.search);
  return {
    connectionIds: filter.connectionIds,
    hideComments: filter.hideComments,
    search: matcher === null ? null : filter.search,
    matcher,
    timeRange: filter.timeRange,
  };
}

/** Same connections, comment hiding, search and time range (what every view of the filter shares). */
function sameBase(
  a: Pick<EventFilter, 'connectionIds' | 'hideComments' | 'search' | 'timeRange'>,
  b: Pick<EventFilter, 'connectionIds' | 'hideComments' | 'search' | 'timeRange'>,
): boolean {
  return (
    a.hideComments === b.hideComments &&
    sameSet(a.connectionIds, b.connectionIds) &&
    sameSearch(a.search, b.search) &&
    sameRange(a.timeRange, b.timeRange)
  );
}

/** Everything `next` lets through, `old` let through too (same connections). */
function narrows(old: BaseFilter, next: BaseFilter): boolean {
  if (!sameSet(old.connectionIds, next.connectionIds)) return false;
  if (old.hideComments && !next.hideComments) return false;
  if (old.timeRange !== null && (next.timeRange === null || next.timeRange.from < old.timeRange.from || next.timeRange.to > old.timeRange.to)) {
    return false;
  }
  if (old.search === null || sameSearch(old.search, next.search)) return true;
  // Typing on: a literal that contains the old literal matches only where the old one did.
  return (
    next.search !== null &&
    !old.search.regex &&
    !next.search.regex &&
    old.search.caseSensitive === next.search.caseSensitive &&
    next.search.text.includes(old.search.text)
  );
}

/** The base filter as a predicate, or null when it lets everything through. */
function basePredicate(base: BaseFilter, checkConnection: boolean): ((logged: LoggedItem) => boolean) | null {
  const connections = checkConnection ? base.connectionIds : null;
  const { hideComments, matcher, timeRange } = base;
  if (connections === null && !hideComments && matcher === null && timeRange === null) return null;
  const from = timeRange?.from ?? -Infinity;
  const to = timeRange?.to ?? Infinity;
  return (logged) => {
    const item = logged.item;
    if (connections !== null && !connections.has(logged.connectionId)) return false;
    if (hideComments && item.kind === 'comment') return false;
    if (item.time < from || item.time > to) return false;
    return matcher === null || itemMatches(item, matcher);
  };
}

/** The list of items passing the base filter, and the count of each event type among them. */
class BaseView {
  filter: BaseFilter | null = null;
  list: LoggedItem[] = [];
  private storeItems: LoggedItem[] | null = null;
  private source: LoggedItem[] = [];
  private processed = 0;
  private predicate: ((logged: LoggedItem) => boolean) | null = null;
  /** The connection test, when the source is the whole log but not every connection is shown. */
  private connections: ReadonlySet<string> | null = null;
  /** `list === source`: nothing is filtered out. */
  private passAll = false;
  private counts = new Map<string, number>();
  private snapshot: ReadonlyMap<string, number> | null = null;

  constructor(
    private readonly keepList: boolean,
    private readonly scanned: { count: number },
  ) {}

  sync(store: ItemSource, base: BaseFilter): void {
    const single = base.connectionIds !== null && base.connectionIds.size === 1 && store.itemsByConnection !== undefined;
    const source = single
      ? (store.itemsByConnection!.get(base.connectionIds!.values().next().value!) ?? EMPTY)
      : store.items;
    const sourceChanged = store.items !== this.storeItems || source !== this.source || source.length < this.processed;
    const previous = this.filter;
    if (previous === null || sourceChanged || !sameBase(previous, base)) {
      const narrowing = !sourceChanged && previous !== null && this.keepList && narrows(previous, base);
      // When nothing was filtered, the list is the source itself and may hold items not walked yet.
      const shown = this.passAll ? this.processed : this.list.length;
      this.storeItems = store.items;
      this.source = source;
      this.filter = base;
      this.connections = single ? null : base.connectionIds;
      this.predicate = basePredicate(base, false);
      this.passAll = this.keepList && this.predicate === null && this.connections === null;
      if (narrowing) this.refilter(shown);
      else this.restart();
    }
    this.walk();
  }

  private restart(): void {
    this.processed = 0;
    this.list = this.passAll ? this.source : [];
    this.counts = new Map();
    this.snapshot = null;
  }

  /** The filter narrowed: filter what was shown rather than the whole log. */
  private refilter(shown: number): void {
    const old = this.list;
    const predicate = this.predicate;
    const counts = new Map<string, number>();
    for (const type of this.counts.keys()) counts.set(type, 0);
    const list: LoggedItem[] = [];
    for (let i = 0; i < shown; i++) {
      const logged = old[i]!;
      if (predicate !== null && !predicate(logged)) continue;
      list.push(logged);
      const item = logged.item;
      if (item.kind === 'event') counts.set(item.type, (counts.get(item.type) ?? 0) + 1);
    }
    this.scanned.count += shown;
    this.list = this.passAll ? this.source : list;
    this.counts = counts;
    this.snapshot = null;
  }

  private walk(): void {
    const source = this.source;
    const end = source.length;
    if (this.processed === end) return;
    const { predicate, connections, counts, passAll, keepList } = this;
    const list = this.list;
    for (let i = this.processed; i < end; i++) {
      const logged = source[i]!;
      if (connections !== null && !connections.has(logged.connectionId)) continue;
      const passes = predicate === null || predicate(logged);
      const item = logged.item;
      if (item.kind === 'event') {
        const count = counts.get(item.type);
        if (passes) counts.set(item.type, (count ?? 0) + 1);
        else if (count === undefined) counts.set(item.type, 0); // a known type, none shown
      }
      if (passes && keepList && !passAll) list.push(logged);
    }
    this.scanned.count += end - this.processed;
    this.processed = end;
    this.snapshot = null;
  }

  typeCounts(): ReadonlyMap<string, number> {
    this.snapshot ??= new Map(this.counts);
    return this.snapshot;
  }
}

const EMPTY: LoggedItem[] = Object.freeze([]) as unknown as LoggedItem[];

/**
 * The filtered view of a store, kept incrementally. Keep one instance per view (e.g. in a ref) and
 * call `update` on every render: it does work only for what changed.
 */
export class FilteredItems {
  private readonly counter = { count: 0 };
  private readonly base = new BaseView(true, this.counter);
  /** For `typeCounts` calls whose filter differs from the last `update`'s (other than types). */
  private extra: BaseView | null = null;
  private lastFilter: EventFilter | null = null;
  private lastBase: BaseFilter | null = null;
  private hidden: ReadonlySet<string> = NO_TYPES;
  private result: LoggedItem[] = [];
  private resultOf: LoggedItem[] | null = null;
  private processed = 0;

  /** Items examined so far (a cost counter, for tests and profiling). */
  get scanned(): number {
    return this.counter.count;
  }

  /**
   * The items passing `filter`, in log order. The array is the view's own: read it, never change
   * it. While only new items arrive it is the same array, grown in place (it may be `store.items`
   * itself when nothing is filtered); a new filter or a reset gives a new array.
   */
  update(store: ItemSource, filter: EventFilter): LoggedItem[] {
    const base = this.baseFor(filter);
    this.base.sync(store, base);
    const list = this.base.list;
    const hidden = filter.hiddenTypes;
    if (hidden.size === 0) {
      this.hidden = NO_TYPES;
      this.resultOf = null;
      return list;
    }
    if (list !== this.resultOf || list.length < this.processed || !sameSet(hidden, this.hidden)) {
      this.hidden = new Set(hidden);
      this.resultOf = list;
      this.result = [];
      this.processed = 0;
    }
    const result = this.result;
    const end = list.length;
    for (let i = this.processed; i < end; i++) {
      const logged = list[i]!;
      const item = logged.item;
      if (item.kind !== 'event' || !hidden.has(item.type)) result.push(logged);
    }
    this.counter.count += end - this.processed;
    this.processed = end;
    return result;
  }

  /**
   * How many events of each type pass `filter`, ignoring its `hiddenTypes` (the chips' counts).
   * Every event type seen in the filter's connections is a key, with 0 when none passes. Cheapest
   * when called with the same filter as `update` (the work is shared). The map is a snapshot:
   * the same object until something changes.
   */
  typeCounts(store: ItemSource, filter: EventFilter): ReadonlyMap<string, number> {
    const base = this.baseFor(filter);
    if (this.base.filter === null || sameBase(this.base.filter, base)) {
      this.base.sync(store, base);
      return this.base.typeCounts();
    }
    this.extra ??= new BaseView(false, this.counter);
    this.extra.sync(store, base);
    return this.extra.typeCounts();
  }

  private baseFor(filter: EventFilter): BaseFilter {
    if (this.lastFilter !== null && this.lastBase !== null && sameBase(this.lastFilter, filter)) {
      this.lastFilter = filter;
      return this.lastBase;
    }
    this.lastFilter = filter;
    this.lastBase = baseOf(filter);
    return this.lastBase;
  }
}

