/**
 * The connections table: one row per request (an EventSource's reconnects stay one row, with a
 * reconnect count; what the page tap and deep capture both saw of a request is one row, marked
 * page / wire / both: `core/sightings.ts`). Click selects one; Ctrl/⌘+click toggles; Shift+click
 * selects a range; the "All connections" row clears the selection. ↑/↓ move between rows.
 */
import type { Connection } from '../core/log-store';
import { reconnectChain } from '../core/connection-facts';
import { byteSize, duration, splitUrl } from '../core/format';
import { urlDisplay } from '../core/url-display';
import type { ConnectionRow, Sighting } from '../core/sightings';
import { t, type MessageKey } from './i18n';

const KIND_LABEL: Record<Connection['kind'], string> = { eventsource: 'EventSource', fetch: 'fetch', xhr: 'XHR' };
/** The badge of where a connection was seen (shown once deep capture saw anything). */
const SIGHTING_BADGE: Record<Sighting, [MessageKey, MessageKey, string]> = {
  page: ['seenPageBadge', 'seenPageBadgeTitle', '▢'],
  wire: ['seenWireBadge', 'seenWireBadgeTitle', '≋'],
  both: ['seenBothBadge', 'seenBothBadgeTitle', '▣'],
};

/** Whether a row is selected: by its id, or (a selection made before its pair formed) by a member's. */
export function rowSelected(row: ConnectionRow, selected: ReadonlySet<string> | null): boolean {
  if (selected === null) return false;
  for (const id of row.members) if (selected.has(id)) return true;
  return selected.has(row.id);
}
export const STATE_KEY: Record<Connection['state'], MessageKey> = {
  connecting: 'stateConnecting',
  open: 'stateOpen',
  closed: 'stateClosed',
  error: 'stateError',
};

interface Props {
  rows: ConnectionRow[];
  /** null: all connections. */
  selected: ReadonlySet<string> | null;
  onSelect(selected: ReadonlySet<string> | null): void;
  /** "Now", for the duration of connections still open. */
  now: number;
}

