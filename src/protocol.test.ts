import { describe, expect, it } from 'vitest';
import {
  isBackgroundToRelay,
  isPageCommand,
  isPageRecord,
  isPageStatus,
  isPanelRequest,
  isPlausibleBatchJson,
  isPlausibleStatusJson,
  isRelayMessage,
  MAX_BATCH_JSON_LENGTH,
  MAX_PATTERN_LENGTH,
  MAX_STATUS_JSON_LENGTH,
  parsePageStatus,
  PROTOCOL_VERSION,
  type PageCommand,
} from './protocol';

// ---------------------------------------------------------------------------------------------
// well-formed records, one of each type (and each sse item kind)

const T = 1_768_471_200_250.125;

const streamOpen = {
  type: 'stream-open',
  stream: 'doc-1',
  kind: 'fetch',
  url: 'https://api.example.com/s',
  method: 'POST',
  requestHeaders: [{ name: 'Accept', value: 'text/event-stream' }],
  requestBody: { mimeType: 'application/json', text: '{}', truncated: false, size: 2 },
  withCredentials: true,
  frameUrl: 'https://app.example.com/',
  time: T,
};
const streamOpenMinimal = {
  type: 'stream-open',
  stream: 'doc-2',
  kind: 'eventsource',
  url: '/events',
  method: 'GET',
  requestHeaders: [],
  frameUrl: '',
  time: 0,
};
const streamResponse = {
  type: 'stream-response',
  stream: 'doc-1',
  status: 200,
  statusText: 'OK',
  responseHeaders: [{ name: 'Content-Type', value: 'text/event-stream' }],
  contentType: 'text/event-stream',
  redirected: false,
  url: 'https://api.example.com/s2',
  time: T + 1,
};
const streamState = {
  type: 'stream-state',
  stream: 'doc-1',
  state: 'error',
  reason: 'reconnecting',
  detail: 'Last-Event-ID: 4',
  time: T + 2,
};
const streamChunk = { type: 'stream-chunk', stream: 'doc-1', text: 'data: x\n\n', bytes: 9, time: T + 3 };
const streamRequestBody = {
  type: 'stream-request-body',
  stream: 'doc-1',
  body: { mimeType: 'text/plain', text: 'hello', size: 5 },
  time: T + 0.5,
};
const captureIssue = { type: 'capture-issue', message: 'window.fetch was replaced', time: T + 4 };

const items = {
  event: { kind: 'event', type: 'message', data: 'x', lastEventId: '', time: T },
  eventFull: {
    kind: 'event',
    type: 'upd',
    data: 'y',
    lastEventId: '7',
    idSet: true,
    truncated: { originalLength: 9999 },
    time: T,
  },
  eventReplayed: { kind: 'event', type: 'message', data: 'x', lastEventId: '', replayed: true, time: T },
  comment: { kind: 'comment', text: ' ping', time: T },
  retry: { kind: 'retry', milliseconds: 3000, time: T },
  retryZero: { kind: 'retry', milliseconds: 0, time: T },
  field: { kind: 'field', name: 'foo', value: 'bar', time: T },
  warning: { kind: 'warning', code: 'event-without-data', message: 'no data', time: T },
};
const sse = (item: unknown) => ({ type: 'sse', stream: 'doc-1', items: [item] });

const VALID: Record<string, unknown> = {
  streamOpen,
  streamOpenMinimal,
  streamOpenMocked: { ...streamOpen, mocked: true },
  streamResponse,
  streamResponseMinimal: { ...streamResponse, redirected: undefined, url: undefined },
  streamStateMinimal: { type: 'stream-state', stream: 's', state: 'open', time: T },
  streamState,
  streamChunk,
  streamRequestBody,
  captureIssue,
  ...Object.fromEntries(Object.entries(items).map(([k, item]) => [`sse-${k}`, sse(item)])),
};

/** Copy of `record` with `key` set to `value` (or removed when value is the REMOVE marker). */
const REMOVE = Symbol('remove');
function withField(record: object, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...record };
  if (value === REMOVE) delete copy[key];
  else copy[key] = value;
  return copy;
}

const batch = (records: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ v: PROTOCOL_VERSION, ...extra, records });

// ---------------------------------------------------------------------------------------------

