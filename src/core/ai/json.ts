/** Small helpers for reading untrusted JSON (every value the page or a server sent). */
import { parse as parsePartialJson } from 'partial-json';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** JSON.parse that answers `undefined` instead of throwing. */
export function tryParse(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function obj(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function arr(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A JSON value as text: strings as they are, anything else as compact JSON. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Whether assembled tool-call arguments are complete JSON (an empty string counts as `{}`). */
export function argumentsParse(text: string): boolean {
  return text.trim() === '' || tryParse(text) !== undefined;
}

/**
 * Tool-call arguments for display: complete JSON pretty-printed; arguments still streaming (or
 * cut short) parsed as far as they go by `partial-json` and pretty-printed, marked `partial`; text
 * that is no JSON at all returned as it is.
 */
export function prettyArguments(text: string): { text: string; partial: boolean; parses: boolean } {
  if (text.trim() === '') return { text: '{}', partial: false, parses: true };
  const whole = tryParse(text);
  if (whole !== undefined) return { text: JSON.stringify(whole, null, 2), partial: false, parses: true };
  try {
    const partial: unknown = parsePartialJson(text);
    return { text: JSON.stringify(partial, null, 2), partial: true, parses: false };
  } catch {
    return { text, partial: false, parses: false };
  }
}
