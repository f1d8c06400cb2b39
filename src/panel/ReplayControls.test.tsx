// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { LogStore } from '../core/log-store';
import type { PageCommand, PageStatus, StoredRecord } from '../protocol';
import { ReplayControls, type CommandLink } from './ReplayControls';

vi.mock('./i18n', () => import('./i18n.test-double'));

const T = 1_768_471_200_000;

function records(stream: string, kind: 'eventsource' | 'fetch', url: string, frameId: number, open: boolean): StoredRecord[] {
  let seq = 0;
  const r = (record: Record<string, unknown>) => ({ ...record, stream, frameId, seq: seq++ }) as unknown as StoredRecord;
  const list = [
    r({ type: 'stream-open', kind, url, method: 'GET', requestHeaders: [], frameUrl: 'http://h/', time: T }),
    r({
      type: 'stream-response',
      status: 200,
      statusText: 'OK',
      responseHeaders: [],
      contentType: 'text/event-stream',
      time: T + 10,
    }),
    r({ type: 'stream-state', state: 'open', time: T + 10 }),
  ];
  if (kind === 'eventsource') {
    list.push(
      r({
        type: 'sse',
        items: [1, 2, 3].map((i) => ({ kind: 'event', type: 'tick', data: `d${i}`, lastEventId: `${i}`, time: T + i * 100 })),
      }),
    );
  } else {
    list.push(
      r({ type: 'stream-chunk', text: 'data: a\n\n', bytes: 9, time: T + 100 }),
      r({ type: 'stream-chunk', text: 'data: b\n\n', bytes: 9, time: T + 200 }),
    );
  }
  if (!open) list.push(r({ type: 'stream-state', state: 'closed', reason: 'closed-by-page', time: T + 500 }));
  return list;
}

let store: LogStore;
let container: HTMLElement;
let sent: { frameId: number; command: PageCommand }[];
let link: CommandLink & { statuses: Map<string, PageStatus>; answers: Map<string, PageStatus>; live: boolean };

beforeEach(() => {
  store = new LogStore();
  store.apply([
    ...records('rec', 'eventsource', 'http://h/events?x=1', 3, false),
    ...records('live', 'eventsource', 'http://h/events?x=2', 4, true),
    ...records('f', 'fetch', 'http://h/chat?q=1', 5, false),
  ]);
  container = document.createElement('div');
  document.body.appendChild(container);
  sent = [];
  link = {
    live: true,
    statuses: new Map(),
    answers: new Map(),
    command: (frameId, command) => sent.push({ frameId, command }),
  };
});
afterEach(() => {
  render(null, container);
  container.remove();
});

function show(id: string, options: { inView?: number[]; fromLiveLog?: boolean } = {}) {
  const items = store.itemsByConnection.get(id) ?? [];
  const inView = options.inView === undefined ? items : items.filter((_, i) => options.inView!.includes(i));
  act(() => {
    render(
      <ReplayControls
        connection={store.connections.get(id)!}
        items={items}
        itemsInView={inView}
        fromLiveLog={options.fromLiveLog ?? true}
        liveConnections={store.connectionList}
        link={link}
      />,
      container,
    );
  });
}

const button = (name: string) => [...container.querySelectorAll('button')].find((b) => b.textContent === name)!;
const click = (name: string) => act(() => button(name).click());
const select = (label: string) =>
  [...container.querySelectorAll('label')].find((l) => l.textContent!.startsWith(label))!.querySelector('select')!;
const choose = (label: string, value: string) =>
  act(() => {
    const element = select(label);
    element.value = value;
    element.dispatchEvent(new Event('change', { bubbles: true }));
  });
