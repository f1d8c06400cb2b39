/**
 * Background worker: keeps one log per tab from the moment its page loads (DevTools need not be
 * open), and feeds every open SSE panel of that tab. Relays connect on port "sse-relay" (one per
 * frame), panels on port "sse-panel". Panels' commands for the page (replay, mock) go to the relay
 * port of the frame they name; the page's statuses come back to every panel of the tab.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import {
  isPanelRequest,
  isRelayMessage,
  parsePageBatch,
  parsePageStatus,
  PORT_NAME,
  type BackgroundToPanel,
  type BackgroundToRelay,
  type PageCommand,
  type StoredRecord,
} from '../protocol';
import { TabLog } from './tab-log';

/** Records per message when sending a log to a panel (keeps each message a few MB at most). */
const RECORDS_PER_MESSAGE = 20_000;

const logs = new Map<number, TabLog>();

/**
 * A stopped worker loses the logs it holds in memory, and a worker with nothing to do is stopped
 * after 30 s, even while a quiet stream is open. An extension API call resets that timer, so while
 * any tab has an open stream we make a cheap one every 20 s (nothing runs in the page for this).
 */
const KEEPALIVE_EVERY_MS = 20_000;
let keepalive: ReturnType<typeof setInterval> | undefined;
function updateKeepalive(): void {
  const needed = [...logs.values()].some((log) => log.openStreams.size > 0);
  if (needed && keepalive === undefined) {
    keepalive = setInterval(() => void browser.runtime.getPlatformInfo(), KEEPALIVE_EVERY_MS);
  } else if (!needed && keepalive !== undefined) {
    clearInterval(keepalive);
    keepalive = undefined;
  }
}
const panelsByTab = new Map<number, Set<Runtime.Port>>();
/** The relay port of each frame of each tab (the latest document's), for commands to the page. */
const relayPorts = new Map<number, Map<number, Runtime.Port>>();

function logOf(tabId: number): TabLog {
  let log = logs.get(tabId);
  if (log === undefined) {
    log = new TabLog();
    logs.set(tabId, log);
  }
  return log;
}

function toPanels(tabId: number, message: BackgroundToPanel): void {
  for (const port of panelsByTab.get(tabId) ?? []) {
    try {
      port.postMessage(message);
    } catch {
      panelsByTab.get(tabId)?.delete(port);
    }
  }
}

function onRelayConnected(port: Runtime.Port): void {
  const tabId = port.sender?.tab?.id;
  if (tabId === undefined) return;
  const frameId = port.sender?.frameId ?? 0;
  let frames = relayPorts.get(tabId);
  if (frames === undefined) relayPorts.set(tabId, (frames = new Map()));
  frames.set(frameId, port);
  port.onDisconnect.addListener(() => {
    const current = relayPorts.get(tabId);
    if (current?.get(frameId) === port) current.delete(frameId);
    if (current?.size === 0) relayPorts.delete(tabId);
  });
  port.onMessage.addListener((message: unknown) => {
    if (!isRelayMessage(message)) return;
    const log = logOf(tabId);
    switch (message.type) {
      case 'relay-hello': {
        if (frameId !== 0 || !message.isTop) return;
        const navigated = log.topDocument !== undefined && log.topDocument !== message.document;
        log.topDocument = message.document;
        if (navigated && !log.preserve) {
          log.clear();
          updateKeepalive();
          toPanels(tabId, { type: 'reset', reason: 'navigation', url: message.frameUrl });
        }
        return;
      }
      case 'page-batch': {
        const batch = parsePageBatch(message.json);
        if (batch === null) {
          log.countInvalid(1);
          return;
        }
        log.countInvalid(batch.invalid);
        log.drop(batch.dropped, 'the page-world buffer was full before the relay answered');
        const stored = log.append(batch.records, frameId);
        updateKeepalive();
        if (stored.length > 0 || batch.invalid > 0 || batch.dropped > 0) {
          toPanels(tabId, { type: 'append', records: stored, stats: log.stats });
        }
        return;
      }
      case 'page-status': {
        const status = parsePageStatus(message.json);
        if (status === null || status.state === 'unreachable') return;
        toPanels(tabId, { type: 'command-status', frameId, status });
        return;
      }
    }
  });
}

/**
 * Sends `command` to the page world of frame `frameId` of tab `tabId`: on the frame's relay port,
 * or, when it has none (the worker restarted since), as a message the relay also listens for.
 * A frame that cannot be reached is reported to `panel` as such.
 */
function toPage(tabId: number, frameId: number, command: PageCommand, panel: Runtime.Port): void {
  const message: BackgroundToRelay = { type: 'page-command', json: JSON.stringify(command) };
  const unreachable = () => {
    try {
      panel.postMessage({
        type: 'command-status',
        frameId,
        status: { type: 'command-status', id: command.id, state: 'unreachable', time: Date.now() },
      } satisfies BackgroundToPanel);
    } catch {
      // The panel is gone.
    }
  };
  const port = relayPorts.get(tabId)?.get(frameId);
  if (port === undefined) {
    browser.tabs.sendMessage(tabId, message, { frameId }).catch(unreachable);
    return;
  }
  try {
    port.postMessage(message);
  } catch {
    // Too large for a message (a closed port has left relayPorts already).
    unreachable();
  }
}

function sendLog(port: Runtime.Port, log: TabLog): void {
  const records = log.records;
  const first: StoredRecord[] = records.slice(0, RECORDS_PER_MESSAGE);
  port.postMessage({ type: 'snapshot', records: first, stats: log.stats, preserve: log.preserve } satisfies BackgroundToPanel);
  for (let start = RECORDS_PER_MESSAGE; start < records.length; start += RECORDS_PER_MESSAGE) {
    port.postMessage({
      type: 'append',
      records: records.slice(start, start + RECORDS_PER_MESSAGE),
      stats: log.stats,
    } satisfies BackgroundToPanel);
  }
}

function onPanelConnected(port: Runtime.Port): void {
  let tabId: number | undefined;
  port.onMessage.addListener((message: unknown) => {
    if (!isPanelRequest(message)) return;
    if (message.type === 'panel-hello') {
      tabId = message.tabId;
      let panels = panelsByTab.get(tabId);
      if (panels === undefined) {
        panels = new Set();
        panelsByTab.set(tabId, panels);
      }
      panels.add(port);
      sendLog(port, logOf(tabId));
      return;
    }
    if (tabId === undefined) return;
    const log = logOf(tabId);
    if (message.type === 'clear') {
      log.clear();
      updateKeepalive();
      toPanels(tabId, { type: 'reset', reason: 'clear' });
    } else if (message.type === 'set-preserve') {
      log.preserve = message.preserve;
    } else if (message.type === 'page-command') {
      toPage(tabId, message.frameId, message.command, port);
    }
  });
  port.onDisconnect.addListener(() => {
    if (tabId !== undefined) panelsByTab.get(tabId)?.delete(port);
  });
}

browser.runtime.onConnect.addListener((port: Runtime.Port) => {
  if (port.name === PORT_NAME.relay) onRelayConnected(port);
  else if (port.name === PORT_NAME.panel) onPanelConnected(port);
});

browser.tabs.onRemoved.addListener((tabId: number) => {
  logs.delete(tabId);
  updateKeepalive();
  panelsByTab.delete(tabId);
  relayPorts.delete(tabId);
});

// Inspection from the worker's DevTools console (and by the end-to-end tests): the logs by tab id.
(globalThis as { sseDevtools?: { logs: Map<number, TabLog> } }).sseDevtools = { logs };
