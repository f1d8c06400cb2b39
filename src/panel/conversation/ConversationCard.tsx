/**
 * The conversation of one connection: what was asked, what the model answered (live while it
 * streams), the usage and timing, the errors and protocol warnings, and the export buttons. For a
 * stream that is no known protocol: a JSON path to assemble it by.
 */
import { useState } from 'preact/hooks';
import type { AiStreamAssembler } from '../../core/ai/assembler';
import { conversationJsonText, conversationMarkdown } from '../../core/ai/export';
import type { AiMetrics, Conversation, McpExchange, Usage } from '../../core/ai/types';
import type { Connection } from '../../core/log-store';
import { t } from '../i18n';
import { PromptView } from './PromptView';
import { ReplyView } from './ReplyView';
import { MockEditor, type MockRequest } from './MockEditor';
import { count, ms, PROTOCOL_LABEL, rate, shortUrl, STATUS_LABEL, WARNING_LABEL } from './labels';

export type SaveFile = (fileName: string, text: string, mimeType: string) => void;

interface Props {
  connection: Connection;
  assembler: AiStreamAssembler;
  save: SaveFile;
  /** The JSON path in force for this connection's URL, if the user named one. */
  jsonPath: string | undefined;
  onJsonPath: (path: string | undefined) => void;
  /** Arms "Mock next request" with an edited reply; without it the editor is not shown. */
  onMock?: ((request: MockRequest) => void) | undefined;
}

function fileBase(connection: Connection): string {
  const host = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(connection.url)?.[1] ?? 'stream';
  const stamp = new Date(connection.startTime).toISOString().replace(/[:.]/g, '-');
  return `conversation-${host.replace(/[^A-Za-z0-9.-]/g, '_')}-${stamp}`;
}

