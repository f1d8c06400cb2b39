/**
 * The event table: the items in view (after filters), virtualized with fixed-height rows so a
 * million rows cost what ten do. Sortable columns, keyboard navigation (↑/↓, PageUp/PageDown,
 * Home/End), and auto-scroll that stops as soon as the user scrolls up. Page data is only ever set
 * as text (JSX text nodes), never as HTML.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Connection, LoggedItem } from '../core/log-store';
import { byteSize, clockTime, preview, relativeTime, splitUrl } from '../core/format';
import { itemSize, type SortColumn, type SortOrder } from '../core/sort-items';
import { itemText, itemTypeLabel } from './item-labels';
import { virtualWindow } from '../core/virtual-window';
import type { PageMark } from '../core/sightings';
import { t, type MessageKey } from './i18n';

export { itemText, itemTypeLabel };

/** The tag of an item the page missed: text, its tooltip. */
export const MISSED_TAG: Record<PageMark, [MessageKey, MessageKey]> = {
  'not-heard': ['notHeardTag', 'notHeardTagTitle'],
  'not-read': ['notReadTag', 'notReadTagTitle'],
};

const ROW_HEIGHT = 21;

export type TimeMode = 'absolute' | 'relative';

interface Props {
  items: readonly LoggedItem[];
  connections: Map<string, Connection>;
  showConnection: boolean;
  selectedId: number | null;
  onSelect(id: number): void;
  sort: SortOrder;
  onSort(sort: SortOrder): void;
  timeMode: TimeMode;
  /**
   * Deep capture: what the page missed of an item (O(1), `core/sightings.ts`); such rows are
   * marked "not heard" / "not read by the page".
   */
  missedOf?: (logged: LoggedItem) => PageMark | undefined;
  /** Renders a cell's text (e.g. with search matches highlighted); plain text by default. */
  renderText?: (text: string) => ComponentChildren;
}

const COLUMNS: { column: SortColumn; key: MessageKey; className: string }[] = [
  { column: 'time', key: 'colTime', className: 'col-time' },
  { column: 'type', key: 'colType', className: 'col-type' },
  { column: 'id', key: 'colId', className: 'col-id' },
  { column: 'data', key: 'colData', className: 'col-data' },
  { column: 'size', key: 'colSize', className: 'col-size' },
];

