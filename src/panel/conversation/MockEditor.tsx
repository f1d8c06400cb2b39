/**
 * "Mock the next request with an edited reply": the reply's text, reasoning and tool-call
 * arguments in editors, an optional injected stall, and a URL pattern; arming it re-chunks the
 * edited reply into the stream's own protocol at its recorded pacing (core/ai/rechunk.ts) and hands
 * the MockRecording to `onMock`, which sends the panel's usual mock command.
 */
import { useState } from 'preact/hooks';
import type { AiStreamAssembler } from '../../core/ai/assembler';
import { canRechunk, mockFromEdit, pacingOf, replyOf, type EditedReply } from '../../core/ai/rechunk';
import type { Connection } from '../../core/log-store';
import type { MockRecording } from '../../protocol';
import { t } from '../i18n';

export interface MockRequest {
  connection: Connection;
  /** The URL pattern the mock answers (a substring, or a glob with `*`). */
  pattern: string;
  recording: MockRecording;
}

function defaultPattern(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/[^?#]*)/i.exec(url)?.[1] ?? url;
}

export function MockEditor({
  connection,
  assembler,
  onMock,
}: {
  connection: Connection;
  assembler: AiStreamAssembler;
  onMock: (request: MockRequest) => void;
}) {
  const protocol = assembler.conversation.protocol;
  const [edit, setEdit] = useState<EditedReply | null>(null);
  const [pattern, setPattern] = useState(() => defaultPattern(connection.url));
  const [stallAfter, setStallAfter] = useState('');
  const [stallMs, setStallMs] = useState('3000');
  const [sent, setSent] = useState<string | null>(null);
  if (!canRechunk(protocol)) return null;
  // The editors start from the reply as assembled when the section is first opened.
  const current = edit ?? replyOf(assembler);

  const arm = () => {
    const after = Number.parseInt(stallAfter, 10);
    const ms = Number.parseInt(stallMs, 10);
    const c = assembler.conversation;
    const recording = mockFromEdit(connection.url, current, pacingOf(assembler), {
      protocol,
      ...(c.model === undefined ? {} : { model: c.model }),
      ...(c.responseId === undefined ? {} : { responseId: c.responseId }),
      usage: c.usage,
      stalls: Number.isFinite(after) && after >= 0 && Number.isFinite(ms) && ms > 0 ? [{ afterDelta: after, ms }] : [],
    });
    onMock({ connection, pattern: pattern.trim(), recording });
    setSent(pattern.trim());
  };

  return (
    <details
      class="conv-mock"
      onToggle={(event) => (event.currentTarget as HTMLDetailsElement).open && edit === null && setEdit(replyOf(assembler))}
    >
      <summary>{t('convMockHeading')}</summary>
      {connection.seenOn === 'wire' ? (
        <p class="mock-wire-only" role="note">
          {t('mockWireOnly')}
        </p>
      ) : null}
      <label class="conv-mock-field">
        {t('convMockText')}
        <textarea
          rows={4}
          value={current.text}
          onInput={(e) => setEdit({ ...current, text: (e.currentTarget as HTMLTextAreaElement).value })}
        />
      </label>
      {current.reasoning !== undefined && (
        <label class="conv-mock-field">
          {t('convMockReasoning')}
          <textarea
            rows={2}
            value={current.reasoning}
            onInput={(e) => setEdit({ ...current, reasoning: (e.currentTarget as HTMLTextAreaElement).value })}
          />
        </label>
      )}
      {current.toolCalls?.map((call, i) => (
        <label key={i} class="conv-mock-field">
          {t('convMockArgs', [call.name])}
          <textarea
            rows={3}
            spellcheck={false}
            value={call.arguments}
            onInput={(e) => {
              const calls = [...(current.toolCalls ?? [])];
              calls[i] = { ...call, arguments: (e.currentTarget as HTMLTextAreaElement).value };
              setEdit({ ...current, toolCalls: calls });
            }}
          />
        </label>
      ))}
      <div class="conv-mock-row">
        <label>
          {t('convMockStallAfter')}{' '}
          <input
            type="number"
            min={0}
            value={stallAfter}
            onInput={(e) => setStallAfter((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <label>
          {t('convMockStallMs')}{' '}
          <input type="number" min={0} value={stallMs} onInput={(e) => setStallMs((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          {t('convMockPattern')}{' '}
          <input
            type="text"
            value={pattern}
            spellcheck={false}
            onInput={(e) => setPattern((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <button type="button" disabled={pattern.trim() === ''} onClick={arm}>
          {t('convMockArm')}
        </button>
      </div>
      {sent !== null && (
        <p class="conv-dim" role="status">
          {t('convMockSent', [sent])}
        </p>
      )}
    </details>
  );
}
