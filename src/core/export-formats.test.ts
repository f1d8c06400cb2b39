import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  buildExportParts,
  buildExportText,
  copyDataOf,
  CSV_COLUMNS,
  csvCell,
  EXPORT_FORMATS,
  exportedItem,
  requestHasRedactions,
  rowExportConnections,
  shellQuote,
  toCurl,
  toFetch,
  type ExportFormat,
  type ExportInput,
  type ExportedItem,
} from './export-formats';
import { buildHar, harExportOf, REDACTED, REDACTED_IN_URL } from './har';
import { LogStore, type Connection, type LoggedItem } from './log-store';
import type { SseItem } from './sse-types';
import { mergeSightings } from './sightings';
import { FilteredItems } from './filtered-items';
import { DEFAULT_FILTER } from './filter-model';
import type { StoredRecord } from '../protocol';
import { bigStore, richStore, SECRETS, T0 } from '../../test/fixtures/stores';
import { CHAT_URL, CLOCK_URL, deepPairRecords, NOTIFY_URL, WORKER_URL } from '../../test/fixtures/deep-pair';

function inputOf(store: LogStore, includeSensitive?: boolean): ExportInput {
  return { items: store.items, connections: store.connectionList, includeSensitive, creatorVersion: '0.1.0' };
}

/** RFC 4180 reader (quoted fields, doubled quotes, CRLF records), to read our CSV back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        cell += c;
        i++;
      }
    } else if (c === '"' && cell === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 2;
    } else if (c === '\r' || c === '\n' || c === '"') {
      throw new Error(`bare ${JSON.stringify(c)} at ${i}: not RFC 4180`);
    } else {
      cell += c;
      i++;
    }
  }
  if (cell !== '' || row.length > 0) throw new Error('last record not terminated by CRLF');
  return rows;
}

function connection(extra: Partial<Connection> = {}): Connection {
  return {
    id: 'c',
    kind: 'fetch',
    url: 'https://api.example.com/stream?x=1',
    method: 'GET',
    requestHeaders: [],
    frameUrl: '',
    frameId: 0,
    startTime: T0,
    mislabelled: false,
    state: 'open',
    transitions: [],
    lastTime: T0,
    bytes: 0,
    chunks: [],
    eventCount: 0,
    listenedTypes: [],
    eventTypes: new Map(),
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------

describe('rows: one per item in view', () => {
  const store = richStore();
  const rows = store.items.map((l) => exportedItem(l, store.connections.get(l.connectionId)));

  it('maps every kind of item to time, connection, kind, type, id, data, size', () => {
    const es = rows.filter((r) => r.connectionId === 'es-1');
    expect(es[0]).toEqual({
      time: new Date(T0 + 41.125).toISOString(),
      epochMs: T0 + 41.125,
      connectionId: 'es-1',
      connectionKind: 'eventsource',
      connectionUrl: `https://events.example.com/feed?channel=news&secret=${REDACTED_IN_URL}`,
      kind: 'event',
      type: 'message',
      id: '1',
      data: 'first',
      size: 5,
    });
    const f1 = rows.filter((r) => r.connectionId === 'f-1');
    expect(f1.map((r) => [r.kind, r.type, r.id, r.data])).toEqual([
      ['comment', '', '', ' welcome'],
      ['retry', '', '', '3000'],
      ['event', 'message', '', '{"token":"Hel"}'],
      ['warning', 'event-truncated', '', expect.any(String)],
      ['event', 'delta', '7', expect.stringMatching(/^héllo wörld — 你好/)],
      ['field', 'foo', '', 'bar'],
      ['field', 'event ', '', 'spaced'],
      ['warning', 'unknown-field', '', expect.any(String)],
      ['warning', 'line-truncated', '', expect.any(String)],
      ['event', 'message', '7', 'x'.repeat(64)],
      ['warning', 'retry-not-digits', '', expect.any(String)],
      ['warning', 'incomplete-final-event', '', expect.any(String)],
    ]);
    const truncated = f1.find((r) => r.data === 'x'.repeat(64))!;
    expect(truncated.truncatedFrom).toBe(100);
    const unicode = f1.find((r) => r.type === 'delta')!;
    expect(unicode.size).toBe(new TextEncoder().encode(unicode.data).byteLength);
  });

  it('copyDataOf: the raw data of each kind', () => {
    const items: SseItem[] = [
      { kind: 'event', type: 't', data: 'a\nb', lastEventId: '', time: 0 },
      { kind: 'comment', text: ' hb', time: 0 },
      { kind: 'retry', milliseconds: 3000, time: 0 },
      { kind: 'field', name: 'foo', value: 'bar', time: 0 },
      { kind: 'warning', code: 'unknown-field', message: 'Unknown field', time: 0 },
    ];
    expect(items.map(copyDataOf)).toEqual(['a\nb', ' hb', '3000', 'bar', 'Unknown field']);
  });

  it('NDJSON: one JSON object per line, LF-terminated, in the order given', () => {
    const text = buildExportText('ndjson', inputOf(store));
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(store.items.length);
    // U+2028/U+2029 in data stay inside their line (JSON escapes neither, but they are not LF)
    expect(lines.map((line) => JSON.parse(line) as ExportedItem)).toEqual(rows);
  });

  it('JSON: the same rows as an array', () => {
    const text = buildExportText('json', inputOf(store));
    expect(text).toBe(JSON.stringify(rows, null, 2));
    expect(buildExportText('json', { ...inputOf(store), items: [] })).toBe('[]');
    expect(buildExportText('ndjson', { ...inputOf(store), items: [] })).toBe('');
  });

  it('the caller chooses the items and their order (the view): filtered and sorted input is kept as is', () => {
    const view = store.items.filter((l) => l.item.kind === 'event').reverse();
    const rowsOut = JSON.parse(buildExportText('json', { ...inputOf(store), items: view })) as ExportedItem[];
    expect(rowsOut.map((r) => r.epochMs)).toEqual(view.map((l) => l.item.time));
  });
});

describe('CSV', () => {
  const store = richStore();

  it('RFC 4180: header, CRLF records, quoted fields read back to the rows', () => {
    const text = buildExportText('csv', inputOf(store));
    const table = parseCsv(text);
    expect(table[0]).toEqual(['time', 'connection_url', 'kind', 'type', 'id', 'data', 'size', 'seen_on', 'page']);
    const rows = store.items.map((l) => exportedItem(l, store.connections.get(l.connectionId)));
    const unformula = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);
    // No deep capture: where it was seen and what the page missed are empty.
    expect(table.slice(1).map((r) => r.map(unformula))).toEqual(
      rows.map((r) => [r.time, r.connectionUrl, r.kind, r.type, r.id, r.data, String(r.size), '', '']),
    );
  });

  it('quotes cells with a comma, quote, CR or LF, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('l1\nl2')).toBe('"l1\nl2"');
    expect(csvCell('l1\r\nl2')).toBe('"l1\r\nl2"');
    expect(csvCell('你好 🚀')).toBe('你好 🚀');
    expect(csvCell(42)).toBe('42');
  });

  it('formula injection: a cell starting with = + - @ (or tab, CR) gets a leading apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\r=x')).toBe(`"'\r=x"`);
    expect(csvCell('a=b')).toBe('a=b');
    const big = bigStore(200);
    const text = buildExportText('csv', inputOf(big));
    for (const row of parseCsv(text).slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('CSV of a deep-captured log: where each item was seen, what the page missed', () => {
  /** The CSV the panel exports of every row (App: the items in view, each stream as its row). */
  function csvOf(records: StoredRecord[]): Record<string, string>[] {
    const store = new LogStore();
    store.apply(records);
    const sightings = mergeSightings(store.connectionList, undefined, store.itemsByConnection);
    const items: LoggedItem[] = new FilteredItems().update(store, { ...DEFAULT_FILTER, sightings: sightings.filter });
    const text = buildExportText('csv', {
      items,
      connections: rowExportConnections(store.connections, sightings.rowOf),
      creatorVersion: '0.1.0',
    });
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...CSV_COLUMNS]);
    return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]!])));
  }

  const cells = (rows: Record<string, string>[], url: string) =>
    rows.filter((r) => r.connection_url === url && r.kind === 'event').map((r) => [r.data, r.seen_on, r.page]);

  it('appends seen_on and page after the first seven columns', () => {
    expect(CSV_COLUMNS).toEqual(['time', 'connection_url', 'kind', 'type', 'id', 'data', 'size', 'seen_on', 'page']);
  });

  it('a stream only the wire saw: seen_on wire, nothing missed', () => {
    expect(cells(csvOf(deepPairRecords()), WORKER_URL)).toEqual([['from the worker', 'wire', '']]);
  });

  it('a request both saw: seen_on both; an unlistened type is "not heard", what came after close "not read"', () => {
    const rows = csvOf(deepPairRecords());
    expect(cells(rows, NOTIFY_URL)).toEqual([
      ['hello', 'both', ''],
      ['{"v":2}', 'both', 'not heard'],
      ['after close', 'both', 'not read'],
    ]);
    // A fetch the page cancelled: the text beyond what it read.
    expect(cells(rows, CHAT_URL)).toEqual([
      ['first', 'both', ''],
      ['second', 'both', 'not read'],
    ]);
  });

  it('a stream only the page saw: seen_on page, nothing missed', () => {
    expect(cells(csvOf(deepPairRecords()), CLOCK_URL)).toEqual([['tick', 'page', '']]);
  });

  it('marks by the row’s page view, as the HAR does: the wire’s copy of the last heard event, stamped after the close, was read', () => {
    // The wire's clock stamps its "hello" after the page's close (T0 + 250): the page heard it all the same.
    const skewed = deepPairRecords().map((r) =>
      r.type === 'sse' && r.stream === 'wire:7' && r.items[0]?.kind === 'event' && r.items[0].data === 'hello'
        ? { ...r, items: [{ ...r.items[0], time: T0 + 255 }] }
        : r,
    );
    expect(cells(csvOf(skewed), NOTIFY_URL)).toEqual([
      ['hello', 'both', ''],
      ['{"v":2}', 'both', 'not heard'],
      ['after close', 'both', 'not read'],
    ]);
    // The HAR of the same log marks the same events.
    const store = new LogStore();
    store.apply(skewed);
    const sightings = mergeSightings(store.connectionList, undefined, store.itemsByConnection);
    const { connections, items } = harExportOf(store, sightings.rows, sightings.filter);
    const notify = buildHar(connections, items, { creatorVersion: '0.1.0' }).log.entries.find(
      (e) => e.request.url === NOTIFY_URL,
    )!;
    expect(notify._sseDevtools).toMatchObject({ seenOn: 'both', notHeardEvents: [1], notReadEvents: [2] });
  });

  it('keeps formula protection and quoting in every column', () => {
    const records = deepPairRecords().map((r) =>
      r.type === 'sse' && r.stream === 'wire:7' && r.items[0]?.kind === 'event' && r.items[0].type === 'update'
        ? { ...r, items: [{ ...r.items[0], data: '=1+2, "x"' }] }
        : r,
    );
    const rows = csvOf(records);
    expect(cells(rows, NOTIFY_URL)[1]).toEqual([`'=1+2, "x"`, 'both', 'not heard']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('copy as cURL', () => {
  /** The arguments a POSIX shell passes to curl for the command. */
  function shellArgs(command: string): string[] {
    const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}`;
    const out = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
    return out.split('\0').slice(0, -1);
  }

  it('POSIX single quotes survive anything', () => {
    const nasty = `it's "quoted" $HOME \`cmd\` \\ \n new line ; rm -rf / * ? ~ ! 你好 🚀`;
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellArgs(`curl ${shellQuote(nasty)}`)).toEqual([nasty]);
  });

  it('a GET: URL, -N, the headers (Accept added when not captured)', () => {
    const command = toCurl(connection({ requestHeaders: [{ name: 'x-trace', value: 'abc' }] }));
    expect(command).toBe(
      [`curl 'https://api.example.com/stream?x=1'`, '-N', `-H 'Accept: text/event-stream'`, `-H 'x-trace: abc'`].join(' \\\n  '),
    );
  });

  it('a POST with a body: --data-raw, no -X; other methods get -X; empty headers use "Name;"', () => {
    const post = connection({
      method: 'POST',
      requestHeaders: [
        { name: 'accept', value: 'text/event-stream' },
        { name: 'content-type', value: 'application/json' },
        { name: 'x-empty', value: '' },
      ],
      requestBody: { mimeType: 'application/json', text: `{"q":"it's 你好"}` },
    });
    expect(shellArgs(toCurl(post))).toEqual([
      'https://api.example.com/stream?x=1',
      '-N',
      '-H',
      'accept: text/event-stream',
      '-H',
      'content-type: application/json',
      '-H',
      'x-empty;',
      '--data-raw',
      `{"q":"it's 你好"}`,
    ]);
    expect(shellArgs(toCurl({ ...post, method: 'PUT' })).slice(0, 4)).toEqual([
      'https://api.example.com/stream?x=1',
      '-N',
      '-X',
      'PUT',
    ]);
    expect(shellArgs(toCurl({ ...post, requestBody: undefined, method: 'DELETE' })).slice(2, 4)).toEqual(['-X', 'DELETE']);
  });

  it('reproduces the fixture requests exactly, with secrets only when asked', () => {
    const store = richStore();
    const f1 = store.connections.get('f-1')!;
    const args = shellArgs(toCurl(f1, { includeSensitive: true }));
    expect(args[0]).toBe(f1.url);
    expect(args).toContain(`authorization: ${SECRETS.authorization}`);
    expect(args).toContain(`x-request-id: req-'quoted' "double" $HOME \`cmd\``);
    expect(args.slice(-2)).toEqual(['--data-raw', f1.requestBody!.text]);
    const redacted = shellArgs(toCurl(f1));
    expect(redacted).toContain(`authorization: ${REDACTED}`);
    expect(redacted[0]).toBe(`https://api.example.com/v1/chat?model=gpt&token=${REDACTED_IN_URL}&q=a%20b#frag`);
    expect(requestHasRedactions(f1)).toBe(true);
    expect(requestHasRedactions(f1, true)).toBe(false);
    expect(requestHasRedactions(connection())).toBe(false);
  });

  it('says when the body was not captured in full', () => {
    const m1 = richStore().connections.get('m-1')!;
    const command = toCurl(m1);
    expect(command.split('\n')[0]).toBe('# Note: the request body was not captured in full.');
    expect(shellArgs(command)).toContain('[Blob 4096 bytes]');
  });
});

