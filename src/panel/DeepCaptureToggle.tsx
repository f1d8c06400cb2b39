/**
 * The toolbar's "Deep capture" toggle (Chromium builds with the `debugger` permission; Firefox
 * builds, whose manifest offers webRequest as optional): ticking it first explains what will happen
 * — in Chrome the "is debugging this browser" bar, in Firefox (`mechanism: 'webRequest'`) no bar but
 * a request for access to the site's responses, made from a small window of ours (Firefox gives
 * DevTools panels no permissions API) — and only the confirm button asks the background to turn it
 * on. Unticking turns it off at once. Says why when the mode went off by itself (the user closed
 * the bar, refused the access) or could not start. Props only.
 */
import { useEffect, useState } from 'preact/hooks';
import type { DeepCaptureState } from '../protocol';
import { t } from './i18n';

interface Props {
  state: DeepCaptureState;
  onChange(on: boolean): void;
}

export function DeepCaptureToggle({ state, onChange }: Props) {
  const [explaining, setExplaining] = useState(false);
  // What the user asked for, shown until the background answers with the tab's new state (attaching
  // the debugger takes a moment: the box must not untick after Confirm, nor stay ticked after unticking).
  const [asked, setAsked] = useState<boolean | null>(null);
  useEffect(() => setAsked(null), [state]);
  if (!state.available) return null;
  const firefox = state.mechanism === 'webRequest';
  return (
    <span class="deep-capture">
      <label class="check" title={t(firefox ? 'deepCaptureTitleFirefox' : 'deepCaptureTitle')}>
        <input
          type="checkbox"
          class="deep-capture-toggle"
          checked={explaining || (asked ?? state.on)}
          // On or off as the background says; turning-on / turning-off until it answers what was asked.
          data-state={asked === null ? (state.on ? 'on' : 'off') : asked ? 'turning-on' : 'turning-off'}
          aria-busy={asked !== null}
          onChange={(e) => {
            if (e.currentTarget.checked) setExplaining(true);
            else {
              setExplaining(false);
              setAsked(false);
              onChange(false);
            }
          }}
        />
        {t('deepCapture')}
      </label>
      {explaining ? (
        <div class="deep-capture-explain banner info" role="dialog" aria-label={t('deepCapture')}>
          <p>{t(firefox ? 'deepCaptureExplainFirefox' : 'deepCaptureExplain')}</p>
          <button
            type="button"
            class="deep-capture-confirm"
            onClick={() => {
              setExplaining(false);
              setAsked(true);
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
      {!state.on && !explaining && asked === null && state.error !== undefined ? (
        <span class="deep-capture-error banner warn" role="status">
          {t('deepCaptureOff', [state.error])}
        </span>
      ) : null}
    </span>
  );
}
