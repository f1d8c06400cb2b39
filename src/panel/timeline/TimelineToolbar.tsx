/**
 * The timeline's toolbar: zoom in/out, fit, "Filter to view" and clearing the brush, the window's
 * span and the brush readout, and the legend of event types. Props only.
 */
import { clockTime } from '../../core/format';
import { formatDuration, typeColor, type TimeRange, type TimelineTheme } from '../../core/timeline';
import { t } from '../i18n';
import type { View } from './view';

export interface TimelineToolbarProps {
  /** The window shown, or null when there is nothing to show. */
  visible: TimeRange | null;
  view: View['mode'];
  range: TimeRange | null;
  legend: { shown: string[]; more: number };
  theme: TimelineTheme;
  onZoomIn(): void;
  onZoomOut(): void;
  onFit(): void;
  onBrush(range: TimeRange | null): void;
}

export function TimelineToolbar({
  visible,
  view,
  range,
  legend,
  theme,
  onZoomIn,
  onZoomOut,
  onFit,
  onBrush,
}: TimelineToolbarProps) {
  return (
    <div class="tl-toolbar" role="toolbar" aria-label={t('timelineToolbar')}>
      <button
        type="button"
        class="tl-button"
        onClick={onZoomIn}
        disabled={visible === null}
        aria-label={t('timelineZoomIn')}
        title={t('timelineZoomIn')}
        data-testid="timeline-zoom-in"
      >
        +
      </button>
      <button
        type="button"
        class="tl-button"
        onClick={onZoomOut}
        disabled={visible === null || view === 'fit'}
        aria-label={t('timelineZoomOut')}
        title={t('timelineZoomOut')}
        data-testid="timeline-zoom-out"
      >
        −
      </button>
      <button type="button" class="tl-button" onClick={onFit} disabled={visible === null} data-testid="timeline-fit">
        {t('timelineFit')}
      </button>
      <span class="tl-separator" />
      <button
        type="button"
        class="tl-button"
        onClick={() => visible !== null && onBrush({ ...visible })}
        disabled={visible === null}
        data-testid="timeline-brush-view"
      >
        {t('timelineBrushView')}
      </button>
      <button
        type="button"
        class="tl-button"
        onClick={() => onBrush(null)}
        disabled={range === null}
        data-testid="timeline-clear-brush"
      >
        {t('timelineClearBrush')}
      </button>
      <span class="tl-readout" data-testid="timeline-readout">
        {visible === null ? '' : t('timelineViewSpan', [formatDuration(visible.to - visible.from)])}
        {range === null
          ? ''
          : ` · ${t('timelineRangeReadout', [clockTime(range.from), clockTime(range.to), formatDuration(range.to - range.from)])}`}
      </span>
      <span class="tl-spacer" />
      <ul class="tl-legend" aria-label={t('timelineLegend')}>
        {legend.shown.map((type) => (
          <li key={type}>
            <span class="tl-swatch" style={{ background: typeColor(type, theme) }} />
            {type}
          </li>
        ))}
        {legend.more > 0 ? <li class="tl-legend-more">{t('timelineMoreTypes', [legend.more])}</li> : null}
      </ul>
    </div>
  );
}
