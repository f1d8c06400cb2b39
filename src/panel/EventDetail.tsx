/**
 * The selected item in full, in three tabs: Data (a JSON tree when the data is a JSON object or
 * array, else the text), Raw (the exact wire lines) and Meta (connection, times, sizes, ID, the
 * parser's warnings for its block). Page data is only ever rendered as text.
 */
import { useId, useMemo, useRef, useState } from 'preact/hooks';
import { itemsWithin } from '../core/block-items';
import { byteSize, clockTime, relativeTime } from '../core/format';
import { isJsonContainer, parseJsonData, DEFAULT_MAX_JSON_LENGTH } from '../core/json-view';
import { rawSliceOf, type Connection, type LoggedItem, type LogStore } from '../core/log-store';
import { utf8Length } from '../core/format';
import type { SseWarning } from '../core/sse-types';
import { copyText } from './clipboard';
import { itemText, itemTypeLabel, MISSED_TAG } from './EventTable';
import type { PageMark } from '../core/sightings';
import { t, type MessageKey } from './i18n';
import { JsonTree } from './JsonTree';
import { RawView } from './RawView';

export type DetailTab = 'data' | 'raw' | 'meta';
const TABS: readonly DetailTab[] = ['data', 'raw', 'meta'];
const TAB_LABEL: Record<DetailTab, MessageKey> = { data: 'detailTabData', raw: 'detailTabRaw', meta: 'detailTabMeta' };
const KIND_LABEL: Record<Connection['kind'], string> = { eventsource: 'EventSource', fetch: 'fetch', xhr: 'XHR' };

interface Props {
  logged: LoggedItem;
  connection: Connection | undefined;
  /** For the warnings of the item's block (Meta tab). */
  store: LogStore;
  /** Deep capture: what the page missed of this item, if it did (Meta tab). */
  missed?: PageMark;
}

