/**
 * Seeing the bytes of an SSE response as the page reads them, without replacing the Response or
 * its body stream: the page keeps the very objects the browser made. We mark the tapped Response,
 * follow its body (and tee()/clone() branches, readers, async iterators) through WeakMaps, and
 * wrap the prototype methods that hand chunks to the page so they also hand them to the tap.
 *
 * Paths covered: body.getReader().read() (default and BYOB), for-await / values(), pipeThrough(),
 * pipeTo(), tee(), Response.clone(), and text()/arrayBuffer()/bytes() on the whole response.
 * Not covered (reported as such by the panel's missing events): a tapped body handed to
 * `new Response(body)` and consumed from there.
 */
import type { StreamTap } from './stream-tap';
import { natives, SafeWeakMap } from './natives';
import { guard, observePromise, wrapGetter, wrapMethod } from './disguise';
import { now } from './natives';

/** A consumer's view of a tapped body: each branch counts its own offset into the bytes. */
class BodyBranch {
  offset = 0;
  constructor(readonly tap: StreamTap) {}

  onChunk(value: unknown): void {
    if (!(value instanceof natives.Uint8Array)) return;
    const time = now();
    this.tap.bytes(value, this.offset, time);
    this.offset += value.byteLength;
  }

  onResult(result: unknown): void {
    const r = result as ReadableStreamReadResult<unknown>;
    if (r.done) this.tap.end();
    else this.onChunk(r.value);
  }

  onError(error: unknown): void {
    const name = error instanceof Error || (typeof error === 'object' && error !== null) ? (error as Error).name : '';
    const message = typeof error === 'object' && error !== null ? natives.String((error as Error).message) : natives.String(error);
    this.tap.setState('error', name === 'AbortError' ? 'aborted' : 'network-error', message);
  }

  onCancel(reason: unknown): void {
    this.tap.setState('closed', 'cancelled-by-page', reason === undefined ? undefined : natives.String(reason));
  }
}

const responses = new SafeWeakMap<object, StreamTap>();
const streams = new SafeWeakMap<object, BodyBranch>();
const readers = new SafeWeakMap<object, BodyBranch>();
const iterators = new SafeWeakMap<object, BodyBranch>();

/** Starts following `response`'s body for `tap`. */
export function tapResponse(response: Response, tap: StreamTap): void {
  responses.set(response, tap);
}

function branchOfBody(response: unknown, body: unknown): void {
  const tap = responses.get(response);
  if (tap !== undefined && body !== null && typeof body === 'object' && !streams.has(body)) {
    streams.set(body, new BodyBranch(tap));
  }
}

/** A TransformStream that shows each chunk to `branch` and passes it on unchanged. */
function tappingTransform(branch: BodyBranch): TransformStream {
  return new TransformStream({
    transform(chunk, controller) {
      guard(() => branch.onChunk(chunk));
      controller.enqueue(chunk);
    },
    flush() {
      guard(() => branch.tap.end());
    },
  });
}

