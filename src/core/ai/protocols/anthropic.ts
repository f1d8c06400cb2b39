/**
 * Anthropic Messages streaming: `message_start`, then per content block `content_block_start`
 * (text, thinking, redacted_thinking, tool_use, server_tool_use, *_tool_result), its
 * `content_block_delta`s (`text_delta`, `input_json_delta`, `thinking_delta`, `signature_delta`,
 * `citations_delta`) and `content_block_stop`; `message_delta` (stop reason, usage), `message_stop`.
 * `ping` may come anywhere; errors come in band as `event: error`.
 */
import type { ConversationBuilder } from '../builder';
import { asText, isObject, num, obj, str } from '../json';
import type { ReplyPart, ToolCall, Usage } from '../types';
import type { ProtocolHandler } from './handler';

export function usageOfAnthropic(value: unknown): Usage | undefined {
  const u = obj(value);
  if (u === undefined) return undefined;
  return {
    input: num(u.input_tokens),
    output: num(u.output_tokens),
    cachedInput: num(u.cache_read_input_tokens),
    cacheCreation: num(u.cache_creation_input_tokens),
  };
}

interface Block {
  type: string;
  open: boolean;
  call?: ToolCall;
  reasoning?: Extract<ReplyPart, { kind: 'reasoning' }>;
}

export function anthropic(b: ConversationBuilder): ProtocolHandler {
  const c = b.conversation;
  const reply = () => b.reply(0);
  const blocks = new Map<number, Block>();
  let nextIndex = 0;

  return {
    event(eventType, data, json, time) {
      if (!isObject(json)) {
        b.warn('unparsable', `Data is not a JSON object: ${data.slice(0, 80)}`, time);
        return;
      }
      const type = str(json.type) ?? eventType;
      switch (type) {
        case 'ping':
          return;
        case 'message_start': {
          const message = obj(json.message);
          c.model ??= str(message?.model);
          c.responseId ??= str(message?.id);
          const role = str(message?.role);
          if (role !== undefined) reply().role = role;
          const usage = usageOfAnthropic(message?.usage);
          if (usage !== undefined) b.usage(usage);
          break;
        }
        case 'content_block_start': {
          const index = num(json.index) ?? nextIndex;
          const block = obj(json.content_block);
          const kind = str(block?.type) ?? 'unknown';
          if (blocks.has(index))
            b.warn('block-index-mismatch', `content_block_start for index ${index}, which was already started`, time);
          else if (index !== nextIndex)
            b.warn('block-index-mismatch', `content_block_start for index ${index}, expected ${nextIndex}`, time);
          nextIndex = Math.max(nextIndex, index + 1);
          const entry: Block = { type: kind, open: true };
          blocks.set(index, entry);
          const r = reply();
          if (kind === 'text') b.text(r, str(block?.text) ?? '', time, true);
          else if (kind === 'thinking') entry.reasoning = b.reasoning(r, str(block?.thinking) ?? '', time, { fresh: true });
          else if (kind === 'redacted_thinking') entry.reasoning = b.reasoning(r, '', time, { fresh: true, redacted: true });
          else if (kind === 'tool_use' || kind === 'server_tool_use' || kind === 'mcp_tool_use') {
            entry.call = b.toolCall(
              r,
              `block:${index}`,
              { id: str(block?.id), name: str(block?.name), server: kind !== 'tool_use' },
              time,
            );
            // The input is sent whole here only when it is not streamed (then it is `{}` and deltas follow).
            const input = obj(block?.input);
            if (input !== undefined && Object.keys(input).length > 0) b.toolArguments(r, entry.call, asText(input), time);
          } else if (kind.endsWith('_tool_result')) {
            // A server tool's result (web_search_tool_result...): attach it to its call.
            const id = str(block?.tool_use_id);
            const call = r.toolCalls.find((t) => t.id !== undefined && t.id === id);
            if (call !== undefined) call.output = asText(block?.content);
          } else {
            b.warn('unknown-event', `Unknown content block type ${kind}`, time);
          }
          break;
        }
        case 'content_block_delta': {
          const index = num(json.index) ?? -1;
          const block = blocks.get(index);
          const delta = obj(json.delta);
          const kind = str(delta?.type) ?? 'unknown';
          if (block === undefined || !block.open) {
            b.warn(
              'block-index-mismatch',
              `${kind} for content block ${index}, which is ${block === undefined ? 'not started' : 'stopped'}`,
              time,
            );
          }
          const expected: Record<string, string[]> = {
            text_delta: ['text'],
            citations_delta: ['text'],
            input_json_delta: ['tool_use', 'server_tool_use', 'mcp_tool_use'],
            thinking_delta: ['thinking'],
            signature_delta: ['thinking'],
          };
          if (block !== undefined && expected[kind] !== undefined && !expected[kind]!.includes(block.type))
            b.warn('block-index-mismatch', `${kind} for content block ${index}, a ${block.type} block`, time);
          const r = reply();
          switch (kind) {
            case 'text_delta':
              b.text(r, str(delta?.text) ?? '', time);
              break;
            case 'thinking_delta': {
              const part = b.reasoning(r, str(delta?.thinking) ?? '', time, { fresh: block?.reasoning === undefined });
              if (block !== undefined) block.reasoning ??= part;
              break;
            }
            case 'signature_delta':
              if (block?.reasoning !== undefined)
                block.reasoning.signature = (block.reasoning.signature ?? '') + (str(delta?.signature) ?? '');
              break;
            case 'input_json_delta': {
              const call = block?.call ?? b.toolCall(r, `block:${index}`, {}, time);
              if (block !== undefined) block.call = call;
              b.toolArguments(r, call, str(delta?.partial_json) ?? '', time);
              break;
            }
            case 'citations_delta':
              break;
            default:
              b.warn('unknown-event', `Unknown delta type ${kind}`, time);
          }
          break;
        }
        case 'content_block_stop': {
          const index = num(json.index) ?? -1;
          const block = blocks.get(index);
          if (block === undefined || !block.open) {
            b.warn(
              'block-index-mismatch',
              `content_block_stop for content block ${index}, which is ${block === undefined ? 'not started' : 'stopped'}`,
              time,
            );
            break;
          }
          block.open = false;
          if (block.call !== undefined) b.finishToolCall(block.call);
          break;
        }
        case 'message_delta': {
          const delta = obj(json.delta);
          const usage = usageOfAnthropic(json.usage);
          if (usage !== undefined) b.usage(usage);
          const stop = str(delta?.stop_reason);
          if (stop !== undefined) {
            const sequence = str(delta?.stop_sequence);
            b.finish(reply(), sequence === undefined ? stop : `${stop} (${sequence})`, time);
          }
          break;
        }
        case 'message_stop':
          for (const [index, block] of blocks)
            if (block.open) b.warn('block-index-mismatch', `message_stop while content block ${index} is open`, time);
          b.terminate(time);
          break;
        case 'error': {
          const error = obj(json.error);
          b.error({ time, type: str(error?.type), message: str(error?.message) ?? data });
          break;
        }
        default:
          b.warn('unknown-event', `Unknown event type ${type}`, time);
      }
      b.changed();
    },
    end(time) {
      if (!c.terminated && c.errors.length === 0) b.warn('missing-terminator', 'The stream ended without message_stop', time);
    },
  };
}