export function EventTable(props: Props) {
  const { items, connections, showConnection, selectedId, onSelect, sort, onSort, timeMode, missedOf } = props;
  const renderText = props.renderText ?? ((text: string) => text);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(400);
  const stickToBottom = useRef(true);
  // Never more rows than the window can show, even if a layout bug lets the scroller grow.
  const view = virtualWindow(items.length, ROW_HEIGHT, scrollTop, Math.min(viewportHeight, window.innerHeight));

  // Track the viewport's height (the panel is resized with DevTools).
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    const observer = new ResizeObserver(() => setViewportHeight(element.clientHeight));
    observer.observe(element);
    setViewportHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  // Auto-scroll while the user is at the bottom; scrolling up stops it.
  useEffect(() => {
    const element = scroller.current;
    if (element === null || !stickToBottom.current) return;
    element.scrollTop = element.scrollHeight;
    setScrollTop(element.scrollTop);
  }, [items.length, view.scrollHeight]);

  const onScroll = () => {
    const element = scroller.current;
    if (element === null) return;
    stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < ROW_HEIGHT * 2;
    setScrollTop(element.scrollTop);
  };

  /** Scrolls so row `index` is in view (used by keyboard navigation). */
  const reveal = (index: number) => {
    const element = scroller.current;
    if (element === null) return;
    const fullHeight = items.length * ROW_HEIGHT;
    // In a scaled scroll range (very long lists) positions are proportional.
    const scale = fullHeight > view.scrollHeight ? view.scrollHeight / fullHeight : 1;
    const top = index * ROW_HEIGHT * scale;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight) {
      element.scrollTop = top + ROW_HEIGHT - element.clientHeight;
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (items.length === 0) return;
    const current = selectedId === null ? -1 : items.findIndex((logged) => logged.id === selectedId);
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    let next: number;
    switch (event.key) {
      case 'ArrowDown':
        next = Math.min(items.length - 1, current + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, current === -1 ? items.length - 1 : current - 1);
        break;
      case 'PageDown':
        next = Math.min(items.length - 1, current + page);
        break;
      case 'PageUp':
        next = Math.max(0, current - page);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = items.length - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    stickToBottom.current = next === items.length - 1;
    onSelect(items[next]!.id);
    reveal(next);
  };

  const headerButton = ({ column, key, className }: (typeof COLUMNS)[number]) => {
    const active = sort.column === column && !(column === 'time' && !sort.descending);
    const ariaSort = sort.column === column ? (sort.descending ? 'descending' : 'ascending') : 'none';
    return (
      <span role="columnheader" class={className} aria-sort={ariaSort} key={column}>
        <button
          type="button"
          class={`sort${active ? ' active' : ''}`}
          onClick={() => onSort({ column, descending: sort.column === column ? !sort.descending : false })}
        >
          {t(key)}
          {sort.column === column ? <span aria-hidden="true">{sort.descending ? ' ▾' : ' ▴'}</span> : null}
        </button>
      </span>
    );
  };

  const rows: number[] = [];
  for (let index = view.start; index < view.end; index++) rows.push(index);

  return (
    <div class="events" role="region" aria-label={t('events')}>
      <div
        class="scroller"
        ref={scroller}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        tabIndex={0}
        role="grid"
        aria-label={t('eventsTableLabel')}
        aria-rowcount={items.length + 1}
        aria-multiselectable="false"
      >
        <div class="grid-header" role="row" aria-rowindex={1}>
          {COLUMNS.map(headerButton)}
          {showConnection ? (
            <span role="columnheader" class="col-conn">
              {t('colConnection')}
            </span>
          ) : null}
        </div>
        <div style={{ height: `${view.scrollHeight}px`, position: 'relative' }} role="rowgroup">
          {rows.map((index, position) => {
            const logged = items[index]!;
            const item = logged.item;
            const connection = connections.get(logged.connectionId);
            const selected = logged.id === selectedId;
            const missed = missedOf?.(logged);
            return (
              <div
                key={logged.id}
                role="row"
                aria-rowindex={index + 2}
                aria-selected={selected}
                class={`event-row kind-${item.kind}${selected ? ' selected' : ''}${missed === undefined ? '' : ` missed ${missed}`}`}
                style={{ transform: `translateY(${view.offset + position * ROW_HEIGHT}px)`, height: `${ROW_HEIGHT}px` }}
                onClick={() => onSelect(logged.id)}
                data-item-id={logged.id}
              >
                <span role="gridcell" class="col-time">
                  {timeMode === 'relative' && connection ? relativeTime(item.time, connection.startTime) : clockTime(item.time)}
                </span>
                <span role="gridcell" class="col-type">
                  {item.kind === 'event' ? renderText(item.type) : itemTypeLabel(item)}
                </span>
                <span role="gridcell" class="col-id">
                  {item.kind === 'event' ? renderText(item.lastEventId) : ''}
                </span>
                <span role="gridcell" class="col-data">
                  {missed !== undefined ? (
                    <span class="missed-tag" title={t(MISSED_TAG[missed][1])}>
                      <span class="missed-icon" aria-hidden="true">
                        {missed === 'not-heard' ? '⊘' : '✂'}
                      </span>
                      {t(MISSED_TAG[missed][0])}
                    </span>
                  ) : null}
                  {renderText(preview(itemText(item)))}
                  {item.kind === 'event' && item.truncated ? <span class="truncated-tag">{t('truncatedTag')}</span> : null}
                  {item.kind === 'event' && item.replayed ? (
                    <span class="replay-tag" title={t('replayTagTitle')}>
                      {t('replayTag')}
                    </span>
                  ) : null}
                </span>
                <span role="gridcell" class="col-size">
                  {byteSize(itemSize(item))}
                </span>
                {showConnection ? (
                  <span role="gridcell" class="col-conn">
                    {connection ? splitUrl(connection.url).path : ''}
                  </span>
                ) : null}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
