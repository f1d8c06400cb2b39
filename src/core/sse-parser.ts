/**
 * Spec-exact Server-Sent Events parser: WHATWG HTML, "Server-sent events", §9.2.5 "Parsing an event
 * stream" and §9.2.6 "Interpreting an event stream".
 *
 * It runs in the page's thread, on every chunk the page reads, so:
 * - lines are found with indexOf over the chunk (each position is scanned a bounded number of
 *   times), and slices of the chunk are taken only for what is kept (values, unknown names);
 * - a line split over chunks is kept as a pending prefix, capped, and the rest of an over-long line
 *   is only counted, so memory stays bounded whatever the server sends;
 * - the built-ins it calls are captured when this module is evaluated (the page-world tap is
 *   evaluated at document_start, before any page script), so a page that later replaces
 *   `String.prototype.indexOf`, `TextDecoder.prototype.decode`, ... neither breaks the parser nor
 *   sees the stream text pass through its replacement.
 */
import type { SseEvent, SseItem, SseSpan, SseWarningCode } from './sse-types';

// ---------------------------------------------------------------------------------------------
// Built-ins, captured once (see above). Tiny wrappers: the JIT inlines them.

const reflectApply = Reflect.apply;
const stringIndexOf = String.prototype.indexOf;
const stringSlice = String.prototype.slice;
const stringCharCodeAt = String.prototype.charCodeAt;
const stringStartsWith = String.prototype.startsWith;
const stringTrim = String.prototype.trim;
const stringTrimStart = String.prototype.trimStart;
const stringToLowerCase = String.prototype.toLowerCase;
const NativeTextDecoder = TextDecoder;
const textDecoderDecode = TextDecoder.prototype.decode;
const NativeNumber = Number;
const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;
const mathFloor = Math.floor;
const STREAM = { stream: true } as const;

function indexOf(s: string, search: string, from: number): number {
  return reflectApply(stringIndexOf, s, [search, from]) as number;
}
function slice(s: string, start: number, end: number): string {
  return reflectApply(stringSlice, s, [start, end]) as string;
}
function charCodeAt(s: string, i: number): number {
  return reflectApply(stringCharCodeAt, s, [i]) as number;
}
function startsWith(s: string, search: string, at: number): boolean {
  return reflectApply(stringStartsWith, s, [search, at]) as boolean;
}

// ---------------------------------------------------------------------------------------------

export interface SseParserOptions {
  /**
   * Cap on one event's data (and on one line), in UTF-16 code units. Default 1_048_576. Beyond it,
   * content is cut, the rest of that line is skipped cheaply (memory stays bounded even for a 50 MB
   * single line), and the event is marked `truncated: { originalLength }` plus a warning item
   * ('line-truncated' / 'event-truncated').
   *
   * Precisely: a field's value (or a comment's text) keeps at most this many code units, a field
   * name at most max(this, 64), and the data buffer (values joined by LF) at most this many.
   */
  maxEventLength?: number;
  /**
   * Initial value of the last event ID buffer (default ""). A browser's EventSource keeps its last
   * event ID across reconnections, so a parser for a reconnected EventSource stream starts from the
   * ID the previous connection ended with.
   */
  lastEventId?: string;
  /**
   * Give every item a `span`: where its raw text is in the text pushed (see SseSpan). Off by
   * default: the page-world tap never pays for it; the panel's LogStore turns it on.
   */
  spans?: boolean;
  /** With `spans`: the offset of the first text pushed (default 0), e.g. text already seen. */
  spanOffset?: number;
}

export const DEFAULT_MAX_EVENT_LENGTH = 1_048_576;
/** Field names are kept up to max(maxEventLength, MIN_NAME_CAP) code units. */
const MIN_NAME_CAP = 64;
/** Longest name or value quoted in a warning message. */
const QUOTE_MAX = 40;

const LF = 0x0a;
const SPACE = 0x20;
const COLON = 0x3a;

