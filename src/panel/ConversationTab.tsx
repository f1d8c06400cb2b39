/**
 * MOUNT POINT of the Conversation tab. The conversation view (the AI messages assembled from a
 * stream: prompt, reply, reasoning, tool calls, usage) is being built in `src/panel/conversation/`;
 * until it lands this placeholder says so. To plug it in, render that view here: it gets the
 * selected connection, its items, and the whole store (for views across streams).
 */
import type { Connection, LoggedItem, LogStore } from '../core/log-store';
import { t } from './i18n';

export interface ConversationTabProps {
  /** The selected connection, or undefined when none or several are selected. */
  connection: Connection | undefined;
  items: LoggedItem[];
  store: LogStore;
}

export function ConversationTab(_props: ConversationTabProps) {
  return (
    <div class="conversation-mount placeholder" data-mount="conversation">
      <p>{t('conversationPlaceholder')}</p>
    </div>
  );
}
