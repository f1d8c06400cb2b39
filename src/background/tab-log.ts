/**
 * One tab's log as the background knows it: the records of each document (frame) it heard from,
 * stamped with the frame id and a sequence number, within caps. No browser APIs here.
 *
 * The page world holds every document's capture until asked (src/page/page-log.ts), so what lives
 * here is a copy: what open panels were sent, plus the logs of documents that went away (an iframe
 * that navigated; with Preserve log, previous pages), which the background also writes to
 * IndexedDB. Each document's records are numbered from 0 by the page; `next` is how far the copy
 * goes, so a batch that repeats records is trimmed and one that skips records asks for a re-send.
 *
 * Caps, charged by the real size of what is stored (strings at one byte a character when they are
 * Latin-1, as the engine stores them, else two; plus a fixed overhead per record and per event): per document, per tab (where the top frame's share
 * is reserved: a flood from an iframe cannot take it), and across all tabs (a MemoryPool shared
 * by every TabLog). What a cap refuses is counted with its reason, never evicted silently.
 */
import type { DropCount, LogStats, PageRecord, StoredRecord } from '../protocol';
import type { DecodedBatch } from './wire-decode';
import { StreamDecoders } from './wire-decode';
import { dropReason } from '../protocol/drop-reasons';

export interface TabLogLimits {
  /** Bytes one document may hold. */
  perDocument: number;
  /** Bytes one tab may hold; iframes together get this less one document's share. */
  perTab: number;
}

export const DEFAULT_LIMITS: TabLogLimits = {
  perDocument: 256 * 1024 * 1024,
  perTab: 512 * 1024 * 1024,
};

/** Bytes all tabs together may hold. */
export const GLOBAL_LIMIT = 1024 * 1024 * 1024;

const RECORD_OVERHEAD = 64;
const ITEM_OVERHEAD = 48;

/** Memory shared by every tab's log. */
export class MemoryPool {
  used = 0;
  constructor(readonly limit = GLOBAL_LIMIT) {}
}

/** Characters outside Latin-1: with none, the engine stores a string at one byte a character. */
// eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose
const WIDE_CHARACTER = /[^\u0000-\u00ff]/;

/** Bytes a string takes: one a character when it is all Latin-1 (as V8 and SpiderMonkey store it), else two. */
const chars = (value: string | undefined): number =>
  value === undefined ? 0 : WIDE_CHARACTER.test(value) ? value.length * 2 : value.length;

/** What a record costs to hold: its strings (URLs, headers, bodies, comments, data) and overheads. */
export function recordCharge(record: PageRecord): number {
  let charge = RECORD_OVERHEAD;
  switch (record.type) {
    case 'stream-open':
      charge += chars(record.url) + chars(record.frameUrl) + chars(record.method) + chars(record.requestBody?.text);
      for (const header of record.requestHeaders) charge += chars(header.name) + chars(header.value) + ITEM_OVERHEAD;
      break;
    case 'stream-response':
      charge += chars(record.statusText) + chars(record.contentType) + chars(record.url);
      for (const header of record.responseHeaders) charge += chars(header.name) + chars(header.value) + ITEM_OVERHEAD;
      break;
    case 'stream-state':
      charge += chars(record.detail);
      break;
    case 'stream-chunk':
      charge += chars(record.text);
      break;
    case 'stream-request-body':
      charge += chars(record.body.text);
      break;
    case 'stream-listen':
      charge += chars(record.eventType);
      break;
    case 'sse':
      for (const item of record.items) {
        charge += ITEM_OVERHEAD;
        if (item.kind === 'event') charge += chars(item.type) + chars(item.data) + chars(item.lastEventId);
        else if (item.kind === 'comment') charge += chars(item.text);
        else if (item.kind === 'field') charge += chars(item.name) + chars(item.value);
        else if (item.kind === 'warning') charge += chars(item.message);
      }
      break;
    case 'capture-issue':
      charge += chars(record.message);
      break;
  }
  return charge;
}

/** One document of the tab, as far as the background has its records. */
export class DocumentLog {
  /** Records received, in the page's order (index = the page's record number, up to `next`). */
  readonly records: StoredRecord[] = [];
  /** How many of the page's records the copy covers (including refused ones). */
  next = 0;
  /** Waiting for a re-send from 0 (the page is ahead of what we have: the worker restarted). */
  awaitingResend = false;
  /** The document went away; its log is kept (and written to IndexedDB). */
  departed = false;
  charge = 0;
  /** The page world's own drop totals, by reason. */
  pageDrops: DropCount[] = [];
  readonly decoders = new StreamDecoders();

  constructor(
    readonly frameId: number,
    readonly documentId: string,
    public frameUrl: string,
    readonly isTop: boolean,
  ) {}
}

/** What `TabLog.receive` did with a batch. */
export interface Received {
  stored: StoredRecord[];
  /** Ask the document to send again from this index. */
  resendFrom?: number;
}

export class TabLog {
  /** Every stored record in arrival order: what a panel is sent. */
  records: StoredRecord[] = [];
  readonly documents = new Map<string, DocumentLog>();
  preserve = false;
  /** The top frame's current document (see RelayMessage 'relay-hello'). */
  topDocument: string | undefined;
  /** Documents of pages this tab navigated away from (their late batches are not this page's). */
  private readonly previousDocuments = new Set<string>();
  /** When the log was last cleared for a navigation (late batches of unknown documents are ignored just after). */
  clearedAt = -Infinity;
  private seq = 0;
  private charge = 0;
  private iframeCharge = 0;
  private invalid = 0;
  private readonly drops = new Map<string, number>();

