/** The AI streams of the log side by side: model, time to first token, tokens/s, tokens, stop reason. */
import type { AiStreamAssembler } from '../../core/ai/assembler';
import type { Connection } from '../../core/log-store';
import { t } from '../i18n';
import { count, ms, rate, shortUrl, STATUS_LABEL } from './labels';

interface Props {
  rows: readonly { connection: Connection; assembler: AiStreamAssembler }[];
  selected: ReadonlySet<string>;
  onSelect?: (connectionId: string) => void;
}

export function ComparisonTable({ rows, selected, onSelect }: Props) {
  if (rows.length === 0) return null;
  return (
    <section class="conv-compare" aria-label={t('convCompareHeading')}>
      <h2 class="conv-subheading">{t('convCompareHeading')}</h2>
      <table class="conv-table">
        <thead>
          <tr>
            <th scope="col">{t('convColStream')}</th>
            <th scope="col">{t('convColModel')}</th>
            <th scope="col">{t('convColTtft')}</th>
            <th scope="col">{t('convColTps')}</th>
            <th scope="col">{t('convColTokens')}</th>
            <th scope="col">{t('convColStop')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ connection, assembler }) => {
            const c = assembler.conversation;
            const m = assembler.summary();
            const stop = c.replies
              .map((r) => r.finishReason)
              .filter((r) => r !== undefined)
              .join(', ');
            const estimated = m.tokensEstimated ? '~' : '';
            return (
              <tr
                key={connection.id}
                class={selected.has(connection.id) ? 'selected' : undefined}
                aria-selected={selected.has(connection.id)}
              >
                <td>
                  {onSelect === undefined ? (
                    shortUrl(connection.url)
                  ) : (
                    <button type="button" class="conv-link" onClick={() => onSelect(connection.id)}>
                      {shortUrl(connection.url)}
                    </button>
                  )}
                </td>
                <td>{c.model ?? c.prompt.model ?? '—'}</td>
                <td>{ms(m.ttft)}</td>
                <td>{m.tokensPerSecond === undefined ? '—' : `${estimated}${rate(m.tokensPerSecond)}`}</td>
                <td>{m.outputTokens === undefined ? '—' : `${estimated}${count(m.outputTokens)}`}</td>
                <td>{stop || t(STATUS_LABEL[c.status])}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
