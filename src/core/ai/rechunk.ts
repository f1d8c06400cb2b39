/**
 * "Mock with an edited reply": turns a reply (text, reasoning, tool calls — edited by the user)
 * back into the wire events of the protocol it was recorded in, at the recorded pacing: the k-th
 * content delta goes out when the k-th recorded delta arrived (after the last one, at the recorded
 * median gap), each about as long as the recorded deltas were. Optional stalls add a pause after a
 * given delta, to see how a UI copes with a slow or stuttering model.
 *
 * The result is a MockRecording (protocol.ts) that the page-world mock plays like any recording:
 * `chunks` for fetch/XHR, `events` for an EventSource. JSON-path and MCP streams have no reply of
 * their own to re-chunk.
 */
import type { HeaderEntry, MockRecording, PlaybackChunk, PlaybackEvent } from '../../protocol';
import type { AiStreamAssembler } from './assembler';
import { percentile } from './metrics';
import { tryParse } from './json';
import type { AiProtocol, Usage } from './types';

export interface EditedToolCall {
  id?: string;
  name: string;
  /** JSON text (sent as written, even when it does not parse: that is a case worth testing). */
  arguments: string;
}

export interface EditedReply {
  text: string;
  reasoning?: string;
  toolCalls?: EditedToolCall[];
  finishReason?: string;
}

export interface Pacing {
  /** When the response headers came, ms after the request. */
  responseAt: number;
  /** When each recorded content delta came, ms after the request (ascending). */
  deltaTimes: readonly number[];
  /** Characters per recorded delta, on average (the size of the re-chunked deltas). */
  charsPerDelta: number;
}

export interface Stall {
  /** After this many content deltas (0: before the first). */
  afterDelta: number;
  ms: number;
}

export interface RechunkOptions {
  protocol: AiProtocol;
  model?: string;
  responseId?: string;
  usage?: Usage;
  stalls?: readonly Stall[];
}

export type RechunkableProtocol = Exclude<AiProtocol, 'mcp' | 'json-path'>;

export function canRechunk(protocol: AiProtocol | null): protocol is RechunkableProtocol {
  return protocol !== null && protocol !== 'mcp' && protocol !== 'json-path';
}

/** The recorded pacing of an assembled stream. */
export function pacingOf(assembler: AiStreamAssembler): Pacing {
  const m = assembler.metrics;
  const responseAt = m.responseTime === undefined ? 0 : m.responseTime - m.requestTime;
  return {
    responseAt,
    deltaTimes: [...m.deltaTimes],
    charsPerDelta: m.deltas === 0 ? 4 : Math.max(1, Math.round(m.chars / m.deltas)),
  };
}

/** The reply of an assembled stream, as the starting point of an edit. */
export function replyOf(assembler: AiStreamAssembler, index = 0): EditedReply {
  const reply = assembler.conversation.replies.find((r) => r.index === index) ?? assembler.conversation.replies[0];
  if (reply === undefined) return { text: '' };
  return {
    text: reply.text,
    ...(reply.reasoning === '' ? {} : { reasoning: reply.reasoning }),
    ...(reply.toolCalls.length === 0
      ? {}
      : {
          toolCalls: reply.toolCalls.map((c) => ({
            ...(c.id === undefined ? {} : { id: c.id }),
            name: c.name,
            arguments: c.arguments,
          })),
        }),
    ...(reply.finishReason === undefined ? {} : { finishReason: reply.finishReason }),
  };
}

/** `text` in pieces of about `size` characters, cut after whitespace where possible; joined they are `text`. */
export function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + Math.max(1, size));
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start) end = space + 1;
      // Never split a surrogate pair.
      const code = text.charCodeAt(end - 1);
      if (code >= 0xd800 && code <= 0xdbff) end++;
    }
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

type UnitContent =
  | { kind: 'reasoning'; piece: string }
  | { kind: 'text'; piece: string }
  | { kind: 'tool'; call: number; piece: string; first: boolean; last: boolean };
type Unit = UnitContent & { at: number };

