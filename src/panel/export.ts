/** Saving exports from the panel: builds the file and hands it to the browser as a download. */
import browser from 'webextension-polyfill';
import type { LogStore } from '../core/log-store';
import { buildHar, harFileName } from '../core/har';

export function download(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The download has started reading the blob by the time the next task runs.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function exportHar(store: LogStore, pageUrl: string, includeSensitive = false): void {
  const har = buildHar(store.connectionList, store.items, {
    includeSensitive,
    creatorVersion: browser.runtime.getManifest().version,
  });
  download(harFileName(pageUrl, new Date()), JSON.stringify(har, null, 2), 'application/json');
}
