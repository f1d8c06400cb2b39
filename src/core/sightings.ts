/**
 * Where each connection was seen — by the page tap, on the wire (deep capture), or both — and what
 * the page missed of a request both saw. Pure: no DOM, no browser APIs.
 *
 * A request deep capture saw is two streams in the log: the page tap's (`<frameId>:<id>`) and the
 * wire's (`wire:...`, `seenOn: 'wire'`; one per HTTP request, so a reconnecting EventSource has
 * several). `pairRequests` decides which are the same request;
 * `mergeSightings` turns the log's connections into the panel's rows (one per request) with what
 * the filter needs to show a pair once (`duplicates`) and to mark what the page missed
 * (`pageViews`, read per item by `pageMark` in O(1), so neither the table nor a filter pays per row
 * more than a map lookup).
 *
 * What the page missed, by what the wire holds and the page's stream says:
 * - 'not-heard': an EventSource event of a named type no listener asked for when it came (the
 *   browser dispatches only types someone listens for, so the page tap never saw it);
 * - 'not-read': what came after the page stopped reading (fetch/XHR cancelled or aborted: the text
 *   beyond what the page read; EventSource `close()`d: events after it).
 */
import type { StreamKind } from '../protocol';
import type { SseItem } from './sse-types';
import { rawLengthOf, type Connection, type LoggedItem, type WireShortfall } from './log-store';
import { UNKNOWN_URL } from './deep-capture';

export { UNKNOWN_URL };

/** Where a connection was seen: by the page tap, on the wire (deep capture), or both. */
export type Sighting = 'page' | 'wire' | 'both';

/** A page stream and a wire stream of the same URL and method are one request when they started this close. */
export const SAME_REQUEST_MS = 2000;

/** What the pairing reads of a connection. */
export type Seen = Pick<Connection, 'id' | 'url' | 'method' | 'kind' | 'startTime' | 'endTime' | 'seenOn' | 'mocked'> & {
  transitions?: Connection['transitions'];
};

export interface Pair {
  page: string;
  wire: string;
}

/**
 * The page/wire pairs among `connections`: same URL, same method, starts (or first answers) at most
 * SAME_REQUEST_MS apart; the closest pair first and each stream pairs at most once. A page stream answered
 * by a mock never reached the network and pairs with nothing.
 *
 * A wire stream of unknown URL (an EventSource opened before deep capture was on, whose first
 * record is its first event since) pairs only when that is unambiguous: exactly one page
 * EventSource left unpaired was open at that moment, and no other such wire stream could be it.
 * Otherwise the two stay apart: a wrong merge would mark as "not heard" events the page did hear,
 * which is worse than two rows.
 *
 * An EventSource that reconnects is one object in the page but a new request on the wire each
 * time: a wire EventSource stream left unpaired whose start is within SAME_REQUEST_MS of a
 * reconnect of a page EventSource of that URL and method (its `open` after `reconnecting`) is that
 * reconnect (closest first, one wire stream per reconnect). So one page stream may pair with several.
 */
