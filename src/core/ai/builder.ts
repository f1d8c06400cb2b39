/**
 * What every protocol handler writes into: appends deltas to a Conversation (O(delta) each; text
 * grows by `+=`, which engines keep as ropes), records each content delta's time for the metrics,
 * and checks what is common to every protocol (content after the finish or the terminator).
 */
import { MetricsTracker } from './metrics';
import { argumentsParse } from './json';
import type { AiWarningCode, Conversation, InBandError, Reply, ReplyPart, ToolCall, Usage } from './types';

/** At most this many warnings of one code are kept (a broken stream would otherwise repeat one per event). */
const MAX_WARNINGS_PER_CODE = 50;

export class ConversationBuilder {
  private readonly warningCounts = new Map<AiWarningCode, number>();
  private readonly callsByKey = new Map<string, ToolCall>();
  /** Replies whose finish came: content for them after that is out of order (whatever its time). */
  private readonly finished = new WeakSet<Reply>();

  constructor(
    readonly conversation: Conversation,
    readonly metrics: MetricsTracker,
  ) {}

  changed(): void {
    this.conversation.version++;
  }

  reply(index = 0): Reply {
    const replies = this.conversation.replies;
    let reply = replies.find((r) => r.index === index);
    if (reply === undefined) {
      reply = { index, role: 'assistant', text: '', reasoning: '', refusal: '', parts: [], toolCalls: [] };
      // Keep replies ordered by index (they usually arrive in order: append).
      const at = replies.findIndex((r) => r.index > index);
      if (at === -1) replies.push(reply);
      else replies.splice(at, 0, reply);
    }
    return reply;
  }

  warn(code: AiWarningCode, message: string, time: number): void {
    const count = this.warningCounts.get(code) ?? 0;
    this.warningCounts.set(code, count + 1);
    if (count < MAX_WARNINGS_PER_CODE) this.conversation.warnings.push({ code, message, time });
  }

  error(error: InBandError): void {
    this.conversation.errors.push(error);
    this.conversation.status = 'error';
  }

  /** Content for `reply` arrived: checks it comes before the finish, and counts it for the metrics. */
  private content(reply: Reply, size: number, time: number, what: string): void {
    const c = this.conversation;
    if (c.terminated) this.warn('content-after-finish', `${what} after the end of the stream's protocol`, time);
    else if (this.finished.has(reply))
      this.warn('content-after-finish', `${what} after the reply finished (${reply.finishReason ?? ''})`, time);
    if (c.status === 'waiting') c.status = 'streaming';
    if (size > 0) this.metrics.tick(time, size);
  }

  /** The part to append to: the last one if it is of `kind` (and `key`), else a new one. */
  private part<K extends 'text' | 'reasoning' | 'refusal'>(
    reply: Reply,
    kind: K,
    fresh: boolean,
  ): Extract<ReplyPart, { kind: K }> {
    const last = reply.parts[reply.parts.length - 1];
    if (!fresh && last !== undefined && last.kind === kind) return last as Extract<ReplyPart, { kind: K }>;
    const part = { kind, text: '' } as Extract<ReplyPart, { kind: K }>;
    reply.parts.push(part);
    return part;
  }

  /** `fresh`: start a new part even if the last one is text (a new content block). */
  text(reply: Reply, delta: string, time: number, fresh = false): void {
    this.content(reply, delta.length, time, 'Text');
    if (delta === '' && !fresh) return;
    this.part(reply, 'text', fresh).text += delta;
    reply.text += delta;
  }

  reasoning(
    reply: Reply,
    delta: string,
    time: number,
    options: { fresh?: boolean; summary?: boolean; redacted?: boolean } = {},
  ): Extract<ReplyPart, { kind: 'reasoning' }> {
    this.content(reply, delta.length, time, 'Reasoning');
    const part = this.part(reply, 'reasoning', options.fresh === true);
    if (options.summary === true) part.summary = true;
    if (options.redacted === true) part.redacted = true;
    part.text += delta;
    reply.reasoning += delta;
    return part;
  }

  refusal(reply: Reply, delta: string, time: number): void {
    this.content(reply, delta.length, time, 'Refusal');
    this.part(reply, 'refusal', false).text += delta;
    reply.refusal += delta;
  }

  findCall(key: string): ToolCall | undefined {
    return this.callsByKey.get(key);
  }

  /** The tool call `key` of `reply`, started now if new. */
  toolCall(reply: Reply, key: string, init: { id?: string; name?: string; server?: boolean }, time: number): ToolCall {
    let call = this.callsByKey.get(key);
    if (call === undefined) {
      call = { key, name: '', arguments: '', done: false, valid: null, startTime: time };
      this.callsByKey.set(key, call);
      reply.toolCalls.push(call);
      reply.parts.push({ kind: 'tool-call', call });
      this.content(reply, 0, time, 'A tool call');
    }
    if (init.id !== undefined && call.id === undefined) call.id = init.id;
    if (init.name !== undefined && call.name === '') call.name = init.name;
    if (init.server === true) call.server = true;
    return call;
  }

  toolArguments(reply: Reply, call: ToolCall, delta: string, time: number): void {
    this.content(reply, delta.length, time, 'Tool-call arguments');
    call.arguments += delta;
    call.endTime = time;
  }

  /**
   * The call's arguments are complete. `full` is the protocol's own complete copy, when it sends
   * one (used when no deltas came; a different assembled copy is kept as assembled).
   */
  finishToolCall(call: ToolCall, full?: string): void {
    if (full !== undefined && call.arguments === '') call.arguments = full;
    call.done = true;
    call.valid = argumentsParse(call.arguments);
  }

  finish(reply: Reply, reason: string, time: number): void {
    reply.finishReason = reason;
    reply.finishTime = time;
    this.finished.add(reply);
    for (const call of reply.toolCalls) if (!call.done) this.finishToolCall(call);
  }

  usage(update: Usage): void {
    const usage = this.conversation.usage;
    for (const key of Object.keys(update) as (keyof Usage)[]) {
      const value = update[key];
      if (value !== undefined) usage[key] = value;
    }
  }

  /** The protocol's terminator arrived: the stream is complete. */
  terminate(time: number): void {
    const c = this.conversation;
    if (c.terminated) {
      this.warn('content-after-finish', 'A second end-of-stream marker', time);
      return;
    }
    c.terminated = true;
    if (c.status !== 'error') c.status = 'done';
    for (const reply of c.replies) for (const call of reply.toolCalls) if (!call.done) this.finishToolCall(call);
  }
}

export function newConversation(): Conversation {
  return {
    protocol: null,
    sse: true,
    prompt: { messages: [], tools: [], params: {} },
    replies: [],
    usage: {},
    errors: [],
    warnings: [],
    mcp: [],
    status: 'waiting',
    terminated: false,
    ended: false,
    version: 0,
  };
}
