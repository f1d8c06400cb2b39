// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { PageRecord, StoredRecord } from '../protocol';
import { LogStore, type LoggedItem } from '../core/log-store';
import { EventDetail } from './EventDetail';
import { RawView } from './RawView';

vi.mock('./i18n', () => import('./i18n.test-double'));

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.appendChild(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

let seq = 0;
const stored = (record: PageRecord): StoredRecord => ({ ...record, frameId: 0, seq: seq++ }) as StoredRecord;
const open = (stream: string, kind: 'fetch' | 'xhr' | 'eventsource', time = 1000) =>
  stored({
    type: 'stream-open',
    stream,
    kind,
    url: `https://api.test/${stream}`,
    method: 'GET',
    requestHeaders: [],
    frameUrl: '',
    time,
  });

function fetchStore(...chunks: string[]): LogStore {
  const store = new LogStore();
  store.apply([
    open('f', 'fetch'),
    ...chunks.map((text, i) => stored({ type: 'stream-chunk', stream: 'f', text, bytes: text.length, time: 1500 + i })),
  ]);
  return store;
}
const find = (store: LogStore, predicate: (l: LoggedItem) => boolean) => store.items.find(predicate)!;
const firstEvent = (store: LogStore) => find(store, (l) => l.item.kind === 'event');

function mount(store: LogStore, logged: LoggedItem) {
  act(() =>
    render(<EventDetail logged={logged} connection={store.connections.get(logged.connectionId)} store={store} />, container),
  );
}
const tabs = () => [...container.querySelectorAll<HTMLElement>('[role="tab"]')];
const panel = () => container.querySelector<HTMLElement>('[role="tabpanel"]')!;
function key(target: Element, name: string) {
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
  });
}
/** Each raw line as its text (name, separator, value) and its visible line ending. */
const rawLines = () => [...container.querySelectorAll('.raw-line')].map((li) => li.textContent);

describe('EventDetail tabs', () => {
  it('a tablist of Data, Raw and Meta; arrows, Home and End switch and focus', () => {
    const store = fetchStore('data: {"a":1}\n\n');
    mount(store, firstEvent(store));
    expect(container.querySelector('[role="tablist"]')!.getAttribute('aria-label')).toBe('detailTabsLabel');
    expect(tabs().map((tab) => tab.textContent)).toEqual(['detailTabData', 'detailTabRaw', 'detailTabMeta']);
    expect(tabs().map((tab) => tab.getAttribute('aria-selected'))).toEqual(['true', 'false', 'false']);
    expect(tabs().map((tab) => tab.tabIndex)).toEqual([0, -1, -1]);
    expect(panel().getAttribute('aria-labelledby')).toBe(tabs()[0]!.id);
    expect(tabs()[0]!.getAttribute('aria-controls')).toBe(panel().id);

    tabs()[0]!.focus();
    key(tabs()[0]!, 'ArrowRight');
    expect(tabs()[1]!.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tabs()[1]);
    expect(panel().getAttribute('aria-labelledby')).toBe(tabs()[1]!.id);
    expect(container.querySelector('.raw-lines')).not.toBeNull();
    key(tabs()[1]!, 'ArrowRight');
    expect(document.activeElement).toBe(tabs()[2]);
    key(tabs()[2]!, 'ArrowRight'); // wraps
    expect(document.activeElement).toBe(tabs()[0]);
    key(tabs()[0]!, 'ArrowLeft'); // wraps back
    expect(tabs()[2]!.getAttribute('aria-selected')).toBe('true');
    key(tabs()[2]!, 'Home');
    expect(tabs()[0]!.getAttribute('aria-selected')).toBe('true');
    key(tabs()[0]!, 'End');
    expect(tabs()[2]!.getAttribute('aria-selected')).toBe('true');
    expect(container.querySelector('.meta-list')).not.toBeNull();
  });

  it('Data: a JSON tree for JSON objects, text otherwise, and a text/tree switch', () => {
    const store = fetchStore('data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: plain text\n\ndata: 42\n\n');
    const [json, plain, number] = store.items.filter((l) => l.item.kind === 'event');
    mount(store, json!);
    expect(container.querySelector('[role="tree"]')!.getAttribute('aria-label')).toBe('jsonTreeLabel');
    const toggle = container.querySelector<HTMLButtonElement>('button[aria-pressed]')!;
    expect(toggle.textContent).toBe('dataAsText');
    act(() => toggle.click());
    expect(container.querySelector('[role="tree"]')).toBeNull();
    expect(container.querySelector('pre.data')!.textContent).toBe('{"choices":[{"delta":{"content":"hi"}}]}');
    mount(store, plain!);
    expect(container.querySelector('[role="tree"]')).toBeNull();
    expect(container.querySelector('pre.data')!.textContent).toBe('plain text');
    mount(store, number!);
    expect(container.querySelector('pre.data')!.textContent).toBe('42');
  });

  it('Meta: connection, kind, times, sizes, id, and the warnings of the block', () => {
    const store = fetchStore(': hb\nid: 7\nretry: soon\nEvent: x\ndata: é\n\n');
    mount(store, firstEvent(store));
    act(() => tabs()[2]!.click());
    const terms = [...container.querySelectorAll('.meta-list dt')].map((dt) => dt.textContent);
    const values = [...container.querySelectorAll('.meta-list dd')].map((dd) => dd.textContent);
    const meta = Object.fromEntries(terms.map((term, i) => [term, values[i]]));
    expect(meta).toMatchObject({
      detailConnection: 'https://api.test/f',
      colKind: 'fetch',
      colType: 'message',
      metaSinceStart: '+0.500 s',
      metaDataSize: 'metaBytes(2)',
      metaWireSize: 'metaBytes(42)', // 41 code units, é is 2 bytes
      metaPosition: '0–41',
      metaLastEventId: '7 metaIdFromBlock',
    });
    expect([...container.querySelectorAll('.meta-warnings li')].map((li) => li.querySelector('code')!.textContent)).toEqual([
      'retry-not-digits',
      'unknown-field',
    ]);
  });

  it('Meta: EventSource items have no parser warnings to show', () => {
    const store = new LogStore();
    store.apply([
      open('e', 'eventsource'),
      stored({ type: 'sse', stream: 'e', items: [{ kind: 'event', type: 'tick', data: 'x', lastEventId: '', time: 1001 }] }),
    ]);
    mount(store, store.items[0]!);
    act(() => tabs()[2]!.click());
    expect(container.textContent).toContain('metaWarningsUnavailable');
    expect(container.textContent).not.toContain('metaWireSize');
  });

  it('renders hostile page strings as text in every tab', () => {
    const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const store = fetchStore(`event: ${evil}\nid: ${evil}\ndata: {"${evil}":"${evil}"}\n\n`);
    mount(store, firstEvent(store));
    for (const tab of [0, 1, 2]) {
      act(() => tabs()[tab]!.click());
      expect(container.querySelector('img, script')).toBeNull();
      expect(container.textContent).toContain(evil);
    }
  });
});

