/**
 * The "AI playground" of the demo server: one route per AI streaming protocol, answering a POST as
 * that provider would (shapes from each provider's public API reference; the words invented).
 *
 *   POST /ai/openai-chat            OpenAI Chat Completions (SSE, `[DONE]`)
 *   POST /ai/openai-responses       OpenAI Responses API (named SSE events, sequence_number)
 *   POST /ai/anthropic              Anthropic Messages (SSE, ping, message_stop)
 *   POST /ai/gemini/models/M:streamGenerateContent?alt=sse   Gemini (SSE)
 *   POST /ai/vercel-ui              Vercel AI SDK UI message stream (SSE)
 *   POST /ai/vercel-data            Vercel AI SDK data stream (NOT SSE: text/plain `0:"..."` lines)
 *   POST /ai/ollama                 Ollama /api/chat (NOT SSE: application/x-ndjson)
 *   POST /ai/mcp                    MCP Streamable HTTP (JSON-RPC in the body, SSE answer)
 *   GET  /ai/mcp-sse                MCP HTTP+SSE (`event: endpoint`, then JSON-RPC messages)
 *   POST /ai/openai/v1/chat/completions, /ai/openai/v1/responses   the same as the OpenAI routes,
 *                                   at the paths the `openai` SDK calls (baseURL `/ai/openai/v1`)
 *
 * Query: `scenario` = text (default) | reasoning | tools | error | cut | stall; `delay` = ms
 * between deltas (40). `error` sends the protocol's in-band error partway; `cut` drops the
 * connection halfway without the terminator; `stall` pauses 2.5 s in the middle.
 *
 * The wire text comes from the extension's own re-chunker (src/core/ai/rechunk.ts) — the same code
 * "Mock with an edited reply" uses — except the errors, which are written here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { rechunk, type EditedReply, type RechunkableProtocol } from '../../src/core/ai/rechunk.ts';

export const AI_PROTOCOLS = [
  'openai-chat',
  'openai-responses',
  'anthropic',
  'gemini',
  'vercel-ui',
  'vercel-data',
  'ollama',
  'mcp',
] as const;
export const AI_SCENARIOS = ['text', 'reasoning', 'tools', 'error', 'cut', 'stall'] as const;
type Scenario = (typeof AI_SCENARIOS)[number];

const ROUTE_PROTOCOL: Record<string, RechunkableProtocol> = {
  'openai-chat': 'openai-chat',
  'openai-responses': 'openai-responses',
  anthropic: 'anthropic',
  gemini: 'gemini',
  'vercel-ui': 'vercel-ui',
  'vercel-data': 'vercel-data',
  ollama: 'ndjson',
};

const MODELS: Record<RechunkableProtocol, string> = {
  'openai-chat': 'demo-gpt-4o-mini',
  'openai-responses': 'demo-o4-mini',
  anthropic: 'demo-claude-sonnet',
  gemini: 'demo-gemini-flash',
  'vercel-ui': 'demo-vercel-ui',
  'vercel-data': 'demo-vercel-data',
  ndjson: 'demo-llama3.2',
};

function scenarioOf(query: URLSearchParams): Scenario {
  const value = query.get('scenario') ?? 'text';
  return (AI_SCENARIOS as readonly string[]).includes(value) ? (value as Scenario) : 'text';
}

function delayOf(query: URLSearchParams): number {
  const n = Number(query.get('delay') ?? '40');
  return Number.isFinite(n) ? Math.min(2000, Math.max(0, Math.trunc(n))) : 40;
}

/** The last user text of any of the request shapes we answer (messages, input, contents, parts). */
function promptText(body: string): string {
  try {
    const json: unknown = JSON.parse(body);
    const texts: string[] = [];
    const visit = (value: unknown): void => {
      if (typeof value === 'string') texts.push(value);
      else if (Array.isArray(value)) value.forEach(visit);
      else if (value !== null && typeof value === 'object') {
        const o = value as Record<string, unknown>;
        if (typeof o.text === 'string') texts.push(o.text);
        else if (o.content !== undefined) visit(o.content);
        else if (o.parts !== undefined) visit(o.parts);
      }
    };
    const o = (json ?? {}) as Record<string, unknown>;
    visit(o.messages ?? o.input ?? o.contents ?? o.prompt);
    return texts[texts.length - 1]?.trim() ?? '';
  } catch {
    return '';
  }
}

