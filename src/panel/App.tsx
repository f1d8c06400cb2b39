/** The SSE panel: toolbar, connections, events and the selected event's detail. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ARRIVAL_ORDER, sortItems, type SortOrder } from '../core/sort-items';
import type { LogConnection } from './log-connection';
import { ConnectionList } from './ConnectionList';
import { EventTable, type TimeMode } from './EventTable';
import { EventDetail } from './EventDetail';
import { ConnectionFacts } from './ConnectionFacts';
import { t } from './i18n';
import { exportHar } from './export';
import type { LoggedItem } from '../core/log-store';

interface Props {
  link: LogConnection;
  /** The store's version at render time: a new value re-renders the views that read it. */
  version: number;
  pageUrl: () => Promise<string>;
}

export function App({ link, version, pageUrl }: Props) {
  const store = link.store;
  const [selectedConnections, setSelectedConnections] = useState<ReadonlySet<string> | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [sort, setSort] = useState<SortOrder>(ARRIVAL_ORDER);
  const [timeMode, setTimeMode] = useState<TimeMode>('absolute');
  const now = useClock(store.connectionList.some((c) => c.endTime === undefined));
  const connections = useMemo(() => store.connectionList, [version]);
  const items = useMemo(() => {
    if (selectedConnections === null) return store.items;
    if (selectedConnections.size === 1) {
      const [only] = selectedConnections;
      return store.itemsByConnection.get(only!) ?? [];
    }
    return store.items.filter((logged) => selectedConnections.has(logged.connectionId));
  }, [version, selectedConnections]);
  const sortedItems = useMemo(() => sortItems(items, sort), [items, version, sort]);
  const eventCount = useMemo(() => connections.reduce((sum, c) => sum + c.eventCount, 0), [connections]);
  const selected = selectedId === null ? undefined : store.items[selectedId];
  const singleConnection =
    selectedConnections !== null && selectedConnections.size === 1
      ? store.connections.get([...selectedConnections][0]!)
      : undefined;

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
        <label class="check">
          <input
            type="checkbox"
            checked={timeMode === 'relative'}
            onChange={(e) => setTimeMode(e.currentTarget.checked ? 'relative' : 'absolute')}
          />
          {t('relativeTime')}
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
            selected={selectedConnections}
            now={now}
            onSelect={(next) => {
              setSelectedConnections(next);
              setSelectedId(null);
            }}
          />
          {singleConnection ? <ConnectionFacts connection={singleConnection} items={items as LoggedItem[]} /> : null}
          <div class="lower">
            <EventTable
              items={sortedItems}
              connections={store.connections}
              showConnection={singleConnection === undefined}
              selectedId={selectedId}
              onSelect={setSelectedId}
              sort={sort}
              onSort={setSort}
              timeMode={timeMode}
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

/** The current time, refreshed every second while `ticking` (durations of open connections). */
function useClock(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return ticking ? now : Date.now();
}
