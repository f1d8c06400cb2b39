import { describe, expect, it } from 'vitest';
import { LINE_RECORD_TYPE, LineTextParser } from './line-parser';
import type { SseItem } from './sse-types';

function parse(chunks: readonly string[], options = {}): SseItem[] {
  const parser = new LineTextParser({ spans: true, ...options });
  const out: SseItem[] = [];
  chunks.forEach((chunk, i) => parser.push(chunk, i + 1, out));
  parser.end(99, out);
  return out;
}
const data = (items: SseItem[]) => items.map((item) => (item.kind === 'event' ? item.data : `${item.kind}`));

describe('LineTextParser', () => {
  const text = '{"a":1}\r\n\n  \n0:"hi"\n{"b":\n2}\nlast';

  it('one record per non-blank line, CRLF or LF, a final line without LF included', () => {
    const items = parse([text]);
    expect(data(items)).toEqual(['{"a":1}', '0:"hi"', '{"b":', '2}', 'last']);
    expect(items.every((item) => item.kind === 'event' && item.type === LINE_RECORD_TYPE && item.lastEventId === '')).toBe(true);
    // The final line is only known at the end.
    expect(items.at(-1)!.time).toBe(99);
  });

  it('gives the same records and spans split at every position, each with the time of the chunk that ended it', () => {
    const whole = parse([text]);
    for (let at = 0; at <= text.length; at++) {
      const split = parse([text.slice(0, at), text.slice(at)]);
      expect(data(split), `split at ${at}`).toEqual(data(whole));
      expect(split.map((item) => item.span)).toEqual(whole.map((item) => item.span));
    }
    const bytewise = parse([...text]);
    expect(data(bytewise)).toEqual(data(whole));
    expect(bytewise[0]!.time).toBe(9); // the LF of `{"a":1}\r\n` is the 9th chunk
  });

  it('spans cover the line with its ending, from spanOffset', () => {
    const items = parse(['x\r\n', 'yz\n'], { spanOffset: 10 });
    expect(items.map((item) => item.span)).toEqual([
      { start: 10, end: 13 },
      { start: 13, end: 16 },
    ]);
  });

  it('cuts a line past the cap and says so, memory bounded', () => {
    const long = 'a'.repeat(50);
    const items = parse([long.slice(0, 20), `${long.slice(20)}\r\n`, 'ok\n'], { maxEventLength: 8 });
    expect(items.map((item) => item.kind)).toEqual(['event', 'warning', 'event']);
    const first = items[0]!;
    expect(first.kind === 'event' && first.data).toBe('aaaaaaaa');
    expect(first.kind === 'event' && first.truncated).toEqual({ originalLength: 50 });
    expect(items[1]!.kind === 'warning' && items[1]!.code).toBe('line-truncated');
  });

  it('a lone CR is text (NDJSON lines end at LF)', () => {
    expect(data(parse(['a\rb\n']))).toEqual(['a\rb']);
  });
});