function replyFor(scenario: Scenario, prompt: string): EditedReply {
  const asked = prompt === '' ? 'nothing in particular' : `“${prompt.slice(0, 80)}”`;
  const text =
    `You asked about ${asked}. This answer streams token by token, the way a real model answers, ` +
    'so the Conversation view can assemble it, time it and compare it with the other providers.';
  switch (scenario) {
    case 'reasoning':
      return {
        reasoning: 'The user wants a demonstration. I will think briefly, then answer in two sentences.',
        text,
      };
    case 'tools':
      return {
        text: 'Let me check the weather in both cities.',
        toolCalls: [
          { id: 'call_demo_paris', name: 'get_weather', arguments: '{"city": "Paris", "unit": "c"}' },
          { id: 'call_demo_oslo', name: 'get_weather', arguments: '{"city": "Oslo", "unit": "c"}' },
        ],
      };
    default:
      return { text };
  }
}

/** The protocol's in-band error, as wire text (after which the server ends the response). */
function errorText(protocol: RechunkableProtocol): string {
  switch (protocol) {
    case 'openai-chat':
      return `data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error', code: null } })}\n\n`;
    case 'openai-responses':
      return (
        `event: error\ndata: ${JSON.stringify({ type: 'error', code: 'server_error', message: 'The model failed mid-stream.', param: null, sequence_number: 9999 })}\n\n` +
        `event: response.failed\ndata: ${JSON.stringify({ type: 'response.failed', sequence_number: 10000, response: { id: 'resp_demo', status: 'failed', error: { code: 'server_error', message: 'The model failed mid-stream.' } } })}\n\n`
      );
    case 'anthropic':
      return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`;
    case 'gemini':
      return `data: ${JSON.stringify({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } })}\n\n`;
    case 'vercel-ui':
      return `data: ${JSON.stringify({ type: 'error', errorText: 'The model provider failed.' })}\n\n`;
    case 'vercel-data':
      return `3:${JSON.stringify('The model provider failed.')}\n`;
    case 'ndjson':
      return `${JSON.stringify({ error: 'model runner has unexpectedly stopped' })}\n`;
  }
}

/** Writes `chunks` at their times; `stopAfter` chunks then `finish`. Clears its timers if the client goes. */
/**
 * How long after its last bytes left a "cut" connection is dropped. At once, a loaded machine's
 * browser could see the reset before reading the bytes sent just before it, and hand the page none
 * of them (a network race the scenario is not about): a real model's connection drops a while
 * after its last delta.
 */
const CUT_AFTER_MS = 250;

/** Drops the connection (no terminator, no end of the chunked body), once what was written has gone out. */
function cut(res: ServerResponse): void {
  const timer = setTimeout(() => res.destroy(), CUT_AFTER_MS);
  res.on('close', () => clearTimeout(timer));
}

function play(res: ServerResponse, chunks: { at: number; text: string }[], stopAfter: number, finish: () => void): void {
  const timers = new Set<NodeJS.Timeout>();
  res.on('close', () => {
    for (const timer of timers) clearTimeout(timer);
  });
  const start = Date.now();
  let i = 0;
  const next = () => {
    if (res.destroyed || res.writableEnded) return;
    if (i >= stopAfter) {
      finish();
      return;
    }
    const chunk = chunks[i++]!;
    const wait = Math.max(0, start + chunk.at - Date.now());
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (res.destroyed) return;
      // The ending (an end, an error, a cut) once the bytes before it were handed to the system.
      if (i >= stopAfter) res.write(chunk.text, () => next());
      else {
        res.write(chunk.text);
        next();
      }
    }, wait);
    timers.add(timer);
  };
  next();
}

function streamModel(route: string, res: ServerResponse, query: URLSearchParams, body: string): void {
  const protocol = ROUTE_PROTOCOL[route]!;
  const scenario = scenarioOf(query);
  const delay = delayOf(query);
  const reply = replyFor(scenario, promptText(body));
  const deltas = 400;
  const stallAt = scenario === 'stall' ? 12 : -1;
  const result = rechunk(
    reply,
    { responseAt: 0, deltaTimes: Array.from({ length: deltas }, (_, k) => delay * (k + 1)), charsPerDelta: 6 },
    {
      protocol,
      model: MODELS[protocol],
      responseId: `demo_${Date.now().toString(36)}`,
      usage: {
        input: 20 + Math.round(promptText(body).length / 4),
        output: Math.round((reply.text.length + (reply.reasoning?.length ?? 0)) / 4),
      },
      stalls: stallAt >= 0 ? [{ afterDelta: stallAt, ms: 2500 }] : [],
    },
  );
  const headers: Record<string, string> = {
    'Content-Type': result.contentType,
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  };
  for (const header of result.headers) headers[header.name] = header.value;
  res.writeHead(200, headers);
  res.flushHeaders();
  const half = Math.max(1, Math.floor(result.chunks.length / 2));
  if (scenario === 'error') play(res, result.chunks, half, () => res.end(errorText(protocol)));
  else if (scenario === 'cut') play(res, result.chunks, half, () => cut(res));
  else play(res, result.chunks, result.chunks.length, () => res.end());
}

/** MCP Streamable HTTP: the POSTed JSON-RPC request answered over SSE (progress, then the result). */
function mcpStreamable(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, body: string): void {
  let message: { id?: unknown; method?: unknown; params?: unknown };
  try {
    message = JSON.parse(body) as typeof message;
  } catch {
    res
      .writeHead(400, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }));
    return;
  }
  const scenario = scenarioOf(query);
  const delay = Math.max(100, delayOf(query) * 5);
  const id = message.id ?? null;
  const session =
    typeof req.headers['mcp-session-id'] === 'string' ? req.headers['mcp-session-id'] : `demo-session-${Date.now().toString(36)}`;
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'Mcp-Session-Id': session });
  res.flushHeaders();
  const event = (n: number, value: unknown) => `id: ${n}\nevent: message\ndata: ${JSON.stringify(value)}\n\n`;
  const progressToken =
    (message.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta?.progressToken ?? 'demo-progress';
  const chunks = [1, 2, 3].map((step, i) => ({
    at: delay * (i + 1),
    text: event(step, {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken, progress: step, total: 4, message: `Step ${step} of 4` },
    }),
  }));
  const result =
    scenario === 'error'
      ? {
          jsonrpc: '2.0',
          id,
          error: {
            code: -32602,
            message: `Unknown tool: ${String((message.params as { name?: unknown } | undefined)?.name ?? '?')}`,
          },
        }
      : {
          jsonrpc: '2.0',
          id,
          result: { content: [{ type: 'text', text: `Demo result of ${String(message.method)}.` }], isError: false },
        };
  chunks.push({ at: delay * 4, text: event(4, result) });
  if (scenario === 'cut') play(res, chunks, 2, () => cut(res));
  else play(res, chunks, chunks.length, () => res.end());
}

/** MCP HTTP+SSE: `event: endpoint`, then messages answering requests the client POSTs elsewhere. */
function mcpSse(res: ServerResponse, query: URLSearchParams): void {
  const delay = Math.max(100, delayOf(query) * 5);
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  const message = (value: unknown) => `event: message\ndata: ${JSON.stringify(value)}\n\n`;
  const chunks = [
    { at: 0, text: `event: endpoint\ndata: /ai/mcp-messages?sessionId=demo-${Date.now().toString(36)}\n\n` },
    {
      at: delay,
      text: message({
        jsonrpc: '2.0',
        id: 0,
        result: {
          protocolVersion: '2024-11-05',
          capabilities: { tools: {} },
          serverInfo: { name: 'demo-mcp', version: '1.0.0' },
        },
      }),
    },
    {
      at: delay * 2,
      text: message({ jsonrpc: '2.0', id: 1, result: { tools: [{ name: 'get_weather', inputSchema: { type: 'object' } }] } }),
    },
    { at: delay * 3, text: message({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' }) },
    { at: delay * 4, text: message({ jsonrpc: '2.0', id: 2, error: { code: -32602, message: 'Unknown tool: frobnicate' } }) },
  ];
  play(res, chunks, chunks.length, () => res.end());
}

/** The paths the official OpenAI SDK calls (baseURL `/ai/openai/v1`), as aliases of the routes above. */
const SDK_PATHS: Record<string, string> = {
  'openai/v1/chat/completions': 'openai-chat',
  'openai/v1/responses': 'openai-responses',
};

/**
 * Answers `/ai/...` requests; false for any other path (the caller goes on with its own routes).
 * `body` is the request body already read.
 */
export function handleAiRoute(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  query: URLSearchParams,
  body: string,
): boolean {
  if (!pathname.startsWith('/ai/')) return false;
  const rest = pathname.slice('/ai/'.length);
  const route = pathname.startsWith('/ai/gemini/') ? 'gemini' : (SDK_PATHS[rest] ?? rest);
  const method = req.method ?? 'GET';
  if (route === 'mcp-sse') {
    mcpSse(res, query);
    return true;
  }
  if (route === 'mcp-messages') {
    // HTTP+SSE: the client's POSTs are accepted here; answers go out on the SSE stream.
    res.writeHead(202).end();
    return true;
  }
  if (method !== 'POST') {
    res.writeHead(405, { 'Content-Type': 'application/json', Allow: 'POST' }).end(JSON.stringify({ error: 'Use POST' }));
    return true;
  }
  if (route === 'mcp') mcpStreamable(req, res, query, body);
  else if (ROUTE_PROTOCOL[route] !== undefined) streamModel(route, res, query, body);
  else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Unknown AI route\n');
  return true;
}
