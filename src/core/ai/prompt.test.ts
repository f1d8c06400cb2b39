import { describe, expect, it } from 'vitest';
import { parsePrompt } from './prompt';
import { sniffTransport, transportOfHeaders } from './detect';
import { parseJsonPath, valueAt } from './protocols/json-path';

describe('parsePrompt', () => {
  it('Responses API input items: messages, function calls and their outputs; developer messages are system', () => {
    const body = JSON.stringify({
      model: 'gpt-5',
      input: [
        { role: 'developer', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Hi' },
            { type: 'input_file', filename: 'a.pdf' },
          ],
        },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"x":1}' },
        { type: 'function_call_output', call_id: 'c1', output: '42' },
      ],
      tools: [{ type: 'function', name: 'f', parameters: {} }, { type: 'file_search' }],
      temperature: 1,
    });
    expect(parsePrompt(body, '/v1/responses')).toEqual({
      model: 'gpt-5',
      system: 'Be brief.',
      messages: [
        { role: 'user', text: 'Hi', attachments: ['input_file a.pdf'] },
        { role: 'assistant', text: '', toolCalls: [{ name: 'f', arguments: '{"x":1}' }] },
        { role: 'tool', text: '42', toolCallId: 'c1' },
      ],
      tools: [{ name: 'f', parameters: {} }, { name: 'file_search' }],
      params: { temperature: 1 },
    });
  });

  it('OpenAI assistant tool calls and tool messages; Ollama generate prompt; Gemini model from the URL', () => {
    const chat = parsePrompt(
      JSON.stringify({
        messages: [
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'g', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'c', content: 'ok' },
        ],
      }),
      '/',
    );
    expect(chat.messages).toEqual([
      { role: 'assistant', text: '', toolCalls: [{ name: 'g', arguments: '{}' }] },
      { role: 'tool', text: 'ok', toolCallId: 'c' },
    ]);
    expect(parsePrompt('{"model":"llama3","prompt":"Why?"}', '/api/generate').messages).toEqual([{ role: 'user', text: 'Why?' }]);
    expect(parsePrompt(undefined, '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse').model).toBe(
      'gemini-2.0-flash',
    );
  });

  it('no body, a body that is no JSON, a JSON-RPC batch', () => {
    expect(parsePrompt('', '/')).toEqual({ messages: [], tools: [], params: {} });
    expect(parsePrompt('not json', '/')).toEqual({ messages: [], tools: [], params: {} });
    const batch = '[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"}]';
    expect(parsePrompt(batch, '/mcp').jsonRpc).toHaveLength(2);
  });
});

describe('framing', () => {
  it('from the headers', () => {
    expect(transportOfHeaders('text/event-stream; charset=utf-8', [])).toBe('sse');
    expect(transportOfHeaders('application/x-ndjson', [])).toBe('lines');
    expect(transportOfHeaders('application/jsonl; charset=utf-8', [])).toBe('lines');
    expect(transportOfHeaders('text/plain; charset=utf-8', [{ name: 'X-Vercel-AI-Data-Stream', value: 'v1' }])).toBe('lines');
    expect(transportOfHeaders('text/plain', [])).toBeUndefined();
  });

  it('from the first line when the headers do not say', () => {
    expect(sniffTransport('data: {}\n')).toBe('sse');
    expect(sniffTransport(': hi\n')).toBe('sse');
    expect(sniffTransport('\uFEFFevent: x\n')).toBe('sse');
    expect(sniffTransport('0:"hi"\n')).toBe('lines');
    expect(sniffTransport('{"done":false}\n')).toBe('lines');
    expect(sniffTransport('data: {')).toBeUndefined();
  });
});

describe('JSON path', () => {
  it('dots, brackets, $ prefix, array indexes', () => {
    expect(parseJsonPath('$.choices[0].delta.content')).toEqual(['choices', '0', 'delta', 'content']);
    expect(parseJsonPath("a['b.c'][2]")).toEqual(['a', 'b.c', '2']);
    expect(valueAt({ choices: [{ delta: { content: 'x' } }] }, parseJsonPath('choices.0.delta.content'))).toBe('x');
    expect(valueAt({ a: 1 }, ['a', 'b'])).toBeUndefined();
    expect(valueAt({ a: [1] }, ['a', 'x'])).toBeUndefined();
  });
});
