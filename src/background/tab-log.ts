/**
 * One tab's log as the background keeps it: validated page records in arrival order, stamped with
 * the frame that sent them and a sequence number, within caps. What a cap refuses is counted and
 * the reason kept, so the panel can say how much is missing and why. No browser APIs here.
 */
import type { LogStats, PageRecord, StoredRecord } from '../protocol';

export interface TabLogLimits {
  maxRecords: number;
  /** Total length of stored chunk text and event data, in UTF-16 code units. */
  maxTextLength: number;
}

export const DEFAULT_LIMITS: TabLogLimits = {
  maxRecords: 2_000_000,
  maxTextLength: 512 * 1024 * 1024,
};

function textLengthOf(record: PageRecord): number {
  switch (record.type) {
    case 'stream-chunk':
      return record.text.length;
    case 'sse': {
      let length = 0;
      for (const item of record.items) if (item.kind === 'event') length += item.data.length;
      return length;
    }
    default:
      return 0;
  }
}

export class TabLog {
  records: StoredRecord[] = [];
  preserve = false;
  /** The top frame's current document (see RelayMessage 'relay-hello'). */
  topDocument: string | undefined;
  /** Streams opened and not yet closed or errored: while any is, the worker keeps itself alive. */
  readonly openStreams = new Set<string>();
  private seq = 0;
  private textLength = 0;
  private readonly droppedReasons = new Set<string>();
  stats: LogStats = { invalid: 0, dropped: 0, droppedReasons: [] };

  constructor(private readonly limits: TabLogLimits = DEFAULT_LIMITS) {}

  /** Appends what fits; returns the records stored. */
  append(records: PageRecord[], frameId: number): StoredRecord[] {
    const stored: StoredRecord[] = [];
    for (const record of records) {
      const length = textLengthOf(record);
      if (this.records.length >= this.limits.maxRecords) {
        this.drop(1, `tab log holds at most ${this.limits.maxRecords} records`);
        continue;
      }
      if (this.textLength + length > this.limits.maxTextLength) {
        this.drop(1, `tab log holds at most ${Math.round(this.limits.maxTextLength / 1048576)} MiB of text`);
        continue;
      }
      this.textLength += length;
      if (record.type === 'stream-open') this.openStreams.add(record.stream);
      else if (record.type === 'stream-state' && (record.state === 'closed' || record.state === 'error')) {
        this.openStreams.delete(record.stream);
      }
      const entry = { ...record, frameId, seq: this.seq++ } as StoredRecord;
      this.records.push(entry);
      stored.push(entry);
    }
    return stored;
  }

  drop(count: number, reason: string): void {
    if (count <= 0) return;
    this.stats.dropped += count;
    if (!this.droppedReasons.has(reason)) {
      this.droppedReasons.add(reason);
      this.stats.droppedReasons = [...this.droppedReasons];
    }
  }

  countInvalid(count: number): void {
    this.stats.invalid += count;
  }

  clear(): void {
    this.records = [];
    this.openStreams.clear();
    this.textLength = 0;
    this.droppedReasons.clear();
    this.stats = { invalid: 0, dropped: 0, droppedReasons: [] };
  }
}