function UsageView({ usage }: { usage: Usage }) {
  const rows: [string, number | undefined][] = [
    [t('convUsageInput'), usage.input],
    [t('convUsageCached'), usage.cachedInput],
    [t('convUsageCacheWrite'), usage.cacheCreation],
    [t('convUsageOutput'), usage.output],
    [t('convUsageReasoning'), usage.reasoning],
  ];
  const shown = rows.filter(([, value]) => value !== undefined);
  if (shown.length === 0) return null;
  return (
    <div class="conv-numbers-group">
      <h3 class="conv-subheading">{t('convUsage')}</h3>
      <dl class="conv-numbers">
        {shown.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{count(value)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function TimingView({ metrics }: { metrics: AiMetrics }) {
  const estimated = metrics.tokensEstimated ? <span class="conv-tag">{t('convEstimated')}</span> : null;
  return (
    <div class="conv-numbers-group">
      <h3 class="conv-subheading">{t('convNumbers')}</h3>
      <dl class="conv-numbers">
        <div>
          <dt>{t('convTtft')}</dt>
          <dd data-metric="ttft">
            {ms(metrics.ttft)}
            {metrics.ttftFromHeaders !== undefined && (
              <span class="conv-dim">
                {' '}
                ({ms(metrics.ttftFromHeaders)} {t('convTtftHeaders')})
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('convTotal')}</dt>
          <dd data-metric="total">{ms(metrics.total)}</dd>
        </div>
        <div>
          <dt>{t('convUsageOutput')}</dt>
          <dd data-metric="tokens">
            {count(metrics.outputTokens)} {estimated}
          </dd>
        </div>
        <div>
          <dt>{t('convTps')}</dt>
          <dd data-metric="tps">
            {rate(metrics.tokensPerSecond)} {metrics.tokensPerSecond !== undefined && estimated}
          </dd>
        </div>
        <div>
          <dt>{t('convDeltas')}</dt>
          <dd data-metric="deltas">{metrics.deltas}</dd>
        </div>
        <div>
          <dt>{t('convGaps')}</dt>
          <dd data-metric="gaps">
            {ms(metrics.gapP50)} / {ms(metrics.gapP95)} / {ms(metrics.gapMax)}
          </dd>
        </div>
        {metrics.stalls.length > 0 && (
          <div>
            <dt>{t('convStalls')}</dt>
            <dd data-metric="stalls">
              {metrics.stalls.length}:{' '}
              {metrics.stalls
                .slice(0, 5)
                .map((s) => ms(s.duration))
                .join(', ')}
              {metrics.stalls.length > 5 ? ', …' : ''}
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}

function mcpOutcome(exchange: McpExchange): string {
  if (exchange.error !== undefined) return `${exchange.error.code ?? ''} ${exchange.error.message}`.trim();
  if (exchange.result !== undefined) return t('convMcpResult');
  if (exchange.id === undefined) return t('convMcpNotification');
  return t('convMcpPending');
}

function McpView({ conversation }: { conversation: Conversation }) {
  return (
    <section class="conv-mcp" role="group" aria-label={t('convMcpHeading')}>
      <h3 class="conv-subheading">{t('convMcpHeading')}</h3>
      {conversation.mcpEndpoint !== undefined && (
        <div class="conv-field">
          <span class="conv-label">{t('convMcpEndpoint')}</span> <code>{conversation.mcpEndpoint}</code>
        </div>
      )}
      {conversation.mcpSessionId !== undefined && (
        <div class="conv-field">
          <span class="conv-label">{t('convMcpSession')}</span> <code>{conversation.mcpSessionId}</code>
        </div>
      )}
      <table class="conv-table">
        <thead>
          <tr>
            <th scope="col">{t('convMcpFrom')}</th>
            <th scope="col">{t('convMcpId')}</th>
            <th scope="col">{t('convMcpMethod')}</th>
            <th scope="col">{t('convMcpOutcome')}</th>
            <th scope="col">{t('convMcpTime')}</th>
          </tr>
        </thead>
        <tbody>
          {conversation.mcp.map((exchange, i) => (
            <tr key={i} class={exchange.error === undefined ? undefined : 'conv-row-error'}>
              <td>{exchange.from}</td>
              <td>{exchange.id === undefined ? '' : String(exchange.id)}</td>
              <td>{exchange.method ?? <span class="conv-dim">{t('convMcpUnseen')}</span>}</td>
              <td>
                <details>
                  <summary>{mcpOutcome(exchange)}</summary>
                  <pre class="conv-code">
                    {JSON.stringify({ params: exchange.params, result: exchange.result, error: exchange.error }, null, 2)}
                  </pre>
                </details>
              </td>
              <td>
                {exchange.requestTime !== undefined && exchange.responseTime !== undefined
                  ? ms(exchange.responseTime - exchange.requestTime)
                  : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function JsonPathForm({
  jsonPath,
  onJsonPath,
}: {
  jsonPath: string | undefined;
  onJsonPath: (path: string | undefined) => void;
}) {
  const [value, setValue] = useState(jsonPath ?? '');
  return (
    <form
      class="conv-json-path"
      onSubmit={(event) => {
        event.preventDefault();
        onJsonPath(value.trim() === '' ? undefined : value.trim());
      }}
    >
      <label>
        {t('convJsonPathLabel')}{' '}
        <input
          type="text"
          value={value}
          placeholder={t('convJsonPathPlaceholder')}
          spellcheck={false}
          onInput={(event) => setValue((event.currentTarget as HTMLInputElement).value)}
        />
      </label>{' '}
      <button type="submit">{t('convJsonPathApply')}</button>
      {jsonPath !== undefined && (
        <button type="button" onClick={() => onJsonPath(undefined)}>
          {t('convJsonPathClear')}
        </button>
      )}
    </form>
  );
}

export function ConversationCard({ connection, assembler, save, jsonPath, onJsonPath, onMock }: Props) {
  const c = assembler.conversation;
  const metrics = assembler.summary();
  const live = c.protocol !== null && !c.ended && !c.terminated;
  const source = { url: connection.url, method: connection.method, startTime: connection.startTime };
  const heading = `${connection.method} ${shortUrl(connection.url)}`;

  // Not known yet (too few events to tell): say so, without offering anything.
  if (c.protocol === null && !assembler.undetectable && !c.ended)
    return (
      <article class="conv-card" aria-label={heading} data-connection={connection.id}>
        <header class="conv-card-head">
          <h2 class="conv-title">{heading}</h2>
          <span class="conv-status">{t('convStatusWaiting')}</span>
        </header>
      </article>
    );

  return (
    <article class="conv-card" aria-label={heading} data-connection={connection.id} data-protocol={c.protocol ?? 'none'}>
      <header class="conv-card-head">
        <h2 class="conv-title">
          {c.model ?? c.prompt.model ?? heading}
          {(c.model ?? c.prompt.model) !== undefined && <span class="conv-dim"> {heading}</span>}
        </h2>
        {c.protocol !== null && <span class="conv-chip">{t(PROTOCOL_LABEL[c.protocol])}</span>}
        {c.protocol !== null && !c.sse && (
          <span class="conv-tag conv-tag-warn" title={t('convNotSseTitle')}>
            {t('convNotSse')}
          </span>
        )}
        {c.protocol !== null && <span class={`conv-status conv-status-${c.status}`}>{t(STATUS_LABEL[c.status])}</span>}
        {c.protocol !== null && (
          <span class="conv-actions">
            <button
              type="button"
              onClick={() => save(`${fileBase(connection)}.md`, conversationMarkdown(c, metrics, source), 'text/markdown')}
            >
              {t('convExportMarkdown')}
            </button>
            <button
              type="button"
              onClick={() => save(`${fileBase(connection)}.json`, conversationJsonText(c, metrics, source), 'application/json')}
            >
              {t('convExportJson')}
            </button>
          </span>
        )}
      </header>
      {(c.protocol === null || c.protocol === 'json-path') && (
        <>
          {c.protocol === null && <p class="conv-dim">{t('convNotDetected')}</p>}
          <JsonPathForm jsonPath={jsonPath} onJsonPath={onJsonPath} />
        </>
      )}
      {c.protocol !== null && (
        <>
          <PromptView prompt={c.prompt} />
          {c.replies.map((reply) => (
            <ReplyView
              key={reply.index}
              reply={reply}
              live={live}
              heading={c.replies.length > 1 ? t('convReplyN', [reply.index]) : t('convReply')}
            />
          ))}
          {c.protocol === 'mcp' && <McpView conversation={c} />}
          {onMock !== undefined && (c.ended || c.terminated) && (
            <MockEditor connection={connection} assembler={assembler} onMock={onMock} />
          )}
          {c.errors.length > 0 && (
            <section class="conv-errors" role="group" aria-label={t('convErrors')}>
              <h3 class="conv-subheading">{t('convErrors')}</h3>
              <ul>
                {c.errors.map((error, i) => (
                  <li key={i}>
                    {[error.type, error.code].filter((v) => v !== undefined && v !== '').join(' ')}
                    {error.type !== undefined || error.code !== undefined ? ': ' : ''}
                    {error.message}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <div class="conv-numbers-row">
            {c.protocol !== 'mcp' && <TimingView metrics={metrics} />}
            <UsageView usage={c.usage} />
          </div>
          {c.warnings.length > 0 && (
            <section class="conv-warnings" role="group" aria-label={t('convWarnings')}>
              <h3 class="conv-subheading">{t('convWarnings')}</h3>
              <ul>
                {c.warnings.map((warning, i) => (
                  <li key={i}>
                    <span class="conv-tag conv-tag-warn">{t(WARNING_LABEL[warning.code])}</span> {warning.message}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </article>
  );
}
