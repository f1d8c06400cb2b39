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

interface SchedulerLike {
  postTask(callback: () => void, options?: { delay?: number }): Promise<unknown>;
}
const scheduler = (globalThis as { scheduler?: SchedulerLike }).scheduler;

export const natives = {
  apply: ReflectApply,
  construct: ReflectConstruct,
  defineProperty: Object.defineProperty,
  getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
  getPrototypeOf: Object.getPrototypeOf,
  objectCreate: Object.create,
  setPrototypeOf: Object.setPrototypeOf,
  reflectSetPrototypeOf: Reflect.setPrototypeOf,
  hasOwnProperty: Object.prototype.hasOwnProperty,
  objectKeys: Object.keys,
  objectPrototype: Object.prototype,
  arrayPrototype: Array.prototype,
  Proxy,
  Error,
  TypeError,
  /** Error.isError: true for real Error objects and DOMExceptions, false for anything else (proxies too). */
  errorIsError: (Error as { isError?: (value: unknown) => boolean }).isError,
  WeakMap,
  weakMapGet: WeakMap.prototype.get,
  weakMapSet: WeakMap.prototype.set,
  weakMapHas: WeakMap.prototype.has,
  jsonStringify: JSON.stringify,
  jsonParse: JSON.parse,
  Promise,
  promiseThen: Promise.prototype.then,
  /** scheduler.postTask, where there is one: its delayed tasks take no setTimeout id the page could count. */
  scheduler,
  schedulerPostTask: scheduler?.postTask,
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
  stringToUpperCase: String.prototype.toUpperCase,
  stringCharCodeAt: String.prototype.charCodeAt,
  stringTrim: String.prototype.trim,
  arrayIsArray: Array.isArray,
  arrayJoin: Array.prototype.join,
  numberToString: Number.prototype.toString,
  TextDecoder,
  textDecoderDecode: TextDecoder.prototype.decode,
  TextEncoder,
  textEncoderEncode: TextEncoder.prototype.encode,
  Uint8Array,
  ArrayBuffer,
  arrayBufferIsView: ArrayBuffer.isView,
  CustomEvent,
  Event,
  MessageEvent,
  Blob: globalThis.Blob as typeof Blob | undefined,
  URL,
  Request: globalThis.Request,
  Response: globalThis.Response,
  ReadableStream: globalThis.ReadableStream,
  dispatchEvent: EventTarget.prototype.dispatchEvent,
  addEventListener: EventTarget.prototype.addEventListener,
  removeEventListener: EventTarget.prototype.removeEventListener,
} as const;

/** `fn.call(thisArg, ...args)` that the page cannot intercept. */
export function call<R>(fn: (...args: never[]) => R, thisArg: unknown, ...args: unknown[]): R {
  return ReflectApply(fn as (...a: unknown[]) => R, thisArg, args);
}

const functionCall = Function.prototype.call;
const functionBind = Function.prototype.bind;

/**
 * `getter` as a plain function of its target: `uncurried(get)(target)` is `get.call(target)`,
 * bound now, so the page cannot intercept it, and with no arguments array made per call (for the
 * paths that run once per event).
 */
export function uncurried<T>(get: ((this: unknown) => T) | undefined): ((target: unknown) => T) | undefined {
  return get === undefined ? undefined : (ReflectApply(functionBind, functionCall, [get]) as (target: unknown) => T);
}

const performanceNowBound = ReflectApply(functionBind, natives.performanceNow, [natives.performance]) as () => number;

/** Epoch milliseconds with sub-millisecond precision. */
export function now(): number {
  return natives.timeOrigin + performanceNowBound();
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

/** `Object.hasOwn`, which the page cannot intercept (for our own objects and descriptors). */
export function hasOwn(object: object, key: PropertyKey): boolean {
  return call(natives.hasOwnProperty, object, key) as boolean;
}

/**
 * The own value of `key` in a property descriptor. Reading `descriptor.get` of a data descriptor
 * would walk up to Object.prototype, where the page may have put a getter of its own.
 */
export function field<T>(descriptor: object, key: 'value' | 'get' | 'set' | 'writable'): T | undefined {
  return hasOwn(descriptor, key) ? ((descriptor as Record<string, unknown>)[key] as T) : undefined;
}

/**
 * `object` with no prototype: for the option bags and descriptors we hand to built-ins, which read
 * the members they know with [[Get]] and would otherwise reach getters the page put on
 * Object.prototype (`bubbles`, `get`, `signal`, ...).
 */
export function bare<T extends object>(object: T): T {
  natives.setPrototypeOf(object, null);
  return object;
}

/**
 * An array without a prototype: appending `a[a.length] = x` can never reach a setter the page put
 * on Array.prototype, and JSON.stringify finds no `toJSON` on it.
 */
export function bareArray<T>(first?: T): T[] {
  const array = bare([] as T[]);
  if (first !== undefined) array[0] = first;
  return array;
}

const arrayValues = Array.prototype.values;
const arrayIteratorPrototype = Object.getPrototypeOf([][Symbol.iterator]()) as object;
const arrayIteratorNext = (Object.getOwnPropertyDescriptor(arrayIteratorPrototype, 'next') as PropertyDescriptor)
  .value as unknown;

/**
 * `array` (a bare one), made iterable for a Web IDL `sequence` argument (a Blob's parts): its own
 * Symbol.iterator is the native one, captured now. Undefined when the page replaced the array
 * iterator's `next`, which the browser would call: then the caller takes another way.
 */
export function iterable<T>(array: T[]): T[] | undefined {
  if (natives.getOwnPropertyDescriptor(arrayIteratorPrototype, 'next')?.value !== arrayIteratorNext) return undefined;
  natives.defineProperty(array, Symbol.iterator, { value: arrayValues });
  return array;
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
