/**
 * The demo server's AI playground (test/server/ai-routes.ts) speaks each protocol well enough for
 * our own assemblers: every route and scenario, read over real HTTP and fed chunk by chunk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type StartedServer } from '../server/sse-server';
import { AiStreamAssembler } from '../../src/core/ai/assembler';
import type { HeaderEntry } from '../../src/protocol';

let server: StartedServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const BODIES: Record<string, { path: string; body: unknown }> = {
  'openai-chat': {
    path: '/ai/openai-chat',
    body: { model: 'demo', messages: [{ role: 'user', content: 'Hello?' }], stream: true },
  },
  'openai-responses': { path: '/ai/openai-responses', body: { model: 'demo', input: 'Hello?', stream: true } },
  anthropic: {
    path: '/ai/anthropic',
    body: { model: 'demo', max_tokens: 100, messages: [{ role: 'user', content: 'Hello?' }], stream: true },
  },
  gemini: {
    path: '/ai/gemini/models/demo-gemini:streamGenerateContent?alt=sse',
    body: { contents: [{ role: 'user', parts: [{ text: 'Hello?' }] }] },
  },
  'vercel-ui': {
    path: '/ai/vercel-ui',
    body: { messages: [{ id: '1', role: 'user', parts: [{ type: 'text', text: 'Hello?' }] }] },
  },
  'vercel-data': { path: '/ai/vercel-data', body: { messages: [{ role: 'user', content: 'Hello?' }] } },
  ollama: { path: '/ai/ollama', body: { model: 'demo', messages: [{ role: 'user', content: 'Hello?' }] } },
  mcp: {
    path: '/ai/mcp',
    body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_weather', arguments: { city: 'Oslo' } } },
  },
};
const PROTOCOL: Record<string, string> = { ollama: 'ndjson' };

async function assembled(
  name: string,
  scenario: string,
  method = 'POST',
  path = BODIES[name]!.path,
  body: unknown = BODIES[name]!.body,
) {
  const url = `${server.url}${path}${path.includes('?') ? '&' : '?'}scenario=${scenario}&delay=1`;
  const text = body === null ? undefined : JSON.stringify(body);
  const a = new AiStreamAssembler({
    method,
    url,
    headers: [{ name: 'content-type', value: 'application/json' }],
    ...(text === undefined ? {} : { body: text }),
    time: Date.now(),
  });
  const response = await fetch(url, {
    method,
    ...(text === undefined ? {} : { body: text, headers: { 'content-type': 'application/json' } }),
  });
  const headers: HeaderEntry[] = [...response.headers].map(([n, v]) => ({ name: n, value: v }));
  a.response({ status: response.status, headers, contentType: response.headers.get('content-type') ?? '', time: Date.now() });
  const decoder = new TextDecoder();
  const reader = response.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      a.body(decoder.decode(value, { stream: true }), Date.now());
    }
  } catch {
    // `cut`: the server drops the connection.
  }
  a.end(Date.now());
  return a;
}

const run = async (...args: Parameters<typeof assembled>) => (await assembled(...args)).conversation;

describe('AI playground routes', () => {
  for (const name of Object.keys(BODIES)) {
    it(`${name}: text, tools, error, cut`, async () => {
      const text = await run(name, 'text');
      expect(text.protocol).toBe(PROTOCOL[name] ?? name);
      expect(text.status).toBe('done');
      expect(text.warnings).toEqual([]);
      if (name === 'mcp') {
        expect(text.mcp[0]).toMatchObject({ method: 'tools/call', result: expect.anything() });
        expect((await run(name, 'error')).status).toBe('error');
        expect((await run(name, 'cut')).warnings.map((w) => w.code)).toEqual(['unanswered']);
        return;
      }
      expect(text.replies[0]!.text).toContain('You asked about “Hello?”');
      const tools = await run(name, 'tools');
      expect(tools.replies[0]!.toolCalls.map((c) => [c.name, c.valid])).toEqual([
        ['get_weather', true],
        ['get_weather', true],
      ]);
      const reasoning = await run(name, 'reasoning');
      expect(reasoning.replies[0]!.reasoning).toContain('The user wants a demonstration.');
      const error = await run(name, 'error');
      expect(error.status).toBe('error');
      expect(error.errors.length).toBeGreaterThan(0);
      const cut = await run(name, 'cut');
      expect(cut.status).toBe('incomplete');
      expect(cut.warnings.map((w) => w.code)).toContain('missing-terminator');
    });
  }

  it('MCP HTTP+SSE: endpoint and messages', async () => {
    const c = await run('mcp', 'text', 'GET', '/ai/mcp-sse', null);
    expect(c.protocol).toBe('mcp');
    expect(c.mcpEndpoint).toMatch(/^\/ai\/mcp-messages\?sessionId=/);
    expect(c.mcp.length).toBe(4);
  });

  it('a stall shows as a stall', async () => {
    const a = await assembled('anthropic', 'stall');
    expect(a.conversation.status).toBe('done');
    expect(a.summary().stalls).toEqual([expect.objectContaining({ duration: expect.any(Number) })]);
    expect(a.summary().stalls[0]!.duration).toBeGreaterThanOrEqual(2400);
  }, 10_000);
});