export function installBodyTaps(): void {
  if (globalThis.Response === undefined || globalThis.ReadableStream === undefined) return;
  const RS = ReadableStream.prototype;

  wrapGetter(Response.prototype, 'body', (response, body) => branchOfBody(response, body));

  wrapMethod(Response.prototype, 'clone', (original, response, args) => {
    const copy = natives.apply(original, response, args);
    guard(() => {
      const tap = responses.get(response);
      if (tap !== undefined) responses.set(copy as object, tap);
    });
    return copy;
  });

  // Whole-body readers: the body arrives at once, so its events share one time.
  for (const method of ['text', 'arrayBuffer', 'bytes'] as const) {
    wrapMethod(Response.prototype, method, (original, response, args) => {
      const result = natives.apply(original, response, args) as Promise<unknown>;
      const tap = responses.get(response);
      if (tap === undefined) return result;
      return observePromise(
        result,
        (value) => {
          if (typeof value === 'string') tap.text(value);
          else if (value instanceof natives.ArrayBuffer) tap.bytes(new natives.Uint8Array(value), 0);
          else if (value instanceof natives.Uint8Array) tap.bytes(value, 0);
          tap.end();
        },
        (error) => new BodyBranch(tap).onError(error),
      );
    });
  }

  wrapMethod(RS, 'getReader', (original, stream, args) => {
    const reader = natives.apply(original, stream, args);
    guard(() => {
      // The page may reach the stream through a body we have not seen via the getter yet.
      const branch = streams.get(stream);
      if (branch !== undefined) readers.set(reader as object, branch);
    });
    return reader;
  });

  const readerProtos = [globalThis.ReadableStreamDefaultReader, globalThis.ReadableStreamBYOBReader]
    .filter((ctor) => ctor !== undefined)
    .map((ctor) => ctor.prototype);
  for (const proto of readerProtos) {
    wrapMethod(proto, 'read', (original, reader, args) => {
      const result = natives.apply(original, reader, args) as Promise<unknown>;
      const branch = readers.get(reader);
      if (branch === undefined) return result;
      return observePromise(result, (r) => branch.onResult(r), (e) => branch.onError(e));
    });
    wrapMethod(proto, 'cancel', (original, reader, args) => {
      const branch = readers.get(reader);
      if (branch !== undefined) guard(() => branch.onCancel(args[0]));
      return natives.apply(original, reader, args);
    });
  }

  wrapMethod(RS, 'cancel', (original, stream, args) => {
    const branch = streams.get(stream);
    if (branch !== undefined) guard(() => branch.onCancel(args[0]));
    return natives.apply(original, stream, args);
  });

  wrapMethod(RS, 'tee', (original, stream, args) => {
    const pair = natives.apply(original, stream, args) as [ReadableStream, ReadableStream];
    guard(() => {
      const branch = streams.get(stream);
      if (branch === undefined) return;
      streams.set(pair[0], new BodyBranch(branch.tap));
      streams.set(pair[1], new BodyBranch(branch.tap));
    });
    return pair;
  });

  const nativePipeThrough = RS.pipeThrough;
  wrapMethod(RS, 'pipeThrough', (original, stream, args) => {
    const branch = streams.get(stream);
    if (branch === undefined) return natives.apply(original, stream, args);
    const options = args[1] as StreamPipeOptions | undefined;
    // Our stage first (cancellation and errors flow through it as through any pipe), then the page's.
    const tapped = natives.apply(nativePipeThrough, stream, [
      tappingTransform(branch),
      { preventCancel: options?.preventCancel === true },
    ]);
    return natives.apply(original, tapped, args);
  });

  wrapMethod(RS, 'pipeTo', (original, stream, args) => {
    const branch = streams.get(stream);
    if (branch === undefined) return natives.apply(original, stream, args);
    const options = args[1] as StreamPipeOptions | undefined;
    const tapped = natives.apply(nativePipeThrough, stream, [
      tappingTransform(branch),
      { preventCancel: options?.preventCancel === true },
    ]);
    return natives.apply(original, tapped, args);
  });

  installIteratorTaps(RS);
}

function installIteratorTaps(RS: ReadableStream): void {
  // values()/[Symbol.asyncIterator] are not in every browser (nor in TypeScript's DOM types yet).
  const iterable = RS as ReadableStream & { values?: () => object };
  if (typeof iterable.values !== 'function') return;
  let iteratorProto: object | null = null;
  try {
    const probe = new ReadableStream() as ReadableStream & { values: () => object };
    iteratorProto = natives.getPrototypeOf(probe.values());
  } catch {
    return;
  }
  if (iteratorProto === null) return;

  const noteIterator = (original: (...a: unknown[]) => unknown, stream: unknown, args: unknown[]) => {
    const iterator = natives.apply(original, stream, args);
    guard(() => {
      const branch = streams.get(stream);
      if (branch !== undefined) iterators.set(iterator as object, branch);
    });
    return iterator;
  };
  wrapMethod(RS, 'values', noteIterator);
  wrapMethod(RS, Symbol.asyncIterator, noteIterator);

  wrapMethod(iteratorProto, 'next', (original, iterator, args) => {
    const result = natives.apply(original, iterator, args) as Promise<unknown>;
    const branch = iterators.get(iterator);
    if (branch === undefined) return result;
    return observePromise(result, (r) => branch.onResult(r), (e) => branch.onError(e));
  });
  wrapMethod(iteratorProto, 'return', (original, iterator, args) => {
    const branch = iterators.get(iterator);
    if (branch !== undefined) guard(() => branch.onCancel(args[0]));
    return natives.apply(original, iterator, args);
  });
}
