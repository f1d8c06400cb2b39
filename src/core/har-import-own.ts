/**
 * Entries written by SSE DevTools (`_sseDevtools` present) are rebuilt exactly: the open, the
 * response, every state change, the listened types, and for fetch/XHR the raw chunks with the time
 * each arrived (`_sseDevtools.chunks` cut response.content.text back into them), from which the
 * LogStore's parser re-derives every item with its time, as it did live. EventSource items come from
 * `_eventSourceMessages` and the other `_sseDevtools` lists, in the order `itemOrder` gives. The
 * extras are read and checked by `har-extras.ts`, the schema the writer (`har.ts`) uses too.
 */
import type { BodyText } from '../protocol';
import type { SseEvent, SseItem } from './sse-types';
import { BadField, headers, isTime, number, object, optString, string, type Json } from './har-fields';
import type { ReadExtras } from './har-extras';
import {
  mergeLists,
  RANK,
  readMessages,
  spreadChunks,
  stateRank,
  type Message,
  type StreamRecords,
  type Timed,
} from './har-import-records';

/** An entry's records, and for a request deep capture and the page tap both saw, the page's stream too. */
export interface OwnStreamRecords extends StreamRecords {
  page?: { records: Timed[]; frameId: number };
}

/**
 * The records of one entry SSE DevTools wrote; `x` is its `_sseDevtools`, already read and checked.
 * An entry seen on the wire (`seenOn` 'wire' or 'both') is a wire stream again; with `page` (seen
 * by both) the page's own stream is rebuilt beside it under `pageStreamId` — its opening, when it
 * listened for each type, its state changes, the text it read, the events only it had — so the
 * panel pairs the two and marks what the page missed as it did live.
 */
