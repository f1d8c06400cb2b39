import { describe, expect, it } from 'vitest';
import { AiStreamAssembler } from './assembler';
import { fixtureNames, loadFixture, REQUEST_TIME, RESPONSE_TIME } from './fixtures/load';
import { assemble, lineChunks, timeless } from './test-support';
import type { Conversation } from './types';

const OPTIONS: Record<string, { jsonPath: string }> = { 'json-path': { jsonPath: '$.token.text' } };
const options = (name: string) => OPTIONS[name] ?? {};
const codes = (c: Conversation) => c.warnings.map((w) => w.code);
const calls = (c: Conversation, reply = 0) =>
  c.replies[reply]!.toolCalls.map((t) => ({ id: t.id, name: t.name, arguments: t.arguments, valid: t.valid }));

describe('every fixture', () => {
  const names = fixtureNames();

  it('has one for every protocol', () => {
    const protocols = new Set(names.map((name) => assemble(loadFixture(name), undefined, options(name)).conversation.protocol));
    expect([...protocols].sort()).toEqual(
      ['anthropic', 'gemini', 'json-path', 'mcp', 'ndjson', 'openai-chat', 'openai-responses', 'vercel-data', 'vercel-ui'].sort(),
    );
  });

  for (const name of names) {
    describe(name, () => {
      const fixture = loadFixture(name);
      const whole = timeless(assemble(fixture, undefined, options(name)).conversation);

      it('assembles the same whatever the split (every position, two chunks)', () => {
        for (let i = 1; i < fixture.body.length; i++) {
          const split = assemble(fixture, [fixture.body.slice(0, i), fixture.body.slice(i)], options(name));
          const got = timeless(split.conversation);
          if (JSON.stringify(got) !== JSON.stringify(whole)) expect({ at: i, got }).toEqual({ at: i, got: whole });
        }
      });

      it('assembles the same line by line and character by character', () => {
        expect(timeless(assemble(fixture, lineChunks(fixture.body), options(name)).conversation)).toEqual(whole);
        expect(timeless(assemble(fixture, [...fixture.body], options(name)).conversation)).toEqual(whole);
      });

      it('cut short in the middle: incomplete, or an error the stream reported', () => {
        const cut = assemble(fixture, [fixture.body.slice(0, Math.floor(fixture.body.length / 2))], options(name)).conversation;
        if (cut.protocol === 'mcp' || cut.protocol === 'json-path') return;
        expect(cut.status === 'incomplete' || cut.status === 'error').toBe(true);
        if (cut.errors.length === 0) expect(codes(cut)).toContain('missing-terminator');
      });
    });
  }
});

