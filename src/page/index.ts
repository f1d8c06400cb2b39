/**
 * MAIN-world entry (content script, document_start, every frame): installs the taps before any
 * page script runs. See INTERNALS.md for where the records go next.
 */
import { onInternalError } from './disguise';
import { now } from './natives';
import { PageLog } from './page-log';
import { installBodyTaps } from './tap-body';
import { installEventSourceTap } from './tap-eventsource';
import { installFetchTap } from './tap-fetch';
import { installXhrTap } from './tap-xhr';
import { installControl } from './control';

function install(): void {
  // No marker on window for "already installed": the page could see it. Chrome and Firefox inject a
  // manifest content script once per document.
  const win = globalThis;
  // window.top is [LegacyUnforgeable]: the page cannot redefine it.
  // The blob form: where messages are structured clones (Chrome), a batch's bytes leave the page in Blobs.
  const outbox = new PageLog(win, (win as unknown) === (win as unknown as Window).top, undefined, true);
  onInternalError((error) => {
    outbox.add({ type: 'capture-issue', message: `SSE DevTools tap error: ${String(error)}`, time: now() });
  });
  const steps: [string, () => void][] = [
    ['EventSource', () => installEventSourceTap(win, outbox)],
    ['fetch', () => installFetchTap(win, outbox)],
    ['response bodies', () => installBodyTaps()],
    ['XMLHttpRequest', () => installXhrTap(win, outbox)],
    ['replay and mock commands', () => installControl(win)],
  ];
  for (const [name, step] of steps) {
    try {
      step();
    } catch (error) {
      outbox.add({ type: 'capture-issue', message: `Could not tap ${name}: ${String(error)}`, time: now() });
    }
  }
}

install();
