/**
 * Stand-in for ./i18n in component tests (browser.i18n does not exist under vitest): a message is
 * its key, with the substitutions shown as `key(a|b)`, so tests can assert which string was used.
 * Use as `vi.mock('./i18n', () => import('./i18n.test-double'))`.
 */
import type { MessageKey } from './i18n';

export type { MessageKey };

export function t(key: MessageKey, substitutions?: (string | number)[]): string {
  return substitutions === undefined ? key : `${key}(${substitutions.join('|')})`;
}
