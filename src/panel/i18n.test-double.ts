/**
 * Stand-in for ./i18n in component tests (browser.i18n does not exist under vitest): a message is
 * its key, with the substitutions shown as `key(a|b)`, so tests can assert which string was used.
 * Use as `vi.mock('./i18n', () => import('./i18n.test-double'))`.
 */
export function t(key: string, substitutions?: (string | number)[]): string {
  return substitutions === undefined ? key : `${key}(${substitutions.join('|')})`;
}