/** Content units in order (reasoning, tool calls, text — as a model writes them), each with its time. */
function units(reply: EditedReply, pacing: Pacing, stalls: readonly Stall[]): Unit[] {
  const size = pacing.charsPerDelta;
  const list: UnitContent[] = [];
  for (const piece of pieces(reply.reasoning ?? '', size)) list.push({ kind: 'reasoning', piece });
  for (const piece of pieces(reply.text, size)) list.push({ kind: 'text', piece });
  (reply.toolCalls ?? []).forEach((call, index) => {
    const parts = pieces(call.arguments, size);
    if (parts.length === 0) parts.push('');
    parts.forEach((piece, i) => list.push({ kind: 'tool', call: index, piece, first: i === 0, last: i === parts.length - 1 }));
  });
  const recorded = pacing.deltaTimes;
  const gaps: number[] = [];
  for (let i = 1; i < recorded.length; i++) gaps.push(recorded[i]! - recorded[i - 1]!);
  const step =
    percentile(
      [...gaps].sort((a, b) => a - b),
      0.5,
    ) ?? 20;
  const first = recorded[0] ?? pacing.responseAt + step;
  let extra = 0;
  return list.map((unit, k) => {
    for (const stall of stalls) if (stall.afterDelta === k) extra += stall.ms;
    const base = k < recorded.length ? recorded[k]! : (recorded[recorded.length - 1] ?? first) + step * (k - recorded.length + 1);
    return { ...unit, at: Math.max(pacing.responseAt, base) + extra };
  });
}

interface WireEvent {
  at: number;
  type?: string;
  data: string;
}

const json = (value: unknown) => JSON.stringify(value);
const parsedOr = (text: string): unknown => tryParse(text) ?? text;

