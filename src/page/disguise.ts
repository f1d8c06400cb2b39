/**
 * Replacing a built-in so the page cannot tell: every replacement is a Proxy of the original (so
 * `name`, `length`, `prototype` and property descriptors are the original's), installed with the
 * original property's attributes, and `Function.prototype.toString` reports the original's source
 * text (`function fetch() { [native code] }`) for it.
 *
 * Every trap we install must never throw anything of its own into the page: our work runs inside
 * `guard`, and the original is always called exactly as the page asked.
 */
import { call, natives, SafeWeakMap } from './natives';

type AnyFunction = (...args: unknown[]) => unknown;

/** replacement → original, consulted by our Function.prototype.toString. */
const originals = new SafeWeakMap<object, AnyFunction>();
let toStringInstalled = false;

function installToString(): void {
  if (toStringInstalled) return;
  toStringInstalled = true;
  const nativeToString = Function.prototype.toString as AnyFunction;
  const replacement = new natives.Proxy(nativeToString, {
    apply(target, thisArg, args) {
      const original = originals.get(thisArg);
      return natives.apply(target, original ?? thisArg, args);
    },
  });
  originals.set(replacement, nativeToString);
  redefine(Function.prototype, 'toString', replacement);
}

function redefine(owner: object, key: PropertyKey, value: unknown): void {
  const descriptor = natives.getOwnPropertyDescriptor(owner, key);
  if (descriptor === undefined) return;
  natives.defineProperty(owner, key, { ...descriptor, value });
}

/** Registers `replacement` as a disguise of `original` (for toString). */
export function disguiseAs(replacement: object, original: AnyFunction): void {
  installToString();
  originals.set(replacement, original);
}

/** Runs our own bookkeeping; whatever it throws stays with us. */
export function guard(work: () => void): void {
  try {
    work();
  } catch (error) {
    reportInternalError(error);
  }
}

let internalErrorReporter: ((error: unknown) => void) | undefined;
export function onInternalError(report: (error: unknown) => void): void {
  internalErrorReporter = report;
}
function reportInternalError(error: unknown): void {
  try {
    internalErrorReporter?.(error);
  } catch {
    // Nothing more we can do without risking the page.
  }
}

/**
 * Wraps the method `owner[key]` with `trap`, which receives the original, `this` and the
 * arguments, and must call the original itself (exactly once, with those arguments).
 */
export function wrapMethod(
  owner: object,
  key: PropertyKey,
  trap: (original: AnyFunction, thisArg: unknown, args: unknown[]) => unknown,
): void {
  const descriptor = natives.getOwnPropertyDescriptor(owner, key);
  if (descriptor === undefined || typeof descriptor.value !== 'function') return;
  const original = descriptor.value as AnyFunction;
  const replacement = new natives.Proxy(original, {
    apply(target, thisArg, args) {
      return trap(target, thisArg, args);
    },
  });
  disguiseAs(replacement, original);
  natives.defineProperty(owner, key, { ...descriptor, value: replacement });
}

/** Wraps the getter of accessor `owner[key]`; `after` sees the receiver and the value returned. */
export function wrapGetter(owner: object, key: PropertyKey, after: (thisArg: unknown, value: unknown) => void): void {
  const descriptor = natives.getOwnPropertyDescriptor(owner, key);
  if (descriptor === undefined || typeof descriptor.get !== 'function') return;
  const original = descriptor.get as AnyFunction;
  const replacement = new natives.Proxy(original, {
    apply(target, thisArg, args) {
      const value = natives.apply(target, thisArg, args);
      guard(() => after(thisArg, value));
      return value;
    },
  });
  disguiseAs(replacement, original);
  natives.defineProperty(owner, key, { ...descriptor, get: replacement });
}

/** `promise.then(onValue, onError)` with the captured `then`; our callbacks are guarded. */
export function observePromise<T>(
  promise: Promise<T>,
  onValue: (value: T) => void,
  onError: (error: unknown) => void,
): Promise<T> {
  return call(
    natives.promiseThen as (...a: never[]) => Promise<T>,
    promise,
    (value: T) => {
      guard(() => onValue(value));
      return value;
    },
    (error: unknown) => {
      guard(() => onError(error));
      throw error;
    },
  );
}

export { call };
