/**
 * Built-ins captured before any page script runs (we are injected at document_start), so that a
 * page that later replaces `JSON.stringify`, `Array.prototype.push`, `WeakMap.prototype.get`,
 * `dispatchEvent`... neither breaks the tap nor sees us call its replacements.
 *
 * Call captured methods through `call(fn, thisArg, ...args)` (a captured Reflect.apply), never
 * through `fn.call(...)`, which the page could have replaced.
 */
const ReflectApply = Reflect.apply;
const ReflectConstruct = Reflect.construct;

export const natives = {
  apply: ReflectApply,
  construct: ReflectConstruct,
  defineProperty: Object.defineProperty,
  getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
  getPrototypeOf: Object.getPrototypeOf,
  Proxy,
  WeakMap,
  weakMapGet: WeakMap.prototype.get,
  weakMapSet: WeakMap.prototype.set,
  weakMapHas: WeakMap.prototype.has,
  jsonStringify: JSON.stringify,
  promiseThen: Promise.prototype.then,
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  performanceNow: performance.now,
  performance,
  timeOrigin: performance.timeOrigin,
  mathRandom: Math.random,
  dateNow: Date.now,
  String,
  stringSlice: String.prototype.slice,
  stringIndexOf: String.prototype.indexOf,
  stringToLowerCase: String.prototype.toLowerCase,
  stringTrim: String.prototype.trim,
  arrayIsArray: Array.isArray,
  numberToString: Number.prototype.toString,
  TextDecoder,
  textDecoderDecode: TextDecoder.prototype.decode,
  Uint8Array,
  ArrayBuffer,
  arrayBufferIsView: ArrayBuffer.isView,
  CustomEvent,
  dispatchEvent: EventTarget.prototype.dispatchEvent,
  addEventListener: EventTarget.prototype.addEventListener,
  removeEventListener: EventTarget.prototype.removeEventListener,
} as const;

/** `fn.call(thisArg, ...args)` that the page cannot intercept. */
export function call<R>(fn: (...args: never[]) => R, thisArg: unknown, ...args: unknown[]): R {
  return ReflectApply(fn as (...a: unknown[]) => R, thisArg, args);
}

/** Epoch milliseconds with sub-millisecond precision. */
export function now(): number {
  return natives.timeOrigin + call(natives.performanceNow, natives.performance);
}

/** A WeakMap whose operations the page cannot intercept. */
export class SafeWeakMap<K extends object, V> {
  private readonly map = new natives.WeakMap<K, V>();
  get(key: unknown): V | undefined {
    return call(natives.weakMapGet, this.map, key) as V | undefined;
  }
  set(key: K, value: V): void {
    call(natives.weakMapSet, this.map, key, value);
  }
  has(key: unknown): boolean {
    return call(natives.weakMapHas, this.map, key) as boolean;
  }
}

/** Getter of an accessor property on a prototype, captured now. */
export function getter<T>(proto: object, key: PropertyKey): ((this: unknown) => T) | undefined {
  const descriptor = natives.getOwnPropertyDescriptor(proto, key);
  return descriptor?.get as ((this: unknown) => T) | undefined;
}

/** Reads a property through a captured getter. */
export function read<T>(get: ((this: unknown) => T) | undefined, target: unknown): T | undefined {
  return get === undefined ? undefined : (call(get, target) as T);
}