export function EventDetail({ logged, connection, store, missed }: Props) {
  const [tab, setTab] = useState<DetailTab>('data');
  const id = useId();
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);

  const onTabKeyDown = (event: KeyboardEvent) => {
    const index = TABS.indexOf(tab);
    let next: number;
    switch (event.key) {
      case 'ArrowRight':
        next = (index + 1) % TABS.length;
        break;
      case 'ArrowLeft':
        next = (index + TABS.length - 1) % TABS.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = TABS.length - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    setTab(TABS[next]!);
    tabRefs.current[next]?.focus();
  };

  return (
    <aside class="detail event-detail" aria-label={t('detailHeading')}>
      <div role="tablist" class="detail-tabs" aria-label={t('detailTabsLabel')} onKeyDown={onTabKeyDown}>
        {TABS.map((name, i) => (
          <button
            key={name}
            ref={(element) => {
              tabRefs.current[i] = element;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={tab === name ? `${id}-panel-${name}` : undefined}
            tabIndex={tab === name ? 0 : -1}
            class={tab === name ? 'detail-tab selected' : 'detail-tab'}
            onClick={() => setTab(name)}
          >
            {t(TAB_LABEL[name])}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${id}-panel-${tab}`}
        aria-labelledby={`${id}-tab-${tab}`}
        class={`detail-panel detail-panel-${tab}`}
        tabIndex={0}
      >
        {tab === 'data' ? (
          <DataTab key={logged.id} logged={logged} />
        ) : tab === 'raw' ? (
          <RawView logged={logged} connection={connection} />
        ) : (
          <MetaTab logged={logged} connection={connection} store={store} missed={missed} />
        )}
      </div>
    </aside>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [status, setStatus] = useState('');
  return (
    <>
      <button type="button" onClick={() => void copyText(text).then((ok) => setStatus(ok ? t('copied') : t('copyFailed')))}>
        {label}
      </button>
      <span class="detail-status" role="status" aria-live="polite">
        {status}
      </span>
    </>
  );
}

function DataTab({ logged }: { logged: LoggedItem }) {
  const item = logged.item;
  const text = itemText(item);
  const parsed = useMemo(() => (item.kind === 'event' ? parseJsonData(item.data, DEFAULT_MAX_JSON_LENGTH) : null), [item]);
  const [asText, setAsText] = useState(false);
  const tree = parsed !== null && parsed.ok && isJsonContainer(parsed.value) ? parsed.value : null;

  return (
    <div class="data-view">
      <div class="detail-actions">
        {tree !== null ? (
          <button type="button" aria-pressed={asText} onClick={() => setAsText(!asText)}>
            {asText ? t('dataAsTree') : t('dataAsText')}
          </button>
        ) : null}
        <CopyButton text={text} label={t('copyData')} />
      </div>
      {item.kind === 'event' && item.truncated ? (
        <p class="notice">{t('truncatedNotice', [item.truncated.originalLength])}</p>
      ) : null}
      {item.kind === 'event' && item.replayed ? <p class="notice">{t('replayTagTitle')}</p> : null}
      {parsed !== null && !parsed.ok && parsed.reason === 'too-large' ? (
        <p class="notice">{t('jsonTooLarge', [byteSize(utf8Length(text))])}</p>
      ) : null}
      {tree !== null && !asText ? <JsonTree value={tree} label={t('jsonTreeLabel')} /> : <pre class="data">{text}</pre>}
    </div>
  );
}

function MetaTab({ logged, connection, store, missed }: Props) {
  const item = logged.item;
  const span = item.span;
  const raw = span !== undefined && connection !== undefined && connection.kind !== 'eventsource';
  const dataBytes = useMemo(() => utf8Length(itemText(item)), [item]);
  // Read the span's ends now: its end can move by one when a following chunk brings the LF of a CR LF.
  const start = span?.start ?? 0;
  const end = span?.end ?? 0;
  const chunkCount = connection?.chunks.length ?? 0;
  const wireBytes = useMemo(
    () => (raw && connection !== undefined ? utf8Length(rawSliceOf(connection, start, end)) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the connection's chunks grow in place
    [raw, connection, start, end, chunkCount],
  );
  const related = store === undefined ? [] : itemsWithin(store.itemsByConnection.get(logged.connectionId) ?? [], logged);
  const warnings: SseWarning[] = related.map((l) => l.item).filter((i): i is SseWarning => i.kind === 'warning');
  if (item.kind === 'warning') warnings.unshift(item);

  return (
    <div class="meta-view">
      <dl class="meta-list">
        <dt>{t('detailConnection')}</dt>
        <dd class="url">{connection?.url ?? ''}</dd>
        <dt>{t('colKind')}</dt>
        <dd>{connection ? KIND_LABEL[connection.kind] : ''}</dd>
        <dt>{t('colType')}</dt>
        <dd>{itemTypeLabel(item)}</dd>
        {missed !== undefined ? (
          <>
            <dt>{t('metaPage')}</dt>
            <dd class="meta-missed">{t(MISSED_TAG[missed][1])}</dd>
          </>
        ) : null}
        <dt>{t('colTime')}</dt>
        <dd>
          <time dateTime={new Date(item.time).toISOString()} title={new Date(item.time).toISOString()}>
            {clockTime(item.time)}
          </time>
        </dd>
        {connection !== undefined ? (
          <>
            <dt>{t('metaSinceStart')}</dt>
            <dd>{relativeTime(item.time, connection.startTime)}</dd>
          </>
        ) : null}
        <dt>{t('metaDataSize')}</dt>
        <dd>{t('metaBytes', [dataBytes])}</dd>
        {wireBytes !== null ? (
          <>
            <dt>{t('metaWireSize')}</dt>
            <dd>{t('metaBytes', [wireBytes])}</dd>
            <dt>{t('metaPosition')}</dt>
            <dd>{`${start}–${end}`}</dd>
          </>
        ) : null}
        {item.kind === 'event' ? (
          <>
            <dt>{t('metaLastEventId')}</dt>
            <dd>
              {item.lastEventId === '' ? (
                <span class="dim">{t('metaIdEmpty')}</span>
              ) : (
                <span class="mono">{item.lastEventId}</span>
              )}{' '}
              <span class="dim">
                {item.idSet === true ? t('metaIdFromBlock') : connection?.kind === 'eventsource' ? '' : t('metaIdInherited')}
              </span>
            </dd>
          </>
        ) : null}
      </dl>
      {item.kind === 'event' && item.truncated ? (
        <p class="notice">{t('truncatedNotice', [item.truncated.originalLength])}</p>
      ) : null}
      <h3 class="meta-heading">{t('metaWarnings')}</h3>
      {connection?.kind === 'eventsource' && warnings.length === 0 ? (
        <p class="dim">{t('metaWarningsUnavailable')}</p>
      ) : warnings.length === 0 ? (
        <p class="dim">{t('metaNoWarnings')}</p>
      ) : (
        <ul class="meta-warnings">
          {warnings.map((warning, i) => (
            <li key={i}>
              <code class="warning-code">{warning.code}</code> <span>{warning.message}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
