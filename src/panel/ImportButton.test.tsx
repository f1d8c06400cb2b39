// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { buildHar } from '../core/har';
import { HarDropZone, ImportButton, readHarFile, type ImportedFile } from './ImportButton';
import { richStore } from '../../test/fixtures/stores';

vi.mock('./i18n', () => import('./i18n.test-double'));

const store = richStore();
const OWN_HAR = JSON.stringify(buildHar(store.connectionList, store.items, { creatorVersion: '0.1.0' }));
const CHROME_HAR = readFileSync(join(import.meta.dirname, '../../test/fixtures/chrome-save-all-with-content.har'), 'utf8');
const NO_SSE_HAR = JSON.stringify({ log: { version: '1.2', creator: { name: 'x', version: '1' }, entries: [] } });

const file = (text: string, name: string, type = '') => new File([text], name, { type });

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.appendChild(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

describe('readHarFile', () => {
  it('imports our own HAR and Chrome HARs', async () => {
    const own = await readHarFile(file(OWN_HAR, 'session.har'));
    expect(own.ok).toBe(true);
    if (!own.ok) return;
    expect(own.fileName).toBe('session.har');
    expect(own.summary).toMatchObject({ ownFormat: true, streams: 5 });
    expect(own.store.connections.size).toBe(5);
    const chrome = await readHarFile(file(CHROME_HAR, 'localhost.har'));
    expect(chrome.ok && chrome.summary).toMatchObject({ ownFormat: false, streams: 3, skipped: 2 });
  });

  it('turns each failure into a translated message naming the file', async () => {
    const message = async (text: string, name = 'x.har', maxBytes?: number) => {
      const result = await readHarFile(file(text, name), maxBytes);
      expect(result.ok).toBe(false);
      return result.ok ? '' : result.message;
    };
    expect(await message('{oops', 'broken.har')).toMatch(/^importErrorNotJson\(broken\.har\|.+\)$/);
    expect(await message('{"a":1}')).toBe('importErrorNotHar(x.har)');
    expect(await message(NO_SSE_HAR)).toBe('importErrorNoSse(x.har|0)');
    expect(await message('{"log":{"entries":[1]}}')).toBe('importErrorBadField(x.har|log.entries[0]: an object)');
    expect(await message(OWN_HAR, 'big.har', 1000)).toBe('importErrorTooLarge(big.har|1 MB)');
  });

  it('refuses a file over the limit before reading it', async () => {
    const big = file('x', 'huge.har');
    Object.defineProperty(big, 'size', { value: 600 * 1024 * 1024 });
    const text = vi.spyOn(big, 'text');
    expect(await readHarFile(big)).toEqual({ ok: false, message: 'importErrorTooLarge(huge.har|512 MB)' });
    expect(text).not.toHaveBeenCalled();
  });

  it('says when the browser cannot read the file', async () => {
    const unreadable = file('x', 'gone.har');
    vi.spyOn(unreadable, 'text').mockRejectedValue(new DOMException('The file was removed', 'NotReadableError'));
    expect(await readHarFile(unreadable)).toEqual({ ok: false, message: 'importErrorRead(gone.har|The file was removed)' });
  });
});

describe('ImportButton', () => {
  function setup(maxBytes?: number) {
    const onImport = vi.fn<(file: ImportedFile) => void>();
    act(() => render(<ImportButton onImport={onImport} maxBytes={maxBytes} />, container));
    const button = container.querySelector<HTMLButtonElement>('button')!;
    const input = container.querySelector<HTMLInputElement>('input[type="file"]')!;
    const choose = (chosen: File) =>
      act(() => {
        Object.defineProperty(input, 'files', { value: [chosen], configurable: true });
        input.dispatchEvent(new Event('change', { bubbles: true }));
      });
    return { onImport, button, input, choose };
  }

  it('is a labelled button that opens a file picker for .har files', () => {
    const { button, input } = setup();
    expect(button.textContent).toBe('importHar');
    expect(button.title).toBe('importHarTitle');
    expect(input.accept).toBe('.har,.json,application/json');
    expect(input.hidden).toBe(true);
    const picker = vi.spyOn(input, 'click');
    act(() => button.click());
    expect(picker).toHaveBeenCalledOnce();
  });

  it('hands over the records of a chosen HAR', async () => {
    const { onImport, choose, button } = setup();
    await choose(file(OWN_HAR, 'session.har'));
    expect(container.querySelector('[role="status"]')!.textContent).toBe('importReading(session.har)');
    expect(button.disabled).toBe(true);
    await vi.waitFor(() => expect(onImport).toHaveBeenCalledOnce());
    const imported = onImport.mock.calls[0]![0];
    expect(imported.fileName).toBe('session.har');
    expect(imported.summary.streams).toBe(5);
    expect(imported.store.items.length).toBeGreaterThan(20);
    await vi.waitFor(() => expect(button.disabled).toBe(false));
    expect(container.querySelector('[role="status"]')!.textContent).toBe('');
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });

  it('shows why a file could not be imported, until dismissed', async () => {
    const { onImport, choose } = setup();
    await choose(file('not json at all', 'notes.har'));
    await vi.waitFor(() => expect(container.querySelector('[role="alert"]')).not.toBeNull());
    const alert = container.querySelector('[role="alert"]')!;
    expect(alert.querySelector('.import-error-text')!.textContent).toMatch(/^importErrorNotJson\(notes\.har\|/);
    expect(onImport).not.toHaveBeenCalled();
    act(() => alert.querySelector<HTMLButtonElement>('button')!.click());
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });

  it('a new import clears the previous error', async () => {
    const { onImport, choose } = setup();
    await choose(file(NO_SSE_HAR, 'empty.har'));
    await vi.waitFor(() =>
      expect(container.querySelector('[role="alert"]')!.textContent).toContain('importErrorNoSse(empty.har|0)'),
    );
    await choose(file(CHROME_HAR, 'chrome.har'));
    await vi.waitFor(() => expect(onImport).toHaveBeenCalledOnce());
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });
});

describe('HarDropZone', () => {
  function setup() {
    const onImport = vi.fn<(file: ImportedFile) => void>();
    act(() =>
      render(
        <HarDropZone onImport={onImport} class="panel">
          <p id="content">panel content</p>
        </HarDropZone>,
        container,
      ),
    );
    const zone = container.querySelector<HTMLElement>('.har-drop-zone')!;
    return { onImport, zone };
  }

  function drag(target: Element, type: string, types: string[], files: File[] = []) {
    const event = new Event(type, { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', { value: { types, files, dropEffect: 'none' } });
    act(() => {
      target.dispatchEvent(event);
    });
    return event;
  }

  it('wraps the panel and shows a hint while a file is dragged over it', () => {
    const { zone } = setup();
    expect(zone.classList.contains('panel')).toBe(true);
    expect(zone.querySelector('#content')).not.toBeNull();
    const inner = zone.querySelector('#content')!;
    expect(drag(zone, 'dragenter', ['Files']).defaultPrevented).toBe(true);
    drag(inner, 'dragenter', ['Files']);
    expect(zone.querySelector('.har-drop-hint')!.textContent).toBe('importDropHint');
    expect(zone.classList.contains('dragging')).toBe(true);
    expect(drag(inner, 'dragover', ['Files']).defaultPrevented).toBe(true);
    drag(inner, 'dragleave', ['Files']);
    expect(zone.querySelector('.har-drop-hint')).not.toBeNull(); // still over the zone
    drag(zone, 'dragleave', ['Files']);
    expect(zone.querySelector('.har-drop-hint')).toBeNull();
  });

  it('ignores drags of anything but files (text, links)', () => {
    const { zone } = setup();
    expect(drag(zone, 'dragenter', ['text/plain']).defaultPrevented).toBe(false);
    expect(drag(zone, 'dragover', ['text/plain']).defaultPrevented).toBe(false);
    expect(zone.querySelector('.har-drop-hint')).toBeNull();
  });

  it('imports a dropped .har file', async () => {
    const { onImport, zone } = setup();
    drag(zone, 'dragenter', ['Files']);
    const drop = drag(zone, 'drop', ['Files'], [file('x', 'photo.png', 'image/png'), file(CHROME_HAR, 'Chrome.HAR')]);
    expect(drop.defaultPrevented).toBe(true);
    expect(zone.querySelector('.har-drop-hint')).toBeNull();
    await vi.waitFor(() => expect(onImport).toHaveBeenCalledOnce());
    expect(onImport.mock.calls[0]![0].fileName).toBe('Chrome.HAR');
  });

  it('says so when the dropped file is not a HAR, or cannot be imported', async () => {
    const { onImport, zone } = setup();
    drag(zone, 'drop', ['Files'], [file('x', 'photo.png', 'image/png')]);
    expect(container.querySelector('[role="alert"]')!.textContent).toContain('importErrorNotHarFile(photo.png)');
    drag(zone, 'drop', ['Files'], [file('{"log":{"entries":[{"request":1}]}}', 'bad.har')]);
    await vi.waitFor(() =>
      expect(container.querySelector('[role="alert"] .import-error-text')!.textContent).toBe(
        'importErrorBadField(bad.har|log.entries[0].response: an object)',
      ),
    );
    expect(onImport).not.toHaveBeenCalled();
  });
});
