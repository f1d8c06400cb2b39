/** What a protocol's assembler implements (one instance per stream). */
import type { ConversationBuilder } from '../builder';
import type { Json } from '../json';

export interface ProtocolHandler {
  /**
   * An SSE event (SSE protocols). `json` is its data parsed, or undefined when the data is not
   * JSON (the handler decides whether that is a terminator such as `[DONE]` or a fault).
   */
  event?(type: string, data: string, json: Json | undefined, time: number): void;
  /** A complete line of a line protocol (NDJSON, Vercel data stream), without its line ending. */
  line?(line: string, time: number): void;
  /** The stream ended: report what is missing (terminator, unanswered requests...). */
  end(time: number): void;
}

export type HandlerFactory = (builder: ConversationBuilder) => ProtocolHandler;
