/**
 * `event: error` and `event: open` sent in-band are events, not connection changes (Anthropic's API
 * sends `event: error` on overload). Proven against native EventSource in real Chromium: the page
 * sees the same thing with and without the extension, and the panel records them as events with
 * their data while the connection stays open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { capturedByTab, CHROME_PATH, launchWithExtension, tabIdOf, type ExtensionBrowser } from './browser';
import { startServer, type StartedServer } from '../server/sse-server';
import { LogStore } from '../../src/core/log-store';

const STREAM = 'event: error\ndata: {"type":"overloaded_error"}\n\nevent: open\ndata: not a reconnect\n\ndata: after\n\n';

let server: StartedServer;
let plain: Browser;
let extension: ExtensionBrowser;

beforeAll(async () => {
  server = await startServer();
  plain = await chromium.launch({
    executablePath: CHROME_PATH,
    headless: true,
    args: [
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  });
  extension = await launchWithExtension();
});
afterAll(async () => {
  await plain?.close();
  await extension?.close();
  await server?.close();
});

/** What the page's own listeners see. */
function observe(page: Page): Promise<unknown[]> {
  const url = `/test/stream?raw=${Buffer.from(STREAM).toString('base64url')}`;
  return page.evaluate(
    (u) =>
      new Promise<unknown[]>((resolve) => {
        const seen: unknown[] = [];
        const source = new EventSource(u);
        const note = (name: string) => (event: Event) =>
          seen.push([name, event instanceof MessageEvent, event instanceof MessageEvent ? event.data : null, source.readyState]);
        source.addEventListener('error', note('error'));
        source.addEventListener('open', note('open'));
        source.addEventListener('message', (event) => {
          seen.push(['message', true, event.data, source.readyState]);
          source.close();
          resolve(seen);
        });
      }),
    url,
  );
}

describe('in-band error and open events', () => {
  it('the page sees the same with and without the extension; the panel records them as events and the stream stays open', async () => {
    const plainPage = await plain.newPage();
    await plainPage.goto(`${server.url}/test/blank.html`);
    const withoutUs = await observe(plainPage);
    const page = await extension.context.newPage();
    await page.goto(`${server.url}/test/blank.html`);
    const withUs = await observe(page);
    // Native behaviour: the connection's own open (an Event), then the in-band ones as MessageEvents, readyState OPEN.
    expect(withoutUs).toEqual([
      ['open', false, null, 1],
      ['error', true, '{"type":"overloaded_error"}', 1],
      ['open', true, 'not a reconnect', 1],
      ['message', true, 'after', 1],
    ]);
    expect(withUs).toEqual(withoutUs);

    const tabId = await tabIdOf(extension, page);
    const store = new LogStore();
    store.apply((await capturedByTab(extension, [tabId])).get(tabId) ?? []);
    const [connection] = store.connectionList;
    const events = store.items.flatMap(({ item }) => (item.kind === 'event' ? [[item.type, item.data]] : []));
    expect(events).toEqual([
      ['error', '{"type":"overloaded_error"}'],
      ['open', 'not a reconnect'],
      ['message', 'after'],
    ]);
    expect(connection!.transitions.map((t) => t.state)).toEqual(['connecting', 'open', 'closed']);
    expect(connection!.stateReason).toBe('closed-by-page');
  });
});
