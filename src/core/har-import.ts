/**
 * HAR import: turns a HAR file into the StoredRecords a LogStore replays, so an imported file is
 * viewed with the panel's own views. This file reads the file and its entries and interleaves the
 * streams; the rooms it uses:
 * - `har-import-own.ts`: entries SSE DevTools wrote (`_sseDevtools`, read through the schema in
 *   `har-extras.ts` that the writer uses too), rebuilt exactly;
 * - `har-import-foreign.ts`: other tools' entries (Chrome's "Save all as HAR with content"),
 *   parsed from their text or their `_eventSourceMessages`;
 * - `har-import-records.ts`: the timed records both build; `har-fields.ts`: field readers.
 * Records of different streams are interleaved by time (the original arrival order, whose ties
 * across streams a HAR does not keep).
 *
 * A file that is too large, not JSON, not a HAR, has a field of the wrong type or no SSE entry
 * gives a clear error and no records.
 */
import { isPageRecord, type PageRecord, type StoredRecord } from '../protocol';
import { BadField, isObject, object } from './har-fields';
import { readSseDevtoolsExtras } from './har-extras';
import type { StreamRecords, Timed } from './har-import-records';
import { readOwnEntry } from './har-import-own';
import { foreignKind, readForeignEntry } from './har-import-foreign';

/** Largest file imported (the text's length; a string of this size is near what engines allow). */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

export type ImportErrorCode = 'too-large' | 'not-json' | 'not-har' | 'bad-field' | 'no-sse';

export interface ImportOptions {
  /** Refuse texts longer than this (default MAX_IMPORT_BYTES). */
  maxLength?: number;
}

export interface ImportSummary {
  /** The HAR's creator, e.g. "SSE DevTools 0.1.0" or "WebInspector 537.36". */
  creator: string;
  /** Every SSE entry came from SSE DevTools: streams are rebuilt exactly. */
  ownFormat: boolean;
  /** Entries in the file. */
  entries: number;
  /** Streams imported. */
  streams: number;
  /** Entries that are not SSE streams (left out). */
  skipped: number;
  /** Events across the imported streams. */
  events: number;
  /** SSE entries with neither content.text nor messages (imported as streams without events). */
  withoutContent: number;
  /** Earliest and latest time in the imported records (epoch ms). */
  timeRange?: [number, number];
}

export type ImportResult =
  | { ok: true; records: StoredRecord[]; summary: ImportSummary }
  | { ok: false; code: ImportErrorCode; error: string; detail?: string };

// ---------------------------------------------------------------------------------------------

function fail(code: ImportErrorCode, error: string, detail?: string): ImportResult {
  return { ok: false, code, error, ...(detail !== undefined ? { detail } : {}) };
}

const megabytes = (n: number) => `${Math.ceil(n / (1024 * 1024))} MB`;

