// Transparency battery: everything a page could look at to tell that SSE DevTools is installed.
// Run with and without the extension, `await window.__transparency` must be deeply equal (see
// test/e2e/transparency.e2e.test.ts). Results are deterministic: no timestamps, no ports (the
// origin is replaced by "<origin>"), sorted wherever order means nothing.
//
//   ?hostile=<name>  the page's first script replaced a built-in (see transparency.html)
//   ?quick=1         only the checks that exercise the SSE paths (used for the hostile variants)
//
// window.__transparency  Promise<{ groups: {group: {check: value}}, errors: [...], hostileLog: [...] }>
// window.__serverProbe   timestamps of the server-side checks (not part of the compared result)
'use strict';
(function () {
  const params = new URLSearchParams(location.search);
  const quick = params.has('quick');
  const ORIGIN = location.origin;
  const groups = {};
  const errors = [];
  const messages = [];
  const serverProbe = {};
  window.__serverProbe = serverProbe;

  // ---------------------------------------------------------------------------------------------
  // What the page itself sees happen on window while the battery runs.
  window.addEventListener('error', (event) => {
    errors.push({
      kind: 'error',
      message: norm(event.message),
      filename: norm(event.filename),
      lineno: event.lineno,
      colno: event.colno,
      error: errorInfo(event.error),
    });
  });
  window.addEventListener('unhandledrejection', (event) => {
    errors.push({ kind: 'unhandledrejection', reason: errorInfo(event.reason) });
  });
  window.addEventListener('message', (event) => {
    messages.push({ origin: norm(event.origin), data: describe(event.data), source: event.source === window });
  });

  // ---------------------------------------------------------------------------------------------
  // Helpers

  function norm(value) {
    return typeof value === 'string' ? value.split(ORIGIN).join('<origin>') : value;
  }
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const nativeToString = Function.prototype.toString;

  function errorInfo(error) {
    if (error === undefined) return 'undefined';
    if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return { value: String(error) };
    return {
      name: String(error.name),
      message: norm(String(error.message)),
      proto: protoName(error),
      ownKeys: Reflect.ownKeys(error).map(String).sort(),
    };
  }
  function protoName(object) {
    const proto = Object.getPrototypeOf(object);
    if (proto === null) return 'null';
    const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor');
    return ctor && typeof ctor.value === 'function' ? ctor.value.name : '?';
  }
  function stackOf(error) {
    const stack = error && typeof error === 'object' ? error.stack : undefined;
    return typeof stack === 'string' ? norm(stack).split('\n') : String(stack);
  }
  function fnInfo(fn) {
    let source;
    try {
      source = nativeToString.call(fn);
    } catch (error) {
      source = errorInfo(error);
    }
    return { fn: typeof fn, name: fn.name, length: fn.length, source, ownKeys: Reflect.ownKeys(fn).map(String) };
  }
  function describe(value, depth = 0) {
    if (typeof value === 'function') return fnInfo(value);
    if (typeof value === 'symbol') return value.toString();
    if (typeof value === 'bigint') return `${value}n`;
    if (value === undefined) return 'undefined';
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    if (value === null || typeof value !== 'object') return norm(value);
    if (depth > 6) return `[${protoName(value)}]`;
    if (Array.isArray(value)) return value.map((v) => describe(v, depth + 1));
    const out = { '@proto': protoName(value) };
    for (const key of Reflect.ownKeys(value)) out[String(key)] = describe(value[key], depth + 1);
    return out;
  }
  function descriptors(object) {
    const out = {};
    const keys = Reflect.ownKeys(object)
      .map((key) => [String(key), key])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [name, key] of keys) {
      const d = Object.getOwnPropertyDescriptor(object, key);
      const entry = { enumerable: d.enumerable, configurable: d.configurable };
      if ('value' in d) {
        entry.writable = d.writable;
        entry.value =
          typeof d.value === 'function'
            ? fnInfo(d.value)
            : typeof d.value === 'object' && d.value !== null
              ? `[${protoName(d.value)}]`
              : describe(d.value);
      } else {
        entry.get = d.get ? fnInfo(d.get) : 'undefined';
        entry.set = d.set ? fnInfo(d.set) : 'undefined';
      }
      out[name] = entry;
    }
    return out;
  }
  async function attempt(fn) {
    try {
      return { value: describe(await fn()) };
    } catch (error) {
      return { threw: errorInfo(error) };
    }
  }
  function attemptSync(fn) {
    try {
      return { value: describe(fn()) };
    } catch (error) {
      return { threw: errorInfo(error) };
    }
  }
  function timeout(promise, ms, label) {
    return Promise.race([promise, sleep(ms).then(() => `timeout: ${label}`)]);
  }

  /** What scripts use to tell a Proxy (or any wrapper) from a native function. */
  function proxyProbe(fn) {
    const out = {};
    const proto = Object.getPrototypeOf(fn);
    const restore = () => Object.setPrototypeOf(fn, proto);
    try {
      Object.setPrototypeOf(fn, Object.create(fn));
      out.setPrototypeOfCycle = 'no error';
    } catch (error) {
      out.setPrototypeOfCycle = errorInfo(error);
    } finally {
      restore();
    }
    try {
      out.reflectSetPrototypeOfCycle = Reflect.setPrototypeOf(fn, Object.create(fn));
    } catch (error) {
      out.reflectSetPrototypeOfCycle = errorInfo(error);
    } finally {
      restore();
    }
    try {
      fn.__proto__ = Object.create(fn);
      out.protoSetterCycle = 'no error';
    } catch (error) {
      out.protoSetterCycle = errorInfo(error);
    } finally {
      restore();
    }
    try {
      Object.setPrototypeOf(fn, Object.create(new Proxy(fn, {})));
      out.cycleThroughPageProxy = String(fn + '');
    } catch (error) {
      out.cycleThroughPageProxy = errorInfo(error);
    } finally {
      restore();
    }
    out.getPrototypeOf = proto === Function.prototype ? 'Function.prototype' : String(proto);
    out.extends = attemptSync(() => {
      class Sub extends fn {}
      return typeof Sub;
    });
    out.objectCreateToString = attemptSync(() => Object.create(fn).toString());
    out.toStringOfProxy = attemptSync(() => nativeToString.call(new Proxy(fn, {})));
    out.toStringOfBound = attemptSync(() => nativeToString.call(fn.bind(null)));
    out.boundName = fn.bind(null).name;
    out.callerArguments = ['caller', 'arguments', 'prototype', 'name', 'length', 'toString'].map((key) => [
      key,
      key in fn,
      Object.prototype.hasOwnProperty.call(fn, key),
    ]);
    out.caller = attemptSync(() => fn.caller);
    out.arguments = attemptSync(() => fn.arguments);
    out.isExtensible = Object.isExtensible(fn);
    out.isFrozen = Object.isFrozen(fn);
    out.instanceofFunction = fn instanceof Function;
    out.hasInstance = attemptSync(() => fn[Symbol.hasInstance]({}));
    out.templateString = attemptSync(() => `${fn}`);
    out.descriptors = descriptors(fn);
    return out;
  }

  /** Reads a whole stream of Uint8Array chunks as text. */
  async function readAll(reader) {
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += typeof value === 'string' ? value : decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
  }
  function headerEntries(headers) {
    return [...headers].filter(([name]) => name !== 'date').sort();
  }
  function sseText(prefix, count = 3) {
    let text = ': connected\n\n';
    for (let i = 1; i <= count; i++) text += `id: ${prefix}-${i}\ndata: ${prefix} ${i}\n\n`;
    return text;
  }
  const streamUrl = (prefix, extra = '') => `/test/stream?count=3&prefix=${prefix}${extra}`;

  // Which checks run: group → name → async function.
  const battery = {};
  function check(group, name, fn, { essential = false } = {}) {
    if (quick && !essential) return;
    (battery[group] ??= {})[name] = fn;
  }

  // ---------------------------------------------------------------------------------------------
  // Globals: nothing of ours on window, no message events, no extra timers.

  check('global', 'windowKeys', () => Object.keys(window).sort(), { essential: true });
  check('global', 'windowOwnPropertyNames', () => Object.getOwnPropertyNames(window).sort());
  check('global', 'windowOwnSymbols', () => Object.getOwnPropertySymbols(window).map(String).sort());
  check('global', 'documentOwnKeys', () => Reflect.ownKeys(document).map(String).sort());
  check('global', 'windowDescriptors', () => {
    const out = {};
    for (const key of ['fetch', 'EventSource', 'XMLHttpRequest', 'Response', 'ReadableStream', 'postMessage', 'dispatchEvent']) {
      const d = Object.getOwnPropertyDescriptor(window, key);
      out[key] = d && { writable: d.writable, enumerable: d.enumerable, configurable: d.configurable, value: describe(d.value) };
    }
    return out;
  });
  check('global', 'functionPrototypeToString', () => ({
    toString: fnInfo(Function.prototype.toString),
    toStringCallToString: Function.prototype.toString.call(Function.prototype.toString),
    toStringToString: Function.prototype.toString.toString(),
    toStringOfAddEventListener: EventTarget.prototype.addEventListener.toString(),
    toStringOnObject: attemptSync(() => Function.prototype.toString.call({})),
    toStringOnProxyOfToString: attemptSync(() => Function.prototype.toString.call(new Proxy(Function.prototype.toString, {}))),
    functionPrototypeDescriptors: descriptors(Function.prototype),
    probe: proxyProbe(Function.prototype.toString),
  }));
  check('global', 'eventTargetPrototype', () => ({
    descriptors: descriptors(EventTarget.prototype),
    addEventListener: proxyProbe(EventTarget.prototype.addEventListener),
  }));
  check('global', 'scriptsAndResources', () => ({
    scripts: [...document.scripts].map((s) => norm(s.src)),
    elements: document.getElementsByTagName('*').length,
    resources: performance
      .getEntriesByType('resource')
      .map((entry) => norm(entry.name))
      .filter((name) => !name.includes('/test/') && !name.includes('/sse/'))
      .sort(),
    errorStackTraceLimit: Error.stackTraceLimit,
    prepareStackTrace: typeof Error.prepareStackTrace,
  }));
  check('global', 'crossRealmToString', () => {
    // A fresh same-origin frame: its Function.prototype.toString applied to ours, and ours to its.
    const frame = document.createElement('iframe');
    frame.style.display = 'none';
    document.body.appendChild(frame);
    const other = frame.contentWindow;
    const theirToString = other.Function.prototype.toString;
    const out = {};
    for (const [label, fn] of [
      ['fetch', fetch],
      ['EventSource', EventSource],
      ['XMLHttpRequest.prototype.open', XMLHttpRequest.prototype.open],
      ['ReadableStreamDefaultReader.prototype.read', ReadableStreamDefaultReader.prototype.read],
      ['Function.prototype.toString', Function.prototype.toString],
      ['body getter', Object.getOwnPropertyDescriptor(Response.prototype, 'body').get],
    ]) {
      out[label] = attemptSync(() => theirToString.call(fn));
    }
    for (const label of ['fetch', 'EventSource', 'XMLHttpRequest']) {
      out[`frame ${label}`] = attemptSync(() => nativeToString.call(other[label]));
    }
    out['frame toString'] = attemptSync(() => nativeToString.call(theirToString));
    out['frame read'] = attemptSync(() => nativeToString.call(other.ReadableStreamDefaultReader.prototype.read));
    out['frame windowKeys'] = Object.keys(other).sort();
    out.sameFetch = other.fetch === fetch;
    frame.remove();
    return out;
  });
  check(
    'global',
    'timerIdsAcrossSseActivity',
    async () => {
      // Timer ids are consecutive per window: a timer someone else set in between shows as a gap.
      const first = setTimeout(() => {}, 0);
      const response = await fetch(streamUrl('timer'));
      const text = await readAll(response.body.getReader());
      await sleep(120);
      const second = setTimeout(() => {}, 0);
      return { gap: second - first, text: text === sseText('timer') };
    },
    { essential: true },
  );

  // ---------------------------------------------------------------------------------------------
  // EventSource

  check('eventsource', 'constructor', () => ({
    name: EventSource.name,
    length: EventSource.length,
    typeofIt: typeof EventSource,
    protoOfCtor: Object.getPrototypeOf(EventSource) === EventTarget,
    protoOfPrototype: Object.getPrototypeOf(EventSource.prototype) === EventTarget.prototype,
    prototypeConstructor: EventSource.prototype.constructor === EventSource,
    constants: ['CONNECTING', 'OPEN', 'CLOSED'].map((k) => [k, EventSource[k], EventSource.prototype[k]]),
    ctorDescriptors: descriptors(EventSource),
    protoDescriptors: descriptors(EventSource.prototype),
    toString: nativeToString.call(EventSource),
    toStringCallToString: nativeToString.call(nativeToString),
    viaToStringMethod: EventSource.toString(),
    methodSources: ['close', 'addEventListener', 'removeEventListener', 'dispatchEvent'].map((m) => [
      m,
      `${EventSource.prototype[m]}`,
    ]),
    probe: proxyProbe(EventSource),
    closeProbe: proxyProbe(EventSource.prototype.close),
  }));
  check('eventsource', 'callWithoutNew', () => attemptSync(() => EventSource('/test/stream')));
  check('eventsource', 'noArguments', () => attemptSync(() => new EventSource()));
  check('eventsource', 'badUrl', () => attemptSync(() => new EventSource('http://[')));
  check('eventsource', 'newTargetAndSubclass', async () => {
    class Sub extends EventSource {
      extra() {
        return 'sub';
      }
    }
    const sub = new Sub(streamUrl('sub'));
    const viaReflect = Reflect.construct(EventSource, [streamUrl('reflect')], Sub);
    const out = {
      instanceofSub: sub instanceof Sub,
      instanceofEventSource: sub instanceof EventSource,
      protoIsSub: Object.getPrototypeOf(sub) === Sub.prototype,
      extra: sub.extra(),
      reflect: Object.getPrototypeOf(viaReflect) === Sub.prototype,
      ownKeys: Reflect.ownKeys(sub).map(String),
      url: norm(sub.url),
    };
    out.firstEvent = await new Promise((resolve) => {
      sub.onmessage = (event) => resolve({ data: event.data, lastEventId: event.lastEventId });
    });
    sub.close();
    viaReflect.close();
    return out;
  });
  check(
    'eventsource',
    'lifecycle',
    async () => {
      const seen = [];
      const es = new EventSource(streamUrl('life', '&delay=20&type=tick'), { withCredentials: false });
      seen.push(`constructed readyState=${es.readyState}`);
      const instance = {
        ownKeys: Reflect.ownKeys(es).map(String),
        proto: Object.getPrototypeOf(es) === EventSource.prototype,
        url: norm(es.url),
        withCredentials: es.withCredentials,
        instanceOf: [es instanceof EventSource, es instanceof EventTarget],
        constructor: es.constructor === EventSource,
      };
      const removed = () => seen.push('removed listener called');
      es.addEventListener('tick', removed);
      es.removeEventListener('tick', removed);
      es.onopen = (event) =>
        seen.push(`open readyState=${es.readyState} trusted=${event.isTrusted} target=${event.target === es}`);
      es.addEventListener('message', (event) => seen.push(`message(listener) ${event.data} trusted=${event.isTrusted}`));
      es.onmessage = (event) => seen.push(`message(onmessage) ${event.data} trusted=${event.isTrusted}`);
      const done = new Promise((resolve) => {
        let ticks = 0;
        es.addEventListener('tick', (event) => {
          seen.push(`tick ${event.data} id=${event.lastEventId} readyState=${es.readyState} phase=${event.eventPhase}`);
          if (event.isTrusted && ++ticks === 3) resolve();
        });
      });
      es.addEventListener('tick', (event) => {
        seen.push('tick stopper');
        event.stopImmediatePropagation();
      });
      es.addEventListener('tick', () => seen.push('after stopper: never'));
      const synthetic = new MessageEvent('message', { data: 'synthetic', lastEventId: 'syn-1' });
      seen.push(`dispatch synthetic returned ${es.dispatchEvent(synthetic)}`);
      seen.push(`dispatch synthetic tick returned ${es.dispatchEvent(new MessageEvent('tick', { data: 'fake' }))}`);
      seen.push(`dispatch custom returned ${es.dispatchEvent(new CustomEvent('custom', { detail: 1 }))}`);
      await timeout(done, 5000, 'ticks');
      es.close();
      seen.push(`closed readyState=${es.readyState}`);
      es.close();
      seen.push(`closed twice readyState=${es.readyState}`);
      await sleep(50);
      instance.handlers = [typeof es.onopen, typeof es.onmessage, es.onerror];
      return { seen, instance };
    },
    { essential: true },
  );
  check('eventsource', 'errorInListener', async () => {
    const es = new EventSource(streamUrl('throw', '&delay=10'));
    const got = await new Promise((resolve) => {
      const data = [];
      es.addEventListener('message', () => {
        throw new RangeError('page listener threw');
      });
      es.addEventListener('message', (event) => {
        data.push(event.data);
        if (data.length === 3) resolve(data);
      });
    });
    es.close();
    await sleep(0);
    return got;
  });
  check(
    'eventsource',
    'reconnectWithLastEventId',
    async () => {
      // The server cuts the connection after 2 events; how many times depends on whether the last
      // event before a cut made it (a reset connection may drop it): the events and the end do not.
      const seen = [];
      const es = new EventSource('/sse/resumable?total=4&dropAfter=2&interval=10&retry=50');
      await timeout(
        new Promise((resolve) => {
          es.onopen = () => seen.push(`open ${es.readyState}`);
          es.onmessage = (event) => seen.push(`message ${event.data} id=${event.lastEventId}`);
          es.addEventListener('done', (event) => seen.push(`done ${event.data} id=${event.lastEventId}`));
          es.onerror = (event) => {
            seen.push(`error readyState=${es.readyState} trusted=${event.isTrusted}`);
            if (es.readyState === EventSource.CLOSED) resolve();
          };
        }),
        5000,
        'resumable',
      );
      return {
        events: seen.filter((line) => line.startsWith('message') || line.startsWith('done')),
        reconnected: seen.filter((line) => line.startsWith('open')).length >= 2,
        errorsWhileConnecting: seen
          .filter((line) => line.startsWith('error'))
          .slice(0, -1)
          .every((line) => line.startsWith('error readyState=0')),
        end: seen.slice(-2),
      };
    },
    { essential: true },
  );
  check('eventsource', 'withCredentials', () => {
    const reads = [];
    const init = {
      get withCredentials() {
        reads.push('withCredentials');
        return 1;
      },
    };
    const a = new EventSource(streamUrl('cred-a'), init);
    const b = new EventSource(streamUrl('cred-b'), { withCredentials: true });
    const c = new EventSource(streamUrl('cred-c'), undefined);
    const out = { reads, values: [a.withCredentials, b.withCredentials, c.withCredentials] };
    for (const es of [a, b, c]) es.close();
    return out;
  });
  for (const [name, url] of [
    ['badMimeType', '/test/stream?contentType=text/plain&count=1'],
    ['noContent', '/test/no-content'],
    ['notFound', '/test/not-found'],
    ['httpErrorWithEventStream', '/test/stream?status=500&count=1'],
  ]) {
    check('eventsource', name, async () => {
      const seen = [];
      const es = new EventSource(url);
      seen.push(`readyState=${es.readyState}`);
      await timeout(
        new Promise((resolve) => {
          es.onopen = () => seen.push('open');
          es.onmessage = (event) => seen.push(`message ${event.data}`);
          es.onerror = (event) => {
            seen.push(`error readyState=${es.readyState} type=${event.type} ctor=${protoName(event)}`);
            if (es.readyState === EventSource.CLOSED) resolve();
          };
        }),
        3000,
        name,
      );
      es.close();
      return seen;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // fetch

  check('fetch', 'function', () => ({
    name: fetch.name,
    length: fetch.length,
    toString: fetch.toString(),
    source: nativeToString.call(fetch),
    newFetch: attemptSync(() => new fetch('/test/json')),
    probe: proxyProbe(fetch),
  }));
  check(
    'fetch',
    'nonSse',
    async () => {
      const response = await fetch('/test/json');
      return {
        ...responseInfo(response),
        bodyUsedBefore: response.bodyUsed,
        json: await response.json(),
        bodyUsedAfter: response.bodyUsed,
      };
    },
    { essential: true },
  );
  function responseInfo(response) {
    return {
      url: norm(response.url),
      redirected: response.redirected,
      type: response.type,
      status: response.status,
      statusText: response.statusText,
      ok: response.ok,
      headers: headerEntries(response.headers),
      ownKeys: Reflect.ownKeys(response).map(String),
      proto: Object.getPrototypeOf(response) === Response.prototype,
      bodyIsSame: response.body === response.body,
      bodyProto: response.body === null ? null : Object.getPrototypeOf(response.body) === ReadableStream.prototype,
      bodyOwnKeys: response.body === null ? null : Reflect.ownKeys(response.body).map(String),
      bodyLocked: response.body === null ? null : response.body.locked,
    };
  }
  check(
    'fetch',
    'sseReader',
    async () => {
      const response = await fetch(streamUrl('reader'));
      const info = responseInfo(response);
      info.bodyUsedBefore = response.bodyUsed;
      const reader = response.body.getReader();
      info.readerProto = Object.getPrototypeOf(reader) === ReadableStreamDefaultReader.prototype;
      info.readerOwnKeys = Reflect.ownKeys(reader).map(String);
      info.lockedAfterGetReader = response.body.locked;
      info.bodyUsedAfterGetReader = response.bodyUsed;
      const first = await reader.read();
      info.firstResult = {
        keys: Object.keys(first),
        done: first.done,
        proto: protoName(first),
        valueProto: protoName(first.value),
      };
      const rest = await readAll(reader);
      info.text = new TextDecoder().decode(first.value) + rest === sseText('reader');
      info.readAfterDone = describe(await reader.read());
      info.bodyUsedAfter = response.bodyUsed;
      info.closed = describe(await reader.closed);
      reader.releaseLock();
      info.lockedAfterRelease = response.body.locked;
      return info;
    },
    { essential: true },
  );
  check(
    'fetch',
    'clone',
    async () => {
      const response = await fetch(streamUrl('clone'));
      const copy = response.clone();
      const [a, b] = await Promise.all([readAll(response.body.getReader()), copy.text()]);
      return {
        copyProto: Object.getPrototypeOf(copy) === Response.prototype,
        copyOwnKeys: Reflect.ownKeys(copy).map(String),
        a: a === sseText('clone'),
        b: b === sseText('clone'),
        used: [response.bodyUsed, copy.bodyUsed],
      };
    },
    { essential: true },
  );
  check(
    'fetch',
    'text',
    async () => {
      const response = await fetch(streamUrl('text'));
      const text = await response.text();
      return { text: text === sseText('text'), used: response.bodyUsed, again: await attempt(() => response.text()) };
    },
    { essential: true },
  );
  check('fetch', 'arrayBufferAndBytes', async () => {
    const a = await (await fetch(streamUrl('ab'))).arrayBuffer();
    const response = await fetch(streamUrl('bytes'));
    const b = typeof response.bytes === 'function' ? await response.bytes() : null;
    return { a: [protoName(a), a.byteLength], b: b && [protoName(b), b.byteLength] };
  });
  check('fetch', 'jsonRejection', async () => {
    const response = await fetch(streamUrl('json'));
    return attempt(() => response.json());
  });
  check(
    'fetch',
    'tee',
    async () => {
      const response = await fetch(streamUrl('tee'));
      const branches = response.body.tee();
      const out = {
        protos: branches.map((b) => Object.getPrototypeOf(b) === ReadableStream.prototype),
        ownKeys: branches.map((b) => Reflect.ownKeys(b).length),
        arrayProto: Object.getPrototypeOf(branches) === Array.prototype,
      };
      const [a, b] = await Promise.all(branches.map((branch) => readAll(branch.getReader())));
      out.texts = [a === sseText('tee'), b === sseText('tee')];
      return out;
    },
    { essential: true },
  );
  check(
    'fetch',
    'pipeThroughTextDecoderStream',
    async () => {
      const response = await fetch(streamUrl('pipe'));
      const piped = response.body.pipeThrough(new TextDecoderStream());
      const out = { proto: Object.getPrototypeOf(piped) === ReadableStream.prototype, ownKeys: Reflect.ownKeys(piped).length };
      out.locked = response.body.locked;
      out.text = (await readAll(piped.getReader())) === sseText('pipe');
      return out;
    },
    { essential: true },
  );
  check('fetch', 'pipeThroughBadArgument', async () => {
    const response = await fetch(streamUrl('pipebad'));
    const out = { noArgs: attemptSync(() => response.body.pipeThrough()), locked: response.body.locked };
    out.plainObject = attemptSync(() => response.body.pipeThrough({}));
    out.locked2 = response.body.locked;
    await response.body.cancel();
    return out;
  });
  check('fetch', 'pipeTo', async () => {
    const response = await fetch(streamUrl('pipeto'));
    const chunks = [];
    const decoder = new TextDecoder();
    const result = await response.body.pipeTo(
      new WritableStream({
        write(chunk) {
          chunks.push(decoder.decode(chunk, { stream: true }));
        },
      }),
    );
    return { result: describe(result), text: chunks.join('') === sseText('pipeto') };
  });
  check(
    'fetch',
    'forAwait',
    async () => {
      const response = await fetch(streamUrl('iter'));
      let text = '';
      const decoder = new TextDecoder();
      for await (const chunk of response.body) text += decoder.decode(chunk, { stream: true });
      const again = await fetch(streamUrl('iter2'));
      const iterator = again.body.values();
      const iteratorInfo = {
        proto: protoName(Object.getPrototypeOf(iterator)),
        ownKeys: Reflect.ownKeys(iterator).map(String),
        protoKeys: Reflect.ownKeys(Object.getPrototypeOf(iterator)).map(String),
        protoDescriptors: descriptors(Object.getPrototypeOf(iterator)),
      };
      const first = await iterator.next();
      const returned = await iterator.return('early');
      return {
        text: text === sseText('iter'),
        iteratorInfo,
        first: first.done,
        returned: describe(returned),
        locked: again.body.locked,
      };
    },
    { essential: true },
  );
  check(
    'fetch',
    'byobReader',
    async () => {
      const response = await fetch(streamUrl('byob'));
      let reader;
      try {
        reader = response.body.getReader({ mode: 'byob' });
      } catch (error) {
        return { supported: false, error: errorInfo(error) };
      }
      const out = {
        supported: true,
        proto: Object.getPrototypeOf(reader) === ReadableStreamBYOBReader.prototype,
        ownKeys: Reflect.ownKeys(reader).length,
      };
      const decoder = new TextDecoder();
      let text = '';
      let buffer = new ArrayBuffer(7);
      for (;;) {
        const { done, value } = await reader.read(new Uint8Array(buffer));
        if (done) break;
        text += decoder.decode(value, { stream: true });
        buffer = value.buffer;
      }
      out.text = text === sseText('byob');
      return out;
    },
    { essential: true },
  );
  check(
    'fetch',
    'readerCancel',
    async () => {
      const response = await fetch('/test/stream?count=1000&delay=20&prefix=cancel');
      const reader = response.body.getReader();
      await reader.read();
      const cancelled = await attempt(() => reader.cancel('page cancel'));
      const after = await attempt(() => reader.read());
      const closed = await attempt(() => reader.closed);
      return { cancelled, after, closed, locked: response.body.locked };
    },
    { essential: true },
  );
  check('fetch', 'streamCancel', async () => {
    const response = await fetch('/test/stream?count=1000&delay=20&prefix=scancel');
    return { cancelled: await attempt(() => response.body.cancel('page cancel')), used: response.bodyUsed };
  });
  check(
    'fetch',
    'abort',
    async () => {
      const controller = new AbortController();
      const response = await fetch('/test/stream?count=1000&delay=20&prefix=abort', { signal: controller.signal });
      const reader = response.body.getReader();
      await reader.read();
      controller.abort();
      const after = await attempt(() => reader.read());
      const closed = await attempt(() => reader.closed);
      const abortedBefore = new AbortController();
      abortedBefore.abort();
      const early = await attempt(() => fetch(streamUrl('early'), { signal: abortedBefore.signal }));
      return { after, closed, early };
    },
    { essential: true },
  );
  check('fetch', 'errors', async () => ({
    badUrl: await attempt(() => fetch('http://[')),
    badMethod: await attempt(() => fetch('/test/json', { method: 'bad method' })),
    noArgs: await attempt(() => fetch()),
    badScheme: await attempt(() => fetch('ftp://example.invalid/')),
    refused: await attempt(() => fetch('http://127.0.0.1:1/')),
    networkSse: await attempt(() => fetch('http://127.0.0.1:1/', { headers: { Accept: 'text/event-stream' } })),
    badHeader: await attempt(() => fetch('/test/json', { headers: { 'bad header': 'x' } })),
  }));
  check('fetch', 'unhandledRejectionOfUnhandledFetch', async () => {
    const before = errors.length;
    const promise = fetch('http://[unhandled');
    const reasons = [];
    const listener = (event) => reasons.push({ same: event.promise === promise, reason: errorInfo(event.reason) });
    window.addEventListener('unhandledrejection', listener);
    await sleep(50);
    window.removeEventListener('unhandledrejection', listener);
    errors.length = before;
    return reasons;
  });
  check('fetch', 'argumentReads', async () => {
    // How many times each value the page passes is looked at: the browser's own reads only.
    const reads = [];
    const url = { toString: () => (reads.push('url.toString'), '/test/json') };
    const init = {};
    for (const key of [
      'method',
      'headers',
      'body',
      'signal',
      'cache',
      'credentials',
      'mode',
      'redirect',
      'referrer',
      'keepalive',
      'priority',
    ]) {
      Object.defineProperty(init, key, {
        enumerable: true,
        get() {
          reads.push(`init.${key}`);
          return key === 'method' ? { toString: () => (reads.push('method.toString'), 'GET') } : undefined;
        },
      });
    }
    const response = await fetch(url, init);
    await response.json();
    const headers = {
      get Accept() {
        reads.push('headers.Accept');
        return 'text/event-stream';
      },
    };
    const sse = await fetch(streamUrl('args'), { headers });
    await sse.text();
    return reads;
  });
  check('fetch', 'oneShotHeaders', async () => {
    // Headers given as an iterator can be read once: what did the server receive?
    const tag = `${Math.random()}`.slice(2);
    const headers = new Map([
      ['Accept', 'text/event-stream'],
      ['X-One-Shot', 'sent'],
    ]).entries();
    const response = await fetch(`/test/stream?count=1&prefix=oneshot&tag=${tag}`, { headers });
    await response.text();
    const log = await (await fetch('/__requests')).json();
    const entry = log.find((r) => r.url.includes(`tag=${tag}`));
    return { accept: entry?.headers.accept ?? null, oneShot: entry?.headers['x-one-shot'] ?? null };
  });
  check('fetch', 'requestObject', async () => {
    const request = new Request(streamUrl('request'), {
      method: 'POST',
      body: 'hello',
      headers: { Accept: 'text/event-stream' },
    });
    const response = await fetch(request);
    const text = await response.text();
    return {
      bodyUsed: request.bodyUsed,
      text: text.startsWith(': connected\n\n: body-length 5\n\n'),
      requestOwnKeys: Reflect.ownKeys(request).length,
    };
  });
  check('fetch', 'streamingRequestBody', async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    return attempt(async () => {
      const response = await fetch(streamUrl('upload'), {
        method: 'POST',
        body,
        duplex: 'half',
        headers: { Accept: 'text/event-stream' },
      });
      return (await response.text()).includes('body-length 8');
    });
  });
  check('fetch', 'microtaskOrder', async () => {
    const order = [];
    // A fetch that rejects at once, raced against plain microtasks.
    fetch('http://[').catch(() => order.push('fetch rejected'));
    Promise.resolve()
      .then(() => order.push('tick 1'))
      .then(() => order.push('tick 2'))
      .then(() => order.push('tick 3'));
    await sleep(10);
    // A read of a chunk already queued, raced the same way.
    const response = await fetch(streamUrl('ticks'));
    const reader = response.body.getReader();
    await reader.read();
    await sleep(100);
    reader.read().then(() => order.push('read resolved'));
    Promise.resolve()
      .then(() => order.push('tick A'))
      .then(() => order.push('tick B'))
      .then(() => order.push('tick C'));
    await sleep(10);
    await reader.cancel();
    return order;
  });
  check('fetch', 'prototypes', () => ({
    response: descriptors(Response.prototype),
    readableStream: descriptors(ReadableStream.prototype),
    defaultReader: descriptors(ReadableStreamDefaultReader.prototype),
    byobReader: typeof ReadableStreamBYOBReader === 'function' ? descriptors(ReadableStreamBYOBReader.prototype) : null,
    probes: Object.fromEntries(
      [
        ['Response.prototype.text', Response.prototype.text],
        ['Response.prototype.clone', Response.prototype.clone],
        ['Response.prototype.body getter', Object.getOwnPropertyDescriptor(Response.prototype, 'body').get],
        ['ReadableStream.prototype.getReader', ReadableStream.prototype.getReader],
        ['ReadableStream.prototype.pipeThrough', ReadableStream.prototype.pipeThrough],
        ['ReadableStream.prototype[Symbol.asyncIterator]', ReadableStream.prototype[Symbol.asyncIterator]],
        ['ReadableStreamDefaultReader.prototype.read', ReadableStreamDefaultReader.prototype.read],
      ].map(([label, fn]) => [label, fn ? proxyProbe(fn) : null]),
    ),
  }));

  // ---------------------------------------------------------------------------------------------
  // XMLHttpRequest

  function xhrRun(url, { abortAfterFirstChunk = false, responseType } = {}) {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      const sequence = [];
      const texts = [];
      const note = (label) => {
        // Runs of LOADING readystatechange/progress depend on how the bytes were chunked: one entry.
        const entry = label === 'readystatechange 3' || label === 'progress' ? 'LOADING' : label;
        if (sequence[sequence.length - 1] !== entry) sequence.push(entry);
      };
      xhr.onreadystatechange = () => {
        note(`readystatechange ${xhr.readyState}`);
        if (xhr.readyState >= 3 && xhr.responseType === '') texts.push(xhr.responseText);
      };
      for (const type of ['loadstart', 'progress', 'load', 'error', 'abort', 'timeout', 'loadend']) {
        xhr.addEventListener(type, (event) => {
          note(type);
          if (type === 'progress' && xhr.responseType === '') {
            texts.push(xhr.responseText);
            if (abortAfterFirstChunk && xhr.responseText.length > 0) xhr.abort();
          }
          if (type === 'loadend') {
            const final = xhr.responseType === '' || xhr.responseType === 'text' ? xhr.responseText : describe(xhr.response);
            resolve({
              sequence,
              status: xhr.status,
              statusText: xhr.statusText,
              responseURL: norm(xhr.responseURL),
              readyState: xhr.readyState,
              headers: xhr
                .getAllResponseHeaders()
                .split('\r\n')
                .filter((line) => line && !line.startsWith('date:'))
                .sort(),
              final: typeof final === 'string' ? norm(final) : final,
              prefixes: texts.every((t) => typeof final === 'string' && final.startsWith(t)),
              progressEvent: { lengthComputable: event.lengthComputable, proto: protoName(event) },
              ownKeys: Reflect.ownKeys(xhr).map(String),
            });
          }
        });
      }
      if (responseType) xhr.responseType = responseType;
      xhr.open('GET', url);
      note(`after open ${xhr.readyState}`);
      xhr.send();
      note(`after send ${xhr.readyState}`);
    });
  }
  check('xhr', 'sse', () => xhrRun(streamUrl('xhr', '&delay=20')), { essential: true });
  check('xhr', 'nonSse', () => xhrRun('/test/json'), { essential: true });
  check('xhr', 'notFound', () => xhrRun('/test/not-found'));
  check('xhr', 'sseResponseTypeArrayBuffer', () => xhrRun(streamUrl('xhrab'), { responseType: 'arraybuffer' }));
  check('xhr', 'sseAbort', () => xhrRun('/test/stream?count=1000&delay=20&prefix=xhrabort', { abortAfterFirstChunk: true }));
  check('xhr', 'synchronous', () => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', streamUrl('xhrsync'), false);
    xhr.send();
    return { status: xhr.status, text: xhr.responseText === sseText('xhrsync') };
  });
  check('xhr', 'argumentReads', () => {
    const reads = [];
    const xhr = new XMLHttpRequest();
    const thing = (label, value) => ({ toString: () => (reads.push(label), value) });
    xhr.open(thing('method', 'GET'), thing('url', '/test/json'));
    xhr.setRequestHeader(thing('name', 'X-Test'), thing('value', '1'));
    xhr.abort();
    return reads;
  });
  check('xhr', 'errors', () => {
    const xhr = new XMLHttpRequest();
    return {
      sendBeforeOpen: attemptSync(() => xhr.send()),
      headerBeforeOpen: attemptSync(() => xhr.setRequestHeader('a', 'b')),
      badMethod: attemptSync(() => xhr.open('bad method', '/')),
      badUrl: attemptSync(() => xhr.open('GET', 'http://[')),
      illegal: attemptSync(() => XMLHttpRequest.prototype.open.call({}, 'GET', '/')),
    };
  });
  check('xhr', 'prototype', () => ({
    descriptors: descriptors(XMLHttpRequest.prototype),
    open: proxyProbe(XMLHttpRequest.prototype.open),
    send: proxyProbe(XMLHttpRequest.prototype.send),
    ctor: {
      name: XMLHttpRequest.name,
      source: nativeToString.call(XMLHttpRequest),
      ownKeys: Reflect.ownKeys(new XMLHttpRequest()),
    },
  }));

  // ---------------------------------------------------------------------------------------------
  // Stack traces: errors thrown through a wrapped built-in, and page code called back by one.

  check('stacks', 'syncErrors', () => {
    const stacks = {};
    const record = (label, fn) => {
      try {
        fn();
        stacks[label] = 'no error';
      } catch (error) {
        stacks[label] = stackOf(error);
      }
    };
    record('new EventSource(bad url)', () => new EventSource('http://['));
    record('EventSource()', () => EventSource('/'));
    record('EventSource.prototype.close on {}', () => EventSource.prototype.close.call({}));
    record('body getter on {}', () => Object.getOwnPropertyDescriptor(Response.prototype, 'body').get.call({}));
    record('Function.prototype.toString on {}', () => Function.prototype.toString.call({}));
    record('getReader of a locked stream', () => {
      const stream = new ReadableStream();
      stream.getReader();
      stream.getReader();
    });
    record('tee of a locked stream', () => {
      const stream = new ReadableStream();
      stream.getReader();
      stream.tee();
    });
    record('clone of a used response', () => {
      const response = new Response('x');
      response.body.getReader();
      response.clone();
    });
    record('addEventListener on {}', () => EventTarget.prototype.addEventListener.call({}, 'x', () => {}));
    record('xhr.send before open', () => new XMLHttpRequest().send());
    record('xhr.setRequestHeader before open', () => new XMLHttpRequest().setRequestHeader('a', 'b'));
    return stacks;
  });
  check('stacks', 'asyncErrors', async () => {
    const stacks = {};
    const record = async (label, fn) => {
      try {
        await fn();
        stacks[label] = 'no error';
      } catch (error) {
        stacks[label] = stackOf(error);
      }
    };
    await record('fetch(bad url)', () => fetch('http://['));
    await record('text() of a used body', async () => {
      const response = new Response('x');
      await response.text();
      await response.text();
    });
    await record('read() on {}', () => ReadableStreamDefaultReader.prototype.read.call({}));
    await record('text() of a used SSE body', async () => {
      const response = await fetch(streamUrl('stacktext'));
      await response.text();
      await response.text();
    });
    return stacks;
  });
  check('stacks', 'pageCodeCalledBack', async () => {
    const stacks = {};
    const callback = (label, value) => ({
      toString() {
        stacks[label] = stackOf(new Error('called back'));
        return value;
      },
    });
    await fetch(callback('fetch url', '/test/json')).then((r) => r.text());
    new EventSource(callback('EventSource url', streamUrl('cb'))).close();
    const xhr = new XMLHttpRequest();
    xhr.open('GET', callback('xhr url', '/test/json'));
    xhr.setRequestHeader('X-Test', callback('xhr header', '1'));
    xhr.abort();
    const response = await fetch(streamUrl('cbpipe'));
    const transform = new TransformStream();
    await response.body
      .pipeThrough({
        get writable() {
          stacks['pipeThrough writable getter'] = stackOf(new Error('called back'));
          return transform.writable;
        },
        readable: transform.readable,
      })
      .cancel();
    return stacks;
  });

  // ---------------------------------------------------------------------------------------------
  // Run

  async function run() {
    for (const [group, checks] of Object.entries(battery)) {
      groups[group] = {};
      for (const [name, fn] of Object.entries(checks)) {
        try {
          groups[group][name] = describe(await timeout(Promise.resolve().then(fn), 10_000, name));
        } catch (error) {
          groups[group][name] = { checkThrew: errorInfo(error), stack: stackOf(error) };
        }
      }
    }
    await sleep(100);
    document.getElementById('status').textContent = 'done';
    return { groups, errors, messages, hostileLog: window.__hostileLog.slice() };
  }

  // Server-side probes (driven by the e2e test, after the battery): timestamps for the server log.
  window.__cancelProbe = async (how) => {
    const controller = new AbortController();
    const response = await fetch(`/test/stream?count=1000&delay=20&prefix=server-${how}`, { signal: controller.signal });
    const reader = response.body.getReader();
    await reader.read();
    serverProbe[how] = Date.now();
    if (how === 'cancel') await reader.cancel();
    else if (how === 'abort') controller.abort();
    return serverProbe[how];
  };
  window.__esCloseProbe = async () => {
    const es = new EventSource('/test/stream?count=1000&delay=20&prefix=server-esclose');
    await new Promise((resolve) => (es.onmessage = resolve));
    es.close();
    return Date.now();
  };
  let held;
  window.__holdFlood = async () => {
    held = await fetch('/test/flood');
    return held.status;
  };
  window.__releaseFlood = async () => {
    await held.body.cancel();
    held = undefined;
  };

  window.__transparency = run();
})();
