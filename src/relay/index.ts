/**
 * ISOLATED-world relay (content script, document_start, every frame): the page world's door to the
 * background. Page → background: the tap's batches (a bounded JSON string of our protocol version,
 * forwarded unparsed: the background parses and validates off the page's thread) and its command
 * statuses, within a budget per frame; what the budget or the size bound refuses is counted and
 * reported. Background → page: controls (send what you hold, live or quiet) and replay/mock
 * commands, handed to the tap as JSON strings. Page data is never evaluated or inserted into the
 * DOM here.
 *
 * One runtime port at most, opened when there is something to say (top frames say hello at once,
 * so the background can start a fresh log for a new page); a new port is opened only after the
 * previous one closed (the worker stopped) or was closed by us.
 *
 * Uses the browser's own `chrome`/`browser` runtime rather than webextension-polyfill: this file
 * runs in every frame of every page, and needs only runtime.connect and a port.
 */
import {
  isBackgroundToRelay,
  isPlausibleBatchJson,
  isPlausibleStatusJson,
  MAX_BATCH_JSON_LENGTH,
  MAX_BATCH_SIZE,
  PAGE_EVENT,
  PROTOCOL_VERSION,
  PORT_NAME,
  type BackgroundToRelay,
  type PageControl,
  type RelayMessage,
} from '../protocol';
import { RelayBudget } from './budget';
import { dropReason } from '../protocol/drop-reasons';

