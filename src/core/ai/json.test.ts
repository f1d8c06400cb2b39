import { describe, expect, it } from 'vitest';
import { argumentsParse, prettyArguments } from './json';

describe('tool-call arguments', () => {
  it('complete JSON pretty-printed; empty is {}', () => {
    expect(prettyArguments('{"a":1}')).toEqual({ text: '{\n  "a": 1\n}', partial: false, parses: true });
    expect(prettyArguments('')).toEqual({ text: '{}', partial: false, parses: true });
    expect(argumentsParse('  ')).toBe(true);
  });

  it('arguments still streaming: parsed as far as they go (partial-json), marked partial', () => {
    expect(prettyArguments('{"city": "Par')).toEqual({ text: '{\n  "city": "Par"\n}', partial: true, parses: false });
    expect(prettyArguments('{"a": [1, 2')).toMatchObject({ text: '{\n  "a": [\n    1,\n    2\n  ]\n}', partial: true });
  });

  it('text that is no JSON at all is shown as it is', () => {
    expect(prettyArguments('oops')).toEqual({ text: 'oops', partial: false, parses: false });
    expect(argumentsParse('oops')).toBe(false);
  });
});
