/**
 * Messages inside the extension: relay ↔ background (runtime port "sse-relay", one per frame) and
 * background ↔ panel (runtime port "sse-panel"). The page never sees these; the background still
 * checks who sent each (a content script can open a port of any name).
 */
import type { PageCommand, PageStatus } from './commands';
import { isFrameId, isPageCommand } from './commands';
import type { PageRecord } from './records';
import { isNumber, isObject, isString } from './checks';
import { MAX_COMMAND_JSON_LENGTH } from './commands';

export const PORT_NAME = { relay: 'sse-relay', panel: 'sse-panel' } as const;

export type RelayMessage =
  /**
   * First message on each port. `document` identifies the frame's document (a new one means the
   * frame navigated; the same one means the port was re-opened after the worker restarted).
   * The frame's URL is not taken from here but from the port's sender.
   */
  | { type: 'relay-hello'; isTop: boolean; document: string }
  /** A page batch, forwarded as the page posted it: a JSON string, or (clone form) an object. */
  | { type: 'page-batch'; json: string }
  | { type: 'page-batch'; batch: object }
  /** A PageStatus, forwarded as the JSON string the page posted. */
  | { type: 'page-status'; json: string }
  /** Batches the relay refused (too large, over the frame's budget), counted with the reason. */
  | { type: 'relay-drops'; reason: string; batches: number; chars: number };

/** background → relay (on its port, or as a runtime message to every frame of a tab). */
export type BackgroundToRelay =
  /** A validated command, as JSON, for the page world. */
  | { type: 'page-command'; json: string }
  /**
   * What the page world should do now (see PageControl). `send` gives, per document id, the index
   * from which to send; a document not named sends from 0 when `sendAll` is set.
   */
  | { type: 'control'; live: boolean; keep: boolean; keepTop: boolean; send?: Record<string, number>; sendAll?: boolean };

/** A page record as stored in a tab's log: which frame sent it, and its place in the log. */
export type StoredRecord = PageRecord & { frameId: number; seq: number };

export interface LogStats {
  /** Records the background refused because they failed validation. */
  invalid: number;
  /** Records dropped because a cap applied (page-world cap, relay budget, tab or global cap). */
  dropped: number;
  /** Why records were dropped (a reason of protocol/drop-reasons.ts), with how many. */
  droppedReasons: { reason: string; count: number }[];
}

export type PanelRequest =
  | { type: 'panel-hello'; tabId: number }
  | { type: 'clear' }
  | { type: 'set-preserve'; preserve: boolean }
  /** A command for the page world of frame `frameId` of the panel's tab. */
  | { type: 'page-command'; frameId: number; command: PageCommand }
  /** Deep capture of the panel's tab on or off (the panel explained the debugging bar first). */
  | { type: 'set-deep-capture'; on: boolean };

/** Deep capture of a tab: whether this build can (Chrome: the `debugger` permission; Firefox: its optional permissions), and whether it is on. */
export interface DeepCaptureState {
  type: 'deep-capture';
  available: boolean;
  on: boolean;
  /** Why it is off when it was asked to be on, or why it went off (the user closed the bar...). */
  error?: string;
  /**
   * How it captures: Firefox's `webRequest.filterResponseData` (asks for optional permissions, no
   * infobar); absent: Chromium's `chrome.debugger` (the "is debugging this browser" bar).
   */
  mechanism?: 'webRequest';
}

export type BackgroundToPanel =
  | { type: 'snapshot'; records: StoredRecord[]; stats: LogStats; preserve: boolean }
  | { type: 'append'; records: StoredRecord[]; stats: LogStats }
  | { type: 'reset'; reason: 'navigation' | 'clear'; url?: string }
  | { type: 'command-status'; frameId: number; status: PageStatus }
  | DeepCaptureState;

export function isRelayMessage(v: unknown): v is RelayMessage {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'relay-hello':
      return typeof v.isTop === 'boolean' && isString(v.document) && v.document.length <= 200;
    case 'page-batch':
      return isString(v.json) || (typeof v.batch === 'object' && v.batch !== null);
    case 'page-status':
      return isString(v.json);
    case 'relay-drops':
      return isString(v.reason) && v.reason.length <= 200 && isNumber(v.batches) && isNumber(v.chars);
    default:
      return false;
  }
}

export function isPanelRequest(v: unknown): v is PanelRequest {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'panel-hello':
      return isNumber(v.tabId);
    case 'clear':
      return true;
    case 'set-preserve':
      return typeof v.preserve === 'boolean';
    case 'page-command':
      return isFrameId(v.frameId) && isPageCommand(v.command);
    case 'set-deep-capture':
      return typeof v.on === 'boolean';
    default:
      return false;
  }
}

/** The relay's check on what the background sends it. */
export function isBackgroundToRelay(v: unknown): v is BackgroundToRelay {
  if (!isObject(v)) return false;
  if (v.type === 'page-command') return isString(v.json) && v.json.length > 0 && v.json.length <= MAX_COMMAND_JSON_LENGTH;
  return (
    v.type === 'control' &&
    typeof v.live === 'boolean' &&
    typeof v.keep === 'boolean' &&
    typeof v.keepTop === 'boolean' &&
    (v.sendAll === undefined || typeof v.sendAll === 'boolean') &&
    (v.send === undefined || isObject(v.send))
  );
}
