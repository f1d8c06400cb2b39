/**
 * Base64 of bytes and of the UTF-8 of a string, with the engine's own `Uint8Array.prototype.toBase64`
 * (Chrome 140+, Firefox 133+: native, no per-byte JavaScript) captured before any page script runs,
 * and a plain fallback for older engines and Node (unit tests).
 */
import { call, natives } from './natives';

const nativeToBase64 = (Uint8Array.prototype as { toBase64?: (this: Uint8Array) => string }).toBase64;
const stringFromCharCode = String.fromCharCode;
const nativeBtoa = globalThis.btoa;
const encoder = new natives.TextEncoder();

/** Bytes per String.fromCharCode call in the fallback (bounded by the engine's argument limit). */
const FALLBACK_PIECE = 0x8000;

export function toBase64(bytes: Uint8Array): string {
  if (nativeToBase64 !== undefined) return call(nativeToBase64, bytes);
  let binary = '';
  for (let start = 0; start < bytes.length; start += FALLBACK_PIECE) {
    binary += natives.apply(stringFromCharCode, null, bytes.subarray(start, start + FALLBACK_PIECE) as unknown as number[]);
  }
  return nativeBtoa(binary);
}

/** Base64 of the UTF-8 encoding of `text` (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Base64(text: string): string {
  if (text.length === 0) return '';
  return toBase64(call(natives.textEncoderEncode, encoder, text) as Uint8Array);
}