describe('isPageRecord: accepts well-formed records', () => {
  for (const [name, record] of Object.entries(VALID)) {
    it(name, () => {
      expect(isPageRecord(record)).toBe(true);
      // and they survive a JSON round trip (which is how they arrive)
      expect(isPageRecord(JSON.parse(JSON.stringify(record)))).toBe(true);
    });
  }

  it('tolerates unknown extra properties', () => {
    expect(isPageRecord({ ...streamChunk, extra: { nested: [1, 2] } })).toBe(true);
  });

  it('accepts every stream kind, state, reason and warning code', () => {
    for (const kind of ['eventsource', 'fetch', 'xhr']) expect(isPageRecord({ ...streamOpen, kind }), kind).toBe(true);
    for (const state of ['connecting', 'open', 'closed', 'error']) {
      expect(isPageRecord({ ...streamState, state }), state).toBe(true);
    }
    for (const reason of [
      'reconnecting',
      'closed-by-page',
      'ended-by-server',
      'cancelled-by-page',
      'aborted',
      'network-error',
      'http-error',
    ]) {
      expect(isPageRecord({ ...streamState, reason }), reason).toBe(true);
    }
    for (const code of [
      'retry-not-digits',
      'id-contains-nul',
      'unknown-field',
      'incomplete-final-event',
      'data-without-dispatch',
      'line-truncated',
      'event-truncated',
      'event-without-data',
    ]) {
      expect(isPageRecord(sse({ ...items.warning, code })), code).toBe(true);
    }
  });
});

