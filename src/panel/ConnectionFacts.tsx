/**
 * What the panel must say in words about the selected connection: that a stream of lines is not
 * SSE, why a mislabelled stream was captured, which EventSource event types are visible, and its reconnect chain with the
 * Last-Event-ID sent and the retry in force; for a request deep capture saw too, what the page
 * missed (types it never listened for, the moment it stopped reading), or that the wire capture
 * holds less than the page saw (then the page's events are shown). Page data is rendered as text only.
 */
import type { Connection, LoggedItem, WireShortfall } from '../core/log-store';
import { reconnectChain, retryInForce } from '../core/connection-facts';
import { clockTime } from '../core/format';
import { pageViewOf } from '../core/sightings';
import { t } from './i18n';

interface Props {
  connection: Connection;
  items: LoggedItem[];
  /** Deep capture could show what this connection's page view cannot (available and off). */
  deepHint?: boolean;
}

/** In words: how much less than the page the wire capture of a request holds (`core/sightings.ts`). */
export function wireShortfallText(short: WireShortfall): string {
  const n = (value: number) => value.toLocaleString();
  return short.unit === 'events'
    ? t('wireIncompleteEvents', [n(short.wire), n(short.page)])
    : t('wireIncompleteChars', [n(short.wire), n(short.page), n(short.wireEvents), n(short.pageEvents)]);
}

export function ConnectionFacts({ connection, items, deepHint = false }: Props) {
  const lines: { key: string; text: string; tone: 'warn' | 'info' }[] = [];
  if (connection.mislabelled) {
    const type = connection.response?.contentType || t('noContentType');
    lines.push({ key: 'mislabelled', text: t('mislabelledNote', [type]), tone: 'warn' });
  }
  if (connection.framing === 'lines') {
    lines.push({ key: 'lines', text: t('linesNote', [connection.response?.contentType || t('noContentType')]), tone: 'info' });
  }
  if (connection.kind === 'eventsource' && connection.seenOn !== 'wire') {
    const types = connection.listenedTypes.length > 0 ? connection.listenedTypes.join(', ') : 'message';
    const text = t('listenedTypes', [types]) + (deepHint ? ` ${t('deepCaptureHint')}` : '');
    lines.push({ key: 'listened', text, tone: 'info' });
  }
  if (connection.wireShortfall !== undefined) {
    lines.push({ key: 'wire-incomplete', text: wireShortfallText(connection.wireShortfall), tone: 'warn' });
  }
  const page = connection.pageSide?.connection;
  if (page !== undefined) {
    // O(types), not O(events): the table tags each event.
    const view = pageViewOf(page);
    if (page.kind === 'eventsource') {
      const unheard = [...connection.eventTypes.keys()].filter((type) => type !== 'message' && !view.listening.has(type));
      if (unheard.length > 0) lines.push({ key: 'not-heard', text: t('notHeardTypes', [unheard.join(', ')]), tone: 'info' });
    }
    if (view.stoppedAt !== undefined) {
      lines.push({ key: 'not-read', text: t('pageStoppedReading', [clockTime(view.stoppedAt)]), tone: 'info' });
    }
  }
  reconnectChain(connection).forEach((reconnect, index) => {
    const reopened =
      reconnect.reopenedAt === undefined
        ? ''
        : t('reopenedAfter', [((reconnect.reopenedAt - reconnect.droppedAt) / 1000).toFixed(3)]);
    lines.push({
      key: `reconnect-${index}`,
      text: t('reconnectLine', [index + 1, clockTime(reconnect.droppedAt), reconnect.lastEventId, reopened]),
      tone: 'info',
    });
  });
  const retry = retryInForce(items, connection.id);
  if (retry !== undefined) lines.push({ key: 'retry', text: t('retryInForce', [retry]), tone: 'info' });
  else if (connection.kind === 'eventsource' && connection.transitions.some((tr) => tr.reason === 'reconnecting')) {
    lines.push({ key: 'retry', text: t('retryHidden'), tone: 'info' });
  }
  if (lines.length === 0) return null;
  return (
    <div class="connection-facts" role="region" aria-label={t('connectionInfoLabel')}>
      {lines.map((line) => (
        <div key={line.key} class={`banner ${line.tone}`} data-fact={line.key}>
          {line.text}
        </div>
      ))}
    </div>
  );
}
