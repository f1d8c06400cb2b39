/** Shared by the AI unit tests: feed a fixture to an assembler, compare conversations without times. */
import { AiStreamAssembler, type AssemblerOptions } from './assembler';
import { RESPONSE_TIME, type Fixture } from './fixtures/load';
import type { Conversation } from './types';

/** Chunk i reaches the page at RESPONSE_TIME + 10·(i+1); the stream ends 5 ms after the last. */
export function assemble(fixture: Fixture, chunks: readonly string[] = [fixture.body], options: AssemblerOptions = {}, end = true) {
  const assembler = new AiStreamAssembler(fixture.request, options);
  assembler.response(fixture.response);
  chunks.forEach((chunk, i) => assembler.body(chunk, RESPONSE_TIME + 10 * (i + 1)));
  if (end) assembler.end(RESPONSE_TIME + 10 * chunks.length + 5);
  return assembler;
}

const TIME_KEYS = new Set(['time', 'startTime', 'endTime', 'finishTime', 'requestTime', 'responseTime', 'version']);

/** The conversation as plain data without times (which depend on how the body was chunked). */
export function timeless(conversation: Conversation): unknown {
  return JSON.parse(JSON.stringify(conversation, (key, value: unknown) => (TIME_KEYS.has(key) ? undefined : value)));
}

/** The body cut into lines (each line its own chunk, line ending included). */
export function lineChunks(body: string): string[] {
  return body.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
