// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { SearchQuery } from '../core/search';
import { FilterBar, type FilterBarProps } from './FilterBar';

vi.mock('./i18n', () => import('./i18n.test-double'));

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.appendChild(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

function setup(props: Partial<FilterBarProps> = {}) {
  const onSearchChange = vi.fn<(search: SearchQuery) => void>();
  const onHideCommentsChange = vi.fn<(hide: boolean) => void>();
  const all: FilterBarProps = {
    search: null,
    onSearchChange,
    hideComments: false,
    onHideCommentsChange,
    matchCount: null,
    ...props,
  };
  act(() => render(<FilterBar {...all} />, container));
  const input = container.querySelector<HTMLInputElement>('input[type="search"]')!;
  const [regexButton, caseButton] = [...container.querySelectorAll<HTMLButtonElement>('button.filter-toggle')];
  const checkbox = container.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
  return { onSearchChange, onHideCommentsChange, input, regexButton: regexButton!, caseButton: caseButton!, checkbox };
}

const query = (text: string, regex = false, caseSensitive = false): SearchQuery => ({ text, regex, caseSensitive });

describe('FilterBar', () => {
  it('renders a labelled search box, two toggles and the comments checkbox', () => {
    const { input, regexButton, caseButton, checkbox } = setup();
    expect(input.getAttribute('aria-label')).toBe('filterSearchLabel');
    expect(input.value).toBe('');
    expect(input.getAttribute('placeholder')).toBe('filterSearchPlaceholder');
    expect(input.hasAttribute('aria-invalid')).toBe(false);
    expect(regexButton.getAttribute('aria-label')).toBe('filterRegex');
    expect(regexButton.getAttribute('aria-pressed')).toBe('false');
    expect(caseButton.getAttribute('aria-label')).toBe('filterCaseSensitive');
    expect(caseButton.getAttribute('aria-pressed')).toBe('false');
    expect(checkbox.checked).toBe(false);
    expect(checkbox.closest('label')!.textContent).toBe('filterHideComments');
    expect(container.querySelector('[role="status"]')!.textContent).toBe('');
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });

  it('shows the current search and toggle states', () => {
    const { input, regexButton, caseButton } = setup({ search: query('a.b', true, true) });
    expect(input.value).toBe('a.b');
    expect(input.getAttribute('placeholder')).toBe('filterSearchRegexPlaceholder');
    expect(regexButton.getAttribute('aria-pressed')).toBe('true');
    expect(caseButton.getAttribute('aria-pressed')).toBe('true');
  });

  it('typing reports the new text, keeping the flags', () => {
    const { input, onSearchChange } = setup({ search: query('he', true) });
    input.value = 'hel';
    act(() => {
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(onSearchChange).toHaveBeenCalledWith(query('hel', true));
  });

  it('typing into an empty (null) search starts one', () => {
    const { input, onSearchChange } = setup();
    input.value = 'x';
    act(() => {
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(onSearchChange).toHaveBeenCalledWith(query('x'));
  });

  it('the toggles flip regex and case sensitivity', () => {
    const { regexButton, caseButton, onSearchChange } = setup({ search: query('abc') });
    act(() => regexButton.click());
    expect(onSearchChange).toHaveBeenLastCalledWith(query('abc', true));
    act(() => caseButton.click());
    expect(onSearchChange).toHaveBeenLastCalledWith(query('abc', false, true));
  });

  it('Escape clears the search text', () => {
    const { input, onSearchChange } = setup({ search: query('abc', true) });
    const escape = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    act(() => {
      input.dispatchEvent(escape);
    });
    expect(onSearchChange).toHaveBeenCalledWith(query('', true));
    expect(escape.defaultPrevented).toBe(true);
  });

  it('Escape with nothing typed is left alone (DevTools may use it)', () => {
    const { input, onSearchChange } = setup({ search: query('') });
    const escape = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    act(() => {
      input.dispatchEvent(escape);
    });
    expect(onSearchChange).not.toHaveBeenCalled();
    expect(escape.defaultPrevented).toBe(false);
  });

  it('shows the match count while a search is active', () => {
    setup({ search: query('abc'), matchCount: 1234 });
    expect(container.querySelector('[role="status"]')!.textContent).toBe(`filterMatches(${(1234).toLocaleString()})`);
    setup({ search: query('abc'), matchCount: 1 });
    expect(container.querySelector('[role="status"]')!.textContent).toBe('filterMatchOne');
    setup({ search: query('abc'), matchCount: 0 });
    expect(container.querySelector('[role="status"]')!.textContent).toBe('filterMatches(0)');
    setup({ search: query(''), matchCount: 10 });
    expect(container.querySelector('[role="status"]')!.textContent).toBe('');
  });

  it('an invalid regex is reported, linked to the box, with no count', () => {
    const { input } = setup({ search: query('(', true), matchCount: 5 });
    const alert = container.querySelector('[role="alert"]')!;
    expect(alert.textContent).toBe('filterRegexInvalid(missing closing ): `(`)');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe(alert.id);
    expect(alert.id).not.toBe('');
    expect(container.querySelector('.filter-search')!.classList.contains('invalid')).toBe(true);
    expect(container.querySelector('[role="status"]')!.textContent).toBe('');
  });

  it('no pattern is refused: the search is linear-time (RE2); lookahead is a syntax error', () => {
    setup({ search: query('(a+)+$', true), matchCount: 0 });
    expect(container.querySelector('[role="alert"]')).toBeNull();
    setup({ search: query('a(?=b)', true) });
    expect(container.querySelector('[role="alert"]')!.textContent).toMatch(/^filterRegexInvalid\(.*\(\?=/);
  });

  it('the comments checkbox reports changes', () => {
    const { checkbox, onHideCommentsChange } = setup({ hideComments: true });
    expect(checkbox.checked).toBe(true);
    act(() => checkbox.click());
    expect(onHideCommentsChange).toHaveBeenCalledWith(false);
  });

  it('hostile search text stays text', () => {
    const hostile = '<img src=x onerror=alert(1)>(';
    const { input } = setup({ search: query(hostile, true) });
    expect(input.value).toBe(hostile);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('[role="alert"]')!.textContent).toContain('filterRegexInvalid(');
  });
});
