/**
 * One reply, its parts in the order the model produced them: text, reasoning (collapsed), tool
 * calls with their arguments pretty-printed (flagged when they do not parse, or still arriving),
 * refusal; then the finish reason and safety ratings. Page data is rendered only as text.
 */
import { prettyArguments } from '../../core/ai/json';
import type { Reply, ReplyPart, ToolCall } from '../../core/ai/types';
import { t } from '../i18n';

function ToolCallView({ call, live }: { call: ToolCall; live: boolean }) {
  const pretty = prettyArguments(call.arguments);
  const invalid = call.valid === false;
  const partial = !invalid && !call.done && live && pretty.partial;
  return (
    <div class={invalid ? 'conv-tool conv-invalid' : 'conv-tool'}>
      <div class="conv-tool-head">
        <span class="conv-label">{t('convToolCall')}</span> <code class="conv-tool-name">{call.name || '?'}</code>
        {call.id !== undefined && <span class="conv-dim"> {call.id}</span>}
        {call.server === true && <span class="conv-tag">{t('convServerTool')}</span>}
        {invalid && (
          <span class="conv-tag conv-tag-error" role="status">
            {t('convArgsInvalid')}
          </span>
        )}
        {partial && <span class="conv-tag">{t('convArgsPartial')}</span>}
      </div>
      <pre class="conv-code">{invalid ? call.arguments : pretty.text}</pre>
      {call.output !== undefined && (
        <div class="conv-field">
          <span class="conv-label">{t('convToolOutput')}</span>
          <pre class="conv-code">{call.output}</pre>
        </div>
      )}
      {call.error !== undefined && (
        <div class="conv-field conv-error-text">
          <span class="conv-label">{t('convToolError')}</span> {call.error}
        </div>
      )}
    </div>
  );
}

function PartView({ part, live }: { part: ReplyPart; live: boolean }) {
  switch (part.kind) {
    case 'text':
      return part.text === '' ? null : <div class="conv-text conv-reply-text">{part.text}</div>;
    case 'reasoning':
      if (part.redacted === true) return <div class="conv-dim conv-reasoning-redacted">{t('convReasoningRedacted')}</div>;
      return (
        <details class="conv-reasoning">
          <summary>
            {t(part.summary === true ? 'convReasoningSummary' : 'convReasoning')}
            <span class="conv-dim"> · {part.text.length}</span>
          </summary>
          <div class="conv-text">{part.text}</div>
        </details>
      );
    case 'refusal':
      return (
        <div class="conv-refusal">
          <span class="conv-label">{t('convRefusal')}</span>
          <div class="conv-text">{part.text}</div>
        </div>
      );
    case 'tool-call':
      return <ToolCallView call={part.call} live={live} />;
  }
}

export function ReplyView({ reply, heading, live }: { reply: Reply; heading: string; live: boolean }) {
  return (
    <section class="conv-reply" role="group" aria-label={heading}>
      <h3 class="conv-subheading">{heading}</h3>
      {reply.parts.map((part, i) => (
        <PartView key={i} part={part} live={live} />
      ))}
      {live && <span class="conv-cursor" aria-hidden="true" />}
      {reply.finishReason !== undefined && (
        <div class="conv-field">
          <span class="conv-label">{t('convFinish')}</span> <code>{reply.finishReason}</code>
        </div>
      )}
      {reply.safety !== undefined && (
        <div class="conv-field">
          <span class="conv-label">{t('convSafety')}</span>{' '}
          {reply.safety.map((rating, i) => (
            <span key={i} class={rating.blocked === true ? 'conv-chip conv-tag-error' : 'conv-chip'}>
              {rating.category.replace(/^HARM_CATEGORY_/, '')} {rating.probability ?? ''}
            </span>
          ))}
        </div>
      )}
    </section>
  );
}
