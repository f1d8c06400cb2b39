/**
 * ISOLATED-world relay (content script, document_start, every frame). Listens for the page tap's
 * batches on window, checks each is a plausible batch (a bounded JSON string of our protocol
 * version) and forwards it over a runtime port to the background, which parses and validates the
 * records off the page's thread; the tap's command statuses go the same way. Commands from the
 * panel (replay, mock) arrive on the port (or, when the worker restarted since the port was open,
 * as a runtime message) and are handed to the tap as a JSON string. Page data is never evaluated
 * or inserted into the DOM here.
 *
 * Uses the browser's own `chrome`/`browser` runtime rather than webextension-polyfill: this file
 * runs in every frame of every page, and needs only runtime.connect and a port.
 */
import {
  isBackgroundToRelay,
  isPlausibleBatchJson,
  isPlausibleStatusJson,
  PAGE_EVENT,
  PORT_NAME,
  type RelayMessage,
} from '../protocol';

interface MinimalPort {
  postMessage(message: RelayMessage): void;
  onDisconnect: { addListener(listener: () => void): void };
  onMessage: { addListener(listener: (message: unknown) => void): void };
}
interface MinimalRuntime {
  connect(info: { name: string }): MinimalPort;
  onMessage?: { addListener(listener: (message: unknown) => void): void };
}

const runtime: MinimalRuntime | undefined =
  (globalThis as { browser?: { runtime?: MinimalRuntime } }).browser?.runtime ??
  (globalThis as { chrome?: { runtime?: MinimalRuntime } }).chrome?.runtime;

const documentId = `${performance.timeOrigin}-${Math.random().toString(36).slice(2)}`;
let port: MinimalPort | undefined;

function openPort(): MinimalPort | undefined {
  if (port !== undefined) return port;
  if (runtime === undefined) return undefined;
  try {
    const opened = runtime.connect({ name: PORT_NAME.relay });
    opened.onDisconnect.addListener(() => {
      if (port === opened) port = undefined;
    });
    opened.onMessage.addListener(toPage);
    opened.postMessage({ type: 'relay-hello', frameUrl: location.href, isTop: window === window.top, document: documentId });
    port = opened;
  } catch {
    // The extension was reloaded or removed: this relay is orphaned and stays silent.
    port = undefined;
  }
  return port;
}

function send(message: RelayMessage): void {
  const target = openPort();
  if (target === undefined) return;
  try {
    target.postMessage(message);
  } catch {
    // The port closed under us (worker stopped): open a new one and try once more.
    port = undefined;
    try {
      openPort()?.postMessage(message);
    } catch {
      // Orphaned relay.
    }
  }
}

window.addEventListener(PAGE_EVENT.batch, (event) => {
  const detail = (event as CustomEvent<unknown>).detail;
  if (!isPlausibleBatchJson(detail)) return;
  send({ type: 'page-batch', json: detail });
});

window.addEventListener(PAGE_EVENT.status, (event) => {
  const detail = (event as CustomEvent<unknown>).detail;
  if (!isPlausibleStatusJson(detail)) return;
  send({ type: 'page-status', json: detail });
});

/** A command from the background: its JSON goes to the tap (which validates it again). */
function toPage(message: unknown): void {
  if (!isBackgroundToRelay(message)) return;
  window.dispatchEvent(new CustomEvent(PAGE_EVENT.command, { detail: message.json }));
}
runtime?.onMessage?.addListener((message) => {
  if (!isBackgroundToRelay(message)) return;
  // The worker restarted since our port closed: open it again, so the tap's statuses get back.
  openPort();
  toPage(message);
});

function announceReady(): void {
  window.dispatchEvent(new CustomEvent(PAGE_EVENT.relayReady));
}
// The tap may start before or after us: answer its hello, and announce ourselves once.
window.addEventListener(PAGE_EVENT.pageHello, announceReady);
announceReady();
// Top frames say hello at once, so the background can start a fresh log for the new page.
if (window === window.top) openPort();
