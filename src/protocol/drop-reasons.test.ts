import { describe, expect, it } from 'vitest';
import { DROP_CODES, dropReason, parseDropReason } from './drop-reasons';

describe('drop reasons', () => {
  it('travel as a code and a cap, and read back', () => {
    expect(dropReason('page-log-full', 67_108_864)).toBe('page-log-full:67108864');
    expect(dropReason('relay-malformed')).toBe('relay-malformed');
    for (const code of DROP_CODES) {
      expect(parseDropReason(dropReason(code, 1024))).toEqual({ code, bytes: 1024 });
      expect(parseDropReason(dropReason(code))).toEqual({ code });
    }
  });

  it('leave anything else alone: words of an older log, unknown codes, bad sizes', () => {
    for (const other of [
      "this frame's page log is full (64 MiB)",
      'nope:12',
      'page-log-full:',
      'page-log-full:-1',
      'page-log-full:1.5',
      '<b>x</b>',
    ]) {
      expect(parseDropReason(other), other).toBeUndefined();
    }
  });
});
