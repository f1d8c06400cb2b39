/**
 * JSON of our own records. JSON.stringify looks up `toJSON` on every object it serialises: when the
 * page has put one on Object.prototype or Array.prototype it would see, and could change, every
 * record. Then we walk the records ourselves, reading only own properties.
 */
import { hasOwn, natives } from './natives';

function safeJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return value === undefined || typeof value === 'function' ? 'null' : natives.jsonStringify(value);
  }
  if (natives.arrayIsArray(value)) {
    const array = value as unknown[];
    let out = '[';
    for (let i = 0; i < array.length; i++) out += (i === 0 ? '' : ',') + safeJson(array[i]);
    return `${out}]`;
  }
  const keys = natives.objectKeys(value);
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === 'function') continue;
    out += `${first ? '' : ','}${natives.jsonStringify(key)}:${safeJson(member)}`;
    first = false;
  }
  return `${out}}`;
}

function pageHasToJson(): boolean {
  return hasOwn(natives.objectPrototype, 'toJSON') || hasOwn(natives.arrayPrototype, 'toJSON');
}

export function jsonOfOurRecords(value: unknown): string {
  return pageHasToJson() ? safeJson(value) : natives.jsonStringify(value);
}
