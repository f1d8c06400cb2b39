/** Localised labels of the AI model's enums, and number formatting for the Conversation view. */
import type { AiProtocol, AiWarningCode, ConversationStatus } from '../../core/ai/types';
import type { MessageKey } from '../i18n';

export const PROTOCOL_LABEL: Record<AiProtocol, MessageKey> = {
  'openai-chat': 'convProtocolOpenaiChat',
  'openai-responses': 'convProtocolOpenaiResponses',
  anthropic: 'convProtocolAnthropic',
  gemini: 'convProtocolGemini',
  'vercel-ui': 'convProtocolVercelUi',
  'vercel-data': 'convProtocolVercelData',
  ndjson: 'convProtocolNdjson',
  mcp: 'convProtocolMcp',
  'json-path': 'convProtocolJsonPath',
};

export const STATUS_LABEL: Record<ConversationStatus, MessageKey> = {
  waiting: 'convStatusWaiting',
  streaming: 'convStatusStreaming',
  done: 'convStatusDone',
  error: 'convStatusError',
  incomplete: 'convStatusIncomplete',
};

export const WARNING_LABEL: Record<AiWarningCode, MessageKey> = {
  'missing-terminator': 'convWarnMissingTerminator',
  'sequence-gap': 'convWarnSequenceGap',
  'content-after-finish': 'convWarnContentAfterFinish',
  unparsable: 'convWarnUnparsable',
  'block-index-mismatch': 'convWarnBlockIndex',
  'unknown-event': 'convWarnUnknownEvent',
  unanswered: 'convWarnUnanswered',
};

/** `1234` → `1.23 s`, `87.4` → `87 ms`, undefined → `—`. */
export function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 1000) return `${(value / 1000).toFixed(2)} s`;
  return `${Math.round(value)} ms`;
}

export function count(value: number | undefined): string {
  return value === undefined ? '—' : String(value);
}

export function rate(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** The path of a URL (host dropped), for compact labels. */
export function shortUrl(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/[^?#]*)?/i.exec(url);
  return match === null ? url : match[1] || '/';
}
