/**
 * Demo and test server for SSE DevTools: Server-Sent Events scenarios for the demo page, and
 * small deterministic streams for the end-to-end tests. Node's built-in `http` only.
 *
 * Every request is recorded in `requests` (also GET /__requests as JSON, DELETE /__requests to
 * clear); requests to /__requests itself are not recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { handleBenchRoute } from './bench-routes.ts';
import { handleAiRoute } from './ai-routes.ts';

export interface RequestLogEntry {
  /** Sequence number, 1-based, in arrival order. */
  id: number;
  method: string;
  /** Path and query, as sent by the client. */
  url: string;
  /** Request headers, lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Request body decoded as UTF-8 ("" when there is none). */
  body: string;
  /** Arrival time, epoch ms. */
  time: number;
  /** Status code sent, once the headers went out. */
  status?: number;
  /** When the response closed: the server ended it, or the connection dropped. Epoch ms. */
  closedAt?: number;
  /** Set with closedAt: true when the server ended the response, false when the connection was cut first. */
  completed?: boolean;
  /** /test/flood only: bytes handed to the socket so far (writes wait for 'drain'). */
  bytesWritten?: number;
}

export interface StartedServer {
  url: string;
  port: number;
  close(): Promise<void>;
  requests: RequestLogEntry[];
}

