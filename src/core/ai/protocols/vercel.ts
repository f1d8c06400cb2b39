/**
 * Vercel AI SDK streams.
 *
 * - UI message stream (AI SDK 5+, SSE, header `x-vercel-ai-ui-message-stream: v1`): `data:
 *   {"type": ...}` parts — `start`, `start-step`, `text-start`/`-delta`/`-end`, `reasoning-*`,
 *   `tool-input-start`/`-delta`/`-available`/`-error`, `tool-output-available`/`-error`,
 *   `source-*`, `file`, `data-*`, `message-metadata`, `error`, `finish-step`, `finish`, `abort` —
 *   then `data: [DONE]`.
 * - Data stream protocol (AI SDK 3–4, NOT SSE: `text/plain` with header
 *   `x-vercel-ai-data-stream: v1`): one `TYPE:JSON` line per part — `0` text, `g` reasoning,
 *   `i` redacted reasoning, `j` reasoning signature, `b`/`c`/`9` tool call start/delta/whole,
 *   `a` tool result, `2` data, `8` annotations, `h` source, `k` file, `3` error, `f` start step,
 *   `e` finish step, `d` finish message (the end).
 */
import type { ConversationBuilder } from '../builder';
import { asText, isObject, num, obj, str, tryParse } from '../json';
import type { Usage } from '../types';
import type { ProtocolHandler } from './handler';

function usageOfVercel(value: unknown): Usage | undefined {
  const u = obj(value);
  if (u === undefined) return undefined;
  return {
    input: num(u.promptTokens) ?? num(u.inputTokens),
    output: num(u.completionTokens) ?? num(u.outputTokens),
    reasoning: num(u.reasoningTokens),
    cachedInput: num(u.cachedInputTokens),
    total: num(u.totalTokens),
  };
}

export function vercelUi(b: ConversationBuilder): ProtocolHandler {
  const c = b.conversation;
  const reply = () => b.reply(0);
  /** Open text/reasoning parts by id (a delta for an id that was not started is a mismatch). */
  const open = new Map<string, 'text' | 'reasoning'>();

  const expect = (id: string, kind: 'text' | 'reasoning', type: string, time: number) => {
    const actual = open.get(id);
    if (actual !== kind)
      b.warn(
        'block-index-mismatch',
        `${type} for ${kind} part ${id || '(no id)'}, which is ${actual === undefined ? 'not open' : `a ${actual} part`}`,
        time,
      );
  };

  return {
    event(_eventType, data, json, time) {
      if (data.trim() === '[DONE]') {
        b.terminate(time);
        return;
      }
      if (!isObject(json)) {
        b.warn('unparsable', `Data is not a JSON object: ${data.slice(0, 80)}`, time);
        return;
      }
      const type = str(json.type) ?? '';
      const id = str(json.id) ?? '';
      const r = reply();
      switch (type) {
        case 'start':
          c.responseId ??= str(json.messageId);
          break;
        case 'start-step':
        case 'finish-step':
          break;
        case 'text-start':
          open.set(id, 'text');
          b.text(r, '', time, true);
          break;
        case 'text-delta':
          expect(id, 'text', type, time);
          b.text(r, str(json.delta) ?? str(json.textDelta) ?? '', time);
          break;
        case 'text-end':
          expect(id, 'text', type, time);
          open.delete(id);
          break;
        case 'reasoning-start':
          open.set(id, 'reasoning');
          b.reasoning(r, '', time, { fresh: true });
          break;
        case 'reasoning-delta':
          expect(id, 'reasoning', type, time);
          b.reasoning(r, str(json.delta) ?? '', time);
          break;
        case 'reasoning-end':
          expect(id, 'reasoning', type, time);
          open.delete(id);
          break;
        case 'tool-input-start':
          b.toolCall(
            r,
            str(json.toolCallId) ?? '',
            { id: str(json.toolCallId), name: str(json.toolName), server: json.providerExecuted === true },
            time,
          );
          break;
        case 'tool-input-delta': {
          const key = str(json.toolCallId) ?? '';
          let call = b.findCall(key);
          if (call === undefined) {
            b.warn('block-index-mismatch', `tool-input-delta for tool call ${key}, which was not started`, time);
            call = b.toolCall(r, key, { id: key }, time);
          }
          b.toolArguments(r, call, str(json.inputTextDelta) ?? '', time);
          break;
        }
        case 'tool-input-available':
        case 'tool-input-error': {
          const key = str(json.toolCallId) ?? '';
          const call = b.toolCall(r, key, { id: key, name: str(json.toolName), server: json.providerExecuted === true }, time);
          b.finishToolCall(call, json.input === undefined ? undefined : asText(json.input));
          if (type === 'tool-input-error') call.error = str(json.errorText) ?? 'error';
          break;
        }
        case 'tool-output-available':
        case 'tool-output-error': {
          const key = str(json.toolCallId) ?? '';
          const call = b.findCall(key);
          if (call === undefined) {
            b.warn('block-index-mismatch', `${type} for tool call ${key}, which was not started`, time);
            break;
          }
          if (type === 'tool-output-error') call.error = str(json.errorText) ?? 'error';
          else call.output = asText(json.output);
          break;
        }
        case 'message-metadata': {
          const usage = usageOfVercel(obj(json.messageMetadata)?.usage ?? obj(json.messageMetadata)?.totalUsage);
          if (usage !== undefined) b.usage(usage);
          break;
        }
        case 'error':
          b.error({ time, message: str(json.errorText) ?? data });
          break;
        case 'finish': {
          const metadata = obj(json.messageMetadata);
          const usage = usageOfVercel(metadata?.usage ?? metadata?.totalUsage);
          if (usage !== undefined) b.usage(usage);
          b.finish(r, str(json.finishReason) ?? 'finish', time);
          break;
        }
        case 'abort':
          b.finish(r, 'abort', time);
          break;
        default:
          if (!type.startsWith('data-') && !type.startsWith('source-') && type !== 'file')
            b.warn('unknown-event', `Unknown part type ${type || '(none)'}`, time);
      }
      b.changed();
    },
    end(time) {
      if (!c.terminated) b.warn('missing-terminator', 'The stream ended without `data: [DONE]`', time);
    },
  };
}

