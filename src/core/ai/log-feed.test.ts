import { describe, expect, it } from 'vitest';
import { LogStore } from '../log-store';
import { fixtureNames, loadFixture } from './fixtures/load';
import { AiLogFeed } from './log-feed';
import { assemble, fixtureRecords as records, lineChunks, stored, timeless } from './test-support';

describe('AiLogFeed', () => {
  for (const name of fixtureNames()) {
    it(`${name}: fed from a LogStore batch by batch, the same as fed directly`, () => {
      const fixture = loadFixture(name);
      const chunks = lineChunks(fixture.body);
      const store = new LogStore();
      const feed = new AiLogFeed(store, { jsonPathFor: () => (name === 'json-path' ? 'token.text' : undefined) });
      const batches = records('s1', fixture, chunks);
      for (const batch of batches) {
        store.apply(batch);
        feed.update();
      }
      const direct = assemble(fixture, chunks, name === 'json-path' ? { jsonPath: 'token.text' } : {});
      const fed = feed.assembler('s1')!;
      expect(timeless(fed.conversation)).toEqual(timeless(direct.conversation));
      expect(fed.summary()).toEqual(direct.summary());
    });
  }

  it('live: the reply grows as chunks arrive; conversations() lists AI streams only', () => {
    const fixture = loadFixture('openai-chat-text');
    const store = new LogStore();
    const feed = new AiLogFeed(store);
    const batches = records('ai', fixture, lineChunks(fixture.body));
    const texts: string[] = [];
    for (const batch of batches) {
      store.apply(batch);
      texts.push(feed.assembler('ai')?.conversation.replies[0]?.text ?? '');
    }
    expect(texts.filter((t, i) => t !== texts[i - 1])).toEqual(['', 'Red', 'Red, yellow', 'Red, yellow and blue — 红黄蓝.']);
    // A clock stream beside it is no AI stream.
    const clock = { ...fixture, body: '', response: { ...fixture.response } };
    for (const batch of records(
      'clock',
      clock,
      Array.from({ length: 30 }, (_, i) => `event: tick\ndata: {"n":${i}}\n\n`),
    ))
      store.apply(batch);
    expect(feed.conversations().map((c) => c.connection.id)).toEqual(['ai']);
    expect(feed.assembler('clock')!.undetectable).toBe(true);
  });

  it('starts over when the store is cleared', () => {
    const fixture = loadFixture('anthropic-text');
    const store = new LogStore();
    const feed = new AiLogFeed(store);
    for (const batch of records('a', fixture, [fixture.body])) store.apply(batch);
    expect(feed.conversations()).toHaveLength(1);
    store.reset();
    expect(feed.conversations()).toHaveLength(0);
    for (const batch of records('a', fixture, [fixture.body])) store.apply(batch);
    expect(feed.assembler('a')!.conversation.replies[0]!.text).toContain('Soft rain');
  });

  it('a request body recorded after the stream opened reaches the prompt', () => {
    const fixture = loadFixture('openai-chat-text');
    const store = new LogStore();
    const feed = new AiLogFeed(store);
    const [first, ...rest] = records('b', { ...fixture, request: { ...fixture.request, body: undefined } }, [fixture.body]);
    store.apply(first!);
    feed.update();
    store.apply([
      stored({
        type: 'stream-request-body',
        stream: 'b',
        body: { mimeType: 'application/json', text: fixture.request.body! },
        time: 1001,
      }),
    ]);
    for (const batch of rest) store.apply(batch);
    expect(feed.assembler('b')!.conversation.prompt.model).toBe('gpt-4o-mini');
  });

  it('an EventSource: the events it dispatched', () => {
    const store = new LogStore();
    const feed = new AiLogFeed(store);
    store.apply([
      stored({
        type: 'stream-open',
        stream: 'es',
        kind: 'eventsource',
        url: '/chat',
        method: 'GET',
        requestHeaders: [],
        frameUrl: '',
        time: 0,
      }),
      stored({
        type: 'sse',
        stream: 'es',
        items: [
          {
            kind: 'event',
            type: 'message',
            data: '{"choices":[{"index":0,"delta":{"content":"hi"}}]}',
            lastEventId: '',
            time: 5,
          },
          { kind: 'event', type: 'message', data: '[DONE]', lastEventId: '', time: 6 },
        ],
      }),
    ]);
    expect(feed.assembler('es')!.conversation).toMatchObject({ protocol: 'openai-chat', status: 'done' });
  });

  it('costs O(new data): a 100k-delta reply fed in 1000 batches stays fast', () => {
    const store = new LogStore();
    const feed = new AiLogFeed(store);
    const fixture = loadFixture('openai-chat-text');
    const [open] = records('big', fixture, []);
    store.apply(open!);
    const delta = `data: {"choices":[{"index":0,"delta":{"content":"x"}}]}\n\n`;
    const start = performance.now();
    for (let b = 0; b < 1000; b++) {
      store.apply([
        stored({ type: 'stream-chunk', stream: 'big', text: delta.repeat(100), bytes: delta.length * 100, time: 2000 + b }),
      ]);
      feed.update();
    }
    const elapsed = performance.now() - start;
    expect(feed.assembler('big')!.conversation.replies[0]!.text.length).toBe(100_000);
    expect(feed.assembler('big')!.summary().deltas).toBe(100_000);
    expect(elapsed).toBeLessThan(8000);
  });
});
