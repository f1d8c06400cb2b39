/**
 * The raw view's model: the exact wire text of an item split into lines, each with its line ending
 * made visible (␍␊, ␊, ␍) and classified the way the parser reads it, plus invisible characters
 * (BOM, NUL, tabs, other controls) named so they can be shown. Pure.
 */
import type { SseItem } from './sse-types';

export type LineEnding = '\r\n' | '\n' | '\r' | '';

/**
 * How the parser reads a line: a known field, an unknown (ignored) field, a comment, or a blank
 * line (which dispatches the event).
 */
export type RawLineKind = 'data' | 'event' | 'id' | 'retry' | 'unknown' | 'comment' | 'blank';

export interface RawLine {
  kind: RawLineKind;
  /** Field name ('' for a comment or a blank line). */
  name: string;
  /** What separates name and value: ':' or ': ' (one space is removed), '' when the line has no colon. For a comment, ':'. */
  separator: string;
  /** Field value or comment text (as kept: cut to `maxLineLength` with `cut` set). */
  value: string;
  ending: LineEnding;
  /** The ending made visible: '␍␊', '␊', '␍', or '' for an unterminated line. */
  endingLabel: string;
  /** Where the line starts in the text given. */
  start: number;
  /** Code units of the line (ending excluded) not kept, beyond `maxLineLength`. */
  cut: number;
}

export interface RawLines {
  lines: RawLine[];
  /** Lines not listed, beyond `maxLines`. */
  omittedLines: number;
}

const ENDING_LABELS: Record<LineEnding, string> = { '\r\n': '␍␊', '\n': '␊', '\r': '␍', '': '' };
const KNOWN = new Set(['data', 'event', 'id', 'retry']);

/** Splits raw stream text into lines (CRLF, LF or CR), at most `maxLines`, each cut at `maxLineLength`. */
export function splitRawLines(raw: string, maxLineLength = 10_000, maxLines = 5_000): RawLines {
  const lines: RawLine[] = [];
  let pos = 0;
  let omittedLines = 0;
  const n = raw.length;
  while (pos < n) {
    let eol = pos;
    while (eol < n) {
      const c = raw.charCodeAt(eol);
      if (c === 0x0a || c === 0x0d) break;
      eol++;
    }
    let ending: LineEnding = '';
    if (eol < n) ending = raw.charCodeAt(eol) === 0x0a ? '\n' : raw.charCodeAt(eol + 1) === 0x0a ? '\r\n' : '\r';
    if (lines.length < maxLines) {
      lines.push(classify(raw, pos, eol, ending, maxLineLength));
    } else {
      omittedLines++;
    }
    pos = eol + ending.length;
  }
  return { lines, omittedLines };
}

function classify(raw: string, start: number, end: number, ending: LineEnding, max: number): RawLine {
  const length = end - start;
  const keptEnd = length > max ? start + max : end;
  const line: RawLine = {
    kind: 'blank',
    name: '',
    separator: '',
    value: '',
    ending,
    endingLabel: ENDING_LABELS[ending],
    start,
    cut: end - keptEnd,
  };
  if (length === 0) return line;
  let colon = start;
  while (colon < end && raw.charCodeAt(colon) !== 0x3a) colon++;
  if (colon === start) {
    line.kind = 'comment';
    line.separator = ':';
    line.value = raw.slice(start + 1, keptEnd);
    return line;
  }
  if (colon >= keptEnd) {
    // No colon (or none before the cut): the whole line is the name.
    line.name = raw.slice(start, keptEnd);
  } else {
    line.name = raw.slice(start, colon);
    const space = colon + 1 < end && raw.charCodeAt(colon + 1) === 0x20;
    line.separator = space ? ': ' : ':';
    line.value = raw.slice(Math.min(colon + line.separator.length, keptEnd), keptEnd);
  }
  line.kind = KNOWN.has(line.name) ? (line.name as RawLineKind) : 'unknown';
  return line;
}

/** A piece of a line: plain text, or an invisible character shown by a visible label. */
export type Segment = { text: string } | { text: string; special: string };

/**
 * Splits text into plain runs and invisible or confusable characters, each with a visible label:
 * C0 controls and DEL as Control Pictures (␀ ␉ …), BOM, no-break and zero-width spaces, bidi
 * controls and line/paragraph separators as `U+XXXX` names.
 */
export function visibleSegments(text: string): Segment[] {
  const segments: Segment[] = [];
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const label = specialLabel(text.charCodeAt(i));
    if (label === null) continue;
    if (i > run) segments.push({ text: text.slice(run, i) });
    segments.push({ text: text[i]!, special: label });
    run = i + 1;
  }
  if (run < text.length) segments.push({ text: text.slice(run) });
  return segments;
}

function specialLabel(c: number): string | null {
  if (c < 0x20) return String.fromCharCode(0x2400 + c);
  if (c === 0x7f) return '␡';
  if (c === 0xfeff) return 'BOM';
  if (
    c === 0xa0 ||
    (c >= 0x200b && c <= 0x200f) ||
    c === 0x2028 ||
    c === 0x2029 ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  ) {
    return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}

/**
 * For an item that came without raw text (EventSource: the browser parsed the stream), a wire form
 * that would produce it: `event:` when the type is not "message", `id:` when it has an ID, one
 * `data:` per line of data, and the blank line. It is a reconstruction, not what was sent (comments,
 * field order, spaces, line endings and repeated fields are unknown). Null for other items.
 */
export function reconstructWire(item: SseItem): string | null {
  if (item.kind !== 'event') return null;
  let text = '';
  if (item.type !== 'message') text += `event: ${item.type}\n`;
  if (item.idSet === true || item.lastEventId !== '') text += `id: ${item.lastEventId}\n`;
  for (const line of item.data.split('\n')) text += line === '' ? 'data:\n' : `data: ${line}\n`;
  return `${text}\n`;
}
