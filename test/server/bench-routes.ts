/**
 * Routes for `npm run bench`'s burst scenario: the worst case for a tap, a server that writes as
 * fast as the socket takes the bytes.
 *
 * GET /bench/burst?count=N: a text/event-stream body of N small events (`id: i`, one JSON `data:`
 * line, ~62 bytes each; 100k events ≈ 6 MB), written in 16 KiB pieces that cut events anywhere.
 * The next piece is written as soon as the previous one was accepted, or on 'drain' when the socket
 * buffer is full: no timer ever runs between writes, and nothing piles up in the server's memory.
 * The body is built once per count and reused, so the server's own cost per round is one pass of
 * `res.write` over a ready buffer.
 */
import type { ServerResponse } from 'node:http';

/** Size of each write: what the measurement used (the page then reads chunks of about this size). */
export const BURST_PIECE_BYTES = 16 * 1024;
const MAX_BURST_EVENTS = 2_000_000;

/** The data line of event `i` (1-based), the same for every kind of reader. */
export function burstEventData(i: number): string {
  return `{"n":${i},"text":"token ${i} of the burst"}`;
}

/** The wire form of event `i`. */
export function burstEventText(i: number): string {
  return `id: ${i}\ndata: ${burstEventData(i)}\n\n`;
}

const bodies = new Map<number, Buffer>();

/** The whole burst body for `count` events (built once, then reused). */
export function burstBody(count: number): Buffer {
  let body = bodies.get(count);
  if (body === undefined) {
    const parts: string[] = [];
    for (let i = 1; i <= count; i++) parts.push(burstEventText(i));
    body = Buffer.from(parts.join(''), 'utf8');
    bodies.set(count, body);
  }
  return body;
}

/** Sum of the UTF-8 bytes of the events' `data` values (what an EventSource hands the page). */
export function burstDataBytes(count: number): number {
  let bytes = 0;
  for (let i = 1; i <= count; i++) bytes += Buffer.byteLength(burstEventData(i));
  return bytes;
}

function burst(res: ServerResponse, query: URLSearchParams): void {
  const raw = Number(query.get('count') ?? 100_000);
  const count = Number.isFinite(raw) ? Math.min(MAX_BURST_EVENTS, Math.max(1, Math.trunc(raw))) : 100_000;
  const body = burstBody(count);
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': body.length,
  });
  let offset = 0;
  const pump = (): void => {
    while (offset < body.length) {
      const piece = body.subarray(offset, offset + BURST_PIECE_BYTES);
      offset += piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => {
    // A reader that goes away (an EventSource closed at its last event) stops the pump.
    offset = body.length;
  });
  pump();
}

/** Answers the bench's routes; returns false for any other path. */
export function handleBenchRoute(pathname: string, query: URLSearchParams, res: ServerResponse): boolean {
  switch (pathname) {
    case '/bench/burst':
      burst(res, query);
      return true;
    default:
      return false;
  }
}
