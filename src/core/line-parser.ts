/**
 * Streams that are not SSE but lines of records: NDJSON / JSON Lines (Ollama's `/api/chat`,
 * `application/x-ndjson`) and the Vercel AI SDK data stream (`0:"text"` parts, announced by the
 * `x-vercel-ai-data-stream` header). LogStore shows each line as one record, labelled as not SSE.
 * Pure: no DOM, no browser APIs.
 *
 * A record is an `SseEvent` of type LINE_RECORD_TYPE whose data is the line without its ending,
 * so the table, filters, timeline, JSON tree and exports read it like any event; the connection's
 * `framing: 'lines'` says it is not SSE. Lines end at LF (a CR before it is part of the ending,
 * and a lone CR is kept as text: NDJSON is LF-delimited). Blank lines are skipped. A final line
 * without its LF is a record too (the stream ended there). Each record gets the time of the chunk
 * that completed it and, with `spans`, where its raw text (ending included) is.
 */
import type { SseItem } from './sse-types';
import { DEFAULT_MAX_EVENT_LENGTH } from './sse-parser';

/** The type of the events a line-framed stream's records are shown as. */
export const LINE_RECORD_TYPE = 'line';

export interface LineParserOptions {
  /** Cap on one line, in UTF-16 code units (default as the SSE parser's): beyond it, cut and marked. */
  maxEventLength?: number;
  /** Give every record a `span` (offsets into the text pushed, plus `spanOffset`). */
  spans?: boolean;
  spanOffset?: number;
}

export class LineTextParser {
  private readonly cap: number;
  private readonly spans: boolean;
  /** Kept prefix of the pending line (at most `cap` + 1 code units, for a trailing CR). */
  private partial = '';
  /** True length of the pending line. */
  private partialLength = 0;
  /** The last code unit of the pending line (-1: empty). */
  private lastCode = -1;
  /** Where the pending line starts in all the text pushed (with spanOffset). */
  private lineStart: number;
  /** Offset of the next text pushed. */
  private offset: number;

  constructor(options: LineParserOptions = {}) {
    this.cap = options.maxEventLength ?? DEFAULT_MAX_EVENT_LENGTH;
    this.spans = options.spans === true;
    this.offset = options.spanOffset ?? 0;
    this.lineStart = this.offset;
  }

  /** Feeds a chunk: every line it completes is appended to `out`, stamped `time`. */
  push(text: string, time: number, out: SseItem[]): void {
    let from = 0;
    for (;;) {
      const lf = text.indexOf('\n', from);
      if (lf === -1) break;
      this.take(text, from, lf);
      this.emit(this.offset + lf + 1, time, out);
      from = lf + 1;
    }
    this.take(text, from, text.length);
    this.offset += text.length;
  }

  /** The stream is over: a final line without its LF is a record too. */
  end(time: number, out: SseItem[]): void {
    if (this.partialLength > 0) this.emit(this.offset, time, out);
  }

  private take(text: string, start: number, end: number): void {
    const room = this.cap + 1 - this.partial.length;
    if (room > 0 && end > start) this.partial += text.slice(start, Math.min(end, start + room));
    if (end > start) this.lastCode = text.charCodeAt(end - 1);
    this.partialLength += end - start;
  }

  private emit(spanEnd: number, time: number, out: SseItem[]): void {
    let length = this.partialLength;
    let data = this.partial;
    // CRLF: the CR belongs to the line ending.
    if (length > 0 && this.lastCode === 0x0d) {
      length--;
      if (data.length > length) data = data.slice(0, length);
    }
    const start = this.lineStart;
    this.partial = '';
    this.partialLength = 0;
    this.lastCode = -1;
    this.lineStart = spanEnd;
    if (length === 0 || /^[ \t\r]*$/.test(data)) return;
    const truncated = length > this.cap;
    if (data.length > this.cap) data = data.slice(0, this.cap);
    out.push({
      kind: 'event',
      type: LINE_RECORD_TYPE,
      data,
      lastEventId: '',
      time,
      ...(truncated ? { truncated: { originalLength: length } } : {}),
      ...(this.spans ? { span: { start, end: spanEnd } } : {}),
    });
    if (truncated) {
      out.push({
        kind: 'warning',
        code: 'line-truncated',
        message: `line of ${length} characters cut to ${this.cap}`,
        time,
        ...(this.spans ? { span: { start, end: spanEnd } } : {}),
      });
    }
  }
}
