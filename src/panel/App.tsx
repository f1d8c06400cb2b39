/**
 * The SSE panel, in the shape of the Network panel: toolbar and filters on top; the connection list
 * and, for the selected connections, tabs — Events (table + detail), Timeline, Conversation,
 * Request, Replay. The list sits beside the tabs when the panel is wide, above them when it is
 * narrow; the split between them is draggable and remembered. State lives here; the views are
 * props-only. One EventFilter (search, type chips, hidden comments, selected connections, the
 * timeline's brush) decides what the table, the timeline and the exports of "what you see" show.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ARRIVAL_ORDER, SortedItems, type SortOrder } from '../core/sort-items';
import {
  allTypes,
  DEFAULT_FILTER,
  isFilterActive,
  onlyType,
  toggleType,
  type EventFilter,
  type TimeRange,
} from '../core/filter-model';
import { FilteredItems } from '../core/filtered-items';
import { activeMatcher } from '../core/search';
import { LogStore, type Connection, type LoggedItem } from '../core/log-store';
import { mergeSightings, NO_SIGHTINGS, pageMark, type ConnectionRow, type Sightings } from '../core/sightings';
import { rowExportConnections, type ExportFormat } from '../core/export-formats';
import { harExportOf } from '../core/har';
import { clockTime, duration } from '../core/format';
import type { LogConnection } from './log-connection';
import { ConnectionList } from './ConnectionList';
import { EventTable, type TimeMode } from './EventTable';
import { EventDetail } from './EventDetail';
import { FilterBar } from './FilterBar';
import { TypeChips } from './TypeChips';
import { Highlight } from './Highlight';
import { Timeline } from './timeline/Timeline';
import { t } from './i18n';
import { describeDrops } from './drop-reasons';
import { exportEvents } from './export';
import { HarDropZone, type ImportedFile } from './ImportButton';
import { ReplayControls } from './ReplayControls';
import { RequestView } from './RequestView';
import { ConnectionFacts } from './ConnectionFacts';
import { ConversationTab } from './ConversationTab';
import { Splitter, useSplit } from './Splitter';
import { TabPanel, Tabs, type TabSpec } from './Tabs';
import { Toolbar } from './Toolbar';
import { useWidth } from './useWidth';

/** From this width the connection list sits beside the tabs (below it, above them). */
export const SIDE_BY_SIDE_MIN = 900;
/** From this width of the Events tab the event detail sits beside the table (below it, under it). */
export const DETAIL_BESIDE_MIN = 700;

/** The stream the Conversation view reads for a row: a pair's wire stream, or its page stream where the wire capture is short. */
function conversationOf(row: ConnectionRow): string {
  return row.connection.wireShortfall !== undefined && row.page !== undefined ? row.page.id : row.id;
}

