/**
 * The panel's toolbar: Clear, Preserve log, Relative time, Deep capture (when the build can), Export HAR, the export menu, Import HAR
 * and the summary. It wraps onto a second line when the panel is narrow (nothing is cut off, and
 * nothing overflows sideways). Props only.
 */
import type { ExportFormat } from '../core/export-formats';
import type { TimeMode } from './EventTable';
import { ExportMenu } from './ExportMenu';
import { ImportButton, type ImportedFile } from './ImportButton';
import { t } from './i18n';
import { DeepCaptureToggle } from './DeepCaptureToggle';
import type { DeepCaptureState } from '../protocol';

export interface ToolbarProps {
  canClear: boolean;
  onClear(): void;
  preserve: boolean;
  onPreserveChange(preserve: boolean): void;
  timeMode: TimeMode;
  onTimeModeChange(mode: TimeMode): void;
  onExport(format: ExportFormat, includeSensitive: boolean): void | Promise<void>;
  includeSensitive: boolean;
  onIncludeSensitiveChange(include: boolean): void;
  onImport(file: ImportedFile): void;
  connections: number;
  events: number;
  /** Deep capture of the live tab (undefined: a viewer of imported files). */
  deepCapture?: DeepCaptureState;
  onDeepCaptureChange?(on: boolean): void;
}

export function Toolbar(props: ToolbarProps) {
  return (
    <div class="toolbar" role="toolbar" aria-label="SSE">
      <div class="toolbar-group">
        <button type="button" onClick={props.onClear} title={t('clear')} disabled={!props.canClear}>
          {t('clear')}
        </button>
        <label class="check">
          <input type="checkbox" checked={props.preserve} onChange={(e) => props.onPreserveChange(e.currentTarget.checked)} />
          {t('preserveLog')}
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={props.timeMode === 'relative'}
            onChange={(e) => props.onTimeModeChange(e.currentTarget.checked ? 'relative' : 'absolute')}
          />
          {t('relativeTime')}
        </label>
        {props.deepCapture !== undefined ? (
          <DeepCaptureToggle state={props.deepCapture} onChange={(on) => props.onDeepCaptureChange?.(on)} />
        ) : null}
      </div>
      <div class="toolbar-group">
        <button type="button" class="export-har" onClick={() => void props.onExport('har', props.includeSensitive)}>
          {t('exportHar')}
        </button>
        <ExportMenu
          onExport={props.onExport}
          includeSensitive={props.includeSensitive}
          onIncludeSensitiveChange={props.onIncludeSensitiveChange}
        />
        <ImportButton onImport={props.onImport} />
      </div>
      <span class="summary" aria-live="polite">
        {t('summary', [
          t(props.connections === 1 ? 'connectionCountOne' : 'connectionCountMany', [props.connections]),
          t(props.events === 1 ? 'eventCountOne' : 'eventCountMany', [props.events]),
        ])}
      </span>
    </div>
  );
}
