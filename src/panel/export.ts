/**
 * Saving exports from the panel: builds the file in slices (giving the UI a turn between them, so
 * 100k events do not freeze the panel) and hands it to the browser as a download.
 */
import browser from 'webextension-polyfill';
import type { Connection, LoggedItem, LogStore } from '../core/log-store';
import { harFileName } from '../core/har';
import { buildExportParts, EXPORT_EXTENSIONS, EXPORT_MIME_TYPES, type ExportFormat } from '../core/export-formats';

export function download(fileName: string, text: string, mimeType: string): void {
  downloadParts(fileName, [text], mimeType);
}

/** Downloads `parts` (joined) as one file. */
export function downloadParts(fileName: string, parts: BlobPart[], mimeType: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type: mimeType }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The download has started reading the blob by the time the next task runs.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Gives the browser a turn (input, rendering) and resumes as soon as it can. */
export function yieldToUi(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  // A message task, not setTimeout(0): nested timeouts are clamped to 4 ms each.
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export interface ExportEventsOptions {
  /** The items in view, in view order (for HAR: the items of the exported connections). */
  items: readonly LoggedItem[];
  /** The connections: those the items belong to; for HAR, one entry each. */
  connections: readonly Connection[] | ReadonlyMap<string, Connection>;
  /** URL of the inspected page (names the file). */
  pageUrl: string;
  /** Keep secrets (default: redacted). */
  includeSensitive?: boolean;
  signal?: AbortSignal;
}

/** Builds the export in slices and downloads it. Resolves once the download was handed over. */
export async function exportEvents(format: ExportFormat, options: ExportEventsOptions): Promise<void> {
  const parts = await buildExportParts(
    format,
    {
      items: options.items,
      connections: options.connections,
      includeSensitive: options.includeSensitive,
      creatorVersion: browser.runtime.getManifest().version,
    },
    { yieldToUi, signal: options.signal },
  );
  downloadParts(harFileName(options.pageUrl, new Date(), EXPORT_EXTENSIONS[format]), parts, EXPORT_MIME_TYPES[format]);
}

/** The whole log as HAR (chunked). */
export function exportHar(store: LogStore, pageUrl: string, includeSensitive = false): Promise<void> {
  return exportEvents('har', { items: store.items, connections: store.connectionList, pageUrl, includeSensitive });
}
