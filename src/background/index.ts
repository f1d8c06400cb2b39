/**
 * Background worker: the index of every tab's capture, and the feed of every open SSE panel.
 *
 * The capture itself stays in each page world until someone asks for it (src/page/page-log.ts):
 * when a panel of a tab connects, every frame of the tab is told to send its log (from where our
 * copy ends) and to go live; when the last panel closes (and Preserve log is off) frames go quiet
 * again, recording only. So a stopped worker loses nothing: the next panel asks again. What cannot
 * be asked again — the logs of documents that went away — is written to IndexedDB
 * (departed-store.ts); the per-tab settings (Preserve log, the top document) to storage.session.
 *
 * Relays connect on port "sse-relay" (one per frame that has something to say), panels on port
 * "sse-panel"; both are checked to come from where they should (a content script, an extension
 * page). Panels' commands for the page (replay, mock) go to the relay of the frame they name.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import {
  isPanelRequest,
  isRelayMessage,
  parsePageStatus,
  PORT_NAME,
  type BackgroundToPanel,
  type BackgroundToRelay,
  type PageCommand,
  type PageRecord,
  type PageStatus,
  type StoredRecord,
} from '../protocol';
import { MemoryPool, TabLog, type DocumentLog } from './tab-log';
import { decodeWireBatch, readBlobBatch } from './wire-decode';
import { clearDeparted, deleteDeparted, loadDeparted, saveDeparted } from './departed-store';
import { DeepCapture, type DeepCaptureHooks } from './deep-capture';
import { FirefoxDeepCapture } from './deep-capture-firefox';

/** Records per message when sending a log to a panel (keeps each message a few MB at most). */
const RECORDS_PER_MESSAGE = 20_000;
/**
 * After a navigation cleared the log, a last batch (pagehide) from an iframe we never heard from is
 * the old page's for this long (its unload can run after the new page said hello).
 */
const LATE_BATCH_WINDOW_MS = 2000;

interface Tab {
  id: number;
  log: TabLog;
  panels: Set<Runtime.Port>;
  /** The relay port of each document, by document id. */
  relays: Map<string, { port: Runtime.Port; frameId: number }>;
  /** Work on this tab runs in order (loading its saved state first). */
  queue: Promise<void>;
  /** The document of the log that holds what deep capture saw on the wire (a new one after each clear). */
  wireDocument?: string;
  /** After a Clear: where each live document's copy started again (saved with the tab's settings). */
  clearedPlaces?: SavedTab['clearedPlaces'];
}

const pool = new MemoryPool();
const tabs = new Map<number, Tab>();

function tabOf(tabId: number): Tab {
  let tab = tabs.get(tabId);
  if (tab === undefined) {
    const created: Tab = { id: tabId, log: new TabLog(pool), panels: new Set(), relays: new Map(), queue: Promise.resolve() };
    created.queue = restore(created);
    tabs.set(tabId, created);
    tab = created;
  }
  return tab;
}

let wireDocuments = 0;

/**
 * Deep capture — Chromium: chrome.debugger; Firefox: webRequest.filterResponseData (a build whose
 * manifest offers its permissions) — what it sees on the wire goes into the tab's log as a document of its own.
 */
const deepHooks: DeepCaptureHooks = {
  records(tabId, records) {
    inOrder(tabId, (tab) => {
      let doc = tab.wireDocument === undefined ? undefined : tab.log.documents.get(tab.wireDocument);
      if (doc === undefined) {
        tab.wireDocument = `wire-${++wireDocuments}`;
        doc = tab.log.document(0, tab.wireDocument, '', true);
      }
      if (doc === undefined) return;
      const stored: StoredRecord[] = [];
      for (const record of records) {
        const entry = tab.log.store(doc, record);
        if (entry !== undefined) stored.push(entry);
      }
      if (stored.length > 0) toPanels(tab, { type: 'append', records: stored, stats: tab.log.stats });
    });
  },
  detached(tabId, reason) {
    inOrder(tabId, (tab) => toPanels(tab, deepState(tab, reason)));
  },
};
const deep = FirefoxDeepCapture.supported() ? new FirefoxDeepCapture(deepHooks) : new DeepCapture(deepHooks);

