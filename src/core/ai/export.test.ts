import { describe, expect, it } from 'vitest';
import { conversationJson, conversationMarkdown } from './export';
import { loadFixture } from './fixtures/load';
import { assemble } from './test-support';

const source = (url: string) => ({ url, method: 'POST', startTime: Date.UTC(2026, 0, 1) });

describe('conversation export', () => {
  it('Markdown: prompt, reasoning quoted, tool call pretty-printed, numbers, no secrets in the URL', () => {
    const a = assemble(loadFixture('anthropic-thinking-tools'));
    const md = conversationMarkdown(a.conversation, a.summary(), source('https://api.example.com/v1/messages?api_key=sk-secret'));
    expect(md).toContain('# claude-opus-4-1-20250805');
    expect(md).not.toContain('sk-secret');
    expect(md).toContain('### user\n\nHow is ACME doing?');
    expect(md).toContain('**Reasoning**\n\n> ACM was wrong; try ACME.');
    expect(md).toContain('**Tool call** `get_stock_price` (toolu_inv_01)\n\n```json\n{\n  "ticker": "ACME"\n}\n```');
    expect(md).toContain('_Finish: tool_use_');
    expect(md).toContain('| Output tokens | 89 |');
    expect(md).toContain('Tools: `get_stock_price`');
  });

  it('Markdown: a fence longer than any backticks in the page text; flagged arguments; warnings', () => {
    const a = assemble(loadFixture('openai-chat-cut'));
    a.conversation.replies[0]!.toolCalls[0]!.arguments = '```` {"a": ';
    a.conversation.replies[0]!.toolCalls[0]!.valid = false;
    const md = conversationMarkdown(a.conversation, a.summary(), source('https://x/'));
    expect(md).toContain('arguments are not valid JSON\n\n`````json\n```` {"a": \n`````');
    expect(md).toContain('## Protocol warnings');
    expect(md).toContain('- missing-terminator:');
    expect(md).toContain('(estimated)');
  });

  it('Markdown: MCP exchanges as a table', () => {
    const a = assemble(loadFixture('mcp-streamable'));
    const md = conversationMarkdown(a.conversation, a.summary(), source('https://mcp.example.com/mcp'));
    expect(md).toContain('| client | 7 | tools/call | result | 110 ms |');
    expect(md).toContain('| server |  | notifications/progress | notification | — |');
  });

  it('JSON: replies, usage, metrics, warnings', () => {
    const a = assemble(loadFixture('openai-chat-tools'));
    const json = conversationJson(a.conversation, a.summary(), source('https://api.openai.com/v1/chat/completions'));
    expect(json).toMatchObject({
      sseDevtoolsConversation: 1,
      protocol: 'openai-chat',
      model: 'gpt-4o-2024-08-06',
      status: 'done',
      usage: { input: 81, output: 46, cachedInput: 64 },
      metrics: { ttftMs: 110, outputTokens: 46, tokensEstimated: false },
      warnings: [],
    });
    expect(json.replies[0]!.toolCalls).toEqual([
      { id: 'call_inv_paris', name: 'get_weather', arguments: '{"city": "Paris"}', argumentsValid: true },
      { id: 'call_inv_oslo', name: 'get_weather', arguments: '{"city": "Oslo", "unit": "c"}', argumentsValid: true },
    ]);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
