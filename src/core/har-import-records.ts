/**
 * What HAR import builds for each stream: its records with the time and rank that order them, the
 * `_eventSourceMessages` every kind of entry may carry, and raw text without chunk times cut into
 * timed chunks (`spreadChunks`). Shared by the readers of our own entries
 * (`har-import-own.ts`) and of other tools' (`har-import-foreign.ts`).
 */
import type { PageRecord, StreamState } from '../protocol';
import { list, optString, number, type Json } from './har-fields';

/** Order of records at the same time: open, listen, connecting, response, open state, data, end. */
export const RANK = { open: 0, listen: 1, connecting: 2, response: 3, opened: 4, data: 5, end: 6 } as const;
export const stateRank = (state: StreamState): number =>
  state === 'connecting' ? RANK.connecting : state === 'open' ? RANK.opened : RANK.end;

export interface Timed {
  time: number;
  rank: number;
  record: PageRecord;
}

/** Merges lists each already in its own order: the earliest (time, rank) head goes first. */
export function mergeLists(lists: Timed[][]): Timed[] {
  const out: Timed[] = [];
  const heads = lists.map(() => 0);
  for (;;) {
    let best = -1;
    for (let l = 0; l < lists.length; l++) {
      const head = lists[l]![heads[l]!];
      if (head === undefined) continue;
      const current = best === -1 ? undefined : lists[best]![heads[best]!]!;
      if (current === undefined || head.time < current.time || (head.time === current.time && head.rank < current.rank)) best = l;
    }
    if (best === -1) return out;
    out.push(lists[best]![heads[best]!++]!);
  }
}

export interface StreamRecords {
  records: Timed[];
  events: number;
  hasContent: boolean;
}

export interface Message {
  time: number;
  eventName: string;
  eventId: string;
  data: string;
}

export function readMessages(entry: Json, path: string): Message[] {
  if (entry._eventSourceMessages === undefined) return [];
  return list(entry, '_eventSourceMessages', path, (m, p) => ({
    time: number(m, 'time', p),
    eventName: optString(m, 'eventName', p) ?? '',
    eventId: optString(m, 'eventId', p) ?? '',
    data: optString(m, 'data', p) ?? '',
  }));
}

/** Offsets just after each blank line (where each event block ends), and the text's end. */
function blockEnds(text: string): number[] {
  const ends: number[] = [];
  let lineStart = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x0a && c !== 0x0d) {
      i++;
      continue;
    }
    const next = c === 0x0d && text.charCodeAt(i + 1) === 0x0a ? i + 2 : i + 1;
    if (i === lineStart && next < text.length) ends.push(next);
    lineStart = i = next;
  }
  ends.push(text.length);
  return ends;
}

/**
 * Raw text without chunk times: one chunk per event block, each stamped at a time spread by its
 * end's position in the text over [from, to].
 */
export function spreadChunks(text: string, streamId: string, from: number, to: number): Timed[] {
  const timed: Timed[] = [];
  const encoder = new TextEncoder();
  let start = 0;
  for (const end of blockEnds(text)) {
    const piece = text.slice(start, end);
    const at = from + ((to - from) * end) / text.length;
    timed.push({
      time: at,
      rank: RANK.data,
      record: { type: 'stream-chunk', stream: streamId, text: piece, bytes: encoder.encode(piece).byteLength, time: at },
    });
    start = end;
  }
  return timed;
}
