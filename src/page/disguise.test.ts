/**
 * What a Proxy gives away, and our disguise of it (the browser-level check is
 * test/e2e/transparency.e2e.test.ts). These run in Node's V8, with the same engine behaviour.
 */
import { describe, expect, it } from 'vitest';
import { disguisedProxy, wrapMethod } from './disguise';

function probe(fn: object) {
  const proto = Object.getPrototypeOf(fn);
  const outcome = (run: () => unknown) => {
    try {
      return { value: run() };
    } catch (error) {
      return { threw: `${(error as Error).name}: ${(error as Error).message}` };
    } finally {
      Object.setPrototypeOf(fn, proto);
    }
  };
  return {
    objectSetPrototypeOf: outcome(() => Object.setPrototypeOf(fn, Object.create(fn)) && 'set'),
    reflectSetPrototypeOf: outcome(() => Reflect.setPrototypeOf(fn, Object.create(fn))),
    protoSetter: outcome(() => {
      (fn as { __proto__: unknown }).__proto__ = Object.create(fn);
      return 'set';
    }),
    throughPageProxy: outcome(() => {
      Object.setPrototypeOf(fn, Object.create(new Proxy(fn, {})));
      return String(fn);
    }),
    caller: outcome(() => (fn as { caller: unknown }).caller),
    arguments: outcome(() => (fn as { arguments: unknown }).arguments),
    source: Function.prototype.toString.call(fn),
    ok: outcome(() => Reflect.setPrototypeOf(fn, {}) && Object.getPrototypeOf(fn) !== proto),
  };
}

describe('disguisedProxy', () => {
  it('answers prototype cycles, caller and toString as the original does', () => {
    const original = Math.max;
    const expected = probe(original);
    const proxy = disguisedProxy(Math.min, { apply: (target, thisArg, args) => Reflect.apply(target, thisArg, args) });
    // Vitest formats stacks itself (source maps); a page that did would get a throw from Reflect too.
    const prepare = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    let got: ReturnType<typeof probe>;
    try {
      got = probe(proxy);
    } finally {
      if (prepare) Object.defineProperty(Error, 'prepareStackTrace', prepare);
    }
    expect(got).toEqual({ ...expected, source: 'function min() { [native code] }' });
    expect(expected.objectSetPrototypeOf).toEqual({ threw: 'TypeError: Cyclic __proto__ value' });
    expect(expected.reflectSetPrototypeOf).toEqual({ value: false });
    expect(expected.throughPageProxy.threw).toMatch(/^RangeError/);
  });

  it('keeps the trap, and lets a thrown error leave unchanged', () => {
    const seen: unknown[] = [];
    const owner = {
      method(this: unknown, x: number) {
        if (x < 0) throw new RangeError('negative');
        return x * 2;
      },
    };
    wrapMethod(owner, 'method', (original, thisArg, args) => {
      seen.push(args[0]);
      return Reflect.apply(original, thisArg, args);
    });
    expect(owner.method(2)).toBe(4);
    expect(() => owner.method(-1)).toThrow(new RangeError('negative'));
    expect(seen).toEqual([2, -1]);
    expect(Function.prototype.toString.call(owner.method)).toMatch(/^method\(this: unknown, x: number\)|^method\(x\)/);
  });

  it('ignores traps the page puts on Object.prototype', () => {
    const proxy = disguisedProxy(Math.abs, {});
    Object.defineProperty(Object.prototype, 'getPrototypeOf', { configurable: true, value: () => Array.prototype });
    try {
      expect(Object.getPrototypeOf(proxy)).toBe(Function.prototype);
    } finally {
      delete (Object.prototype as { getPrototypeOf?: unknown }).getPrototypeOf;
    }
  });
});
