import { describe, expect, it } from 'vitest';
import { itemsWithin } from './block-items';
import { LogStore, type LoggedItem } from './log-store';
import type { PageRecord, StoredRecord } from '../protocol';

let seq = 0;
const stored = (record: PageRecord): StoredRecord => ({ ...record, frameId: 0, seq: seq++ }) as StoredRecord;

function storeOf(...chunks: string[]): LogStore {
  const store = new LogStore();
  store.apply([
    stored({
      type: 'stream-open',
      stream: 's',
      kind: 'fetch',
      url: 'u',
      method: 'GET',
      requestHeaders: [],
      frameUrl: '',
      time: 0,
    }),
    ...chunks.map((text, i) => stored({ type: 'stream-chunk', stream: 's', text, bytes: text.length, time: i + 1 })),
  ]);
  return store;
}
const describeItem = ({ item }: LoggedItem) => (item.kind === 'warning' ? `warning:${item.code}` : item.kind);

describe('itemsWithin', () => {
  it('an event: the comments, fields and warnings of its block', () => {
    const store = storeOf(': before\n\n', ': in\nretry: x\nEvent: y\ndata: 1\n', '\n: after\n');
    const list = store.itemsByConnection.get('s')!;
    const event = list.find((l) => l.item.kind === 'event')!;
    expect(itemsWithin(list, event).map(describeItem)).toEqual([
      'comment',
      'warning:retry-not-digits',
      'field',
      'warning:unknown-field',
    ]);
  });

  it('a line: the warnings about it; a lone event: nothing', () => {
    const store = storeOf('Event: y\ndata: 1\n\ndata: 2\n\n');
    const list = store.itemsByConnection.get('s')!;
    expect(itemsWithin(list, list[0]!).map(describeItem)).toEqual(['warning:unknown-field']);
    expect(itemsWithin(list, list.at(-1)!)).toEqual([]);
  });

  it('an item without a span (EventSource): nothing', () => {
    const store = new LogStore();
    store.apply([
      stored({ type: 'sse', stream: 'e', items: [{ kind: 'event', type: 'message', data: 'x', lastEventId: '', time: 1 }] }),
    ]);
    const list = store.itemsByConnection.get('e')!;
    expect(itemsWithin(list, list[0]!)).toEqual([]);
  });
});
