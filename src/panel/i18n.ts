/**
 * UI strings come from _locales (en, zh_CN) through the browser's i18n. `MessageKey` is every key
 * of the English file, so a typo or a string that was never added fails the typecheck;
 * `i18n.test.ts` checks that zh_CN has the same keys and placeholders.
 */
import browser from 'webextension-polyfill';
import type messages from '../../assets/_locales/en/messages.json';

export type MessageKey = keyof typeof messages;

export function t(key: MessageKey, substitutions?: (string | number)[]): string {
  const message = browser.i18n.getMessage(key, substitutions?.map(String));
  // An empty answer means a missing key: show the key so the gap is visible, not a blank.
  return message === '' ? key : message;
}
