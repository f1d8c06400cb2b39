/**
 * Replacing a built-in so the page cannot tell: every replacement is a Proxy of the original (so
 * `name`, `length`, `prototype` and property descriptors are the original's), installed with the
 * original property's attributes, and `Function.prototype.toString` reports the original's source
 * text (`function fetch() { [native code] }`) for it.
 *
 * What a Proxy would still give away, and how we hide it (test/e2e/transparency.e2e.test.ts):
 * - a prototype cycle through the Proxy is not refused (the engine's cycle check stops at proxies):
 *   our `setPrototypeOf` trap refuses it as the engine would refuse it for the original;
 * - `fn.caller` / `fn.arguments` throw on a Proxy (they return null for a built-in): the accessors
 *   on Function.prototype see the original instead;
 * - a trap's frame shows in the stack of an error thrown through it (`at Object.apply
 *   (chrome-extension://...)`): errors leaving a trap lose our frames;
 * - handlers have no prototype, so a trap the page puts on Object.prototype is never one of ours.
 *
 * Every trap we install must never throw anything of its own into the page: our work runs inside
 * `guard`, and the original is always called exactly as the page asked.
 */
import { bare, call, field, hasOwn, natives, SafeWeakMap } from './natives';

type AnyFunction = (...args: unknown[]) => unknown;

interface Traps {
  apply?: (target: AnyFunction, thisArg: unknown, args: unknown[]) => unknown;
  construct?: (target: AnyFunction, args: unknown[], newTarget: AnyFunction) => object;
}

/** replacement → original, consulted by our Function.prototype.toString. */
const originals = new SafeWeakMap<object, AnyFunction>();
let toStringInstalled = false;

// -------------------------------------------------------------------------------------------------
// Our frames in stack traces

/** The URL of this script as stack frames show it (its path in unit tests; '' when it cannot be told). */
const ownScript = scriptOfThisFile();
const stackDescriptor = natives.getOwnPropertyDescriptor(new natives.Error(), 'stack');
const nativeStackGetter = stackDescriptor && field<AnyFunction>(stackDescriptor, 'get');
const nativeStackSetter = stackDescriptor && field<AnyFunction>(stackDescriptor, 'set');

function scriptOfThisFile(): string {
  try {
    // The first frame is this function: its URL (or path), without line and column.
    const stack = natives.String(new natives.Error().stack);
    const match = /\n[^\n]*?((?:[a-z][a-z0-9+.-]*:\/\/|\/)[^\s()@]+?):\d+:\d+/i.exec(stack);
    return match?.[1] ?? '';
  } catch {
    return '';
  }
}

/** The stack of an error we made (an own accessor in current V8, an own data property before). */
function stackOfOurs(error: object): unknown {
  if (nativeStackGetter !== undefined) return call(nativeStackGetter, error);
  const descriptor = natives.getOwnPropertyDescriptor(error, 'stack');
  return descriptor && field(descriptor, 'value');
}

/**
 * Whether the page formats stack traces itself (V8's Error.prepareStackTrace, or an accessor there):
 * it would see us format one.
 */
function pageFormatsStacks(): boolean {
  const descriptor = natives.getOwnPropertyDescriptor(natives.Error, 'prepareStackTrace');
  return descriptor !== undefined && (!hasOwn(descriptor, 'value') || field(descriptor, 'value') !== undefined);
}

function withoutOurFrames(stack: string): string {
  let kept = '';
  let start = 0;
  for (let first = true; ; first = false) {
    const end = call(natives.stringIndexOf, stack, '\n', start) as number;
    const line = call(natives.stringSlice, stack, start, end === -1 ? stack.length : end) as string;
    if (first || (call(natives.stringIndexOf, line, ownScript) as number) === -1) kept += first ? line : `\n${line}`;
    if (end === -1) return kept;
    start = end + 1;
  }
}

/**
 * Removes our frames from the stack of an error on its way out of a trap: created by the built-in
 * while our trap was on the stack, or thrown by page code the built-in called back.
 */
export function hideOurFrames(error: unknown): void {
  try {
    if (ownScript === '' || natives.errorIsError === undefined) return;
    if (typeof error !== 'object' || error === null || !call(natives.errorIsError, natives.Error, error)) return;
    if (pageFormatsStacks()) return;
    const descriptor = natives.getOwnPropertyDescriptor(error, 'stack');
    if (descriptor === undefined) return;
    const getter = field<AnyFunction>(descriptor, 'get');
    const setter = field<AnyFunction>(descriptor, 'set');
    // The engine's own stack property only: one the page defined is the page's business.
    const accessor = getter !== undefined && getter === nativeStackGetter && setter === nativeStackSetter && setter !== undefined;
    const data = getter === undefined && setter === undefined && field(descriptor, 'writable') === true;
    if (!accessor && !data) return;
    const stack = accessor ? call(getter, error) : field(descriptor, 'value');
    if (typeof stack !== 'string' || (call(natives.stringIndexOf, stack, ownScript) as number) === -1) return;
    if (accessor) call(setter, error, withoutOurFrames(stack));
    else natives.defineProperty(error, 'stack', bare({ value: withoutOurFrames(stack) }));
  } catch {
    // Leave the error as it is.
  }
}

