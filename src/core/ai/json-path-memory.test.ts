import { describe, expect, it } from 'vitest';
import { JsonPathMemory, urlPattern } from './json-path-memory';

function storage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

describe('JSON path memory', () => {
  it('URL patterns: ids become *, the query goes', () => {
    expect(urlPattern('https://x.test/v1/chat/123/stream?a=1#f')).toBe('https://x.test/v1/chat/*/stream');
    expect(urlPattern('https://x.test/s/0b8f6a2e-1c4d-4e0f-9a1b-2c3d4e5f6a7b')).toBe('https://x.test/s/*');
    expect(urlPattern('/api/generate')).toBe('/api/generate');
  });

  it('remembers per pattern, forgets on an empty path, survives broken storage', () => {
    const memory = new JsonPathMemory(storage());
    memory.set('https://x.test/run/1', 'token.text');
    expect(memory.get('https://x.test/run/2?x')).toBe('token.text');
    expect(memory.get('https://x.test/other')).toBeUndefined();
    memory.set('https://x.test/run/3', '');
    expect(memory.get('https://x.test/run/1')).toBeUndefined();
    const broken = {
      getItem: () => '{not json',
      setItem: () => {
        throw new Error('full');
      },
    };
    const m2 = new JsonPathMemory(broken);
    expect(m2.get('https://x')).toBeUndefined();
    expect(() => m2.set('https://x', 'a')).not.toThrow();
    expect(new JsonPathMemory(null).get('https://x')).toBeUndefined();
  });
});