describe('copy as fetch', () => {
  interface Call {
    url: string;
    init: { method: string; headers: Record<string, string>; body?: string; credentials?: string };
  }

  /** Runs the snippet with a fake fetch answering an SSE stream; returns the call and what it logged. */
  async function run(snippet: string): Promise<{ call: Call; logged: unknown[][] }> {
    let call: Call | undefined;
    const logged: unknown[][] = [];
    const fakeFetch = async (url: string, init: Call['init']) => {
      call = { url, init };
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('data: one\n\n'));
          controller.enqueue(new TextEncoder().encode('data: twö\n\n'));
          controller.close();
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    };
    const fakeConsole = { log: (...args: unknown[]) => logged.push(args) };
    // The snippet is one expression statement: an async IIFE. Evaluate it and wait for it.
    const body = `return ${snippet.replace(/^\/\/.*\n/, '').replace(/;\s*$/, '')};`;
    await (new Function('fetch', 'console', body) as (f: unknown, c: unknown) => Promise<void>)(fakeFetch, fakeConsole);
    return { call: call!, logged };
  }

  it('repeats the request and reads the stream', async () => {
    const store = richStore();
    const f1 = store.connections.get('f-1')!;
    const { call, logged } = await run(toFetch(f1, { includeSensitive: true }));
    expect(call.url).toBe(f1.url);
    expect(call.init).toEqual({
      method: 'POST',
      headers: {
        accept: 'text/event-stream',
        authorization: SECRETS.authorization,
        'content-type': 'application/json',
        'x-api-key': SECRETS.xApiKey,
        'x-csrf-token': SECRETS.csrf,
        'x-request-id': `req-'quoted' "double" $HOME \`cmd\``,
      },
      body: f1.requestBody!.text,
      credentials: 'include',
    });
    expect(logged).toEqual([[200, 'text/event-stream'], ['data: one\n\n'], ['data: twö\n\n']]);
  });

  it('leaves out headers a page cannot set (Cookie, Proxy-*, Sec-*, Host, ...) and pseudo-headers', async () => {
    const c = connection({
      requestHeaders: [
        { name: 'Cookie', value: 'a=1' },
        { name: 'Host', value: 'x' },
        { name: 'Sec-Fetch-Mode', value: 'cors' },
        { name: 'Proxy-Authorization', value: 'p' },
        { name: ':authority', value: 'x' },
        { name: 'X-Ok', value: '1' },
        { name: 'x-ok', value: '2' },
      ],
    });
    const { call } = await run(toFetch(c, { includeSensitive: true }));
    expect(call.init).toEqual({
      method: 'GET',
      headers: { accept: 'text/event-stream', 'x-ok': '1, 2' },
      credentials: 'include',
    });
  });

  it('redacts by default', async () => {
    const f1 = richStore().connections.get('f-1')!;
    const { call } = await run(toFetch(f1));
    expect(call.init.headers.authorization).toBe(REDACTED);
    expect(call.url).toContain(`token=${REDACTED_IN_URL}`);
  });

  it('an EventSource without credentials sends none', async () => {
    const { call } = await run(
      toFetch(connection({ kind: 'eventsource', requestHeaders: [{ name: 'Accept', value: 'text/event-stream' }] })),
    );
    expect(call.init).toEqual({ method: 'GET', headers: { accept: 'text/event-stream' } });
  });
});