export type ConnectionTab = 'events' | 'timeline' | 'conversation' | 'request' | 'replay';

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
  const [tab, setTab] = useState<ConnectionTab>('events');
  const theme = document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
  const now = useClock(store.connectionList.some((c) => c.endTime === undefined));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the store changes in place: `version` says when
  const storeConnections = useMemo(() => store.connectionList, [store, version]);
  // One row per request: what the page tap and deep capture both saw of one is merged (core/sightings.ts).
  const lastSightings = useRef<Sightings | undefined>(undefined);
  const sightings = useMemo(() => {
    const next = mergeSightings(storeConnections, lastSightings.current, store.itemsByConnection);
    lastSightings.current = next;
    return next;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `storeConnections` changes with the store and its version
  }, [storeConnections]);
  const rows = sightings.rows;
  const connections = useMemo(() => rows.map((row) => row.connection), [rows]);
  const pairs = sightings.filter === NO_SIGHTINGS ? null : sightings.filter;
  // The store's streams behind the selected rows (a pair is two).
  const selectedStreams = useMemo(() => {
    if (selectedConnections === null) return null;
    const ids = new Set<string>();
    for (const id of selectedConnections) for (const member of sightings.rowOf.get(id)?.members ?? [id]) ids.add(member);
    return ids;
  }, [selectedConnections, sightings]);
  const selectedRows = useMemo(
    () => (selectedConnections === null ? rows : rows.filter((row) => row.members.some((id) => selectedStreams!.has(id)))),
    [rows, selectedConnections, selectedStreams],
  );

  // The table sees every filter; the timeline all but its own brush (so brushing does not shrink it).
  const tableFilter = useMemo(
    () => ({
      ...filterBase,
      connectionIds: selectedStreams,
      timeRange,
      sightings: pairs,
      missedOnly: pairs !== null && filterBase.missedOnly,
    }),
    [filterBase, selectedStreams, timeRange, pairs],
  );
  const timelineFilter = useMemo(() => ({ ...tableFilter, timeRange: null }), [tableFilter]);
  const tableView = useRef(new FilteredItems());
  const timelineView = useRef(new FilteredItems());
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the store changes in place: `version` says when
  const items = useMemo(() => tableView.current.update(store, tableFilter), [store, version, tableFilter]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the store changes in place: `version` says when
  const timelineItems = useMemo(() => timelineView.current.update(store, timelineFilter), [store, version, timelineFilter]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the store changes in place: `version` says when
  const typeCounts = useMemo(() => tableView.current.typeCounts(store, tableFilter), [store, version, tableFilter]);
  // Appends to the same filtered list are merged into the sorted rows, not sorted again.
  const sortedView = useRef(new SortedItems());
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the filtered list grows in place: its length says when
  const sortedItems = useMemo(() => sortedView.current.update(items, sort), [items, items.length, sort]);
  const matcher = useMemo(() => activeMatcher(filterBase.search), [filterBase.search]);

  // The Conversation view reads streams: a pair's is its wire stream, or its page stream where the
  // wire capture is short (core/sightings.ts); the other one is left out of its comparison table.
  const selectedRowIds = useMemo(
    () => (selectedConnections === null ? null : new Set(selectedRows.map(conversationOf))),
    [selectedConnections, selectedRows],
  );
  const pairOtherIds = useMemo(
    () => (pairs === null ? undefined : new Set([...pairs.duplicates.keys(), ...pairs.partial.keys()])),
    [pairs],
  );
  const timelineConnections = useMemo(() => selectedRows.map((row) => row.connection), [selectedRows]);
  // Each lane's items. Filtered by nothing but the pairing of page and wire streams: a lane's own
  // list (a pair's kept incrementally), so deep capture does not cost the whole log per update.
  const laneViews = useRef({ of: null as LoggedItem[] | null, views: new Map<string, FilteredItems>() });
  const itemsOfConnection = useMemo(() => {
    // A new log (another store, or a clear) starts the lanes' views over.
    if (laneViews.current.of !== store.items) laneViews.current = { of: store.items, views: new Map() };
    const views = laneViews.current.views;
    if (timelineItems === store.items) return (id: string) => store.itemsByConnection.get(id) ?? [];
    if (!isFilterActive({ ...timelineFilter, connectionIds: null })) {
      return (id: string) => {
        const row = sightings.rowOf.get(id);
        if (row === undefined || row.members.length === 1) return store.itemsByConnection.get(id) ?? [];
        let view = views.get(row.id);
        if (view === undefined) views.set(row.id, (view = new FilteredItems()));
        return view.update(store, { ...DEFAULT_FILTER, connectionIds: new Set(row.members), sightings: pairs });
      };
    }
    // Other filters: the filtered list, grouped by lane when the timeline first asks.
    let groups: Map<string, LoggedItem[]> | undefined;
    return (id: string) => {
      if (groups === undefined) {
        groups = new Map();
        for (const logged of timelineItems) {
          // A pair's lane holds both its streams' items (the page's own ones are few: see sightings.ts).
          const row = sightings.rowOf.get(logged.connectionId)?.id ?? logged.connectionId;
          let group = groups.get(row);
          if (group === undefined) groups.set(row, (group = []));
          group.push(logged);
        }
      }
      return groups.get(id) ?? [];
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the store and the filtered list change in place
  }, [store, timelineItems, timelineItems.length, version, sightings, timelineFilter, pairs]);

  const eventCount = useMemo(() => connections.reduce((sum, c) => sum + c.eventCount, 0), [connections]);
  const selected = selectedId === null ? undefined : store.items[selectedId];
  const singleRow = selectedRows.length === 1 && selectedConnections !== null ? selectedRows[0] : undefined;
  const singleConnection = singleRow?.connection;
  // A pair's items: both streams', each shown once (kept incrementally, like the table's).
  const rowItemsView = useRef(new FilteredItems());
  const singleItems = useMemo(() => {
    if (singleRow === undefined) return [];
    if (singleRow.members.length === 1) return store.itemsByConnection.get(singleRow.id) ?? [];
    return rowItemsView.current.update(store, { ...DEFAULT_FILTER, connectionIds: new Set(singleRow.members), sightings: pairs });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the store changes in place: `version` says when
  }, [store, version, singleRow?.id, singleRow?.members.length, pairs]);
  // Display connection of each store stream (a pair's two streams show as their row).
  const rowConnections = useMemo(() => {
    if (pairs === null) return store.connections;
    const map = new Map<string, Connection>(store.connections);
    for (const [id, row] of sightings.rowOf) map.set(id, row.connection);
    return map;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the store changes in place: `version` says when
  }, [store, version, sightings, pairs]);
  const missedOf = useMemo(() => {
    if (pairs === null) return undefined;
    return (logged: LoggedItem) => {
      const view = pairs.pageViews.get(logged.connectionId);
      return view === undefined ? undefined : pageMark(logged.item, view);
    };
  }, [pairs]);
  const missedView = useRef(new FilteredItems());
  const missedCount = useMemo(
    () => (pairs === null ? 0 : missedView.current.update(store, { ...tableFilter, missedOnly: true }).length),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the store changes in place: `version` says when
    [store, version, tableFilter, pairs],
  );
  const renderText = matcher === null ? undefined : (text: string) => <Highlight text={text} matcher={matcher} />;

  const [workspace, workspaceWidth] = useWidth<HTMLDivElement>();
  const [eventsPane, eventsWidth] = useWidth<HTMLDivElement>();
  const sideBySide = workspaceWidth >= SIDE_BY_SIDE_MIN;
  const detailBeside = eventsWidth >= DETAIL_BESIDE_MIN;
  const [listShare, setListShare] = useSplit(sideBySide ? 'list-beside' : 'list-above', sideBySide ? 0.38 : 0.3, 0.12, 0.8);
  const [tableShare, setTableShare] = useSplit(detailBeside ? 'table-beside' : 'table-above', 0.6, 0.2, 0.85);

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
    const url = imported === null ? await pageUrl() : `file:///${imported.name}`;
    if (format === 'har') {
      // HAR holds whole streams (an import re-derives fetch/XHR events from their raw text); a
      // request both sightings saw is one entry: the wire's stream, what the page saw of it, and
      // the few items only the page had (the writer finds them by their stream id).
      const { connections: inView, items: all } = harExportOf(store, selectedRows, pairs);
      await exportEvents('har', {
        items: all,
        connections: inView,
        pageUrl: url,
        includeSensitive: sensitive,
      });
    } else {
      // Each stream as its row, saying where it was seen (a pair's marks come with it, as the HAR's).
      await exportEvents(format, {
        items: sortedItems,
        connections: rowExportConnections(store.connections, sightings.rowOf),
        pageUrl: url,
        includeSensitive: sensitive,
      });
    }
  };

  const tabs: TabSpec<ConnectionTab>[] = [
    { id: 'events', label: t('tabEvents'), badge: items.length.toLocaleString() },
    { id: 'timeline', label: t('tabTimeline') },
    { id: 'conversation', label: t('tabConversation') },
    { id: 'request', label: t('tabRequest') },
    { id: 'replay', label: t('tabReplay') },
  ];

  const tabContent = () => {
    switch (tab) {
      case 'events':
        return (
          <>
            {/* What the panel must say about the stream (mislabelled, EventSource's visible types, reconnects, retry). */}
            {singleConnection ? (
              <ConnectionFacts
                connection={singleConnection}
                items={singleItems}
                deepHint={imported === null && link.deep.available && !link.deep.on}
              />
            ) : null}
            <div
              ref={eventsPane}
              class={`events-split ${detailBeside ? 'beside' : 'under'}${selected ? ' with-detail' : ''}`}
              style={selected ? { '--first': `${tableShare * 100}%` } : undefined}
            >
              <div class="events-pane">
                <EventTable
                  items={sortedItems}
                  connections={rowConnections}
                  missedOf={missedOf}
                  showConnection={singleConnection === undefined}
                  selectedId={selectedId}
                  onSelect={setSelectedId}
                  sort={sort}
                  onSort={setSort}
                  timeMode={timeMode}
                  renderText={renderText}
                />
              </div>
              {selected ? (
                <>
                  <Splitter
                    orientation={detailBeside ? 'vertical' : 'horizontal'}
                    value={tableShare}
                    onChange={setTableShare}
                    label={t('splitterDetail')}
                    min={0.2}
                    max={0.85}
                  />
                  <EventDetail
                    logged={selected}
                    connection={store.connections.get(selected.connectionId)}
                    store={store}
                    missed={missedOf?.(selected)}
                  />
                </>
              ) : null}
            </div>
          </>
        );
      case 'timeline':
        return (
          <Timeline
            connections={timelineConnections}
            itemsByConnection={itemsOfConnection}
            range={timeRange}
            onBrush={setTimeRange}
            onSelectItem={(logged) => {
              setSelectedId(logged.id);
              setTab('events');
            }}
            theme={theme}
          />
        );
      case 'conversation':
        // Mount point of the conversation view (see ConversationTab.tsx).
        return (
          <ConversationTab
            connection={singleConnection}
            items={singleItems}
            store={store}
            selectedIds={selectedRowIds}
            hiddenIds={pairOtherIds}
            link={link}
            fromLiveLog={imported === null}
            onSelect={(id) => setSelectedConnections(new Set([id]))}
          />
        );
      case 'request':
        return singleConnection ? (
          <RequestView connection={singleConnection} items={singleItems} includeSensitive={includeSensitive} now={now} />
        ) : (
          <p class="tab-hint">{t('requestSelectOne')}</p>
        );
      case 'replay':
        return singleConnection ? (
          <ReplayControls
            key={`${imported === null ? 'live' : imported.name}:${singleConnection.id}`}
            connection={singleConnection}
            items={singleItems}
            itemsInView={items}
            fromLiveLog={imported === null}
            liveConnections={link.store.connectionList}
            link={link}
          />
        ) : (
          <p class="tab-hint">{t('replaySelectOne')}</p>
        );
    }
  };

  return (
    <HarDropZone onImport={onImport} class="panel">
      <header class="panel-head">
        <h1 class="visually-hidden">{t('extensionName')}</h1>
        <Toolbar
          canClear={imported === null && link.live}
          onClear={() => link.clear()}
          preserve={link.preserve}
          onPreserveChange={(preserve) => link.setPreserve(preserve)}
          timeMode={timeMode}
          onTimeModeChange={setTimeMode}
          onExport={onExport}
          includeSensitive={includeSensitive}
          onIncludeSensitiveChange={setIncludeSensitive}
          onImport={onImport}
          connections={connections.length}
          events={eventCount}
          deepCapture={imported === null && link.live ? link.deep : undefined}
          onDeepCaptureChange={(on) => link.setDeepCapture(on)}
        />
        <div class="filters-row">
          <FilterBar
            search={filterBase.search}
            onSearchChange={(search) => setFilter((f) => ({ ...f, search }))}
            hideComments={filterBase.hideComments}
            onHideCommentsChange={(hideComments) => setFilter((f) => ({ ...f, hideComments }))}
            matchCount={matcher === null ? null : items.length}
          />
          {timeRange !== null ? (
            <span class="time-range-chip">
              {t('timelineRangeReadout', [
                clockTime(timeRange.from),
                clockTime(timeRange.to),
                duration(timeRange.to - timeRange.from),
              ])}
              <button type="button" class="link-button" onClick={() => setTimeRange(null)}>
                {t('timelineClearBrush')}
              </button>
            </span>
          ) : null}
          {pairs !== null ? (
            <button
              type="button"
              class="chip missed-chip"
              aria-pressed={filterBase.missedOnly === true}
              title={t('missedChipTitle')}
              onClick={() => setFilter((f) => ({ ...f, missedOnly: f.missedOnly !== true }))}
            >
              <span class="chip-label">{t('missedChip')}</span> <span class="chip-count">{missedCount.toLocaleString()}</span>
            </button>
          ) : null}
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
            {t('droppedNotice', [store.stats.dropped, describeDrops(store.stats.droppedReasons)])}
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
      </header>
      <main class="panel-body">
        {connections.length === 0 ? (
          <div class="empty-state">
            <h2>{link.live ? t('emptyTitle') : t('viewerTitle')}</h2>
            <p>{link.live ? t('emptyHint') : t('viewerHint')}</p>
          </div>
        ) : (
          <div
            ref={workspace}
            class={`workspace ${sideBySide ? 'beside' : 'above'}`}
            style={{ '--first': `${listShare * 100}%` }}
          >
            <div class="connections-pane">
              <ConnectionList
                rows={rows}
                selected={selectedConnections}
                now={now}
                onSelect={(next) => {
                  setSelectedConnections(next);
                  setSelectedId(null);
                }}
              />
            </div>
            <Splitter
              orientation={sideBySide ? 'vertical' : 'horizontal'}
              value={listShare}
              onChange={setListShare}
              label={t('splitterConnections')}
              min={0.12}
              max={0.8}
            />
            <div class="connection-pane">
              <Tabs<ConnectionTab>
                idPrefix="conn"
                label={t('connectionTabsLabel')}
                tabs={tabs}
                selected={tab}
                onSelect={setTab}
              />
              <TabPanel idPrefix="conn" id={tab} class={`tab-${tab}`}>
                {tabContent()}
              </TabPanel>
            </div>
          </div>
        )}
      </main>
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