export function importHar(text: string, options: ImportOptions = {}): ImportResult {
  const maxLength = options.maxLength ?? MAX_IMPORT_BYTES;
  if (text.length > maxLength) {
    return fail(
      'too-large',
      `The file is too large to import (${megabytes(text.length)}; the limit is ${megabytes(maxLength)}).`,
      megabytes(maxLength),
    );
  }
  let root: unknown;
  try {
    root = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail('not-json', `The file is not valid JSON (${reason}), so it is not a HAR file.`, reason);
  }
  if (!isObject(root) || !isObject(root.log) || !Array.isArray(root.log.entries)) {
    return fail('not-har', 'The file is JSON but not a HAR file: it has no "log.entries" list.');
  }
  const log = root.log;
  const entries = log.entries as unknown[];
  const creator = isObject(log.creator)
    ? [log.creator.name, log.creator.version].filter((v) => typeof v === 'string' && v !== '').join(' ')
    : '';

  const streams: { records: Timed[]; frameId: number }[] = [];
  const usedIds = new Set<string>();
  let skipped = 0;
  let events = 0;
  let withoutContent = 0;
  let ownEntries = 0;
  /** Page streams rebuilt beside their wire stream (one entry, one request: not counted apart). */
  let pageStreams = 0;
  try {
    entries.forEach((value, index) => {
      const path = `log.entries[${index}]`;
      const entry = object(value, path);
      let read: StreamRecords;
      let frameId = 0;
      let companion: { records: Timed[]; frameId: number } | undefined;
      if (entry._sseDevtools !== undefined) {
        const extras = readSseDevtoolsExtras(entry._sseDevtools, `${path}._sseDevtools`);
        let id = extras.streamId;
        // Two files joined into one could repeat an id: keep the streams apart.
        for (let n = 2; usedIds.has(id); n++) id = `${extras.streamId}#${n}`;
        usedIds.add(id);
        frameId = extras.frameId;
        // A request deep capture and the page tap both saw: the page's stream comes back beside it.
        let pageId = extras.page?.streamId;
        if (pageId !== undefined) {
          const base = pageId;
          for (let n = 2; usedIds.has(pageId); n++) pageId = `${base}#${n}`;
          usedIds.add(pageId);
        }
        const own = readOwnEntry(entry, path, id, extras, pageId);
        companion = own.page;
        read = own;
        ownEntries++;
      } else {
        const kind = foreignKind(entry, path);
        if (kind === null) {
          skipped++;
          return;
        }
        let id = `har-${index}`;
        for (let n = 2; usedIds.has(id); n++) id = `har-${index}#${n}`;
        usedIds.add(id);
        read = readForeignEntry(entry, path, id, kind);
      }
      events += read.events;
      if (!read.hasContent) withoutContent++;
      streams.push({ records: read.records, frameId });
      if (companion !== undefined) {
        streams.push(companion);
        pageStreams++;
      }
    });
  } catch (error) {
    if (error instanceof BadField) {
      return fail(
        'bad-field',
        `The HAR file has a field of the wrong type: ${error.path} should be ${error.expected}.`,
        `${error.path}: ${error.expected}`,
      );
    }
    throw error;
  }
  if (streams.length === 0) {
    return fail(
      'no-sse',
      `The HAR file has ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} but no Server-Sent Events stream (no text/event-stream response and no EventSource messages).`,
      String(entries.length),
    );
  }

  // Interleave the streams by time, each keeping its own order (its times made non-decreasing).
  const keyed: { at: number; stream: number; index: number; record: PageRecord }[] = [];
  streams.forEach(({ records }, stream) => {
    let at = -Infinity;
    records.forEach((timed, index) => {
      at = Math.max(at, timed.time);
      keyed.push({ at, stream, index, record: timed.record });
    });
  });
  keyed.sort((a, b) => a.at - b.at || a.stream - b.stream || a.index - b.index);

  const records: StoredRecord[] = [];
  let first = Infinity;
  let last = -Infinity;
  for (const { stream, record } of keyed) {
    // A file may say a stream was seen on the wire (a page's record may not: the background refuses that).
    const wire = record.type === 'stream-open' && record.seenOn === 'wire';
    if (!isPageRecord(wire ? { ...record, seenOn: undefined } : record)) {
      return fail(
        'bad-field',
        `The HAR file has a value SSE DevTools cannot show in stream ${stream + 1}.`,
        `stream ${stream + 1}`,
      );
    }
    const times = record.type === 'sse' ? record.items.map((i) => i.time) : [record.time];
    for (const t of times) {
      first = Math.min(first, t);
      last = Math.max(last, t);
    }
    const previous = records[records.length - 1];
    // Consecutive items of one stream share a record, as the page's batches do.
    if (record.type === 'sse' && previous?.type === 'sse' && previous.stream === record.stream) {
      for (const item of record.items) previous.items.push(item);
      continue;
    }
    records.push({ ...record, frameId: streams[stream]!.frameId, seq: records.length } as StoredRecord);
  }
  return {
    ok: true,
    records,
    summary: {
      creator,
      ownFormat: ownEntries === entries.length - skipped,
      entries: entries.length,
      streams: streams.length - pageStreams,
      skipped,
      events,
      withoutContent,
      ...(first <= last ? { timeRange: [first, last] as [number, number] } : {}),
    },
  };
}
