/**
 * The filter of what the panel shows: connections, event types, comments, a search and a time
 * range, with comparisons by value and the type-chip operations. Pure values: applying a filter
 * to a log is `filtered-items.ts`; compiling its search is `search.ts`.
 */
import { sameSearch, type SearchQuery } from './search';
import { sameSightings, type SightingFilter } from './sightings';

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
  /** Null or empty text = no search. An invalid regex filters nothing (the bar shows why). */
  search: SearchQuery | null;
  timeRange: TimeRange | null;
  /**
   * Deep capture: pairs of page and wire streams (each request shown once) and what the page
   * missed of them (`core/sightings.ts`). Absent or null: no pairs.
   */
  sightings?: SightingFilter | null;
  /** Show only what the page did not hear or read (needs `sightings`). */
  missedOnly?: boolean;
}

export const NO_TYPES: ReadonlySet<string> = new Set();

export const DEFAULT_FILTER: EventFilter = Object.freeze({
  connectionIds: null,
  hiddenTypes: NO_TYPES,
  hideComments: false,
  search: null,
  timeRange: null,
});

export function sameSet(a: ReadonlySet<string> | null, b: ReadonlySet<string> | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.size !== b.size) return false;
  for (const value of a) if (!b.has(value)) return false;
  return true;
}

export function sameRange(a: TimeRange | null, b: TimeRange | null): boolean {
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
      sameRange(a.timeRange, b.timeRange) &&
      sameSightings(a.sightings, b.sightings) &&
      (a.missedOnly ?? false) === (b.missedOnly ?? false))
  );
}

/** True when the filter hides nothing (an empty search counts as no search). */
export function isFilterActive(filter: EventFilter): boolean {
  return (
    filter.connectionIds !== null ||
    filter.hiddenTypes.size > 0 ||
    filter.hideComments ||
    (filter.search !== null && filter.search.text !== '') ||
    filter.timeRange !== null ||
    filter.missedOnly === true
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
