/**
 * JSON for the detail pane: parse event data (never throws), name a node by its path, and format a
 * value for copying. Pure.
 *
 * Numbers are kept exactly as sent: JSON.parse turns `12345678901234567890` into
 * 12345678901234567000 and `1.0` into 1, which would show (and copy) a different value than the
 * one on the wire. Every number whose source text is not what String(number) gives back is kept as
 * a `JsonNumber` holding its source.
 */

/** A number whose source text differs from what the JS number prints as (lost precision, `1.0`, `1e3`, `-0`). */
export class JsonNumber {
  constructor(
    /** The number exactly as in the JSON text. */
    readonly source: string,
    /** The nearest JS number. */
    readonly value: number,
  ) {}
}

export type JsonValue = null | boolean | number | string | JsonNumber | JsonValue[] | { [key: string]: JsonValue };
export type JsonContainer = JsonValue[] | { [key: string]: JsonValue };

export type JsonParse =
  | { ok: true; value: JsonValue }
  | { ok: false; reason: 'invalid' }
  /** Longer than maxLength: not parsed (the caller says so and shows the text). */
  | { ok: false; reason: 'too-large'; length: number };

export const DEFAULT_MAX_JSON_LENGTH = 2 * 1024 * 1024;

/** Parses `text` as JSON; texts longer than `maxLength` code units are not tried. Never throws. */
export function parseJsonData(text: string, maxLength = DEFAULT_MAX_JSON_LENGTH): JsonParse {
  if (text.length > maxLength) return { ok: false, reason: 'too-large', length: text.length };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const inexact = inexactNumbers(text);
  if (inexact.length > 0) {
    try {
      value = parseKeepingNumbers(text, inexact);
    } catch {
      // Too deep for the reviver (RangeError): keep JSON.parse's numbers.
    }
  }
  return { ok: true, value: value as JsonValue };
}

/** [start, end) of each number token of valid JSON `text` whose source is not String(Number(source)). */
function inexactNumbers(text: string): [number, number][] {
  const found: [number, number][] = [];
  const n = text.length;
  for (let i = 0; i < n;) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string (the text is valid JSON: it ends).
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        // digits . e E + -
        if ((d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) i++;
        else break;
      }
      const source = text.slice(start, i);
      if (String(Number(source)) !== source) found.push([start, i]);
    } else {
      i++;
    }
  }
  return found;
}

function randomTag(): string {
  let tag = '';
  for (let i = 0; i < 4; i++) tag += Math.floor(Math.random() * 0x100000000).toString(36);
  return tag;
}

/**
 * Parses `text` again with each inexact number replaced by a string that names it (with a random
 * tag no page can guess), then turns those strings into JsonNumbers.
 */
function parseKeepingNumbers(text: string, inexact: [number, number][]): unknown {
  const tag = `\u0000json-number-${randomTag()}:`;
  const tagJson = JSON.stringify(tag).slice(0, -1); // `"` + the escaped tag
  const sources: string[] = [];
  let rewritten = '';
  let at = 0;
  for (const [start, end] of inexact) {
    sources.push(text.slice(start, end));
    rewritten += `${text.slice(at, start)}${tagJson}${sources.length - 1}"`;
    at = end;
  }
  rewritten += text.slice(at);
  return JSON.parse(rewritten, (_key, value: unknown) => {
    if (typeof value === 'string' && value.startsWith(tag)) {
      const source = sources[Number(value.slice(tag.length))];
      if (source !== undefined) return new JsonNumber(source, Number(source));
    }
    return value;
  });
}

export function isJsonContainer(value: JsonValue): value is JsonContainer {
  return typeof value === 'object' && value !== null && !(value instanceof JsonNumber);
}

/** The children of a container as [key, value] (array indexes as numbers). */
export function jsonEntries(value: JsonContainer): [string | number, JsonValue][] {
  if (Array.isArray(value)) return value.map((v, i) => [i, v]);
  return Object.keys(value).map((k) => [k, value[k]!]);
}

/** Number of children of a container. */
export function jsonSize(value: JsonContainer): number {
  return Array.isArray(value) ? value.length : Object.keys(value).length;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.choices[0].delta["content-type"]`: a JSONPath-like name for a node. */
export function jsonPath(segments: readonly (string | number)[]): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

/**
 * The text to copy for a value: a string as it is (no quotes), a number as sent, an object or
 * array as JSON indented by 2 spaces (numbers as sent).
 */
export function formatValue(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber) return value.source;
  if (!isJsonContainer(value)) return JSON.stringify(value);
  const sources: string[] = [];
  const tag = `json-number-${randomTag()}:`;
  let json: string;
  try {
    json = JSON.stringify(
      value,
      (_key, v: unknown) => {
        if (v instanceof JsonNumber) {
          sources.push(v.source);
          return `${tag}${sources.length - 1}`;
        }
        return v;
      },
      2,
    );
  } catch {
    return '';
  }
  if (sources.length === 0) return json;
  return json.replace(new RegExp(`"${tag}(\\d+)"`, 'g'), (_m, i: string) => sources[Number(i)]!);
}

/** One line of text for a scalar (a string quoted and escaped as JSON), cut at `max` code units. */
export function scalarPreview(value: JsonValue, max = 500): string {
  let text: string;
  if (value instanceof JsonNumber) text = value.source;
  else if (typeof value === 'string') text = JSON.stringify(value.length > max ? value.slice(0, max) : value);
  else text = JSON.stringify(value);
  if (typeof value === 'string' && value.length > max) text = `${text.slice(0, -1)}…"`;
  return text;
}

/** The type of a value, for styling: string, number, boolean, null, object, array. */
export function jsonType(value: JsonValue): 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array' {
  if (value === null) return 'null';
  if (value instanceof JsonNumber) return 'number';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' ? type : 'object';
}
