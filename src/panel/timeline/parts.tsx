/**
 * The timeline's small views: a lane's label, the brush overlay, and the tooltip of the event or
 * gap under the pointer. Props only; page data as text.
 */
import type { Connection } from '../../core/log-store';
import { clockTime, preview } from '../../core/format';
import { formatDuration, laneLabel, tickType, timeToX, typeColor, type TimeRange, type TimelineTheme } from '../../core/timeline';
import { t } from '../i18n';
import { itemText, itemTypeLabel } from '../item-labels';
import type { Hover } from './view';

export function LaneLabel({ connection, firstEventDelay }: { connection: Connection; firstEventDelay: number | null }) {
  const label = laneLabel(connection);
  const firstEvent =
    firstEventDelay === null ? t('timelineNoEvent') : t('timelineFirstEvent', [formatDuration(Math.max(0, firstEventDelay))]);
  return (
    <li class="tl-lane-label" title={`${connection.method} ${connection.url}\n${firstEvent}`} data-connection-id={connection.id}>
      <span class="tl-lane-name">{label}</span>
      <span class="tl-ttfe" data-testid="timeline-ttfe">
        {firstEvent}
      </span>
    </li>
  );
}

export function BrushOverlay({
  range,
  window,
  width,
  pending,
}: {
  range: TimeRange | null;
  window: TimeRange | null;
  width: number;
  pending: boolean;
}) {
  if (range === null || window === null || width <= 0) return null;
  const left = Math.max(0, timeToX(range.from, window, width));
  const right = Math.min(width, timeToX(range.to, window, width));
  if (right < 0 || left > width) return null;
  return (
    <div
      class={`tl-brush${pending ? ' pending' : ''}`}
      style={{ left: `${left}px`, width: `${Math.max(1, right - left)}px` }}
      aria-hidden="true"
    />
  );
}

export function Tooltip({ hover, theme }: { hover: Hover; theme: TimelineTheme }) {
  const style = { left: `${hover.x}px`, top: `${hover.y}px` };
  if (hover.kind === 'gap') {
    return (
      <div class="tl-tooltip" role="tooltip" data-testid="timeline-tooltip" style={style}>
        <div class="tl-tooltip-title">{t('timelineGapTooltip', [formatDuration(hover.gap.to - hover.gap.from)])}</div>
        <div class="tl-tooltip-dim">{`${clockTime(hover.gap.from)} – ${clockTime(hover.gap.to)}`}</div>
      </div>
    );
  }
  const item = hover.item.item;
  return (
    <div class="tl-tooltip" role="tooltip" data-testid="timeline-tooltip" style={style}>
      <div class="tl-tooltip-title">
        <span class="tl-swatch" style={{ background: typeColor(tickType(item), theme) }} />
        {itemTypeLabel(item)}
      </div>
      <dl>
        {item.kind === 'event' && item.lastEventId !== '' ? (
          <>
            <dt>{t('colId')}</dt>
            <dd>{item.lastEventId}</dd>
          </>
        ) : null}
        <dt>{t('colTime')}</dt>
        <dd>
          {`${clockTime(item.time)} (${t('timelineSinceOpen', [formatDuration(Math.max(0, item.time - hover.connection.startTime))])})`}
        </dd>
        <dt>{t('colData')}</dt>
        <dd class="tl-tooltip-data">{preview(itemText(item), 200)}</dd>
      </dl>
      {hover.columnCount > 1 ? <div class="tl-tooltip-dim">{t('timelineMoreHere', [hover.columnCount - 1])}</div> : null}
    </div>
  );
}
