/**
 * The SSE panel: toolbar and filters, connections, timeline, events and the selected event's
 * detail. State lives here; the views are props-only. One EventFilter (search, type chips, hidden
 * comments, selected connections, the timeline's brush) decides what the table, the timeline and
 * the exports of "what you see" show.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ARRIVAL_ORDER, SortedItems, type SortOrder } from '../core/sort-items';
import { allTypes, DEFAULT_FILTER, onlyType, toggleType, type EventFilter, type TimeRange } from '../core/filter-model';
import { FilteredItems } from '../core/filtered-items';
import { activeMatcher } from '../core/search';
import { LogStore, type LoggedItem } from '../core/log-store';
import type { ExportFormat } from '../core/export-formats';
import type { LogConnection } from './log-connection';
import { ConnectionList } from './ConnectionList';
import { EventTable, type TimeMode } from './EventTable';
import { EventDetail } from './EventDetail';
import { ConnectionFacts } from './ConnectionFacts';
import { FilterBar } from './FilterBar';
import { TypeChips } from './TypeChips';
import { Highlight } from './Highlight';
import { Timeline } from './Timeline';
import { t } from './i18n';
import { exportEvents } from './export';
import { ExportMenu } from './ExportMenu';
import { HarDropZone, ImportButton, type ImportedFile } from './ImportButton';
import { CopyRequestActions } from './CopyActions';
import { ReplayControls } from './ReplayControls';

interface Props {
  link: LogConnection;
  /** The store's version at render time: a new value re-renders the views that read it. */
  version: number;
  pageUrl: () => Promise<string>;
}

interface ImportedLog {
  name: string;
  store: LogStore;
  streams: number;
  events: number;
  skipped: number;
}