export function pairRequests(connections: readonly Seen[]): Pair[] {
  const pages = new Map<string, Seen[]>();
  const wires: Seen[] = [];
  const unknown: Seen[] = [];
  for (const c of connections) {
    if (c.seenOn === 'wire') {
      (c.url === UNKNOWN_URL ? unknown : wires).push(c);
    } else if (c.mocked !== true) {
      const key = `${c.method} ${c.url}`;
      const list = pages.get(key);
      if (list === undefined) pages.set(key, [c]);
      else list.push(c);
    }
  }
  if (wires.length === 0 && unknown.length === 0) return [];
  const candidates: { gap: number; order: number; page: Seen; wire: Seen }[] = [];
  for (const wire of wires) {
    for (const page of pages.get(`${wire.method} ${wire.url}`) ?? []) {
      // By their starts, or by their answers: under load the browser may send a request well after
      // the page asked for it (seen in Chromium: 1.5 s), while both hear the answer together.
      const gap = Math.min(Math.abs(page.startTime - wire.startTime), openGap(page, wire));
      if (gap <= SAME_REQUEST_MS) candidates.push({ gap, order: candidates.length, page, wire });
    }
  }
  // Closest first; at equal gaps, the order the log holds them in.
  candidates.sort((a, b) => a.gap - b.gap || a.order - b.order);
  const paired = new Set<string>();
  const pairs: Pair[] = [];
  for (const { page, wire } of candidates) {
    if (paired.has(page.id) || paired.has(wire.id)) continue;
    paired.add(page.id);
    paired.add(wire.id);
    pairs.push({ page: page.id, wire: wire.id });
  }
  if (unknown.length > 0) {
    const open = (page: Seen, at: number) =>
      page.kind === 'eventsource' && !paired.has(page.id) && page.startTime <= at && (page.endTime ?? Infinity) >= at;
    const eventSources = [...pages.values()].flat();
    const claims = new Map<string, Seen[]>();
    const only = new Map<string, Seen>();
    for (const wire of unknown) {
      const could = eventSources.filter((page) => open(page, wire.startTime));
      if (could.length !== 1) continue;
      only.set(wire.id, could[0]!);
      const list = claims.get(could[0]!.id);
      if (list === undefined) claims.set(could[0]!.id, [wire]);
      else list.push(wire);
    }
    for (const wire of unknown) {
      const page = only.get(wire.id);
      if (page === undefined || claims.get(page.id)!.length !== 1) continue;
      paired.add(page.id);
      paired.add(wire.id);
      pairs.push({ page: page.id, wire: wire.id });
    }
  }
  const reconnects: { gap: number; order: number; slot: string; page: Seen; wire: Seen }[] = [];
  for (const wire of wires) {
    // Any kind on the wire: Firefox's deep capture records an EventSource's response as a fetch's bytes.
    if (paired.has(wire.id)) continue;
    for (const page of pages.get(`${wire.method} ${wire.url}`) ?? []) {
      if (page.kind !== 'eventsource') continue;
      reopenTimes(page).forEach((at, n) => {
        const gap = Math.abs(at - wire.startTime);
        if (gap <= SAME_REQUEST_MS) reconnects.push({ gap, order: reconnects.length, slot: `${page.id} ${n}`, page, wire });
      });
    }
  }
  reconnects.sort((a, b) => a.gap - b.gap || a.order - b.order);
  const slots = new Set<string>();
  for (const { slot, page, wire } of reconnects) {
    if (slots.has(slot) || paired.has(wire.id)) continue;
    slots.add(slot);
    paired.add(wire.id);
    pairs.push({ page: page.id, wire: wire.id });
  }
  return pairs;
}

/** How far apart two streams were first open (their requests answered); Infinity when one was not. */
function openGap(a: Seen, b: Seen): number {
  const x = firstOpen(a);
  const y = firstOpen(b);
  return x === undefined || y === undefined ? Infinity : Math.abs(x - y);
}

function firstOpen(c: Seen): number | undefined {
  for (const t of c.transitions ?? []) if (t.state === 'open') return t.time;
  return undefined;
}

/** When a page EventSource was open again after each reconnect (its new request was answered). */
function reopenTimes(page: Seen): number[] {
  const times: number[] = [];
  let reconnecting = false;
  for (const t of page.transitions ?? []) {
    if (t.reason === 'reconnecting') reconnecting = true;
    else if (t.state === 'open' && reconnecting) {
      times.push(t.time);
      reconnecting = false;
    }
  }
  return times;
}

// ---------------------------------------------------------------------------------------------
// what the page missed

/** What the page saw of a request the wire saw too: enough to tell, per item, what it missed. */
export interface PageView {
  kind: StreamKind;
  /** EventSource: when the page began to listen for each named type (epoch ms). 'message' is always heard. */
  listening: ReadonlyMap<string, number>;
  /** When the page stopped reading before the stream ended (cancel, abort, `close()`); absent otherwise. */
  stoppedAt?: number;
  /** fetch/XHR, once stopped: how much of the stream's text (UTF-16 code units) the page had read. */
  readLength?: number;
  /**
   * EventSource, once stopped: the wire's own time of the last event the page heard (the N-th event
   * of a heard type on the wire, N the page's count), so "not read" compares times of one clock —
   * the wire's and the page's differ, and the page's last event looked unread on the wire. Absent
   * when it cannot be told (then `stoppedAt`); Infinity when the wire holds fewer (nothing unread).
   */
  readUntil?: number;
}

export type PageMark = 'not-heard' | 'not-read';

/** Reasons a page's stream ends that mean the page stopped reading (not the server, not the network). */
const STOPPED_BY_PAGE = new Set(['closed-by-page', 'cancelled-by-page', 'aborted']);