const PAGES_DIR = fileURLToPath(new URL('./pages/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

const SSE_CONTENT_TYPE = 'text/event-stream; charset=utf-8';

// ---------------------------------------------------------------------------------------------
// Small helpers

function intParam(query: URLSearchParams, name: string, fallback: number, min = 0, max = 1_000_000): number {
  const raw = query.get(name);
  if (raw === null || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(n)));
}

function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendText(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function lastEventId(req: IncomingMessage): number {
  const raw = req.headers['last-event-id'];
  const n = Number.parseInt(Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? ''), 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** One open text/event-stream response. Timers started through it are cleared when it closes. */
class SseStream {
  closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly res: ServerResponse,
    options: { status?: number; contentType?: string | null; connectedComment?: boolean } = {},
  ) {
    res.on('close', () => {
      this.closed = true;
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
    });
    const headers: Record<string, string> = { 'Cache-Control': 'no-cache', Connection: 'keep-alive' };
    const contentType = options.contentType === undefined ? SSE_CONTENT_TYPE : options.contentType;
    if (contentType) headers['Content-Type'] = contentType;
    res.writeHead(options.status ?? 200, headers);
    res.flushHeaders();
    if (options.connectedComment !== false) this.comment('connected');
  }

  write(text: string | Uint8Array): void {
    if (!this.closed && !this.res.writableEnded) this.res.write(text);
  }

  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  retry(ms: number): void {
    this.write(`retry: ${ms}\n\n`);
  }

  event(fields: { id?: string | number; event?: string; data: string }): void {
    let block = '';
    if (fields.id !== undefined) block += `id: ${fields.id}\n`;
    if (fields.event !== undefined) block += `event: ${fields.event}\n`;
    for (const line of fields.data.split(/\r\n|\r|\n/)) block += `data: ${line}\n`;
    this.write(block + '\n');
  }

  /** Calls fn every ms until the stream closes. */
  every(ms: number, fn: () => void): void {
    const t = setInterval(() => {
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  /** Calls fn once after ms, unless the stream closed first. */
  after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  end(): void {
    if (!this.closed && !this.res.writableEnded) this.res.end();
  }

  /** Cuts the connection without finishing the response (the client sees a network error). */
  destroy(): void {
    this.res.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Demo scenarios

/** 1. GET /sse/clock: `id: n` + ISO time every `interval` ms (1000); `: heartbeat` every 5 s. */
function clock(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
  const sse = new SseStream(res);
  let n = lastEventId(req);
  const tick = () => sse.event({ id: ++n, data: new Date().toISOString() });
  tick();
  sse.every(intParam(query, 'interval', 1000, 10), tick);
  sse.every(5000, () => sse.comment('heartbeat'));
}

/** 2. GET /sse/notifications: typed events with JSON data every `interval` ms (1500); `: ping` every 5 s. */
function notifications(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
  const sse = new SseStream(res);
  const users = ['ada', 'grace', 'linus', 'margaret', 'ken'];
  let n = lastEventId(req);
  const send = () => {
    n++;
    const user = users[n % users.length];
    switch (n % 3) {
      case 1:
        sse.event({
          id: n,
          event: 'notification',
          data: JSON.stringify({ id: n, from: user, text: `New comment #${n} from ${user}` }),
        });
        break;
      case 2:
        sse.event({
          id: n,
          event: 'alert',
          data: JSON.stringify({ id: n, level: n % 2 ? 'warning' : 'error', text: `Disk usage at ${70 + (n % 30)}%` }),
        });
        break;
      default:
        sse.event({ id: n, event: 'presence', data: JSON.stringify({ id: n, user, status: n % 2 ? 'online' : 'away' }) });
    }
  };
  sse.after(200, send);
  sse.every(intParam(query, 'interval', 1500, 10), send);
  sse.every(5000, () => sse.comment('ping'));
}

/** 3. GET /sse/job?id=X: `progress` {percent} 0..100 over `steps` (10) every `interval` ms (400), then `complete`, then ends. */
function job(res: ServerResponse, query: URLSearchParams): void {
  const sse = new SseStream(res);
  const id = query.get('id') ?? '1';
  const steps = intParam(query, 'steps', 10, 1, 1000);
  const interval = intParam(query, 'interval', 400, 0);
  const startedAt = Date.now();
  let step = 0;
  const next = () => {
    if (step <= steps) {
      const percent = Math.round((step * 100) / steps);
      sse.event({ id: `${id}-${step}`, event: 'progress', data: JSON.stringify({ job: id, percent }) });
      step++;
      sse.after(interval, next);
    } else {
      const result = { job: id, status: 'succeeded', steps, durationMs: Date.now() - startedAt, output: `report-${id}.csv` };
      sse.event({ id: `${id}-done`, event: 'complete', data: JSON.stringify(result) });
      sse.end();
    }
  };
  next();
}

/** 4. POST /api/chat: body {prompt}; OpenAI-style `data:` token chunks every `delay` ms (40), `data: [DONE]`, end. */
function chat(res: ServerResponse, query: URLSearchParams, body: string): void {
  let prompt: string;
  try {
    const parsed: unknown = JSON.parse(body);
    const value = parsed && typeof parsed === 'object' ? (parsed as { prompt?: unknown }).prompt : undefined;
    prompt = typeof value === 'string' ? value : '';
  } catch {
    sendJson(res, 400, { error: 'Request body must be JSON like {"prompt": "..."}' });
    return;
  }
  const answer =
    `You asked: "${prompt.trim() || '(nothing)'}". ` +
    'Here is a streamed answer, sent one word at a time as Server-Sent Events over a fetch POST, ' +
    'just like the chat completion APIs do. Each chunk is a JSON delta, and a final marker ends the stream.';
  const tokens = answer.split(' ').map((word, i) => (i === 0 ? word : ` ${word}`));
  const delay = intParam(query, 'delay', 40, 0);
  const sse = new SseStream(res);
  let i = 0;
  const next = () => {
    if (i < tokens.length) {
      sse.event({ data: JSON.stringify({ choices: [{ delta: { content: tokens[i++] } }] }) });
      sse.after(delay, next);
    } else {
      sse.event({ data: '[DONE]' });
      sse.end();
    }
  };
  next();
}

/**
 * 5. GET /sse/resumable: `retry: <retry>` (1000), events with ids 1..total (15) every `interval` ms (500); the
 * connection is cut after `dropAfter` (5) events; a reconnect resumes after Last-Event-ID. After `total`,
 * `event: done` and the response ends; a reconnect after that gets 204 (which tells EventSource to stop).
 */
function resumable(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
  const total = intParam(query, 'total', 15, 1);
  const last = lastEventId(req);
  if (last >= total) {
    res.writeHead(204, { 'Cache-Control': 'no-cache' });
    res.end();
    return;
  }
  const dropAfter = intParam(query, 'dropAfter', 5, 1);
  const interval = intParam(query, 'interval', 500, 0);
  const sse = new SseStream(res);
  sse.retry(intParam(query, 'retry', 1000, 0));
  if (last > 0) sse.comment(`resuming after ${last}`);
  let n = last;
  let sentHere = 0;
  const next = () => {
    if (n >= total) {
      sse.event({ event: 'done', data: JSON.stringify({ total }) });
      sse.end();
      return;
    }
    if (sentHere >= dropAfter) {
      sse.destroy();
      return;
    }
    n++;
    sentHere++;
    sse.event({ id: n, data: JSON.stringify({ n, of: total }) });
    sse.after(interval, next);
  };
  sse.after(interval, next);
  sse.every(3000, () => sse.comment('ping'));
}

/** 6. GET /sse/heartbeat-only: nothing but `: ping` every `interval` ms (2000). */
function heartbeatOnly(res: ServerResponse, query: URLSearchParams): void {
  const sse = new SseStream(res);
  sse.every(intParam(query, 'interval', 2000, 10), () => sse.comment('ping'));
}

/** 7. GET /sse/task?id=N: `step` events at a pace depending on N (or `interval`), `steps` of them, then `done`. */
function task(res: ServerResponse, query: URLSearchParams): void {
  const id = intParam(query, 'id', 1, 0);
  const steps = intParam(query, 'steps', 4 + (id % 3) * 2, 1, 1000);
  const interval = intParam(query, 'interval', 250 + (id % 4) * 200, 0);
  const sse = new SseStream(res);
  let step = 0;
  const next = () => {
    if (step < steps) {
      step++;
      sse.event({ id: `${id}-${step}`, event: 'step', data: JSON.stringify({ task: id, step, of: steps }) });
      sse.after(interval, next);
    } else {
      sse.event({ event: 'done', data: JSON.stringify({ task: id, steps }) });
      sse.end();
    }
  };
  sse.after(interval, next);
  sse.every(2000, () => sse.comment('ping'));
}

// ---------------------------------------------------------------------------------------------
// Deterministic test streams

/**
 * 8. GET|POST /test/stream: `: connected`, for POST `: body-length <n>`, optional `retry: <n>`, then
 * `count` events (`id: <prefix>-<i>`, optional `event: <type>`, `data: <prefix> <i>`), each preceded by
 * `: keep-alive` when comment=1, `delay` ms apart; then the response ends. `contentType` / `status`
 * override the header / status. `raw` (base64url, may repeat) sends exactly those bytes instead, one
 * write per `raw` parameter, `delay` ms apart.
 */
function testStream(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, body: string): void {
  const status = intParam(query, 'status', 200, 200, 599);
  const contentType = query.has('contentType') ? query.get('contentType') : undefined;
  const delay = intParam(query, 'delay', 0, 0);
  if (status === 204 || status === 304) {
    res.writeHead(status, contentType ? { 'Content-Type': contentType } : {});
    res.end();
    return;
  }
  const raw = query.getAll('raw');
  if (raw.length > 0) {
    const sse = new SseStream(res, { status, contentType, connectedComment: false });
    const chunks = raw.map((r) => Buffer.from(r, 'base64url'));
    const next = (i: number) => {
      if (i >= chunks.length) return sse.end();
      sse.write(chunks[i]!);
      if (delay > 0 && i + 1 < chunks.length) sse.after(delay, () => next(i + 1));
      else next(i + 1);
    };
    next(0);
    return;
  }
  const count = intParam(query, 'count', 5, 0, 100_000);
  const type = query.get('type') || undefined;
  const prefix = query.get('prefix') ?? 'ev';
  const withComment = query.get('comment') === '1';
  const sse = new SseStream(res, { status, contentType });
  if (req.method === 'POST') sse.comment(`body-length ${Buffer.byteLength(body)}`);
  if (query.has('retry')) sse.retry(intParam(query, 'retry', 3000, 0));
  let i = 0;
  const next = () => {
    while (i < count) {
      i++;
      if (withComment) sse.comment('keep-alive');
      sse.event({ id: `${prefix}-${i}`, event: type, data: `${prefix} ${i}` });
      if (delay > 0 && i < count) return sse.after(delay, next);
    }
    sse.end();
  };
  next();
}

/**
 * 11. GET /test/long-line?mb=N: one event whose single data line is N MiB of "x" (then a short
 * event "after"), written in 1 MiB pieces: the per-event cap case.
 */
function longLine(res: ServerResponse, query: URLSearchParams): void {
  const mb = intParam(query, 'mb', 50, 1, 200);
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  const piece = Buffer.alloc(1024 * 1024, 'x');
  let written = 0;
  const next = () => {
    if (written === 0) res.write('data: ');
    while (written < mb) {
      written++;
      if (!res.write(piece)) return void res.once('drain', next);
    }
    res.end('\n\ndata: after\n\n');
  };
  next();
}

/** 12. GET /test/many?count=N: N tiny events ("data: <i>"), written in 64 KiB pieces, then the end. */
function many(res: ServerResponse, query: URLSearchParams): void {
  const count = intParam(query, 'count', 1_000_000, 1, 5_000_000);
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  let i = 0;
  const next = () => {
    while (i < count) {
      let piece = '';
      while (i < count && piece.length < 65536) piece += `data: ${++i}\n\n`;
      if (!res.write(piece)) return void res.once('drain', next);
    }
    res.end();
  };
  next();
}

/**
 * 13. GET /test/hostile: an SSE response whose header, event type, id and data carry HTML and
 * script payloads (they must render inert in the panel).
 */
function hostile(res: ServerResponse): void {
  const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'X-Payload': '<b onmouseover="window.__pwned=3">bold</b>',
  });
  res.end(`: ${payload}\nevent: ${payload}\nid: ${payload}\ndata: ${payload}\n\n`);
}

/**
 * 14. GET /test/flood: a text/event-stream of 64 KiB comments (up to 1 GiB), each written as soon
 * as the client takes the previous one (a full socket buffer waits for 'drain'). The request's
 * `bytesWritten` says how much a client that does not read still lets through.
 */
function flood(res: ServerResponse, entry: RequestLogEntry): void {
  const sse = new SseStream(res, { connectedComment: false });
  const chunk = `: ${'x'.repeat(64 * 1024 - 4)}\n\n`;
  const limit = 1024 * 1024 * 1024;
  entry.bytesWritten = 0;
  const pump = (): void => {
    while (!sse.closed && !res.writableEnded && entry.bytesWritten! < limit) {
      entry.bytesWritten! += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (entry.bytesWritten! >= limit) sse.end();
  };
  pump();
}

// ---------------------------------------------------------------------------------------------
// Static pages

async function serveStatic(res: ServerResponse, pathname: string): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  const file = path.resolve(PAGES_DIR, '.' + path.posix.normalize(decoded));
  if (!file.startsWith(PAGES_DIR)) return false;
  const type = CONTENT_TYPES[path.extname(file)];
  if (!type) return false;
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch {
    return false;
  }
  res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': content.length });
  res.end(content);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Server

export async function startServer(options: { port?: number; host?: string } = {}): Promise<StartedServer> {
  const host = options.host ?? '127.0.0.1';
  const requests: RequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  let nextId = 1;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const { pathname, searchParams: query } = url;
    const method = req.method ?? 'GET';

    if (pathname === '/__requests') {
      await readBody(req);
      if (method === 'DELETE') {
        requests.length = 0;
        res.writeHead(204).end();
      } else {
        sendJson(res, 200, requests);
      }
      return;
    }

    const entry: RequestLogEntry = {
      id: nextId++,
      method,
      url: req.url ?? '/',
      headers: headerRecord(req),
      body: '',
      time: Date.now(),
    };
    requests.push(entry);
    res.on('close', () => {
      entry.closedAt = Date.now();
      entry.completed = res.writableFinished;
      if (res.headersSent) entry.status = res.statusCode;
    });
    entry.body = await readBody(req);

    if (handleBenchRoute(pathname, query, res)) return;
    if (handleAiRoute(req, res, pathname, query, entry.body)) return;
    switch (pathname) {
      case '/':
        res.writeHead(302, { Location: '/demo.html' }).end();
        return;
      case '/favicon.ico':
        res.writeHead(204).end();
        return;
      case '/sse/clock':
        return clock(req, res, query);
      case '/sse/notifications':
        return notifications(req, res, query);
      case '/sse/job':
        return job(res, query);
      case '/api/chat':
        if (method !== 'POST') return sendJson(res, 405, { error: 'Use POST' });
        return chat(res, query, entry.body);
      case '/sse/resumable':
        return resumable(req, res, query);
      case '/sse/heartbeat-only':
        return heartbeatOnly(res, query);
      case '/sse/task':
        return task(res, query);
      case '/test/stream':
        return testStream(req, res, query, entry.body);
      case '/test/long-line':
        return longLine(res, query);
      case '/test/many':
        return many(res, query);
      case '/test/hostile':
        return hostile(res);
      case '/test/flood':
        return flood(res, entry);
      case '/test/json':
        return sendJson(res, 200, { ok: true });
      case '/test/no-content':
        res.writeHead(204).end();
        return;
      case '/test/not-found':
        return sendText(res, 404, 'Not found\n');
    }
    if ((method === 'GET' || method === 'HEAD') && (await serveStatic(res, pathname))) return;
    sendText(res, 404, 'Not found\n');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendText(res, 500, `Server error: ${String(err)}\n`);
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
