/**
 * Keeping to a schedule in the page world (replays and mocks): step i runs `at(i)` ms after the
 * playback started, one task per step, each scheduled when the one before it has run, so a late
 * step never makes the later ones late too, and a stopped playback leaves no task behind but the
 * one pending (which then does nothing). Nothing runs unless the panel asked for it.
 */
import { guard } from './disguise';
import { bare, call, natives, now } from './natives';

/** Runs `task` in a new task after `delay` ms (scheduler.postTask where there is one: no timer id). */
function later(delay: number, task: () => void): void {
  const run = () => guard(task);
  const ms = delay > 0 ? delay : 0;
  if (natives.schedulerPostTask !== undefined) {
    try {
      call(natives.schedulerPostTask, natives.scheduler, run, bare({ delay: ms }));
      return;
    } catch {
      // Fall back to a timer.
    }
  }
  call(natives.setTimeout, globalThis, run, ms);
}

export class Playback {
  /** Steps that have run. */
  done = 0;
  private stopped = false;
  private origin = 0;

  constructor(
    readonly count: number,
    /** When step `index` runs, in ms after start(). */
    private readonly at: (index: number) => number,
    private readonly step: (index: number) => void,
    private readonly finished: () => void,
  ) {}

  get running(): boolean {
    return !this.stopped;
  }

  start(): void {
    this.origin = now();
    this.next();
  }

  /** No step runs after this (nor `finished`). */
  stop(): void {
    this.stopped = true;
  }

  private next(): void {
    if (this.stopped) return;
    if (this.done >= this.count) {
      this.stopped = true;
      guard(this.finished);
      return;
    }
    later(this.origin + this.at(this.done) - now(), () => {
      if (this.stopped) return;
      const index = this.done++;
      guard(() => this.step(index));
      this.next();
    });
  }
}
