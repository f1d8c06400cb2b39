// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { parseJsonData, type JsonValue } from '../core/json-view';
import { JsonTree, JSON_PAGE } from './JsonTree';

vi.mock('./i18n', () => import('./i18n.test-double'));

let container: HTMLElement;
let writeText: ReturnType<typeof vi.fn>;
beforeEach(() => {
  container = document.createElement('div');
  document.body.appendChild(container);
  writeText = vi.fn(() => Promise.resolve());
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
});
afterEach(() => {
  render(null, container);
  container.remove();
  vi.restoreAllMocks();
});

function json(text: string): JsonValue {
  const result = parseJsonData(text);
  if (!result.ok) throw new Error('not JSON');
  return result.value;
}
function mount(value: JsonValue) {
  act(() => render(<JsonTree value={value} label="tree" />, container));
}
const tree = () => container.querySelector<HTMLElement>('[role="tree"]')!;
const items = () => [...container.querySelectorAll<HTMLElement>('[role="treeitem"]')];
/** The text of each visible row: key and value preview. */
const rows = () =>
  items().map((item) => {
    const row = item.querySelector(':scope > .jt-row')!;
    return `${row.querySelector('.jt-key')?.textContent ?? ''}=${row.querySelector('.jt-value')?.textContent ?? row.textContent}`;
  });
const itemByKey = (label: string) =>
  items().find((item) => item.querySelector(':scope > .jt-row > .jt-key')?.textContent === label)!;
const focused = () => (document.activeElement as HTMLElement).querySelector(':scope > .jt-row > .jt-key')?.textContent;
function key(name: string, init: KeyboardEventInit = {}) {
  act(() => {
    (document.activeElement ?? tree()).dispatchEvent(
      new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true, ...init }),
    );
  });
}
async function settle() {
  await act(async () => {
    await Promise.resolve();
    await Promise.resolve();
  });
}