/** What the page saw of its stream `page`. */
export function pageViewOf(page: Connection): PageView {
  const listening = new Map<string, number>(page.listenTimes ?? []);
  // A log written before listen times were kept: its types were listened for from the start.
  for (const type of page.listenedTypes) if (!listening.has(type)) listening.set(type, -Infinity);
  const stopped =
    page.endTime !== undefined && page.stateReason !== undefined && STOPPED_BY_PAGE.has(page.stateReason)
      ? page.endTime
      : undefined;
  return {
    kind: page.kind,
    listening,
    ...(stopped === undefined ? {} : { stoppedAt: stopped }),
    ...(stopped !== undefined && page.kind !== 'eventsource' ? { readLength: rawLengthOf(page) } : {}),
  };
}

/** What the page missed of a wire item (undefined: the page saw it, or nothing says otherwise). O(1). */
export function pageMark(item: SseItem, view: PageView): PageMark | undefined {
  // A type no listener asked for is "not heard" whenever it came: that says why the page missed it.
  if (notHeard(item, view)) return 'not-heard';
  if (view.stoppedAt !== undefined) {
    // fetch/XHR items know where their text is: beyond what the page read, it never read them.
    if (item.span !== undefined && view.readLength !== undefined) {
      if (item.span.end > view.readLength) return 'not-read';
    } else if (item.time > (view.readUntil ?? view.stoppedAt)) return 'not-read';
  }
  return undefined;
}

/** An EventSource event of a named type no listener asked for when it came. O(1). */
function notHeard(item: SseItem, view: PageView): boolean {
  if (view.kind !== 'eventsource' || item.kind !== 'event' || item.type === 'message' || item.replayed === true) return false;
  const since = view.listening.get(item.type);
  return since === undefined || since > item.time;
}

