// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { act } from 'preact/test-utils';
import { Splitter, useSplit } from './Splitter';
import { TabPanel, Tabs } from './Tabs';
import { prettyBody, RequestView } from './RequestView';
import { connectionFixture } from '../../test/fixtures/stores';
import { urlDisplay } from '../core/url-display';

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

const key = (target: Element, name: string) =>
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
  });

describe('Splitter and useSplit', () => {
  function Split({ storageKey = 'test' }: { storageKey?: string }) {
    const [value, setValue] = useSplit(storageKey, 0.4, 0.2, 0.8);
    return <Splitter orientation="vertical" value={value} onChange={setValue} label="resize" min={0.2} max={0.8} />;
  }

  it('is a focusable separator with its value; arrows move it, Home/End go to the limits', async () => {
    act(() => render(<Split />, container));
    const bar = container.querySelector('[role=separator]')!;
    expect(bar.getAttribute('tabindex')).toBe('0');
    expect(bar.getAttribute('aria-label')).toBe('resize');
    expect(bar.getAttribute('aria-orientation')).toBe('vertical');
    expect(bar.getAttribute('aria-valuenow')).toBe('40');
    await key(bar, 'ArrowRight');
    expect(bar.getAttribute('aria-valuenow')).toBe('42');
    await key(bar, 'Home');
    expect(bar.getAttribute('aria-valuenow')).toBe('20');
    await key(bar, 'ArrowLeft');
    expect(bar.getAttribute('aria-valuenow')).toBe('20');
    await key(bar, 'End');
    expect(bar.getAttribute('aria-valuenow')).toBe('80');
  });

  it('is remembered: a new panel opens with the last position', async () => {
    act(() => render(<Split />, container));
    await key(container.querySelector('[role=separator]')!, 'ArrowLeft');
    act(() => render(null, container));
    act(() => render(<Split />, container));
    expect(container.querySelector('[role=separator]')!.getAttribute('aria-valuenow')).toBe('38');
    // Another layout keeps its own.
    act(() => render(<Split storageKey="other" />, container));
    expect(container.querySelector('[role=separator]')!.getAttribute('aria-valuenow')).toBe('40');
  });
});

describe('Tabs', () => {
  function Strip() {
    const [tab, setTab] = useState<'a' | 'b' | 'c'>('a');
    return (
      <>
        <Tabs<'a' | 'b' | 'c'>
          idPrefix="t"
          label="views"
          tabs={[
            { id: 'a', label: 'A', badge: '3' },
            { id: 'b', label: 'B' },
            { id: 'c', label: 'C' },
          ]}
          selected={tab}
          onSelect={setTab}
        />
        <TabPanel idPrefix="t" id={tab}>
          panel {tab}
        </TabPanel>
      </>
    );
  }

  it('one tab stop; arrows and Home/End select; the panel is labelled by its tab', async () => {
    act(() => render(<Strip />, container));
    const tabs = () => [...container.querySelectorAll<HTMLElement>('[role=tab]')];
    expect(container.querySelector('[role=tablist]')!.getAttribute('aria-label')).toBe('views');
    expect(tabs().map((tab) => tab.tabIndex)).toEqual([0, -1, -1]);
    expect(tabs()[0]!.textContent).toBe('A3');
    await key(tabs()[0]!, 'ArrowRight');
    expect(tabs().map((tab) => tab.getAttribute('aria-selected'))).toEqual(['false', 'true', 'false']);
    const panel = container.querySelector('[role=tabpanel]')!;
    expect(panel.textContent).toBe('panel b');
    expect(panel.getAttribute('aria-labelledby')).toBe('t-tab-b');
    expect(tabs()[1]!.getAttribute('aria-controls')).toBe(panel.id);
    await key(tabs()[1]!, 'End');
    expect(container.querySelector('[role=tabpanel]')!.textContent).toBe('panel c');
    await key(tabs()[2]!, 'ArrowRight'); // wraps
    expect(container.querySelector('[role=tabpanel]')!.textContent).toBe('panel a');
    act(() => tabs()[2]!.click());
    expect(container.querySelector('[role=tabpanel]')!.textContent).toBe('panel c');
  });
});

