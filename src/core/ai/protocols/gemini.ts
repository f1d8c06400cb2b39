/**
 * Google Gemini `models/*:streamGenerateContent?alt=sse`: each event is a GenerateContentResponse,
 * `{"candidates":[{"content":{"role":"model","parts":[...]},"finishReason":...,"safetyRatings":[...],
 * "index":0}],"usageMetadata":{...},"modelVersion":...,"responseId":...}`. Parts carry `text`
 * (`thought: true` for thought summaries) or a whole `functionCall` (not streamed). There is no
 * terminator: a candidate's `finishReason` says the reply is complete. A blocked prompt comes as
 * `promptFeedback.blockReason`; errors as `{"error":{"code","message","status"}}`.
 */
import type { ConversationBuilder } from '../builder';
import { arr, asText, isObject, num, obj, str } from '../json';
import type { SafetyRating, Usage } from '../types';
import type { ProtocolHandler } from './handler';

export function usageOfGemini(value: unknown): Usage | undefined {
  const u = obj(value);
  if (u === undefined) return undefined;
  const candidates = num(u.candidatesTokenCount);
  const thoughts = num(u.thoughtsTokenCount);
  return {
    input: num(u.promptTokenCount),
    // Gemini counts thoughts apart from the candidates; output is both, as for the other providers.
    output: candidates === undefined && thoughts === undefined ? undefined : (candidates ?? 0) + (thoughts ?? 0),
    reasoning: thoughts,
    cachedInput: num(u.cachedContentTokenCount),
    total: num(u.totalTokenCount),
  };
}

export function gemini(b: ConversationBuilder): ProtocolHandler {
  const c = b.conversation;
  let calls = 0;
  return {
    event(_type, data, json, time) {
      if (!isObject(json)) {
        b.warn('unparsable', `Data is not a JSON object: ${data.slice(0, 80)}`, time);
        return;
      }
      const error = obj(json.error);
      if (error !== undefined) {
        b.error({
          time,
          code: num(error.code)?.toString() ?? str(error.status),
          type: str(error.status),
          message: str(error.message) ?? asText(error),
        });
        b.changed();
        return;
      }
      c.model ??= str(json.modelVersion);
      c.responseId ??= str(json.responseId);
      const blocked = str(obj(json.promptFeedback)?.blockReason);
      if (blocked !== undefined)
        b.error({ time, type: 'promptFeedback', code: blocked, message: `The prompt was blocked: ${blocked}` });
      for (const candidateValue of arr(json.candidates)) {
        const candidate = obj(candidateValue);
        if (candidate === undefined) continue;
        const reply = b.reply(num(candidate.index) ?? 0);
        const content = obj(candidate.content);
        if (content !== undefined) reply.role = str(content.role) ?? reply.role;
        for (const partValue of arr(content?.parts)) {
          const part = obj(partValue);
          if (part === undefined) continue;
          const text = str(part.text);
          if (text !== undefined) {
            if (part.thought === true) b.reasoning(reply, text, time, { summary: true });
            else b.text(reply, text, time);
          }
          const fn = obj(part.functionCall);
          if (fn !== undefined) {
            const call = b.toolCall(reply, `${reply.index}:${calls++}`, { id: str(fn.id), name: str(fn.name) }, time);
            b.toolArguments(reply, call, fn.args === undefined ? '' : asText(fn.args), time);
            b.finishToolCall(call);
          }
        }
        const ratings = arr(candidate.safetyRatings);
        if (ratings.length > 0) {
          reply.safety = ratings.map((value): SafetyRating => {
            const rating = obj(value);
            return {
              category: str(rating?.category) ?? '?',
              probability: str(rating?.probability),
              blocked: rating?.blocked === true,
            };
          });
        }
        const finish = str(candidate.finishReason);
        if (finish !== undefined) b.finish(reply, finish, time);
      }
      const usage = usageOfGemini(json.usageMetadata);
      if (usage !== undefined) b.usage(usage);
      // Gemini has no end marker: the stream is complete once every candidate has finished.
      if (c.replies.length > 0 && c.replies.every((r) => r.finishReason !== undefined) && !c.terminated) b.terminate(time);
      b.changed();
    },
    end(time) {
      if (!c.terminated && c.errors.length === 0) b.warn('missing-terminator', 'The stream ended before a finishReason', time);
    },
  };
}