describe('OpenAI Chat Completions', () => {
  it('text, usage chunk, [DONE], prompt', () => {
    const a = assemble(loadFixture('openai-chat-text'));
    const c = a.conversation;
    expect(c).toMatchObject({
      protocol: 'openai-chat',
      sse: true,
      status: 'done',
      terminated: true,
      model: 'gpt-4o-mini-2024-07-18',
      responseId: 'chatcmpl-inv001',
    });
    expect(c.replies).toHaveLength(1);
    expect(c.replies[0]).toMatchObject({ role: 'assistant', text: 'Red, yellow and blue — 红黄蓝.', finishReason: 'stop' });
    expect(c.usage).toEqual({ input: 24, output: 9, total: 33, cachedInput: 0, reasoning: 0 });
    expect(c.warnings).toEqual([]);
    expect(c.prompt).toMatchObject({
      model: 'gpt-4o-mini',
      system: 'You are a terse assistant.',
      messages: [{ role: 'user', text: 'Name three primary colours.' }],
      params: { temperature: 0.2, stream: true },
    });
  });

  it('parallel tool calls assembled by index, cached tokens', () => {
    const c = assemble(loadFixture('openai-chat-tools')).conversation;
    expect(calls(c)).toEqual([
      { id: 'call_inv_paris', name: 'get_weather', arguments: '{"city": "Paris"}', valid: true },
      { id: 'call_inv_oslo', name: 'get_weather', arguments: '{"city": "Oslo", "unit": "c"}', valid: true },
    ]);
    expect(c.replies[0]!.finishReason).toBe('tool_calls');
    expect(c.usage.cachedInput).toBe(64);
    expect(c.prompt.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: expect.objectContaining({ required: ['city'] }),
      },
    ]);
  });

  it('n = 2 choices kept apart, a refusal', () => {
    const c = assemble(loadFixture('openai-chat-n2-refusal')).conversation;
    expect(c.replies.map((r) => [r.index, r.text, r.refusal, r.finishReason])).toEqual([
      [0, '{"caption": "A grey cat on a mat"}', '', 'stop'],
      [1, '', "I'm sorry, I can't help with that.", 'stop'],
    ]);
    expect(c.prompt.messages[0]).toEqual({ role: 'user', text: 'Describe this picture.', attachments: ['image_url'] });
  });

  it('cut short: incomplete, unparsable data, a call never started, arguments flagged', () => {
    const c = assemble(loadFixture('openai-chat-cut')).conversation;
    expect(c.status).toBe('incomplete');
    expect(codes(c)).toEqual(['block-index-mismatch', 'unparsable', 'missing-terminator']);
    expect(calls(c)[0]).toEqual({
      id: 'call_inv_book',
      name: 'book_table',
      arguments: '{"people": 2, "time": "19:',
      valid: false,
    });
    expect(c.replies[0]!.text).toBe('Booking now.');
  });

  it('content after finish and after [DONE]; in-band error object', () => {
    const a = new AiStreamAssembler({ method: 'POST', url: '/v1/chat/completions', headers: [], time: 0 });
    const chunk = (delta: object, finish: string | null = null) =>
      JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
    a.event({ type: 'message', data: chunk({ content: 'a' }, 'stop'), time: 1 });
    a.event({ type: 'message', data: chunk({ content: 'b' }), time: 2 });
    a.event({ type: 'message', data: '[DONE]', time: 3 });
    a.event({ type: 'message', data: chunk({ content: 'c' }), time: 4 });
    a.event({
      type: 'message',
      data: JSON.stringify({ error: { message: 'Rate limited', type: 'requests', code: 'rate_limit_exceeded' } }),
      time: 5,
    });
    a.end(6);
    const c = a.conversation;
    expect(c.replies[0]!.text).toBe('abc');
    expect(codes(c)).toEqual(['content-after-finish', 'content-after-finish']);
    expect(c.errors).toEqual([{ time: 5, type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limited' }]);
    expect(c.status).toBe('error');
  });

  it('content after the finish within the same chunk is flagged too; usage under x_groq', () => {
    const fixture = loadFixture('openai-chat-text');
    const late = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: '!' } }], x_groq: { usage: { prompt_tokens: 3, completion_tokens: 4 } } })}\n\n`;
    const body = fixture.body.replace('data: [DONE]', `${late}data: [DONE]`);
    const c = assemble({ ...fixture, body }).conversation;
    expect(codes(c)).toEqual(['content-after-finish']);
    expect(c.usage).toMatchObject({ input: 3, output: 4 });
  });

  it('reasoning_content of compatible servers (DeepSeek) is reasoning', () => {
    const a = new AiStreamAssembler({ method: 'POST', url: '/chat', headers: [], time: 0 });
    for (const delta of [{ reasoning_content: 'think ' }, { reasoning_content: 'more' }, { content: 'answer' }])
      a.event({ type: 'message', data: JSON.stringify({ choices: [{ index: 0, delta }] }), time: 1 });
    expect(a.conversation.replies[0]).toMatchObject({ reasoning: 'think more', text: 'answer' });
    expect(a.conversation.replies[0]!.parts.map((p) => p.kind)).toEqual(['reasoning', 'text']);
  });
});

describe('OpenAI Responses', () => {
  it('reasoning summary, text, usage with reasoning tokens, instructions', () => {
    const c = assemble(loadFixture('openai-responses-reasoning')).conversation;
    expect(c).toMatchObject({
      protocol: 'openai-responses',
      status: 'done',
      model: 'o4-mini-2025-04-16',
      responseId: 'resp_inv001',
    });
    expect(c.replies[0]).toMatchObject({
      text: 'Air molecules scatter blue light more than red.',
      reasoning: '**Rayleigh scattering** favours short wavelengths.',
      finishReason: 'completed',
    });
    expect(c.replies[0]!.parts[0]).toMatchObject({ kind: 'reasoning', summary: true });
    expect(c.usage).toEqual({ input: 21, output: 148, total: 169, cachedInput: 0, reasoning: 128 });
    expect(c.prompt).toMatchObject({
      system: 'Answer in one sentence.',
      messages: [{ role: 'user', text: 'Why is the sky blue?' }],
    });
    expect(c.warnings).toEqual([]);
  });

  it('function call arguments by item id; built-in tools in the prompt', () => {
    const c = assemble(loadFixture('openai-responses-function')).conversation;
    expect(calls(c)).toEqual([
      { id: 'call_inv_fx', name: 'convert_currency', arguments: '{"amount":20,"from":"EUR","to":"JPY"}', valid: true },
    ]);
    expect(c.prompt.tools.map((t) => t.name)).toEqual(['convert_currency', 'web_search_preview']);
  });

  it('sequence_number gap, unknown item, incomplete, content after the end', () => {
    const c = assemble(loadFixture('openai-responses-incomplete')).conversation;
    expect(c.replies[0]!.finishReason).toBe('incomplete: max_output_tokens');
    expect(codes(c)).toEqual(['sequence-gap', 'block-index-mismatch', 'content-after-finish']);
    expect(c.warnings[0]!.message).toContain('5 after 2');
  });

  it('a built-in web search (its action as arguments) and a refusal', () => {
    const c = assemble(loadFixture('openai-responses-refusal-search')).conversation;
    expect(c.replies[0]!.toolCalls[0]).toMatchObject({
      name: 'web_search',
      server: true,
      arguments: '{"type":"search","query":"news today"}',
    });
    expect(c.replies[0]!.refusal).toBe("I can't help with that.");
    expect(c.usage.cachedInput).toBe(256);
    expect(c.warnings).toEqual([]);
  });

  it('response.failed is an error', () => {
    const a = new AiStreamAssembler({ method: 'POST', url: '/v1/responses', headers: [], time: 0 });
    a.event({ type: 'response.created', data: '{"type":"response.created","sequence_number":0,"response":{"id":"r"}}', time: 1 });
    a.event({
      type: 'response.failed',
      data: '{"type":"response.failed","sequence_number":1,"response":{"id":"r","status":"failed","error":{"code":"server_error","message":"Boom"}}}',
      time: 2,
    });
    a.end(3);
    expect(a.conversation.status).toBe('error');
    expect(a.conversation.errors[0]).toMatchObject({ code: 'server_error', message: 'Boom' });
    expect(codes(a.conversation)).toEqual([]);
  });
});

describe('Anthropic Messages', () => {
  it('text with ping, cache usage, system blocks', () => {
    const c = assemble(loadFixture('anthropic-text')).conversation;
    expect(c).toMatchObject({ protocol: 'anthropic', status: 'done', model: 'claude-sonnet-4-5-20250929' });
    expect(c.replies[0]!.text).toBe('Soft rain on the roof\nthe gutter hums its one note\nnight drinks the garden');
    expect(c.replies[0]!.finishReason).toBe('end_turn');
    expect(c.usage).toEqual({ input: 18, output: 21, cachedInput: 12, cacheCreation: 0 });
    expect(c.prompt.system).toBe('You are a haiku poet.');
    expect(c.warnings).toEqual([]);
  });

  it('thinking with signature, text, tool_use assembled from input_json_delta; tool history in the prompt', () => {
    const c = assemble(loadFixture('anthropic-thinking-tools')).conversation;
    const reply = c.replies[0]!;
    expect(reply.parts.map((p) => p.kind)).toEqual(['reasoning', 'text', 'tool-call']);
    expect(reply.parts[0]).toMatchObject({
      text: 'ACM was wrong; try ACME.',
      signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds',
    });
    expect(calls(c)).toEqual([{ id: 'toolu_inv_01', name: 'get_stock_price', arguments: '{"ticker": "ACME"}', valid: true }]);
    expect(reply.finishReason).toBe('tool_use');
    expect(c.prompt.messages[1]).toEqual({
      role: 'assistant',
      text: '',
      toolCalls: [{ name: 'get_stock_price', arguments: '{"ticker":"ACM"}' }],
    });
    expect(c.prompt.messages[2]).toEqual({ role: 'user', text: 'unknown ticker', attachments: ['tool result toolu_old'] });
  });

  it('in-band `event: error`, block index mismatches', () => {
    const c = assemble(loadFixture('anthropic-error')).conversation;
    expect(c.status).toBe('error');
    expect(c.errors).toEqual([expect.objectContaining({ type: 'overloaded_error', message: 'Overloaded' })]);
    expect(codes(c)).toEqual(['block-index-mismatch', 'block-index-mismatch']);
    expect(c.replies[0]!.text).toBe('Once upon a time');
  });

  it('redacted thinking, a server tool with its result, citations, cache writes', () => {
    const c = assemble(loadFixture('anthropic-server-tools')).conversation;
    const reply = c.replies[0]!;
    expect(reply.parts[0]).toMatchObject({ kind: 'reasoning', redacted: true, text: '' });
    expect(reply.toolCalls[0]).toMatchObject({
      name: 'web_search',
      server: true,
      arguments: '{"query": "invented cup 2025 winner"}',
      valid: true,
    });
    expect(JSON.parse(reply.toolCalls[0]!.output!)[0]).toMatchObject({ title: 'Invented Cup 2025' });
    expect(reply.text).toBe('The Otters won the 2025 Invented Cup.');
    expect(c.usage).toMatchObject({ cacheCreation: 1800, output: 64 });
    expect(c.warnings).toEqual([]);
  });

  it('a delta of the wrong kind for its block, a stop for a block never started', () => {
    const a = new AiStreamAssembler({ method: 'POST', url: '/', headers: [], time: 0 });
    const send = (o: object) => a.event({ type: String((o as { type: string }).type), data: JSON.stringify(o), time: 1 });
    send({ type: 'message_start', message: { id: 'm', model: 'x', usage: { input_tokens: 1 } } });
    send({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    send({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hm' } });
    send({ type: 'content_block_stop', index: 5 });
    send({ type: 'content_block_stop', index: 0 });
    send({ type: 'message_stop' });
    expect(a.conversation.warnings.map((w) => w.message)).toEqual([
      'thinking_delta for content block 0, a text block',
      'content_block_stop for content block 5, which is not started',
    ]);
  });
});

describe('Gemini', () => {
  it('text over several chunks, safety ratings, usage, no terminator needed', () => {
    const c = assemble(loadFixture('gemini-text')).conversation;
    expect(c).toMatchObject({ protocol: 'gemini', status: 'done', model: 'gemini-2.5-flash', responseId: 'inv-gem-001' });
    expect(c.replies[0]).toMatchObject({
      role: 'model',
      text: 'AI learns patterns from data to make predictions.',
      finishReason: 'STOP',
    });
    expect(c.replies[0]!.safety).toEqual([
      { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE', blocked: false },
      { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'NEGLIGIBLE', blocked: false },
    ]);
    expect(c.usage).toEqual({ input: 12, output: 9, total: 21 });
    expect(c.prompt).toMatchObject({ model: 'gemini-2.5-flash', system: 'Reply briefly.' });
  });

  it('thought summary and a functionCall; thoughts and cached tokens', () => {
    const c = assemble(loadFixture('gemini-function')).conversation;
    expect(c.replies[0]!.reasoning).toBe('**Dimming** the living room to a low level.');
    expect(calls(c)).toEqual([{ id: undefined, name: 'set_light', arguments: '{"room":"living room","level":20}', valid: true }]);
    expect(c.usage).toEqual({ input: 40, output: 70, reasoning: 52, cachedInput: 32, total: 110 });
    expect(c.prompt.tools).toEqual([expect.objectContaining({ name: 'set_light', description: "Dim a room's lights" })]);
  });

  it('a blocked prompt and an error object', () => {
    const a = new AiStreamAssembler({ method: 'POST', url: '/', headers: [], time: 0 });
    a.event({
      type: 'message',
      data: '{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":3}}',
      time: 1,
    });
    a.event({ type: 'message', data: '{"error":{"code":429,"message":"Quota","status":"RESOURCE_EXHAUSTED"}}', time: 2 });
    a.end(3);
    expect(a.conversation.protocol).toBe('gemini');
    expect(a.conversation.errors.map((e) => e.code)).toEqual(['SAFETY', '429']);
  });
});

describe('Vercel AI SDK', () => {
  it('UI message stream: reasoning, tool input streamed then available, tool output, text, finish, [DONE]', () => {
    const c = assemble(loadFixture('vercel-ui')).conversation;
    expect(c).toMatchObject({ protocol: 'vercel-ui', sse: true, status: 'done', responseId: 'msg_inv_v1' });
    const reply = c.replies[0]!;
    expect(reply.parts.map((p) => p.kind)).toEqual(['reasoning', 'tool-call', 'text']);
    expect(reply.text).toBe('It is 21 °C and clear in Lisbon.');
    expect(reply.toolCalls[0]).toMatchObject({
      name: 'getWeather',
      arguments: '{"city":"Lisbon"}',
      valid: true,
      output: '{"tempC":21,"sky":"clear"}',
    });
    expect(c.prompt.messages).toEqual([{ role: 'user', text: 'Weather in Lisbon?' }]);
  });

  it('UI message stream: a tool error, data parts, a delta for a part never started, an error part, abort', () => {
    const c = assemble(loadFixture('vercel-ui-error')).conversation;
    expect(c.status).toBe('error');
    expect(c.replies[0]!.toolCalls[0]).toMatchObject({
      name: 'deleteAccount',
      arguments: '{"confirm":true}',
      error: 'Permission denied',
    });
    expect(c.replies[0]!.finishReason).toBe('abort');
    expect(c.errors.map((e) => e.message)).toEqual(['Upstream provider failed']);
    expect(codes(c)).toEqual(['block-index-mismatch', 'missing-terminator']);
  });

  it('data stream (not SSE): text, reasoning, streamed tool call and result, usage of the finish message', () => {
    const fixture = loadFixture('vercel-data');
    const c = assemble(fixture).conversation;
    expect(c).toMatchObject({ protocol: 'vercel-data', sse: false, status: 'done' });
    expect(c.replies[0]).toMatchObject({ text: '6 × 7 = 42.', reasoning: 'Multiply with the tool.', finishReason: 'stop' });
    expect(c.replies[0]!.toolCalls[0]).toMatchObject({
      name: 'calculate',
      arguments: '{"expr":"6*7"}',
      valid: true,
      output: '42',
    });
    expect(c.usage).toEqual({ input: 82, output: 19 });
  });

  it('data stream detected from its lines when the headers do not say', () => {
    const fixture = loadFixture('vercel-data');
    const plain = { ...fixture, response: { ...fixture.response, headers: [{ name: 'content-type', value: 'text/plain' }] } };
    expect(assemble(plain).conversation.protocol).toBe('vercel-data');
  });
});

describe('NDJSON (Ollama)', () => {
  it('thinking, content, done line with counts', () => {
    const c = assemble(loadFixture('ollama-chat')).conversation;
    expect(c).toMatchObject({ protocol: 'ndjson', sse: false, status: 'done', model: 'qwen3:0.6b' });
    expect(c.replies[0]).toMatchObject({
      text: 'Chlorophyll reflects green light.',
      reasoning: 'Chlorophyll... absorbs red and blue.',
      finishReason: 'stop',
    });
    expect(c.usage).toEqual({ input: 14, output: 17 });
  });

  it('tool calls (whole, not streamed), /api/generate lines, errors', () => {
    const a = new AiStreamAssembler({ method: 'POST', url: '/api/chat', headers: [], time: 0 });
    a.response({ status: 200, headers: [], contentType: 'application/x-ndjson', time: 1 });
    a.body(
      '{"model":"m","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":{"x":1}}}]},"done":false}\n',
      2,
    );
    a.body('{"model":"m","response":"hi","done":false}\n{"error":"out of memory"}\n', 3);
    a.end(4);
    const c = a.conversation;
    expect(c.replies[0]!.toolCalls[0]).toMatchObject({ name: 'f', arguments: '{"x":1}', valid: true });
    expect(c.replies[0]!.text).toBe('hi');
    expect(c.errors[0]!.message).toBe('out of memory');
    expect(c.status).toBe('error');
  });
});

describe('MCP', () => {
  it('Streamable HTTP: the POSTed request paired with its response by id; server notifications and requests', () => {
    const c = assemble(loadFixture('mcp-streamable')).conversation;
    expect(c).toMatchObject({ protocol: 'mcp', status: 'done', mcpSessionId: '1868a90c-invented' });
    expect(c.mcp.map((m) => [m.from, m.method, m.id, m.result === undefined ? '' : 'result'])).toEqual([
      ['client', 'tools/call', 7, 'result'],
      ['server', 'notifications/progress', undefined, ''],
      ['server', 'sampling/createMessage', 'srv-1', ''],
    ]);
    expect(c.mcp[0]).toMatchObject({ requestTime: REQUEST_TIME, responseTime: RESPONSE_TIME + 10 });
    expect(c.warnings).toEqual([]);
  });

  it('HTTP+SSE: endpoint, responses to requests sent elsewhere, JSON-RPC errors', () => {
    const c = assemble(loadFixture('mcp-http-sse')).conversation;
    expect(c.mcpEndpoint).toBe('/messages?sessionId=inv-session-42');
    expect(c.mcp.map((m) => [m.from, m.method, m.id])).toEqual([
      ['client', undefined, 0],
      ['server', 'notifications/tools/list_changed', undefined],
      ['client', undefined, 1],
    ]);
    expect(c.errors[0]!.message).toContain('Unknown tool: frobnicate');
    expect(c.warnings).toEqual([]);
  });

  it('HTTP+SSE: requests POSTed elsewhere, fed with clientMessage, are paired with their responses', () => {
    const fixture = loadFixture('mcp-http-sse');
    const a = new AiStreamAssembler(fixture.request);
    a.response(fixture.response);
    a.body(fixture.body.slice(0, fixture.body.indexOf('event: message')), RESPONSE_TIME + 5);
    a.clientMessage(
      '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2024-11-05"}}',
      RESPONSE_TIME + 6,
    );
    a.clientMessage('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"frobnicate"}}', RESPONSE_TIME + 7);
    a.body(fixture.body.slice(fixture.body.indexOf('event: message')), RESPONSE_TIME + 20);
    a.end(RESPONSE_TIME + 30);
    const c = a.conversation;
    expect(c.mcp.map((m) => [m.from, m.method, m.id, m.responseTime === undefined ? 'open' : 'answered'])).toEqual([
      ['client', 'initialize', 0, 'answered'],
      ['client', 'tools/call', 1, 'answered'],
      ['server', 'notifications/tools/list_changed', undefined, 'open'],
    ]);
    expect(c.mcp[1]!.error?.message).toBe('Unknown tool: frobnicate');
    expect(c.warnings).toEqual([]);
  });

  it('a request never answered', () => {
    const fixture = loadFixture('mcp-streamable');
    const cut = fixture.body.slice(0, fixture.body.indexOf('id: ev-3'));
    const c = assemble(fixture, [cut]).conversation;
    expect(codes(c)).toEqual(['unanswered']);
    expect(c.status).toBe('incomplete');
  });

  it('client messages fed later (a request body read after the stream opened)', () => {
    const fixture = loadFixture('mcp-streamable');
    const a = new AiStreamAssembler({ ...fixture.request, body: undefined });
    a.response(fixture.response);
    a.requestBody(fixture.request.body!);
    a.body(fixture.body, RESPONSE_TIME + 10);
    a.end(RESPONSE_TIME + 20);
    expect(a.conversation.mcp[0]).toMatchObject({ method: 'tools/call', result: expect.anything() });
  });
});

describe('JSON path accumulator', () => {
  it('accumulates the strings at the path; [DONE] ends it', () => {
    const c = assemble(loadFixture('json-path'), undefined, { jsonPath: 'token.text' }).conversation;
    expect(c).toMatchObject({ protocol: 'json-path', status: 'done' });
    expect(c.replies[0]!.text).toBe('Hello there!');
  });

  it('without a path the stream is not recognised (and costs nothing after the detection window)', () => {
    const a = assemble(loadFixture('json-path'));
    expect(a.conversation.protocol).toBeNull();
    expect(a.undetectable).toBe(true);
  });
});

describe('detection', () => {
  it('a stream that is no AI protocol is given up on after DETECT_LIMIT events', () => {
    const a = new AiStreamAssembler({ method: 'GET', url: '/sse/clock', headers: [], time: 0 });
    for (let i = 0; i < 30; i++) a.event({ type: 'tick', data: JSON.stringify({ now: i }), time: i });
    expect(a.undetectable).toBe(true);
    expect(a.conversation.protocol).toBeNull();
  });

  it('a ping or an error before anything telling is kept and replayed once the protocol is known', () => {
    const a = new AiStreamAssembler({ method: 'POST', url: '/', headers: [], time: 0 });
    a.event({ type: 'ping', data: '{"type":"ping"}', time: 1 });
    expect(a.detected).toBe(false);
    a.event({ type: 'message_start', data: '{"type":"message_start","message":{"model":"claude-x"}}', time: 2 });
    expect(a.conversation).toMatchObject({ protocol: 'anthropic', model: 'claude-x' });
  });

  it('headers: Vercel UI and data stream, MCP session; not the URL', () => {
    const request = { method: 'POST', url: 'https://api.openai.com/v1/chat/completions', headers: [], time: 0 };
    const ui = new AiStreamAssembler(request);
    ui.response({
      status: 200,
      headers: [{ name: 'X-Vercel-AI-UI-Message-Stream', value: 'v1' }],
      contentType: 'text/event-stream',
      time: 1,
    });
    expect(ui.conversation.protocol).toBe('vercel-ui');
    const plain = new AiStreamAssembler(request);
    plain.response({ status: 200, headers: [], contentType: 'text/event-stream', time: 1 });
    expect(plain.detected).toBe(false);
  });

  it('an HTTP error status is an error', () => {
    const a = new AiStreamAssembler({ method: 'POST', url: '/', headers: [], time: 0 });
    a.response({ status: 429, headers: [], contentType: 'text/event-stream', time: 1 });
    expect(a.conversation.errors[0]).toMatchObject({ code: '429' });
  });
});
