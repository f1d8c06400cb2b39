import { describe, expect, it, vi } from 'vitest';
import { describeDrop, describeDrops } from './drop-reasons';

vi.mock('./i18n', () => import('./i18n.test-double'));

describe('the dropped-records notice', () => {
  it('words each reason from _locales, with its cap as a size', () => {
    expect(describeDrop('tab-log-full:536870912')).toBe('dropTabLogFull(512 MiB)');
    expect(describeDrop('relay-malformed')).toBe('dropRelayMalformed');
    expect(
      describeDrops([
        { reason: 'page-log-full:10240', count: 7 },
        { reason: 'relay-over-budget:67108864', count: 2 },
      ]),
    ).toBe('7 × dropPageLogFull(10 KiB); 2 × dropRelayOverBudget(64 MiB)');
  });

  it('shows a reason it cannot read as it came (an older log)', () => {
    expect(describeDrop("a tab's log holds at most 512 MiB")).toBe("a tab's log holds at most 512 MiB");
  });
});
