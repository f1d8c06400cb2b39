/**
 * OpenAI Chat Completions streaming (`stream: true`): `data: {"object":"chat.completion.chunk",
 * "choices":[{"index":0,"delta":{...},"finish_reason":null}]}` events, then (with
 * `stream_options.include_usage`) a chunk with `choices: []` and `usage`, then `data: [DONE]`.
 * Deltas carry `content`, `refusal`, `tool_calls` (arguments streamed by the call's `index`), and
 * on compatible servers `reasoning_content` (DeepSeek) or `reasoning` (OpenRouter).
 */
import type { ConversationBuilder } from '../builder';
import { arr, isObject, num, obj, str, type Json } from '../json';
import type { Usage } from '../types';
import type { ProtocolHandler } from './handler';

export function usageOfChat(value: unknown): Usage | undefined {
  const u = obj(value);
  if (u === undefined) return undefined;
  return {
    input: num(u.prompt_tokens),
    output: num(u.completion_tokens),
    total: num(u.total_tokens),
    cachedInput: num(obj(u.prompt_tokens_details)?.cached_tokens),
    reasoning: num(obj(u.completion_tokens_details)?.reasoning_tokens),
  };
}

export function openAiChat(b: ConversationBuilder): ProtocolHandler {
  const c = b.conversation;
  return {
    event(_type, data, json, time) {
      if (data.trim() === '[DONE]') {
        b.terminate(time);
        return;
      }
      if (!isObject(json)) {
        b.warn('unparsable', `Data is not a JSON object: ${data.slice(0, 80)}`, time);
        return;
      }
      const error = obj(json.error);
      if (error !== undefined || typeof json.error === 'string') {
        b.error({
          time,
          type: str(error?.type),
          code: error?.code === undefined || error.code === null ? undefined : String(error.code),
          message: str(error?.message) ?? str(json.error) ?? JSON.stringify(json.error),
        });
        return;
      }
      c.model ??= str(json.model);
      c.responseId ??= str(json.id);
      for (const choiceValue of arr(json.choices)) {
        const choice = obj(choiceValue);
        if (choice === undefined) continue;
        const reply = b.reply(num(choice.index) ?? 0);
        const delta = obj(choice.delta) ?? obj(choice.message);
        if (delta !== undefined) applyDelta(b, reply.index, delta, time);
        const finish = str(choice.finish_reason);
        if (finish !== undefined) b.finish(reply, finish, time);
      }
      // Groq reports usage under x_groq.
      const usage = usageOfChat(json.usage ?? obj(json.x_groq)?.usage);
      if (usage !== undefined) b.usage(usage);
      b.changed();
    },
    end(time) {
      if (!c.terminated) b.warn('missing-terminator', 'The stream ended without `data: [DONE]`', time);
    },
  };
}

function applyDelta(b: ConversationBuilder, index: number, delta: { [key: string]: Json }, time: number): void {
  const reply = b.reply(index);
  const role = str(delta.role);
  if (role !== undefined) reply.role = role;
  const reasoning = str(delta.reasoning_content) ?? str(delta.reasoning);
  if (reasoning !== undefined && reasoning !== '') b.reasoning(reply, reasoning, time);
  const content = str(delta.content);
  if (content !== undefined && content !== '') b.text(reply, content, time);
  const refusal = str(delta.refusal);
  if (refusal !== undefined && refusal !== '') b.refusal(reply, refusal, time);
  for (const callValue of arr(delta.tool_calls)) {
    const callDelta = obj(callValue);
    if (callDelta === undefined) continue;
    const callIndex = num(callDelta.index) ?? 0;
    const fn = obj(callDelta.function);
    const key = `${index}:${callIndex}`;
    if (b.findCall(key) === undefined && str(callDelta.id) === undefined && str(fn?.name) === undefined)
      b.warn('block-index-mismatch', `Arguments for tool call ${callIndex} of choice ${index}, which was not started`, time);
    const call = b.toolCall(reply, key, { id: str(callDelta.id), name: str(fn?.name) }, time);
    const args = str(fn?.arguments);
    if (args !== undefined && args !== '') b.toolArguments(reply, call, args, time);
  }
  // The legacy `function_call` delta (before tools): one call per choice.
  const legacy = obj(delta.function_call);
  if (legacy !== undefined) {
    const call = b.toolCall(reply, `${index}:function_call`, { name: str(legacy.name) }, time);
    const args = str(legacy.arguments);
    if (args !== undefined && args !== '') b.toolArguments(reply, call, args, time);
  }
}