// -------------------------------------------------------------------------------------------------
// Prototype cycles

/** The engine's own message for a prototype cycle ("Cyclic __proto__ value" in V8). */
const cyclicMessage = ((): string => {
  const a = {};
  try {
    natives.setPrototypeOf(a, Object.create(a));
  } catch (error) {
    return natives.String((error as Error).message);
  }
  return 'Cyclic __proto__ value';
})();

/** Whether the chain from `proto` leads back to `proxy` (the engine's check, for which `proxy` is the original). */
function wouldCycle(proxy: object, target: object, proto: object | null): boolean {
  let p: object | null = proto;
  for (let steps = 0; p !== null && steps < 100_000; steps++) {
    if (p === proxy || p === target) return true;
    p = natives.getPrototypeOf(p);
  }
  return false;
}

/**
 * Reflect.setPrototypeOf answers a cycle with `false`, Object.setPrototypeOf and `__proto__ =` throw:
 * the engine's frame below our trap says which one called. We only look when the page does not
 * format stacks itself and the stack limit can be set back unseen; otherwise we throw.
 */
function calledByReflect(): boolean {
  const E = natives.Error as unknown as { stackTraceLimit?: number };
  const limit = natives.getOwnPropertyDescriptor(E, 'stackTraceLimit');
  if (ownScript === '' || pageFormatsStacks()) return false;
  if (limit === undefined || field(limit, 'writable') !== true) return false;
  const saved = field(limit, 'value');
  try {
    natives.defineProperty(E, 'stackTraceLimit', bare({ value: 10 }));
    const stack = stackOfOurs(new natives.Error());
    if (typeof stack !== 'string') return false;
    // The first frame that is not ours is the built-in that called the trap.
    const caller = withoutOurFrames(stack);
    const firstNewline = call(natives.stringIndexOf, caller, '\n') as number;
    return (
      firstNewline !== -1 &&
      (call(natives.stringIndexOf, caller, '    at Reflect.setPrototypeOf (') as number) === firstNewline + 1
    );
  } catch {
    return false;
  } finally {
    natives.defineProperty(E, 'stackTraceLimit', bare({ value: saved }));
  }
}

function setPrototypeOfLikeTheOriginal(proxy: object, target: object, proto: object | null): boolean {
  if (!wouldCycle(proxy, target, proto)) return natives.reflectSetPrototypeOf(target, proto);
  if (calledByReflect()) return false;
  const error = new natives.TypeError(cyclicMessage);
  hideOurFrames(error);
  throw error;
}

// -------------------------------------------------------------------------------------------------
// Proxies

/**
 * A Proxy of `original` with `traps`, disguised as the original (toString, prototype cycles,
 * `caller`, stack frames). Errors leaving a trap lose our frames.
 */
export function disguisedProxy<T extends object>(original: T, traps: Traps): T {
  installToString();
  const handler: ProxyHandler<AnyFunction> = bare({});
  const { apply, construct } = traps;
  if (apply !== undefined) {
    handler.apply = (target, thisArg, args) => {
      try {
        return apply(target, thisArg, args);
      } catch (error) {
        hideOurFrames(error);
        throw error;
      }
    };
  }
  if (construct !== undefined) {
    handler.construct = (target, args, newTarget) => {
      try {
        return construct(target, args, newTarget as AnyFunction);
      } catch (error) {
        hideOurFrames(error);
        throw error;
      }
    };
  }
  handler.setPrototypeOf = (target, proto) => setPrototypeOfLikeTheOriginal(proxy, target, proto);
  const proxy = new natives.Proxy(original as unknown as AnyFunction, handler) as unknown as T;
  originals.set(proxy, original as unknown as AnyFunction);
  return proxy;
}

/** What the native toString says of a Proxy (or bound function): it names no function. */
const ANONYMOUS_NATIVE = 'function () { [native code] }';

/**
 * The toString of the realm `fn` comes from, when that is another frame's (same-origin frames share
 * functions): its copy of this script knows its own disguises. Without this,
 * `Function.prototype.toString.call(frame.contentWindow.fetch)` would name no function.
 */
