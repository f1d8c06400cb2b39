/**
 * Commands from the panel (replay, mock, stop), as JSON strings the relay dispatches on window,
 * and the statuses we answer with. Any script on the page can dispatch the same event: whatever
 * arrives is parsed into objects without a prototype, validated (protocol.ts), and any failure
 * stays with us. Nothing here runs until a command arrives.
 */
import { isPageCommand, MAX_COMMAND_JSON_LENGTH, PAGE_EVENT, type PageCommand, type PageStatus } from '../protocol';
import { guard } from './disguise';
import { bare, call, getter, natives, now, read } from './natives';
import { armMock, stopMock } from './mock';
import type { Playback } from './playback';
import { startReplay, type Report } from './replay';

const customEventDetail = getter<unknown>(CustomEvent.prototype, 'detail');

/** Running replays by command id. */
const replays: Record<string, Playback | undefined> = bare({});

/** JSON.parse's reviver: every object and array it makes loses its prototype. */
function withoutPrototype(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null) natives.setPrototypeOf(value, null);
  return value;
}

export function installControl(win: typeof globalThis): void {
  call(natives.addEventListener, win, PAGE_EVENT.command, (event: Event) =>
    guard(() => onCommand(win, read(customEventDetail, event))),
  );
}

function reporter(win: typeof globalThis, id: string): Report {
  return (status) => {
    const message: PageStatus = bare({ type: 'command-status', id, ...status, time: now() });
    const event = new natives.CustomEvent(PAGE_EVENT.status, bare({ detail: natives.jsonStringify(message) }));
    call(natives.dispatchEvent, win, event);
  };
}

function onCommand(win: typeof globalThis, detail: unknown): void {
  if (typeof detail !== 'string' || detail.length > MAX_COMMAND_JSON_LENGTH) return;
  let command: unknown;
  try {
    command = natives.jsonParse(detail, withoutPrototype);
  } catch {
    return;
  }
  if (!isPageCommand(command)) return;
  run(command, reporter(win, command.id));
}

function run(command: PageCommand, report: Report): void {
  switch (command.type) {
    case 'replay': {
      replays[command.id]?.stop();
      const playback = startReplay(command, (status) => {
        if (status.state !== 'started') delete replays[command.id];
        report(status);
      });
      if (playback !== undefined) replays[command.id] = playback;
      return;
    }
    case 'mock':
      armMock(command, report);
      return;
    case 'stop': {
      const playback = replays[command.id];
      if (playback !== undefined) {
        delete replays[command.id];
        playback.stop();
        report({ state: 'stopped', delivered: playback.done, total: playback.count });
        return;
      }
      stopMock(command.id, report);
      return;
    }
  }
}
