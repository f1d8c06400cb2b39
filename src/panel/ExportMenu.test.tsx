// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { ExportFormat } from '../core/export-formats';
import { ExportMenu, type ExportMenuProps } from './ExportMenu';

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

function setup(props: Partial<ExportMenuProps> = {}) {
  const onExport = vi.fn<(format: ExportFormat, includeSensitive: boolean) => void | Promise<void>>();
  const onIncludeSensitiveChange = vi.fn<(include: boolean) => void>();
  const all: ExportMenuProps = { onExport, includeSensitive: false, onIncludeSensitiveChange, ...props };
  act(() => render(<ExportMenu {...all} />, container));
  const button = container.querySelector<HTMLButtonElement>('button[aria-haspopup="menu"]')!;
  return {
    onExport,
    onIncludeSensitiveChange,
    button,
    rerender: (next: Partial<ExportMenuProps>) => act(() => render(<ExportMenu {...all} {...next} />, container)),
  };
}

const menu = () => container.querySelector<HTMLElement>('[role="menu"]');
const menuItems = () => [...container.querySelectorAll<HTMLElement>('[role^="menuitem"]')];
const key = (target: Element, k: string) =>
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  });
const click = (target: Element) =>
  act(() => {
    (target as HTMLElement).click();
  });

describe('ExportMenu', () => {
  it('is a closed menu button', () => {
    const { button } = setup();
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.hasAttribute('aria-controls')).toBe(false);
    expect(button.textContent).toContain('exportMenu');
    expect(button.title).toBe('exportMenuLabel');
    expect(menu()).toBeNull();
  });

  it('opens on click with the four formats and the sensitive-data checkbox, focus on the first', () => {
    const { button } = setup();
    click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(button.getAttribute('aria-controls')).toBe(menu()!.id);
    expect(menu()!.getAttribute('aria-label')).toBe('exportMenuLabel');
    expect(menuItems().map((i) => [i.getAttribute('role'), i.textContent])).toEqual([
      ['menuitem', 'exportFormatHar'],
      ['menuitem', 'exportFormatNdjson'],
      ['menuitem', 'exportFormatCsv'],
      ['menuitem', 'exportFormatJson'],
      ['menuitemcheckbox', 'exportIncludeSensitive'],
    ]);
    expect(menuItems()[4]!.getAttribute('aria-checked')).toBe('false');
    expect(menuItems()[4]!.title).toBe('exportIncludeSensitiveHint');
    expect(menuItems().every((i) => i.tabIndex === -1)).toBe(true);
    expect(document.activeElement).toBe(menuItems()[0]);
  });

  it('keyboard: ↓ on the button opens on the first item, ↑ on the last; ↑/↓/Home/End move and wrap', () => {
    const { button } = setup();
    key(button, 'ArrowUp');
    expect(document.activeElement).toBe(menuItems()[4]);
    key(document.activeElement!, 'ArrowDown');
    expect(document.activeElement).toBe(menuItems()[0]);
    key(document.activeElement!, 'ArrowDown');
    expect(document.activeElement).toBe(menuItems()[1]);
    key(document.activeElement!, 'End');
    expect(document.activeElement).toBe(menuItems()[4]);
    key(document.activeElement!, 'Home');
    expect(document.activeElement).toBe(menuItems()[0]);
    key(document.activeElement!, 'ArrowUp');
    expect(document.activeElement).toBe(menuItems()[4]);
    key(document.activeElement!, 'Escape');
    expect(menu()).toBeNull();
    expect(document.activeElement).toBe(button);
    key(button, 'ArrowDown');
    expect(document.activeElement).toBe(menuItems()[0]);
  });

  it('choosing a format exports it with the sensitive-data choice and closes', () => {
    const { button, onExport, rerender } = setup();
    click(button);
    click(menuItems()[2]!);
    expect(onExport).toHaveBeenCalledWith('csv', false);
    expect(menu()).toBeNull();
    expect(document.activeElement).toBe(button);
    rerender({ includeSensitive: true });
    click(button);
    expect(menuItems()[4]!.getAttribute('aria-checked')).toBe('true');
    expect(menuItems()[4]!.textContent).toBe('✓exportIncludeSensitive');
    click(menuItems()[0]!);
    expect(onExport).toHaveBeenLastCalledWith('har', true);
  });

  it('the checkbox item toggles without closing the menu', () => {
    const { button, onIncludeSensitiveChange, onExport } = setup();
    click(button);
    click(menuItems()[4]!);
    expect(onIncludeSensitiveChange).toHaveBeenCalledWith(true);
    expect(menu()).not.toBeNull();
    expect(onExport).not.toHaveBeenCalled();
  });

  it('Tab and a click outside close the menu', () => {
    const { button } = setup();
    click(button);
    key(document.activeElement!, 'Tab');
    expect(menu()).toBeNull();
    click(button);
    act(() => {
      document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    });
    expect(menu()).toBeNull();
    click(button);
    click(button);
    expect(menu()).toBeNull();
  });

  it('is busy while the export runs, and says why an export failed', async () => {
    let finish!: () => void;
    let fail!: (e: unknown) => void;
    const { button, onExport } = setup();
    onExport.mockImplementationOnce(() => new Promise<void>((resolve) => (finish = resolve)));
    click(button);
    click(menuItems()[1]!);
    expect(button.disabled).toBe(true);
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(button.textContent).toContain('exportBusy');
    await act(async () => finish());
    expect(button.disabled).toBe(false);
    expect(button.textContent).toContain('exportMenu');

    onExport.mockImplementationOnce(() => new Promise<void>((_, reject) => (fail = reject)));
    click(button);
    click(menuItems()[3]!);
    await act(async () => fail(new Error('disk full')));
    expect(container.querySelector('[role="alert"]')!.textContent).toBe('exportFailed(disk full)');

    // a cancelled export is not an error; a new export clears the old message
    onExport.mockImplementationOnce(() => Promise.reject(new DOMException('stopped', 'AbortError')));
    click(button);
    click(menuItems()[0]!);
    await act(async () => {});
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });

  it('can be disabled', () => {
    const { button } = setup({ disabled: true });
    expect(button.disabled).toBe(true);
  });
});
