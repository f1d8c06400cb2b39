import { describe, expect, it } from 'vitest';
import {
  formatValue,
  isJsonContainer,
  jsonEntries,
  JsonNumber,
  jsonPath,
  jsonSize,
  jsonType,
  parseJsonData,
  scalarPreview,
} from './json-view';

describe('parseJsonData', () => {
  it('parses JSON values', () => {
    expect(parseJsonData('{"a":[1,"x",true,null]}')).toEqual({ ok: true, value: { a: [1, 'x', true, null] } });
    expect(parseJsonData(' 42 ')).toEqual({ ok: true, value: 42 });
    expect(parseJsonData('"s"')).toEqual({ ok: true, value: 's' });
  });

  it('never throws on what is not JSON', () => {
    for (const text of ['', 'hello', '{', '{"a":1,}', "{'a':1}", 'NaN', '[1] x', '\u0000', '{"a":1}{"b":2}', 'undefined']) {
      expect(parseJsonData(text), text).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('skips texts over maxLength and says so', () => {
    expect(parseJsonData('[1,2,3]', 6)).toEqual({ ok: false, reason: 'too-large', length: 7 });
    expect(parseJsonData('[1,2,3]', 7).ok).toBe(true);
  });

  it('keeps numbers exactly as sent when a JS number would print differently', () => {
    const result = parseJsonData(
      '{"id":12345678901234567890,"n":1.0,"e":1e3,"z":-0,"ok":1.5,"big":-1.2E+400,"s":"12345678901234567890"}',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const value = result.value as Record<string, unknown>;
    expect(value.id).toEqual(new JsonNumber('12345678901234567890', 12345678901234567890));
    expect((value.n as JsonNumber).source).toBe('1.0');
    expect((value.e as JsonNumber).source).toBe('1e3');
    expect((value.z as JsonNumber).source).toBe('-0');
    expect((value.big as JsonNumber).source).toBe('-1.2E+400');
    expect(value.ok).toBe(1.5);
    expect(value.s).toBe('12345678901234567890');
    expect(formatValue(result.value)).toBe(
      '{\n  "id": 12345678901234567890,\n  "n": 1.0,\n  "e": 1e3,\n  "z": -0,\n  "ok": 1.5,\n  "big": -1.2E+400,\n  "s": "12345678901234567890"\n}',
    );
  });

  it('a string that looks like the internal number marker stays a string', () => {
    const text = '["\\u0000json-number-abc:0", 1.0, "json-number-x:0"]';
    const result = parseJsonData(text);
    expect(result.ok && result.value).toEqual(['\u0000json-number-abc:0', new JsonNumber('1.0', 1), 'json-number-x:0']);
    if (result.ok) expect(formatValue(result.value)).toBe('[\n  "\\u0000json-number-abc:0",\n  1.0,\n  "json-number-x:0"\n]');
  });

  it('numbers inside strings with escaped quotes are not taken for numbers', () => {
    const result = parseJsonData('{"a\\"1.0":"x\\\\", "b":"\\"2.0", "c":2.0}');
    expect(result.ok && result.value).toEqual({ 'a"1.0': 'x\\', b: '"2.0', c: new JsonNumber('2.0', 2) });
  });

  it('handles __proto__ keys as plain data', () => {
    const result = parseJsonData('{"__proto__":{"polluted":1.0},"constructor":2}');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.value as object)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('deeply nested JSON parses (or reports), never throws', () => {
    const deep = `${'['.repeat(100_000)}1.0${']'.repeat(100_000)}`;
    expect(() => parseJsonData(deep)).not.toThrow();
  });
});

describe('jsonPath', () => {
  it('formats identifiers with dots, indexes and other keys with brackets', () => {
    expect(jsonPath([])).toBe('$');
    expect(jsonPath(['choices', 0, 'delta', 'content-type'])).toBe('$.choices[0].delta["content-type"]');
    expect(jsonPath(['a b', '', '0', '$x', '_y1', 'é', 'q"\\\n'])).toBe('$["a b"][""]["0"].$x._y1["é"]["q\\"\\\\\\n"]');
  });
});

describe('formatValue', () => {
  it('copies strings as they are, other scalars as JSON, containers indented', () => {
    expect(formatValue('a "b"\n')).toBe('a "b"\n');
    expect(formatValue(3)).toBe('3');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(null)).toBe('null');
    expect(formatValue({ a: [1, { b: 'x' }], c: {} })).toBe(
      '{\n  "a": [\n    1,\n    {\n      "b": "x"\n    }\n  ],\n  "c": {}\n}',
    );
    expect(formatValue([])).toBe('[]');
  });
});

describe('helpers', () => {
  it('previews scalars on one line, cut', () => {
    expect(scalarPreview('a\nb')).toBe('"a\\nb"');
    expect(scalarPreview('x'.repeat(10), 4)).toBe('"xxxx…"');
    expect(scalarPreview(new JsonNumber('1.0', 1))).toBe('1.0');
    expect(scalarPreview(null)).toBe('null');
  });

  it('types, entries and sizes', () => {
    expect([null, 1, new JsonNumber('1.0', 1), 's', true, [], {}].map((v) => jsonType(v))).toEqual([
      'null',
      'number',
      'number',
      'string',
      'boolean',
      'array',
      'object',
    ]);
    expect(isJsonContainer(new JsonNumber('1.0', 1))).toBe(false);
    expect(jsonEntries(['a', 'b'])).toEqual([
      [0, 'a'],
      [1, 'b'],
    ]);
    expect(jsonEntries({ x: 1 })).toEqual([['x', 1]]);
    expect(jsonSize({ x: 1, y: 2 })).toBe(2);
  });
});
