import type { StreamKind } from './records';

export const STREAM_KINDS: readonly StreamKind[] = ['eventsource', 'fetch', 'xhr'];

/**
 * Content types of streams of records that are not SSE but that the panel reads as lines (labelled
 * as not SSE): NDJSON / JSON Lines (Ollama's /api/chat answers application/x-ndjson). Shared by
 * every capture that decides which responses to record (Firefox's deep capture,
 * src/core/filtered-responses.ts; the page tap, src/page/stream-tap.ts).
 */
export const LINE_STREAM_TYPES: readonly string[] = [
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/jsonlines',
  'application/json-lines',
  'application/stream+json',
  'application/json-seq',
];

/** The Vercel AI SDK's data stream protocol (text/plain lines such as `0:"text"`) says so in this header. */
export const VERCEL_DATA_STREAM_HEADER = 'x-vercel-ai-data-stream';

/**
 * Content types under which servers send SSE by mistake: a response of one of these to a request
 * that asked for `text/event-stream` is captured and shown as mislabelled.
 */
export const MISLABEL_CANDIDATES: readonly string[] = ['', 'text/plain', 'application/octet-stream'];
