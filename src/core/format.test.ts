import { describe, expect, it } from 'vitest';
import { byteSize, duration, preview, relativeTime, splitUrl } from './format';

describe('format', () => {
  it('duration', () => {
    expect(duration(850.4)).toBe('850 ms');
    expect(duration(12_340)).toBe('12.3 s');
    expect(duration(245_000)).toBe('4 min 05 s');
    expect(duration(7_380_000)).toBe('2 h 03 min');
    expect(duration(-1)).toBe('—');
  });

  it('relativeTime, byteSize, preview, splitUrl', () => {
    expect(relativeTime(2500, 1000)).toBe('+1.500 s');
    expect(byteSize(512)).toBe('512 B');
    expect(byteSize(2048)).toBe('2.0 kB');
    expect(byteSize(3 * 1024 * 1024)).toBe('3.0 MB');
    expect(preview('a\nb\r\nc', 300)).toBe('a↵b↵c');
    expect(preview('abcdef', 3)).toBe('abc…');
    expect(splitUrl('http://127.0.0.1:8080/sse?x=1')).toEqual({ origin: 'http://127.0.0.1:8080', path: '/sse?x=1' });
    expect(splitUrl('not a url')).toEqual({ origin: '', path: 'not a url' });
  });
});
