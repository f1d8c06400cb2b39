/**
 * Timing of an AI stream: time to first token, total time, tokens per second, inter-token gaps and
 * stalls. `tick` costs O(1) per content delta; percentiles are computed when asked (and cached
 * until the next tick), so a live view asking once per frame pays O(gaps log gaps) per frame at most.
 */
import type { AiMetrics, Usage } from './types';

/** A gap between two content arrivals at least this long (ms) is a stall. */
export const DEFAULT_STALL_MS = 1000;
/** Rough characters per token for estimates (OpenAI's rule of thumb for English text). */
export const CHARS_PER_TOKEN = 4;

export class MetricsTracker {
  responseTime?: number;
  firstTokenTime?: number;
  lastTokenTime?: number;
  endTime?: number;
  /** Last time anything arrived (for the running total of an open stream). */
  lastSeen: number;
  deltas = 0;
  /** Characters of content (text, reasoning, refusal, tool arguments) received. */
  chars = 0;
  /** Gaps (ms) between successive arrivals that carried content (deltas of one chunk share a time). */
  readonly gaps: number[] = [];
  /** Each content delta's time (ms after the request) and size, for re-chunking at the recorded pace. */
  readonly deltaTimes: number[] = [];
  readonly deltaSizes: number[] = [];
  /** Gaps of at least `stallThreshold`: when each ended, and its length. */
  readonly stalls: { time: number; duration: number }[] = [];
  private sorted: number[] | null = null;

  constructor(
    readonly requestTime: number,
    readonly stallThreshold = DEFAULT_STALL_MS,
  ) {
    this.lastSeen = requestTime;
  }

  seen(time: number): void {
    if (time > this.lastSeen) this.lastSeen = time;
  }

  /** A content delta of `size` characters arrived at `time`. */
  tick(time: number, size: number): void {
    this.seen(time);
    this.deltas++;
    this.chars += size;
    this.deltaTimes.push(time - this.requestTime);
    this.deltaSizes.push(size);
    if (this.firstTokenTime === undefined) this.firstTokenTime = time;
    else if (this.lastTokenTime !== undefined && time > this.lastTokenTime) {
      const gap = time - this.lastTokenTime;
      this.gaps.push(gap);
      if (gap >= this.stallThreshold) this.stalls.push({ time, duration: gap });
      this.sorted = null;
    }
    if (this.lastTokenTime === undefined || time > this.lastTokenTime) this.lastTokenTime = time;
  }

  summary(usage: Usage): AiMetrics {
    const sorted = (this.sorted ??= [...this.gaps].sort((a, b) => a - b));
    const reported = usage.output;
    const outputTokens = reported ?? (this.chars > 0 ? Math.max(1, Math.round(this.chars / CHARS_PER_TOKEN)) : undefined);
    const window =
      this.firstTokenTime !== undefined && this.lastTokenTime !== undefined ? this.lastTokenTime - this.firstTokenTime : 0;
    const end = this.endTime ?? this.lastSeen;
    return {
      requestTime: this.requestTime,
      responseTime: this.responseTime,
      firstTokenTime: this.firstTokenTime,
      lastTokenTime: this.lastTokenTime,
      endTime: this.endTime,
      ttft: this.firstTokenTime === undefined ? undefined : this.firstTokenTime - this.requestTime,
      ttftFromHeaders:
        this.firstTokenTime === undefined || this.responseTime === undefined
          ? undefined
          : this.firstTokenTime - this.responseTime,
      total: end - this.requestTime,
      outputTokens,
      tokensEstimated: reported === undefined && outputTokens !== undefined,
      tokensPerSecond: outputTokens !== undefined && window > 0 ? (outputTokens * 1000) / window : undefined,
      deltas: this.deltas,
      gapP50: percentile(sorted, 0.5),
      gapP95: percentile(sorted, 0.95),
      gapMax: sorted.length === 0 ? undefined : sorted[sorted.length - 1],
      stalls: [...this.stalls],
      stallThreshold: this.stallThreshold,
    };
  }
}

/** Nearest-rank percentile of ascending `sorted` (undefined when empty). */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}
