import { describe, expect, it } from 'vitest';
import { TAIL_MAX, urlDisplay } from './url-display';

describe('urlDisplay', () => {
  it('keeps the last segment and the query whole, the rest of the path may shrink', () => {
    expect(urlDisplay('https://api.example.com/v1/chat/completions?stream=true')).toEqual({
      origin: 'https://api.example.com',
      head: '/v1/chat/',
      tail: 'completions?stream=true',
    });
    expect(urlDisplay('http://127.0.0.1:8080/events')).toEqual({ origin: 'http://127.0.0.1:8080', head: '', tail: '/events' });
    expect(urlDisplay('http://x.test/a/b/')).toEqual({ origin: 'http://x.test', head: '/a/', tail: 'b/' });
  });

  it('a long last segment keeps its end', () => {
    const d = urlDisplay(`https://x.test/s/${'a'.repeat(50)}?token=abc`);
    expect(d.tail).toHaveLength(TAIL_MAX);
    expect(d.tail.endsWith('?token=abc')).toBe(true);
    expect(d.head + d.tail).toBe(`/s/${'a'.repeat(50)}?token=abc`);
  });

  it('never splits a surrogate pair; a URL that does not parse is all path', () => {
    // (new URL percent-encodes a parsed path; a relative or unparsed one is kept as written.)
    const d = urlDisplay(`data/${'😀'.repeat(20)}`);
    expect(`${d.head}${d.tail}`).toBe(`data/${'😀'.repeat(20)}`);
    expect(d.tail.codePointAt(0)).toBe(0x1f600);
    expect(urlDisplay('(unknown stream)')).toEqual({ origin: '', head: '', tail: '(unknown stream)' });
  });
});
