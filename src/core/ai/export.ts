/**
 * A conversation as Markdown (to paste in an issue or a chat) and as JSON (to keep or diff).
 * Both are plain data out of the Conversation and its metrics; secrets never appear in them (the
 * request headers are not included; the URL is redacted like every other export).
 */
import { redactUrl } from '../har';
import { prettyArguments } from './json';
import type { AiMetrics, Conversation, ReplyPart } from './types';

export interface ConversationSource {
  url: string;
  method: string;
  /** When the request was sent (epoch ms). */
  startTime: number;
}

export const CONVERSATION_JSON_VERSION = 1;

/** The conversation as a JSON-ready object (no times of individual deltas; those stay in the HAR). */
export function conversationJson(
  conversation: Conversation,
  metrics: AiMetrics,
  source: ConversationSource,
  includeSensitive = false,
) {
  const c = conversation;
  return {
    sseDevtoolsConversation: CONVERSATION_JSON_VERSION,
    request: {
      method: source.method,
      url: redactUrl(source.url, includeSensitive),
      startedDateTime: new Date(source.startTime).toISOString(),
    },
    protocol: c.protocol,
    sse: c.sse,
    model: c.model ?? c.prompt.model ?? null,
    responseId: c.responseId ?? null,
    status: c.status,
    prompt: c.prompt,
    replies: c.replies.map((reply) => ({
      index: reply.index,
      role: reply.role,
      text: reply.text,
      reasoning: reply.reasoning,
      refusal: reply.refusal,
      finishReason: reply.finishReason ?? null,
      toolCalls: reply.toolCalls.map((call) => ({
        id: call.id ?? null,
        name: call.name,
        arguments: call.arguments,
        argumentsValid: call.valid,
        ...(call.output === undefined ? {} : { output: call.output }),
        ...(call.error === undefined ? {} : { error: call.error }),
        ...(call.server === true ? { server: true } : {}),
      })),
      parts: reply.parts.map((part) =>
        part.kind === 'tool-call' ? { kind: part.kind, name: part.call.name, id: part.call.id ?? null } : part,
      ),
      ...(reply.safety === undefined ? {} : { safety: reply.safety }),
    })),
    usage: c.usage,
    metrics: {
      ttftMs: metrics.ttft ?? null,
      ttftFromHeadersMs: metrics.ttftFromHeaders ?? null,
      totalMs: metrics.total ?? null,
      outputTokens: metrics.outputTokens ?? null,
      tokensEstimated: metrics.tokensEstimated,
      tokensPerSecond: metrics.tokensPerSecond ?? null,
      deltas: metrics.deltas,
      gapP50Ms: metrics.gapP50 ?? null,
      gapP95Ms: metrics.gapP95 ?? null,
      gapMaxMs: metrics.gapMax ?? null,
      stalls: metrics.stalls,
    },
    errors: c.errors,
    warnings: c.warnings,
    ...(c.protocol === 'mcp'
      ? { mcp: { endpoint: c.mcpEndpoint ?? null, sessionId: c.mcpSessionId ?? null, exchanges: c.mcp } }
      : {}),
  };
}

export function conversationJsonText(
  conversation: Conversation,
  metrics: AiMetrics,
  source: ConversationSource,
  includeSensitive = false,
): string {
  return `${JSON.stringify(conversationJson(conversation, metrics, source, includeSensitive), null, 2)}\n`;
}

/** A fence longer than any run of backticks in `text`, so page text cannot close it. */
function fence(text: string, info = ''): string {
  let longest = 2;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const marks = '`'.repeat(longest + 1);
  return `${marks}${info}\n${text}\n${marks}`;
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

function ms(value: number | undefined): string {
  return value === undefined ? '—' : `${Math.round(value)} ms`;
}

function partMarkdown(part: ReplyPart): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'reasoning':
      return part.redacted === true
        ? '_(reasoning redacted by the provider)_'
        : `**Reasoning${part.summary === true ? ' (summary)' : ''}**\n\n${quote(part.text)}`;
    case 'refusal':
      return `**Refusal**\n\n${quote(part.text)}`;
    case 'tool-call': {
      const call = part.call;
      const args = prettyArguments(call.arguments);
      let out = `**Tool call** \`${call.name || '?'}\`${call.id === undefined ? '' : ` (${call.id})`}${call.valid === false ? ' — arguments are not valid JSON' : ''}\n\n${fence(call.valid === false ? call.arguments : args.text, 'json')}`;
      if (call.output !== undefined) out += `\n\nResult:\n\n${fence(call.output)}`;
      if (call.error !== undefined) out += `\n\nError: ${call.error}`;
      return out;
    }
  }
}

