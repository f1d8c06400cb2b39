// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { TypeChips, type TypeChipsProps } from './TypeChips';

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

function setup(counts: [string, number][], hidden: string[] = []) {
  const onToggle = vi.fn<(type: string) => void>();
  const onOnly = vi.fn<(type: string) => void>();
  const onAll = vi.fn<() => void>();
  const props: TypeChipsProps = { counts: new Map(counts), hiddenTypes: new Set(hidden), onToggle, onOnly, onAll };
  act(() => render(<TypeChips {...props} />, container));
  const chip = (type: string) => container.querySelector<HTMLButtonElement>(`button.chip[data-type="${CSS.escape(type)}"]`)!;
  const only = (type: string) => chip(type).parentElement!.querySelector<HTMLButtonElement>('button.chip-only')!;
  const all = container.querySelector<HTMLButtonElement>('button.chip-all')!;
  return { onToggle, onOnly, onAll, chip, only, all };
}

const key = (target: Element, init: KeyboardEventInit) => {
  const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  act(() => {
    target.dispatchEvent(event);
  });
  return event;
};

describe('TypeChips', () => {
  it('a labelled group: "All", then one chip per type in a stable order, with counts', () => {
    setup([
      ['update', 3],
      ['message', 1200],
      ['tick', 0],
    ]);
    const group = container.querySelector('[role="group"]')!;
    expect(group.getAttribute('aria-label')).toBe('filterTypesLabel');
    const chips = [...group.querySelectorAll('button.chip')];
    expect(chips.map((c) => c.querySelector('.chip-label')?.textContent ?? c.textContent)).toEqual([
      'filterAllTypes',
      'message',
      'tick',
      'update',
    ]);
    expect(chips.slice(1).map((c) => c.querySelector('.chip-count')!.textContent)).toEqual([(1200).toLocaleString(), '0', '3']);
    // The accessible name is the visible text plus a hidden word (axe: label-content-name-mismatch).
    expect(chips[1]!.getAttribute('aria-label')).toBeNull();
    expect(chips[1]!.textContent).toBe(`message ${(1200).toLocaleString()} filterChipEvents`);
  });

  it('aria-pressed: on for shown types and for "All" when nothing is hidden', () => {
    const { chip, all } = setup(
      [
        ['message', 1],
        ['tick', 2],
      ],
      ['tick'],
    );
    expect(chip('message').getAttribute('aria-pressed')).toBe('true');
    expect(chip('tick').getAttribute('aria-pressed')).toBe('false');
    expect(all.getAttribute('aria-pressed')).toBe('false');
    const second = setup([['message', 1]]);
    expect(second.all.getAttribute('aria-pressed')).toBe('true');
  });

  it('a hidden type with no count still has a chip (to turn it back on)', () => {
    const { chip } = setup([['message', 1]], ['gone']);
    expect(chip('gone').getAttribute('aria-pressed')).toBe('false');
    expect(chip('gone').querySelector('.chip-count')!.textContent).toBe('0');
  });

  it('click toggles, Alt+click and the "only" button show only that type, "All" shows all', () => {
    const { chip, only, all, onToggle, onOnly, onAll } = setup([
      ['message', 1],
      ['tick', 2],
    ]);
    act(() => chip('tick').click());
    expect(onToggle).toHaveBeenCalledWith('tick');
    act(() => {
      chip('message').dispatchEvent(new MouseEvent('click', { bubbles: true, altKey: true }));
    });
    expect(onOnly).toHaveBeenCalledWith('message');
    expect(onToggle).toHaveBeenCalledTimes(1);
    act(() => only('tick').click());
    expect(onOnly).toHaveBeenLastCalledWith('tick');
    expect(only('tick').getAttribute('aria-label')).toBe('filterOnlyLabel(tick)');
    expect(only('tick').textContent).toBe('filterOnly');
    act(() => all.click());
    expect(onAll).toHaveBeenCalledTimes(1);
  });

  it('keyboard: Alt+Enter is "only this"; arrows, Home and End move between chips', () => {
    const { chip, only, all, onOnly } = setup([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
    const event = key(chip('b'), { key: 'Enter', altKey: true });
    expect(onOnly).toHaveBeenCalledWith('b');
    expect(event.defaultPrevented).toBe(true);

    chip('a').focus();
    key(chip('a'), { key: 'ArrowRight' });
    expect(document.activeElement).toBe(chip('b'));
    key(chip('b'), { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(chip('a'));
    key(chip('a'), { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(all);
    key(all, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(all); // stays at the first
    key(all, { key: 'End' });
    expect(document.activeElement).toBe(chip('c'));
    key(chip('c'), { key: 'Home' });
    expect(document.activeElement).toBe(all);
    // From an "only" button, arrows move to the neighbouring chips.
    only('b').focus();
    key(only('b'), { key: 'ArrowRight' });
    expect(document.activeElement).toBe(chip('c'));
    only('b').focus();
    key(only('b'), { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(chip('b'));
  });

  it('every control is a real button (reachable by Tab)', () => {
    setup([['message', 1]]);
    for (const button of container.querySelectorAll('button')) {
      expect(button.getAttribute('type')).toBe('button');
      expect(button.tabIndex).toBe(0);
    }
  });

  it('hostile type names render as text', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const { chip } = setup([[hostile, 1]]);
    expect(container.querySelector('img')).toBeNull();
    expect(chip(hostile).querySelector('.chip-label')!.textContent).toBe(hostile);
  });
});
