// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { buildHar } from '../core/har';
import { LogStore } from '../core/log-store';
import type { LogConnection } from './log-connection';
import { App } from './App';
import { T0 } from '../../test/fixtures/stores';
import type { StoredRecord } from '../protocol';

vi.mock('./i18n', () => import('./i18n.test-double'));
vi.mock('webextension-polyfill', () => ({ default: {} }));

/** A HAR of our own with one fetch stream to `url`, carrying `events` events. */
function harOf(url: string, events: number): string {
  const store = new LogStore();
  const records: StoredRecord[] = [
    {
      type: 'stream-open',
      stream: url,
      kind: 'fetch',
      url,
      method: 'GET',
      requestHeaders: [],
      frameUrl: 'https://x.test/',
      time: T0,
      frameId: 0,
      seq: 0,
    },
    {
      type: 'stream-chunk',
      stream: url,
      text: 'data: x\n\n'.repeat(events),
      bytes: 9 * events,
      time: T0 + 5,
      frameId: 0,
      seq: 1,
    },
  ];
  store.apply(records);
  return JSON.stringify(buildHar(store.connectionList, store.items, { creatorVersion: '0.1.0' }));
}

/** A viewer panel (no live tab): what App reads of its link. */
function viewerLink(): LogConnection {
  return {
    store: new LogStore(),
    live: false,
    preserve: false,
    statuses: new Map(),
    answers: new Map(),
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

async function importFile(text: string, name: string) {
  const input = container.querySelector<HTMLInputElement>('.import-har input[type="file"]')!;
  await act(() => {
    Object.defineProperty(input, 'files', { value: [new File([text], name)], configurable: true });
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await vi.waitFor(() => expect(container.querySelector('[role="status"].banner')?.textContent ?? '').toContain(name));
}

describe('App', () => {
  it('a second imported HAR shows its own connections, not the first file’s', async () => {
    const link = viewerLink();
    act(() => render(<App link={link} version={0} pageUrl={async () => 'about:blank'} />, container));
    await importFile(harOf('https://one.test/first-stream', 2), 'first.har');
    expect(container.textContent).toContain('first-stream');
    await importFile(harOf('https://two.test/second-stream', 3), 'second.har');
    expect(container.textContent).toContain('second-stream');
    expect(container.textContent).not.toContain('first-stream');
    expect(container.textContent).toContain('summary(connectionCountOne(1)|eventCountMany(3))');
  });

  it('an import that fails says why, and leaves the log in view as it was', async () => {
    const link = viewerLink();
    act(() => render(<App link={link} version={0} pageUrl={async () => 'about:blank'} />, container));
    await importFile(harOf('https://one.test/kept-stream', 2), 'kept.har');
    const input = container.querySelector<HTMLInputElement>('.import-har input[type="file"]')!;
    await act(() => {
      Object.defineProperty(input, 'files', {
        value: [new File(['{"log":{"entries":[{"request":1}]}}'], 'bad.har')],
        configurable: true,
      });
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await vi.waitFor(() =>
      expect(container.querySelector('[role="alert"]')?.textContent).toContain('importErrorBadField(bad.har|'),
    );
    expect(container.textContent).toContain('kept-stream');
    expect(container.querySelector('[role="status"].banner')!.textContent).toContain('kept.har');
    expect(container.querySelector<HTMLButtonElement>('.import-har button')!.disabled).toBe(false);
  });

  it('the selected connection has tabs: Events, Timeline, Conversation, Request, Replay', async () => {
    const link = viewerLink();
    act(() => render(<App link={link} version={0} pageUrl={async () => 'about:blank'} />, container));
    await importFile(harOf('https://one.test/v1/chat', 2), 'chat.har');
    const tabs = () => [...container.querySelectorAll<HTMLElement>('[role=tab][data-tab]')];
    expect(tabs().map((tab) => tab.dataset.tab)).toEqual(['events', 'timeline', 'conversation', 'request', 'replay']);
    expect(container.querySelector('[role=tabpanel] .events')).not.toBeNull();
    // Replay is out of the main flow: only in its tab.
    expect(container.querySelector('.replay')).toBeNull();
    const open = (id: string) =>
      act(() =>
        tabs()
          .find((tab) => tab.dataset.tab === id)!
          .click(),
      );
    await open('request');
    expect(container.querySelector('[role=tabpanel]')!.textContent).toBe('requestSelectOne');
    await open('replay');
    expect(container.querySelector('[role=tabpanel]')!.textContent).toBe('replaySelectOne');
    await act(() => container.querySelector<HTMLElement>('tr[data-connection-id]')!.click());
    expect(container.querySelector('.replay')).not.toBeNull();
    await open('request');
    expect(container.querySelector('.request-url')!.textContent).toBe('https://one.test/v1/chat');
    await open('conversation');
    // The conversation view mounts here (ConversationTab.tsx); its content is its own business.
    expect(container.querySelector('[role=tabpanel]')!.id).toBe('conn-panel-conversation');
    await open('timeline');
    expect(container.querySelector('.timeline')).not.toBeNull();
  });

  it('the URL is shown path first, full on hover', async () => {
    const link = viewerLink();
    act(() => render(<App link={link} version={0} pageUrl={async () => 'about:blank'} />, container));
    await importFile(harOf('https://api.example.com/v1/chat/completions?stream=true', 1), 'x.har');
    const row = container.querySelector<HTMLElement>('tr[data-connection-id]')!;
    expect(row.title).toContain('https://api.example.com/v1/chat/completions?stream=true');
    expect(row.querySelector('.url-head')!.textContent).toBe('/v1/chat/');
    expect(row.querySelector('.url-tail')!.textContent).toBe('completions?stream=true');
    expect(row.querySelector('.url-path')!.textContent).toBe('/v1/chat/completions?stream=true');
  });
});
