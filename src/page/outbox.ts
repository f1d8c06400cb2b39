/**
 * The page world's only way out: records are appended to an array (the cheap part the page pays
 * for each event) and posted to the relay as one JSON string per batch, at most every
 * FLUSH_DELAY_MS, as a CustomEvent on window (only the relay listens for that name; unlike
 * window.postMessage, the page's own `message` listeners never see it).
 *
 * Until the relay has said it is listening, records wait here (bounded; what the bound drops is
 * counted and reported in the next batch).
 */
import { PAGE_EVENT, PROTOCOL_VERSION, type PageBatch, type PageRecord } from '../protocol';
import type { SseItem } from '../core/sse-types';
import { call, natives } from './natives';

const FLUSH_DELAY_MS = 50;
/** Flush at once when this many records wait (bounds the batch and the page's memory). */
const FLUSH_AT_RECORDS = 4000;
/** Records kept while the relay is not (yet) there. */
const MAX_WAITING_RECORDS = 200_000;

export class Outbox {
  private records: PageRecord[] = [];
  /** Records and grouped items waiting: what the batch bound counts. */
  private waiting = 0;
  private dropped = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private relayReady = false;

  constructor(private readonly target: EventTarget) {
    call(natives.addEventListener, target, PAGE_EVENT.relayReady, () => {
      this.relayReady = true;
      this.flush();
    });
    // The relay may already be listening (it can be injected before us): ask it to answer.
    this.dispatch(PAGE_EVENT.pageHello, null);
    // Records of the last few milliseconds would be lost with the document otherwise.
    call(natives.addEventListener, target, 'pagehide', () => this.flush());
  }

  add(record: PageRecord): void {
    if (this.waiting >= MAX_WAITING_RECORDS) {
      this.dropped++;
      return;
    }
    this.records[this.records.length] = record;
    this.counted();
  }

  /** An item of `stream`: joins the last record when that holds items of the same stream. */
  addItem(stream: string, item: SseItem): void {
    const records = this.records;
    const last = records[records.length - 1];
    if (last === undefined || last.type !== 'sse' || last.stream !== stream) {
      this.add({ type: 'sse', stream, items: [item] });
      return;
    }
    if (this.waiting >= MAX_WAITING_RECORDS) {
      this.dropped++;
      return;
    }
    last.items[last.items.length] = item;
    this.counted();
  }

  private counted(): void {
    this.waiting++;
    if (this.waiting >= FLUSH_AT_RECORDS && this.relayReady) this.flush();
    else if (this.timer === undefined) {
      this.timer = call(natives.setTimeout, globalThis, () => this.flush(), FLUSH_DELAY_MS);
    }
  }

  flush(): void {
    if (this.timer !== undefined) {
      call(natives.clearTimeout, globalThis, this.timer);
      this.timer = undefined;
    }
    if (!this.relayReady || (this.waiting === 0 && this.dropped === 0)) return;
    const batch: PageBatch = { v: PROTOCOL_VERSION, dropped: this.dropped, records: this.records };
    this.records = [];
    this.waiting = 0;
    this.dropped = 0;
    let json: string;
    try {
      json = natives.jsonStringify(batch);
    } catch {
      // A record we built cannot be serialized: never expected; count rather than lose silently.
      this.dropped += batch.records.length;
      return;
    }
    this.dispatch(PAGE_EVENT.batch, json);
  }

  private dispatch(type: string, detail: string | null): void {
    const event = new natives.CustomEvent(type, { detail });
    call(natives.dispatchEvent, this.target, event);
  }
}
