/**
 * OpenAI Responses API streaming: named events (`event: response.output_text.delta` with the same
 * `type` in the data), each with a `sequence_number`. Output items (`message`, `function_call`,
 * `reasoning`, built-in tool calls) are announced by `response.output_item.added` and then filled
 * by deltas naming their `item_id`; the stream ends with `response.completed`, `.failed` or
 * `.incomplete` (or an `error` event).
 */
import type { ConversationBuilder } from '../builder';
import { asText, isObject, num, obj, str, type JsonObject } from '../json';
import type { Usage } from '../types';
import type { ProtocolHandler } from './handler';

export function usageOfResponses(value: unknown): Usage | undefined {
  const u = obj(value);
  if (u === undefined) return undefined;
  return {
    input: num(u.input_tokens),
    output: num(u.output_tokens),
    total: num(u.total_tokens),
    cachedInput: num(obj(u.input_tokens_details)?.cached_tokens),
    reasoning: num(obj(u.output_tokens_details)?.reasoning_tokens),
  };
}

/** Event types of the Responses API we know but need not act on. */
const QUIET = new Set([
  'response.queued',
  'response.content_part.added',
  'response.content_part.done',
  'response.output_text.done',
  'response.output_text.annotation.added',
  'response.refusal.done',
  'response.reasoning_summary_part.added',
  'response.reasoning_summary_part.done',
  'response.reasoning_summary_text.done',
  'response.reasoning_text.done',
  'response.function_call_arguments.done',
]);

export function openAiResponses(b: ConversationBuilder): ProtocolHandler {
  const c = b.conversation;
  const reply = () => b.reply(0);
  /** item id → its type, from `response.output_item.added`. */
  const items = new Map<string, string>();
  let lastSequence: number | undefined;

  const header = (response: JsonObject | undefined) => {
    if (response === undefined) return;
    c.model ??= str(response.model);
    c.responseId ??= str(response.id);
    const usage = usageOfResponses(response.usage);
    if (usage !== undefined) b.usage(usage);
  };

  const itemOf = (data: JsonObject, want: string, time: number): string => {
    const id = str(data.item_id) ?? '';
    const kind = items.get(id);
    if (kind === undefined)
      b.warn('block-index-mismatch', `${str(data.type)} for item ${id || '(none)'}, which was not added`, time);
    else if (kind !== want) b.warn('block-index-mismatch', `${str(data.type)} for item ${id}, a ${kind}`, time);
    return id;
  };

  return {
    event(eventType, data, json, time) {
      if (!isObject(json)) {
        b.warn('unparsable', `Data is not a JSON object: ${data.slice(0, 80)}`, time);
        return;
      }
      const type = str(json.type) ?? eventType;
      const sequence = num(json.sequence_number);
      if (sequence !== undefined) {
        if (lastSequence !== undefined && sequence !== lastSequence + 1)
          b.warn('sequence-gap', `sequence_number ${sequence} after ${lastSequence}`, time);
        lastSequence = sequence;
      }
      switch (type) {
        case 'response.created':
        case 'response.in_progress':
          header(obj(json.response));
          break;
        case 'response.output_item.added': {
          const item = obj(json.item);
          const id = str(item?.id) ?? `#${num(json.output_index) ?? items.size}`;
          const kind = str(item?.type) ?? 'unknown';
          items.set(id, kind);
          if (kind === 'function_call' || kind === 'custom_tool_call') {
            b.toolCall(reply(), id, { id: str(item?.call_id) ?? id, name: str(item?.name) }, time);
          } else if (kind.endsWith('_call')) {
            // Built-in tools (web_search_call, file_search_call, code_interpreter_call...): run by OpenAI.
            b.toolCall(reply(), id, { id, name: kind.slice(0, -'_call'.length), server: true }, time);
          } else if (kind === 'reasoning') {
            b.reasoning(reply(), '', time, { fresh: true });
          } else if (kind === 'message') {
            b.text(reply(), '', time, true);
          }
          break;
        }
        case 'response.output_text.delta':
          itemOf(json, 'message', time);
          b.text(reply(), str(json.delta) ?? '', time);
          break;
        case 'response.refusal.delta':
          itemOf(json, 'message', time);
          b.refusal(reply(), str(json.delta) ?? '', time);
          break;
        case 'response.reasoning_summary_text.delta':
          itemOf(json, 'reasoning', time);
          b.reasoning(reply(), str(json.delta) ?? '', time, { summary: true });
          break;
        case 'response.reasoning_text.delta':
          itemOf(json, 'reasoning', time);
          b.reasoning(reply(), str(json.delta) ?? '', time);
          break;
        case 'response.function_call_arguments.delta':
        case 'response.custom_tool_call_input.delta': {
          const id = str(json.item_id) ?? '';
          const call = b.findCall(id);
          if (call === undefined) {
            b.warn(
              'block-index-mismatch',
              `Arguments for item ${id || '(none)'}, which is no function call that was added`,
              time,
            );
            break;
          }
          b.toolArguments(reply(), call, str(json.delta) ?? '', time);
          break;
        }
        case 'response.output_item.done': {
          const item = obj(json.item);
          const id = str(item?.id) ?? '';
          const call = b.findCall(id);
          if (call !== undefined) {
            // Function calls send their arguments; built-in tools (web search...) their action.
            const full =
              str(item?.arguments) ??
              [item?.input, item?.action].map((v) => (v === undefined ? undefined : asText(v))).find((v) => v !== undefined);
            b.finishToolCall(call, full);
            if (item?.output !== undefined) call.output = asText(item.output);
          }
          break;
        }
        case 'response.completed':
        case 'response.incomplete':
        case 'response.failed': {
          const response = obj(json.response);
          header(response);
          const status = str(response?.status) ?? type.slice('response.'.length);
          const incomplete = str(obj(response?.incomplete_details)?.reason);
          const error = obj(response?.error);
          if (error !== undefined)
            b.error({ time, code: str(error.code), type: str(error.type), message: str(error.message) ?? asText(error) });
          b.finish(reply(), incomplete === undefined ? status : `${status}: ${incomplete}`, time);
          b.terminate(time);
          break;
        }
        case 'error':
          b.error({
            time,
            code: str(json.code) ?? str(obj(json.error)?.code),
            type: str(obj(json.error)?.type),
            message: str(json.message) ?? str(obj(json.error)?.message) ?? data,
          });
          break;
        default:
          if (!QUIET.has(type) && !type.startsWith('response.')) b.warn('unknown-event', `Unknown event type ${type}`, time);
      }
      b.changed();
    },
    end(time) {
      if (!c.terminated && c.errors.length === 0)
        b.warn('missing-terminator', 'The stream ended without response.completed, response.failed or response.incomplete', time);
    },
  };
}
