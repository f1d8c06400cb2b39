/** UI strings come from _locales (en, zh_CN) through the browser's i18n. */
import browser from 'webextension-polyfill';

export function t(key: string, substitutions?: (string | number)[]): string {
  const message = browser.i18n.getMessage(key, substitutions?.map(String));
  // An empty answer means a missing key: show the key so the gap is visible, not a blank.
  return message === '' ? key : message;
}