function deepState(tab: Tab, error?: string): BackgroundToPanel {
  return {
    type: 'deep-capture',
    available: deep.available,
    on: deep.isOn(tab.id),
    ...(deep instanceof FirefoxDeepCapture ? { mechanism: 'webRequest' as const } : {}),
    ...(error === undefined ? {} : { error }),
  };
}

/** Runs `work` on the tab after everything queued before it. */
function inOrder(tabId: number, work: (tab: Tab) => void | Promise<void>): void {
  const tab = tabOf(tabId);
  tab.queue = tab.queue.then(() => work(tab)).catch((error: unknown) => console.error('SSE DevTools background:', error));
}

const sessionKey = (tabId: number) => `tab:${tabId}`;
interface SavedTab {
  preserve: boolean;
  topDocument?: string;
  /** After a Clear: where each live document's copy started again (records before are not wanted). */
  clearedPlaces?: Record<string, { frameId: number; next: number; isTop: boolean }>;
}

/** A restarted worker picks up the tab's settings and the logs of its departed documents. */
async function restore(tab: Tab): Promise<void> {
  try {
    const saved = (await browser.storage.session.get(sessionKey(tab.id)))[sessionKey(tab.id)] as SavedTab | undefined;
    if (saved !== undefined) {
      tab.log.preserve = saved.preserve;
      tab.log.topDocument = saved.topDocument;
      tab.clearedPlaces = saved.clearedPlaces;
      for (const [documentId, place] of Object.entries(saved.clearedPlaces ?? {})) {
        const doc = tab.log.document(place.frameId, documentId, '', place.isTop);
        if (doc !== undefined) doc.next = place.next;
      }
    }
    for (const departed of await loadDeparted(tab.id)) {
      const doc = tab.log.document(departed.frameId, departed.documentId, departed.frameUrl, departed.isTop);
      if (doc === undefined) continue;
      doc.departed = true;
      for (const record of departed.records) tab.log.store(doc, record);
      doc.next = departed.next;
    }
  } catch (error) {
    console.error('SSE DevTools background: could not restore tab', tab.id, error);
  }
}

function saveTab(tab: Tab): void {
  const saved: SavedTab = { preserve: tab.log.preserve, topDocument: tab.log.topDocument, clearedPlaces: tab.clearedPlaces };
  void browser.storage.session.set({ [sessionKey(tab.id)]: saved }).catch(() => undefined);
}

function toPanels(tab: Tab, message: BackgroundToPanel): void {
  for (const port of tab.panels) {
    try {
      port.postMessage(message);
    } catch {
      tab.panels.delete(port);
    }
  }
}

/** Whether frames of the tab should send their records as they come. */
const isLive = (tab: Tab) => tab.panels.size > 0 || tab.log.preserve;

function control(tab: Tab, send?: Record<string, number>, sendAll?: boolean): BackgroundToRelay {
  // An iframe's log outlives its document (the tab's log goes on); a top document's only with Preserve log.
  return { type: 'control', live: isLive(tab), keep: true, keepTop: tab.log.preserve, send, sendAll };
}

/** Tells every frame of the tab (with a port or not) what to do now. */
function broadcast(tab: Tab, message: BackgroundToRelay): void {
  browser.tabs.sendMessage(tab.id, message).catch(() => undefined);
}

/** Where each live document's copy ends: what the frames are asked to send from. */
function resumePoints(tab: Tab): Record<string, number> {
  const points: Record<string, number> = {};
  for (const [documentId, place] of Object.entries(tab.log.places())) points[documentId] = place.next;
  return points;
}

/** A stream id is the page's own; in the log it is keyed by frame too (one frame cannot speak for another's streams). */
function keyedByFrame(record: PageRecord, frameId: number): PageRecord {
  return 'stream' in record ? { ...record, stream: `${frameId}:${record.stream}` } : record;
}