function warning(code: SseWarningCode, message: string, time: number): SseItem {
  return { kind: 'warning', code, message, time };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A string for a warning message: cut to QUOTE_MAX code units. */
function quote(s: string): string {
  return s.length <= QUOTE_MAX ? s : `${slice(s, 0, QUOTE_MAX)}…`;
}

const HEX = '0123456789ABCDEF';
function hex4(code: number): string {
  return `U+${HEX[(code >> 12) & 15]!}${HEX[(code >> 8) & 15]!}${HEX[(code >> 4) & 15]!}${HEX[code & 15]!}`;
}

/** Names a run of whitespace that String.prototype.trim removed ("space", "2 tabs", "BOM"...). */
function describeWhitespace(run: string, where: 'leading' | 'trailing'): string {
  const first = charCodeAt(run, 0);
  for (let i = 1; i < run.length; i++) {
    if (charCodeAt(run, i) !== first) return `${where} whitespace`;
  }
  let what: string;
  switch (first) {
    case 0x20:
      what = 'space';
      break;
    case 0x09:
      what = 'tab';
      break;
    case 0xfeff:
      what = 'BOM (U+FEFF)';
      return run.length === 1 ? `${where} ${what}` : `${run.length} ${where} BOMs (U+FEFF)`;
    case 0xa0:
      what = 'no-break space (U+00A0)';
      return run.length === 1 ? `${where} ${what}` : `${run.length} ${where} no-break spaces (U+00A0)`;
    default:
      return `${where} whitespace (${hex4(first)})`;
  }
  return run.length === 1 ? `${where} ${what}` : `${run.length} ${where} ${what}s`;
}

const KNOWN_FIELDS: readonly string[] = ['data', 'event', 'id', 'retry'];

/**
 * For an unknown field name that is a known one with other case or surrounding whitespace
 * (`event `, `Data`, ` id`, a BOM before `data`...), the warning message; otherwise null.
 */
export function nearMissMessage(name: string): string | null {
  if (name.length > MIN_NAME_CAP) return null;
  const trimmed = reflectApply(stringTrim, name, []) as string;
  const lower = reflectApply(stringToLowerCase, trimmed, []) as string;
  let known = false;
  for (let i = 0; i < KNOWN_FIELDS.length; i++) if (KNOWN_FIELDS[i] === lower) known = true;
  if (!known) return null;
  const reasons: string[] = [];
  const leading = name.length - (reflectApply(stringTrimStart, name, []) as string).length;
  if (leading > 0) reasons[reasons.length] = describeWhitespace(slice(name, 0, leading), 'leading');
  const trailing = name.length - leading - trimmed.length;
  if (trailing > 0) reasons[reasons.length] = describeWhitespace(slice(name, name.length - trailing, name.length), 'trailing');
  if (trimmed !== lower) reasons[reasons.length] = 'different case; field names are case-sensitive';
  let because = reasons[0]!;
  for (let i = 1; i < reasons.length; i++) because += `, ${reasons[i]!}`;
  return `field \`${name}\` (${because}) is not \`${lower}\`: ignored`;
}

/** True when s[start, end) is non-empty and only ASCII digits. */
function isAsciiDigits(s: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const c = charCodeAt(s, i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * Parses already-decoded text (WHATWG "Server-sent events" §9.2.5/9.2.6 event stream
 * interpretation). Does NOT strip a BOM (the decoder does that).
 */
export class SseTextParser {
  private readonly cap: number;
  private readonly nameCap: number;

  // --- the event being built (the spec's buffers, plus what we show about them)
  /** Kept data: the spec's data buffer without its trailing LF, cut to `cap`. */
  private data = '';
  /** Number of `data` lines in the block (0 means the spec's data buffer is empty). */
  private dataLines = 0;
  /** True length of `data` (what the spec's data buffer minus its trailing LF would hold). */
  private dataLength = 0;
  /** The data buffer grew past `cap` (several lines together, not one line alone). */
  private dataCut = false;
  private eventType = '';
  private lastId: string;
  /** A valid `id` field appeared in this block. */
  private idInBlock = false;

  // --- line assembly across chunks
  /** Kept prefix of the current unterminated line. */
  private partial = '';
  /** True length of the current unterminated line (0: none). */
  private partialLength = 0;
  /** Where the pending line gets cut, once it is long enough to tell (-1: not yet). */
  private lineLimit = -1;
  /** The last chunk ended with CR: an LF at the start of the next one belongs to it. */
  private skipLF = false;

  // --- spans (only with `spans: true`)
  private readonly spans: boolean;
  /** Offset of the current chunk's first code unit in all the text pushed (plus `spanOffset`). */
  private offset = 0;
  /** Where the current block's first line starts. */
  private blockStart = 0;
  /** Where the pending (unterminated) line starts, while `partialLength > 0`. */
  private partialStart = 0;
  /** Spans given for a line that ended with the CR ending the last chunk (an LF may follow). */
  private crSpans: SseSpan[] | null = null;

  constructor(options?: SseParserOptions) {
    const max = options?.maxEventLength;
    this.cap = typeof max === 'number' && max === max ? (max < 1 ? 1 : mathFloor(max)) : DEFAULT_MAX_EVENT_LENGTH;
    this.nameCap = this.cap > MIN_NAME_CAP ? this.cap : MIN_NAME_CAP;
    this.lastId = options?.lastEventId ?? '';
    this.spans = options?.spans === true;
    const spanOffset = options?.spanOffset;
    if (this.spans && typeof spanOffset === 'number' && spanOffset > 0) this.offset = this.blockStart = spanOffset;
  }

  /** The last event ID buffer (persists across events). */
  get lastEventId(): string {
    return this.lastId;
  }

  /** Feed the next chunk of text, delivered at `time` (epoch ms). Appends produced items to `out`. */
  push(text: string, time: number, out: SseItem[]): void {
    const n = text.length;
    const spans = this.spans;
    let pos = 0;
    if (this.skipLF) {
      if (n === 0) return;
      this.skipLF = false;
      if (charCodeAt(text, 0) === LF) {
        pos = 1;
        if (spans) this.crLF();
      }
      this.crSpans = null;
    }
    // Next LF, CR and colon at or after `pos`: -2 not searched yet, -1 none in the rest of the chunk.
    let nextLF = -2;
    let nextCR = -2;
    let nextColon = -2;
    while (pos < n) {
      if (nextLF !== -1 && nextLF < pos) nextLF = indexOf(text, '\n', pos);
      if (nextCR !== -1 && nextCR < pos) nextCR = indexOf(text, '\r', pos);
      let eol: number;
      if (nextLF === -1) {
        if (nextCR === -1) break;
        eol = nextCR;
      } else {
        eol = nextCR === -1 || nextLF < nextCR ? nextLF : nextCR;
      }

      let first = 0;
      let lineStart = 0;
      let blank = false;
      if (spans) {
        first = out.length;
        lineStart = this.partialLength > 0 ? this.partialStart : this.offset + pos;
        blank = this.partialLength === 0 && eol === pos;
      }

      if (this.partialLength === 0 && eol - pos <= this.cap) {
        if (eol === pos) {
          this.dispatch(time, out);
        } else {
          if (nextColon !== -1 && nextColon < pos) nextColon = indexOf(text, ':', pos);
          this.line(text, pos, eol, nextColon !== -1 && nextColon < eol ? nextColon : -1, eol - pos, time, out);
        }
      } else {
        this.appendPartial(text, pos, eol);
        this.finishPartial(time, out);
      }

      if (eol === nextCR) {
        if (eol + 1 < n) {
          pos = charCodeAt(text, eol + 1) === LF ? eol + 2 : eol + 1;
        } else {
          this.skipLF = true;
          pos = n;
        }
      } else {
        pos = eol + 1;
      }
      if (spans) this.spanLine(out, first, lineStart, this.offset + pos, blank);
    }
    if (pos < n) {
      if (spans && this.partialLength === 0) this.partialStart = this.offset + pos;
      this.appendPartial(text, pos, n);
    }
    this.offset += n;
  }

  /** Gives the items of one line out[first...] their spans (the line, or its block for a blank line). */
  private spanLine(out: SseItem[], first: number, lineStart: number, lineEnd: number, blank: boolean): void {
    const start = blank ? this.blockStart : lineStart;
    if (blank) this.blockStart = lineEnd;
    let crSpans: SseSpan[] | null = null;
    if (this.skipLF) crSpans = this.crSpans = [];
    for (let i = first; i < out.length; i++) {
      const span: SseSpan = { start, end: lineEnd };
      out[i]!.span = span;
      if (crSpans !== null) crSpans[crSpans.length] = span;
    }
  }

  /** The LF that starts this chunk ends the line the last chunk's final CR ended. */
  private crLF(): void {
    // blockStart equals the chunk's offset only when that CR ended a blank line.
    if (this.blockStart === this.offset) this.blockStart++;
    const crSpans = this.crSpans;
    if (crSpans !== null) for (let i = 0; i < crSpans.length; i++) crSpans[i]!.end++;
  }

  /**
   * End of stream at `time`: discards any pending incomplete event (spec) and, if there was pending
   * data/fields (data lines, an event type, a valid id, or an unterminated line other than a
   * comment), appends a warning 'incomplete-final-event'. The parser is then ready for a new
   * stream (the last event ID buffer is kept).
   */
  end(time: number, out: SseItem[]): void {
    const pending: string[] = [];
    if (this.dataLines > 0)
      pending[pending.length] = `${plural(this.dataLines, 'data line')} (${plural(this.dataLength, 'code unit')})`;
    if (this.eventType !== '') pending[pending.length] = `event type \`${quote(this.eventType)}\``;
    if (this.idInBlock)
      pending[pending.length] =
        `id \`${quote(this.lastId)}\` (not dispatched: a reconnecting EventSource would not send it as Last-Event-ID)`;
    if (this.partialLength > 0 && charCodeAt(this.partial, 0) !== COLON) {
      pending[pending.length] = `an unterminated line of ${plural(this.partialLength, 'code unit')}`;
    }
    if (pending.length > 0) {
      let what = pending[0]!;
      for (let i = 1; i < pending.length; i++) what += `, ${pending[i]!}`;
      const item = warning(
        'incomplete-final-event',
        `stream ended before the blank line that would dispatch the last event: discarded (${what})`,
        time,
      );
      if (this.spans) item.span = { start: this.blockStart, end: this.offset };
      out[out.length] = item;
    }
    this.resetBlock();
    this.partial = '';
    this.partialLength = 0;
    this.lineLimit = -1;
    this.skipLF = false;
    this.crSpans = null;
    this.blockStart = this.offset;
  }

  private resetBlock(): void {
    this.data = '';
    this.dataLines = 0;
    this.dataLength = 0;
    this.dataCut = false;
    this.eventType = '';
    this.idInBlock = false;
  }

  /** Adds text[start, end) to the pending line, keeping at most its line limit. */
  private appendPartial(text: string, start: number, end: number): void {
    const length = end - start;
    if (length === 0) return;
    this.partialLength += length;
    if (this.lineLimit < 0) {
      // Keep everything until the line is long enough to tell where its value starts.
      const threshold = this.nameCap + 2;
      const kept = this.partial.length;
      if (kept + length < threshold) {
        this.partial += slice(text, start, end);
        return;
      }
      this.partial += slice(text, start, start + threshold - kept);
      start += threshold - kept;
      this.lineLimit = this.limitOf(this.partial);
      if (this.partial.length > this.lineLimit) {
        this.partial = slice(this.partial, 0, this.lineLimit);
        return;
      }
    }
    const room = this.lineLimit - this.partial.length;
    if (room > 0 && start < end) this.partial += slice(text, start, end - start > room ? start + room : end);
  }

  /** Where a line starting with `s` gets cut (s holds the char after the colon, if any colon). */
  private limitOf(s: string): number {
    const colon = indexOf(s, ':', 0);
    if (colon === -1 || colon > this.nameCap) return this.nameCap;
    let valueStart = colon + 1;
    if (colon > 0 && charCodeAt(s, valueStart) === SPACE) valueStart++;
    return valueStart + this.cap;
  }

  /** The pending line just ended. */
  private finishPartial(time: number, out: SseItem[]): void {
    let line = this.partial;
    const length = this.partialLength;
    if (this.lineLimit < 0 && line.length > this.cap) {
      const limit = this.limitOf(line);
      if (line.length > limit) line = slice(line, 0, limit);
    }
    this.partial = '';
    this.partialLength = 0;
    this.lineLimit = -1;
    if (length === 0) this.dispatch(time, out);
    else this.line(line, 0, line.length, indexOf(line, ':', 0), length, time, out);
  }

  /**
   * Processes the non-empty line src[start, end), whose first colon is at `colon` (-1: none).
   * `length` is the line's true length: more than end - start when it was cut.
   */
  private line(src: string, start: number, end: number, colon: number, length: number, time: number, out: SseItem[]): void {
    const cut = length > end - start;
    if (colon === start) {
      const text = slice(src, start + 1, end);
      out[out.length] = { kind: 'comment', text, time };
      if (cut) {
        out[out.length] = warning(
          'line-truncated',
          `comment of ${plural(length - 1, 'code unit')} cut to its first ${text.length}`,
          time,
        );
      }
      return;
    }
    let nameEnd: number;
    let valueStart: number;
    if (colon === -1) {
      nameEnd = end;
      valueStart = end;
    } else {
      nameEnd = colon;
      valueStart = colon + 1;
      if (valueStart < end && charCodeAt(src, valueStart) === SPACE) valueStart++;
    }
    const nameLength = nameEnd - start;
    const valueLength = colon === -1 ? 0 : length - (valueStart - start);
    let name: string;

    if (nameLength === 4 && startsWith(src, 'data', start)) {
      name = 'data';
      this.appendData(slice(src, valueStart, end), valueLength);
    } else if (nameLength === 5 && startsWith(src, 'event', start)) {
      name = 'event';
      this.eventType = slice(src, valueStart, end);
    } else if (nameLength === 2 && startsWith(src, 'id', start)) {
      name = 'id';
      const value = slice(src, valueStart, end);
      if (indexOf(value, '\0', 0) !== -1) {
        out[out.length] = warning(
          'id-contains-nul',
          `id field contains U+0000 NULL: ignored (the last event ID stays \`${quote(this.lastId)}\`)`,
          time,
        );
      } else {
        this.lastId = value;
        this.idInBlock = true;
      }
    } else if (nameLength === 5 && startsWith(src, 'retry', start)) {
      name = 'retry';
      if (isAsciiDigits(src, valueStart, end)) {
        const ms = NativeNumber(slice(src, valueStart, end));
        out[out.length] = { kind: 'retry', milliseconds: ms > MAX_SAFE_INTEGER ? MAX_SAFE_INTEGER : ms, time };
      } else {
        out[out.length] = warning(
          'retry-not-digits',
          valueStart === end
            ? 'retry field with an empty value: ignored'
            : `retry value \`${quote(slice(src, valueStart, end))}\` is not ASCII digits only: ignored`,
          time,
        );
      }
    } else {
      name = slice(src, start, nameEnd);
      out[out.length] = { kind: 'field', name, value: slice(src, valueStart, end), time };
      const message = nearMissMessage(name);
      if (message !== null) out[out.length] = warning('unknown-field', message, time);
    }

    if (cut) {
      out[out.length] = warning(
        'line-truncated',
        colon === -1
          ? `line of ${plural(length, 'code unit')} without a colon in its first ${this.nameCap + 1}: field name cut to \`${quote(name)}\``
          : `\`${quote(name)}\` value of ${plural(valueLength, 'code unit')} cut to its first ${end - valueStart}`,
        time,
      );
    }
  }

  /** The spec's "append the field value to the data buffer, then append LF", with the cap. */
  private appendData(value: string, valueLength: number): void {
    const separator = this.dataLines === 0 ? 0 : 1;
    if (!this.dataCut) {
      const room = this.cap - this.data.length;
      if (separator + value.length <= room) {
        this.data = separator === 0 ? value : this.data + '\n' + value;
      } else {
        this.dataCut = true;
        if (separator === 0) this.data = slice(value, 0, room);
        else if (room > 0) this.data = this.data + '\n' + slice(value, 0, room - 1);
      }
    }
    this.dataLength += separator + valueLength;
    this.dataLines++;
  }

  /** The spec's "dispatch the event" (a blank line). */
  private dispatch(time: number, out: SseItem[]): void {
    if (this.dataLines === 0) {
      if (this.eventType !== '') {
        out[out.length] = warning(
          'event-without-data',
          `event \`${quote(this.eventType)}\` has no data line: nothing dispatched (the spec drops a block whose data buffer is empty)`,
          time,
        );
      }
      this.resetBlock();
      return;
    }
    if (this.dataCut) {
      out[out.length] = warning(
        'event-truncated',
        `event data of ${plural(this.dataLength, 'code unit')} (${plural(this.dataLines, 'data line')}) cut to its first ${this.data.length}`,
        time,
      );
    }
    const event: SseEvent = {
      kind: 'event',
      type: this.eventType === '' ? 'message' : this.eventType,
      data: this.data,
      lastEventId: this.lastId,
      time,
    };
    if (this.idInBlock) event.idSet = true;
    if (this.dataLength !== this.data.length) event.truncated = { originalLength: this.dataLength };
    out[out.length] = event;
    this.resetBlock();
  }
}

/**
 * Byte front end: decodes as UTF-8 with a streaming TextDecoder (invalid bytes → U+FFFD, one
 * leading BOM stripped), then feeds SseTextParser. Also counts bytes.
 */
export class SseByteParser {
  private readonly decoder: TextDecoder = new NativeTextDecoder('utf-8');
  private readonly parser: SseTextParser;
  private byteCount = 0;

  constructor(options?: SseParserOptions) {
    this.parser = new SseTextParser(options);
  }

  /** Bytes pushed so far. */
  get bytes(): number {
    return this.byteCount;
  }

  /** The last event ID buffer (persists across events). */
  get lastEventId(): string {
    return this.parser.lastEventId;
  }

  /** Returns the decoded text of this chunk (callers keep it as the raw stream text). */
  push(bytes: Uint8Array, time: number, out: SseItem[]): string {
    this.byteCount += bytes.byteLength;
    const text = reflectApply(textDecoderDecode, this.decoder, [bytes, STREAM]) as string;
    if (text.length > 0) this.parser.push(text, time, out);
    return text;
  }

  /** Flushes the decoder (an incomplete sequence becomes U+FFFD); returns any trailing decoded text. */
  end(time: number, out: SseItem[]): string {
    const text = reflectApply(textDecoderDecode, this.decoder, []) as string;
    if (text.length > 0) this.parser.push(text, time, out);
    this.parser.end(time, out);
    return text;
  }
}
