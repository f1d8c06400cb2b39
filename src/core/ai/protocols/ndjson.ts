/**
 * Newline-delimited JSON streams (NOT SSE: `application/x-ndjson`), as Ollama sends them:
 * `/api/chat` lines `{"model","created_at","message":{"role","content","thinking","tool_calls"},
 * "done":false}`, `/api/generate` lines `{"response","thinking","done":false}`, and a last line
 * with `"done":true`, `done_reason`, `prompt_eval_count` and `eval_count`. Errors: `{"error":"..."}`.
 */
import type { ConversationBuilder } from '../builder';
import { arr, asText, isObject, num, obj, str, tryParse } from '../json';
import type { ProtocolHandler } from './handler';

export function ndjson(b: ConversationBuilder): ProtocolHandler {
  const c = b.conversation;
  let calls = 0;
  return {
    line(line, time) {
      if (line.trim() === '') return;
      const json = tryParse(line);
      if (!isObject(json)) {
        b.warn('unparsable', `Line is not a JSON object: ${line.slice(0, 80)}`, time);
        return;
      }
      if (json.error !== undefined) {
        b.error({ time, message: str(json.error) ?? str(obj(json.error)?.message) ?? asText(json.error) });
        b.changed();
        return;
      }
      c.model ??= str(json.model);
      const reply = b.reply(0);
      const message = obj(json.message);
      if (message !== undefined) reply.role = str(message.role) ?? reply.role;
      const thinking = str(message?.thinking) ?? str(json.thinking);
      if (thinking !== undefined && thinking !== '') b.reasoning(reply, thinking, time);
      const content = str(message?.content) ?? str(json.response);
      if (content !== undefined && content !== '') b.text(reply, content, time);
      for (const value of arr(message?.tool_calls)) {
        const fn = obj(obj(value)?.function);
        if (fn === undefined) continue;
        const call = b.toolCall(reply, `ndjson:${calls++}`, { id: str(obj(value)?.id), name: str(fn.name) }, time);
        b.toolArguments(reply, call, fn.arguments === undefined ? '' : asText(fn.arguments), time);
        b.finishToolCall(call);
      }
      if (json.done === true) {
        b.usage({ input: num(json.prompt_eval_count), output: num(json.eval_count) });
        b.finish(reply, str(json.done_reason) ?? 'done', time);
        b.terminate(time);
      }
      b.changed();
    },
    end(time) {
      if (!c.terminated && c.errors.length === 0)
        b.warn('missing-terminator', 'The stream ended without a line with "done": true', time);
    },
  };
}
