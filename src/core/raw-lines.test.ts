import { describe, expect, it } from 'vitest';
import { reconstructWire, splitRawLines, visibleSegments } from './raw-lines';
import { utf8Length } from './format';
import { SseTextParser } from './sse-parser';
import type { SseItem } from './sse-types';

const brief = (raw: string) => splitRawLines(raw).lines.map((l) => [l.kind, l.name, l.separator, l.value, l.endingLabel]);

describe('splitRawLines', () => {
  it('shows each line ending, CRLF counted once', () => {
    expect(brief('data: a\r\n: c\rid:1\n\r\n')).toEqual([
      ['data', 'data', ': ', 'a', '␍␊'],
      ['comment', '', ':', ' c', '␍'],
      ['id', 'id', ':', '1', '␊'],
      ['blank', '', '', '', '␍␊'],
    ]);
  });

  it('classifies fields the way the parser reads them', () => {
    expect(brief('event:x\nretry: 5\ndata\nData: y\nevent : z\n\uFEFFdata: w\nfoo:  two spaces\n:\n')).toEqual([
      ['event', 'event', ':', 'x', '␊'],
      ['retry', 'retry', ': ', '5', '␊'],
      ['data', 'data', '', '', '␊'],
      ['unknown', 'Data', ': ', 'y', '␊'],
      ['unknown', 'event ', ': ', 'z', '␊'],
      ['unknown', '\uFEFFdata', ': ', 'w', '␊'],
      ['unknown', 'foo', ': ', ' two spaces', '␊'],
      ['comment', '', ':', '', '␊'],
    ]);
  });

  it('an unterminated last line has no ending; CR CR LF is two lines', () => {
    expect(brief('a\r\r\nb')).toEqual([
      ['unknown', 'a', '', '', '␍'],
      ['blank', '', '', '', '␍␊'],
      ['unknown', 'b', '', '', ''],
    ]);
    expect(splitRawLines('').lines).toEqual([]);
  });

  it('records where each line starts, and rebuilds the text exactly', () => {
    const raw = ': x\r\ndata: 1\rdata:2\n\n';
    const { lines } = splitRawLines(raw);
    expect(lines.map((l) => l.start)).toEqual([0, 5, 13, 20]);
    expect(lines.map((l) => `${l.name}${l.separator}${l.value}${l.ending}`).join('')).toBe(raw);
  });

  it('cuts long lines and many lines, and says how much', () => {
    const { lines, omittedLines } = splitRawLines(`data: ${'x'.repeat(20)}\n${'a\n'.repeat(10)}`, 10, 3);
    expect(lines.length).toBe(3);
    expect(omittedLines).toBe(8);
    expect(lines[0]).toMatchObject({ kind: 'data', value: 'xxxx', cut: 16, endingLabel: '␊' });
    const noColon = splitRawLines(`${'n'.repeat(20)}:v\n`, 5).lines[0]!;
    expect(noColon).toMatchObject({ kind: 'unknown', name: 'nnnnn', separator: '', value: '', cut: 17 });
  });
});

describe('visibleSegments', () => {
  it('names invisible characters and keeps the rest as runs', () => {
    expect(visibleSegments('a\tb\u0000\uFEFFc\u00a0\u202e')).toEqual([
      { text: 'a' },
      { text: '\t', special: '␉' },
      { text: 'b' },
      { text: '\u0000', special: '␀' },
      { text: '\uFEFF', special: 'BOM' },
      { text: 'c' },
      { text: '\u00a0', special: 'U+00A0' },
      { text: '\u202e', special: 'U+202E' },
    ]);
    expect(visibleSegments('plain')).toEqual([{ text: 'plain' }]);
    expect(visibleSegments('')).toEqual([]);
  });
});

describe('reconstructWire', () => {
  const parse = (text: string): SseItem[] => {
    const out: SseItem[] = [];
    new SseTextParser().push(text, 1, out);
    return out;
  };

  it('gives a stream that parses back to the same event', () => {
    const events: SseItem[] = [
      { kind: 'event', type: 'message', data: 'hello', lastEventId: '', time: 1 },
      { kind: 'event', type: 'update', data: '{"a":1}\n\n second\n', lastEventId: '42', time: 1 },
      { kind: 'event', type: ' spaced', data: ' lead', lastEventId: 'x y', time: 1 },
    ];
    for (const event of events) {
      const wire = reconstructWire(event)!;
      const back = parse(wire);
      expect(back.length).toBe(1);
      expect(back[0]).toMatchObject(event);
    }
    expect(reconstructWire(events[0]!)).toBe('data: hello\n\n');
    expect(reconstructWire(events[1]!)).toBe('event: update\nid: 42\ndata: {"a":1}\ndata:\ndata:  second\ndata:\n\n');
  });

  it('has nothing for other items', () => {
    expect(reconstructWire({ kind: 'comment', text: 'x', time: 1 })).toBeNull();
  });
});

describe('utf8Length', () => {
  it('matches TextEncoder', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a\u0000b', '\ud800', '\udc00x', '\ud83d', 'x\ud83d\ude00y\u00ff']) {
      expect(utf8Length(s), JSON.stringify(s)).toBe(new TextEncoder().encode(s).byteLength);
    }
  });
});
