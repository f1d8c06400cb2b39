/**
 * The model of an AI stream ("conversation"): what was asked (the prompt, from the request body),
 * what the model answered (assembled from the stream's deltas), how fast, and what went wrong.
 * Pure data, built incrementally by `AiStreamAssembler` (assembler.ts); no DOM, no browser APIs.
 */
import type { HeaderEntry } from '../../protocol';

/** The wire protocols we assemble. */
export type AiProtocol =
  /** OpenAI Chat Completions (and the many servers that speak it): `choices[].delta`, `[DONE]`. */
  | 'openai-chat'
  /** OpenAI Responses API: named `response.*` events with `sequence_number`. */
  | 'openai-responses'
  /** Anthropic Messages: `message_start`, `content_block_*`, `message_delta`, `message_stop`. */
  | 'anthropic'
  /** Google Gemini `streamGenerateContent?alt=sse`: `candidates[].content.parts`. */
  | 'gemini'
  /** Vercel AI SDK UI message stream (SSE, `data: {"type": ...}`). */
  | 'vercel-ui'
  /** Vercel AI SDK data stream protocol (not SSE: `text/plain` lines such as `0:"text"`). */
  | 'vercel-data'
  /** Newline-delimited JSON (not SSE), e.g. Ollama's `/api/chat` and `/api/generate`. */
  | 'ndjson'
  /** Model Context Protocol: HTTP+SSE (`event: endpoint`) or Streamable HTTP, JSON-RPC messages. */
  | 'mcp'
  /** Any JSON per event: the strings at a user-named JSON path are accumulated. */
  | 'json-path';

export const AI_PROTOCOLS: readonly AiProtocol[] = [
  'openai-chat',
  'openai-responses',
  'anthropic',
  'gemini',
  'vercel-ui',
  'vercel-data',
  'ndjson',
  'mcp',
  'json-path',
];

/** Whether a protocol is carried as Server-Sent Events (the others are lines of text). */
export function isSseProtocol(protocol: AiProtocol): boolean {
  return protocol !== 'vercel-data' && protocol !== 'ndjson';
}

// ---------------------------------------------------------------------------------------------
// input

/** The request that opened the stream. */
export interface AiRequestInfo {
  method: string;
  url: string;
  headers: readonly HeaderEntry[];
  /** The request body as text (JSON for every protocol we know), when it was captured. */
  body?: string;
  /** When the page sent it (epoch ms). */
  time: number;
}

/** The response's status line and headers. */
export interface AiResponseInfo {
  status: number;
  headers: readonly HeaderEntry[];
  contentType: string;
  /** When the headers reached the page (epoch ms). */
  time: number;
}

/** A parsed SSE event (`SseEvent` of core/sse-types.ts fits). */
export interface AiSseEvent {
  /** `event:` field, or "message". */
  type: string;
  data: string;
  /** When its last byte reached the page (epoch ms). */
  time: number;
}

// ---------------------------------------------------------------------------------------------
// output: the prompt

export interface PromptMessage {
  role: string;
  /** Its text (text parts joined); other parts are listed in `attachments`. */
  text: string;
  /** Non-text parts, described ("image", "file report.pdf", "tool result call_1", ...). */
  attachments?: string[];
  /** Tool calls an assistant message carries (earlier turns). */
  toolCalls?: { name: string; arguments: string }[];
  /** The tool call a tool message answers. */
  toolCallId?: string;
}

export interface PromptTool {
  name: string;
  description?: string;
  /** The JSON schema of its input, as sent. */
  parameters?: unknown;
}

export interface Prompt {
  model?: string;
  system?: string;
  messages: PromptMessage[];
  tools: PromptTool[];
  /** Other top-level request fields (temperature, max_tokens, stream options...), as sent. */
  params: Record<string, unknown>;
  /** MCP: the JSON-RPC messages the request body carried. */
  jsonRpc?: unknown[];
}

// ---------------------------------------------------------------------------------------------
// output: the reply

export interface ToolCall {
  /** Stable key within the conversation (the protocol's index or id). */
  key: string;
  id?: string;
  name: string;
  /** The arguments as assembled from the deltas (JSON text, as the model wrote it). */
  arguments: string;
  /** The arguments are complete (the call's block or choice finished). */
  done: boolean;
  /** null until done; then whether `arguments` parse as JSON (empty counts as `{}`). */
  valid: boolean | null;
  /** The tool's result, when the stream carries it (Vercel AI SDK, server tools). */
  output?: string;
  /** An error the stream reported for this call. */
  error?: string;
  /** Executed by the provider (Anthropic server tools, Vercel `providerExecuted`). */
  server?: boolean;
  /** When its first and last argument delta arrived. */
  startTime: number;
  endTime?: number;
}

