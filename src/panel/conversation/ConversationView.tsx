/**
 * The Conversation view: AI streams (OpenAI, Anthropic, Gemini, Vercel AI SDK, Ollama, MCP...)
 * assembled into what was asked and what the model answered, live while tokens arrive, with their
 * timing; a table comparing the log's AI streams; Markdown and JSON export. Self-contained: give it
 * the LogStore, the store's version (a new value re-renders) and the selected connection ids.
 *
 * Assembly is incremental (core/ai/log-feed.ts): a render after an append costs the new events,
 * not the whole transcript. One feed is kept per store.
 */
import { useMemo, useState } from 'preact/hooks';
import { JsonPathMemory, type KeyValueStorage } from '../../core/ai/json-path-memory';
import { AiLogFeed } from '../../core/ai/log-feed';
import type { LogStore } from '../../core/log-store';
import { t } from '../i18n';
import { ComparisonTable } from './ComparisonTable';
import { ConversationCard, type SaveFile } from './ConversationCard';
import type { MockRequest } from './MockEditor';
import './conversation.css';

export type { MockRequest } from './MockEditor';

export interface ConversationViewProps {
  store: LogStore;
  /** The store's version at render time: a new value brings the view up to date. */
  version: number;
  /** The connections to show (the selection); empty: none, and the comparison table alone. */
  connectionIds: readonly string[];
  /** Saves an export (default: a download). */
  save?: SaveFile;
  /** Clicking a stream in the comparison table (e.g. to select it). */
  onSelect?: (connectionId: string) => void;
  /**
   * Arms "Mock next request" with an edited reply (send `{type: 'mock', pattern, recording}` for
   * `connection.frameId`, as ReplayControls does). Without it the editor is not offered.
   */
  onMock?: (request: MockRequest) => void;
  /** Where JSON paths named by the user are remembered (default: localStorage). */
  storage?: KeyValueStorage | null;
  /** Streams left out of the comparison table (deep capture: a pair's page stream, shown by its wire stream). */
  hiddenIds?: ReadonlySet<string>;
}

interface FeedState {
  feed: AiLogFeed;
  memory: JsonPathMemory;
}

const feeds = new WeakMap<LogStore, FeedState>();

function defaultStorage(): KeyValueStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The one feed of a store (so switching views or re-mounting does not re-assemble the log). */
function feedOf(store: LogStore, storage: KeyValueStorage | null): FeedState {
  let state = feeds.get(store);
  if (state === undefined) {
    const memory = new JsonPathMemory(storage);
    state = { feed: new AiLogFeed(store, { jsonPathFor: (connection) => memory.get(connection.url) }), memory };
    feeds.set(store, state);
  }
  return state;
}

function download(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function ConversationView({
  store,
  version,
  connectionIds,
  save = download,
  onSelect,
  onMock,
  storage,
  hiddenIds,
}: ConversationViewProps) {
  const { feed, memory } = feedOf(store, storage === undefined ? defaultStorage() : storage);
  // Bumped when a JSON path changes, so the view re-renders with the re-assembled stream.
  const [pathVersion, setPathVersion] = useState(0);
  const rows = useMemo(
    () => feed.conversations().filter((row) => hiddenIds === undefined || !hiddenIds.has(row.connection.id)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the feed changes in place: `version` and `pathVersion` say when
    [feed, version, pathVersion, hiddenIds],
  );
  const selected = useMemo(() => new Set(connectionIds), [connectionIds]);

  const cards = connectionIds
    .map((id) => ({ connection: store.connections.get(id), assembler: feed.assembler(id) }))
    .filter(
      (card): card is { connection: NonNullable<typeof card.connection>; assembler: NonNullable<typeof card.assembler> } =>
        card.connection !== undefined && card.assembler !== undefined,
    );

  return (
    <div class="conversation-view" aria-label={t('convHeading')} role="region" data-version={version}>
      <ComparisonTable rows={rows} selected={selected} onSelect={onSelect} />
      {cards.length === 0 && <p class="conv-empty conv-dim">{t('convEmpty')}</p>}
      {cards.map(({ connection, assembler }) => (
        <ConversationCard
          key={connection.id}
          connection={connection}
          assembler={assembler}
          save={save}
          onMock={onMock}
          jsonPath={memory.get(connection.url)}
          onJsonPath={(path) => {
            memory.set(connection.url, path);
            // Re-assemble every stream of that URL pattern with the new path.
            for (const other of store.connections.values()) feed.reset(other.id);
            setPathVersion((v) => v + 1);
          }}
        />
      ))}
    </div>
  );
}
