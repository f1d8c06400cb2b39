/**
 * Importing a HAR: the "Import HAR" button (a file picker) and a drop zone for .har files dropped
 * on the panel. Both read the file (`har-reader.ts`: parsed in a worker) and hand the caller a
 * store of its streams, or show why the file could not be imported (role="alert", until dismissed
 * or the next import). Props only.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren, JSX } from 'preact';
import { MAX_IMPORT_BYTES } from '../core/har-import';
import { looksLikeHar, readHarFile, type ImportedFile } from './har-reader';
import { t } from './i18n';

export { looksLikeHar, readHarFile, type ImportedFile, type ReadHarResult } from './har-reader';

interface Reading {
  name: string;
  /** Items added to the view so far (null while the file is parsed). */
  items: number | null;
}

const readingText = (reading: Reading | null) =>
  reading === null
    ? ''
    : reading.items === null
      ? t('importReading', [reading.name])
      : t('importApplying', [reading.name, reading.items.toLocaleString()]);

/** Reading state shared by the button and the drop zone. Whatever happens, reading ends. */
function useHarReader(onImport: (file: ImportedFile) => void, maxBytes: number) {
  const [reading, setReading] = useState<Reading | null>(null);
  const [error, setError] = useState<string | null>(null);
  const read = async (file: File) => {
    setError(null);
    setReading({ name: file.name, items: null });
    try {
      const result = await readHarFile(file, maxBytes, { onProgress: (items) => setReading({ name: file.name, items }) });
      if (result.ok) {
        const { ok: _ok, ...imported } = result;
        onImport(imported);
      } else {
        setError(result.message);
      }
    } catch (failure) {
      setError(t('importErrorFailed', [file.name, failure instanceof Error ? failure.message : String(failure)]));
    } finally {
      setReading(null);
    }
  };
  return { reading, error, setError, read };
}

function ImportError({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  return (
    <div class="import-error banner error" role="alert">
      <span class="import-error-text">{message}</span>
      <button type="button" class="import-error-dismiss" onClick={onDismiss}>
        {t('importDismiss')}
      </button>
    </div>
  );
}

export interface ImportButtonProps {
  onImport: (file: ImportedFile) => void;
  /** Largest file accepted (default MAX_IMPORT_BYTES, 512 MB). */
  maxBytes?: number;
  disabled?: boolean;
}

export function ImportButton({ onImport, maxBytes = MAX_IMPORT_BYTES, disabled = false }: ImportButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  const { reading, error, setError, read } = useHarReader(onImport, maxBytes);
  const onChange = (event: JSX.TargetedEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    // Reset so that choosing the same file again fires a change.
    event.currentTarget.value = '';
    if (file !== undefined) void read(file);
  };
  return (
    <span class="import-har">
      <button
        type="button"
        title={t('importHarTitle')}
        disabled={disabled || reading !== null}
        aria-busy={reading !== null}
        onClick={() => input.current?.click()}
      >
        {t('importHar')}
      </button>
      <input ref={input} type="file" accept=".har,.json,application/json" hidden tabIndex={-1} onChange={onChange} />
      <span class="import-status" role="status">
        {readingText(reading)}
      </span>
      {error !== null ? <ImportError message={error} onDismiss={() => setError(null)} /> : null}
    </span>
  );
}

export interface HarDropZoneProps {
  onImport: (file: ImportedFile) => void;
  maxBytes?: number;
  /** The panel: files dropped anywhere on it are imported. */
  children?: ComponentChildren;
  class?: string;
}

const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') === true;

/** Wraps the panel: shows a hint while a file is dragged over it, imports a dropped .har file. */
export function HarDropZone({ onImport, maxBytes = MAX_IMPORT_BYTES, children, class: className }: HarDropZoneProps) {
  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child crossed: count them.
  const depth = useRef(0);
  const { reading, error, setError, read } = useHarReader(onImport, maxBytes);

  const onDragEnter = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth.current++;
    setDragging(true);
  };
  const onDragOver = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };
  const onDragLeave = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setDragging(false);
  };
  const onDrop = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth.current = 0;
    setDragging(false);
    const files = [...(event.dataTransfer?.files ?? [])];
    const file = files.find(looksLikeHar);
    if (file !== undefined) void read(file);
    else if (files[0] !== undefined) setError(t('importErrorNotHarFile', [files[0].name]));
  };

  // Listeners added directly (the latest handlers, through a ref), by their DOM event names.
  const handlers = useRef({ onDragEnter, onDragOver, onDragLeave, onDrop });
  handlers.current = { onDragEnter, onDragOver, onDragLeave, onDrop };
  const zone = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = zone.current;
    if (element === null) return;
    const listeners: [string, (event: DragEvent) => void][] = [
      ['dragenter', (e) => handlers.current.onDragEnter(e)],
      ['dragover', (e) => handlers.current.onDragOver(e)],
      ['dragleave', (e) => handlers.current.onDragLeave(e)],
      ['drop', (e) => handlers.current.onDrop(e)],
    ];
    for (const [type, listener] of listeners) element.addEventListener(type, listener as EventListener);
    return () => {
      for (const [type, listener] of listeners) element.removeEventListener(type, listener as EventListener);
    };
  }, []);

  return (
    <div ref={zone} class={`har-drop-zone${dragging ? ' dragging' : ''}${className ? ` ${className}` : ''}`}>
      {error !== null ? <ImportError message={error} onDismiss={() => setError(null)} /> : null}
      <span class="import-status visually-hidden" role="status">
        {readingText(reading)}
      </span>
      {children}
      {dragging ? (
        <div class="har-drop-overlay" aria-hidden="true">
          <div class="har-drop-hint">{t('importDropHint')}</div>
        </div>
      ) : null}
    </div>
  );
}
