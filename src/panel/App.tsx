/** The SSE panel: toolbar, connections, events and the selected event's detail. */
import { useMemo, useState } from 'preact/hooks';
import type { LogConnection } from './log-connection';
import { ConnectionList } from './ConnectionList';
import { EventTable } from './EventTable';
import { EventDetail } from './EventDetail';
import { ConnectionFacts } from './ConnectionFacts';
import { t } from './i18n';
import { exportHar } from './export';

interface Props {
  link: LogConnection;
  /** The store's version at render time: a new value re-renders the views that read it. */
  version: number;
  pageUrl: () => Promise<string>;
}

export function App({ link, version, pageUrl }: Props) {
  const store = link.store;
  const [selectedConnection, setSelectedConnection] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const connections = useMemo(() => store.connectionList, [version]);
  const items = useMemo(
    () =>
      selectedConnection === null ? store.items : (store.itemsByConnection.get(selectedConnection) ?? []),
    [version, selectedConnection],
  );
  const eventCount = useMemo(() => connections.reduce((sum, c) => sum + c.eventCount, 0), [connections]);
  const selected = selectedId === null ? undefined : store.items[selectedId];
  const selectedConnectionData = selectedConnection === null ? undefined : store.connections.get(selectedConnection);

  return (
    <div class="panel">
      <div class="toolbar" role="toolbar" aria-label="SSE">
        <button type="button" onClick={() => link.clear()} title={t('clear')} aria-label={t('clear')}>
          {t('clear')}
        </button>
        <label class="check">
          <input type="checkbox" checked={link.preserve} onChange={(e) => link.setPreserve(e.currentTarget.checked)} />
          {t('preserveLog')}
        </label>
        <span class="separator" />
        <button type="button" onClick={() => void pageUrl().then((url) => exportHar(store, url))}>
          {t('exportHar')}
        </button>
        <span class="spacer" />
        <span class="summary" aria-live="polite">
          {t('summary', [connections.length, eventCount])}
        </span>
      </div>
      {store.stats.dropped > 0 ? (
        <div class="banner warn" role="status">
          {t('droppedNotice', [store.stats.dropped, store.stats.droppedReasons.join('; ')])}
        </div>
      ) : null}
      {store.stats.invalid > 0 ? (
        <div class="banner warn" role="status">
          {t('invalidNotice', [store.stats.invalid])}
        </div>
      ) : null}
      {store.captureIssues.slice(-3).map((issue) => (
        <div class="banner error" role="status" key={issue.time}>
          {t('captureIssue', [issue.message])}
        </div>
      ))}
      {connections.length === 0 ? (
        <div class="empty-state">
          <h2>{t('emptyTitle')}</h2>
          <p>{t('emptyHint')}</p>
        </div>
      ) : (
        <div class="main">
          <ConnectionList
            connections={connections}
            selectedId={selectedConnection}
            onSelect={(id) => {
              setSelectedConnection(id);
              setSelectedId(null);
            }}
          />
          {selectedConnectionData ? <ConnectionFacts connection={selectedConnectionData} items={items} /> : null}
          <div class="lower">
            <EventTable
              items={items}
              connections={store.connections}
              showConnection={selectedConnection === null}
              selectedId={selectedId}
              onSelect={setSelectedId}
            />
            {selected ? (
              <EventDetail logged={selected} connection={store.connections.get(selected.connectionId)} />
            ) : null}
          </div>
        </div>
      )}
    </div>
  );
}
