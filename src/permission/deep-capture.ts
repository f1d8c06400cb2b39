/**
 * The page that asks Firefox for deep capture's permissions. `permissions.request` must run in a
 * user's click in one of our pages, and Firefox gives DevTools panels no `permissions` API (bug
 * 1796933), so the background opens this page in a small window when the panel turns deep capture
 * on. Allow asks (Firefox shows its own prompt for what it has not granted yet); once granted the
 * background starts capturing (`permissions.onAdded`) and this window closes. Closing it without
 * granting turns deep capture off again.
 */
import browser from 'webextension-polyfill';
import { DEEP_CAPTURE_PERMISSIONS } from '../core/filtered-responses';
import { t } from '../panel/i18n';

const element = (id: string) => document.getElementById(id)!;

document.documentElement.lang = browser.i18n.getUILanguage();
document.title = t('deepCapturePermissionTitle');
element('title').textContent = t('deepCapturePermissionTitle');
element('explain').textContent = t('deepCapturePermissionExplain');
const allow = element('allow') as HTMLButtonElement;
allow.textContent = t('deepCapturePermissionAllow');
element('cancel').textContent = t('deepCaptureCancel');

allow.addEventListener('click', () => {
  allow.disabled = true;
  browser.permissions.request(DEEP_CAPTURE_PERMISSIONS).then(
    (granted) => {
      if (granted) window.close();
      else {
        element('status').textContent = t('deepCapturePermissionRefused');
        allow.disabled = false;
      }
    },
    (error: unknown) => {
      element('status').textContent = t('deepCaptureOff', [error instanceof Error ? error.message : String(error)]);
      allow.disabled = false;
    },
  );
});
element('cancel').addEventListener('click', () => window.close());