export type ReplyPart =
  | { kind: 'text'; text: string }
  | { kind: 'reasoning'; text: string; summary?: boolean; redacted?: boolean; signature?: string }
  | { kind: 'refusal'; text: string }
  | { kind: 'tool-call'; call: ToolCall };

/** A safety rating (Gemini). */
export interface SafetyRating {
  category: string;
  probability?: string;
  blocked?: boolean;
}

/** One answer (one `choices[]` entry or Gemini candidate; most streams have one). */
export interface Reply {
  index: number;
  role: string;
  /** Every text part joined. */
  text: string;
  /** Every reasoning / thinking part joined. */
  reasoning: string;
  refusal: string;
  /** The parts in the order they were started. */
  parts: ReplyPart[];
  toolCalls: ToolCall[];
  finishReason?: string;
  finishTime?: number;
  safety?: SafetyRating[];
}

export interface Usage {
  input?: number;
  output?: number;
  /** Reasoning / thinking tokens (part of `output` for OpenAI and Gemini). */
  reasoning?: number;
  /** Input tokens read from a cache. */
  cachedInput?: number;
  /** Input tokens written to a cache (Anthropic). */
  cacheCreation?: number;
  total?: number;
}

/** An error reported inside the stream (`event: error`, `{"error": ...}`, `3:"..."`...). */
export interface InBandError {
  time: number;
  type?: string;
  code?: string;
  message: string;
}

export type AiWarningCode =
  /** The stream ended without its terminator (`[DONE]`, `message_stop`, `response.completed`...). */
  | 'missing-terminator'
  /** Responses API `sequence_number` skipped or went back. */
  | 'sequence-gap'
  /** Content arrived after the reply (or the stream) said it had finished. */
  | 'content-after-finish'
  /** An event's data (or a line) is not the JSON it should be. */
  | 'unparsable'
  /** A delta or stop for a content block / item / tool call that was not started, or of another kind. */
  | 'block-index-mismatch'
  /** An event type this protocol does not define. */
  | 'unknown-event'
  /** MCP: a request was never answered, or a response answers no request we saw. */
  | 'unanswered';

export interface AiWarning {
  code: AiWarningCode;
  message: string;
  time: number;
}

/** MCP: one JSON-RPC exchange (a request and its response, or a notification). */
export interface McpExchange {
  /** The JSON-RPC id (absent for notifications). */
  id?: string | number;
  /** Who sent the request or notification. */
  from: 'client' | 'server';
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code?: number; message: string; data?: unknown };
  requestTime?: number;
  responseTime?: number;
}

export type ConversationStatus =
  /** No content yet. */
  | 'waiting'
  | 'streaming'
  /** The stream finished as its protocol says it should. */
  | 'done'
  /** The stream (or the model) reported an error. */
  | 'error'
  /** The stream ended without finishing (cut short). */
  | 'incomplete';

export interface Conversation {
  /** null until detected (and for streams that are no AI protocol). */
  protocol: AiProtocol | null;
  /** Carried as SSE (false: lines of text, e.g. NDJSON). */
  sse: boolean;
  model?: string;
  /** The provider's id of the response/message. */
  responseId?: string;
  prompt: Prompt;
  replies: Reply[];
  usage: Usage;
  errors: InBandError[];
  warnings: AiWarning[];
  /** MCP only. */
  mcp: McpExchange[];
  /** MCP HTTP+SSE: the URL the client must POST its messages to (`event: endpoint`). */
  mcpEndpoint?: string;
  /** MCP Streamable HTTP: the `Mcp-Session-Id` header. */
  mcpSessionId?: string;
  status: ConversationStatus;
  /** The protocol's terminator arrived. */
  terminated: boolean;
  /** The stream itself ended (closed or errored). */
  ended: boolean;
  /** Bumped on every change. */
  version: number;
}

/** Timing of a conversation (see metrics.ts). All times ms; undefined when not known (yet). */
export interface AiMetrics {
  requestTime: number;
  responseTime?: number;
  firstTokenTime?: number;
  lastTokenTime?: number;
  endTime?: number;
  /** Time to first token from the request. */
  ttft?: number;
  /** Time to first token from the response headers. */
  ttftFromHeaders?: number;
  /** From the request to the end of the stream (or the last thing seen while it is open). */
  total?: number;
  /** Output tokens: from the usage when reported, else estimated (≈ 4 characters a token). */
  outputTokens?: number;
  tokensEstimated: boolean;
  /** Output tokens per second between the first and the last token. */
  tokensPerSecond?: number;
  /** Content deltas received. */
  deltas: number;
  /** Gaps between arrivals that carried content. */
  gapP50?: number;
  gapP95?: number;
  gapMax?: number;
  /** Gaps of at least the stall threshold: when the gap ended, and its length. */
  stalls: { time: number; duration: number }[];
  stallThreshold: number;
}
