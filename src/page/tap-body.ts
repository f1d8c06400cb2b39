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
import { bare, call, field, getter, natives, now, read, SafeWeakMap } from './natives';
import { guard, observePromise, wrapGetter, wrapMethod } from './disguise';

// Brand checks and reads that run no code of the page's (no instanceof: the page can give a
// constructor its own Symbol.hasInstance; no property reads on objects the page may have made).
const typedArrayTag = getter<string | undefined>(natives.getPrototypeOf(Uint8Array.prototype) as object, Symbol.toStringTag);
const arrayBufferByteLength = getter<number>(ArrayBuffer.prototype, 'byteLength');
const domExceptionName = globalThis.DOMException ? getter<string>(DOMException.prototype, 'name') : undefined;
const domExceptionMessage = globalThis.DOMException ? getter<string>(DOMException.prototype, 'message') : undefined;
const TransformStreamCtor = globalThis.TransformStream;
const readableLocked = globalThis.ReadableStream ? getter<boolean>(ReadableStream.prototype, 'locked') : undefined;
const writableLocked = globalThis.WritableStream ? getter<boolean>(WritableStream.prototype, 'locked') : undefined;
const abortSignalAborted = globalThis.AbortSignal ? getter<boolean>(AbortSignal.prototype, 'aborted') : undefined;
/** TransformStreamDefaultController.prototype.enqueue, taken from a controller (the interface may not be global). */
let transformEnqueue: ((this: unknown, chunk: unknown) => void) | undefined;
try {
  new TransformStreamCtor({
    start(controller) {
      transformEnqueue = controller.enqueue;
    },
  });
} catch {
  transformEnqueue = undefined;
}

