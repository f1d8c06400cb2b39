/**
 * The background's tab log: per-document cursors (trim repeats, ask again after a worker restart),
 * caps charged by real size per document, for iframes together, per tab and across tabs, and the
 * counting of every refusal.
 */
import { describe, expect, it } from 'vitest';
import { MemoryPool, recordCharge, TabLog } from './tab-log';
import type { DecodedBatch } from './wire-decode';
import type { PageRecord } from '../protocol';

const issue = (message: string): PageRecord => ({ type: 'capture-issue', message, time: 1 });
const batchOf = (at: number, messages: string[], extra: Partial<DecodedBatch> = {}): DecodedBatch => ({
  at,
  records: messages.map((m) => [issue(m)]),
  drops: [],
  final: false,
  ...extra,
});
const messages = (log: TabLog) => log.records.map((r) => (r as { message: string }).message);

describe('TabLog', () => {
  it('stamps records with frame and sequence in arrival order, documents apart', () => {
    const log = new TabLog();
    const top = log.document(0, 'top', 'https://a/', true)!;
    const frame = log.document(3, 'frame', 'https://b/', false)!;
    log.receive(top, batchOf(0, ['a', 'b']));
    const { stored } = log.receive(frame, batchOf(0, ['c']));
    expect(stored).toEqual([{ ...issue('c'), frameId: 3, seq: 2 }]);
    expect(log.records.map((r) => [r.frameId, r.seq])).toEqual([
      [0, 0],
      [0, 1],
      [3, 2],
    ]);
  });

  it('trims records it already has, and asks once for everything when a page is ahead of it', () => {
    const log = new TabLog();
    const doc = log.document(0, 'd', '', true)!;
    log.receive(doc, batchOf(0, ['0', '1', '2']));
    log.receive(doc, batchOf(1, ['1', '2', '3']));
    expect(messages(log)).toEqual(['0', '1', '2', '3']);

    // A restarted worker: a fresh log hears a live page at record 4.
    const fresh = new TabLog();
    const again = fresh.document(0, 'd', '', true)!;
    expect(fresh.receive(again, batchOf(4, ['4'])).resendFrom).toBe(0);
    expect(fresh.receive(again, batchOf(5, ['5'])).resendFrom).toBeUndefined();
    fresh.receive(again, batchOf(0, ['0', '1', '2', '3', '4', '5']));
    fresh.receive(again, batchOf(6, ['6']));
    expect(messages(fresh)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
  });

  it('counts invalid records, and goes on past records the relay refused', () => {
    const log = new TabLog();
    const doc = log.document(0, 'd', '', true)!;
    log.receive(doc, { at: 0, records: [[issue('a')], null, [issue('c')]], drops: [], final: false });
    log.receive(doc, batchOf(10, ['k']));
    expect(messages(log)).toEqual(['a', 'c', 'k']);
    expect(log.stats.invalid).toBe(1);
  });

  it('charges every string a record holds, not only event data', () => {
    const open: PageRecord = {
      type: 'stream-open',
      stream: 's',
      kind: 'fetch',
      url: 'u'.repeat(1000),
      method: 'POST',
      requestHeaders: [{ name: 'h', value: 'v'.repeat(500) }],
      requestBody: { mimeType: 'application/json', text: 'b'.repeat(2000) },
      frameUrl: 'f'.repeat(100),
      time: 1,
    };
    expect(recordCharge(open)).toBeGreaterThan(1000 + 500 + 2000 + 100);
    // Strings beyond Latin-1 take two bytes a character.
    expect(recordCharge({ ...open, url: '€'.repeat(1000) }) - recordCharge(open)).toBe(1000);
    expect(
      recordCharge({ type: 'sse', stream: 's', items: [{ kind: 'comment', text: 'c'.repeat(100), time: 1 }] }),
    ).toBeGreaterThan(200);
  });

  it('a flood from an iframe cannot take the top frame’s share', () => {
    const limits = { perDocument: 10_000, perTab: 25_000 };
    const log = new TabLog(new MemoryPool(1e9), limits);
    const big = 'x'.repeat(400); // ~900 bytes a record
    const floods = [1, 2, 3].map((frameId) => log.document(frameId, `f${frameId}`, '', false)!);
    for (const flood of floods)
      log.receive(
        flood,
        batchOf(
          0,
          Array.from({ length: 40 }, () => big),
        ),
      );
    const top = log.document(0, 'top', '', true)!;
    const { stored } = log.receive(
      top,
      batchOf(
        0,
        Array.from({ length: 10 }, () => big),
      ),
    );
    expect(stored).toHaveLength(10);
    const stats = log.stats;
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.droppedReasons.map((d) => d.reason.split(':')[0])).toEqual(
      expect.arrayContaining(['iframes-full', 'frame-log-full']),
    );
  });

  it('shares one pool across tabs, and gives the memory back when cleared', () => {
    const pool = new MemoryPool(5_000);
    const a = new TabLog(pool);
    const b = new TabLog(pool);
    a.receive(a.document(0, 'a', '', true)!, batchOf(0, ['x'.repeat(3000)]));
    const refused = b.receive(b.document(0, 'b', '', true)!, batchOf(0, ['y'.repeat(3000)]));
    expect(refused.stored).toHaveLength(0);
    expect(b.stats.droppedReasons).toEqual([{ reason: 'all-tabs-full:5000', count: 1 }]);
    a.clear();
    expect(pool.used).toBe(0);
    const later = b.receive(b.document(0, 'b', '', true)!, batchOf(1, ['y'.repeat(3000)]));
    expect(later.stored).toHaveLength(1);
  });

  it('adds the page world’s own drop totals to its stats', () => {
    const log = new TabLog();
    const doc = log.document(0, 'd', '', true)!;
    log.receive(doc, batchOf(0, [], { drops: [{ reason: 'page-log-full:67108864', count: 7 }] }));
    log.receive(doc, batchOf(0, [], { drops: [{ reason: 'page-log-full:67108864', count: 9 }] }));
    expect(log.stats.dropped).toBe(9);
    expect(log.stats.droppedReasons).toEqual([{ reason: 'page-log-full:67108864', count: 9 }]);
  });

  it('after a navigation, documents of the page it left are not taken back; Clear keeps each place', () => {
    const log = new TabLog();
    const doc = log.document(0, 'old', '', true)!;
    log.receive(doc, batchOf(0, ['a', 'b']));
    log.clearKeepingPlaces();
    expect(log.records).toEqual([]);
    expect(log.places()).toEqual({ old: { frameId: 0, next: 2, isTop: true } });
    log.clear(true);
    expect(log.document(0, 'old', '', true)).toBeUndefined();
    expect(log.document(0, 'new', '', true)).toBeDefined();
  });

  it('does not believe a document id another frame already has', () => {
    const log = new TabLog();
    log.document(0, 'd', '', true);
    expect(log.document(5, 'd', '', false)).toBeUndefined();
  });
});