function onRelayConnected(port: Runtime.Port): void {
  const sender = port.sender;
  const tabId = sender?.tab?.id;
  if (tabId === undefined || sender?.id !== browser.runtime.id) {
    port.disconnect();
    return;
  }
  const frameId = sender.frameId ?? 0;
  // The frame's URL as the browser knows it, not as the page might claim it.
  const frameUrl = sender.url ?? '';
  let doc: DocumentLog | undefined;
  let documentId: string | undefined;

  port.onDisconnect.addListener(() => {
    const tab = tabs.get(tabId);
    if (documentId !== undefined && tab?.relays.get(documentId)?.port === port) tab.relays.delete(documentId);
  });
  port.onMessage.addListener((message: unknown) => {
    if (!isRelayMessage(message)) return;
    inOrder(tabId, async (tab) => {
      if (message.type === 'relay-hello') {
        if (documentId !== undefined) return; // one hello per port
        documentId = message.document;
        const isTop = frameId === 0 && message.isTop;
        if (isTop && tab.log.topDocument !== documentId) {
          const navigated = tab.log.topDocument !== undefined;
          tab.log.topDocument = documentId;
          if (navigated && !tab.log.preserve) {
            tab.log.clear(true);
            tab.clearedPlaces = undefined;
            void clearDeparted(tab.id).catch(() => undefined);
            toPanels(tab, { type: 'reset', reason: 'navigation', url: frameUrl });
          }
          saveTab(tab);
        }
        doc = tab.log.document(frameId, documentId, frameUrl, isTop);
        if (doc === undefined) return;
        tab.relays.set(documentId, { port, frameId });
        // Tell it whether to go live, and from where to send.
        port.postMessage(control(tab, isLive(tab) ? { [documentId]: doc.next } : undefined));
        return;
      }
      if (message.type === 'relay-drops') {
        tab.log.drop(message.batches, message.reason);
        toPanels(tab, { type: 'append', records: [], stats: tab.log.stats });
        return;
      }
      if (doc === undefined) return;
      if (message.type === 'page-status') {
        const status = parsePageStatus(message.json);
        if (status === null || status.state === 'unreachable') return;
        const keyed: PageStatus = status.stream === undefined ? status : { ...status, stream: `${frameId}:${status.stream}` };
        toPanels(tab, { type: 'command-status', frameId, status: keyed });
        return;
      }
      const wire = 'json' in message ? message.json : await readBlobBatch(message.batch);
      if (doc === undefined) return;
      const batch = wire === null ? null : decodeWireBatch(wire, doc.decoders);
      if (batch?.final === true && doc.next === 0 && !doc.isTop && Date.now() - tab.log.clearedAt < LATE_BATCH_WINDOW_MS) {
        // An iframe of the page we just left, handing over its log as it unloads: not this page's.
        tab.log.documents.delete(doc.documentId);
        doc = undefined;
        return;
      }
      if (batch === null) {
        tab.log.countInvalid(1);
        toPanels(tab, { type: 'append', records: [], stats: tab.log.stats });
        return;
      }
      batch.records = batch.records.map((records) => records?.map((record) => keyedByFrame(record, frameId)) ?? null);
      const received = tab.log.receive(doc, batch);
      if (received.resendFrom !== undefined) port.postMessage(control(tab, { [doc.documentId]: received.resendFrom }));
      if (doc.departed && !batch.final) {
        // Back from the back/forward cache: live again.
        doc.departed = false;
        void deleteDeparted(tab.id, doc.documentId).catch(() => undefined);
      }
      if (received.stored.length > 0 || batch.drops.length > 0) {
        toPanels(tab, { type: 'append', records: received.stored, stats: tab.log.stats });
      }
      if (batch.final && (!doc.isTop || tab.log.preserve)) {
        doc.departed = true;
        await saveDeparted({
          key: `${tab.id}/${doc.documentId}`,
          tabId: tab.id,
          frameId: doc.frameId,
          documentId: doc.documentId,
          frameUrl: doc.frameUrl,
          isTop: doc.isTop,
          records: doc.records.map(({ frameId: _frame, seq: _seq, ...record }) => record as PageRecord),
          next: doc.next,
          time: Date.now(),
        });
      }
    });
  });
}

/**
 * Sends `command` to the page world of frame `frameId`: on the relay port of that frame's current
 * document, or, when it has none (the worker restarted since), as a message to that frame. A frame
 * that cannot be reached is reported to `panel` as such.
 */
