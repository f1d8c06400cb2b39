/**
 * The Replay section of the selected connection: speed, which events (all, or what the table
 * shows), an editable copy of their data, "Replay to page" (into an EventSource open in the page)
 * and "Mock next request" (answer the page's next matching EventSource or fetch from this
 * recording, without the network), each with a status line. The schedules are worked out here
 * (core/replay-plan.ts); the page world keeps to them. Page data is rendered as text only.
 */
import { useRef, useState } from 'preact/hooks';
import type { Connection, LoggedItem } from '../core/log-store';
import { clockTime, splitUrl } from '../core/format';
import {
  defaultReplayTarget,
  liveEventSources,
  mockRecording,
  REPLAY_SPEEDS,
  replaySchedule,
  type ReplaySpeed,
} from '../core/replay-plan';
import { defaultUrlPattern } from '../core/url-pattern';
import { MAX_PATTERN_LENGTH, type PageCommand, type PageStatus } from '../protocol';
import { t } from './i18n';

/** What the section needs of the panel's link to the page (LogConnection). */
export interface CommandLink {
  readonly live: boolean;
  command(frameId: number, command: PageCommand): void;
  readonly statuses: ReadonlyMap<string, PageStatus>;
  readonly answers: ReadonlyMap<string, PageStatus>;
}

interface Props {
  connection: Connection;
  /** All its items, in arrival order. */
  items: readonly LoggedItem[];
  /** The items the table shows (any connection's), in arrival order. */
  itemsInView: readonly LoggedItem[];
  /** Whether `connection` is in the live log (its frame can be addressed), not an imported file. */
  fromLiveLog: boolean;
  /** The live log's connections (where replays can go). */
  liveConnections: readonly Connection[];
  link: CommandLink;
}

/** Events shown in the editor at most (a textarea each). */
export const MAX_EDITED_ROWS = 200;

type Scope = 'all' | 'view';

let commandCounter = 0;
function commandId(kind: string): string {
  commandCounter++;
  return `${kind}-${Date.now().toString(36)}-${commandCounter}`;
}

const KIND_LABEL: Record<Connection['kind'], string> = { eventsource: 'EventSource', fetch: 'fetch', xhr: 'XHR' };

