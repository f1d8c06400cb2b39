/**
 * The event table: every item of the selected connection(s), virtualized. Page data is only ever
 * set as text (JSX text nodes), never as HTML.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Connection, LoggedItem } from '../core/log-store';
import { clockTime, preview, splitUrl } from '../core/format';
import type { SseItem } from '../core/sse-types';
import { t } from './i18n';
import { virtualWindow } from '../core/virtual-window';

const ROW_HEIGHT = 21;

export function itemTypeLabel(item: SseItem): string {
  switch (item.kind) {
    case 'event':
      return item.type;
    case 'comment':
      return t('kindComment');
    case 'retry':
      return t('kindRetry');
    case 'field':
      return t('kindField');
    case 'warning':
      return t('kindWarning');
  }
}

export function itemText(item: SseItem): string {
  switch (item.kind) {
    case 'event':
      return item.data;
    case 'comment':
      return item.text;
    case 'retry':
      return `${item.milliseconds} ms`;
    case 'field':
      return `${item.name}: ${item.value}`;
    case 'warning':
      return item.message;
  }
}

interface Props {
  items: LoggedItem[];
  connections: Map<string, Connection>;
  showConnection: boolean;
  selectedId: number | null;
  onSelect(id: number): void;
}

export function EventTable({ items, connections, showConnection, selectedId, onSelect }: Props) {
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

  const rows: number[] = [];
  for (let index = view.start; index < view.end; index++) rows.push(index);

  return (
    <div class="events" role="region" aria-label={t('events')}>
      <div class="grid-header" role="row">
        <span role="columnheader" class="col-time">{t('colTime')}</span>
        <span role="columnheader" class="col-type">{t('colType')}</span>
        <span role="columnheader" class="col-id">{t('colId')}</span>
        <span role="columnheader" class="col-data">{t('colData')}</span>
        {showConnection ? <span role="columnheader" class="col-conn">{t('colConnection')}</span> : null}
      </div>
      <div
        class="scroller"
        ref={scroller}
        onScroll={onScroll}
        role="table"
        aria-label={t('eventsTableLabel')}
        aria-rowcount={items.length}
      >
        <div style={{ height: `${view.scrollHeight}px`, position: 'relative' }} role="rowgroup">
          {rows.map((index, position) => {
            const logged = items[index]!;
            const item = logged.item;
            const connection = connections.get(logged.connectionId);
            return (
              <div
                key={logged.id}
                role="row"
                aria-rowindex={index + 1}
                aria-selected={logged.id === selectedId}
                class={`event-row kind-${item.kind}${logged.id === selectedId ? ' selected' : ''}`}
                style={{ transform: `translateY(${view.offset + position * ROW_HEIGHT}px)`, height: `${ROW_HEIGHT}px` }}
                onClick={() => onSelect(logged.id)}
                data-item-id={logged.id}
              >
                <span role="cell" class="col-time">{clockTime(item.time)}</span>
                <span role="cell" class="col-type">{itemTypeLabel(item)}</span>
                <span role="cell" class="col-id">{item.kind === 'event' ? item.lastEventId : ''}</span>
                <span role="cell" class="col-data">{preview(itemText(item))}</span>
                {showConnection ? (
                  <span role="cell" class="col-conn">{connection ? splitUrl(connection.url).path : ''}</span>
                ) : null}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
