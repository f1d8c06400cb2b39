/**
 * Checks of the records a page posts (any script on the page can forge them), run in the
 * background, off the page's thread, after src/background/wire-decode.ts turned the wire form back
 * into records.
 */
import type { SseItem, SseWarningCode } from '../core/sse-types';
import type { BodyText, HeaderEntry, PageRecord, StateReason, StreamKind, StreamState } from './records';
import { isNumber, isObject, isString, isTime } from './checks';
import { STREAM_KINDS } from './stream-kinds';

export { STREAM_KINDS };

export const STREAM_STATES: readonly StreamState[] = ['connecting', 'open', 'closed', 'error'];
export const STATE_REASONS: readonly StateReason[] = [
  'reconnecting',
  'closed-by-page',
  'ended-by-server',
  'cancelled-by-page',
  'aborted',
  'network-error',
  'http-error',
];
export const WARNING_CODES: readonly SseWarningCode[] = [
  'retry-not-digits',
  'id-contains-nul',
  'unknown-field',
  'incomplete-final-event',
  'data-without-dispatch',
  'line-truncated',
  'event-truncated',
  'event-without-data',
];

function isHeaderList(v: unknown): v is HeaderEntry[] {
  return Array.isArray(v) && v.every((h) => isObject(h) && isString(h.name) && isString(h.value));
}

function isBodyText(v: unknown): v is BodyText {
  return (
    isObject(v) &&
    isString(v.mimeType) &&
    isString(v.text) &&
    (v.truncated === undefined || typeof v.truncated === 'boolean') &&
    (v.size === undefined || isNumber(v.size))
  );
}

function isSseItem(v: unknown): v is SseItem {
  // A `span` is only ever set by the panel's own parser (LogStore): never accepted from a page.
  if (!isObject(v) || !isTime(v.time) || v.span !== undefined) return false;
  switch (v.kind) {
    case 'event':
      return (
        isString(v.type) &&
        isString(v.data) &&
        isString(v.lastEventId) &&
        (v.idSet === undefined || typeof v.idSet === 'boolean') &&
        (v.replayed === undefined || typeof v.replayed === 'boolean') &&
        (v.truncated === undefined || (isObject(v.truncated) && isNumber(v.truncated.originalLength)))
      );
    case 'comment':
      return isString(v.text);
    case 'retry':
      return isNumber(v.milliseconds) && v.milliseconds >= 0;
    case 'field':
      return isString(v.name) && isString(v.value);
    case 'warning':
      return isString(v.message) && WARNING_CODES.includes(v.code as SseWarningCode);
    default:
      return false;
  }
}

/** True when `v` is a well-formed PageRecord. Unknown extra properties are tolerated. */
export function isPageRecord(v: unknown): v is PageRecord {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'stream-open':
      return (
        isString(v.stream) &&
        STREAM_KINDS.includes(v.kind as StreamKind) &&
        isString(v.url) &&
        isString(v.method) &&
        isHeaderList(v.requestHeaders) &&
        (v.requestBody === undefined || isBodyText(v.requestBody)) &&
        (v.withCredentials === undefined || typeof v.withCredentials === 'boolean') &&
        isString(v.frameUrl) &&
        isTime(v.time) &&
        (v.mocked === undefined || typeof v.mocked === 'boolean') &&
        // Only deep capture, in the background, sees the wire: a page cannot say it did.
        v.seenOn === undefined
      );
    case 'stream-response':
      return (
        isString(v.stream) &&
        isNumber(v.status) &&
        isString(v.statusText) &&
        isHeaderList(v.responseHeaders) &&
        isString(v.contentType) &&
        (v.redirected === undefined || typeof v.redirected === 'boolean') &&
        (v.url === undefined || isString(v.url)) &&
        isTime(v.time)
      );
    case 'stream-state':
      return (
        isString(v.stream) &&
        STREAM_STATES.includes(v.state as StreamState) &&
        (v.reason === undefined || STATE_REASONS.includes(v.reason as StateReason)) &&
        (v.detail === undefined || isString(v.detail)) &&
        isTime(v.time)
      );
    case 'stream-chunk':
      return isString(v.stream) && isString(v.text) && isNumber(v.bytes) && isTime(v.time);
    case 'stream-request-body':
      return isString(v.stream) && isBodyText(v.body) && isTime(v.time);
    case 'stream-listen':
      return isString(v.stream) && isString(v.eventType) && isTime(v.time);
    case 'sse':
      return isString(v.stream) && Array.isArray(v.items) && v.items.every(isSseItem);
    case 'capture-issue':
      return isString(v.message) && isTime(v.time);
    default:
      return false;
  }
}
