/** The selected item in full: data as text, and where and when it arrived. */
import type { Connection, LoggedItem } from '../core/log-store';
import { byteSize, clockTime } from '../core/format';
import { t } from './i18n';
import { itemText, itemTypeLabel } from './EventTable';

interface Props {
  logged: LoggedItem;
  connection: Connection | undefined;
}

export function EventDetail({ logged, connection }: Props) {
  const item = logged.item;
  const text = itemText(item);
  return (
    <aside class="detail" aria-label={t('detailHeading')}>
      <dl>
        <dt>{t('colType')}</dt>
        <dd>{itemTypeLabel(item)}</dd>
        {item.kind === 'event' ? (
          <>
            <dt>{t('colId')}</dt>
            <dd>{item.lastEventId}</dd>
          </>
        ) : null}
        <dt>{t('colTime')}</dt>
        <dd>{clockTime(item.time)}</dd>
        <dt>{t('detailSize')}</dt>
        <dd>{byteSize(new TextEncoder().encode(text).byteLength)}</dd>
        <dt>{t('detailConnection')}</dt>
        <dd class="url">{connection?.url ?? ''}</dd>
      </dl>
      {item.kind === 'event' && item.truncated ? (
        <p class="notice">{t('truncatedNotice', [item.truncated.originalLength])}</p>
      ) : null}
      <pre class="data">{text}</pre>
    </aside>
  );
}