export function ReplayControls({ connection, items, itemsInView, fromLiveLog, liveConnections, link }: Props) {
  const [speed, setSpeed] = useState<ReplaySpeed>('1');
  const [scope, setScope] = useState<Scope>('all');
  const [edits, setEdits] = useState<ReadonlyMap<number, string>>(new Map());
  const [editing, setEditing] = useState(false);
  const [targetId, setTargetId] = useState<string | null>(null);
  const [pattern, setPattern] = useState(() => defaultUrlPattern(connection.url));
  /** The last replay sent, and the frame it went to. */
  const [sentReplay, setSentReplay] = useState<{ id: string; frameId: number } | null>(null);
  const [mockId, setMockId] = useState<string | null>(null);

  const inView = useGrowingFilter(itemsInView, (logged) => logged.connectionId === connection.id);
  const inViewEvents = useGrowingFilter(inView, isEvent);
  const allEvents = useGrowingFilter(items, isEvent);
  const scoped = scope === 'all' ? items : inView;
  const events = scope === 'all' ? allEvents : inViewEvents;
  // Replay goes to an EventSource in the page: not to a stream only deep capture saw (the page has
  // none by that id); a pair's row finds its page stream by URL.
  const live = link.live ? liveEventSources(liveConnections.filter((c) => c.seenOn !== 'wire')) : [];
  const target = live.find((c) => c.id === targetId) ?? defaultReplayTarget(connection, live);

  const replayBlocked = !link.live
    ? t('replayNeedsPage')
    : connection.kind !== 'eventsource'
      ? t('replayOnlyEventSource', [KIND_LABEL[connection.kind]])
      : target === undefined
        ? t('replayNoTarget')
        : events.length === 0
          ? t('replayNoEvents')
          : null;
  const mockBlocked = !link.live ? t('replayNeedsPage') : pattern.trim() === '' ? t('mockNeedsPattern') : null;

  const replayId = sentReplay?.id ?? null;
  const replayStatus = replayId === null ? undefined : link.statuses.get(replayId);
  const replayRunning = replayId !== null && (replayStatus === undefined || replayStatus.state === 'started');
  const mockStatus = mockId === null ? undefined : link.statuses.get(mockId);
  const mockAnswer = mockId === null ? undefined : link.answers.get(mockId);
  const mockPending =
    mockId !== null && (mockStatus === undefined || mockStatus.state === 'armed' || mockStatus.state === 'answered');
  const mockFrame = fromLiveLog ? connection.frameId : 0;

  const replay = () => {
    if (replayBlocked !== null || target === undefined) return;
    const id = commandId('replay');
    setSentReplay({ id, frameId: target.frameId });
    link.command(target.frameId, { type: 'replay', id, stream: target.id, events: replaySchedule(scoped, speed, edits) });
  };
  const stopReplay = () => {
    if (sentReplay !== null) link.command(sentReplay.frameId, { type: 'stop', id: sentReplay.id });
  };
  const mock = () => {
    if (mockBlocked !== null) return;
    if (mockId !== null && mockPending) link.command(mockFrame, { type: 'stop', id: mockId });
    const id = commandId('mock');
    setMockId(id);
    const recording = mockRecording(connection, scoped, { speed, edits, subset: scope === 'view' });
    link.command(mockFrame, { type: 'mock', id, pattern: pattern.trim(), recording });
  };
  const stopMock = () => {
    if (mockId !== null) link.command(mockFrame, { type: 'stop', id: mockId });
  };

  const editCount = editsAmong(events, edits);

  return (
    <section class="replay" aria-label={t('replaySection')}>
      <div class="replay-row">
        <strong class="replay-title">{t('replaySection')}</strong>
        <label>
          {t('replaySpeed')}{' '}
          <select value={speed} onChange={(e) => setSpeed(e.currentTarget.value as ReplaySpeed)}>
            {REPLAY_SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s === 'instant' ? t('replaySpeedInstant') : `${s}×`}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('replayScope')}{' '}
          <select value={scope} onChange={(e) => setScope(e.currentTarget.value as Scope)}>
            <option value="all">{t('replayScopeAll', [allEvents.length])}</option>
            <option value="view">{t('replayScopeView', [inViewEvents.length])}</option>
          </select>
        </label>
        <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {editCount > 0 ? t('replayEditedCount', [editCount]) : t('replayEditData')}
        </button>
      </div>
      <div class="replay-row">
        {live.length > 1 ? (
          <label>
            {t('replayTarget')}{' '}
            <select value={target?.id ?? ''} onChange={(e) => setTargetId(e.currentTarget.value)}>
              {live.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.id === connection.id ? t('replayTargetSelf') : `${splitUrl(c.url).path} · ${clockTime(c.startTime)}`}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button
          type="button"
          class="replay-to-page"
          disabled={replayBlocked !== null}
          title={replayBlocked ?? undefined}
          aria-describedby={replayBlocked !== null ? `replay-why-${connection.id}` : undefined}
          onClick={replay}
        >
          {t('replayToPage')}
        </button>
        {replayRunning ? (
          <button type="button" class="replay-stop" onClick={stopReplay}>
            {t('replayStop')}
          </button>
        ) : null}
        {replayBlocked !== null ? (
          <span class="replay-why" id={`replay-why-${connection.id}`}>
            {replayBlocked}
          </span>
        ) : null}
        <span class="replay-status" role="status" data-state={replayId === null ? '' : (replayStatus?.state ?? 'sending')}>
          {replayId === null ? '' : replayStatusText(replayStatus)}
        </span>
      </div>
      <div class="replay-row">
        <label class="mock-pattern">
          {t('mockPattern')}{' '}
          <input
            type="text"
            value={pattern}
            maxLength={MAX_PATTERN_LENGTH}
            spellcheck={false}
            title={t('mockPatternHint')}
            onInput={(e) => setPattern(e.currentTarget.value)}
          />
        </label>
        <button type="button" class="mock-arm" disabled={mockBlocked !== null} title={mockBlocked ?? undefined} onClick={mock}>
          {t('mockNext')}
        </button>
        {mockPending ? (
          <button type="button" class="mock-disarm" onClick={stopMock}>
            {mockStatus?.state === 'answered' ? t('replayStop') : t('mockDisarm')}
          </button>
        ) : null}
        <span class="mock-status" role="status" data-state={mockId === null ? '' : (mockStatus?.state ?? 'sending')}>
          {mockId === null ? (mockBlocked ?? '') : mockStatusText(mockStatus, mockAnswer, pattern.trim())}
        </span>
      </div>
      {connection.seenOn === 'wire' ? (
        <p class="mock-wire-only" role="note">
          {t('mockWireOnly')}
        </p>
      ) : null}
      {editing ? <DataEditor events={events} edits={edits} onChange={setEdits} /> : null}
    </section>
  );
}

const isEvent = (logged: LoggedItem) => logged.item.kind === 'event';

/**
 * `list.filter(keep)`, kept up to date at the cost of the new items only: the panel's lists grow in
 * place while streams run, and so does the result (a new list, e.g. after a filter change, is
 * filtered afresh).
 */
function useGrowingFilter<T>(list: readonly T[], keep: (value: T) => boolean): readonly T[] {
  const cache = useRef<{ list: readonly T[]; done: number; kept: T[] } | null>(null);
  let c = cache.current;
  if (c === null || c.list !== list || list.length < c.done) c = cache.current = { list, done: 0, kept: [] };
  for (; c.done < list.length; c.done++) if (keep(list[c.done]!)) c.kept.push(list[c.done]!);
  return c.kept;
}

/** How many of `edits` are of `events` (in log order, so sorted by id). */
function editsAmong(events: readonly LoggedItem[], edits: ReadonlyMap<number, string>): number {
  let count = 0;
  for (const id of edits.keys()) {
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (events[mid]!.id < id) lo = mid + 1;
      else hi = mid;
    }
    if (events[lo]?.id === id) count++;
  }
  return count;
}

