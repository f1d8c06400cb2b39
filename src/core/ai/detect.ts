/**
 * Which AI protocol a stream speaks, told from its headers and its first events or lines — never
 * from the URL (proxies, gateways and self-hosted servers put every protocol behind any path).
 */
import type { HeaderEntry } from '../../protocol';
import { isObject, obj, str, tryParse, type Json } from './json';
import { isJsonRpc } from './protocols/mcp';
import type { AiProtocol } from './types';

export function header(headers: readonly HeaderEntry[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

/** How a response body is framed: SSE events, or lines (NDJSON, Vercel data stream). */
export type Transport = 'sse' | 'lines';

/** Content types of newline-delimited JSON. */
const NDJSON_TYPES = /^\s*application\/(x-ndjson|ndjson|jsonl|x-jsonlines|json-lines|jsonlines|stream\+json|json-seq)\s*(;|$)/i;

/**
 * The framing the headers announce, or undefined when they do not say (text/plain, none...): then
 * the body decides (`sniffTransport`).
 */
export function transportOfHeaders(contentType: string, headers: readonly HeaderEntry[]): Transport | undefined {
  if (/^\s*text\/event-stream\s*(;|$)/i.test(contentType)) return 'sse';
  if (NDJSON_TYPES.test(contentType)) return 'lines';
  if (header(headers, 'x-vercel-ai-data-stream') !== undefined) return 'lines';
  return undefined;
}

/**
 * The framing of a body from its first text: SSE field lines (`data:`, `event:`, `id:`, `retry:`,
 * a `:` comment), or lines of JSON / `0:"text"` parts. Undefined until a non-blank line is known.
 */
export function sniffTransport(text: string): Transport | undefined {
  const line = /^[\s\uFEFF]*([^\r\n]*)[\r\n]/.exec(text)?.[1] ?? (text.length > 64 ? text.trimStart() : undefined);
  if (line === undefined) return undefined;
  if (/^(data|event|id|retry)\s*:|^:/.test(line)) return 'sse';
  return 'lines';
}

/** What the headers alone say (the Vercel AI SDK and MCP announce themselves). */
export function protocolOfHeaders(
  requestHeaders: readonly HeaderEntry[],
  requestBody: string | undefined,
  responseHeaders: readonly HeaderEntry[],
): AiProtocol | undefined {
  if (header(responseHeaders, 'x-vercel-ai-ui-message-stream') !== undefined) return 'vercel-ui';
  if (header(responseHeaders, 'x-vercel-ai-data-stream') !== undefined) return 'vercel-data';
  if (header(responseHeaders, 'mcp-session-id') !== undefined || header(requestHeaders, 'mcp-session-id') !== undefined)
    return 'mcp';
  if (header(requestHeaders, 'mcp-protocol-version') !== undefined) return 'mcp';
  if (requestBody !== undefined && requestBody.includes('"jsonrpc"') && isJsonRpc(tryParse(requestBody))) return 'mcp';
  return undefined;
}

const ANTHROPIC_TYPES = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
]);
const VERCEL_UI_TYPES = new Set([
  'start',
  'start-step',
  'text-start',
  'text-delta',
  'text-end',
  'reasoning-start',
  'reasoning-delta',
  'reasoning-end',
  'tool-input-start',
  'tool-input-delta',
  'tool-input-available',
  'tool-output-available',
  'finish-step',
  'finish',
]);

/**
 * What one SSE event says: a protocol, or undefined when it could be any (a `ping`, `[DONE]`, an
 * error before anything else, data that is no JSON).
 */
export function protocolOfEvent(type: string, json: Json | undefined): AiProtocol | undefined {
  if (type === 'endpoint') return 'mcp';
  if (type.startsWith('response.')) return 'openai-responses';
  if (ANTHROPIC_TYPES.has(type)) return 'anthropic';
  if (json === undefined) return undefined;
  if (isJsonRpc(json)) return 'mcp';
  if (!isObject(json)) return undefined;
  const kind = str(json.type);
  if (kind !== undefined) {
    if (kind.startsWith('response.')) return 'openai-responses';
    if (ANTHROPIC_TYPES.has(kind)) return 'anthropic';
    if (kind === 'error' && obj(json.error) !== undefined && type === 'error') return 'anthropic';
    if (kind === 'error' && json.sequence_number !== undefined) return 'openai-responses';
    if (VERCEL_UI_TYPES.has(kind) || kind.startsWith('data-')) return 'vercel-ui';
  }
  if (
    json.object === 'chat.completion.chunk' ||
    (Array.isArray(json.choices) && json.choices.some((c) => obj(c)?.delta !== undefined))
  )
    return 'openai-chat';
  if (Array.isArray(json.candidates) || json.usageMetadata !== undefined || json.promptFeedback !== undefined) return 'gemini';
  return undefined;
}

/** What one line of a line-framed body says. */
export function protocolOfLine(line: string): AiProtocol | undefined {
  if (/^[0-9a-z]:/.test(line) && tryParse(line.slice(2)) !== undefined) return 'vercel-data';
  const json = tryParse(line);
  if (!isObject(json)) return undefined;
  if (typeof json.done === 'boolean' && (json.message !== undefined || json.response !== undefined)) return 'ndjson';
  if (typeof json.error === 'string' && json.model !== undefined) return 'ndjson';
  return undefined;
}