export function readOwnEntry(
  entry: Json,
  path: string,
  streamId: string,
  x: ReadExtras,
  pageStreamId = x.page?.streamId,
): OwnStreamRecords {
  const xp = `${path}._sseDevtools`;
  const request = object(entry.request, `${path}.request`);
  const response = object(entry.response, `${path}.response`);
  const content = object(response.content, `${path}.response.content`);
  const { kind, frameUrl, withCredentials, mocked, transitions, listenedTypes } = x;
  const startedDateTime = Date.parse(string(entry, 'startedDateTime', path));
  const url = x.url ?? string(request, 'url', `${path}.request`);
  const first = transitions[0];
  const startTime = x.startTime ?? (first?.state === 'connecting' ? first.time : startedDateTime);
  if (!isTime(startTime)) throw new BadField(`${path}.startedDateTime`, 'a date and time');
  let body: BodyText | undefined;
  if (request.postData !== undefined) {
    const postData = object(request.postData, `${path}.request.postData`);
    const truncated = x.requestBodyTruncated;
    const size = x.requestBodySize;
    body = {
      mimeType: string(postData, 'mimeType', `${path}.request.postData`),
      text: optString(postData, 'text', `${path}.request.postData`) ?? '',
      ...(truncated !== undefined ? { truncated } : {}),
      ...(size !== undefined ? { size } : {}),
    };
  }

  const lists: Timed[][] = [];
  let responseTime: number | undefined;
  const head: Timed[] = [];
  // A stream whose opening was seen starts with the 'connecting' its stream-open made.
  const opened =
    first !== undefined &&
    first.state === 'connecting' &&
    first.reason === undefined &&
    first.detail === undefined &&
    first.time === startTime;
  if (opened) {
    head.push({
      time: startTime,
      rank: RANK.open,
      record: {
        type: 'stream-open',
        stream: streamId,
        kind,
        url,
        method: string(request, 'method', `${path}.request`),
        requestHeaders: headers(request, 'headers', `${path}.request`),
        ...(body ? { requestBody: body } : {}),
        ...(withCredentials !== undefined ? { withCredentials } : {}),
        frameUrl,
        time: startTime,
        ...(mocked === true ? { mocked } : {}),
        ...(x.seenOn === 'wire' || x.seenOn === 'both' ? { seenOn: 'wire' as const } : {}),
      },
    });
  } else if (body) {
    head.push({
      time: startTime,
      rank: RANK.open,
      record: { type: 'stream-request-body', stream: streamId, body, time: startTime },
    });
  }
  for (const eventType of listenedTypes) {
    head.push({
      time: startTime,
      rank: RANK.listen,
      record: { type: 'stream-listen', stream: streamId, eventType, time: startTime },
    });
  }
  if (x.response !== undefined) {
    const { time: at, redirected, url: finalUrl } = x.response;
    responseTime = at;
    const status = number(response, 'status', `${path}.response`);
    lists.push([
      {
        time: at,
        rank: RANK.response,
        record: {
          type: 'stream-response',
          stream: streamId,
          status,
          statusText: string(response, 'statusText', `${path}.response`),
          responseHeaders: headers(response, 'headers', `${path}.response`),
          contentType: string(content, 'mimeType', `${path}.response.content`),
          ...(redirected !== undefined ? { redirected } : {}),
          ...(finalUrl !== undefined ? { url: finalUrl } : {}),
          time: at,
        },
      },
    ]);
  }
  lists.push(
    transitions.slice(opened ? 1 : 0).map((t) => ({
      time: t.time,
      rank: stateRank(t.state),
      record: {
        type: 'stream-state',
        stream: streamId,
        state: t.state,
        ...(t.reason !== undefined ? { reason: t.reason } : {}),
        ...(t.detail !== undefined ? { detail: t.detail } : {}),
        time: t.time,
      },
    })),
  );

  // Raw chunks (fetch/XHR).
  const text = optString(content, 'text', `${path}.response.content`);
  if (x.chunks !== undefined) {
    const chunks = x.chunks;
    const raw = text ?? '';
    let offset = 0;
    const timed: Timed[] = [];
    for (const chunk of chunks) {
      if (!Number.isInteger(chunk.length) || chunk.length < 0 || offset + chunk.length > raw.length) {
        throw new BadField(`${xp}.chunks`, 'lengths that add up to response.content.text');
      }
      const piece = raw.slice(offset, offset + chunk.length);
      offset += chunk.length;
      timed.push({
        time: chunk.time,
        rank: RANK.data,
        record: { type: 'stream-chunk', stream: streamId, text: piece, bytes: chunk.bytes, time: chunk.time },
      });
    }
    if (offset !== raw.length) throw new BadField(`${xp}.chunks`, 'lengths that add up to response.content.text');
    lists.push(timed);
  } else if (kind !== 'eventsource' && text !== undefined && text.length > 0) {
    // Written without chunk times: spread them over the entry, as for other tools' files.
    const from = responseTime ?? startTime;
    lists.push(spreadChunks(text, streamId, from, Math.max(from, startTime + Math.max(0, number(entry, 'time', path)))));
  }

  // Items that are not re-derived from the chunks.
  const messages = readMessages(entry, path);
  const { comments, retries, ignoredFields: fields, warnings, eventTimes } = x;
  const truncated = new Map<number, number>();
  for (const t of x.truncatedEvents) truncated.set(t.index, t.originalLength);
  const idSet = new Set(x.idSetEvents ?? []);
  const replayed = new Set(x.replayedEvents ?? []);
  const pageSide = x.page !== undefined && pageStreamId !== undefined ? { ...x.page, streamId: pageStreamId } : undefined;
  const pageOnly = new Set(pageSide === undefined ? [] : (x.pageOnlyEvents ?? []));
  const pageTimed: Timed[] = [];
  let order = x.itemOrder;
  if (order === undefined && kind === 'eventsource' && x.chunks === undefined) {
    // Written without an order (by hand, or an older version): every item, by time. (With chunks,
    // the items are re-derived from them: a deep-captured EventSource's bytes.)
    order = defaultOrder(messages, comments, retries, fields, warnings);
  }
  if (order !== undefined) {
    if (!/^[ecrfwECRFW]*$/.test(order)) throw new BadField(`${xp}.itemOrder`, 'letters e, c, r, f, w');
    const count = (letter: string) => order!.split('').filter((c) => c.toLowerCase() === letter).length;
    const expect = (letter: string, length: number, name: string) => {
      if (count(letter) !== length) throw new BadField(`${xp}.itemOrder`, `as many "${letter}" as ${name} has entries`);
    };
    expect('e', messages.length, '_eventSourceMessages');
    expect('c', comments.length, 'comments');
    expect('r', retries.length, 'retries');
    expect('f', fields.length, 'ignoredFields');
    expect('w', warnings.length, 'warnings');
    const explicitEvents = order.split('').filter((c) => c === 'e').length;
    if (eventTimes !== undefined && eventTimes.length !== explicitEvents) {
      throw new BadField(`${xp}.eventTimes`, 'one time per event written in lower case in itemOrder');
    }
    const at = { e: 0, c: 0, r: 0, f: 0, w: 0 };
    let explicitEvent = 0;
    const timed: Timed[] = [];
    for (const letter of order) {
      const lower = letter.toLowerCase() as keyof typeof at;
      const index = at[lower]++;
      if (letter !== lower) continue; // re-derived from the chunks
      let item: SseItem;
      switch (lower) {
        case 'e': {
          const m = messages[index]!;
          const event: SseEvent = {
            kind: 'event',
            type: m.eventName,
            data: m.data,
            lastEventId: m.eventId,
            time: eventTimes?.[explicitEvent] ?? m.time * 1000,
          };
          explicitEvent++;
          if (idSet.has(index)) event.idSet = true;
          if (replayed.has(index)) event.replayed = true;
          const originalLength = truncated.get(index);
          if (originalLength !== undefined) event.truncated = { originalLength };
          item = event;
          break;
        }
        case 'c':
          item = { kind: 'comment', ...comments[index]! };
          break;
        case 'r':
          item = { kind: 'retry', ...retries[index]! };
          break;
        case 'f':
          item = { kind: 'field', ...fields[index]! };
          break;
        case 'w':
          item = { kind: 'warning', ...warnings[index]! };
          break;
      }
      if (!isTime(item.time)) throw new BadField(`${path}._eventSourceMessages[${index}].time`, 'a time');
      if (lower === 'e' && pageOnly.has(index)) {
        pageTimed.push({ time: item.time, rank: RANK.data, record: { type: 'sse', stream: pageStreamId!, items: [item] } });
        continue;
      }
      timed.push({ time: item.time, rank: RANK.data, record: { type: 'sse', stream: streamId, items: [item] } });
    }
    lists.push(timed);
  }
  // The opening goes first whatever the clocks say (a record before it would open a placeholder).
  return {
    records: [...head, ...mergeLists(lists)],
    events: messages.length,
    hasContent: text !== undefined || messages.length > 0,
    ...(pageSide === undefined
      ? {}
      : {
          page: {
            records: pageRecords(pageSide, kind, string(request, 'method', `${path}.request`), text ?? '', x, pageTimed),
            frameId: pageSide.frameId,
          },
        }),
  };
}

