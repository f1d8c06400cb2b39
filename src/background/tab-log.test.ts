import { describe, expect, it } from 'vitest';
import { TabLog } from './tab-log';
import type { PageRecord } from '../protocol';

const chunk = (text: string): PageRecord => ({ type: 'stream-chunk', stream: 's1', text, bytes: text.length, time: 1 });

describe('TabLog', () => {
  it('stamps records with frame and sequence in arrival order', () => {
    const log = new TabLog();
    log.append([chunk('a'), chunk('b')], 0);
    const stored = log.append([chunk('c')], 3);
    expect(stored).toEqual([{ ...chunk('c'), frameId: 3, seq: 2 }]);
    expect(log.records.map((r) => r.seq)).toEqual([0, 1, 2]);
  });

  it('counts what a record cap drops and says why', () => {
    const log = new TabLog({ maxRecords: 2, maxTextLength: 1000 });
    const stored = log.append([chunk('a'), chunk('b'), chunk('c'), chunk('d')], 0);
    expect(stored).toHaveLength(2);
    expect(log.stats.dropped).toBe(2);
    expect(log.stats.droppedReasons).toEqual(['tab log holds at most 2 records']);
  });

  it('counts what a text cap drops, and clear() starts over', () => {
    const log = new TabLog({ maxRecords: 100, maxTextLength: 5 });
    log.append([chunk('abc'), chunk('def'), chunk('g')], 0);
    expect(log.records.map((r) => (r.type === 'stream-chunk' ? r.text : ''))).toEqual(['abc', 'g']);
    expect(log.stats.dropped).toBe(1);
    log.clear();
    expect(log.records).toEqual([]);
    expect(log.stats).toEqual({ invalid: 0, dropped: 0, droppedReasons: [] });
    log.append([chunk('abcde')], 0);
    expect(log.records).toHaveLength(1);
  });
});