export function ConnectionList({ rows, selected, onSelect, now }: Props) {
  const click = (event: MouseEvent | KeyboardEvent, index: number) => {
    const row = rows[index]!;
    const id = row.id;
    if (event.ctrlKey || event.metaKey) {
      const next = new Set(selected ?? []);
      if (rowSelected(row, next)) for (const member of [id, ...row.members]) next.delete(member);
      else next.add(id);
      onSelect(next.size === 0 ? null : next);
    } else if (event.shiftKey && selected !== null && selected.size > 0) {
      const anchor = rows.findIndex((r) => rowSelected(r, selected));
      const [from, to] = anchor < index ? [anchor, index] : [index, anchor];
      onSelect(new Set(rows.slice(from, to + 1).map((r) => r.id)));
    } else {
      onSelect(new Set([id]));
    }
  };

  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const trs = (event.currentTarget as HTMLElement).parentElement?.querySelectorAll<HTMLElement>('tr');
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      // Row 0 is "All connections"; connection i is row i + 1.
      const target = Math.min(rows.length, Math.max(0, index + 1 + (event.key === 'ArrowDown' ? 1 : -1)));
      trs?.[target]?.focus();
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (index < 0) onSelect(null);
      else click(event, index);
    }
  };

  return (
    <div class="connections" role="region" aria-label={t('connections')}>
      <table class="grid" role="grid" aria-label={t('connectionsTableLabel')} aria-multiselectable="true">
        <thead>
          <tr>
            <th scope="col" class="col-kind">
              {t('colKind')}
            </th>
            <th scope="col" class="col-method">
              {t('colMethod')}
            </th>
            <th scope="col" class="col-url wide">
              {t('colUrl')}
            </th>
            <th scope="col" class="col-status">
              {t('colStatus')}
            </th>
            <th scope="col" class="col-state">
              {t('colState')}
            </th>
            <th scope="col" class="col-events num">
              {t('colEvents')}
            </th>
            <th scope="col" class="col-bytes num">
              {t('colBytes')}
            </th>
            <th scope="col" class="col-duration num">
              {t('colDuration')}
            </th>
            <th scope="col" class="col-frame">
              {t('colFrame')}
            </th>
          </tr>
        </thead>
        <tbody>
          <tr
            class={selected === null ? 'selected' : ''}
            aria-selected={selected === null}
            tabIndex={0}
            onClick={() => onSelect(null)}
            onKeyDown={(event) => onKeyDown(event, -1)}
          >
            <td colSpan={9} class="all-row">
              {selected !== null && selected.size > 1 ? t('selectedConnections', [selected.size]) : t('allConnections')}
            </td>
          </tr>
          {rows.map((row, index) => {
            const { connection, seen } = row;
            const url = urlDisplay(connection.url);
            const status = connection.response?.status;
            const isSelected = rowSelected(row, selected);
            const chain = connection.kind === 'eventsource' ? reconnectChain(connection) : [];
            return (
              <tr
                key={row.id}
                data-connection-id={row.id}
                class={isSelected ? 'selected' : ''}
                aria-selected={isSelected}
                tabIndex={0}
                title={`${connection.url}\n${t('multiSelectHint')}`}
                onClick={(event) => click(event, index)}
                onKeyDown={(event) => onKeyDown(event, index)}
              >
                <td class="col-kind">
                  <span class={`badge kind-${connection.kind}`}>{KIND_LABEL[connection.kind]}</span>
                  {seen !== undefined ? (
                    <span
                      class={`badge seen seen-${seen}`}
                      data-seen={seen}
                      title={t(connection.wireShortfall !== undefined ? 'seenBothShortTitle' : SIGHTING_BADGE[seen][1])}
                    >
                      <span class="seen-icon" aria-hidden="true">
                        {SIGHTING_BADGE[seen][2]}
                      </span>
                      {t(SIGHTING_BADGE[seen][0])}
                    </span>
                  ) : null}
                  {connection.wireShortfall !== undefined ? (
                    <span class="badge wire-incomplete" data-wire-incomplete="" title={t('wireIncompleteBadgeTitle')}>
                      {t('wireIncompleteBadge')}
                    </span>
                  ) : null}
                  {connection.mocked ? (
                    <span class="badge mocked" title={t('mockedBadgeTitle')}>
                      {t('mockedBadge')}
                    </span>
                  ) : null}
                  {connection.framing === 'lines' ? (
                    <span
                      class="badge lines"
                      title={t('linesBadgeTitle', [connection.response?.contentType || t('noContentType')])}
                    >
                      {t('linesBadge')}
                    </span>
                  ) : null}
                  {connection.mislabelled ? (
                    <span class="badge mislabelled" title={connection.response?.contentType || t('noContentType')}>
                      {t('mislabelledBadge')}
                    </span>
                  ) : null}
                </td>
                <td class="col-method">{connection.method}</td>
                <td class="col-url wide url">
                  {/* Path first: in a narrow panel it is the part worth keeping; its middle gives way first. */}
                  <div class="url-cell">
                    <span class="url-path">
                      <span class="url-head">{url.head}</span>
                      <span class="url-tail">{url.tail}</span>
                    </span>
                    <span class="url-origin">{url.origin}</span>
                    {connection.frameId !== 0 ? <span class="frame-tag">{t('iframeTag')}</span> : null}
                    {chain.length > 0 ? (
                      <span
                        class="reconnects"
                        title={t('reconnectsTitle', [chain.length, chain.map((r) => r.lastEventId || '∅').join(', ')])}
                      >
                        {t('reconnectsTag', [chain.length])}
                      </span>
                    ) : null}
                  </div>
                </td>
                <td class={`col-status${status !== undefined && status >= 400 ? ' status-bad' : ''}`}>{status ?? '—'}</td>
                <td class="col-state">
                  <span class={`state state-${connection.state}`}>{t(STATE_KEY[connection.state])}</span>
                </td>
                <td class="col-events num">{connection.eventCount}</td>
                <td class="col-bytes num">{connection.kind === 'eventsource' ? '—' : byteSize(connection.bytes)}</td>
                <td class="col-duration num">{duration((connection.endTime ?? now) - connection.startTime)}</td>
                <td class="col-frame frame" title={connection.frameUrl}>
                  {connection.frameId === 0 ? t('topFrame') : splitUrl(connection.frameUrl).path}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
