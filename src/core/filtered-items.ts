/**
 * `FilteredItems` keeps the filtered view of a LogStore up to date as items stream in. Pure: no
 * DOM, no browser APIs. The table, the timeline and "export what you see" all read the same
 * filtered list.
 *
 * Cost model (n = items in the store):
 * - only new items arrived, filter unchanged (by value): O(new items);
 * - the filter narrowed (search text extended, comments hidden, time range shrunk): O(items shown);
 * - an event type was shown/hidden: O(items passing the other filters);
 * - anything else, or the store was reset: O(n).
 */
import type { LoggedItem } from './log-store';
import { NO_TYPES, sameRange, sameSet, type EventFilter, type TimeRange } from './filter-model';
import { activeMatcher, itemMatches, sameSearch, type Matcher, type SearchQuery } from './search';
import { hasSightings, isDuplicate, pageMark, sameSightings, type SightingFilter } from './sightings';

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
  /** Pairs of page and wire streams (null: none), and whether to show only what the page missed. */
  sightings: SightingFilter | null;
  missedOnly: boolean;
}

function baseOf(filter: EventFilter): BaseFilter {
  const matcher = activeMatcher(filter.search);
  const sightings = filter.sightings ?? null;
  return {
    connectionIds: filter.connectionIds,
    hideComments: filter.hideComments,
    search: matcher === null ? null : filter.search,
    matcher,
    timeRange: filter.timeRange,
    sightings: sightings !== null && !hasSightings(sightings) ? null : sightings,
    missedOnly: filter.missedOnly === true,
  };
}

/** Same connections, comment hiding, search and time range (what every view of the filter shares). */
function sameBase(
  a: Pick<EventFilter, 'connectionIds' | 'hideComments' | 'search' | 'timeRange' | 'sightings' | 'missedOnly'>,
  b: Pick<EventFilter, 'connectionIds' | 'hideComments' | 'search' | 'timeRange' | 'sightings' | 'missedOnly'>,
): boolean {
  return (
    a.hideComments === b.hideComments &&
    sameSet(a.connectionIds, b.connectionIds) &&
    sameSearch(a.search, b.search) &&
    sameRange(a.timeRange, b.timeRange) &&
    sameSightings(a.sightings, b.sightings) &&
    (a.missedOnly ?? false) === (b.missedOnly ?? false)
  );
}

/** Everything `next` lets through, `old` let through too (same connections). */
function narrows(old: BaseFilter, next: BaseFilter): boolean {
  if (!sameSet(old.connectionIds, next.connectionIds) || !sameSightings(old.sightings, next.sightings)) return false;
  if (old.hideComments && !next.hideComments) return false;
  if (old.missedOnly && !next.missedOnly) return false;
  if (
    old.timeRange !== null &&
    (next.timeRange === null || next.timeRange.from < old.timeRange.from || next.timeRange.to > old.timeRange.to)
  ) {
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
  const { hideComments, matcher, timeRange, sightings, missedOnly } = base;
  if (connections === null && !hideComments && matcher === null && timeRange === null && sightings === null && !missedOnly)
    return null;
  const from = timeRange?.from ?? -Infinity;
  const to = timeRange?.to ?? Infinity;
  const pageViews = sightings?.pageViews;
  return (logged) => {
    const item = logged.item;
    if (connections !== null && !connections.has(logged.connectionId)) return false;
    // A request both sightings saw: shown once, from the wire (from the page where the wire is short).
    if (sightings !== null && isDuplicate(logged.connectionId, item, sightings)) return false;
    if (missedOnly) {
      const view = pageViews?.get(logged.connectionId);
      if (view === undefined || pageMark(item, view) === undefined) return false;
    }
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
    const source = single ? (store.itemsByConnection!.get(base.connectionIds!.values().next().value!) ?? EMPTY) : store.items;
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