/** Whether `get` (a getter of some interface) accepts `value`: a brand check that runs no page code. */
function isA(get: ((this: unknown) => unknown) | undefined, value: unknown): boolean {
  if (get === undefined || (typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    call(get, value);
    return true;
  } catch {
    return false;
  }
}

function isUint8Array(value: unknown): value is Uint8Array {
  return read(typedArrayTag, value) === 'Uint8Array';
}

/** A data property of `object` or its prototypes (getters are the page's business: not run). */
function dataProperty(object: object, key: string): string {
  let o: object | null = object;
  for (let depth = 0; o !== null && depth < 32; depth++) {
    const descriptor = natives.getOwnPropertyDescriptor(o, key);
    if (descriptor !== undefined) {
      const value = field(descriptor, 'value');
      return typeof value === 'string' ? value : '';
    }
    o = natives.getPrototypeOf(o);
  }
  return '';
}

/** Name and message of what a stream failed or was cancelled with, read without running page code. */
function describeReason(reason: unknown): { name: string; message: string } {
  if (typeof reason !== 'object' || reason === null) {
    return { name: '', message: typeof reason === 'function' ? '' : natives.String(reason) };
  }
  if (isA(domExceptionName, reason)) {
    return { name: read(domExceptionName, reason) ?? '', message: read(domExceptionMessage, reason) ?? '' };
  }
  if (natives.errorIsError !== undefined && call(natives.errorIsError, natives.Error, reason)) {
    return { name: dataProperty(reason, 'name'), message: dataProperty(reason, 'message') };
  }
  return { name: '', message: '' };
}

/** A consumer's view of a tapped body: each branch counts its own offset into the bytes. */
class BodyBranch {
  offset = 0;
  constructor(readonly tap: StreamTap) {}

  onChunk(value: unknown): void {
    if (!isUint8Array(value)) return;
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
    const { name, message } = describeReason(error);
    this.tap.setState('error', name === 'AbortError' ? 'aborted' : 'network-error', message);
  }

  onCancel(reason: unknown): void {
    if (reason === undefined) {
      this.tap.setState('closed', 'cancelled-by-page');
      return;
    }
    const { name, message } = describeReason(reason);
    this.tap.setState('closed', 'cancelled-by-page', name === '' ? message : `${name}: ${message}`);
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

/** The tap following `response` (or the response it is a clone of), if any. */
export function tapOfResponse(response: unknown): StreamTap | undefined {
  return responses.get(response);
}

function branchOfBody(response: unknown, body: unknown): void {
  const tap = responses.get(response);
  if (tap !== undefined && body !== null && typeof body === 'object' && !streams.has(body)) {
    streams.set(body, new BodyBranch(tap));
  }
}

/** A TransformStream that shows each chunk to `branch` and passes it on unchanged. */
function tappingTransform(branch: BodyBranch): TransformStream {
  return new TransformStreamCtor(
    bare({
      transform(chunk: unknown, controller: TransformStreamDefaultController) {
        guard(() => branch.onChunk(chunk));
        call(transformEnqueue!, controller, chunk);
      },
      flush() {
        guard(() => branch.tap.end());
      },
    }),
    // Default strategies, given explicitly: left out, the browser makes `{}`s and reads
    // highWaterMark/size from Object.prototype.
    bare({}),
    bare({}),
  );
}

/**
 * The page's arguments to pipeThrough/pipeTo read the way the browser reads them (each dictionary
 * member once, in order, stopping where the browser would throw), so that we can check them before
 * we put our stage in front, and then hand the browser our copy: the page's getters run once.
 */
interface PipeArguments {
  /** What to pass to the native method in place of the page's arguments. */
  args: unknown[];
  /** False when the native method will throw (or reject) on them: call it, tap nothing. */
  valid: boolean;
  preventCancel: boolean;
}

/** A copy of the trap's argument list (Array.prototype.slice would consult the page's species). */
function copyOf(args: unknown[]): unknown[] {
  const copy: unknown[] = bare([]);
  for (let i = 0; i < args.length; i++) copy[i] = args[i];
  return copy;
}

function isDictionaryValue(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'object' || typeof value === 'function';
}

/** StreamPipeOptions: preventAbort, preventCancel, preventClose, signal (WebIDL reads them in that order). */
function readPipeOptions(options: unknown): { copy: unknown; valid: boolean; preventCancel: boolean } {
  if (options === undefined || options === null) return { copy: options, valid: true, preventCancel: false };
  if (!isDictionaryValue(options)) return { copy: options, valid: false, preventCancel: false };
  const page = options as Record<string, unknown>;
  const copy: Record<string, unknown> = bare({});
  copy.preventAbort = page.preventAbort;
  copy.preventCancel = page.preventCancel;
  copy.preventClose = page.preventClose;
  const signal = page.signal;
  if (signal !== undefined) copy.signal = signal;
  return { copy, valid: signal === undefined || isA(abortSignalAborted, signal), preventCancel: !!copy.preventCancel };
}

function readPipeThroughArguments(stream: unknown, args: unknown[]): PipeArguments {
  const copied = copyOf(args);
  const pair = args[0];
  const invalid = { args: copied, valid: false, preventCancel: false };
  if (pair === undefined || pair === null || !isDictionaryValue(pair)) return invalid;
  const page = pair as Record<string, unknown>;
  const copy: Record<string, unknown> = bare({});
  copied[0] = copy;
  const readable = page.readable;
  if (readable !== undefined) copy.readable = readable;
  if (!isA(readableLocked, readable)) return invalid;
  const writable = page.writable;
  if (writable !== undefined) copy.writable = writable;
  if (!isA(writableLocked, writable)) return invalid;
  const options = readPipeOptions(args[1]);
  if (args.length > 1) copied[1] = options.copy;
  const valid = options.valid && read(readableLocked, stream) === false && read(writableLocked, writable) === false;
  return { args: copied, valid, preventCancel: options.preventCancel };
}

function readPipeToArguments(stream: unknown, args: unknown[]): PipeArguments {
  const copied = copyOf(args);
  const destination = args[0];
  // The destination is checked before the options are read: a bad one leaves them unread.
  if (!isA(writableLocked, destination)) return { args: copied, valid: false, preventCancel: false };
  const options = readPipeOptions(args[1]);
  if (args.length > 1) copied[1] = options.copy;
  const valid = options.valid && read(readableLocked, stream) === false && read(writableLocked, destination) === false;
  return { args: copied, valid, preventCancel: options.preventCancel };
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
          else if (isA(arrayBufferByteLength, value)) tap.bytes(new natives.Uint8Array(value as ArrayBuffer), 0);
          else if (isUint8Array(value)) tap.bytes(value, 0);
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
      return observePromise(
        result,
        (r) => branch.onResult(r),
        (e) => branch.onError(e),
      );
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
  // Our stage goes first (cancellation and errors flow through it as through any pipe), then the
  // page's: only once the page's arguments are known to be good, so that a call the browser
  // rejects leaves the stream as it was (unlocked).
  wrapMethod(RS, 'pipeThrough', (original, stream, args) => {
    const branch = streams.get(stream);
    if (branch === undefined || transformEnqueue === undefined) return natives.apply(original, stream, args);
    const pipe = readPipeThroughArguments(stream, args);
    if (!pipe.valid) return natives.apply(original, stream, pipe.args);
    const tapped = natives.apply(nativePipeThrough, stream, [
      tappingTransform(branch),
      bare({ preventCancel: pipe.preventCancel }),
    ]);
    return natives.apply(original, tapped, pipe.args);
  });

  wrapMethod(RS, 'pipeTo', (original, stream, args) => {
    const branch = streams.get(stream);
    if (branch === undefined || transformEnqueue === undefined) return natives.apply(original, stream, args);
    const pipe = readPipeToArguments(stream, args);
    if (!pipe.valid) return natives.apply(original, stream, pipe.args);
    const tapped = natives.apply(nativePipeThrough, stream, [
      tappingTransform(branch),
      bare({ preventCancel: pipe.preventCancel }),
    ]);
    return natives.apply(original, tapped, pipe.args);
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
    return observePromise(
      result,
      (r) => branch.onResult(r),
      (e) => branch.onError(e),
    );
  });
  wrapMethod(iteratorProto, 'return', (original, iterator, args) => {
    const branch = iterators.get(iterator);
    if (branch !== undefined) guard(() => branch.onCancel(args[0]));
    return natives.apply(original, iterator, args);
  });
}