/** The page tap's stream of a request both saw, as far as the entry says what the page saw. */
function pageRecords(
  page: NonNullable<ReadExtras['page']>,
  kind: ReadExtras['kind'],
  method: string,
  text: string,
  x: ReadExtras,
  events: Timed[],
): Timed[] {
  const stream = page.streamId;
  const head: Timed[] = [
    {
      time: page.startTime,
      rank: RANK.open,
      record: {
        type: 'stream-open',
        stream,
        kind: page.kind ?? kind,
        url: page.url,
        method,
        requestHeaders: [],
        frameUrl: page.frameUrl,
        time: page.startTime,
      },
    },
  ];
  const rest: Timed[] = page.listening.map(({ type, time }) => ({
    time,
    rank: RANK.listen,
    record: { type: 'stream-listen', stream, eventType: type, time },
  }));
  const first = page.transitions[0];
  const opened = first?.state === 'connecting' && first.time === page.startTime;
  for (const t of page.transitions.slice(opened ? 1 : 0)) {
    rest.push({
      time: t.time,
      rank: stateRank(t.state),
      record: {
        type: 'stream-state',
        stream,
        state: t.state,
        ...(t.reason !== undefined ? { reason: t.reason } : {}),
        ...(t.detail !== undefined ? { detail: t.detail } : {}),
        time: t.time,
      },
    });
  }
  if (page.text !== undefined) {
    // The wire capture held less than the page read: the page's own text, chunk by chunk.
    let offset = 0;
    for (const chunk of page.chunks ?? [{ time: page.startTime, length: page.text.length, bytes: page.text.length }]) {
      const piece = page.text.slice(offset, offset + chunk.length);
      offset += chunk.length;
      rest.push({
        time: chunk.time,
        rank: RANK.data,
        record: { type: 'stream-chunk', stream, text: piece, bytes: chunk.bytes, time: chunk.time },
      });
    }
  } else if (page.readLength !== undefined && page.readLength > 0) {
    // The text the page read: the stream's first readLength code units, when the wire had them.
    const read = text.slice(0, page.readLength);
    let at = 0;
    let time = page.startTime;
    for (const chunk of x.chunks ?? []) {
      time = chunk.time;
      at += chunk.length;
      if (at >= read.length) break;
    }
    rest.push({ time, rank: RANK.data, record: { type: 'stream-chunk', stream, text: read, bytes: read.length, time } });
  }
  return [...head, ...mergeLists([rest.sort((a, b) => a.time - b.time || a.rank - b.rank), events])];
}

/** Every item by time (stable: events, then comments, retries, fields, warnings at equal times). */
function defaultOrder(messages: Message[], ...others: { time: number }[][]): string {
  const all: { time: number; letter: string }[] = messages.map((m) => ({ time: m.time * 1000, letter: 'e' }));
  others.forEach((items, k) => {
    for (const i of items) all.push({ time: i.time, letter: 'crfw'[k]! });
  });
  return all
    .map((a, index) => ({ ...a, index }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map((a) => a.letter)
    .join('');
}