function toPage(tab: Tab, frameId: number, command: PageCommand, panel: Runtime.Port): void {
  // Stream ids in the log carry the frame (see keyedByFrame); the page knows its own.
  const forPage: PageCommand =
    command.type === 'replay' && command.stream.startsWith(`${frameId}:`)
      ? { ...command, stream: command.stream.slice(`${frameId}:`.length) }
      : command;
  const message: BackgroundToRelay = { type: 'page-command', json: JSON.stringify(forPage) };
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
  const relay = [...tab.relays.values()].reverse().find((candidate) => candidate.frameId === frameId);
  if (relay === undefined) {
    browser.tabs.sendMessage(tab.id, message, { frameId }).catch(unreachable);
    return;
  }
  try {
    relay.port.postMessage(message);
  } catch {
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

/** Only our own pages (the DevTools panel, or the panel opened as an extension tab) may read logs. */
function isOwnPage(sender: Runtime.MessageSender | undefined): boolean {
  return sender?.id === browser.runtime.id && (sender.url ?? '').startsWith(browser.runtime.getURL(''));
}

function onPanelConnected(port: Runtime.Port): void {
  if (!isOwnPage(port.sender)) {
    port.disconnect();
    return;
  }
  let tabId: number | undefined;
  port.onMessage.addListener((message: unknown) => {
    if (!isPanelRequest(message)) return;
    if (message.type === 'panel-hello') {
      if (tabId !== undefined) return;
      const id = message.tabId;
      tabId = id;
      inOrder(id, (tab) => {
        tab.panels.add(port);
        sendLog(port, tab.log);
        port.postMessage(deepState(tab));
        // Every frame sends what we do not have yet, and goes live.
        broadcast(tab, control(tab, resumePoints(tab), true));
      });
      return;
    }
    if (tabId === undefined) return;
    const command = message;
    inOrder(tabId, async (tab) => {
      if (command.type === 'clear') {
        // The pages keep their own logs: a fresh copy starts from where each page is now.
        tab.log.clearKeepingPlaces();
        tab.clearedPlaces = tab.log.places();
        saveTab(tab);
        await clearDeparted(tab.id).catch(() => undefined);
        toPanels(tab, { type: 'reset', reason: 'clear' });
      } else if (command.type === 'set-preserve') {
        tab.log.preserve = command.preserve;
        saveTab(tab);
        broadcast(tab, control(tab));
      } else if (command.type === 'page-command') {
        toPage(tab, command.frameId, command.command, port);
      } else if (command.type === 'set-deep-capture') {
        let error: string | undefined;
        if (command.on) await deep.attach(tab.id).catch((e: unknown) => (error = e instanceof Error ? e.message : String(e)));
        else await deep.detach(tab.id);
        toPanels(tab, deepState(tab, error));
      }
    });
  });
  port.onDisconnect.addListener(() => {
    if (tabId === undefined) return;
    inOrder(tabId, (tab) => {
      tab.panels.delete(port);
      // The last panel closed: frames go back to recording only, and deep capture stops.
      if (!isLive(tab)) broadcast(tab, control(tab));
      if (tab.panels.size === 0) void deep.detach(tab.id);
    });
  });
}

browser.runtime.onConnect.addListener((port: Runtime.Port) => {
  if (port.name === PORT_NAME.relay) onRelayConnected(port);
  else if (port.name === PORT_NAME.panel) onPanelConnected(port);
});

browser.tabs.onRemoved.addListener((tabId: number) => {
  void deep.detach(tabId);
  tabs.get(tabId)?.log.dispose();
  tabs.delete(tabId);
  void clearDeparted(tabId).catch(() => undefined);
  void browser.storage.session.remove(sessionKey(tabId)).catch(() => undefined);
});

// Tab ids do not survive a browser restart: what was kept for them is stale.
browser.runtime.onStartup.addListener(() => void clearDeparted().catch(() => undefined));

// Inspection from the worker's DevTools console (and by the end-to-end tests): the logs by tab id.
(
  globalThis as { sseDevtools?: { tabs: Map<number, Tab>; pool: MemoryPool; deep: DeepCapture | FirefoxDeepCapture } }
).sseDevtools = {
  tabs,
  pool,
  deep,
};
