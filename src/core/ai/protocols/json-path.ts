/**
 * Any stream of JSON events: the strings found at a user-named path (`choices.0.delta.content`,
 * `$.choices[0].delta.content`, `message.content`...) are accumulated as the reply's text. A
 * `[DONE]` event ends it. Works for SSE events and for NDJSON lines alike.
 */
import type { ConversationBuilder } from '../builder';
import { asText, tryParse, type Json } from '../json';
import type { ProtocolHandler } from './handler';

/** `$.choices[0].delta.content` → ['choices', '0', 'delta', 'content']; `a['b.c']` → ['a', 'b.c']. */
export function parseJsonPath(path: string): string[] {
  const text = path.trim().replace(/^\$/, '');
  const segments: string[] = [];
  const pattern = /\.?([^.[\]]+)|\[\s*(?:"([^"]*)"|'([^']*)'|([^\]]*?))\s*\]/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const segment = match[1] ?? match[2] ?? match[3] ?? match[4] ?? '';
    if (segment !== '') segments.push(segment);
    if (pattern.lastIndex === text.length) break;
  }
  return segments;
}

/** The value at `segments` in `value` (array indexes as decimal segments), or undefined. */
export function valueAt(value: Json | undefined, segments: readonly string[]): Json | undefined {
  let current: Json | undefined = value;
  for (const segment of segments) {
    if (Array.isArray(current)) current = /^\d+$/.test(segment) ? current[Number(segment)] : undefined;
    else if (current !== null && typeof current === 'object')
      current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

export function jsonPath(path: string) {
  const segments = parseJsonPath(path);
  return (b: ConversationBuilder): ProtocolHandler => {
    const accept = (data: string, json: Json | undefined, time: number) => {
      if (data.trim() === '[DONE]') {
        b.terminate(time);
        b.changed();
        return;
      }
      if (json === undefined) {
        b.warn('unparsable', `Not JSON: ${data.slice(0, 80)}`, time);
        return;
      }
      const value = valueAt(json, segments);
      if (value !== undefined && value !== null && value !== '') b.text(b.reply(0), asText(value), time);
      b.changed();
    };
    return {
      event: (_type, data, json, time) => accept(data, json, time),
      line: (line, time) => {
        if (line.trim() !== '') accept(line, tryParse(line), time);
      },
      end: () => {},
    };
  };
}
