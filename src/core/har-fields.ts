/**
 * Reading the fields of a JSON file (a HAR) with the path of a wrong one: each reader checks the
 * type and throws a `BadField` naming where (`log.entries[3].response.status`) and what was expected.
 */
import type { HeaderEntry } from '../protocol';

export class BadField extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path} should be ${expected}`);
  }
}

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A time (epoch ms) a Date can hold, as protocol.ts requires. */
export const isTime = (v: number): boolean => Number.isFinite(v) && Math.abs(v) <= 8.64e15;

export function object(v: unknown, path: string): Json {
  if (!isObject(v)) throw new BadField(path, 'an object');
  return v;
}
export function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new BadField(path, 'an array');
  return v;
}
export function string(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new BadField(`${path}.${key}`, 'a string');
  return v;
}
export function optString(o: Json, key: string, path: string): string | undefined {
  return o[key] === undefined ? undefined : string(o, key, path);
}
export function number(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadField(`${path}.${key}`, 'a number');
  return v;
}
export function optNumber(o: Json, key: string, path: string): number | undefined {
  return o[key] === undefined ? undefined : number(o, key, path);
}
export function time(o: Json, key: string, path: string): number {
  const v = number(o, key, path);
  if (!isTime(v)) throw new BadField(`${path}.${key}`, 'a time');
  return v;
}
export function optBoolean(o: Json, key: string, path: string): boolean | undefined {
  const v = o[key];
  if (v !== undefined && typeof v !== 'boolean') throw new BadField(`${path}.${key}`, 'true or false');
  return v as boolean | undefined;
}
export function oneOf<T extends string>(o: Json, key: string, path: string, values: readonly T[]): T {
  const v = o[key];
  if (typeof v !== 'string' || !values.includes(v as T)) throw new BadField(`${path}.${key}`, `one of ${values.join(', ')}`);
  return v as T;
}
export function list<T>(o: Json, key: string, path: string, read: (item: Json, path: string) => T): T[] {
  return array(o[key], `${path}.${key}`).map((item, i) => read(object(item, `${path}.${key}[${i}]`), `${path}.${key}[${i}]`));
}
export function headers(o: Json, key: string, path: string): HeaderEntry[] {
  if (o[key] === undefined) return [];
  return list(o, key, path, (h, p) => ({ name: string(h, 'name', p), value: string(h, 'value', p) }));
}

export function numbers(v: unknown, path: string): number[] {
  return array(v, path).map((n, i) => {
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new BadField(`${path}[${i}]`, 'a number');
    return n;
  });
}

export function nonNegative(o: Json | undefined, key: string, path: string): number {
  if (o === undefined || o[key] === undefined) return 0;
  return Math.max(0, number(o, key, path));
}
