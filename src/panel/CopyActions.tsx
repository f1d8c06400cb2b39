/**
 * Copy actions: an item's "Copy data", and a connection's "Copy as cURL" / "Copy as fetch" (a
 * command or snippet that repeats the request and reads the stream; redacted unless the user chose
 * "Include sensitive data"). The clipboard is reached through navigator.clipboard.writeText, with a
 * hidden textarea + execCommand('copy') fallback (clipboard.ts); the outcome is announced in a
 * polite live region next to the buttons. Props only.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Connection } from '../core/log-store';
import type { SseItem } from '../core/sse-types';
import { copyDataOf, requestHasRedactions, toCurl, toFetch } from '../core/export-formats';
import { copyText } from './clipboard';
import { t } from './i18n';

/** How long "Copied" stays visible. */
export const COPY_STATUS_MS = 2000;

/** Copies `getText()` on click and says whether it worked. */
function useCopy(): [status: 'copied' | 'failed' | null, copy: (text: string) => Promise<void>] {
  const [status, setStatus] = useState<'copied' | 'failed' | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async (text: string) => {
    const ok = await copyText(text);
    setStatus(ok ? 'copied' : 'failed');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setStatus(null), COPY_STATUS_MS);
  };
  return [status, copy];
}

function CopyStatus({ status }: { status: 'copied' | 'failed' | null }) {
  return (
    <span class={`copy-status${status === 'failed' ? ' failed' : ''}`} role="status">
      {status === 'copied' ? t('copied') : status === 'failed' ? t('copyFailed') : ''}
    </span>
  );
}

export interface CopyItemDataProps {
  item: SseItem;
}

/** "Copy data": an event's data (a comment's text, a retry's ms, a field's value, a warning). */
export function CopyItemData({ item }: CopyItemDataProps) {
  const [status, copy] = useCopy();
  return (
    <span class="copy-actions">
      <button type="button" onClick={() => void copy(copyDataOf(item))}>
        {t('copyData')}
      </button>
      <CopyStatus status={status} />
    </span>
  );
}

export interface CopyRequestActionsProps {
  connection: Connection;
  /** The Export menu's "Include sensitive data" (default false: redacted). */
  includeSensitive?: boolean;
}

/** "Copy as cURL" and "Copy as fetch" for a connection's request. */
export function CopyRequestActions({ connection, includeSensitive = false }: CopyRequestActionsProps) {
  const [status, copy] = useCopy();
  const title = requestHasRedactions(connection, includeSensitive) ? t('copyRedactedNote') : undefined;
  return (
    <span class="copy-actions">
      <button type="button" title={title} onClick={() => void copy(toCurl(connection, { includeSensitive }))}>
        {t('copyAsCurl')}
      </button>
      <button type="button" title={title} onClick={() => void copy(toFetch(connection, { includeSensitive }))}>
        {t('copyAsFetch')}
      </button>
      <CopyStatus status={status} />
    </span>
  );
}