export function samePageView(a: PageView, b: PageView): boolean {
  if (a.kind !== b.kind || a.stoppedAt !== b.stoppedAt || a.readLength !== b.readLength || a.readUntil !== b.readUntil)
    return false;
  if (a.listening.size !== b.listening.size) return false;
  for (const [type, time] of a.listening) if (b.listening.get(type) !== time) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// rows

/** What the filter needs to show each request once and to tell what the page missed. */
export interface SightingFilter {
  /**
   * Page streams of pairs, each with the time from which the wire holds what it holds: their items
   * from then on are shown from the wire (once); earlier ones (before deep capture was on) and
   * events the panel replayed into the page are the page's own.
   */
  duplicates: ReadonlyMap<string, number>;
  /** Wire streams of pairs: what the page saw of them. */
  pageViews: ReadonlyMap<string, PageView>;
  /**
   * Wire streams of pairs whose wire capture is incomplete (`wireShortfall`), each with its page
   * stream's id: the page's items are shown, and of the wire's only those the page never had.
   */
  partial: ReadonlyMap<string, string>;
}

export const NO_SIGHTINGS: SightingFilter = Object.freeze({ duplicates: new Map(), pageViews: new Map(), partial: new Map() });

/** Whether a pair's filter part hides anything (else a filter can skip it). */
export function hasSightings(sightings: SightingFilter): boolean {
  return sightings.duplicates.size > 0 || sightings.partial.size > 0;
}

/**
 * Whether an item of a pair is shown by the other stream instead (O(1)): a page item the wire
 * holds too; or, where the wire capture is incomplete, a wire item the page had too.
 */
export function isDuplicate(connectionId: string, item: SseItem, sightings: SightingFilter): boolean {
  if (sightings.partial.size > 0 && sightings.partial.has(connectionId)) {
    const view = sightings.pageViews.get(connectionId);
    return view !== undefined && !wireOnly(item, view);
  }
  const since = sightings.duplicates.get(connectionId);
  return since !== undefined && item.time >= since && !(item.kind === 'event' && item.replayed === true);
}

/**
 * Whether an item of a short wire capture is one the page never had (O(1)): an event of a type it
 * did not hear, or, for an EventSource, anything but an event (the page's EventSource sees events
 * only: comments, retries, ignored fields and the parser's warnings are the wire's). Not "not
 * read": a wire that holds less than the page saw holds nothing past where the page stopped, and
 * an event the wire stamped after the page's stop is one the page read (the clocks differ; under
 * load the browser's answer with what it had buffered comes late and carries its own time).
 */
export function wireOnly(item: SseItem, view: PageView): boolean {
  if (item.kind !== 'event') return view.kind === 'eventsource';
  return notHeard(item, view);
}

/** The same filter with every wire item shown (an export writes a pair's whole wire capture). */
export function withWholeWires(sightings: SightingFilter | null): SightingFilter | null {
  return sightings === null || sightings.partial.size === 0 ? sightings : { ...sightings, partial: new Map() };
}

export function sameSightings(a: SightingFilter | null | undefined, b: SightingFilter | null | undefined): boolean {
  if (a === b) return true;
  const x = a ?? NO_SIGHTINGS;
  const y = b ?? NO_SIGHTINGS;
  if (x.duplicates.size !== y.duplicates.size || x.pageViews.size !== y.pageViews.size) return false;
  if (x.partial.size !== y.partial.size) return false;
  for (const [id, since] of x.duplicates) if (y.duplicates.get(id) !== since) return false;
  for (const [id, page] of x.partial) if (y.partial.get(id) !== page) return false;
  for (const [id, view] of x.pageViews) {
    const other = y.pageViews.get(id);
    if (other === undefined || !samePageView(view, other)) return false;
  }
  return true;
}

/** One row of the connection list: a request, as one or both sightings saw it. */
export interface ConnectionRow {
  /** The row's id: the wire stream's for a pair (its items are what was sent). */
  id: string;
  /**
   * What the row shows. For a pair, a merged copy: the wire's response, state, bytes, chunks and
   * counts (what was sent), with the page's URL (when the wire's is unknown), frame, listened types
   * and request body; but where the wire capture is incomplete (`wireShortfall` set), the page's
   * stream as a page-only row shows it, with the counts of the events only the wire had added.
   */
  connection: Connection;
  /** Where it was seen; absent when nothing was seen on the wire (page mode: nothing to mark). */
  seen?: Sighting;
  /** The store's streams this row shows: [page, ...its wire streams] for a pair, else [its own]. */
  members: string[];
  /** A pair's page stream (for replay into the page, which knows it by that id). */
  page?: Connection;
  /** A pair's page view (what the page saw, the wire's items are marked against it). */
  pageView?: PageView;
  /** A pair's (first) wire stream, as the store holds it (an export writes it, with what the page saw). */
  wire?: Connection;
  /** A pair's wire streams: one per request of an EventSource that reconnected. */
  wires?: Connection[];
}

export interface Sightings {
  rows: ConnectionRow[];
  /** The row each store stream is shown in. */
  rowOf: ReadonlyMap<string, ConnectionRow>;
  filter: SightingFilter;
}

/**
 * A row as an export writes it: a pair is its wire streams (one per request), the first with what
 * the page saw (`pageSide`), the others marked against it; every row says where it was seen once
 * deep capture saw anything.
 */
export function exportedConnections(row: ConnectionRow): Connection[] {
  if (row.wires !== undefined && row.page !== undefined) {
    const page = row.page;
    const shortfall = row.connection.wireShortfall;
    return row.wires.map((wire, n) => ({
      ...wire,
      seen: 'both' as const,
      pageSide: {
        connection: page,
        ...(row.pageView === undefined ? {} : { view: row.pageView }),
        joined: n === 0 && wire.url === UNKNOWN_URL,
        ...(n > 0 ? { summary: false } : {}),
      },
      ...(n === 0 && shortfall !== undefined ? { wireShortfall: shortfall } : {}),
    }));
  }
  return [row.seen === undefined ? row.connection : { ...row.connection, seen: row.seen }];
}

/**
 * The rows of `connections` (in their order, a pair where its earlier member is), and the filter
 * parts. `previous`: the last result, whose `filter` is kept when equal by value, so incremental
 * views do not start over on every update. `itemsOf`: the store's items by stream
 * (`LogStore.itemsByConnection`), to tell a wire capture that holds less than the page saw
 * (`shortfallOf`); without it no pair is found short.
 */
export function mergeSightings(
  connections: readonly Connection[],
  previous?: Sightings,
  itemsOf?: ReadonlyMap<string, readonly LoggedItem[]>,
): Sightings {
  const anyWire = connections.some((c) => c.seenOn === 'wire');
  const pairs = anyWire ? pairRequests(connections) : [];
  const byId = new Map(connections.map((c) => [c.id, c]));
  // Each page stream with its wire streams (several when its EventSource reconnected), by start.
  const wiresOf = new Map<string, Connection[]>();
  const pageOf = new Map<string, string>();
  for (const pair of pairs) {
    const list = wiresOf.get(pair.page);
    if (list === undefined) wiresOf.set(pair.page, [byId.get(pair.wire)!]);
    else list.push(byId.get(pair.wire)!);
    pageOf.set(pair.wire, pair.page);
  }
  for (const list of wiresOf.values()) list.sort((a, b) => a.startTime - b.startTime);
  const rows: ConnectionRow[] = [];
  const rowOf = new Map<string, ConnectionRow>();
  const duplicates = new Map<string, number>();
  const pageViews = new Map<string, PageView>();
  const partial = new Map<string, string>();
  for (const c of connections) {
    if (rowOf.has(c.id)) continue;
    const pageId = c.seenOn === 'wire' ? pageOf.get(c.id) : wiresOf.has(c.id) ? c.id : undefined;
    let row: ConnectionRow;
    if (pageId === undefined) {
      row = { id: c.id, connection: c, members: [c.id], ...(anyWire ? { seen: c.seenOn === 'wire' ? 'wire' : 'page' } : {}) };
    } else {
      const page = byId.get(pageId)!;
      const wires = wiresOf.get(pageId)!;
      const wire = wires[0]!;
      // The page's items are the wires' too, but for those before the first wire stream when that
      // one did not start with the page's (deep capture joined mid-stream, or at a reconnect).
      const joinedLate = wire.url === UNKNOWN_URL || Math.abs(wire.startTime - page.startTime) > SAME_REQUEST_MS;
      const since = joinedLate ? wire.startTime : -Infinity;
      const view = withReadBoundary(pageViewOf(page), page, wires, since, itemsOf);
      const short = itemsOf === undefined ? undefined : shortfallOf(page, wires, since, view, itemsOf);
      row = {
        id: wire.id,
        connection: short === undefined ? merged(page, wires) : mergedShort(page, wires, short),
        seen: 'both',
        members: [page.id, ...wires.map((w) => w.id)],
        page,
        pageView: view,
        wire,
        wires,
      };
      if (short === undefined) duplicates.set(page.id, since);
      for (const w of wires) {
        pageViews.set(w.id, view);
        if (short !== undefined) partial.set(w.id, page.id);
      }
    }
    rows.push(row);
    for (const id of row.members) rowOf.set(id, row);
  }
  let filter: SightingFilter = pairs.length === 0 ? NO_SIGHTINGS : { duplicates, pageViews, partial };
  if (previous !== undefined && sameSightings(previous.filter, filter)) filter = previous.filter;
  return { rows, rowOf, filter };
}

// ---------------------------------------------------------------------------------------------
// a wire capture that holds less than the page saw

/**
 * Whether the wire capture of a pair holds less than the page saw, and by how much.
 *
 * The wire is the truth of what was sent only when it got the whole body. It may not: in Chromium
 * a burst that the server writes at once can be over before the debugger asks for the body, and
 * then the wire stream holds few events or none (and the browser's own parse, its fallback, only
 * what came after). Showing such a wire stream alone would hide what the page did see. So the rule
 * is to compare like with like, and never to show less than the page saw:
 * - EventSource: the wire's events of the types the page heard (when it heard them, whenever it
 *   stopped reading) against the page's events the wire should hold (from `since`, not replayed by
 *   the panel): the page heard a prefix of those, so fewer on the wire means the wire missed some.
 *   (Not the events `pageMark` leaves unmarked: at the end of a stream the page closed, the wire's
 *   clock may stamp the last events a little after the close, marking as "not read" events the
 *   page did read — seen in Chromium with 20k-event bursts.)
 * - fetch/XHR: the wire's text against the text the page read (UTF-16 code units on both sides,
 *   so XHR's characters compare too): the page read a prefix of the wire's body.
 * A stream still live lags a little on one side or the other (the page tap and the debugger report
 * apart), so a pair is found short only once every wire stream has ended, or when the page went on
 * more than SAME_REQUEST_MS past the wire's last record: a live pair does not flip to and fro, and
 * each flip (it costs the filtered views a pass over the log) is rare.
 *
 * A short pair's row then shows the page's items, as a page-only row would, and of the wire's only
 * those the page never had (`wireOnly`: events of types it did not hear, an EventSource's comments
 * and the like), cheaply told apart per item; its connection says so (`wireShortfall`). Counting is
 * incremental (`tally`): O(new items) per update, like the views.
 */
export function shortfallOf(
  page: Connection,
  wires: readonly Connection[],
  since: number,
  view: PageView,
  itemsOf: ReadonlyMap<string, readonly LoggedItem[]>,
): WireShortfall | undefined {
  let wireLast = -Infinity;
  let ended = true;
  for (const w of wires) {
    wireLast = Math.max(wireLast, w.lastTime);
    if (w.endTime === undefined) ended = false;
  }
  if (!ended && page.lastTime - wireLast <= SAME_REQUEST_MS) return undefined;
  let wire = 0;
  let wireEvents = 0;
  let missed = 0;
  const missedTypes = new Map<string, number>();
  for (const w of wires) {
    const t = wireTally(itemsOf.get(w.id) ?? NO_ITEMS, view);
    wire += page.kind === 'eventsource' ? t.count : rawLengthOf(w);
    wireEvents += t.count;
    missed += t.missed;
    for (const [type, n] of t.missedTypes) missedTypes.set(type, (missedTypes.get(type) ?? 0) + n);
  }
  const pageEvents = pageTally(itemsOf.get(page.id) ?? NO_ITEMS, since).count;
  const pageHas = page.kind === 'eventsource' ? pageEvents : rawLengthOf(page);
  if (wire >= pageHas) return undefined;
  return {
    unit: page.kind === 'eventsource' ? 'events' : 'chars',
    wire,
    page: pageHas,
    wireEvents,
    pageEvents,
    wireOnlyEvents: missed,
    wireOnlyTypes: missedTypes,
  };
}

const NO_ITEMS: readonly LoggedItem[] = Object.freeze([]);

/**
 * An EventSource the page closed: its view with `readUntil`, the wire's time of the page's last
 * heard event (see PageView). Per-wire counts are the tallies' (incremental); the boundary itself is
 * looked for once, in the wire that holds it, and kept while the page's count stays.
 */
function withReadBoundary(
  view: PageView,
  page: Connection,
  wires: readonly Connection[],
  since: number,
  itemsOf: ReadonlyMap<string, readonly LoggedItem[]> | undefined,
): PageView {
  if (itemsOf === undefined || view.kind !== 'eventsource' || view.stoppedAt === undefined) return view;
  const heard = pageTally(itemsOf.get(page.id) ?? NO_ITEMS, since).count;
  if (heard === 0) return view;
  const hearing: PageView = { kind: view.kind, listening: view.listening };
  let before = 0;
  for (const w of wires) {
    const items = itemsOf.get(w.id) ?? NO_ITEMS;
    const count = wireTally(items, hearing).count;
    if (before + count >= heard) return { ...view, readUntil: nthHeardTime(items, hearing, heard - before) };
    before += count;
  }
  return { ...view, readUntil: Infinity };
}

const boundaries = new WeakMap<readonly LoggedItem[], { n: number; time: number }>();

/** The time of the n-th event of a heard type among `items` (there are at least n). */
function nthHeardTime(items: readonly LoggedItem[], hearing: PageView, n: number): number {
  const kept = boundaries.get(items);
  if (kept !== undefined && kept.n === n) return kept.time;
  let seen = 0;
  for (const { item } of items) {
    if (item.kind !== 'event' || pageMark(item, hearing) !== undefined) continue;
    if (++seen === n) {
      boundaries.set(items, { n, time: item.time });
      return item.time;
    }
  }
  return Infinity;
}

interface Tally<K> {
  key: K;
  done: number;
  /** Page: its events the wire should hold. Wire: its events of types the page heard (whenever it stopped). */
  count: number;
  /** Wire: its events the page never had, in all and by type. */
  missed: number;
  missedTypes: Map<string, number>;
}

// By the store's item list of a stream (append-only; a cleared store has new lists).
const pageTallies = new WeakMap<readonly LoggedItem[], Tally<number>>();
const wireTallies = new WeakMap<readonly LoggedItem[], Tally<PageView>>();

function pageTally(items: readonly LoggedItem[], since: number): Tally<number> {
  let t = pageTallies.get(items);
  if (t === undefined || t.key !== since || t.done > items.length) {
    t = { key: since, done: 0, count: 0, missed: 0, missedTypes: new Map() };
    pageTallies.set(items, t);
  }
  for (let i = t.done; i < items.length; i++) {
    const item = items[i]!.item;
    if (item.kind === 'event' && item.time >= since && item.replayed !== true) t.count++;
  }
  t.done = items.length;
  return t;
}

function wireTally(items: readonly LoggedItem[], view: PageView): Tally<PageView> {
  let t = wireTallies.get(items);
  if (t === undefined || t.done > items.length || (t.key !== view && !samePageView(t.key, view))) {
    t = { key: view, done: 0, count: 0, missed: 0, missedTypes: new Map() };
    wireTallies.set(items, t);
  }
  // What the page could have heard ignores when it stopped: the wire's clock and the page's differ
  // by a little, so events at the very end of a stream the page closed on its last event can be
  // stamped after the close (and be marked "not read"); and after a stop the wire rightly holds more.
  const heard: PageView = { kind: view.kind, listening: view.listening };
  for (let i = t.done; i < items.length; i++) {
    const item = items[i]!.item;
    if (item.kind !== 'event') continue;
    if (pageMark(item, heard) === undefined) t.count++;
    if (wireOnly(item, view)) {
      t.missed++;
      t.missedTypes.set(item.type, (t.missedTypes.get(item.type) ?? 0) + 1);
    }
  }
  t.done = items.length;
  return t;
}

/**
 * A pair whose wire capture is short, as one connection: the page's stream (what it saw, as a
 * page-only row shows it), with the events only the wire had counted in, the wire's response when
 * the page has none, and what the wire holds (`wireShortfall`).
 */
function mergedShort(page: Connection, wires: readonly Connection[], short: WireShortfall): Connection {
  const wire = wires[0]!;
  const eventTypes = new Map(page.eventTypes);
  for (const [type, n] of short.wireOnlyTypes) eventTypes.set(type, (eventTypes.get(type) ?? 0) + n);
  let lastTime = page.lastTime;
  for (const w of wires) lastTime = Math.max(lastTime, w.lastTime);
  return {
    ...page,
    id: wire.id,
    ...(page.response === undefined && wire.response !== undefined ? { response: wire.response } : {}),
    requestHeaders: wire.requestHeaders.length > 0 ? wire.requestHeaders : page.requestHeaders,
    eventCount: page.eventCount + short.wireOnlyEvents,
    eventTypes,
    lastTime,
    seen: 'both',
    pageSide: { connection: page, joined: wire.url === UNKNOWN_URL },
    wireShortfall: short,
  };
}

/**
 * A request both saw, as one connection: what was sent (the wires'), where the page had it (the
 * page's). An EventSource that reconnected is one object in the page: its state and reconnects are
 * the page's, its counts all its requests'.
 */
function merged(page: Connection, wires: readonly Connection[]): Connection {
  const wire = wires[0]!;
  const joined = wire.url === UNKNOWN_URL;
  const one: Connection = {
    ...wire,
    // The API the page used (Firefox's wire records every response as a fetch's bytes).
    kind: page.kind,
    url: joined ? page.url : wire.url,
    startTime: Math.min(page.startTime, wire.startTime),
    frameId: page.frameId,
    frameUrl: page.frameUrl,
    listenedTypes: page.listenedTypes,
    ...(page.listenTimes === undefined ? {} : { listenTimes: page.listenTimes }),
    requestHeaders: wire.requestHeaders.length > 0 ? wire.requestHeaders : page.requestHeaders,
    ...(page.requestBody !== undefined || wire.requestBody !== undefined
      ? { requestBody: page.requestBody ?? wire.requestBody }
      : {}),
    ...(page.withCredentials === undefined ? {} : { withCredentials: page.withCredentials }),
    transitions: joined ? [...page.transitions.filter((t) => t.time < wire.startTime), ...wire.transitions] : wire.transitions,
    seen: 'both',
    pageSide: { connection: page, joined },
  };
  if (wires.length === 1) return one;
  let eventCount = 0;
  let lastTime = one.lastTime;
  const eventTypes = new Map<string, number>();
  for (const w of wires) {
    eventCount += w.eventCount;
    lastTime = Math.max(lastTime, w.lastTime);
    for (const [type, n] of w.eventTypes) eventTypes.set(type, (eventTypes.get(type) ?? 0) + n);
  }
  return {
    ...one,
    transitions: page.transitions,
    state: page.state,
    ...(page.stateReason === undefined ? { stateReason: undefined } : { stateReason: page.stateReason }),
    endTime: page.endTime,
    eventCount,
    eventTypes,
    lastTime,
  };
}
