/**
 * Entries of other tools (e.g. Chrome's "Save all as HAR with content"): responses that are
 * text/event-stream with `content.text` (base64 too) are parsed by our parser; entries with
 * `_eventSourceMessages` (Chrome writes them for EventSource, `_resourceType: "eventsource"`,
 * without text) give one event per message. A HAR keeps no per-chunk times, so the text is cut at
 * its blank lines (one chunk per event block) and each chunk is stamped at a time spread by its
 * position in the text between the response start (startedDateTime plus the timings before
 * `receive`) and the entry's end (startedDateTime + time): events keep their order, are spaced in
 * proportion to the bytes between them and span the entry's real duration. Message times are epoch
 * seconds when they fall within a day of the entry; otherwise (Chrome's monotonic clock) they keep
 * their spacing, the first one placed at the response start.
 */
import type { BodyText, StreamKind } from '../protocol';
import { SseTextParser } from './sse-parser';
import type { SseEvent, SseItem } from './sse-types';
import { array, BadField, headers, isTime, nonNegative, number, object, optString, string, type Json } from './har-fields';
import { RANK, readMessages, spreadChunks, type StreamRecords, type Timed } from './har-import-records';

function mimeEssence(type: string): string {
  return type.split(';')[0]!.trim().toLowerCase();
}

function decodeBase64(text: string, path: string): string {
  let binary: string;
  try {
    binary = atob(text.replace(/\s+/g, ''));
  } catch {
    throw new BadField(path, 'base64 text (its encoding is "base64")');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

/** Events our parser finds in `text` (what the LogStore will show). */
function countEvents(text: string): number {
  const out: SseItem[] = [];
  const parser = new SseTextParser();
  parser.push(text, 0, out);
  parser.end(0, out);
  return out.filter((item) => item.kind === 'event').length;
}

export function readForeignEntry(entry: Json, path: string, streamId: string, kind: StreamKind): StreamRecords {
  const request = object(entry.request, `${path}.request`);
  const response = object(entry.response, `${path}.response`);
  const content = object(response.content, `${path}.response.content`);
  const start = Date.parse(string(entry, 'startedDateTime', path));
  if (!isTime(start)) throw new BadField(`${path}.startedDateTime`, 'a date and time');
  const duration = Math.max(0, number(entry, 'time', path));
  const timings = entry.timings === undefined ? undefined : object(entry.timings, `${path}.timings`);
  const tp = `${path}.timings`;
  // Time before the first byte: blocked, dns, connect (which includes ssl), send, wait.
  const beforeResponse = ['blocked', 'dns', 'connect', 'send', 'wait'].reduce(
    (sum, key) => sum + nonNegative(timings, key, tp),
    0,
  );
  const end = start + duration;
  const responseStart = Math.min(end, start + beforeResponse);
  const status = number(response, 'status', `${path}.response`);
  const responseHeaders = headers(response, 'headers', `${path}.response`);
  const mimeType = string(content, 'mimeType', `${path}.response.content`);
  const contentType = responseHeaders.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? mimeType;
  let body: BodyText | undefined;
  if (request.postData !== undefined) {
    const postData = object(request.postData, `${path}.request.postData`);
    body = {
      mimeType: optString(postData, 'mimeType', `${path}.request.postData`) ?? '',
      text: optString(postData, 'text', `${path}.request.postData`) ?? '',
    };
  }
  const records: Timed[] = [
    {
      time: start,
      rank: RANK.open,
      record: {
        type: 'stream-open',
        stream: streamId,
        kind,
        url: string(request, 'url', `${path}.request`),
        method: string(request, 'method', `${path}.request`),
        requestHeaders: headers(request, 'headers', `${path}.request`),
        ...(body ? { requestBody: body } : {}),
        frameUrl: '',
        time: start,
      },
    },
  ];
  if (status > 0) {
    records.push({
      time: responseStart,
      rank: RANK.response,
      record: {
        type: 'stream-response',
        stream: streamId,
        status,
        statusText: optString(response, 'statusText', `${path}.response`) ?? '',
        responseHeaders,
        contentType,
        time: responseStart,
      },
    });
    records.push({
      time: responseStart,
      rank: RANK.opened,
      record: { type: 'stream-state', stream: streamId, state: 'open', time: responseStart },
    });
  }

  const messages = readMessages(entry, path);
  let text = optString(content, 'text', `${path}.response.content`);
  if (text !== undefined && optString(content, 'encoding', `${path}.response.content`) === 'base64') {
    text = decodeBase64(text, `${path}.response.content.text`);
  }
  let events = 0;
  if (messages.length > 0) {
    // Epoch seconds, or (Chrome's monotonic clock) seconds to shift to the response start.
    const day = 86_400_000;
    const epoch = messages.every((m) => m.time * 1000 >= start - day && m.time * 1000 <= end + day);
    const shift = epoch ? 0 : responseStart - messages[0]!.time * 1000;
    messages.forEach((m, index) => {
      const at = m.time * 1000 + shift;
      if (!isTime(at)) throw new BadField(`${path}._eventSourceMessages[${index}].time`, 'a time');
      const item: SseEvent = {
        kind: 'event',
        type: m.eventName === '' ? 'message' : m.eventName,
        data: m.data,
        lastEventId: m.eventId,
        time: at,
      };
      records.push({ time: at, rank: RANK.data, record: { type: 'sse', stream: streamId, items: [item] } });
    });
    events = messages.length;
  } else if (text !== undefined && text.length > 0) {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // the UTF-8 decode step strips a BOM
    // One loop, not push(...spread): a long stream has more chunks than a call has room for arguments.
    for (const chunk of spreadChunks(text, streamId, responseStart, end)) records.push(chunk);
    events = countEvents(text);
  }
  records.push({
    time: end,
    rank: RANK.end,
    record:
      status > 0
        ? { type: 'stream-state', stream: streamId, state: 'closed', time: end }
        : { type: 'stream-state', stream: streamId, state: 'error', reason: 'network-error', time: end },
  });
  // Sorting by time is safe here (every time was computed in order); the opening stays first.
  const [open, ...rest] = records;
  rest.sort((a, b) => a.time - b.time || a.rank - b.rank);
  return { records: [open!, ...rest], events, hasContent: messages.length > 0 || (text !== undefined && text.length > 0) };
}

/** The stream kind of a non-SSE-DevTools entry, or null when it is not an SSE stream. */
export function foreignKind(entry: Json, path: string): StreamKind | null {
  const resourceType = optString(entry, '_resourceType', path)?.toLowerCase();
  const response = object(entry.response, `${path}.response`);
  const content = object(response.content, `${path}.response.content`);
  const mimeType = optString(content, 'mimeType', `${path}.response.content`) ?? '';
  const messages =
    entry._eventSourceMessages === undefined ? [] : array(entry._eventSourceMessages, `${path}._eventSourceMessages`);
  if (resourceType === 'eventsource' || messages.length > 0) return 'eventsource';
  if (mimeEssence(mimeType) !== 'text/event-stream') return null;
  return resourceType === 'xhr' ? 'xhr' : 'fetch';
}