// ---------------------------------------------------------------------------------------------

describe('redaction applies to every export form', () => {
  const store = richStore();
  const secretPattern = /SECRET-00|AUTHZ-0001|UFJPWFkt/;

  function everyFile(includeSensitive: boolean): [string, string][] {
    const files: [string, string][] = EXPORT_FORMATS.map((format) => [
      format,
      buildExportText(format, inputOf(store, includeSensitive)),
    ]);
    for (const c of store.connectionList) {
      files.push([`curl ${c.id}`, toCurl(c, { includeSensitive })]);
      files.push([`fetch ${c.id}`, toFetch(c, { includeSensitive })]);
    }
    return files;
  }

  it('by default, no secret appears in any exported file', () => {
    for (const [name, text] of everyFile(false)) {
      for (const secret of Object.values(SECRETS)) expect(text, `${name} leaks ${secret}`).not.toContain(secret);
      expect(text, name).not.toMatch(secretPattern);
    }
  });

  it('with "include sensitive data", they are there', () => {
    const all = everyFile(true)
      .map(([, text]) => text)
      .join('\n');
    for (const secret of Object.values(SECRETS)) expect(all).toContain(secret);
  });
});

// ---------------------------------------------------------------------------------------------

describe('chunked builds: 100k events without freezing the panel', () => {
  const store = bigStore(100_000);
  const yieldsOf = async (format: ExportFormat, input: ExportInput) => {
    let yields = 0;
    const parts = await buildExportParts(format, input, {
      yieldToUi: async () => {
        yields++;
      },
    });
    return { parts, yields };
  };

  it('the store really has 100k events', () => {
    expect(store.items.filter((l) => l.item.kind === 'event')).toHaveLength(100_000);
  });

  it.each(EXPORT_FORMATS)('%s: yields many times and gives the same file as the synchronous build', async (format) => {
    const input = inputOf(store);
    const { parts, yields } = await yieldsOf(format, input);
    expect(yields).toBeGreaterThanOrEqual(50); // at least one turn per 2000 items
    expect(parts.length).toBeGreaterThan(10);
    expect(parts.join('')).toBe(buildExportText(format, input));
  });

  it('HAR: the chunked serializer writes exactly JSON.stringify(har, null, 2)', async () => {
    const input = inputOf(store);
    const { parts } = await yieldsOf('har', input);
    expect(parts.join('')).toBe(
      JSON.stringify(buildHar(store.connectionList, store.items, { creatorVersion: '0.1.0' }), null, 2),
    );
    const rich = richStore();
    for (const includeSensitive of [false, true]) {
      expect(buildExportText('har', inputOf(rich, includeSensitive))).toBe(
        JSON.stringify(buildHar(rich.connectionList, rich.items, { creatorVersion: '0.1.0', includeSensitive }), null, 2),
      );
    }
    expect(buildExportText('har', { items: [], connections: [], creatorVersion: '1' })).toBe(
      JSON.stringify(buildHar([], [], { creatorVersion: '1' }), null, 2),
    );
  });

  it('JSON: exactly JSON.stringify(rows, null, 2); NDJSON: the same rows', async () => {
    const input = inputOf(store);
    const rows = store.items.map((l) => exportedItem(l, store.connections.get(l.connectionId)));
    expect((await yieldsOf('json', input)).parts.join('')).toBe(JSON.stringify(rows, null, 2));
    const ndjson = (await yieldsOf('ndjson', input)).parts.join('');
    expect(ndjson).toBe(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  });

  it('a real yield (setTimeout) lets other tasks run between slices', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await buildExportParts('ndjson', inputOf(store), { yieldToUi: () => new Promise((resolve) => setTimeout(resolve, 0)) });
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(5);
  });

  it('the output does not depend on the slice size', async () => {
    const rich = richStore();
    for (const format of EXPORT_FORMATS) {
      const whole = buildExportText(format, inputOf(rich, true));
      for (const every of [1, 3, 7, 1000]) {
        const parts = await buildExportParts(format, inputOf(rich, true), { every, yieldToUi: async () => {} });
        expect(parts.join(''), `${format} every ${every}`).toBe(whole);
      }
    }
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    let yields = 0;
    const build = buildExportParts('csv', inputOf(store), {
      signal: controller.signal,
      yieldToUi: async () => {
        if (++yields === 3) controller.abort();
      },
    });
    await expect(build).rejects.toThrow(/abort/i);
    expect(yields).toBe(3);
  });
});