function toStringOfItsRealm(fn: unknown, nativeToString: AnyFunction, ours: unknown): AnyFunction | undefined {
  if (typeof fn !== 'function' || natives.apply(nativeToString, fn, []) !== ANONYMOUS_NATIVE) return undefined;
  // Its Function.prototype.toString: the first toString up its chain (EventSource → EventTarget → ...).
  let descriptor: PropertyDescriptor | undefined;
  let proto = natives.getPrototypeOf(fn) as object | null;
  for (let depth = 0; proto !== null && descriptor === undefined && depth < 16; depth++) {
    descriptor = natives.getOwnPropertyDescriptor(proto, 'toString');
    proto = natives.getPrototypeOf(proto) as object | null;
  }
  const candidate = descriptor && field<AnyFunction>(descriptor, 'value');
  if (typeof candidate !== 'function' || candidate === ours || candidate === nativeToString) return undefined;
  // Another realm's toString that is itself wrapped (by our copy there): let it answer.
  return natives.apply(nativeToString, candidate, []) === ANONYMOUS_NATIVE ? candidate : undefined;
}

function installToString(): void {
  if (toStringInstalled) return;
  toStringInstalled = true;
  const nativeToString = Function.prototype.toString as AnyFunction;
  const replacement: AnyFunction = disguisedProxy(nativeToString, {
    apply(target, thisArg, args) {
      const original = originals.get(thisArg);
      if (original !== undefined) return natives.apply(target, original, args);
      const foreign = toStringOfItsRealm(thisArg, target, replacement);
      return natives.apply(foreign ?? target, thisArg, args);
    },
  });
  redefine(Function.prototype, 'toString', replacement);
  // On a Proxy these throw; on a built-in they give null. Let them see the original.
  for (const key of ['caller', 'arguments']) {
    const descriptor = natives.getOwnPropertyDescriptor(Function.prototype, key);
    if (descriptor === undefined) continue;
    const get = field<AnyFunction>(descriptor, 'get');
    const set = field<AnyFunction>(descriptor, 'set');
    if (get === undefined && set === undefined) continue;
    const seeOriginal = (accessor: AnyFunction | undefined) =>
      accessor &&
      disguisedProxy(accessor, {
        apply: (target, thisArg, args) => natives.apply(target, originals.get(thisArg) ?? thisArg, args),
      });
    natives.defineProperty(Function.prototype, key, { ...descriptor, get: seeOriginal(get), set: seeOriginal(set) });
  }
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
export function reportInternalError(error: unknown): void {
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
  const replacement = disguisedProxy(original, { apply: trap });
  natives.defineProperty(owner, key, { ...descriptor, value: replacement });
}

/** Wraps the getter of accessor `owner[key]`; `after` sees the receiver and the value returned. */
export function wrapGetter(owner: object, key: PropertyKey, after: (thisArg: unknown, value: unknown) => void): void {
  const descriptor = natives.getOwnPropertyDescriptor(owner, key);
  if (descriptor === undefined || typeof descriptor.get !== 'function') return;
  const original = descriptor.get as AnyFunction;
  const replacement = disguisedProxy(original, {
    apply(target, thisArg, args) {
      const value = natives.apply(target, thisArg, args);
      guard(() => after(thisArg, value));
      return value;
    },
  });
  natives.defineProperty(owner, key, { ...descriptor, get: replacement });
}

/**
 * Wraps the getter of accessor `owner[key]` so that `replace` may answer for some receivers: it
 * sees the receiver and the value the original returned, and returns the value to give instead
 * (undefined: the original's). The original always runs first, so brand checks throw as before.
 */
export function overrideGetter(owner: object, key: PropertyKey, replace: (thisArg: unknown, value: unknown) => unknown): void {
  // Installed while the page runs (when a mock is first armed): descriptors are read and written
  // without a prototype, so nothing the page put on Object.prototype takes part.
  const descriptor = natives.getOwnPropertyDescriptor(owner, key);
  const original = descriptor && field<AnyFunction>(descriptor, 'get');
  if (descriptor === undefined || typeof original !== 'function') return;
  const replacement = disguisedProxy(original, {
    apply(target, thisArg, args) {
      const value = natives.apply(target, thisArg, args);
      let answer = value;
      guard(() => {
        const instead = replace(thisArg, value);
        if (instead !== undefined) answer = instead;
      });
      return answer;
    },
  });
  natives.defineProperty(owner, key, bare({ ...descriptor, get: replacement }));
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
      // Created while our trap was on the stack (a synchronous rejection): drop our frames.
      hideOurFrames(error);
      throw error;
    },
  );
}

export { call };
