/**
 * The Conversation tab: the conversation view (`conversation/ConversationView.tsx`: the AI messages
 * assembled from the selected streams, the comparison table of the log's AI streams) mounted on the
 * panel's store and selection, and its "mock the next request with an edited reply" wired to the
 * page as the Replay tab's mock is: a `mock` PageCommand for the connection's frame, with the
 * command's status (armed, answered, done...) shown under the view and a button to disarm it.
 */
import { useState } from 'preact/hooks';
import type { Connection, LoggedItem, LogStore } from '../core/log-store';
import { ConversationView, type MockRequest } from './conversation/ConversationView';
import { mockStatusText, type CommandLink } from './ReplayControls';
import { t } from './i18n';

export interface ConversationTabProps {
  /** The selected connection, or undefined when none or several are selected. */
  connection: Connection | undefined;
  items: LoggedItem[];
  store: LogStore;
  /** The selected connections (null: none chosen); the view shows a card for each. */
  selectedIds?: ReadonlySet<string> | null;
  /** The link to the inspected page, for mocks; without one (or not live) no mock is offered. */
  link?: CommandLink;
  /** Whether `store` is the live log (its frames can be addressed), not an imported file. */
  fromLiveLog?: boolean;
  /** Selects a stream (a click in the comparison table). */
  onSelect?: (connectionId: string) => void;
  /** Streams left out of the comparison table (deep capture: a pair's page stream, shown by its wire stream). */
  hiddenIds?: ReadonlySet<string>;
}

let mockCounter = 0;

interface SentMock {
  id: string;
  frameId: number;
  pattern: string;
}

export function ConversationTab({
  connection,
  store,
  selectedIds,
  link,
  fromLiveLog = true,
  onSelect,
  hiddenIds,
}: ConversationTabProps) {
  const [sent, setSent] = useState<SentMock | null>(null);
  const ids = selectedIds != null ? [...selectedIds] : connection !== undefined ? [connection.id] : [];
  const canMock = link !== undefined && link.live;

  const onMock = (request: MockRequest) => {
    if (link === undefined || !link.live) return;
    if (sent !== null && isPending(link, sent.id)) link.command(sent.frameId, { type: 'stop', id: sent.id });
    mockCounter++;
    const id = `conv-mock-${Date.now().toString(36)}-${mockCounter}`;
    // An imported recording answers in the top frame; a live one in the frame it came from.
    const frameId = fromLiveLog ? request.connection.frameId : 0;
    setSent({ id, frameId, pattern: request.pattern });
    link.command(frameId, { type: 'mock', id, pattern: request.pattern, recording: request.recording });
  };

  const status = sent === null || link === undefined ? undefined : link.statuses.get(sent.id);
  const pending = sent !== null && link !== undefined && isPending(link, sent.id);
  return (
    <div class="conversation-mount" data-mount="conversation">
      <ConversationView
        store={store}
        version={store.version}
        connectionIds={ids}
        hiddenIds={hiddenIds}
        onSelect={onSelect}
        onMock={canMock ? onMock : undefined}
      />
      {sent !== null && link !== undefined ? (
        <div class="conv-mock-status">
          <span class="mock-status" role="status" data-state={status?.state ?? 'sending'}>
            {mockStatusText(status, link.answers.get(sent.id), sent.pattern)}
          </span>
          {pending ? (
            <button type="button" class="mock-disarm" onClick={() => link.command(sent.frameId, { type: 'stop', id: sent.id })}>
              {status?.state === 'answered' ? t('replayStop') : t('mockDisarm')}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function isPending(link: CommandLink, id: string): boolean {
  const state = link.statuses.get(id)?.state;
  return state === undefined || state === 'armed' || state === 'answered';
}