describe('isPageRecord: rejects malformed records', () => {
  it('a page cannot claim a stream was seen on the wire (only deep capture, in the background, sets seenOn)', () => {
    expect(isPageRecord({ ...streamOpen, seenOn: 'wire' })).toBe(false);
    expect(isPageRecord({ ...streamOpen, seenOn: 'page' })).toBe(false);
  });

  it('non-objects and unknown types', () => {
    for (const v of [null, undefined, 0, 1, 'stream-open', true, [], [streamChunk], () => streamChunk]) {
      expect(isPageRecord(v), String(v)).toBe(false);
    }
    expect(isPageRecord({ ...streamChunk, type: 'stream-chonk' })).toBe(false);
    expect(isPageRecord({ ...streamChunk, type: undefined })).toBe(false);
    expect(isPageRecord({ ...streamChunk, type: 'STREAM-CHUNK' })).toBe(false);
    expect(isPageRecord({ ...streamChunk, type: 'toString' })).toBe(false);
    expect(isPageRecord({ ...streamChunk, type: '__proto__' })).toBe(false);
  });

  const requiredFields: [string, object, string[]][] = [
    ['stream-open', streamOpen, ['stream', 'kind', 'url', 'method', 'requestHeaders', 'frameUrl', 'time']],
    ['stream-response', streamResponse, ['stream', 'status', 'statusText', 'responseHeaders', 'contentType', 'time']],
    ['stream-state', streamState, ['stream', 'state', 'time']],
    ['stream-chunk', streamChunk, ['stream', 'text', 'bytes', 'time']],
    ['stream-request-body', streamRequestBody, ['stream', 'body', 'time']],
    ['sse', sse(items.event), ['stream', 'items']],
    ['capture-issue', captureIssue, ['message', 'time']],
  ];
  for (const [type, record, fields] of requiredFields) {
    it(`${type}: a missing required field`, () => {
      for (const field of fields) expect(isPageRecord(withField(record, field, REMOVE)), field).toBe(false);
    });
  }

  it('wrong types for string fields', () => {
    const cases: [object, string][] = [
      [streamOpen, 'stream'],
      [streamOpen, 'url'],
      [streamOpen, 'method'],
      [streamOpen, 'frameUrl'],
      [streamResponse, 'statusText'],
      [streamResponse, 'contentType'],
      [streamResponse, 'url'],
      [streamState, 'detail'],
      [streamChunk, 'text'],
      [captureIssue, 'message'],
    ];
    for (const [record, field] of cases) {
      for (const bad of [1, null, {}, ['a'], true]) {
        expect(isPageRecord(withField(record, field, bad)), `${field}=${JSON.stringify(bad)}`).toBe(false);
      }
    }
  });

  it('wrong types, NaN and Infinity for number fields', () => {
    const cases: [object, string][] = [
      [streamOpen, 'time'],
      [streamResponse, 'status'],
      [streamResponse, 'time'],
      [streamState, 'time'],
      [streamChunk, 'bytes'],
      [streamChunk, 'time'],
      [captureIssue, 'time'],
      [streamRequestBody, 'time'],
    ];
    for (const [record, field] of cases) {
      for (const bad of ['1', null, NaN, Infinity, -Infinity, {}, [1], true]) {
        expect(isPageRecord(withField(record, field, bad)), `${field}=${String(bad)}`).toBe(false);
      }
    }
    for (const bad of [NaN, Infinity, '5']) {
      expect(isPageRecord(sse({ ...items.event, time: bad })), `item.time=${String(bad)}`).toBe(false);
    }
  });

  it('times a Date cannot hold (which would make the HAR export throw)', () => {
    for (const bad of [8.64e15 + 1, -8.64e15 - 1, 1e20, Number.MAX_VALUE]) {
      expect(isPageRecord({ ...streamOpen, time: bad })).toBe(false);
      expect(isPageRecord({ ...streamChunk, time: bad })).toBe(false);
      expect(isPageRecord({ ...streamRequestBody, time: bad })).toBe(false);
      expect(isPageRecord(sse({ ...items.comment, time: bad }))).toBe(false);
    }
    expect(isPageRecord({ ...streamOpen, time: 8.64e15 })).toBe(true);
  });

  it('values outside an enum', () => {
    expect(isPageRecord({ ...streamOpen, kind: 'websocket' })).toBe(false);
    expect(isPageRecord({ ...streamOpen, kind: 'FETCH' })).toBe(false);
    expect(isPageRecord({ ...streamState, state: 'half-open' })).toBe(false);
    expect(isPageRecord({ ...streamState, reason: 'because' })).toBe(false);
    expect(isPageRecord({ ...streamState, reason: null })).toBe(false);
  });

  it('optional fields of the wrong type', () => {
    expect(isPageRecord({ ...streamOpen, withCredentials: 'true' })).toBe(false);
    expect(isPageRecord({ ...streamOpen, requestBody: null })).toBe(false);
    expect(isPageRecord({ ...streamOpen, requestBody: 'x' })).toBe(false);
    expect(isPageRecord({ ...streamOpen, requestBody: { text: 'x' } })).toBe(false);
    expect(isPageRecord({ ...streamOpen, requestBody: { mimeType: 'a', text: 1 } })).toBe(false);
    expect(isPageRecord({ ...streamOpen, requestBody: { mimeType: 'a', text: 'x', truncated: 1 } })).toBe(false);
    expect(isPageRecord({ ...streamOpen, requestBody: { mimeType: 'a', text: 'x', size: NaN } })).toBe(false);
    expect(isPageRecord({ ...streamOpen, requestBody: { mimeType: 'a', text: 'x', size: '2' } })).toBe(false);
    expect(isPageRecord({ ...streamResponse, redirected: 'yes' })).toBe(false);
    expect(isPageRecord({ ...streamRequestBody, body: null })).toBe(false);
    expect(isPageRecord({ ...streamRequestBody, body: 'hello' })).toBe(false);
    expect(isPageRecord({ ...streamRequestBody, body: { mimeType: 'text/plain' } })).toBe(false);
    expect(isPageRecord({ ...streamRequestBody, body: { mimeType: 'a', text: 'x', truncated: 'no' } })).toBe(false);
  });

  it('header lists that are not arrays of {name: string, value: string}', () => {
    for (const bad of [
      {},
      { Accept: 'text/event-stream' },
      'Accept: text/event-stream',
      null,
      [['Accept', 'text/event-stream']],
      [{ name: 'Accept' }],
      [{ name: 'Accept', value: 1 }],
      [{ name: 1, value: 'x' }],
      [{ name: 'A', value: 'b' }, null],
      [{ name: 'A', value: 'b' }, 'C: d'],
    ]) {
      expect(isPageRecord({ ...streamOpen, requestHeaders: bad }), JSON.stringify(bad)).toBe(false);
      expect(isPageRecord({ ...streamResponse, responseHeaders: bad }), JSON.stringify(bad)).toBe(false);
    }
  });

  it('malformed sse items', () => {
    const bad: unknown[] = [
      null,
      'data: x',
      [],
      { ...items.event, kind: 'message' },
      withField(items.event, 'kind', REMOVE),
      withField(items.event, 'time', REMOVE),
      withField(items.event, 'type', REMOVE),
      withField(items.event, 'data', REMOVE),
      withField(items.event, 'lastEventId', REMOVE),
      { ...items.event, data: 1 },
      { ...items.event, lastEventId: null },
      { ...items.event, idSet: 'yes' },
      { ...items.event, truncated: true },
      { ...items.event, truncated: {} },
      { ...items.event, truncated: { originalLength: '5' } },
      { ...items.event, truncated: { originalLength: Infinity } },
      withField(items.comment, 'text', REMOVE),
      { ...items.comment, text: 3 },
      { ...items.retry, milliseconds: -1 },
      { ...items.retry, milliseconds: '3000' },
      { ...items.retry, milliseconds: NaN },
      { ...items.retry, milliseconds: Infinity },
      withField(items.field, 'name', REMOVE),
      { ...items.field, value: 2 },
      { ...items.warning, code: 'not-a-code' },
      { ...items.warning, code: 'UNKNOWN-FIELD' },
      withField(items.warning, 'code', REMOVE),
      { ...items.warning, message: undefined },
    ];
    for (const item of bad) expect(isPageRecord(sse(item)), JSON.stringify(item)).toBe(false);
    expect(isPageRecord({ ...sse(items.event), stream: 5 })).toBe(false);
  });
});

