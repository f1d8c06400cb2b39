/**
 * Assembles one AI stream into a Conversation, incrementally: feed it the request, the response
 * headers, then SSE events (`event`) or raw text (`body`) as they arrive, then `end`. Each input
 * costs O(its own size) — never a re-read of what came before — so a 100k-delta reply stays cheap.
 *
 * The protocol is detected from the headers and the first events/lines (detect.ts); inputs that
 * arrive before it is known are kept (at most DETECT_LIMIT) and replayed once it is. A stream
 * that says nothing we know within that many inputs is given up on (`undetectable`) and costs
 * nothing after.
 */
import { SseTextParser } from '../sse-parser';
import type { SseItem } from '../sse-types';
import { ConversationBuilder, newConversation } from './builder';
import {
  header,
  protocolOfEvent,
  protocolOfHeaders,
  protocolOfLine,
  sniffTransport,
  transportOfHeaders,
  type Transport,
} from './detect';
import { argumentsParse, tryParse, type Json } from './json';
import { MetricsTracker } from './metrics';
import { parsePrompt } from './prompt';
import { anthropic } from './protocols/anthropic';
import { gemini } from './protocols/gemini';
import type { ProtocolHandler } from './protocols/handler';
import { jsonPath } from './protocols/json-path';
import { mcp, type McpHandler } from './protocols/mcp';
import { ndjson } from './protocols/ndjson';
import { openAiChat } from './protocols/openai-chat';
import { openAiResponses } from './protocols/openai-responses';
import { vercelData, vercelUi } from './protocols/vercel';
import {
  isSseProtocol,
  type AiMetrics,
  type AiProtocol,
  type AiRequestInfo,
  type AiResponseInfo,
  type AiSseEvent,
  type Conversation,
} from './types';

/** Inputs (events or lines) looked at to detect the protocol before giving up. */
export const DETECT_LIMIT = 24;

export interface AssemblerOptions {
  /** Accumulate the strings at this JSON path (e.g. `choices.0.delta.content`) instead of detecting. */
  jsonPath?: string;
  /** Use this protocol instead of detecting one. */
  protocol?: AiProtocol;
  /** A gap between content arrivals at least this long (ms) counts as a stall (default 1000). */
  stallMs?: number;
}

type Pending =
  | { kind: 'event'; type: string; data: string; json: Json | undefined; time: number }
  | { kind: 'line'; line: string; time: number };

export class AiStreamAssembler {
  readonly conversation: Conversation = newConversation();
  readonly metrics: MetricsTracker;
  private readonly builder: ConversationBuilder;
  private handler: ProtocolHandler | null = null;
  private pending: Pending[] = [];
  private gaveUp = false;
  private transport: Transport | undefined;
  private responseInfo: AiResponseInfo | undefined;
  /** Raw text not yet framed (`body` before the transport is known), and an unfinished line. */
  private unframed = '';
  private unframedTime = 0;
  private partialLine = '';
  private sseParser: SseTextParser | null = null;
  private readonly parsed: SseItem[] = [];

  constructor(
    private request: AiRequestInfo,
    private readonly options: AssemblerOptions = {},
  ) {
    this.metrics = new MetricsTracker(request.time, options.stallMs);
    this.builder = new ConversationBuilder(this.conversation, this.metrics);
    this.conversation.prompt = parsePrompt(request.body, request.url);
    const forced = options.jsonPath !== undefined && options.jsonPath.trim() !== '' ? 'json-path' : options.protocol;
    if (forced !== undefined) this.use(forced);
    else {
      const fromHeaders = protocolOfHeaders(request.headers, request.body, []);
      if (fromHeaders === 'mcp') this.use(fromHeaders);
    }
  }

  /** The protocol is known (or was forced). */
  get detected(): boolean {
    return this.handler !== null;
  }

  /** Nothing we know was found in the first DETECT_LIMIT inputs: not an AI stream. */
  get undetectable(): boolean {
    return this.gaveUp;
  }

  /** The request body, when it is known only after the stream opened. */
  requestBody(body: string): void {
    if (this.request.body === body) return;
    this.request = { ...this.request, body };
    this.conversation.prompt = parsePrompt(body, this.request.url);
    if (this.handler === null && !this.gaveUp) {
      const fromHeaders = protocolOfHeaders(this.request.headers, body, this.responseInfo?.headers ?? []);
      if (fromHeaders !== undefined) this.use(fromHeaders);
    } else if (this.conversation.protocol === 'mcp') {
      this.feedClientMessages();
    }
    this.builder.changed();
  }

  /**
   * MCP over HTTP+SSE: a JSON-RPC message the client POSTed to the endpoint (a request of its own,
   * answered on this stream), so its response can be paired with it. Ignored for other protocols.
   */
  clientMessage(json: string, time: number): void {
    const value = tryParse(json);
    if (value === undefined || this.conversation.protocol !== 'mcp' || this.handler === null) return;
    (this.handler as McpHandler).client(value, time);
  }

  response(info: AiResponseInfo): void {
    this.responseInfo = info;
    this.metrics.responseTime = info.time;
    this.metrics.seen(info.time);
    this.transport ??= transportOfHeaders(info.contentType, info.headers);
    const session = header(info.headers, 'mcp-session-id');
    if (session !== undefined) this.conversation.mcpSessionId = session;
    if (info.status >= 400) this.builder.error({ time: info.time, code: String(info.status), message: `HTTP ${info.status}` });
    if (this.handler === null && !this.gaveUp) {
      const fromHeaders = protocolOfHeaders(this.request.headers, this.request.body, info.headers);
      if (fromHeaders !== undefined) this.use(fromHeaders);
    }
    this.builder.changed();
  }