export function vercelData(b: ConversationBuilder): ProtocolHandler {
  const c = b.conversation;
  const reply = () => b.reply(0);
  let stepUsage: Usage | undefined;
  return {
    line(line, time) {
      if (line.trim() === '') return;
      const colon = line.indexOf(':');
      const code = colon === -1 ? '' : line.slice(0, colon);
      const value = colon === -1 ? undefined : tryParse(line.slice(colon + 1));
      if (!/^[0-9a-z]$/.test(code) || value === undefined) {
        b.warn('unparsable', `Not a data stream part: ${line.slice(0, 80)}`, time);
        return;
      }
      const r = reply();
      const o = obj(value);
      switch (code) {
        case '0':
          b.text(r, asText(value), time);
          break;
        case 'g':
          b.reasoning(r, asText(value), time);
          break;
        case 'i':
          b.reasoning(r, '', time, { fresh: true, redacted: true });
          break;
        case 'j': {
          const last = r.parts[r.parts.length - 1];
          if (last?.kind === 'reasoning') last.signature = str(o?.signature) ?? asText(value);
          break;
        }
        case 'b':
          b.toolCall(r, str(o?.toolCallId) ?? '', { id: str(o?.toolCallId), name: str(o?.toolName) }, time);
          break;
        case 'c': {
          const key = str(o?.toolCallId) ?? '';
          let call = b.findCall(key);
          if (call === undefined) {
            b.warn('block-index-mismatch', `Tool call delta for ${key}, which was not started`, time);
            call = b.toolCall(r, key, { id: key }, time);
          }
          b.toolArguments(r, call, str(o?.argsTextDelta) ?? '', time);
          break;
        }
        case '9': {
          const key = str(o?.toolCallId) ?? '';
          const call = b.toolCall(r, key, { id: key, name: str(o?.toolName) }, time);
          b.finishToolCall(call, o?.args === undefined ? undefined : asText(o.args));
          break;
        }
        case 'a': {
          const call = b.findCall(str(o?.toolCallId) ?? '');
          if (call === undefined)
            b.warn('block-index-mismatch', `Tool result for ${str(o?.toolCallId) ?? '?'}, which was not called`, time);
          else call.output = asText(o?.result);
          break;
        }
        case '3':
          b.error({ time, message: asText(value) });
          break;
        case 'f':
          c.responseId ??= str(o?.messageId);
          break;
        case 'e': {
          const usage = usageOfVercel(o?.usage);
          if (usage !== undefined) {
            stepUsage = {
              input: (stepUsage?.input ?? 0) + (usage.input ?? 0),
              output: (stepUsage?.output ?? 0) + (usage.output ?? 0),
            };
          }
          break;
        }
        case 'd': {
          const usage = usageOfVercel(o?.usage) ?? stepUsage;
          if (usage !== undefined) b.usage(usage);
          b.finish(r, str(o?.finishReason) ?? 'finish', time);
          b.terminate(time);
          break;
        }
        case '2':
        case '8':
        case 'h':
        case 'k':
          break;
        default:
          b.warn('unknown-event', `Unknown data stream part type ${code}`, time);
      }
      b.changed();
    },
    end(time) {
      if (!c.terminated) b.warn('missing-terminator', 'The stream ended without a finish message (`d:` part)', time);
    },
  };
}
