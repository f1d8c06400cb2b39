import { describe, expect, it } from 'vitest';
import { AiStreamAssembler } from './assembler';
import { fixtureNames, loadFixture } from './fixtures/load';
import { canRechunk, mockFromEdit, pacingOf, pieces, rechunk, replyOf, type EditedReply } from './rechunk';
import { assemble } from './test-support';

/** Plays a rechunked body into a fresh assembler, chunk by chunk at its times (request at 0). */
function replay(result: ReturnType<typeof rechunk>, headers = result.headers, contentType = result.contentType) {
  const a = new AiStreamAssembler({ method: 'POST', url: '/mock', headers: [], time: 0 });
  a.response({ status: 200, headers, contentType, time: result.responseAt });
  for (const chunk of result.chunks) a.body(chunk.text, chunk.at);
  a.end(result.endAt + 1);
  return a;
}

describe('pieces', () => {
  it('cuts after spaces, keeps every character, never splits a surrogate pair', () => {
    expect(pieces('the quick brown fox', 6)).toEqual(['the ', 'quick ', 'brown ', 'fox']);
    expect(pieces('', 4)).toEqual([]);
    const emoji = '😀😀😀😀';
    expect(pieces(emoji, 3).join('')).toBe(emoji);
    for (const piece of pieces(emoji, 3)) expect(piece.length % 2).toBe(0);
  });
});

describe('rechunk: the same protocol back, at the recorded pace', () => {
  for (const name of fixtureNames()) {
    const fixture = loadFixture(name);
    const lines = fixture.body.match(/[^\n]*\n|[^\n]+$/g)!;
    const recorded = assemble(fixture, lines);
    const protocol = recorded.conversation.protocol;
    if (!canRechunk(protocol)) continue;
    if (recorded.conversation.status !== 'done') continue;

    it(`${name}: an edited reply comes back as the same protocol with the edit`, () => {
      const original = replyOf(recorded);
      const edited: EditedReply = {
        ...original,
        text: original.text === '' ? '' : 'What if the model said this instead, with “unicode” and 😀?',
        ...(original.toolCalls === undefined
          ? {}
          : { toolCalls: original.toolCalls.map((c) => ({ ...c, arguments: '{"edited": true}' })) }),
      };
      const result = rechunk(edited, pacingOf(recorded), {
        protocol,
        model: recorded.conversation.model,
        usage: recorded.conversation.usage,
      });
      const back = replay(result);
      const c = back.conversation;
      expect(c.protocol).toBe(protocol);
      expect(c.status).toBe('done');
      expect(c.warnings).toEqual([]);
      const reply = c.replies[0]!;
      expect(reply.text).toBe(edited.text);
      expect(reply.reasoning).toBe(edited.reasoning ?? '');
      // Protocols that carry arguments as objects (Gemini, Ollama) re-serialize them: compare as JSON.
      expect(reply.toolCalls.map((t) => [t.name, JSON.parse(t.arguments), t.valid])).toEqual(
        (edited.toolCalls ?? []).map((t) => [t.name, { edited: true }, true]),
      );
    });
  }

  it('deltas go out when the recorded ones came; more deltas than recorded continue at the median gap', () => {
    const pacing = { responseAt: 50, deltaTimes: [100, 130, 160, 400], charsPerDelta: 2 };
    const result = rechunk({ text: 'aabbccddeeff' }, pacing, { protocol: 'openai-chat' });
    const back = replay(result);
    expect(back.metrics.deltaTimes).toEqual([100, 130, 160, 400, 430, 460]);
    expect(back.conversation.replies[0]!.text).toBe('aabbccddeeff');
    expect(back.summary().ttft).toBe(100);
  });

  it('injected stalls show as stalls', () => {
    const pacing = { responseAt: 10, deltaTimes: [20, 30, 40, 50], charsPerDelta: 1 };
    const result = rechunk({ text: 'abcd' }, pacing, { protocol: 'anthropic', stalls: [{ afterDelta: 2, ms: 3000 }] });
    const back = replay(result);
    expect(back.metrics.deltaTimes).toEqual([20, 30, 3040, 3050]);
    expect(back.summary().stalls).toEqual([{ time: 3040, duration: 3010 }]);
  });

  it('arguments that do not parse are sent as written (and flagged on the way back)', () => {
    const pacing = { responseAt: 0, deltaTimes: [], charsPerDelta: 5 };
    const back = replay(
      rechunk({ text: '', toolCalls: [{ name: 'f', arguments: '{"a": ' }] }, pacing, { protocol: 'openai-chat' }),
    );
    expect(back.conversation.replies[0]!.toolCalls[0]).toMatchObject({ name: 'f', arguments: '{"a": ', valid: false });
  });

  it('an EventSource gets events; a mock recording carries the protocol headers', () => {
    const pacing = { responseAt: 5, deltaTimes: [10], charsPerDelta: 10 };
    const mock = mockFromEdit('https://x/api/chat', { text: 'hi' }, pacing, { protocol: 'vercel-ui' });
    expect(mock.headers).toContainEqual({ name: 'x-vercel-ai-ui-message-stream', value: 'v1' });
    expect(mock.events.map((e) => JSON.parse(e.data === '[DONE]' ? '{"type":"[DONE]"}' : e.data).type)).toEqual([
      'start',
      'start-step',
      'text-start',
      'text-delta',
      'text-end',
      'finish-step',
      'finish',
      '[DONE]',
    ]);
    const lines = mockFromEdit('u', { text: 'hi' }, pacing, { protocol: 'ndjson' });
    expect(lines.events).toEqual([]);
    expect(lines.headers[0]).toEqual({ name: 'content-type', value: 'application/x-ndjson' });
  });

  it('refuses MCP and JSON-path streams', () => {
    expect(() => rechunk({ text: '' }, { responseAt: 0, deltaTimes: [], charsPerDelta: 1 }, { protocol: 'mcp' })).toThrow();
  });
});