/** The conversation as Markdown: prompt, reply (parts in order), numbers, errors and warnings. */
export function conversationMarkdown(
  conversation: Conversation,
  metrics: AiMetrics,
  source: ConversationSource,
  includeSensitive = false,
): string {
  const c = conversation;
  const lines: string[] = [];
  const model = c.model ?? c.prompt.model;
  lines.push(`# ${model ?? 'Conversation'}`, '');
  lines.push(
    `\`${source.method} ${redactUrl(source.url, includeSensitive)}\` — ${c.protocol ?? 'unknown protocol'}${c.sse ? '' : ' (not SSE)'}, ${new Date(source.startTime).toISOString()}, ${c.status}`,
    '',
  );

  lines.push('## Prompt', '');
  if (c.prompt.system !== undefined) lines.push('### system', '', c.prompt.system, '');
  for (const message of c.prompt.messages) {
    lines.push(`### ${message.role}`, '');
    if (message.text !== '') lines.push(message.text, '');
    for (const attachment of message.attachments ?? []) lines.push(`- _${attachment}_`);
    for (const call of message.toolCalls ?? []) lines.push(`- tool call \`${call.name}\` ${call.arguments}`);
    if ((message.attachments?.length ?? 0) + (message.toolCalls?.length ?? 0) > 0) lines.push('');
  }
  if (c.prompt.tools.length > 0) lines.push(`Tools: ${c.prompt.tools.map((t) => `\`${t.name}\``).join(', ')}`, '');
  if (c.prompt.jsonRpc !== undefined) lines.push(fence(JSON.stringify(c.prompt.jsonRpc, null, 2), 'json'), '');

  for (const reply of c.replies) {
    lines.push(c.replies.length > 1 ? `## Reply ${reply.index}` : '## Reply', '');
    for (const part of reply.parts) if (part.kind !== 'text' || part.text !== '') lines.push(partMarkdown(part), '');
    if (reply.finishReason !== undefined) lines.push(`_Finish: ${reply.finishReason}_`, '');
  }

  if (c.mcp.length > 0) {
    lines.push('## JSON-RPC', '', '| from | id | method | outcome | time |', '| --- | --- | --- | --- | --- |');
    for (const m of c.mcp) {
      const outcome =
        m.error !== undefined
          ? `error ${m.error.code ?? ''} ${m.error.message}`
          : m.result !== undefined
            ? 'result'
            : m.id === undefined
              ? 'notification'
              : 'pending';
      const time = m.requestTime !== undefined && m.responseTime !== undefined ? ms(m.responseTime - m.requestTime) : '—';
      lines.push(`| ${m.from} | ${m.id ?? ''} | ${m.method ?? '?'} | ${outcome.replace(/\|/g, '\\|')} | ${time} |`);
    }
    lines.push('');
  }

  const u = c.usage;
  lines.push('## Numbers', '', '| | |', '| --- | --- |');
  lines.push(`| Time to first token | ${ms(metrics.ttft)} (${ms(metrics.ttftFromHeaders)} after the headers) |`);
  lines.push(`| Total | ${ms(metrics.total)} |`);
  if (metrics.outputTokens !== undefined)
    lines.push(`| Output tokens | ${metrics.outputTokens}${metrics.tokensEstimated ? ' (estimated)' : ''} |`);
  if (metrics.tokensPerSecond !== undefined)
    lines.push(`| Tokens/s | ${metrics.tokensPerSecond.toFixed(1)}${metrics.tokensEstimated ? ' (estimated)' : ''} |`);
  if (u.input !== undefined) lines.push(`| Input tokens | ${u.input}${u.cachedInput ? ` (${u.cachedInput} cached)` : ''} |`);
  if (u.reasoning !== undefined) lines.push(`| Reasoning tokens | ${u.reasoning} |`);
  lines.push(`| Gaps p50 / p95 / max | ${ms(metrics.gapP50)} / ${ms(metrics.gapP95)} / ${ms(metrics.gapMax)} |`);
  if (metrics.stalls.length > 0)
    lines.push(`| Stalls (≥ ${metrics.stallThreshold} ms) | ${metrics.stalls.map((s) => ms(s.duration)).join(', ')} |`);
  lines.push('');

  if (c.errors.length > 0) {
    lines.push('## Errors', '');
    for (const e of c.errors)
      lines.push(`- ${[e.type, e.code].filter(Boolean).join(' ')}${e.type || e.code ? ': ' : ''}${e.message}`);
    lines.push('');
  }
  if (c.warnings.length > 0) {
    lines.push('## Protocol warnings', '');
    for (const w of c.warnings) lines.push(`- ${w.code}: ${w.message}`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
