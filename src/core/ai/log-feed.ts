/**
 * Feeds a LogStore's connections to AI assemblers, incrementally: each `update()` hands every
 * assembler only what its connection received since the last one (new events, or new raw chunks
 * for streams that are not SSE), so keeping the Conversation view live costs O(new data) per
 * update, not O(log). Reads the store; never changes it.
 *
 * SSE streams are fed the events LogStore parsed (fetch/XHR) or the EventSource dispatched. Streams
 * framed as lines (NDJSON, the Vercel AI SDK data stream) are fed the connection's raw chunks, which
 * LogStore keeps for every fetch/XHR stream.
 */
import type { Connection, LogStore } from '../log-store';
import { AiStreamAssembler, type AssemblerOptions } from './assembler';
import { sniffTransport, transportOfHeaders } from './detect';

interface Feed {
  connection: Connection;
  assembler: AiStreamAssembler;
  /** How many of the connection's items / chunks were fed. */
  items: number;
  chunks: number;
  body: string | undefined;
  responded: boolean;
  ended: boolean;
  /** 'sse': feed parsed events; 'lines': feed raw chunks; undefined: not known yet. */
  framing: 'sse' | 'lines' | undefined;
}

export interface LogFeedOptions {
  /** JSON path to accumulate for a connection (by URL), when the user named one. */
  jsonPathFor?: (connection: Connection) => string | undefined;
  stallMs?: number;
}

export class AiLogFeed {
  private readonly feeds = new Map<string, Feed>();
  private items: unknown = null;
  private version = -1;

  constructor(
    readonly store: LogStore,
    private readonly options: LogFeedOptions = {},
  ) {}

  /** Brings every assembler up to date with the store. Cheap when nothing changed. */
  update(): void {
    const store = this.store;
    if (store.version === this.version && store.items === this.items) return;
    // A cleared store has a new items array: start over.
    if (store.items !== this.items) this.feeds.clear();
    this.items = store.items;
    this.version = store.version;
    for (const connection of store.connections.values()) this.updateOne(connection);
  }

  /** The assembler of a connection (created on first sight; undefined for an unknown id). */
  assembler(connectionId: string): AiStreamAssembler | undefined {
    this.update();
    return this.feeds.get(connectionId)?.assembler;
  }

  /** The connections whose stream is an AI protocol, in the store's order, with their assemblers. */
  conversations(): { connection: Connection; assembler: AiStreamAssembler }[] {
    this.update();
    const out: { connection: Connection; assembler: AiStreamAssembler }[] = [];
    for (const feed of this.feeds.values())
      if (feed.assembler.conversation.protocol !== null) out.push({ connection: feed.connection, assembler: feed.assembler });
    return out;
  }

  /** Starts a connection over with other options (e.g. the user named a JSON path). */
  reset(connectionId: string): void {
    this.feeds.delete(connectionId);
    this.version = -1;
  }

  private updateOne(connection: Connection): void {
    let feed = this.feeds.get(connection.id);
    if (feed === undefined || feed.connection !== connection) {
      const jsonPath = this.options.jsonPathFor?.(connection);
      const options: AssemblerOptions = {
        ...(jsonPath === undefined ? {} : { jsonPath }),
        ...(this.options.stallMs === undefined ? {} : { stallMs: this.options.stallMs }),
      };
      feed = {
        connection,
        assembler: new AiStreamAssembler(
          {
            method: connection.method,
            url: connection.url,
            headers: connection.requestHeaders,
            ...(connection.requestBody === undefined ? {} : { body: connection.requestBody.text }),
            time: connection.startTime,
          },
          options,
        ),
        items: 0,
        chunks: 0,
        body: connection.requestBody?.text,
        responded: false,
        ended: false,
        framing: connection.kind === 'eventsource' ? 'sse' : undefined,
      };
      this.feeds.set(connection.id, feed);
    }
    const a = feed.assembler;
    if (connection.requestBody !== undefined && connection.requestBody.text !== feed.body) {
      feed.body = connection.requestBody.text;
      a.requestBody(feed.body);
    }
    const response = connection.response;
    if (!feed.responded && response !== undefined) {
      feed.responded = true;
      a.response({ status: response.status, headers: response.headers, contentType: response.contentType, time: response.time });
      feed.framing ??= transportOfHeaders(response.contentType, response.headers);
    }
    // LogStore decides the framing of every stream (headers, else the first line): follow it.
    feed.framing ??= connection.framing;
    if (a.undetectable) {
      feed.items = store(connection, this.store).length;
      feed.chunks = connection.chunks.length;
    } else {
      if (feed.framing === undefined && connection.chunks.length > 0) {
        // The headers did not say (text/plain...): the first line does.
        feed.framing =
          sniffTransport(connection.chunks.join('').slice(0, 4096)) ??
          (feed.ended || connection.endTime !== undefined ? 'lines' : undefined);
      }
      if (feed.framing === 'sse') {
        const items = store(connection, this.store);
        for (let i = feed.items; i < items.length; i++) {
          const item = items[i]!.item;
          if (item.kind === 'event') a.event(item);
        }
        feed.items = items.length;
      } else if (feed.framing === 'lines') {
        const chunks = connection.chunks;
        const times = connection.chunkTimes;
        for (let i = feed.chunks; i < chunks.length; i++) a.body(chunks[i]!, times?.[i] ?? connection.lastTime);
        feed.chunks = chunks.length;
      }
    }
    if (
      !feed.ended &&
      connection.endTime !== undefined &&
      (feed.framing !== undefined || a.undetectable || connection.chunks.length === 0)
    ) {
      feed.ended = true;
      a.end(connection.endTime);
    }
  }
}

function store(connection: Connection, log: LogStore) {
  return log.itemsByConnection.get(connection.id) ?? [];
}
