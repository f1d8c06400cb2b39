import { describe, expect, it } from 'vitest';
import { RelayBudget } from './budget';

describe('RelayBudget', () => {
  it('lets bursts up to its capacity through, refills with time, and counts what it refuses', () => {
    let now = 0;
    const budget = new RelayBudget(1000, 100, () => now);
    expect(budget.take(600)).toBe(true);
    expect(budget.take(600)).toBe(false);
    expect(budget.take(400)).toBe(true);
    now = 2000; // +200
    expect(budget.take(250)).toBe(false);
    expect(budget.take(200)).toBe(true);
    const drops = budget.takeDrops();
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatchObject({ batches: 2, chars: 850 });
    expect(budget.takeDrops()).toEqual([]);
  });

  it('counts refusals of its own (too large, malformed) by reason', () => {
    const budget = new RelayBudget();
    budget.refuse('malformed', 3);
    budget.refuse('malformed', 4);
    budget.refuse('too large', 99);
    expect(budget.takeDrops()).toEqual([
      { reason: 'malformed', batches: 2, chars: 7 },
      { reason: 'too large', batches: 1, chars: 99 },
    ]);
  });
});
