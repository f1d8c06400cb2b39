/** What was sent to the model: model, system prompt, messages, tools offered, other parameters. */
import type { Prompt } from '../../core/ai/types';
import { t } from '../i18n';

export function PromptView({ prompt }: { prompt: Prompt }) {
  const params = Object.keys(prompt.params);
  return (
    <details class="conv-prompt">
      <summary>
        {t('convPrompt')}
        <span class="conv-dim"> · {prompt.messages.length}</span>
      </summary>
      {prompt.system !== undefined && (
        <div class="conv-message conv-role-system">
          <div class="conv-role">{t('convSystem')}</div>
          <div class="conv-text">{prompt.system}</div>
        </div>
      )}
      {prompt.messages.map((message, i) => (
        <div key={i} class={`conv-message conv-role-${/^[a-z]+$/.test(message.role) ? message.role : 'other'}`}>
          <div class="conv-role">{message.role}</div>
          {message.text !== '' && <div class="conv-text">{message.text}</div>}
          {message.attachments?.map((attachment, j) => (
            <div key={`a${j}`} class="conv-attachment">
              {attachment}
            </div>
          ))}
          {message.toolCalls?.map((call, j) => (
            <div key={`c${j}`} class="conv-attachment">
              {call.name} {call.arguments}
            </div>
          ))}
        </div>
      ))}
      {prompt.jsonRpc !== undefined && <pre class="conv-code">{JSON.stringify(prompt.jsonRpc, null, 2)}</pre>}
      {prompt.tools.length > 0 && (
        <div class="conv-field">
          <span class="conv-label">{t('convTools')}</span>{' '}
          {prompt.tools.map((tool, i) => (
            <span key={i} class="conv-chip" title={tool.description}>
              {tool.name}
            </span>
          ))}
        </div>
      )}
      {params.length > 0 && (
        <div class="conv-field">
          <span class="conv-label">{t('convParams')}</span>
          <pre class="conv-code">{JSON.stringify(prompt.params, null, 2)}</pre>
        </div>
      )}
    </details>
  );
}
