/**
 * The toolbar's "Deep capture" toggle (Chromium builds with the `debugger` permission): ticking it
 * first explains the "is debugging this browser" bar Chrome will show, and only the confirm button
 * asks the background to attach. Unticking detaches at once. Says why when the mode went off by
 * itself (the user closed the bar) or could not start. Props only.
 */
import { useState } from 'preact/hooks';
import type { DeepCaptureState } from '../protocol';
import { t } from './i18n';

interface Props {
  state: DeepCaptureState;
  onChange(on: boolean): void;
}

export function DeepCaptureToggle({ state, onChange }: Props) {
  const [explaining, setExplaining] = useState(false);
  if (!state.available) return null;
  return (
    <span class="deep-capture">
      <label class="check" title={t('deepCaptureTitle')}>
        <input
          type="checkbox"
          class="deep-capture-toggle"
          checked={state.on || explaining}
          onChange={(e) => {
            if (e.currentTarget.checked) setExplaining(true);
            else {
              setExplaining(false);
              onChange(false);
            }
          }}
        />
        {t('deepCapture')}
      </label>
      {explaining ? (
        <div class="deep-capture-explain banner info" role="dialog" aria-label={t('deepCapture')}>
          <p>{t('deepCaptureExplain')}</p>
          <button
            type="button"
            class="deep-capture-confirm"
            onClick={() => {
              setExplaining(false);
              onChange(true);
            }}
          >
            {t('deepCaptureConfirm')}
          </button>{' '}
          <button type="button" onClick={() => setExplaining(false)}>
            {t('deepCaptureCancel')}
          </button>
        </div>
      ) : null}
      {!state.on && !explaining && state.error !== undefined ? (
        <span class="deep-capture-error banner warn" role="status">
          {t('deepCaptureOff', [state.error])}
        </span>
      ) : null}
    </span>
  );
}
