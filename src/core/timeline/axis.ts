/**
 * The time axis: a tick step that keeps labels apart, the ticks of a window, their labels, and
 * durations as the timeline writes them.
 */
import { timeToX } from './buckets';
import type { TimeRange } from './types';

/** Candidate tick steps, ms. */
const STEPS = [
  0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000,
  300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

export interface AxisTick {
  time: number;
  x: number;
  label: string;
}

/** The smallest step that leaves at least `minSpacing` px between ticks. */
export function tickStep(window: TimeRange, width: number, minSpacing = 90): number {
  const span = window.to - window.from;
  const wanted = (span / Math.max(width, 1)) * minSpacing;
  for (const step of STEPS) if (step >= wanted) return step;
  return Math.ceil(wanted / 86_400_000) * 86_400_000;
}

/**
 * Ticks on round local clock times ("12:34:56", "12:34:56.5", ...) at least `minSpacing` px apart.
 */
export function axisTicks(window: TimeRange, width: number, minSpacing = 90): AxisTick[] {
  if (!(window.to > window.from) || width <= 0) return [];
  const step = tickStep(window, width, minSpacing);
  // Round in local time (minutes and hours in zones off by 30/45 min included).
  const offset = -new Date(window.from).getTimezoneOffset() * 60_000;
  const ticks: AxisTick[] = [];
  const firstIndex = Math.ceil((window.from + offset) / step);
  for (let i = firstIndex; ; i++) {
    // i * step stays exact for integer steps; fractional steps are rounded to 1e-6 ms.
    const time = Math.round((i * step - offset) * 1e6) / 1e6;
    if (time > window.to) break;
    if (time < window.from) continue;
    ticks.push({ time, x: timeToX(time, window, width), label: formatTickLabel(time, step) });
    if (ticks.length > 1000) break;
  }
  return ticks;
}

/** A clock time with as many decimals of seconds as the step needs. */
export function formatTickLabel(time: number, stepMs: number): string {
  const decimals =
    stepMs >= 1000 && stepMs % 1000 === 0 ? 0 : stepMs >= 100 ? 1 : stepMs >= 10 ? 2 : stepMs >= 1 ? 3 : stepMs >= 0.1 ? 4 : 5;
  const units = 10 ** decimals;
  const total = Math.round((time / 1000) * units);
  const seconds = Math.floor(total / units);
  const date = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hm = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  if (stepMs >= 60_000 && stepMs % 60_000 === 0) return hm;
  const hms = `${hm}:${pad(date.getSeconds())}`;
  return decimals === 0 ? hms : `${hms}.${String(total - seconds * units).padStart(decimals, '0')}`;
}

/** "0.42 ms", "12.5 ms", "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 10) return `${Number(ms.toFixed(2))} ms`;
  if (ms < 100) return `${Number(ms.toFixed(1))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))} s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min`;
}
