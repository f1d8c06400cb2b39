/** HAR extras of AI streams: the assembled conversation, and line-framed streams (not SSE). */
import { describe, expect, it } from 'vitest';
import { buildHar } from './har';
import { importHar } from './har-import';
import { LogStore } from './log-store';
import { loadFixture } from './ai/fixtures/load';
import { fixtureRecords, lineChunks } from './ai/test-support';

function storeWith(...fixtures: [id: string, name: string][]) {
  const store = new LogStore();
  for (const [id, name] of fixtures) {
    const fixture = loadFixture(name);
    for (const batch of fixtureRecords(id, fixture, lineChunks(fixture.body))) store.apply(batch);
  }
  return store;
}

const harOf = (store: LogStore) =>
  buildHar(store.connectionList, store.items, { creatorVersion: '0.1.0', includeSensitive: false });

describe('HAR: AI streams', () => {
  it('an entry whose protocol was detected carries the conversation under _sseDevtools.aiConversation', () => {
    const store = storeWith(['t', 'openai-chat-tools'], ['a', 'anthropic-thinking-tools']);
    const [openai, anthropic] = harOf(store).log.entries;
    const conversation = openai!._sseDevtools.aiConversation!;
    expect(conversation.protocol).toBe('openai-chat');
    expect(conversation.replies[0]!.toolCalls.length).toBeGreaterThan(0);
    expect(conversation.replies[0]!.toolCalls.every((call) => call.argumentsValid === true)).toBe(true);
    expect(conversation.metrics.ttftMs).toEqual(expect.any(Number));
    expect(openai!._eventSourceMessages.length).toBeGreaterThan(0);
    expect(anthropic!._sseDevtools.aiConversation!.protocol).toBe('anthropic');
    expect(anthropic!._sseDevtools.aiConversation!.replies[0]!.reasoning).not.toBe('');
  });

  it('a stream that is no AI protocol has none', () => {
    const store = new LogStore();
    const fixture = loadFixture('openai-chat-text');
    const [open, ...rest] = fixtureRecords('p', fixture, ['data: plain\n\n', 'data: {"x":1}\n\n']);
    store.apply(open!);
    for (const batch of rest) store.apply(batch);
    const [entry] = harOf(store).log.entries;
    expect(entry!._sseDevtools.aiConversation).toBeUndefined();
  });

  it('line-framed entries (NDJSON, Vercel data stream) keep their mimeType, list no EventSource messages, and come back as lines', () => {
    const store = storeWith(['o', 'ollama-chat'], ['v', 'vercel-data']);
    const har = harOf(store);
    const [ollama, vercel] = har.log.entries;
    expect(ollama!.response.content.mimeType).toMatch(/^application\/x-ndjson/);
    expect(vercel!.response.content.mimeType).toMatch(/^text\/plain/);
    for (const entry of [ollama!, vercel!]) {
      expect(entry._eventSourceMessages).toEqual([]);
      expect(entry._sseDevtools.framing).toBe('lines');
      expect(entry._sseDevtools.aiConversation!.replies[0]!.text).not.toBe('');
    }
    expect(ollama!._sseDevtools.aiConversation!.protocol).toBe('ndjson');
    expect(vercel!._sseDevtools.aiConversation!.protocol).toBe('vercel-data');

    const result = importHar(JSON.stringify(har));
    if (!result.ok) throw new Error(result.error);
    expect(result.summary.streams).toBe(2);
    const back = { store: new LogStore() };
    back.store.apply(result.records);
    const lines = (s: LogStore, id: string) =>
      (s.itemsByConnection.get(id) ?? []).map(({ item }) =>
        item.kind === 'event' ? [item.type, item.data, item.time] : item.kind,
      );
    for (const id of ['o', 'v']) {
      const connection = [...back.store.connections.values()].find((c) => c.id.endsWith(id) || c.id === id)!;
      expect(connection.framing).toBe('lines');
      expect(lines(back.store, connection.id)).toEqual(lines(store, id));
    }
  });
});
