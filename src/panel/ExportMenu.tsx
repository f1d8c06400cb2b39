/**
 * The Export menu button: HAR, NDJSON, CSV, JSON, and "Include sensitive data" (off by default:
 * secrets are redacted in every export and copy). A WAI-ARIA menu button: aria-haspopup and
 * aria-expanded on the button; ↓/↑ open it on the first/last item; in the menu ↑/↓/Home/End move,
 * Enter/Space choose (the checkbox item toggles and leaves the menu open), Esc closes and returns
 * focus to the button, Tab closes; a click outside closes. Props only: the caller does the export.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { EXPORT_FORMATS, type ExportFormat } from '../core/export-formats';
import { t, type MessageKey } from './i18n';

export interface ExportMenuProps {
  /** Export in `format`. While a returned promise is pending the button shows it is busy. */
  onExport: (format: ExportFormat, includeSensitive: boolean) => void | Promise<void>;
  /** The "Include sensitive data" choice (shared with the copy actions, so the caller keeps it). */
  includeSensitive: boolean;
  onIncludeSensitiveChange: (include: boolean) => void;
  disabled?: boolean;
}

const FORMAT_KEYS: Record<ExportFormat, MessageKey> = {
  har: 'exportFormatHar',
  ndjson: 'exportFormatNdjson',
  csv: 'exportFormatCsv',
  json: 'exportFormatJson',
};

export function ExportMenu({ onExport, includeSensitive, onIncludeSensitiveChange, disabled = false }: ExportMenuProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Item to focus once the menu has rendered (-1: the last one). */
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const items = (): HTMLElement[] => [...(menuRef.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];

  useEffect(() => {
    if (!open || focusIndex === null) return;
    const list = items();
    list[focusIndex < 0 ? list.length - 1 : Math.min(focusIndex, list.length - 1)]?.focus();
    setFocusIndex(null);
  }, [open, focusIndex]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: Event) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, [open]);

  const openMenu = (at: number) => {
    setOpen(true);
    setFocusIndex(at);
  };
  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) buttonRef.current?.focus();
  };

  const choose = (format: ExportFormat) => {
    close(true);
    setError(null);
    let pending: void | Promise<void>;
    try {
      pending = onExport(format, includeSensitive);
    } catch (e) {
      setError(messageOf(e));
      return;
    }
    if (pending instanceof Promise) {
      setBusy(true);
      pending.then(
        () => setBusy(false),
        (e: unknown) => {
          setBusy(false);
          if (!(e instanceof DOMException && e.name === 'AbortError')) setError(messageOf(e));
        },
      );
    }
  };

  const onButtonKeyDown = (event: JSX.TargetedKeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      openMenu(event.key === 'ArrowDown' ? 0 : -1);
    }
  };

  const onMenuKeyDown = (event: JSX.TargetedKeyboardEvent<HTMLDivElement>) => {
    const list = items();
    const current = list.indexOf(document.activeElement as HTMLElement);
    const move = (index: number) => {
      event.preventDefault();
      list[(index + list.length) % list.length]?.focus();
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(current + 1);
      case 'ArrowUp':
        return move(current - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(list.length - 1);
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        return close(true);
      case 'Tab':
        return close(false);
    }
  };

  return (
    <div class="export-menu" ref={rootRef}>
      <button
        type="button"
        ref={buttonRef}
        class="export-menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-busy={busy}
        title={t('exportMenuLabel')}
        disabled={disabled || busy}
        onClick={() => (open ? close(false) : openMenu(0))}
        onKeyDown={onButtonKeyDown}
      >
        {busy ? t('exportBusy') : t('exportMenu')}
        <span class="export-menu-caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open ? (
        <div
          class="export-menu-list"
          role="menu"
          id={menuId}
          aria-label={t('exportMenuLabel')}
          ref={menuRef}
          onKeyDown={onMenuKeyDown}
        >
          {EXPORT_FORMATS.map((format) => (
            <button type="button" role="menuitem" tabIndex={-1} key={format} data-format={format} onClick={() => choose(format)}>
              {t(FORMAT_KEYS[format])}
            </button>
          ))}
          <div role="separator" class="export-menu-separator" />
          <button
            type="button"
            role="menuitemcheckbox"
            tabIndex={-1}
            aria-checked={includeSensitive}
            title={t('exportIncludeSensitiveHint')}
            onClick={() => onIncludeSensitiveChange(!includeSensitive)}
          >
            <span class="export-menu-check" aria-hidden="true">
              {includeSensitive ? '✓' : ''}
            </span>
            {t('exportIncludeSensitive')}
          </button>
        </div>
      ) : null}
      {error !== null ? (
        <div class="export-error" role="alert">
          {t('exportFailed', [error])}
        </div>
      ) : null}
    </div>
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
