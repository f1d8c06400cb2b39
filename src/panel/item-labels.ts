/** How an item is named and shown in one line, in every view (table, timeline, detail). */
import type { SseItem } from '../core/sse-types';
import { itemText } from '../core/sort-items';
import { t } from './i18n';

export { itemText };

/** The Type column: the event type, or what kind of line it was (comment, retry, ...). */
export function itemTypeLabel(item: SseItem): string {
  switch (item.kind) {
    case 'event':
      return item.type;
    case 'comment':
      return t('kindComment');
    case 'retry':
      return t('kindRetry');
    case 'field':
      return t('kindField');
    case 'warning':
      return t('kindWarning');
  }
}
