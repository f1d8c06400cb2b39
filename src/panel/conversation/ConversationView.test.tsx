// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { LogStore } from '../../core/log-store';
import { loadFixture } from '../../core/ai/fixtures/load';
import { fixtureRecords, lineChunks, stored } from '../../core/ai/test-support';
import { AiStreamAssembler } from '../../core/ai/assembler';
import { ConversationView, type ConversationViewProps, type MockRequest } from './ConversationView';

vi.mock('../i18n', () => import('../i18n.test-double'));

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.appendChild(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

function show(store: LogStore, ids: string[], extra: Partial<ConversationViewProps> = {}) {
  const save = vi.fn<(name: string, text: string, mime: string) => void>();
  const props = { store, version: store.version, connectionIds: ids, save, storage: memoryStorage(), ...extra };
  act(() => render(<ConversationView {...props} />, container));
  return { save, rerender: () => act(() => render(<ConversationView {...props} version={store.version} />, container)) };
}

function storeWith(...fixtures: [id: string, name: string][]) {
  const store = new LogStore();
  for (const [id, name] of fixtures) {
    const fixture = loadFixture(name);
    for (const batch of fixtureRecords(id, fixture, lineChunks(fixture.body))) store.apply(batch);
  }
  return store;
}

const card = (id: string) => container.querySelector<HTMLElement>(`[data-connection="${id}"]`)!;
const text = (element: Element | null) => element?.textContent ?? '';

describe('ConversationView', () => {
  it('nothing selected: the comparison table and a hint', () => {
    const store = storeWith(['a', 'openai-chat-text'], ['b', 'anthropic-text']);
    show(store, []);
    expect(text(container)).toContain('convEmpty');
    const rows = [...container.querySelectorAll('.conv-compare tbody tr')].map((row) =>
      [...row.querySelectorAll('td')].map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['/v1/chat/completions', 'gpt-4o-mini-2024-07-18', '140 ms', '225', '9', 'stop'],
      ['/v1/messages', 'claude-sonnet-4-5-20250929', '220 ms', '700', '21', 'end_turn'],
    ]);
  });

  it('a reply: text, reasoning collapsed, tool call pretty-printed, finish, usage, timing', () => {
    const store = storeWith(['t', 'anthropic-thinking-tools']);
    show(store, ['t']);
    const c = card('t');
    expect(c.dataset.protocol).toBe('anthropic');
    expect(text(c.querySelector('.conv-title'))).toContain('claude-opus-4-1-20250805');
    const reasoning = c.querySelector<HTMLDetailsElement>('details.conv-reasoning')!;
    expect(reasoning.open).toBe(false);
    expect(text(reasoning)).toContain('ACM was wrong; try ACME.');
    expect(text(c.querySelector('.conv-reply-text'))).toBe('Let me look up ACME.');
    expect(text(c.querySelector('.conv-tool .conv-code'))).toBe('{\n  "ticker": "ACME"\n}');
    expect(text(c.querySelector('.conv-tool'))).not.toContain('convArgsInvalid');
    expect(text(c)).toContain('tool_use');
    expect(text(c.querySelector('[data-metric="ttft"]'))).toBe('190 ms (90 ms convTtftHeaders)');
    expect(text(c.querySelector('[data-metric="tokens"]'))).toBe('89 ');
    expect(text(c)).toContain('convUsageInput');
    // The prompt is there, collapsed.
    expect(c.querySelector<HTMLDetailsElement>('details.conv-prompt')!.open).toBe(false);
    expect(text(c.querySelector('details.conv-prompt'))).toContain('How is ACME doing?');
  });

  it('live: the reply grows as chunks arrive, then the stream completes', () => {
    const fixture = loadFixture('openai-chat-text');
    const store = new LogStore();
    const batches = fixtureRecords('live', fixture, lineChunks(fixture.body));
    store.apply(batches[0]!);
    const view = show(store, ['live']);
    const seen: string[] = [];
    for (const batch of batches.slice(1)) {
      store.apply(batch);
      view.rerender();
      seen.push(text(container.querySelector('.conv-reply-text')));
    }
    expect([...new Set(seen)]).toEqual(['', 'Red', 'Red, yellow', 'Red, yellow and blue — 红黄蓝.']);
    expect(text(card('live').querySelector('.conv-status'))).toBe('convStatusDone');
    expect(container.querySelector('.conv-cursor')).toBeNull();
  });

  it('a cut stream: flagged arguments, warnings, status', () => {
    const store = storeWith(['cut', 'openai-chat-cut']);
    show(store, ['cut']);
    const c = card('cut');
    expect(text(c.querySelector('.conv-status'))).toBe('convStatusIncomplete');
    expect(c.querySelector('.conv-tool.conv-invalid')).not.toBeNull();
    expect(text(c.querySelector('.conv-tool'))).toContain('convArgsInvalid');
    // Shown as the model wrote them, not pretty-printed.
    expect(text(c.querySelector('.conv-invalid .conv-code'))).toBe('{"people": 2, "time": "19:');
    expect([...c.querySelectorAll('.conv-warnings li .conv-tag')].map((e) => e.textContent)).toEqual([
      'convWarnBlockIndex',
      'convWarnUnparsable',
      'convWarnMissingTerminator',
    ]);
    expect(text(c.querySelector('[data-metric="tokens"]'))).toContain('convEstimated');
  });

  it('not SSE: labelled; errors listed; several replies apart', () => {
    const store = storeWith(['nd', 'ollama-chat'], ['err', 'anthropic-error'], ['n2', 'openai-chat-n2-refusal']);
    show(store, ['nd', 'err', 'n2']);
    expect(text(card('nd'))).toContain('convNotSse');
    expect(text(card('err').querySelector('.conv-errors'))).toContain('overloaded_error: Overloaded');
    expect([...card('n2').querySelectorAll('.conv-reply')].map((r) => r.getAttribute('aria-label'))).toEqual([
      'convReplyN(0)',
      'convReplyN(1)',
    ]);
    expect(text(card('n2').querySelector('.conv-refusal'))).toContain("I'm sorry, I can't help with that.");
  });

  it('MCP: the JSON-RPC table with method, outcome and time', () => {
    const store = storeWith(['m', 'mcp-streamable']);
    show(store, ['m']);
    const rows = [...card('m').querySelectorAll('.conv-mcp tbody tr')].map((row) =>
      [...row.querySelectorAll('td')].map((td) => td.querySelector('summary')?.textContent ?? td.textContent),
    );
    expect(rows).toEqual([
      ['client', '7', 'tools/call', 'convMcpResult', '220 ms'],
      ['server', '', 'notifications/progress', 'convMcpNotification', '—'],
      ['server', 'srv-1', 'sampling/createMessage', 'convMcpPending', '—'],
    ]);
  });

  it('exports Markdown and JSON', () => {
    const store = storeWith(['x', 'openai-chat-tools']);
    const { save } = show(store, ['x']);
    const [markdown, json] = [...card('x').querySelectorAll<HTMLButtonElement>('.conv-actions button')];
    act(() => markdown!.click());
    act(() => json!.click());
    expect(save).toHaveBeenCalledTimes(2);
    const [mdName, mdText, mdType] = save.mock.calls[0]!;
    expect(mdName).toMatch(/^conversation-api\.openai\.com-.*\.md$/);
    expect(mdType).toBe('text/markdown');
    expect(mdText).toContain('**Tool call** `get_weather` (call_inv_paris)');
    const [jsonName, jsonText] = save.mock.calls[1]!;
    expect(jsonName).toMatch(/\.json$/);
    expect(JSON.parse(jsonText)).toMatchObject({ protocol: 'openai-chat', usage: { cachedInput: 64 } });
  });

  it('a stream that is no known protocol: a JSON path assembles it, and is remembered for the URL', () => {
    const store = storeWith(['j', 'json-path']);
    const storage = memoryStorage();
    show(store, ['j'], { storage });
    const c = () => card('j');
    expect(text(c())).toContain('convNotDetected');
    const input = c().querySelector<HTMLInputElement>('.conv-json-path input')!;
    act(() => {
      input.value = 'token.text';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => {
      c()
        .querySelector<HTMLFormElement>('form')!
        .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    expect(c().dataset.protocol).toBe('json-path');
    expect(text(c().querySelector('.conv-reply-text'))).toBe('Hello there!');
    expect(storage.getItem('sse-devtools:ai-json-paths')).toContain('token.text');
  });

  it('mock with an edited reply: edited text and arguments, an injected stall, the same protocol back', () => {
    const store = storeWith(['m', 'anthropic-thinking-tools']);
    const onMock = vi.fn<(request: MockRequest) => void>();
    show(store, ['m'], { onMock });
    const details = card('m').querySelector<HTMLDetailsElement>('details.conv-mock')!;
    act(() => {
      details.open = true;
      details.dispatchEvent(new Event('toggle'));
    });
    const [text, reasoning, args] = [...details.querySelectorAll<HTMLTextAreaElement>('textarea')];
    expect(text!.value).toBe('Let me look up ACME.');
    expect(reasoning!.value).toBe('ACM was wrong; try ACME.');
    expect(args!.value).toBe('{"ticker": "ACME"}');
    const type = (element: HTMLInputElement | HTMLTextAreaElement, value: string) =>
      act(() => {
        element.value = value;
        element.dispatchEvent(new Event('input', { bubbles: true }));
      });
    type(text!, 'What if it said this?');
    type(details.querySelectorAll<HTMLTextAreaElement>('textarea')[2]!, '{"ticker": "EVIL"}');
    const [stallAfter] = [...details.querySelectorAll<HTMLInputElement>('input[type="number"]')];
    type(stallAfter!, '1');
    act(() => details.querySelector<HTMLButtonElement>('.conv-mock-row button')!.click());
    expect(onMock).toHaveBeenCalledTimes(1);
    const { pattern, recording, connection } = onMock.mock.calls[0]![0];
    expect(connection.id).toBe('m');
    expect(pattern).toBe('/v1/messages');
    expect(text!.closest('details')!.textContent).toContain('convMockSent(/v1/messages)');
    const replay = new AiStreamAssembler({ method: 'POST', url: '/', headers: [], time: 0 });
    replay.response({
      status: recording.status,
      headers: recording.headers,
      contentType: 'text/event-stream',
      time: recording.responseAt,
    });
    for (const chunk of recording.chunks) replay.body(chunk.text, chunk.at);
    replay.end(recording.endAt + 1);
    const reply = replay.conversation.replies[0]!;
    expect(replay.conversation.protocol).toBe('anthropic');
    expect(reply.text).toBe('What if it said this?');
    expect(reply.toolCalls[0]!.arguments).toBe('{"ticker": "EVIL"}');
    expect(replay.summary().stalls.map((s) => s.duration)).toContainEqual(expect.any(Number));
    expect(replay.summary().stalls[0]!.duration).toBeGreaterThanOrEqual(3000);
  });

  it('no mock editor without onMock, nor while the stream is still open', () => {
    const store = storeWith(['a', 'openai-chat-text']);
    show(store, ['a']);
    expect(card('a').querySelector('.conv-mock')).toBeNull();
  });

  it('page text is rendered as text, never as markup', () => {
    const store = new LogStore();
    const fixture = loadFixture('openai-chat-text');
    const [open] = fixtureRecords('h', fixture, []);
    store.apply(open!);
    const evil = '<img src=x onerror="window.__pwned=1">';
    const chunk = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: evil, tool_calls: [{ index: 0, id: evil, function: { name: evil, arguments: evil } }] } }] })}\n\n`;
    store.apply([stored({ type: 'stream-chunk', stream: 'h', text: chunk, bytes: chunk.length, time: 1200 })]);
    show(store, ['h']);
    expect(container.querySelector('img')).toBeNull();
    expect(text(container.querySelector('.conv-reply-text'))).toBe(evil);
  });
});
