import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_HEIGHT, virtualWindow } from './virtual-window';

describe('virtualWindow', () => {
  it('renders the rows in view plus overscan, at their own positions', () => {
    expect(virtualWindow(1000, 20, 0, 200, 5)).toEqual({ scrollHeight: 20_000, start: 0, end: 16, offset: 0 });
    expect(virtualWindow(1000, 20, 400, 200, 5)).toEqual({ scrollHeight: 20_000, start: 15, end: 36, offset: 300 });
  });

  it('clamps at the end and handles fewer rows than fit', () => {
    expect(virtualWindow(1000, 20, 99_999, 200, 5)).toMatchObject({ start: 985, end: 1000 });
    expect(virtualWindow(3, 20, 0, 200, 5)).toEqual({ scrollHeight: 60, start: 0, end: 3, offset: 0 });
    expect(virtualWindow(0, 20, 0, 200, 5)).toEqual({ scrollHeight: 0, start: 0, end: 0, offset: 0 });
  });

  it('scales the scroll range past the browser height limit, reaching the first and last rows', () => {
    const rows = 5_000_000;
    const top = virtualWindow(rows, 21, 0, 420, 0);
    expect(top.scrollHeight).toBe(MAX_SCROLL_HEIGHT);
    expect(top.start).toBe(0);
    const bottom = virtualWindow(rows, 21, MAX_SCROLL_HEIGHT, 420, 0);
    expect(bottom.end).toBe(rows);
    // The last row's bottom edge sits at the viewport's bottom edge.
    expect(bottom.offset + (bottom.end - bottom.start) * 21).toBeGreaterThanOrEqual(MAX_SCROLL_HEIGHT - 420 + 420);
    const middle = virtualWindow(rows, 21, (MAX_SCROLL_HEIGHT - 420) / 2, 420, 0);
    expect(Math.abs(middle.start - rows / 2)).toBeLessThan(20);
    // Rows start at the top edge of the viewport.
    expect(middle.offset).toBe((MAX_SCROLL_HEIGHT - 420) / 2);
  });
});
