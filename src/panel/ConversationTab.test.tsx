// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { LogStore } from '../core/log-store';
import { loadFixture } from '../core/ai/fixtures/load';
import { fixtureRecords, lineChunks } from '../core/ai/test-support';
import type { PageCommand, PageStatus } from '../protocol';
import { ConversationTab, type ConversationTabProps } from './ConversationTab';

vi.mock('./i18n', () => import('./i18n.test-double'));

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.appendChild(container);
  localStorage.clear();
});
afterEach(() => {
  render(null, container);
  container.remove();
});

function storeWith(id: string, name: string, kind: 'fetch' | 'xhr' = 'fetch') {
  const store = new LogStore();
  const fixture = loadFixture(name);
  for (const batch of fixtureRecords(id, fixture, lineChunks(fixture.body), kind)) store.apply(batch);
  return store;
}

function fakeLink(live = true) {
  const sent: { frameId: number; command: PageCommand }[] = [];
  return {
    live,
    sent,
    statuses: new Map<string, PageStatus>(),
    answers: new Map<string, PageStatus>(),
    command(frameId: number, command: PageCommand) {
      sent.push({ frameId, command });
    },
  };
}

function show(props: ConversationTabProps) {
  act(() => render(<ConversationTab {...props} />, container));
}

function armMock() {
  const details = container.querySelector<HTMLDetailsElement>('details.conv-mock')!;
  act(() => {
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
  });
  act(() => details.querySelector<HTMLButtonElement>('.conv-mock-row button')!.click());
}

describe('ConversationTab', () => {
  it('mounts the conversation view on the selection', () => {
    const store = storeWith('a', 'openai-chat-text');
    show({ connection: undefined, items: [], store, selectedIds: new Set(['a']) });
    expect(container.querySelector('[data-connection="a"]')).not.toBeNull();
    expect(container.querySelector('.conv-mock')).toBeNull(); // no link: no mock offered
  });

  it('nothing selected: the comparison table; a click in it selects the stream', () => {
    const store = storeWith('a', 'openai-chat-text');
    const onSelect = vi.fn();
    show({ connection: undefined, items: [], store, selectedIds: null, onSelect });
    expect(container.querySelector('[data-connection]')).toBeNull();
    const row = container.querySelector<HTMLElement>('.conv-compare tbody tr')!;
    act(() => (row.querySelector('button') ?? row).click());
    expect(onSelect).toHaveBeenCalledWith('a');
  });

  it('an edited reply is sent as a mock command for the stream frame, with its status and a disarm button', () => {
    const store = storeWith('m', 'anthropic-thinking-tools');
    const link = fakeLink();
    const props = { connection: store.connections.get('m'), items: [], store, selectedIds: new Set(['m']), link };
    show(props);
    armMock();
    expect(link.sent).toHaveLength(1);
    const [{ frameId, command }] = link.sent as [{ frameId: number; command: PageCommand }];
    expect(frameId).toBe(0);
    expect(command.type).toBe('mock');
    if (command.type !== 'mock') return;
    expect(command.pattern).toBe('/v1/messages');
    expect(command.recording.chunks.length).toBeGreaterThan(0);
    const status = () => container.querySelector('.conv-mock-status .mock-status')!;
    expect(status().textContent).toBe('mockArming');

    link.statuses.set(command.id, { id: command.id, state: 'armed', time: 1 } as PageStatus);
    show(props);
    expect(status().getAttribute('data-state')).toBe('armed');
    expect(status().textContent).toBe('mockArmed(/v1/messages)');

    const answered = {
      id: command.id,
      state: 'answered',
      kind: 'fetch',
      url: 'http://x.test/v1/messages',
      time: 2,
    } as PageStatus;
    link.statuses.set(command.id, answered);
    link.answers.set(command.id, answered);
    show(props);
    expect(status().getAttribute('data-state')).toBe('answered');
    expect(status().textContent).toContain('mockAnswered(fetch|http://x.test/v1/messages|');

    act(() => container.querySelector<HTMLButtonElement>('.conv-mock-status .mock-disarm')!.click());
    expect(link.sent.at(-1)!.command).toEqual({ type: 'stop', id: command.id });

    // Arming again stops the pending mock first.
    armMock();
    expect(link.sent.slice(-2).map((s) => s.command.type)).toEqual(['stop', 'mock']);
  });

  it('NDJSON (Ollama) and the Vercel data stream: lines in the store, assembled in the view', () => {
    for (const [id, name] of [
      ['o', 'ollama-chat'],
      ['v', 'vercel-data'],
    ] as const) {
      const store = storeWith(id, name);
      expect(store.connections.get(id)!.framing).toBe('lines');
      show({ connection: undefined, items: [], store, selectedIds: new Set([id]) });
      const reply = container.querySelector(`[data-connection="${id}"] .conv-reply-text`);
      expect(reply?.textContent, name).not.toBe('');
      expect(reply, name).not.toBeNull();
    }
  });

  it('no mock without a live page', () => {
    const store = storeWith('m', 'anthropic-thinking-tools');
    show({ connection: undefined, items: [], store, selectedIds: new Set(['m']), link: fakeLink(false) });
    expect(container.querySelector('.conv-mock')).toBeNull();
  });
});
