import { describe, expect, it } from 'vitest';
import { MetricsTracker, percentile } from './metrics';

describe('metrics', () => {
  it('TTFT from the request and from the headers, total, gaps between arrivals, stalls', () => {
    const m = new MetricsTracker(1000, 500);
    m.responseTime = 1100;
    m.tick(1200, 4);
    m.tick(1200, 4); // same chunk: no gap
    m.tick(1250, 4);
    m.tick(1900, 4);
    m.tick(1950, 4);
    m.endTime = 2000;
    const s = m.summary({});
    expect(s).toMatchObject({ ttft: 200, ttftFromHeaders: 100, total: 1000, deltas: 5, gapP50: 50, gapP95: 650, gapMax: 650 });
    expect(s.stalls).toEqual([{ time: 1900, duration: 650 }]);
    // 20 characters ≈ 5 tokens (estimated) over 750 ms.
    expect(s).toMatchObject({ outputTokens: 5, tokensEstimated: true });
    expect(s.tokensPerSecond).toBeCloseTo(5 / 0.75);
  });

  it('tokens from the usage when reported', () => {
    const m = new MetricsTracker(0);
    m.tick(100, 1);
    m.tick(1100, 1);
    expect(m.summary({ output: 50 })).toMatchObject({ outputTokens: 50, tokensEstimated: false, tokensPerSecond: 50 });
  });

  it('nothing yet', () => {
    const s = new MetricsTracker(0).summary({});
    expect(s).toMatchObject({
      ttft: undefined,
      outputTokens: undefined,
      tokensEstimated: false,
      tokensPerSecond: undefined,
      gapP50: undefined,
    });
  });

  it('nearest-rank percentiles', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0.95)).toBe(4);
    expect(percentile([], 0.5)).toBeUndefined();
  });

  it('a 100k-delta stream costs O(1) per delta', () => {
    const m = new MetricsTracker(0);
    const start = performance.now();
    for (let i = 0; i < 100_000; i++) m.tick(i, 3);
    m.summary({});
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
