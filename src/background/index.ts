/**
 * Background worker: keeps one log per tab from the moment its page loads (DevTools need not be
 * open), and feeds every open SSE panel of that tab. Relays connect on port "sse-relay" (one per
 * frame), panels on port "sse-panel".
 */
import browser, { type Runtime } from 'webextension-polyfill';
import {
  isPanelRequest,
  isRelayMessage,
  parsePageBatch,
  PORT_NAME,
  type BackgroundToPanel,
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
    }
  });
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
});

// Inspection from the worker's DevTools console (and by the end-to-end tests): the logs by tab id.
(globalThis as { sseDevtools?: { logs: Map<number, TabLog> } }).sseDevtools = { logs };