function openAiChat(
  u: Unit[],
  reply: EditedReply,
  o: RechunkOptions,
  calls: EditedToolCall[],
  start: number,
  end: number,
): WireEvent[] {
  const head = {
    id: o.responseId ?? 'chatcmpl-mock',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: o.model ?? 'mock',
  };
  const chunk = (at: number, delta: object, finish: string | null = null): WireEvent => ({
    at,
    data: json({ ...head, choices: [{ index: 0, delta, finish_reason: finish }] }),
  });
  const out: WireEvent[] = [chunk(start, { role: 'assistant', content: '' })];
  for (const unit of u) {
    if (unit.kind === 'reasoning') out.push(chunk(unit.at, { reasoning_content: unit.piece }));
    else if (unit.kind === 'text') out.push(chunk(unit.at, { content: unit.piece }));
    else {
      const call = calls[unit.call]!;
      const fn = unit.first ? { name: call.name, arguments: unit.piece } : { arguments: unit.piece };
      const delta = unit.first
        ? { index: unit.call, id: call.id ?? `call_mock_${unit.call}`, type: 'function', function: fn }
        : { index: unit.call, function: fn };
      out.push(chunk(unit.at, { tool_calls: [delta] }));
    }
  }
  out.push(chunk(end, {}, reply.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop')));
  if (o.usage !== undefined)
    out.push({
      at: end,
      data: json({
        ...head,
        choices: [],
        usage: {
          prompt_tokens: o.usage.input ?? 0,
          completion_tokens: o.usage.output ?? 0,
          total_tokens: o.usage.total ?? (o.usage.input ?? 0) + (o.usage.output ?? 0),
        },
      }),
    });
  out.push({ at: end, data: '[DONE]' });
  return out;
}

function openAiResponses(
  u: Unit[],
  reply: EditedReply,
  o: RechunkOptions,
  calls: EditedToolCall[],
  start: number,
  end: number,
): WireEvent[] {
  let sequence = 0;
  const out: WireEvent[] = [];
  const push = (at: number, type: string, fields: object) =>
    out.push({ at, type, data: json({ type, sequence_number: sequence++, ...fields }) });
  const id = o.responseId ?? 'resp_mock';
  const model = o.model ?? 'mock';
  push(start, 'response.created', { response: { id, object: 'response', status: 'in_progress', model, output: [] } });
  let output = -1;
  let open: string | undefined;
  const close = (at: number) => {
    if (open === undefined) return;
    push(at, 'response.output_item.done', { output_index: output, item: { id: open, status: 'completed' } });
    open = undefined;
  };
  let previous: Unit | undefined;
  for (const unit of u) {
    const kind = unit.kind === 'tool' ? `tool${unit.call}` : unit.kind;
    const previousKind = previous === undefined ? undefined : previous.kind === 'tool' ? `tool${previous.call}` : previous.kind;
    if (kind !== previousKind) {
      close(unit.at);
      output++;
      if (unit.kind === 'reasoning') {
        open = `rs_mock_${output}`;
        push(unit.at, 'response.output_item.added', { output_index: output, item: { id: open, type: 'reasoning', summary: [] } });
      } else if (unit.kind === 'text') {
        open = `msg_mock_${output}`;
        push(unit.at, 'response.output_item.added', {
          output_index: output,
          item: { id: open, type: 'message', role: 'assistant', content: [] },
        });
      } else {
        const call = calls[unit.call]!;
        open = `fc_mock_${output}`;
        push(unit.at, 'response.output_item.added', {
          output_index: output,
          item: { id: open, type: 'function_call', call_id: call.id ?? `call_mock_${unit.call}`, name: call.name, arguments: '' },
        });
      }
    }
    if (unit.kind === 'reasoning')
      push(unit.at, 'response.reasoning_summary_text.delta', {
        item_id: open,
        output_index: output,
        summary_index: 0,
        delta: unit.piece,
      });
    else if (unit.kind === 'text')
      push(unit.at, 'response.output_text.delta', { item_id: open, output_index: output, content_index: 0, delta: unit.piece });
    else push(unit.at, 'response.function_call_arguments.delta', { item_id: open, output_index: output, delta: unit.piece });
    previous = unit;
  }
  close(end);
  const usage = o.usage;
  push(end, 'response.completed', {
    response: {
      id,
      object: 'response',
      status: reply.finishReason === undefined || reply.finishReason === 'completed' ? 'completed' : reply.finishReason,
      model,
      ...(usage === undefined
        ? {}
        : {
            usage: {
              input_tokens: usage.input ?? 0,
              output_tokens: usage.output ?? 0,
              total_tokens: usage.total ?? (usage.input ?? 0) + (usage.output ?? 0),
            },
          }),
    },
  });
  return out;
}

function anthropic(
  u: Unit[],
  reply: EditedReply,
  o: RechunkOptions,
  calls: EditedToolCall[],
  start: number,
  end: number,
): WireEvent[] {
  const out: WireEvent[] = [];
  const push = (at: number, type: string, fields: object) => out.push({ at, type, data: json({ type, ...fields }) });
  push(start, 'message_start', {
    message: {
      id: o.responseId ?? 'msg_mock',
      type: 'message',
      role: 'assistant',
      content: [],
      model: o.model ?? 'mock',
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: o.usage?.input ?? 0, output_tokens: 1 },
    },
  });
  let index = -1;
  let previous: Unit | undefined;
  for (const unit of u) {
    const same =
      previous !== undefined &&
      previous.kind === unit.kind &&
      (unit.kind !== 'tool' || (previous.kind === 'tool' && previous.call === unit.call));
    if (!same) {
      if (index >= 0) push(unit.at, 'content_block_stop', { index });
      index++;
      const block =
        unit.kind === 'reasoning'
          ? { type: 'thinking', thinking: '' }
          : unit.kind === 'text'
            ? { type: 'text', text: '' }
            : {
                type: 'tool_use',
                id: calls[unit.call]!.id ?? `toolu_mock_${unit.call}`,
                name: calls[unit.call]!.name,
                input: {},
              };
      push(unit.at, 'content_block_start', { index, content_block: block });
    }
    const delta =
      unit.kind === 'reasoning'
        ? { type: 'thinking_delta', thinking: unit.piece }
        : unit.kind === 'text'
          ? { type: 'text_delta', text: unit.piece }
          : { type: 'input_json_delta', partial_json: unit.piece };
    push(unit.at, 'content_block_delta', { index, delta });
    previous = unit;
  }
  if (index >= 0) push(end, 'content_block_stop', { index });
  push(end, 'message_delta', {
    delta: { stop_reason: reply.finishReason ?? (calls.length > 0 ? 'tool_use' : 'end_turn'), stop_sequence: null },
    usage: { output_tokens: o.usage?.output ?? 0 },
  });
  push(end, 'message_stop', {});
  return out;
}

function gemini(
  u: Unit[],
  reply: EditedReply,
  o: RechunkOptions,
  calls: EditedToolCall[],
  _start: number,
  end: number,
): WireEvent[] {
  const out: WireEvent[] = [];
  const head = { modelVersion: o.model ?? 'mock', responseId: o.responseId ?? 'mock' };
  const candidate = (parts: object[], finish?: string) => ({
    content: { parts, role: 'model' },
    index: 0,
    ...(finish === undefined ? {} : { finishReason: finish }),
  });
  for (const unit of u) {
    if (unit.kind === 'tool') {
      if (!unit.last) continue;
      const call = calls[unit.call]!;
      out.push({
        at: unit.at,
        data: json({ candidates: [candidate([{ functionCall: { name: call.name, args: parsedOr(call.arguments) } }])], ...head }),
      });
    } else {
      const part = unit.kind === 'reasoning' ? { text: unit.piece, thought: true } : { text: unit.piece };
      out.push({ at: unit.at, data: json({ candidates: [candidate([part])], ...head }) });
    }
  }
  const usage = o.usage;
  out.push({
    at: end,
    data: json({
      candidates: [candidate([{ text: '' }], reply.finishReason ?? 'STOP')],
      ...(usage === undefined
        ? {}
        : {
            usageMetadata: {
              promptTokenCount: usage.input ?? 0,
              candidatesTokenCount: usage.output ?? 0,
              totalTokenCount: usage.total ?? (usage.input ?? 0) + (usage.output ?? 0),
            },
          }),
      ...head,
    }),
  });
  return out;
}

function vercelUi(
  u: Unit[],
  reply: EditedReply,
  o: RechunkOptions,
  calls: EditedToolCall[],
  start: number,
  end: number,
): WireEvent[] {
  const out: WireEvent[] = [];
  const push = (at: number, fields: object) => out.push({ at, data: json(fields) });
  push(start, { type: 'start', messageId: o.responseId ?? 'msg_mock' });
  push(start, { type: 'start-step' });
  let previous: Unit | undefined;
  let part = 0;
  const close = (unit: Unit | undefined, at: number) => {
    if (unit === undefined) return;
    if (unit.kind === 'reasoning') push(at, { type: 'reasoning-end', id: `r${part}` });
    else if (unit.kind === 'text') push(at, { type: 'text-end', id: `t${part}` });
    else {
      const call = calls[unit.call]!;
      push(at, {
        type: 'tool-input-available',
        toolCallId: call.id ?? `call_mock_${unit.call}`,
        toolName: call.name,
        input: parsedOr(call.arguments),
      });
    }
  };
  for (const unit of u) {
    const same =
      previous !== undefined &&
      previous.kind === unit.kind &&
      (unit.kind !== 'tool' || (previous.kind === 'tool' && previous.call === unit.call));
    if (!same) {
      close(previous, unit.at);
      part++;
      if (unit.kind === 'reasoning') push(unit.at, { type: 'reasoning-start', id: `r${part}` });
      else if (unit.kind === 'text') push(unit.at, { type: 'text-start', id: `t${part}` });
      else
        push(unit.at, {
          type: 'tool-input-start',
          toolCallId: calls[unit.call]!.id ?? `call_mock_${unit.call}`,
          toolName: calls[unit.call]!.name,
        });
    }
    if (unit.kind === 'reasoning') push(unit.at, { type: 'reasoning-delta', id: `r${part}`, delta: unit.piece });
    else if (unit.kind === 'text') push(unit.at, { type: 'text-delta', id: `t${part}`, delta: unit.piece });
    else
      push(unit.at, {
        type: 'tool-input-delta',
        toolCallId: calls[unit.call]!.id ?? `call_mock_${unit.call}`,
        inputTextDelta: unit.piece,
      });
    previous = unit;
  }
  close(previous, end);
  push(end, { type: 'finish-step' });
  push(end, { type: 'finish', ...(reply.finishReason === undefined ? {} : { finishReason: reply.finishReason }) });
  out.push({ at: end, data: '[DONE]' });
  return out;
}

function vercelData(
  u: Unit[],
  reply: EditedReply,
  o: RechunkOptions,
  calls: EditedToolCall[],
  start: number,
  end: number,
): WireEvent[] {
  const out: WireEvent[] = [];
  const line = (at: number, code: string, value: unknown) => out.push({ at, data: `${code}:${json(value)}` });
  line(start, 'f', { messageId: o.responseId ?? 'msg_mock' });
  for (const unit of u) {
    if (unit.kind === 'reasoning') line(unit.at, 'g', unit.piece);
    else if (unit.kind === 'text') line(unit.at, '0', unit.piece);
    else {
      const call = calls[unit.call]!;
      const id = call.id ?? `call_mock_${unit.call}`;
      if (unit.first) line(unit.at, 'b', { toolCallId: id, toolName: call.name });
      line(unit.at, 'c', { toolCallId: id, argsTextDelta: unit.piece });
      if (unit.last) line(unit.at, '9', { toolCallId: id, toolName: call.name, args: parsedOr(call.arguments) });
    }
  }
  const usage = { promptTokens: o.usage?.input ?? 0, completionTokens: o.usage?.output ?? 0 };
  const finishReason = reply.finishReason ?? (calls.length > 0 ? 'tool-calls' : 'stop');
  line(end, 'e', { finishReason, usage, isContinued: false });
  line(end, 'd', { finishReason, usage });
  return out;
}

function ndjson(
  u: Unit[],
  reply: EditedReply,
  o: RechunkOptions,
  calls: EditedToolCall[],
  _start: number,
  end: number,
): WireEvent[] {
  const out: WireEvent[] = [];
  const model = o.model ?? 'mock';
  const line = (at: number, message: object, extra: object = {}) =>
    out.push({
      at,
      data: json({
        model,
        created_at: new Date(0).toISOString(),
        message: { role: 'assistant', content: '', ...message },
        done: false,
        ...extra,
      }),
    });
  for (const unit of u) {
    if (unit.kind === 'reasoning') line(unit.at, { thinking: unit.piece });
    else if (unit.kind === 'text') line(unit.at, { content: unit.piece });
    else if (unit.last) {
      const call = calls[unit.call]!;
      line(unit.at, { tool_calls: [{ function: { name: call.name, arguments: parsedOr(call.arguments) } }] });
    }
  }
  line(
    end,
    {},
    {
      done: true,
      done_reason: reply.finishReason ?? 'stop',
      prompt_eval_count: o.usage?.input ?? 0,
      eval_count: o.usage?.output ?? 0,
    },
  );
  return out;
}

const WRITERS: Record<RechunkableProtocol, typeof openAiChat> = {
  'openai-chat': openAiChat,
  'openai-responses': openAiResponses,
  anthropic,
  gemini,
  'vercel-ui': vercelUi,
  'vercel-data': vercelData,
  ndjson,
};

export interface Rechunked {
  /** The body as wire text, chunk by chunk (for fetch/XHR). */
  chunks: PlaybackChunk[];
  /** The SSE events (for an EventSource); empty for line protocols. */
  events: PlaybackEvent[];
  contentType: string;
  /** Headers the protocol needs besides the content type. */
  headers: HeaderEntry[];
  responseAt: number;
  endAt: number;
}

/** The edited reply as the wire text of `options.protocol`, at `pacing`. */
export function rechunk(reply: EditedReply, pacing: Pacing, options: RechunkOptions): Rechunked {
  if (!canRechunk(options.protocol)) throw new Error(`Cannot re-chunk a ${options.protocol} stream`);
  const list = units(reply, pacing, options.stalls ?? []);
  const start = pacing.responseAt;
  const end = Math.max(start, list[list.length - 1]?.at ?? start);
  const wire = WRITERS[options.protocol](list, reply, options, reply.toolCalls ?? [], start, end);
  const sse = options.protocol !== 'vercel-data' && options.protocol !== 'ndjson';
  const chunks: PlaybackChunk[] = [];
  const events: PlaybackEvent[] = [];
  for (const event of wire) {
    const text = sse ? `${event.type === undefined ? '' : `event: ${event.type}\n`}data: ${event.data}\n\n` : `${event.data}\n`;
    const previous = chunks[chunks.length - 1];
    if (previous !== undefined && previous.at === event.at) previous.text += text;
    else chunks.push({ at: event.at, text });
    if (sse) events.push({ at: event.at, type: event.type ?? 'message', data: event.data, lastEventId: '' });
  }
  const headers: HeaderEntry[] = [];
  if (options.protocol === 'vercel-ui') headers.push({ name: 'x-vercel-ai-ui-message-stream', value: 'v1' });
  if (options.protocol === 'vercel-data') headers.push({ name: 'x-vercel-ai-data-stream', value: 'v1' });
  return {
    chunks,
    events,
    contentType: sse
      ? 'text/event-stream; charset=utf-8'
      : options.protocol === 'ndjson'
        ? 'application/x-ndjson'
        : 'text/plain; charset=utf-8',
    headers,
    responseAt: start,
    endAt: end,
  };
}

/** A MockRecording (for "Mock next request") of the edited reply. */
export function mockFromEdit(source: string, reply: EditedReply, pacing: Pacing, options: RechunkOptions): MockRecording {
  const r = rechunk(reply, pacing, options);
  return {
    source,
    status: 200,
    statusText: 'OK',
    headers: [{ name: 'content-type', value: r.contentType }, { name: 'cache-control', value: 'no-cache' }, ...r.headers],
    responseAt: r.responseAt,
    chunks: r.chunks,
    events: r.events,
    endAt: r.endAt,
  };
}