describe('isPlausibleBatchJson', () => {
  it('accepts a string starting with the versioned envelope', () => {
    expect(isPlausibleBatchJson(batch([]))).toBe(true);
    expect(isPlausibleBatchJson('{"v":2,')).toBe(true);
  });

  it('rejects non-strings, empty strings and other prefixes', () => {
    for (const v of [
      undefined,
      null,
      1,
      {},
      { v: 1, records: [] },
      ['{"v":1,'],
      '',
      ' {"v":1,"records":[]}',
      '{"v":1,"records":[]}',
      '{"records":[],"v":2}',
      '{"v": 2,"records":[]}',
      '{"v":2}',
      '{"v":20,"records":[]}',
    ]) {
      expect(isPlausibleBatchJson(v), JSON.stringify(v)).toBe(false);
    }
  });

  it('enforces the length bound (inclusive)', () => {
    const prefix = '{"v":2,';
    const atLimit = prefix + ' '.repeat(MAX_BATCH_JSON_LENGTH - prefix.length);
    expect(atLimit).toHaveLength(MAX_BATCH_JSON_LENGTH);
    expect(isPlausibleBatchJson(atLimit)).toBe(true);
    expect(isPlausibleBatchJson(`${atLimit} `)).toBe(false);
  });
});

describe('isRelayMessage', () => {
  it('accepts each message', () => {
    expect(isRelayMessage({ type: 'relay-hello', frameUrl: 'https://a/', isTop: true, document: 'd1' })).toBe(true);
    expect(isRelayMessage({ type: 'relay-hello', frameUrl: '', isTop: false, document: '' })).toBe(true);
    expect(isRelayMessage({ type: 'page-batch', json: batch([]) })).toBe(true);
    expect(isRelayMessage({ type: 'page-status', json: '{}' })).toBe(true);
    expect(isRelayMessage({ type: 'relay-drops', reason: 'over budget', batches: 2, chars: 10 })).toBe(true);
    // The frame's URL is taken from the port's sender, never from the hello: a claimed one is ignored.
    expect(isRelayMessage({ type: 'relay-hello', frameUrl: 1, isTop: true, document: 'd' })).toBe(true);
    // The worker keeps itself alive now: relays send no keepalive.
    expect(isRelayMessage({ type: 'keepalive' })).toBe(false);
  });

  it('rejects malformed messages', () => {
    for (const v of [
      null,
      undefined,
      'keepalive',
      [],
      [{ type: 'keepalive' }],
      {},
      { type: 'hello' },
      { type: 'relay-hello', frameUrl: 'x', isTop: 'true', document: 'd' },
      { type: 'relay-hello', frameUrl: 'x', isTop: true },
      { type: 'relay-drops', reason: 'r', batches: 'one', chars: 1 },
      { type: 'relay-hello', isTop: true, document: 'd'.repeat(201) },
      { type: 'page-batch' },
      { type: 'page-batch', json: { v: 1, records: [] } },
      { type: 'page-batch', json: null },
      { type: 'page-status', json: { id: 'x' } },
    ]) {
      expect(isRelayMessage(v), JSON.stringify(v)).toBe(false);
    }
  });
});