describe('RequestView', () => {
  const T = Date.UTC(2026, 2, 2, 9, 30);
  const connection = connectionFixture('c1', T, {
    kind: 'fetch',
    url: 'https://api.example.com/v1/chat?stream=true',
    method: 'POST',
    requestHeaders: [
      { name: 'accept', value: 'text/event-stream' },
      { name: 'content-type', value: 'application/json' },
    ],
    requestBody: { mimeType: 'application/json', text: '{"prompt":"héllo","n":1}' },
    response: {
      status: 200,
      statusText: 'OK',
      headers: [{ name: 'content-type', value: 'text/event-stream' }],
      contentType: 'text/event-stream',
      time: T + 120,
    },
    transitions: [
      { state: 'connecting', time: T },
      { state: 'open', time: T + 120 },
      { state: 'closed', reason: 'ended-by-server', time: T + 2500 },
    ],
    state: 'closed',
    endTime: T + 2500,
  });
  const items = [
    {
      id: 0,
      seq: 0,
      connectionId: 'c1',
      item: { kind: 'event' as const, type: 'message', data: 'x', lastEventId: '', time: T + 300 },
    },
  ];

  it('shows URL, method, status, headers, the pretty-printed body and timing', () => {
    act(() => render(<RequestView connection={connection} items={items} includeSensitive={false} now={T + 9999} />, container));
    const text = container.textContent!;
    expect(text).toContain('https://api.example.com/v1/chat?stream=true');
    expect(text).toContain('POST');
    expect(text).toContain('200 OK');
    expect([...container.querySelectorAll('.request-headers dt')].map((dt) => dt.textContent)).toEqual([
      'accept',
      'content-type',
      'content-type',
    ]);
    expect(container.querySelector('.request-body')!.textContent).toBe('{\n  "prompt": "héllo",\n  "n": 1\n}');
    const facts = [...container.querySelectorAll('.request-facts dt')].map((dt) => [
      dt.textContent,
      dt.nextElementSibling?.textContent,
    ]);
    expect(facts).toContainEqual(['timingResponse', '120 ms']);
    expect(facts).toContainEqual(['timingFirstEvent', '300 ms']);
    expect(facts).toContainEqual(['timingDuration', '2.5 s']);
    expect(container.querySelectorAll('.request-states li')).toHaveLength(3);
    expect(container.querySelector('.copy-actions')).not.toBeNull();
  });

  it('a stream still open, without response or body', () => {
    const open = {
      ...connection,
      response: undefined,
      requestBody: undefined,
      endTime: undefined,
      state: 'connecting' as const,
      transitions: [{ state: 'connecting' as const, time: T }],
    };
    act(() => render(<RequestView connection={open} items={[]} includeSensitive={false} now={T + 4000} />, container));
    expect(container.textContent).toContain('requestNoResponse');
    expect(container.textContent).toContain('timingStillOpen(4.0 s)');
    expect(container.querySelector('.request-body')).toBeNull();
  });

  it('prettyBody: JSON indented, anything else as is', () => {
    expect(prettyBody('{"a":[1,2]}', 'text/plain')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(prettyBody('{not json', 'application/json')).toBe('{not json');
    expect(prettyBody('a=1&b=2', 'application/x-www-form-urlencoded')).toBe('a=1&b=2');
  });
});

describe('the URL cell', () => {
  it('path first, split for an ellipsis in the middle', () => {
    expect(urlDisplay('https://api.example.com/v1/chat/completions?stream=true')).toMatchObject({
      head: '/v1/chat/',
      tail: 'completions?stream=true',
    });
  });
});