const type = (element: HTMLInputElement | HTMLTextAreaElement, value: string) =>
  act(() => {
    element.value = value;
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
const text = (selector: string) => container.querySelector(selector)!.textContent;

describe('Replay to page', () => {
  it('sends the schedule to the open EventSource of the same URL, and shows how it goes', () => {
    show('rec');
    expect(button('replayToPage').disabled).toBe(false);
    click('replayToPage');
    expect(sent).toHaveLength(1);
    const { frameId, command } = sent[0]!;
    expect(frameId).toBe(4);
    expect(command).toMatchObject({ type: 'replay', stream: 'live' });
    expect(command.type === 'replay' && command.events).toEqual(
      [1, 2, 3].map((i) => ({ at: (i - 1) * 100, type: 'tick', data: `d${i}`, lastEventId: `${i}` })),
    );
    expect(text('.replay-status')).toBe('replaySending');
    expect(button('replayStop')).toBeDefined();

    const id = command.id;
    link.statuses.set(id, { type: 'command-status', id, state: 'started', delivered: 0, total: 3, time: T });
    show('rec');
    expect(text('.replay-status')).toBe('replayRunning(3)');
    click('replayStop');
    expect(sent[1]).toEqual({ frameId: 4, command: { type: 'stop', id } });
    link.statuses.set(id, { type: 'command-status', id, state: 'stopped', delivered: 1, total: 3, time: T });
    show('rec');
    expect(text('.replay-status')).toBe('replayStopped(1|3)');
    expect(button('replayStop')).toBeUndefined();
    expect(container.querySelector('.replay-status')!.getAttribute('data-state')).toBe('stopped');
  });

  it('at the chosen speed, over what the table shows', () => {
    show('rec', { inView: [1, 2] });
    choose('replaySpeed', '2');
    choose('replayScope', 'view');
    click('replayToPage');
    const command = sent[0]!.command;
    expect(command.type === 'replay' && command.events.map((e) => [e.at, e.data])).toEqual([
      [0, 'd2'],
      [50, 'd3'],
    ]);
  });

  it('is disabled, with the reason, for a fetch stream, without an open EventSource, and without a page', () => {
    show('f');
    expect(button('replayToPage').disabled).toBe(true);
    expect(text('.replay-why')).toBe('replayOnlyEventSource(fetch)');
    store.apply(records('live', 'eventsource', 'http://h/events?x=2', 4, false).slice(-1));
    show('rec');
    expect(text('.replay-why')).toBe('replayNoTarget');
    link.live = false;
    show('rec');
    expect(text('.replay-why')).toBe('replayNeedsPage');
    expect(button('mockNext').disabled).toBe(true);
    expect(button('mockNext').title).toBe('replayNeedsPage');
  });
});

describe('Edit data', () => {
  it('edits apply to the next replay and mock, and can be reset', () => {
    show('rec');
    click('replayEditData');
    const areas = [...container.querySelectorAll('textarea')];
    expect(areas.map((a) => a.value)).toEqual(['d1', 'd2', 'd3']);
    expect([...container.querySelectorAll('.replay-edit-label')].map((l) => l.textContent)).toEqual([
      'replayEditorEvent(1|tick|1)',
      'replayEditorEvent(2|tick|2)',
      'replayEditorEvent(3|tick|3)',
    ]);
    type(areas[1]!, 'EDITED');
    expect(button('replayEditedCount(1)')).toBeDefined();
    click('replayToPage');
    click('mockNext');
    const [replay, mock] = sent.map((s) => s.command);
    expect(replay!.type === 'replay' && replay!.events.map((e) => e.data)).toEqual(['d1', 'EDITED', 'd3']);
    expect(mock!.type === 'mock' && mock!.recording.events.map((e) => e.data)).toEqual(['d1', 'EDITED', 'd3']);
    expect(mock!.type === 'mock' && mock!.recording.chunks.map((c) => c.text).join('')).toContain('data: EDITED\n');
    click('replayResetEdits');
    expect([...container.querySelectorAll('textarea')].map((a) => a.value)).toEqual(['d1', 'd2', 'd3']);
    expect(button('replayEditData')).toBeDefined();
  });
});

describe('Mock next request', () => {
  it('arms the recording for its frame with the editable pattern, shows the status, disarms', () => {
    show('f');
    const input = container.querySelector<HTMLInputElement>('.mock-pattern input')!;
    expect(input.value).toBe('http://h/chat');
    type(input, '  */chat*  ');
    click('mockNext');
    const { frameId, command } = sent[0]!;
    expect(frameId).toBe(5);
    expect(command).toMatchObject({ type: 'mock', pattern: '*/chat*' });
    expect(command.type === 'mock' && command.recording).toMatchObject({
      source: 'http://h/chat?q=1',
      status: 200,
      responseAt: 10,
      chunks: [
        { at: 100, text: 'data: a\n\n' },
        { at: 200, text: 'data: b\n\n' },
      ],
    });
    expect(text('.mock-status')).toBe('mockArming');
    const id = command.id;
    link.statuses.set(id, { type: 'command-status', id, state: 'armed', time: T });
    show('f');
    expect(text('.mock-status')).toBe('mockArmed(*/chat*)');
    click('mockDisarm');
    expect(sent[1]).toEqual({ frameId: 5, command: { type: 'stop', id } });

    const answer: PageStatus = {
      type: 'command-status',
      id,
      state: 'answered',
      kind: 'fetch',
      url: 'http://h/chat?q=2',
      stream: 's9',
      time: T,
    };
    link.statuses.set(id, answer);
    link.answers.set(id, answer);
    show('f');
    expect(text('.mock-status')).toMatch(/^mockAnswered\(fetch\|http:\/\/h\/chat\?q=2\|\d\d:\d\d:\d\d\.000\)$/);
    link.statuses.set(id, { type: 'command-status', id, state: 'cancelled', delivered: 1, total: 2, time: T + 5 });
    show('f');
    expect(text('.mock-status')).toMatch(/^mockCancelled\(fetch\|http:\/\/h\/chat\?q=2\|[\d:.]+\|1\|2\)$/);
  });

  it('an imported recording is armed in the top frame', () => {
    show('f', { fromLiveLog: false });
    click('mockNext');
    expect(sent[0]!.frameId).toBe(0);
  });

  it('says a wire-only connection (a worker’s, or older than the capture) is beyond its reach; not for the page’s own', () => {
    show('f');
    expect(container.querySelector('.mock-wire-only')).toBeNull();
    store.apply(
      records('wire:9', 'fetch', 'http://h/chat?q=w', 0, false).map((record) =>
        record.type === 'stream-open' ? ({ ...record, seenOn: 'wire' } as StoredRecord) : record,
      ),
    );
    expect(store.connections.get('wire:9')?.seenOn).toBe('wire');
    show('wire:9');
    expect(text('.mock-wire-only')).toBe('mockWireOnly');
  });

  it('needs a pattern', () => {
    show('f');
    type(container.querySelector<HTMLInputElement>('.mock-pattern input')!, '   ');
    expect(button('mockNext').disabled).toBe(true);
    expect(text('.mock-status')).toBe('mockNeedsPattern');
  });
});