function replayStatusText(status: PageStatus | undefined): string {
  if (status === undefined) return t('replaySending');
  const done = status.delivered ?? 0;
  const total = status.total ?? done;
  switch (status.state) {
    case 'started':
      return t('replayRunning', [total]);
    case 'done':
      return t('replayDone', [total]);
    case 'stopped':
      return t('replayStopped', [done, total]);
    case 'cancelled':
      return t('replayCancelled', [done, total]);
    case 'not-found':
      return t('replayNotFound');
    case 'unreachable':
      return t('commandUnreachable');
    default:
      return '';
  }
}

/** The status line of a mock command (also used by the Conversation tab's mock with an edited reply). */
export function mockStatusText(status: PageStatus | undefined, answer: PageStatus | undefined, pattern: string): string {
  if (status === undefined) return t('mockArming');
  const answered =
    answer === undefined
      ? []
      : [answer.kind === undefined ? '' : KIND_LABEL[answer.kind], answer.url ?? '', clockTime(answer.time)];
  const done = status.delivered ?? 0;
  const total = status.total ?? done;
  switch (status.state) {
    case 'armed':
      return t('mockArmed', [pattern]);
    case 'answered':
      return t('mockAnswered', answered);
    case 'done':
      return answer === undefined ? '' : t('mockDone', answered);
    case 'cancelled':
      return answer === undefined ? '' : t('mockCancelled', [...answered, done, total]);
    case 'stopped':
      return answer === undefined ? t('mockDisarmed') : t('mockStopped', [...answered, done, total]);
    case 'unreachable':
      return t('commandUnreachable');
    default:
      return '';
  }
}

interface EditorProps {
  events: readonly LoggedItem[];
  edits: ReadonlyMap<number, string>;
  onChange(edits: ReadonlyMap<number, string>): void;
}

/** A textarea per event (the first MAX_EDITED_ROWS): edits apply to the next replay and mock. */
function DataEditor({ events, edits, onChange }: EditorProps) {
  const shown = events.slice(0, MAX_EDITED_ROWS);
  const edit = (id: number, original: string, value: string) => {
    const next = new Map(edits);
    if (value === original) next.delete(id);
    else next.set(id, value);
    onChange(next);
  };
  return (
    <div class="replay-editor" role="group" aria-label={t('replayEditorLabel')}>
      <div class="replay-editor-head">
        <span>{t('replayEditorLabel')}</span>
        <button type="button" disabled={edits.size === 0} onClick={() => onChange(new Map())}>
          {t('replayResetEdits')}
        </button>
      </div>
      {shown.map((logged, index) => {
        const item = logged.item;
        if (item.kind !== 'event') return null;
        const edited = edits.get(logged.id);
        return (
          <label key={logged.id} class={`replay-edit${edited === undefined ? '' : ' edited'}`} data-item-id={logged.id}>
            <span class="replay-edit-label">{t('replayEditorEvent', [index + 1, item.type, item.lastEventId])}</span>
            <textarea
              rows={Math.min(4, Math.max(1, (edited ?? item.data).split('\n').length))}
              value={edited ?? item.data}
              spellcheck={false}
              onInput={(e) => edit(logged.id, item.data, e.currentTarget.value)}
            />
          </label>
        );
      })}
      {events.length > shown.length ? (
        <p class="replay-editor-more">{t('replayEditorMore', [shown.length, events.length])}</p>
      ) : null}
    </div>
  );
}
