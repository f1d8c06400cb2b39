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
import { bare, bareArray, call, hasOwn, natives } from './natives';

const FLUSH_DELAY_MS = 50;
/** Flush at once when this many records wait (bounds the batch and the page's memory). */
const FLUSH_AT_RECORDS = 4000;
/** Records kept while the relay is not (yet) there. */
const MAX_WAITING_RECORDS = 200_000;

/** Options of the delayed flush task (no prototype: the scheduler reads them with [[Get]]). */
const FLUSH_TASK_OPTIONS = bare({ delay: FLUSH_DELAY_MS });

/**
 * JSON of our own records without JSON.stringify looking up `toJSON` on them: used when the page
 * has put one on Object.prototype or Array.prototype (it would see, and could change, every record).
 */
function safeJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return value === undefined || typeof value === 'function' ? 'null' : natives.jsonStringify(value);
  }
  if (natives.arrayIsArray(value)) {
    const array = value as unknown[];
    let out = '[';
    for (let i = 0; i < array.length; i++) out += (i === 0 ? '' : ',') + safeJson(array[i]);
    return `${out}]`;
  }
  const keys = natives.objectKeys(value);
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === 'function') continue;
    out += `${first ? '' : ','}${natives.jsonStringify(key)}:${safeJson(member)}`;
    first = false;
  }
  return `${out}}`;
}

function pageHasToJson(): boolean {
  return hasOwn(natives.objectPrototype, 'toJSON') || hasOwn(natives.arrayPrototype, 'toJSON');
}

export class Outbox {
  private records: PageRecord[] = bareArray();
  /** Records and grouped items waiting: what the batch bound counts. */
  private waiting = 0;
  private dropped = 0;
  /** A flush is scheduled; `scheduled` names it (an earlier flush makes it stale). */
  private scheduled = 0;
  private flushes = 0;
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
      this.add({ type: 'sse', stream, items: bareArray(item) });
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
    else if (this.scheduled === 0) this.schedule();
  }

  /**
   * Flushes in FLUSH_DELAY_MS. scheduler.postTask takes no timer id: with setTimeout, the page
   * would see a gap in the ids of its own timers.
   */
  private schedule(): void {
    const flush = ++this.flushes;
    this.scheduled = flush;
    const run = () => {
      try {
        if (this.scheduled === flush) this.flush();
      } catch {
        // Nothing may reach the page (a throw here would reject the task's promise).
      }
    };
    if (natives.schedulerPostTask !== undefined) {
      try {
        call(natives.schedulerPostTask, natives.scheduler, run, FLUSH_TASK_OPTIONS);
        return;
      } catch {
        // Fall back to a timer.
      }
    }
    call(natives.setTimeout, globalThis, run, FLUSH_DELAY_MS);
  }

  flush(): void {
    this.scheduled = 0;
    if (!this.relayReady || (this.waiting === 0 && this.dropped === 0)) return;
    const batch: PageBatch = { v: PROTOCOL_VERSION, dropped: this.dropped, records: this.records };
    this.records = bareArray();
    this.waiting = 0;
    this.dropped = 0;
    let json: string;
    try {
      json = pageHasToJson() ? safeJson(batch) : natives.jsonStringify(batch);
    } catch {
      // A record we built cannot be serialized: never expected; count rather than lose silently.
      this.dropped += batch.records.length;
      return;
    }
    this.dispatch(PAGE_EVENT.batch, json);
  }

  private dispatch(type: string, detail: string | null): void {
    const event = new natives.CustomEvent(type, bare({ detail }));
    call(natives.dispatchEvent, this.target, event);
  }
}