describe('JsonTree', () => {
  it('renders an ARIA tree, levels 1 and 2 open, deeper containers closed', () => {
    mount(json('{"a":{"b":{"c":{"d":1}}, "n": 2}, "s": "x"}'));
    expect(tree().getAttribute('aria-label')).toBe('tree');
    expect(rows()).toEqual(['a=jsonKeys(2)', 'b=jsonKeysOne', 'c=jsonKeysOne', 'n=2', 's="x"']);
    expect(itemByKey('a').getAttribute('aria-expanded')).toBe('true');
    expect(itemByKey('b').getAttribute('aria-expanded')).toBe('true');
    expect(itemByKey('c').getAttribute('aria-expanded')).toBe('false');
    expect(itemByKey('n').hasAttribute('aria-expanded')).toBe(false);
    expect(itemByKey('a').getAttribute('aria-level')).toBe('1');
    expect(itemByKey('c').getAttribute('aria-level')).toBe('3');
    expect(itemByKey('a').querySelector(':scope > [role="group"]')).not.toBeNull();
    // Roving tabindex: one row in the tab order.
    expect(items().filter((item) => item.tabIndex === 0).length).toBe(1);
    expect(items()[0]!.tabIndex).toBe(0);
  });

  it('clicking a container row toggles it', () => {
    mount(json('{"a":[1,2]}'));
    expect(rows()).toEqual(['a=jsonItems(2)', '0=1', '1=2']);
    act(() => itemByKey('a').querySelector<HTMLElement>('.jt-row')!.click());
    expect(itemByKey('a').getAttribute('aria-expanded')).toBe('false');
    expect(rows()).toEqual(['a=jsonItems(2)']);
    act(() => itemByKey('a').querySelector<HTMLElement>('.jt-row')!.click());
    expect(rows()).toEqual(['a=jsonItems(2)', '0=1', '1=2']);
  });

  it('moves with ↑/↓/Home/End and expands/collapses with →/←', () => {
    mount(json('{"a":{"b":{"c":1}},"z":true}'));
    items()[0]!.focus();
    expect(focused()).toBe('a');
    key('ArrowDown');
    expect(focused()).toBe('b');
    expect(itemByKey('b').getAttribute('aria-expanded')).toBe('true');
    key('ArrowRight'); // b is open: to its first child
    expect(focused()).toBe('c');
    key('ArrowLeft'); // c is a leaf: go to its parent
    expect(focused()).toBe('b');
    key('ArrowLeft'); // b is open: close it
    expect(itemByKey('b').getAttribute('aria-expanded')).toBe('false');
    expect(focused()).toBe('b');
    key('ArrowDown');
    expect(focused()).toBe('z');
    key('ArrowDown'); // the last row: stays
    expect(focused()).toBe('z');
    key('Home');
    expect(focused()).toBe('a');
    key('ArrowLeft'); // close a
    expect(rows()).toEqual(['a=jsonKeysOne', 'z=true']);
    key('ArrowRight'); // open a
    key('ArrowRight'); // to its first child
    expect(focused()).toBe('b');
    key('ArrowRight'); // b was closed: open it
    expect(rows()).toEqual(['a=jsonKeysOne', 'b=jsonKeysOne', 'c=1', 'z=true']);
    key('End');
    expect(focused()).toBe('z');
    key('Enter'); // on a leaf: nothing
    key('ArrowUp');
    expect(focused()).toBe('c');
    expect(
      items()
        .filter((item) => item.tabIndex === 0)
        .map((item) => item.dataset.key),
    ).toEqual([JSON.stringify(['a', 'b', 'c'])]);
  });

  it('pages large arrays: the first page, then "show more"', () => {
    mount(json(`[${Array.from({ length: 250 }, (_, i) => i).join(',')}]`));
    expect(items().length).toBe(JSON_PAGE + 1);
    const more = items().at(-1)!;
    expect(more.textContent).toBe(`jsonShowMore(${JSON_PAGE}|250)`);
    act(() => more.querySelector<HTMLElement>('.jt-row')!.click());
    expect(items().length).toBe(2 * JSON_PAGE + 1);
    // Keyboard: Enter on the "show more" row.
    items().at(-1)!.focus();
    key('Enter');
    expect(items().length).toBe(250);
    expect(rows().at(-1)).toBe('249=249');
  });

  it('copies the path and the value of a node, and says so', async () => {
    mount(json('{"choices":[{"delta":{"content-type":"a\\"b","n":12345678901234567890}}]}'));
    expect(itemByKey('delta').getAttribute('aria-expanded')).toBe('false'); // level 3
    act(() => itemByKey('delta').querySelector<HTMLElement>('.jt-row')!.click());
    const node = itemByKey('content-type');
    act(() => node.querySelectorAll<HTMLButtonElement>('.jt-actions button')[1]!.click());
    await settle();
    expect(writeText).toHaveBeenLastCalledWith('$.choices[0].delta["content-type"]');
    expect(container.querySelector('[role="status"]')!.textContent).toBe('jsonCopiedPath($.choices[0].delta["content-type"])');

    act(() => node.querySelectorAll<HTMLButtonElement>('.jt-actions button')[0]!.click());
    await settle();
    expect(writeText).toHaveBeenLastCalledWith('a"b');

    // Keyboard: C copies the value (numbers as sent), P the path.
    itemByKey('delta').focus();
    key('c');
    await settle();
    expect(writeText).toHaveBeenLastCalledWith('{\n  "content-type": "a\\"b",\n  "n": 12345678901234567890\n}');
    key('p');
    await settle();
    expect(writeText).toHaveBeenLastCalledWith('$.choices[0].delta');
  });

  it('falls back to execCommand when the clipboard API is denied', async () => {
    writeText.mockImplementation(() => Promise.reject(new DOMException('denied', 'NotAllowedError')));
    const execCommand = vi.fn(() => true);
    Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true });
    mount(json('{"a":1}'));
    items()[0]!.focus();
    key('p');
    await settle();
    expect(execCommand).toHaveBeenCalledWith('copy');
    expect(container.querySelector('[role="status"]')!.textContent).toBe('jsonCopiedPath($.a)');
    expect(document.querySelector('textarea')).toBeNull();
    expect(focused()).toBe('a');

    execCommand.mockReturnValue(false);
    key('c');
    await settle();
    expect(container.querySelector('[role="status"]')!.textContent).toBe('copyFailed');
  });

  it('renders hostile keys and values as text', () => {
    const evil = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    mount({ [evil]: evil, '': '\u0000\n', nested: { [evil]: [evil] } } as JsonValue);
    expect(container.querySelector('img, script')).toBeNull();
    expect(itemByKey(evil).querySelector('.jt-value')!.textContent).toBe(JSON.stringify(evil));
    expect(itemByKey('""').querySelector('.jt-value')!.textContent).toBe('"\\u0000\\n"');
  });

  it('a scalar or an empty container is one row', () => {
    mount(json('"just text"'));
    expect(rows()).toEqual(['="just text"']);
    mount(json('[]'));
    expect(rows()).toEqual(['=[]']);
  });
});