interface MinimalPort {
  postMessage(message: RelayMessage): void;
  disconnect(): void;
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

const isTop = window === window.top;
const documentId = `${performance.timeOrigin}-${Math.random().toString(36).slice(2)}`;
const budget = new RelayBudget();
let port: MinimalPort | undefined;

function openPort(): MinimalPort | undefined {
  if (port !== undefined) return port;
  if (runtime === undefined) return undefined;
  try {
    const opened = runtime.connect({ name: PORT_NAME.relay });
    opened.onDisconnect.addListener(() => {
      if (port === opened) port = undefined;
    });
    opened.onMessage.addListener(fromBackground);
    opened.postMessage({ type: 'relay-hello', isTop, document: documentId });
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
    // The port closed under us (worker stopped): close our end, open a new one and try once more.
    try {
      target.disconnect();
    } catch {
      // Already closed.
    }
    if (port === target) port = undefined;
    try {
      openPort()?.postMessage(message);
    } catch {
      // Orphaned relay.
    }
  }
}

/** Reports what the budget refused, at most once per REPORT_EVERY_MS. */
const REPORT_EVERY_MS = 500;
let reportPending = false;
function reportDrops(): void {
  if (reportPending) return;
  reportPending = true;
  setTimeout(() => {
    reportPending = false;
    for (const drop of budget.takeDrops()) send({ type: 'relay-drops', ...drop });
  }, REPORT_EVERY_MS);
}

window.addEventListener(PAGE_EVENT.batch, (event) => {
  const detail = (event as CustomEvent<unknown>).detail;
  if (typeof detail === 'object' && detail !== null) {
    forwardCloneBatch(detail);
    return;
  }
  if (!isPlausibleBatchJson(detail)) {
    const chars = typeof detail === 'string' ? detail.length : 0;
    budget.refuse(
      chars > MAX_BATCH_JSON_LENGTH ? dropReason('relay-batch-too-large', MAX_BATCH_JSON_LENGTH) : dropReason('relay-malformed'),
      chars,
    );
    reportDrops();
    return;
  }
  if (!budget.take(detail.length)) {
    reportDrops();
    return;
  }
  send({ type: 'page-batch', json: detail });
});

/**
 * A batch in the clone form: what we read is already our own copy (an event's detail crosses
 * worlds as a structured clone; its blobs, if any, as handles). Its size is measured per record (bytes of chunks, characters of
 * strings), not per byte, for the bound and the budget; the background validates the rest.
 */
function forwardCloneBatch(batch: object): void {
  const records = (batch as { v?: unknown; records?: unknown }).records;
  if ((batch as { v?: unknown }).v !== PROTOCOL_VERSION || !Array.isArray(records)) {
    budget.refuse(dropReason('relay-malformed'), 0);
    reportDrops();
    return;
  }
  let size = 0;
  for (const record of records as unknown[]) size += cloneRecordSize(record);
  // Blob form: the bulk is in (at most) two blobs, whose size we know without reading them.
  for (const blob of [(batch as { bytes?: unknown }).bytes, (batch as { text?: unknown }).text]) {
    if (blob instanceof Blob) size += blob.size;
    else if (blob !== undefined) {
      budget.refuse(dropReason('relay-malformed'), 0);
      reportDrops();
      return;
    }
  }
  if (size > MAX_BATCH_SIZE) {
    budget.refuse(dropReason('relay-batch-too-large', MAX_BATCH_SIZE), size);
    reportDrops();
    return;
  }
  if (!budget.take(size)) {
    reportDrops();
    return;
  }
  send({ type: 'page-batch', batch });
}

function cloneRecordSize(record: unknown): number {
  if (typeof record !== 'object' || record === null) return 1;
  const { data, strings } = record as { data?: unknown; strings?: unknown };
  let size = 64;
  if (data instanceof Uint8Array) size += data.byteLength;
  if (Array.isArray(strings)) for (const value of strings as unknown[]) size += typeof value === 'string' ? value.length : 1;
  return size;
}

/**
 * Whether our port passes objects by structured clone (so batches can travel as objects, bytes as
 * bytes): Chrome from 148 with the manifest's `message_serialization`. Firefox's ports clone too,
 * but a page object read from an event's detail reaches us there through an Xray wrapper; the
 * JSON form is used in Firefox.
 */
function portClonesObjects(): boolean {
  try {
    const manifest = (
      globalThis as { chrome?: { runtime?: { getManifest?: () => Record<string, unknown> } } }
    ).chrome?.runtime?.getManifest?.();
    if (manifest?.message_serialization !== 'structured_clone') return false;
    const major = Number(/Chrom(?:e|ium)\/(\d+)/.exec(navigator.userAgent)?.[1] ?? 0);
    return major >= 148;
  } catch {
    return false;
  }
}
const cloneForm = portClonesObjects();

// The tap captured its first record: say hello, so the background can tell it whether to go live.
window.addEventListener(PAGE_EVENT.captured, () => void openPort());

window.addEventListener(PAGE_EVENT.status, (event) => {
  const detail = (event as CustomEvent<unknown>).detail;
  if (!isPlausibleStatusJson(detail) || !budget.take(detail.length)) return;
  send({ type: 'page-status', json: detail });
});

function fromBackground(message: unknown): void {
  if (!isBackgroundToRelay(message)) return;
  toPage(message);
}

/** A command or control from the background, handed to the tap (which validates it again). */
function toPage(message: BackgroundToRelay): void {
  if (message.type === 'page-command') {
    window.dispatchEvent(new CustomEvent(PAGE_EVENT.command, { detail: message.json }));
    return;
  }
  const from = message.send?.[documentId];
  const control: PageControl = {
    type: 'control',
    live: message.live,
    keep: isTop ? message.keepTop : message.keep,
    clone: cloneForm,
    ...(typeof from === 'number' ? { send: from } : message.sendAll === true ? { send: 0 } : {}),
  };
  window.dispatchEvent(new CustomEvent(PAGE_EVENT.control, { detail: JSON.stringify(control) }));
}

runtime?.onMessage?.addListener((message) => {
  if (!isBackgroundToRelay(message)) return;
  // The background speaks to every frame of the tab at once (a panel opened, the worker restarted).
  // No port is opened for that: one is opened when the tap has something to send (a frame that
  // captured nothing stays silent).
  toPage(message);
});

function announceReady(): void {
  window.dispatchEvent(new CustomEvent(PAGE_EVENT.relayReady));
}
// The tap may start before or after us: answer its hello, and announce ourselves once.
window.addEventListener(PAGE_EVENT.pageHello, announceReady);
announceReady();
// Top frames say hello at once, so the background can start a fresh log for the new page and tell
// the tap whether a panel is open.
if (isTop) openPort();
