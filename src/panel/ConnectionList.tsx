/** The connections table: one row per stream; click a row to show only its events. */
import type { Connection } from '../core/log-store';
import { byteSize, splitUrl } from '../core/format';
import { t } from './i18n';

const KIND_LABEL: Record<Connection['kind'], string> = { eventsource: 'EventSource', fetch: 'fetch', xhr: 'XHR' };
const STATE_KEY: Record<Connection['state'], string> = {
  connecting: 'stateConnecting',
  open: 'stateOpen',
  closed: 'stateClosed',
  error: 'stateError',
};

interface Props {
  connections: Connection[];
  selectedId: string | null;
  onSelect(id: string | null): void;
}

export function ConnectionList({ connections, selectedId, onSelect }: Props) {
  return (
    <div class="connections" role="region" aria-label={t('connections')}>
      <table class="grid" aria-label={t('connectionsTableLabel')}>
        <thead>
          <tr>
            <th scope="col">{t('colKind')}</th>
            <th scope="col">{t('colMethod')}</th>
            <th scope="col" class="wide">{t('colUrl')}</th>
            <th scope="col">{t('colStatus')}</th>
            <th scope="col">{t('colState')}</th>
            <th scope="col" class="num">{t('colEvents')}</th>
            <th scope="col" class="num">bytes</th>
          </tr>
        </thead>
        <tbody>
          <tr
            class={selectedId === null ? 'selected' : ''}
            aria-selected={selectedId === null}
            tabIndex={0}
            onClick={() => onSelect(null)}
          >
            <td colSpan={7} class="all-row">{t('allConnections')}</td>
          </tr>
          {connections.map((connection) => {
            const { origin, path } = splitUrl(connection.url);
            const status = connection.response?.status;
            return (
              <tr
                key={connection.id}
                data-connection-id={connection.id}
                class={connection.id === selectedId ? 'selected' : ''}
                aria-selected={connection.id === selectedId}
                tabIndex={0}
                title={connection.frameId !== 0 ? `${connection.url}\nframe: ${connection.frameUrl}` : connection.url}
                onClick={() => onSelect(connection.id)}
              >
                <td>
                  <span class={`badge kind-${connection.kind}`}>{KIND_LABEL[connection.kind]}</span>
                  {connection.mislabelled ? (
                    <span class="badge mislabelled" title={connection.response?.contentType || t('noContentType')}>
                      {t('mislabelledBadge')}
                    </span>
                  ) : null}
                </td>
                <td>{connection.method}</td>
                <td class="wide url">
                  {/* Path first: in a narrow panel it is the part worth keeping. */}
                  <span class="url-path">{path}</span> <span class="url-origin">{origin}</span>
                  {connection.frameId !== 0 ? <span class="frame-tag">iframe</span> : null}
                </td>
                <td class={status !== undefined && status >= 400 ? 'status-bad' : ''}>{status ?? '—'}</td>
                <td>
                  <span class={`state state-${connection.state}`}>{t(STATE_KEY[connection.state])}</span>
                </td>
                <td class="num">{connection.eventCount}</td>
                <td class="num">{connection.kind === 'eventsource' ? '—' : byteSize(connection.bytes)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