  constructor(
    private readonly pool: MemoryPool = new MemoryPool(),
    private readonly limits: TabLogLimits = DEFAULT_LIMITS,
  ) {}

  /** The document's log, made on first contact; undefined for a document of a page we left. */
  document(frameId: number, documentId: string, frameUrl: string, isTop: boolean): DocumentLog | undefined {
    if (this.previousDocuments.has(documentId)) return undefined;
    let doc = this.documents.get(documentId);
    if (doc === undefined || doc.frameId !== frameId) {
      if (doc !== undefined) return undefined; // another frame claims this document id: not believed
      doc = new DocumentLog(frameId, documentId, frameUrl, isTop);
      this.documents.set(documentId, doc);
    }
    return doc;
  }

  /** Takes a decoded batch of `doc`: trims what the copy already has, asks again for what it misses. */
  receive(doc: DocumentLog, batch: DecodedBatch): Received {
    doc.pageDrops = batch.drops;
    const stored: StoredRecord[] = [];
    if (batch.at > doc.next) {
      if (doc.next === 0 || doc.awaitingResend) {
        // We have nothing (or less than the page sent before): the worker restarted. The page
        // holds it all: ask for everything once, and ignore ahead-of-us batches until it comes.
        const ask = !doc.awaitingResend;
        doc.awaitingResend = true;
        return ask ? { stored, resendFrom: doc.next } : { stored };
      }
      // Records the relay refused (counted there): go on from here.
      doc.next = batch.at;
    }
    if (batch.at === 0) doc.awaitingResend = false;
    const skip = doc.next - batch.at;
    for (let i = Math.max(0, skip); i < batch.records.length; i++) {
      const records = batch.records[i];
      doc.next++;
      if (records === null) {
        this.invalid++;
        continue;
      }
      for (const record of records) {
        const entry = this.store(doc, record);
        if (entry !== undefined) stored.push(entry);
      }
    }
    return { stored };
  }

  /** Appends a record of `doc` if the caps allow. */
  store(doc: DocumentLog, record: PageRecord): StoredRecord | undefined {
    const charge = recordCharge(record);
    const reason = this.refusal(doc, charge);
    if (reason !== undefined) {
      this.drop(1, reason);
      return undefined;
    }
    doc.charge += charge;
    this.charge += charge;
    if (!doc.isTop) this.iframeCharge += charge;
    this.pool.used += charge;
    const entry = { ...record, frameId: doc.frameId, seq: this.seq++ } as StoredRecord;
    doc.records.push(entry);
    this.records.push(entry);
    return entry;
  }

  private refusal(doc: DocumentLog, charge: number): string | undefined {
    if (doc.charge + charge > this.limits.perDocument) return dropReason('frame-log-full', this.limits.perDocument);
    if (!doc.isTop && this.iframeCharge + charge > this.limits.perTab - this.limits.perDocument) {
      return dropReason('iframes-full', this.limits.perTab - this.limits.perDocument);
    }
    if (this.charge + charge > this.limits.perTab) return dropReason('tab-log-full', this.limits.perTab);
    if (this.pool.used + charge > this.pool.limit) return dropReason('all-tabs-full', this.pool.limit);
    return undefined;
  }

  drop(count: number, reason: string): void {
    if (count <= 0) return;
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + count);
  }

  countInvalid(count: number): void {
    this.invalid += count;
  }

  get stats(): LogStats {
    const reasons = new Map(this.drops);
    for (const doc of this.documents.values()) {
      for (const drop of doc.pageDrops) reasons.set(drop.reason, (reasons.get(drop.reason) ?? 0) + drop.count);
    }
    let dropped = 0;
    const droppedReasons: LogStats['droppedReasons'] = [];
    for (const [reason, count] of reasons) {
      dropped += count;
      droppedReasons.push({ reason, count });
    }
    return { invalid: this.invalid, dropped, droppedReasons };
  }

  /** Empties the log. `navigation`: the documents known so far belong to the page we left. */
  clear(navigation = false, now = Date.now()): void {
    if (navigation) {
      for (const id of this.documents.keys()) this.previousDocuments.add(id);
      this.clearedAt = now;
    }
    this.pool.used -= this.charge;
    this.records = [];
    this.documents.clear();
    this.seq = 0;
    this.charge = 0;
    this.iframeCharge = 0;
    this.invalid = 0;
    this.drops.clear();
  }

  /**
   * Clear from the panel: the records go, the documents stay with the place their copy reached, so
   * the pages (which keep their own logs) go on sending from there, not from the start.
   */
  clearKeepingPlaces(): void {
    const documents = [...this.documents.values()].filter((doc) => !doc.departed);
    this.clear();
    for (const old of documents) {
      const doc = this.document(old.frameId, old.documentId, old.frameUrl, old.isTop)!;
      doc.next = old.next;
    }
  }

  /** Where each live document's copy ends (to be asked for what follows). */
  places(): Record<string, { frameId: number; next: number; isTop: boolean }> {
    const places: Record<string, { frameId: number; next: number; isTop: boolean }> = {};
    for (const doc of this.documents.values()) {
      if (!doc.departed) places[doc.documentId] = { frameId: doc.frameId, next: doc.next, isTop: doc.isTop };
    }
    return places;
  }

  /** Gives the memory back to the pool (the tab closed). */
  dispose(): void {
    this.clear();
  }
}
