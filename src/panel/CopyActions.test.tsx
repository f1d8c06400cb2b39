// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { toCurl, toFetch } from '../core/export-formats';
import { REDACTED } from '../core/har';
import type { SseItem } from '../core/sse-types';
import { COPY_STATUS_MS, CopyItemData, CopyRequestActions } from './CopyActions';
import { richStore, SECRETS } from '../../test/fixtures/stores';

vi.mock('./i18n', () => import('./i18n.test-double'));

let container: HTMLElement;
let writeText: ReturnType<typeof vi.fn<(text: string) => Promise<void>>>;
let execCommand: ReturnType<typeof vi.fn<(command: string) => boolean>>;
let copiedByFallback: string[];

beforeEach(() => {
  container = document.createElement('div');
  document.body.appendChild(container);
  writeText = vi.fn<(text: string) => Promise<void>>(async () => {});
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  copiedByFallback = [];
  execCommand = vi.fn<(command: string) => boolean>((command) => {
    const area = document.querySelector('textarea');
    if (command === 'copy' && area) copiedByFallback.push(area.value);
    return command === 'copy' && area !== null;
  });
  Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true });
});
afterEach(() => {
  render(null, container);
  container.remove();
  vi.useRealTimers();
});

const status = () => container.querySelector('[role="status"]')!.textContent;
const buttons = () => [...container.querySelectorAll<HTMLButtonElement>('button')];
const click = async (button: HTMLButtonElement) => {
  await act(async () => {
    button.click();
  });
};

describe('CopyItemData', () => {
  const event: SseItem = { kind: 'event', type: 'delta', data: '{"t":"你好"}\nline 2', lastEventId: '7', time: 0 };

  it('copies the event data and says so, then the status goes', async () => {
    vi.useFakeTimers();
    act(() => render(<CopyItemData item={event} />, container));
    expect(buttons().map((b) => b.textContent)).toEqual(['copyData']);
    expect(status()).toBe('');
    await click(buttons()[0]!);
    expect(writeText).toHaveBeenCalledWith('{"t":"你好"}\nline 2');
    expect(status()).toBe('copied');
    await act(async () => {
      vi.advanceTimersByTime(COPY_STATUS_MS);
    });
    expect(status()).toBe('');
  });

  it('copies what other items hold', async () => {
    act(() => render(<CopyItemData item={{ kind: 'retry', milliseconds: 2500, time: 0 }} />, container));
    await click(buttons()[0]!);
    expect(writeText).toHaveBeenLastCalledWith('2500');
    act(() => render(<CopyItemData item={{ kind: 'comment', text: ' keep-alive', time: 0 }} />, container));
    await click(buttons()[0]!);
    expect(writeText).toHaveBeenLastCalledWith(' keep-alive');
  });

  it('falls back to a hidden textarea and execCommand("copy") when the clipboard API refuses', async () => {
    writeText.mockRejectedValue(new DOMException('denied', 'NotAllowedError'));
    act(() => render(<CopyItemData item={event} />, container));
    await click(buttons()[0]!);
    expect(execCommand).toHaveBeenCalledWith('copy');
    expect(copiedByFallback).toEqual(['{"t":"你好"}\nline 2']);
    expect(document.querySelector('textarea')).toBeNull(); // cleaned up
    expect(status()).toBe('copied');
  });

  it('says when copying failed both ways', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    execCommand.mockReturnValue(false);
    act(() => render(<CopyItemData item={event} />, container));
    await click(buttons()[0]!);
    expect(status()).toBe('copyFailed');
    expect(container.querySelector('.copy-status.failed')).not.toBeNull();
  });
});

describe('CopyRequestActions', () => {
  const store = richStore();
  const f1 = store.connections.get('f-1')!;

  it('copies the request as cURL and as fetch, redacted by default, and says why in the tooltip', async () => {
    act(() => render(<CopyRequestActions connection={f1} />, container));
    const [curl, fetch] = buttons();
    expect([curl!.textContent, fetch!.textContent]).toEqual(['copyAsCurl', 'copyAsFetch']);
    expect(curl!.title).toBe('copyRedactedNote');
    await click(curl!);
    expect(writeText).toHaveBeenLastCalledWith(toCurl(f1));
    expect(writeText.mock.lastCall![0]).toContain(REDACTED);
    expect(status()).toBe('copied');
    await click(fetch!);
    expect(writeText).toHaveBeenLastCalledWith(toFetch(f1));
    for (const secret of Object.values(SECRETS)) expect(writeText.mock.calls.flat().join('\n')).not.toContain(secret);
  });

  it('with "Include sensitive data", copies the secrets too', async () => {
    act(() => render(<CopyRequestActions connection={f1} includeSensitive />, container));
    expect(buttons()[0]!.title).toBe('');
    await click(buttons()[0]!);
    expect(writeText.mock.lastCall![0]).toContain(SECRETS.authorization);
    await click(buttons()[1]!);
    expect(writeText.mock.lastCall![0]).toContain(SECRETS.authorization);
  });

  it('no tooltip when nothing was redacted', () => {
    act(() => render(<CopyRequestActions connection={store.connections.get('es-1')!} />, container));
    // the EventSource URL has a "secret" parameter: redacted
    expect(buttons()[0]!.title).toBe('copyRedactedNote');
    act(() => render(<CopyRequestActions connection={store.connections.get('ghost')!} />, container));
    expect(buttons()[0]!.title).toBe('');
  });
});