  /** A parsed SSE event (from LogStore, or an EventSource). */
  event(event: AiSseEvent): void {
    this.metrics.seen(event.time);
    if (this.gaveUp) return;
    this.transport ??= 'sse';
    const json = tryParse(event.data);
    if (this.handler === null) {
      this.pending.push({ kind: 'event', type: event.type, data: event.data, json, time: event.time });
      const protocol = protocolOfEvent(event.type, json);
      if (protocol !== undefined) this.use(protocol);
      else if (this.pending.length >= DETECT_LIMIT) this.giveUp();
      return;
    }
    this.handler.event?.(event.type, event.data, json, event.time);
  }

  /**
   * Raw body text as it arrived. Framed by the response headers or, when they do not say, by the
   * first line: SSE text is parsed here (spec-exact parser) and fed to `event`; anything else is
   * split into lines.
   */
  body(chunk: string, time: number): void {
    this.metrics.seen(time);
    if (this.gaveUp) return;
    if (this.transport === undefined) {
      this.unframed += chunk;
      this.unframedTime = time;
      this.transport = sniffTransport(this.unframed);
      if (this.transport === undefined) return;
      chunk = this.unframed;
      this.unframed = '';
    }
    if (this.transport === 'sse') {
      this.sseParser ??= new SseTextParser();
      this.sseParser.push(chunk, time, this.parsed);
      this.drainParsed();
    } else {
      this.lines(chunk, time);
    }
  }

  /** The stream ended (closed by the server or the page, or failed). */
  end(time: number): void {
    const c = this.conversation;
    if (c.ended) return;
    this.metrics.seen(time);
    if (this.unframed !== '') {
      this.transport ??= sniffTransport(`${this.unframed}\n`) ?? 'lines';
      const rest = this.unframed;
      this.unframed = '';
      this.body(rest, this.unframedTime);
    }
    if (this.sseParser !== null) {
      this.sseParser.end(time, this.parsed);
      this.drainParsed();
    }
    if (this.partialLine !== '') {
      const line = this.partialLine;
      this.partialLine = '';
      this.line(line.endsWith('\r') ? line.slice(0, -1) : line, time);
    }
    if (this.handler === null && !this.gaveUp) this.giveUp();
    this.handler?.end(time);
    // Arguments of calls the stream never finished: say whether what arrived parses (a cut call does not).
    for (const reply of c.replies)
      for (const call of reply.toolCalls) if (call.valid === null) call.valid = argumentsParse(call.arguments);
    c.ended = true;
    this.metrics.endTime = time;
    if (!c.terminated && c.status !== 'error') c.status = 'incomplete';
    this.builder.changed();
  }

  summary(): AiMetrics {
    return this.metrics.summary(this.conversation.usage);
  }

  private drainParsed(): void {
    for (const item of this.parsed) if (item.kind === 'event') this.event(item);
    this.parsed.length = 0;
  }

  private lines(chunk: string, time: number): void {
    let start = 0;
    let newline = chunk.indexOf('\n');
    if (newline === -1) {
      this.partialLine += chunk;
      return;
    }
    while (newline !== -1) {
      let line = start === 0 ? this.partialLine + chunk.slice(0, newline) : chunk.slice(start, newline);
      if (start === 0) this.partialLine = '';
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.line(line, time);
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    this.partialLine = chunk.slice(start);
  }

  private line(line: string, time: number): void {
    if (this.gaveUp) return;
    if (this.handler === null) {
      if (line.trim() === '') return;
      this.pending.push({ kind: 'line', line, time });
      const protocol = protocolOfLine(line);
      if (protocol !== undefined) this.use(protocol);
      else if (this.pending.length >= DETECT_LIMIT) this.giveUp();
      return;
    }
    this.handler.line?.(line, time);
  }

  private giveUp(): void {
    this.gaveUp = true;
    this.pending = [];
    this.sseParser = null;
    this.partialLine = '';
  }

  private use(protocol: AiProtocol): void {
    const b = this.builder;
    const c = this.conversation;
    c.protocol = protocol;
    c.sse = protocol === 'json-path' ? this.transport !== 'lines' : isSseProtocol(protocol);
    switch (protocol) {
      case 'openai-chat':
        this.handler = openAiChat(b);
        break;
      case 'openai-responses':
        this.handler = openAiResponses(b);
        break;
      case 'anthropic':
        this.handler = anthropic(b);
        break;
      case 'gemini':
        this.handler = gemini(b);
        break;
      case 'vercel-ui':
        this.handler = vercelUi(b);
        break;
      case 'vercel-data':
        this.handler = vercelData(b);
        break;
      case 'ndjson':
        this.handler = ndjson(b);
        break;
      case 'mcp':
        this.handler = mcp(b);
        this.feedClientMessages();
        break;
      case 'json-path':
        this.handler = jsonPath(this.options.jsonPath ?? '')(b);
        break;
    }
    const pending = this.pending;
    this.pending = [];
    for (const input of pending) {
      if (input.kind === 'event') this.handler!.event?.(input.type, input.data, input.json, input.time);
      else this.handler!.line?.(input.line, input.time);
    }
    b.changed();
  }

  private mcpFed = false;

  private feedClientMessages(): void {
    const messages = this.conversation.prompt.jsonRpc;
    if (this.mcpFed || messages === undefined || this.handler === null) return;
    this.mcpFed = true;
    for (const message of messages) (this.handler as McpHandler).client(message as Json, this.request.time);
  }
}