export function App({ link, version: liveVersion, pageUrl }: Props) {
  // An imported file is shown from a store of its own, so live appends and resets never touch it.
  const [imported, setImported] = useState<ImportedLog | null>(null);
  const store = imported?.store ?? link.store;
  // Memos of what the store holds depend on the store itself and its version: every imported
  // store has the same version (one apply), so the version alone would keep the first file's views.
  const version = imported === null ? liveVersion : store.version;
  const [includeSensitive, setIncludeSensitive] = useState(false);
  const [selectedConnections, setSelectedConnections] = useState<ReadonlySet<string> | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [sort, setSort] = useState<SortOrder>(ARRIVAL_ORDER);
  const [timeMode, setTimeMode] = useState<TimeMode>('absolute');
  const [filterBase, setFilter] = useState<EventFilter>(DEFAULT_FILTER);
  const [timeRange, setTimeRange] = useState<TimeRange | null>(null);
  const [showTimeline, setShowTimeline] = useState(true);
  const theme = document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
  const now = useClock(store.connectionList.some((c) => c.endTime === undefined));
  const connections = useMemo(() => store.connectionList, [store, version]);

  // The table sees every filter; the timeline all but its own brush (so brushing does not shrink it).
  const tableFilter = useMemo(
    () => ({ ...filterBase, connectionIds: selectedConnections, timeRange }),
    [filterBase, selectedConnections, timeRange],
  );
  const timelineFilter = useMemo(() => ({ ...tableFilter, timeRange: null }), [tableFilter]);
  const tableView = useRef(new FilteredItems());
  const timelineView = useRef(new FilteredItems());
  const items = useMemo(() => tableView.current.update(store, tableFilter), [store, version, tableFilter]);
  const timelineItems = useMemo(() => timelineView.current.update(store, timelineFilter), [store, version, timelineFilter]);
  const typeCounts = useMemo(() => tableView.current.typeCounts(store, tableFilter), [store, version, tableFilter]);
  // Appends to the same filtered list are merged into the sorted rows, not sorted again.
  const sortedView = useRef(new SortedItems());
  const sortedItems = useMemo(() => sortedView.current.update(items, sort), [items, items.length, sort]);
  const matcher = useMemo(() => activeMatcher(filterBase.search), [filterBase.search]);

  const timelineConnections = useMemo(
    () => (selectedConnections === null ? connections : connections.filter((c) => selectedConnections.has(c.id))),
    [connections, selectedConnections],
  );
  const itemsOfConnection = useMemo(() => {
    if (timelineItems === store.items) return (id: string) => store.itemsByConnection.get(id) ?? [];
    const groups = new Map<string, LoggedItem[]>();
    for (const logged of timelineItems) {
      let group = groups.get(logged.connectionId);
      if (group === undefined) groups.set(logged.connectionId, (group = []));
      group.push(logged);
    }
    return (id: string) => groups.get(id) ?? [];
  }, [store, timelineItems, timelineItems.length, version]);

  const eventCount = useMemo(() => connections.reduce((sum, c) => sum + c.eventCount, 0), [connections]);
  const selected = selectedId === null ? undefined : store.items[selectedId];
  const singleConnection =
    selectedConnections !== null && selectedConnections.size === 1
      ? store.connections.get([...selectedConnections][0]!)
      : undefined;
  const renderText = matcher === null ? undefined : (text: string) => <Highlight text={text} matcher={matcher} />;

  const onImport = (file: ImportedFile) => {
    setImported({
      name: file.fileName,
      store: file.store,
      streams: file.summary.streams,
      events: file.summary.events,
      skipped: file.summary.skipped,
    });
    setSelectedConnections(null);
    setSelectedId(null);
    setTimeRange(null);
  };

  // Selections point into the imported store (item ids are its indexes): they do not carry over.
  const backToLive = () => {
    setImported(null);
    setSelectedConnections(null);
    setSelectedId(null);
    setTimeRange(null);
  };

  /** Exports "what you see": the connections in view; for event formats, the filtered items in view order. */
  const onExport = async (format: ExportFormat, sensitive: boolean) => {
    const inView = timelineConnections;
    const url = imported === null ? await pageUrl() : `file:///${imported.name}`;
    if (format === 'har') {
      // HAR holds whole streams (an import re-derives fetch/XHR events from their raw text).
      const ids = new Set(inView.map((c) => c.id));
      await exportEvents('har', {
        items: store.items.filter((logged) => ids.has(logged.connectionId)),
        connections: inView,
        pageUrl: url,
        includeSensitive: sensitive,
      });
    } else {
      await exportEvents(format, { items: sortedItems, connections: store.connections, pageUrl: url, includeSensitive: sensitive });
    }
  };

  return (
    <HarDropZone onImport={onImport} class="panel">
      <div class="toolbar" role="toolbar" aria-label="SSE">
        <button type="button" onClick={() => link.clear()} title={t('clear')} aria-label={t('clear')} disabled={imported !== null || !link.live}>
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
        <label class="check">
          <input type="checkbox" checked={showTimeline} onChange={(e) => setShowTimeline(e.currentTarget.checked)} />
          {t('showTimeline')}
        </label>
        <span class="separator" />
        <button type="button" onClick={() => void onExport('har', includeSensitive)}>
          {t('exportHar')}
        </button>
        <ExportMenu onExport={onExport} includeSensitive={includeSensitive} onIncludeSensitiveChange={setIncludeSensitive} />
        <ImportButton onImport={onImport} />
        <span class="spacer" />
        <span class="summary" aria-live="polite">
          {t('summary', [connections.length, eventCount])}
        </span>
      </div>
      <div class="filters-row">
        <FilterBar
          search={filterBase.search}
          onSearchChange={(search) => setFilter((f) => ({ ...f, search }))}
          hideComments={filterBase.hideComments}
          onHideCommentsChange={(hideComments) => setFilter((f) => ({ ...f, hideComments }))}
          matchCount={matcher === null ? null : items.length}
        />
        <TypeChips
          counts={typeCounts}
          hiddenTypes={filterBase.hiddenTypes}
          onToggle={(type) => setFilter((f) => toggleType(f, type))}
          onOnly={(type) => setFilter((f) => onlyType(f, type, typeCounts.keys()))}
          onAll={() => setFilter(allTypes)}
        />
      </div>
      {imported !== null ? (
        <div class="banner info" role="status">
          {t('importedBanner', [imported.name, imported.streams, imported.events])}
          {imported.skipped > 0 ? ` ${t('importedSkipped', [imported.skipped])}` : ''}{' '}
          <button type="button" class="link-button" onClick={backToLive}>
            {t('importedBackToLive')}
          </button>
        </div>
      ) : null}
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
          <h2>{link.live ? t('emptyTitle') : t('viewerTitle')}</h2>
          <p>{link.live ? t('emptyHint') : t('viewerHint')}</p>
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
          {singleConnection ? (
            <div class="connection-bar">
              <CopyRequestActions connection={singleConnection} includeSensitive={includeSensitive} />
              <ConnectionFacts
                connection={singleConnection}
                items={store.itemsByConnection.get(singleConnection.id) ?? []}
              />
              <ReplayControls
                key={`${imported === null ? 'live' : imported.name}:${singleConnection.id}`}
                connection={singleConnection}
                items={store.itemsByConnection.get(singleConnection.id) ?? []}
                itemsInView={items}
                fromLiveLog={imported === null}
                liveConnections={link.store.connectionList}
                link={link}
              />
            </div>
          ) : null}
          {showTimeline ? (
          <Timeline
            connections={timelineConnections}
            itemsByConnection={itemsOfConnection}
            range={timeRange}
            onBrush={setTimeRange}
            onSelectItem={(logged) => setSelectedId(logged.id)}
            theme={theme}
          />
          ) : null}
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
              renderText={renderText}
            />
            {selected ? (
              <EventDetail logged={selected} connection={store.connections.get(selected.connectionId)} store={store} />
            ) : null}
          </div>
        </div>
      )}
    </HarDropZone>
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
