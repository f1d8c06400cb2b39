// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { LogStore } from '../core/log-store';
import type { LogConnection } from './log-connection';
import { App } from './App';
import {
  BURST_FETCH_URL,
  BURST_URL,
  CHAT_URL,
  deepPairRecords,
  NOTIFY_URL,
  shortPairRecords,
} from '../../test/fixtures/deep-pair';

vi.mock('./i18n', () => import('./i18n.test-double'));
vi.mock('webextension-polyfill', () => ({ default: {} }));

function linkWith(store: LogStore): LogConnection {
  return {
    store,
    live: false,
    preserve: false,
    statuses: new Map(),
    answers: new Map(),
    deep: { available: false, on: false },
  } as unknown as LogConnection;
}

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.appendChild(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

const rows = () => [...container.querySelectorAll<HTMLElement>('tr[data-connection-id]')];
const marks = () => rows().map((row) => row.querySelector<HTMLElement>('[data-seen]')?.dataset.seen);
const eventRows = () => [...container.querySelectorAll<HTMLElement>('.event-row')];
/** A tag's words (its icon is decoration, hidden from assistive technology). */
const tagOf = (row: HTMLElement) => row.querySelector('.missed-tag')?.textContent?.replace(/^[⊘✂]/, '');
const rowOf = (url: string) => rows().find((row) => row.title.startsWith(url))!;

function show() {
  const store = new LogStore();
  store.apply(deepPairRecords());
  act(() => render(<App link={linkWith(store)} version={store.version} pageUrl={async () => 'about:blank'} />, container));
  return store;
}

describe('one row per request (deep capture)', () => {
  it('shows what the page and the wire both saw as one row, marked, and the others as page or wire', () => {
    show();
    expect(rows()).toHaveLength(4);
    expect(marks()).toEqual(['both', 'both', 'wire', 'page']);
    const badge = rowOf(NOTIFY_URL).querySelector<HTMLElement>('.badge.seen')!;
    expect(badge.textContent).toContain('seenBothBadge');
    expect(badge.title).toBe('seenBothBadgeTitle');
    expect(badge.querySelector('[aria-hidden="true"]')).not.toBeNull();
  });

  it('a selected pair shows the wire’s events once, marking what the page did not hear or read', () => {
    show();
    act(() => rowOf(NOTIFY_URL).click());
    // hello (heard: the page's own copy is not shown again), update (no listener), after close (not read).
    const shown = eventRows().map((row) => [row.querySelector('.col-data')!.textContent, tagOf(row)]);
    expect(shown).toEqual([
      ['hello', undefined],
      ['⊘notHeardTag{"v":2}', 'notHeardTag'],
      ['✂notReadTagafter close', 'notReadTag'],
    ]);
    expect(eventRows()[1]!.classList.contains('not-heard')).toBe(true);
    // Above the table, in words: the type the page never listened for, when it stopped reading.
    expect(container.querySelector('[data-fact="not-heard"]')?.textContent).toBe('notHeardTypes(update)');
    expect(container.querySelector('[data-fact="not-read"]')?.textContent).toMatch(/^pageStoppedReading\(\d\d:\d\d:\d\d\.250\)$/);
    expect(eventRows()[1]!.querySelector('.missed-tag')!.getAttribute('title')).toBe('notHeardTagTitle');
    // The detail's Meta tab says it too.
    act(() => eventRows()[1]!.click());
    const meta = [...container.querySelectorAll<HTMLElement>('.detail [role="tab"]')].find(
      (tab) => tab.textContent === 'detailTabMeta',
    )!;
    act(() => meta.click());
    expect(container.querySelector('.meta-missed')?.textContent).toBe('notHeardTagTitle');
    act(() => eventRows()[0]!.click());
    expect(container.querySelector('.meta-missed')).toBeNull();
  });

  it('marks a fetch’s text the page never read because it cancelled', () => {
    show();
    act(() => rowOf(CHAT_URL).click());
    const shown = eventRows().map((row) => tagOf(row) ?? 'read');
    expect(shown).toEqual(['read', 'notReadTag']);
    // The Request tab: the page's request body, the wire's answer, where it was seen.
    act(() => container.querySelector<HTMLElement>('[role=tab][data-tab=request]')!.click());
    expect(container.querySelector('.request-seen')?.textContent).toBe('seenBothBadgeTitle');
    expect(container.textContent).toContain('"q"');
  });

  it('the "not heard by the page" chip counts and shows only what the page missed, across all rows', () => {
    show();
    // Every connection: 3 notify + 2 chat + 1 worker + 1 clock, the page's copies not repeated.
    expect(eventRows()).toHaveLength(7);
    const chip = container.querySelector<HTMLButtonElement>('.missed-chip')!;
    expect(chip.textContent).toContain('3');
    expect(chip.getAttribute('aria-pressed')).toBe('false');
    act(() => chip.click());
    expect(chip.getAttribute('aria-pressed')).toBe('true');
    expect(eventRows().map(tagOf)).toEqual(['notHeardTag', 'notReadTag', 'notReadTag']);
  });

  it('the timeline has a lane per request, a pair’s lane with its events (also under a filter)', () => {
    show();
    act(() => container.querySelector<HTMLElement>('[role=tab][data-tab=timeline]')!.click());
    const lanes = () =>
      [...container.querySelectorAll<HTMLElement>('.tl-lane-label')].map((lane) => [
        lane.dataset.connectionId,
        lane.querySelector('.tl-ttfe')!.textContent!.startsWith('timelineFirstEvent'),
      ]);
    expect(lanes()).toEqual([
      ['wire:7', true],
      ['wire:8', true],
      ['wire:9', true],
      ['0:3', true],
    ]);
    // Only what the page missed: the pairs keep events in their lanes, the others none.
    act(() => container.querySelector<HTMLButtonElement>('.missed-chip')!.click());
    expect(lanes()).toEqual([
      ['wire:7', true],
      ['wire:8', true],
      ['wire:9', false],
      ['0:3', false],
    ]);
  });

  it('has no chip and no marks in page mode', () => {
    const store = new LogStore();
    store.apply(deepPairRecords().filter((r) => !('stream' in r && r.stream.startsWith('wire:'))));
    act(() => render(<App link={linkWith(store)} version={store.version} pageUrl={async () => 'about:blank'} />, container));
    expect(marks()).toEqual([undefined, undefined, undefined]);
    expect(container.querySelector('.missed-chip')).toBeNull();
  });
});

describe('a request whose wire capture holds less than the page saw', () => {
  function showShort() {
    const store = new LogStore();
    store.apply(shortPairRecords());
    act(() => render(<App link={linkWith(store)} version={store.version} pageUrl={async () => 'about:blank'} />, container));
    return store;
  }
  const cell = (row: HTMLElement, col: string) => row.querySelector(`.${col}`)!.textContent;
  const data = () => eventRows().map((row) => row.querySelector('.col-data')!.textContent);

  it('the row shows the page’s events and says the wire is incomplete', () => {
    showShort();
    expect(marks()).toEqual(['both', 'both']);
    expect(container.querySelector('.summary')?.textContent).toBe('summary(connectionCountMany(2)|eventCountMany(5))');
    // Every event the page had: nothing hidden behind the wire's shorter capture.
    expect(data()).toEqual(['one', 'two', 'three', 'first', 'second']);
    const burst = rowOf(BURST_URL);
    expect(cell(burst, 'col-events')).toBe('3');
    const badge = burst.querySelector<HTMLElement>('[data-wire-incomplete]')!;
    expect(badge.textContent).toBe('wireIncompleteBadge');
    expect(badge.title).toBe('wireIncompleteBadgeTitle');
    expect(burst.querySelector<HTMLElement>('.badge.seen')!.title).toBe('seenBothShortTitle');
    expect(cell(rowOf(BURST_FETCH_URL), 'col-events')).toBe('2');
    expect(rowOf(BURST_FETCH_URL).querySelector('[data-wire-incomplete]')).not.toBeNull();
  });

  it('says in words how much the wire captured, above the events and in the Request tab', () => {
    showShort();
    act(() => rowOf(BURST_URL).click());
    expect(data()).toEqual(['one', 'two', 'three']);
    expect(container.querySelector('[data-fact="wire-incomplete"]')?.textContent).toBe('wireIncompleteEvents(0|3)');
    act(() => rowOf(BURST_FETCH_URL).click());
    expect(data()).toEqual(['first', 'second']);
    expect(container.querySelector('[data-fact="wire-incomplete"]')?.textContent).toBe('wireIncompleteChars(13|27|1|2)');
    act(() => container.querySelector<HTMLElement>('[role=tab][data-tab=request]')!.click());
    expect(container.querySelector('.request-wire-incomplete')?.textContent).toBe('wireIncompleteChars(13|27|1|2)');
    expect(container.querySelector('.request-seen')?.textContent).toBe('seenBothShortTitle');
  });

  it('the Conversation view reads the page’s stream of a short pair, whole', () => {
    const T = 1_700_000_000_000;
    const url = 'https://api.test/v1/chat/completions';
    const sse = 'text/event-stream';
    const delta = (content: string) =>
      `data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"${content}"}}]}\n\n`;
    const records = [
      ...['0:31', 'wire:41'].flatMap((stream, n) => [
        {
          type: 'stream-open',
          stream,
          kind: 'fetch',
          url,
          method: 'POST',
          requestHeaders: [],
          requestBody: { mimeType: 'application/json', text: '{"model":"m","stream":true,"messages":[]}' },
          frameUrl: 'https://app.test/',
          time: T + n,
          ...(n === 1 ? { seenOn: 'wire' } : {}),
        },
        { type: 'stream-response', stream, status: 200, statusText: 'OK', responseHeaders: [], contentType: sse, time: T + 10 },
        { type: 'stream-state', stream, state: 'open', time: T + 10 },
      ]),
      { type: 'stream-chunk', stream: 'wire:41', text: delta('Hello'), bytes: 1, time: T + 20 },
      { type: 'stream-chunk', stream: '0:31', text: delta('Hello'), bytes: 1, time: T + 21 },
      { type: 'stream-chunk', stream: '0:31', text: delta(' world') + 'data: [DONE]\n\n', bytes: 1, time: T + 22 },
      { type: 'stream-state', stream: 'wire:41', state: 'closed', reason: 'ended-by-server', time: T + 30 },
      { type: 'stream-state', stream: '0:31', state: 'closed', reason: 'ended-by-server', time: T + 31 },
    ].map((r, seq) => ({ ...r, frameId: 0, seq }) as never);
    const store = new LogStore();
    store.apply(records);
    act(() => render(<App link={linkWith(store)} version={store.version} pageUrl={async () => 'about:blank'} />, container));
    expect(rows()[0]!.querySelector('[data-wire-incomplete]')).not.toBeNull();
    act(() => rows()[0]!.click());
    act(() => container.querySelector<HTMLElement>('[role=tab][data-tab=conversation]')!.click());
    expect(container.querySelector('[data-connection="0:31"] .conv-reply-text')?.textContent).toBe('Hello world');
    expect(container.querySelector('[data-connection="wire:41"]')).toBeNull();
  });

  it('a complete pair has no such words', () => {
    show();
    expect(container.querySelector('[data-wire-incomplete]')).toBeNull();
    act(() => rowOf(NOTIFY_URL).click());
    expect(container.querySelector('[data-fact="wire-incomplete"]')).toBeNull();
  });
});