describe('RawView', () => {
  function mountRaw(store: LogStore, logged: LoggedItem) {
    act(() => render(<RawView logged={logged} connection={store.connections.get(logged.connectionId)} />, container));
  }

  it('shows the exact wire lines of an event with visible CR LF, LF and CR', () => {
    const store = fetchStore(': before\r\n\r\n: hb\r\ndata: a\rid:1\n', '\r', '\n');
    mountRaw(store, firstEvent(store));
    expect(rawLines()).toEqual([': hb␍␊', 'data: a␍', 'id:1␊', '␍␊']);
    const kinds = [...container.querySelectorAll('.raw-line')].map((li) => li.className);
    expect(kinds).toEqual(['raw-line raw-comment', 'raw-line raw-data', 'raw-line raw-id', 'raw-line raw-blank']);
    expect(container.querySelector('.raw-data .raw-name')!.textContent).toBe('data');
    expect(container.querySelector('.raw-data .raw-sep')!.textContent).toBe(': ');
    expect([...container.querySelectorAll('.raw-eol')].map((e) => e.getAttribute('title'))).toEqual([
      'eolCrLf',
      'eolCr',
      'eolLf',
      'eolCrLf',
    ]);
  });

  it('a comment shows its own line; invisible characters are named', () => {
    const store = fetchStore('\uFEFFdata: x\t\u0000\n\n');
    const field = find(store, (l) => l.item.kind === 'field');
    mountRaw(store, field);
    expect(rawLines()).toEqual(['BOMdata: x␉␀␊']);
    expect([...container.querySelectorAll('.raw-special')].map((s) => s.getAttribute('title'))).toEqual([
      'U+FEFF',
      'U+0009',
      'U+0000',
    ]);
    expect(container.querySelector('.raw-line')!.className).toBe('raw-line raw-unknown');
  });

  it('an unterminated last line (incomplete final event) is marked', () => {
    const store = fetchStore('data: x');
    store.apply([stored({ type: 'stream-state', stream: 'f', state: 'closed', time: 2000 })]);
    mountRaw(
      store,
      find(store, (l) => l.item.kind === 'warning'),
    );
    expect(rawLines()).toEqual(['data: x⊣']);
    expect(container.querySelector('.raw-eol')!.getAttribute('title')).toBe('eolNone');
  });

  it('EventSource: says there are no raw bytes and shows a labelled reconstruction', () => {
    const store = new LogStore();
    store.apply([
      open('e', 'eventsource'),
      stored({ type: 'sse', stream: 'e', items: [{ kind: 'event', type: 'up', data: 'a\nb', lastEventId: '3', time: 1001 }] }),
    ]);
    mountRaw(store, store.items[0]!);
    expect(container.querySelector('.raw-unavailable')!.textContent).toBe('rawUnavailableEventSource');
    const section = container.querySelector('.raw-reconstruction')!;
    expect(section.getAttribute('aria-label')).toBe('rawReconstructionHeading');
    expect(section.querySelector('h3')!.textContent).toBe('rawReconstructionHeading');
    expect(rawLines()).toEqual(['event: up␊', 'id: 3␊', 'data: a␊', 'data: b␊', '␊']);
  });

  it('renders hostile raw text as text', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const store = fetchStore(`: ${evil}\n${evil}: ${evil}\ndata: ${evil}\n\n`);
    mountRaw(store, firstEvent(store));
    expect(container.querySelector('img')).toBeNull();
    expect(rawLines()).toEqual([`: ${evil}␊`, `${evil}: ${evil}␊`, `data: ${evil}␊`, '␊']);
  });
});
