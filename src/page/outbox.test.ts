/**
 * The Outbox on a hostile page: what it builds and posts never reaches a setter or a toJSON the page
 * put on Array.prototype or Object.prototype (the browser-level check is the hostile variants of
 * test/e2e/transparency.e2e.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox';
import { PAGE_EVENT, parsePageBatch } from '../protocol';

describe('Outbox on a page that changed the built-in prototypes', () => {
  it('posts the same JSON, and runs none of the page code', () => {
    const target = new EventTarget();
    let posted = '';
    target.addEventListener(PAGE_EVENT.batch, (event) => {
      posted = (event as CustomEvent<string>).detail;
    });
    target.addEventListener(PAGE_EVENT.pageHello, () => target.dispatchEvent(new CustomEvent(PAGE_EVENT.relayReady)));
    const outbox = new Outbox(target);
    const send = () => {
      outbox.add({ type: 'capture-issue', message: 'one', time: 1 });
      outbox.addItem('s-1', { kind: 'event', type: 'message', data: 'a', lastEventId: '', time: 2 });
      outbox.addItem('s-1', { kind: 'event', type: 'message', data: 'b', lastEventId: '', time: 3 });
      outbox.flush();
    };
    send();
    const clean = posted;

    // (A string: pushing to an array would run the setters below.)
    let calls = '';
    const descriptors = ['0', '1', '2'].map((index) => [index, Object.getOwnPropertyDescriptor(Array.prototype, index)] as const);
    for (const [index] of descriptors) {
      Object.defineProperty(Array.prototype, index, {
        configurable: true,
        set(value) {
          calls += `Array.prototype[${index}] `;
          Object.defineProperty(this, index, { value, writable: true, enumerable: true, configurable: true });
        },
      });
    }
    Object.defineProperty(Object.prototype, 'toJSON', {
      configurable: true,
      get() {
        calls += 'toJSON ';
        return undefined;
      },
    });
    Object.defineProperty(Object.prototype, 'detail', {
      configurable: true,
      get() {
        calls += 'detail ';
        return undefined;
      },
    });
    try {
      send();
    } finally {
      for (const [index] of descriptors) delete (Array.prototype as unknown as Record<string, unknown>)[index];
      delete (Object.prototype as { toJSON?: unknown }).toJSON;
      delete (Object.prototype as { detail?: unknown }).detail;
    }
    expect(calls).toBe('');
    expect(posted).toBe(clean);
    expect(parsePageBatch(clean)?.records.length).toBe(2);
  });
});
