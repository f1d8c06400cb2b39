/**
 * "Replay to page": recorded events dispatched again, on schedule, to a live EventSource of this
 * frame, as `new MessageEvent(type, { data, lastEventId, origin })` (untrusted, like any event a
 * script dispatches: our own listener ignores those, so each replayed event is recorded here, with
 * `replayed: true`).
 *
 * The live EventSources are kept by stream id from construction until they close (by the page, or
 * for good after an error).
 */
import type { PageCommand, PageStatus } from '../protocol';
import { bare, call, getter, natives, now, read } from './natives';
import { Playback } from './playback';
import type { StreamTap } from './stream-tap';

/** What a command's progress is reported with (its id and the time are added). */
export type Report = (status: Omit<PageStatus, 'type' | 'id' | 'time'>) => void;

interface LiveSource {
  source: EventSource;
  tap: StreamTap;
  url: string;
}

const urlOrigin = getter<string>(URL.prototype, 'origin');

/** Live EventSources by stream id (no prototype: a page's Object.prototype never answers a lookup). */
const live: Record<string, LiveSource | undefined> = bare({});

export function rememberLiveSource(source: EventSource, tap: StreamTap, url: string): void {
  live[tap.id] = bare({ source, tap, url });
}

export function forgetLiveSource(tap: StreamTap): void {
  delete live[tap.id];
}

/** The origin a real EventSource of `url` gives its events. */
export function originOf(url: string): string {
  try {
    return read(urlOrigin, new natives.URL(url)) ?? '';
  } catch {
    return '';
  }
}

/** Dispatches a message event on `source` as a script would. */
export function dispatchMessage(source: EventTarget, type: string, data: string, lastEventId: string, origin: string): void {
  const event = new natives.MessageEvent(type, bare({ data, lastEventId, origin }));
  call(natives.dispatchEvent, source, event);
}

/** Starts replay `command`; returns its playback, or undefined when its EventSource is not live here. */
export function startReplay(command: Extract<PageCommand, { type: 'replay' }>, report: Report): Playback | undefined {
  const target = live[command.stream];
  const events = command.events;
  if (target === undefined || target.tap.ended) {
    report({ state: 'not-found', delivered: 0, total: events.length });
    return undefined;
  }
  const origin = originOf(target.url);
  const playback: Playback = new Playback(
    events.length,
    (index) => events[index]!.at,
    (index) => {
      if (target.tap.ended) {
        playback.stop();
        report({ state: 'cancelled', delivered: index, total: events.length });
        return;
      }
      const event = events[index]!;
      target.tap.event(event.type, event.lastEventId, event.data, now(), true);
      dispatchMessage(target.source, event.type, event.data, event.lastEventId, origin);
    },
    () => report({ state: 'done', delivered: events.length, total: events.length }),
  );
  report({ state: 'started', delivered: 0, total: events.length });
  playback.start();
  return playback;
}
