/**
 * How much page data one frame's relay forwards: a token bucket of characters, so that a page
 * posting forged or huge batches in a loop cannot keep the background busy for the other frames and
 * tabs. Generous for real captures (a full 64 MiB page log is ~90 M characters of base64 at once);
 * what it refuses is counted with its reason, never lost silently. No browser APIs here.
 */
import { dropReason } from '../protocol/drop-reasons';

export interface RelayDrop {
  reason: string;
  batches: number;
  chars: number;
}

export const BUDGET_CAPACITY_CHARS = 192 * 1024 * 1024;
export const BUDGET_REFILL_CHARS_PER_SECOND = 64 * 1024 * 1024;
const OVER_BUDGET = dropReason('relay-over-budget', BUDGET_REFILL_CHARS_PER_SECOND);

export class RelayBudget {
  private tokens: number;
  private last: number;
  private readonly drops = new Map<string, RelayDrop>();

  constructor(
    private readonly capacity = BUDGET_CAPACITY_CHARS,
    private readonly refill = BUDGET_REFILL_CHARS_PER_SECOND,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = clock();
  }

  /** Spends `chars` if the budget has them; otherwise counts a refused batch. */
  take(chars: number): boolean {
    const now = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.refill);
    this.last = now;
    if (chars <= this.tokens) {
      this.tokens -= chars;
      return true;
    }
    this.refuse(OVER_BUDGET, chars);
    return false;
  }

  refuse(reason: string, chars: number): void {
    const drop = this.drops.get(reason) ?? { reason, batches: 0, chars: 0 };
    drop.batches++;
    drop.chars += chars;
    this.drops.set(reason, drop);
  }

  /** The drops counted since the last call. */
  takeDrops(): RelayDrop[] {
    const drops = [...this.drops.values()];
    this.drops.clear();
    return drops;
  }
}