describe('isPanelRequest', () => {
  it('accepts each request', () => {
    expect(isPanelRequest({ type: 'panel-hello', tabId: 12 })).toBe(true);
    expect(isPanelRequest({ type: 'clear' })).toBe(true);
    expect(isPanelRequest({ type: 'set-preserve', preserve: true })).toBe(true);
    expect(isPanelRequest({ type: 'set-preserve', preserve: false })).toBe(true);
    expect(isPanelRequest({ type: 'page-command', frameId: 0, command: COMMANDS.stop })).toBe(true);
    expect(isPanelRequest({ type: 'page-command', frameId: 7, command: COMMANDS.mock })).toBe(true);
  });

  it('rejects malformed requests', () => {
    for (const v of [
      null,
      'clear',
      [],
      {},
      { type: 'reset' },
      { type: 'panel-hello' },
      { type: 'panel-hello', tabId: '12' },
      { type: 'panel-hello', tabId: NaN },
      { type: 'panel-hello', tabId: Infinity },
      { type: 'set-preserve' },
      { type: 'set-preserve', preserve: 'true' },
      { type: 'set-preserve', preserve: 1 },
      { type: 'page-command', command: COMMANDS.stop },
      { type: 'page-command', frameId: -1, command: COMMANDS.stop },
      { type: 'page-command', frameId: 1.5, command: COMMANDS.stop },
      { type: 'page-command', frameId: 0, command: { type: 'stop' } },
      { type: 'page-command', frameId: 0 },
    ]) {
      expect(isPanelRequest(v), JSON.stringify(v)).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// replay and mock

const event = { at: 0, type: 'message', data: 'a', lastEventId: '' };
const COMMANDS: Record<'replay' | 'stop' | 'mock', PageCommand> = {
  replay: { type: 'replay', id: 'replay-1', stream: 'doc-3', events: [event, { ...event, at: 200, data: 'b' }] },
  stop: { type: 'stop', id: 'replay-1' },
  mock: {
    type: 'mock',
    id: 'mock-1',
    pattern: 'http://h/s*',
    recording: {
      source: 'http://h/s?x=1',
      status: 200,
      statusText: 'OK',
      headers: [{ name: 'content-type', value: 'text/event-stream' }],
      responseAt: 12.5,
      chunks: [{ at: 20, text: 'data: a\n\n' }],
      events: [{ ...event, at: 20 }],
      endAt: 30,
    },
  },
};

describe('isPageCommand', () => {
  it('accepts each command, as it arrives (JSON) and without prototypes (as the page world parses it)', () => {
    const bare = (json: string): unknown =>
      JSON.parse(json, (_key, value: unknown) =>
        typeof value === 'object' && value !== null ? Object.setPrototypeOf(value, null) : value,
      );
    for (const command of Object.values(COMMANDS)) {
      expect(isPageCommand(command), command.type).toBe(true);
      expect(isPageCommand(JSON.parse(JSON.stringify(command))), command.type).toBe(true);
      expect(isPageCommand(bare(JSON.stringify(command))), command.type).toBe(true);
    }
    expect(isPageCommand({ ...COMMANDS.replay, events: [] })).toBe(true);
  });

  it('rejects malformed commands', () => {
    const mock = COMMANDS.mock as Extract<PageCommand, { type: 'mock' }>;
    const recording = (change: Record<string, unknown>) => ({ ...mock, recording: { ...mock.recording, ...change } });
    for (const v of [
      null,
      'stop',
      [],
      [COMMANDS.stop],
      {},
      { type: 'stop' },
      { type: 'stop', id: '' },
      { type: 'stop', id: 'x'.repeat(201) },
      { type: 'stop', id: 5 },
      { type: 'unknown', id: 'x' },
      { ...COMMANDS.replay, stream: undefined },
      { ...COMMANDS.replay, events: undefined },
      { ...COMMANDS.replay, events: {} },
      { ...COMMANDS.replay, events: [{ ...event, at: -1 }] },
      { ...COMMANDS.replay, events: [{ ...event, at: NaN }] },
      { ...COMMANDS.replay, events: [{ ...event, at: 1e12 }] },
      { ...COMMANDS.replay, events: [{ ...event, data: 1 }] },
      { ...COMMANDS.replay, events: [{ ...event, type: undefined }] },
      { ...COMMANDS.replay, events: [{ ...event, lastEventId: null }] },
      { ...COMMANDS.replay, events: [event, null] },
      { ...mock, pattern: '' },
      { ...mock, pattern: 'x'.repeat(MAX_PATTERN_LENGTH + 1) },
      { ...mock, pattern: /x/ },
      { ...mock, recording: undefined },
      recording({ status: '200' }),
      recording({ statusText: undefined }),
      recording({ headers: [{ name: 'a' }] }),
      recording({ headers: {} }),
      recording({ responseAt: -5 }),
      recording({ chunks: [{ at: 0, text: 1 }] }),
      recording({ chunks: 'data: x' }),
      recording({ events: [{ at: 0 }] }),
      recording({ endAt: Infinity }),
      recording({ source: undefined }),
    ]) {
      expect(isPageCommand(v), JSON.stringify(v)).toBe(false);
    }
  });

  it('calls no method the page could replace (Array.prototype.every, Array.isArray, Number.isFinite)', () => {
    const saved = { every: Array.prototype.every, some: Array.prototype.some, isArray: Array.isArray, isFinite: Number.isFinite };
    const trap = () => {
      throw new Error('a replaced built-in was called');
    };
    const parsed = Object.values(COMMANDS).map((command) => JSON.parse(JSON.stringify(command)) as unknown);
    const results: boolean[] = [];
    try {
      Array.prototype.every = trap as never;
      Array.prototype.some = trap;
      Array.isArray = trap as never;
      Number.isFinite = trap as never;
      for (let i = 0; i < parsed.length; i++) results[i] = isPageCommand(parsed[i]);
    } finally {
      Array.prototype.every = saved.every;
      Array.prototype.some = saved.some;
      Array.isArray = saved.isArray;
      Number.isFinite = saved.isFinite;
    }
    expect(results).toEqual([true, true, true]);
  });
});

describe('page statuses', () => {
  const status = {
    type: 'command-status',
    id: 'mock-1',
    state: 'answered',
    kind: 'fetch',
    url: 'http://h/s',
    stream: 'doc-9',
    time: T,
  };

  it('accepts each state and the optional fields', () => {
    for (const state of ['armed', 'answered', 'started', 'done', 'stopped', 'cancelled', 'not-found', 'unreachable']) {
      expect(isPageStatus({ ...status, state }), state).toBe(true);
    }
    expect(isPageStatus({ type: 'command-status', id: 'r', state: 'done', delivered: 5, total: 5, time: T })).toBe(true);
    expect(parsePageStatus(JSON.stringify(status))).toEqual(status);
  });

  it('rejects malformed statuses', () => {
    for (const v of [
      null,
      {},
      { ...status, type: 'status' },
      { ...status, id: '' },
      { ...status, state: 'exploded' },
      { ...status, delivered: '1' },
      { ...status, total: NaN },
      { ...status, kind: 'websocket' },
      { ...status, url: 1 },
      { ...status, stream: {} },
      { ...status, time: undefined },
      { ...status, time: 1e20 },
    ]) {
      expect(isPageStatus(v), JSON.stringify(v)).toBe(false);
    }
    expect(parsePageStatus('{')).toBeNull();
    expect(parsePageStatus(JSON.stringify({ ...status, url: 'x'.repeat(MAX_STATUS_JSON_LENGTH) }))).toBeNull();
  });

  it('the relay forwards bounded strings only', () => {
    expect(isPlausibleStatusJson(JSON.stringify(status))).toBe(true);
    expect(isPlausibleStatusJson('')).toBe(false);
    expect(isPlausibleStatusJson(status)).toBe(false);
    expect(isPlausibleStatusJson('x'.repeat(MAX_STATUS_JSON_LENGTH + 1))).toBe(false);
  });
});

describe('isBackgroundToRelay', () => {
  it('accepts a command as JSON, and nothing else', () => {
    expect(isBackgroundToRelay({ type: 'page-command', json: JSON.stringify(COMMANDS.stop) })).toBe(true);
    for (const v of [
      null,
      {},
      { type: 'page-command' },
      { type: 'page-command', json: '' },
      { type: 'page-command', json: COMMANDS.stop },
      { type: 'page-batch', json: '{}' },
    ]) {
      expect(isBackgroundToRelay(v), JSON.stringify(v)).toBe(false);
    }
  });
});
