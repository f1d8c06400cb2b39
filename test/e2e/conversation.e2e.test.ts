/**
 * The Conversation view end to end in real Chromium: the AI playground streams every protocol
 * (tool calls, reasoning, an in-band error, a stream cut short, the two line-framed streams that
 * are not SSE), the panel page (opened as an extension tab, `panel.html?tabId=N`) assembles each,
 * and the test reads the view: the text, tool arguments, reasoning, usage, TTFT, warnings, errors.
 * Then "mock with an edited reply" from the view: armed, answered, and the page gets the edited
 * reply. Then two real client libraries from the npm registry (the `openai` SDK and
 * `@microsoft/fetch-event-source`), bundled for the browser here, stream from the playground: the
 * panel captures and assembles what each library assembled itself.
 *
 * A screenshot of the view goes to test-results/conversation.png (and docs/ with UPDATE_DOCS=1).
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { launchWithExtension, tabIdOf, type ExtensionBrowser } from './browser';
import { startServer, type StartedServer } from '../server/sse-server';
import type { ClientRun } from '../server/pages/test/ai-clients.entry';

const ROOT = resolve(import.meta.dirname, '../..');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const RESULTS = resolve(ROOT, 'test-results');
const PROMPT = 'Why is the sky blue?';
/** The playground's reply to PROMPT (test/server/ai-routes.ts replyFor). */
const FULL_TEXT =
  `You asked about “${PROMPT}”. This answer streams token by token, the way a real model answers, ` +
  'so the Conversation view can assemble it, time it and compare it with the other providers.';
const TOOLS_TEXT = 'Let me check the weather in both cities.';
const TOOL_ARGS = [
  { city: 'Paris', unit: 'c' },
  { city: 'Oslo', unit: 'c' },
];

/** What the playground is asked for: protocol (its `send` name) and scenario. */
const RUNS = [
  ['openai-chat', 'tools'],
  ['openai-chat', 'cut'],
  ['openai-responses', 'reasoning'],
  ['anthropic', 'reasoning'],
  ['anthropic', 'error'],
  ['gemini', 'tools'],
  ['vercel-ui', 'text'],
  ['vercel-data', 'tools'],
  ['ollama', 'text'],
  ['mcp', 'text'],
] as const;

interface Card {
  id: string;
  url: string;
  protocol: string | null;
  status: string;
  notSse: boolean;
  text: string;
  reasoning: string;
  tools: { name: string; args: string; invalid: boolean }[];
  ttft: string;
  numbers: Record<string, string>;
  warnings: string[];
  errors: string[];
  mcpRows: number;
}

let server: StartedServer;
let browser: ExtensionBrowser;
let playground: Page;
let panel: Page;
let cards: Card[] = [];

/** Bundles the client libraries for the browser (vite, library mode, one IIFE). */
async function bundleClients(): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    root: ROOT,
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir: resolve(ROOT, 'test/server/pages/test/generated'),
      emptyOutDir: true,
      minify: false,
      lib: {
        entry: resolve(ROOT, 'test/server/pages/test/ai-clients.entry.ts'),
        formats: ['iife'],
        name: 'AiClients',
        fileName: () => 'ai-clients.js',
      },
    },
  });
}

async function openPanel(page: Page): Promise<Page> {
  const tabId = await tabIdOf(browser, page);
  const target = await browser.context.newPage();
  await target.goto(`chrome-extension://${browser.extensionId}/src/panel/panel.html?tabId=${tabId}`);
  return target;
}

/** Waits until the panel lists `count` connections matching `path`, all ended. */
async function waitForStreams(target: Page, path: string, count: number): Promise<void> {
  await target.waitForFunction(
    ({ path, count }) => {
      const rows = [...document.querySelectorAll<HTMLElement>('tr[data-connection-id]')].filter((row) =>
        (row.title.split('\n')[0] ?? '').includes(path),
      );
      return rows.length >= count && rows.every((row) => /closed|error/.test(row.textContent ?? ''));
    },
    { path, count },
    { timeout: 60_000, polling: 250 },
  );
}

/** Selects every connection (click the first, Shift+click the last) and shows the Conversation tab. */
async function showAllConversations(target: Page): Promise<void> {
  const rows = target.locator('tr[data-connection-id]');
  await rows.first().click();
  await rows.last().click({ modifiers: ['Shift'] });
  await target.locator('#conn-tab-conversation').click();
  const count = await rows.count();
  await target.waitForFunction((count) => document.querySelectorAll('.conv-card').length === count, count, { timeout: 10_000 });
}

/**
 * The cards once the view has assembled everything: two reads half a second apart that agree, and
 * no card without a protocol (on a loaded machine the view may still be assembling the last
 * streams when the rows say they ended). After 20 s, whatever is there (the assertions then say what).
 */
async function settledCards(target: Page): Promise<Card[]> {
  const deadline = Date.now() + 20_000;
  let last = await readCards(target);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await readCards(target);
    const settled = JSON.stringify(now) === JSON.stringify(last) && now.every((card) => card.protocol !== 'none');
    if (settled || Date.now() > deadline) return now;
    last = now;
  }
}

async function readCards(target: Page): Promise<Card[]> {
  return target.evaluate(() => {
    const urls = new Map<string, string>();
    for (const row of document.querySelectorAll<HTMLElement>('tr[data-connection-id]'))
      urls.set(row.dataset.connectionId!, row.title.split('\n')[0] ?? '');
    return [...document.querySelectorAll<HTMLElement>('.conv-card')].map((card) => {
      const texts = (selector: string) => [...card.querySelectorAll(selector)].map((e) => e.textContent ?? '');
      const numbers: Record<string, string> = {};
      for (const pair of card.querySelectorAll('dl.conv-numbers > div'))
        numbers[pair.querySelector('dt')?.textContent ?? ''] = pair.querySelector('dd')?.textContent ?? '';
      const id = card.dataset.connection!;
      return {
        id,
        url: urls.get(id) ?? '',
        protocol: card.dataset.protocol ?? null,
        status: card.querySelector('.conv-card-head .conv-status')?.className.replace('conv-status', '').trim() ?? '',
        notSse: card.querySelector('.conv-card-head .conv-tag-warn') !== null,
        text: texts('.conv-reply-text').join(''),
        reasoning: texts('.conv-reasoning .conv-text').join(''),
        tools: [...card.querySelectorAll('.conv-tool')].map((tool) => ({
          name: tool.querySelector('.conv-tool-name')?.textContent ?? '',
          args: tool.querySelector('pre.conv-code')?.textContent ?? '',
          invalid: tool.classList.contains('conv-invalid'),
        })),
        ttft: card.querySelector('[data-metric="ttft"]')?.textContent ?? '',
        numbers,
        warnings: texts('.conv-warnings li'),
        errors: texts('.conv-errors li'),
        mcpRows: card.querySelectorAll('.conv-mcp tbody tr').length,
      };
    });
  });
}

function cardOf(route: string, scenario: string): Card {
  const found = cards.filter((card) => card.url.includes(`/ai/${route}`) && card.url.includes(`scenario=${scenario}`));
  expect(found, `${route} ${scenario}`).toHaveLength(1);
  return found[0]!;
}

const ROUTE_PATH: Record<string, string> = { gemini: 'gemini/models', ollama: 'ollama' };
const pathOf = (protocol: string) => ROUTE_PATH[protocol] ?? protocol;

beforeAll(async () => {
  const bundled = bundleClients();
  server = await startServer();
  browser = await launchWithExtension({ viewport: { width: 1400, height: 900 } });
  playground = await browser.context.newPage();
  await playground.goto(`${server.url}/ai-playground.html`);
  await playground.evaluate(
    async ({ runs, prompt }) => {
      const $ = (id: string) => document.getElementById(id) as HTMLInputElement;
      $('delay').value = '5';
      $('prompt').value = prompt;
      const send = (globalThis as unknown as { send(protocol: string): Promise<void> }).send;
      const all: Promise<void>[] = [];
      for (const [protocol, scenario] of runs) {
        $('scenario').value = scenario;
        all.push(send(protocol)); // reads the scenario before its first await
      }
      await Promise.all(all);
    },
    { runs: RUNS as unknown as [string, string][], prompt: PROMPT },
  );
  panel = await openPanel(playground);
  await waitForStreams(panel, '/ai/', RUNS.length);
  await showAllConversations(panel);
  cards = await settledCards(panel);
  await bundled;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Conversation view in real Chromium: the AI playground, every protocol', () => {
  it('assembles one conversation per stream, each with its protocol, TTFT and usage', () => {
    expect(cards).toHaveLength(RUNS.length);
    const protocols = Object.fromEntries(
      RUNS.map(([route, scenario]) => [`${route} ${scenario}`, cardOf(pathOf(route), scenario).protocol]),
    );
    expect(protocols).toEqual({
      'openai-chat tools': 'openai-chat',
      'openai-chat cut': 'openai-chat',
      'openai-responses reasoning': 'openai-responses',
      'anthropic reasoning': 'anthropic',
      'anthropic error': 'anthropic',
      'gemini tools': 'gemini',
      'vercel-ui text': 'vercel-ui',
      'vercel-data tools': 'vercel-data',
      'ollama text': 'ndjson',
      'mcp text': 'mcp',
    });
    for (const card of cards.filter((c) => c.protocol !== 'mcp' && c.status !== 'error')) {
      expect(card.ttft, card.url).toMatch(/\d/);
      expect(card.numbers['Output tokens'] ?? '', `${card.url} output tokens`).toMatch(/\d/);
    }
  });

  it('the view with every card (errors, warnings, not-SSE tags, tool calls, MCP) is axe-clean, light and dark', async () => {
    await panel.evaluate(axeSource);
    for (const theme of ['light', 'dark']) {
      await panel.evaluate((theme) => (document.documentElement.dataset.theme = theme), theme);
      const violations = await panel.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: {
              run(context: unknown, options: unknown): Promise<{ violations: { id: string; nodes: { html: string }[] }[] }>;
            };
          }
        ).axe;
        const result = await axe.run(document.querySelector('.conversation-mount'), { resultTypes: ['violations'] });
        return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`);
      });
      expect(violations, theme).toEqual([]);
    }
    await panel.evaluate(() => (document.documentElement.dataset.theme = 'light'));
  });

  it('complete replies: text, reasoning, tool arguments, no warnings', () => {
    for (const [route, scenario] of [
      ['openai-responses', 'reasoning'],
      ['anthropic', 'reasoning'],
      ['vercel-ui', 'text'],
      ['ollama', 'text'],
    ] as const) {
      const card = cardOf(pathOf(route), scenario);
      expect(card.text, route).toBe(FULL_TEXT);
      expect(card.status, route).toBe('conv-status-done');
      expect(card.warnings, route).toEqual([]);
      if (scenario === 'reasoning') expect(card.reasoning, route).toContain('I will think briefly');
    }
    for (const route of ['openai-chat', 'gemini/models', 'vercel-data']) {
      const card = cardOf(route, 'tools');
      expect(card.text, route).toBe(TOOLS_TEXT);
      expect(
        card.tools.map((tool) => tool.name),
        route,
      ).toEqual(['get_weather', 'get_weather']);
      expect(
        card.tools.map((tool) => JSON.parse(tool.args) as unknown),
        route,
      ).toEqual(TOOL_ARGS);
      expect(
        card.tools.some((tool) => tool.invalid),
        route,
      ).toBe(false);
      expect(card.warnings, route).toEqual([]);
    }
  });

  it('line streams (Vercel data stream, Ollama NDJSON) are labelled as not SSE, in the view and the connection list', async () => {
    expect(cardOf('vercel-data', 'tools').notSse).toBe(true);
    expect(cardOf('ollama', 'text').notSse).toBe(true);
    expect(cardOf('openai-chat', 'tools').notSse).toBe(false);
    const badges = await panel.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('tr[data-connection-id]')]
        .filter((row) => row.querySelector('.badge.lines') !== null)
        .map((row) => new URL(row.title.split('\n')[0]!).pathname)
        .sort(),
    );
    expect(badges).toEqual(['/ai/ollama', '/ai/vercel-data']);
    // One record per line: the type chips of the Ollama stream say `line`, and a note says why.
    const id = cardOf('ollama', 'text').id;
    await panel.locator(`tr[data-connection-id="${id}"]`).click();
    await panel.locator('#conn-tab-events').click();
    await panel.waitForFunction(
      () => [...document.querySelectorAll('.type-chips .chip-label')].map((e) => e.textContent).join() === 'line',
    );
    // The connection's facts are in the Events tab or the Request tab, whichever the layout puts them in.
    if ((await panel.locator('[data-fact="lines"]').count()) === 0) await panel.locator('#conn-tab-request').click();
    const note = await panel.locator('[data-fact="lines"]').textContent();
    expect(note).toContain('Not SSE');
    expect(note).toContain('application/x-ndjson');
  });

  it('what went wrong: the in-band error, the stream cut short', () => {
    const error = cardOf('anthropic', 'error');
    expect(error.status).toBe('conv-status-error');
    expect(error.errors.join(' ')).toContain('Overloaded');
    const cut = cardOf('openai-chat', 'cut');
    expect(cut.status).toBe('conv-status-incomplete');
    expect(cut.warnings.length).toBeGreaterThan(0);
    expect(cut.warnings.join(' ')).toMatch(/\[DONE\]|terminat/i);
    expect(cut.text.length).toBeGreaterThan(0);
    expect(FULL_TEXT.startsWith(cut.text)).toBe(true);
    expect(cut.text.length).toBeLessThan(FULL_TEXT.length);
  });

  it('MCP: the JSON-RPC exchange', () => {
    const mcp = cardOf('mcp', 'text');
    expect(mcp.mcpRows).toBeGreaterThan(0);
  });

  it('a screenshot of the view (the comparison table, and one conversation with tool calls)', async () => {
    const id = cardOf('openai-chat', 'tools').id;
    await panel.locator(`tr[data-connection-id="${id}"]`).click();
    await panel.locator('#conn-tab-conversation').click();
    await panel.waitForFunction(
      (id) =>
        document.querySelectorAll('.conv-card').length === 1 &&
        document.querySelector(`.conv-card[data-connection="${id}"]`) !== null,
      id,
    );
    mkdirSync(RESULTS, { recursive: true });
    const file = resolve(RESULTS, 'conversation.png');
    await panel.screenshot({ path: file });
    if (process.env.UPDATE_DOCS === '1') copyFileSync(file, resolve(ROOT, 'docs/conversation.png'));
  });

  it('mock with an edited reply: armed from the view, answered, and the page gets the edited reply', async () => {
    const id = cardOf('openai-chat', 'tools').id;
    await panel.locator(`tr[data-connection-id="${id}"]`).click();
    await panel.locator('#conn-tab-conversation').click();
    const card = panel.locator(`.conv-card[data-connection="${id}"]`);
    await card.locator('details.conv-mock summary').click();
    const areas = card.locator('details.conv-mock textarea');
    await areas.nth(0).fill('Edited by the end-to-end test.');
    await areas.nth(1).fill('{"city": "Berlin", "unit": "c"}');
    await card.locator('.conv-mock-row button').click();
    const status = panel.locator('.conv-mock-status .mock-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 10_000 }).toBe('armed');

    // The page asks again: the mock answers, without the network.
    const before = server.requests.filter((r) => r.url.startsWith('/ai/openai-chat')).length;
    const streamed = await playground.evaluate(async () => {
      (document.getElementById('scenario') as HTMLSelectElement).value = 'tools';
      await (globalThis as unknown as { send(protocol: string): Promise<void> }).send('openai-chat');
      return document.querySelector('#results section pre')?.textContent ?? '';
    });
    // What the page read: the edited text, re-chunked into Chat Completions deltas.
    const deltas = streamed
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map(
        (line) => (JSON.parse(line.slice(6)) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? '',
      );
    expect(deltas.filter((d) => d !== '').length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Edited by the end-to-end test.');
    expect(server.requests.filter((r) => r.url.startsWith('/ai/openai-chat')).length).toBe(before);
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 10_000 }).toMatch(/answered|done/);

    // The mocked stream is in the log, assembled with the edited reply.
    await panel.waitForFunction(() => document.querySelectorAll('tr[data-connection-id] .badge.mocked').length === 1);
    const mockedId = await panel.evaluate(
      () => document.querySelector<HTMLElement>('tr[data-connection-id] .badge.mocked')!.closest('tr')!.dataset.connectionId!,
    );
    await panel.waitForFunction(
      (mockedId) => /closed|error/.test(document.querySelector(`tr[data-connection-id="${mockedId}"]`)?.textContent ?? ''),
      mockedId,
    );
    await panel.locator(`tr[data-connection-id="${mockedId}"]`).click();
    await panel.locator('#conn-tab-conversation').click();
    await panel.waitForFunction(
      (mockedId) => document.querySelector(`.conv-card[data-connection="${mockedId}"] .conv-tool`) !== null,
      mockedId,
    );
    const [mocked] = (await readCards(panel)).filter((c) => c.id === mockedId);
    expect(mocked!.protocol).toBe('openai-chat');
    expect(mocked!.text).toBe('Edited by the end-to-end test.');
    expect(mocked!.tools.map((tool) => JSON.parse(tool.args) as unknown)).toEqual([{ city: 'Berlin', unit: 'c' }, TOOL_ARGS[1]]);
  });
});

describe('Conversation view: real client libraries from npm, bundled for the browser', () => {
  let runs: ClientRun[] = [];
  let clientCards: Card[] = [];

  beforeAll(async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/test/ai-clients.html`);
    runs = await page.evaluate(() =>
      (globalThis as unknown as { AiClients: { runAll(): Promise<ClientRun[]> } }).AiClients.runAll(),
    );
    const target = await openPanel(page);
    await waitForStreams(target, '/ai/', runs.length);
    await showAllConversations(target);
    clientCards = await readCards(target);
  }, 90_000);

  it('each library streamed the whole reply', () => {
    expect(runs.map((run) => [run.library, run.error ?? 'ok'])).toEqual([
      ['openai chat.completions', 'ok'],
      ['openai responses', 'ok'],
      ['@microsoft/fetch-event-source', 'ok'],
    ]);
    expect(runs[0]!.text).toBe(TOOLS_TEXT);
    expect(runs[0]!.toolArguments.map((args) => JSON.parse(args) as unknown)).toEqual(TOOL_ARGS);
    expect(runs[1]!.text).toBe(FULL_TEXT);
    expect(runs[2]!.text).toBe(FULL_TEXT);
    expect(runs[2]!.reasoning).toContain('I will think briefly');
  });

  it('the panel captured each stream and assembled what the library assembled', () => {
    const byPath = (path: string) => clientCards.find((card) => new URL(card.url).pathname === path)!;
    const chat = byPath('/ai/openai/v1/chat/completions');
    expect(chat.protocol).toBe('openai-chat');
    expect(chat.text).toBe(runs[0]!.text);
    expect(chat.tools.map((tool) => JSON.parse(tool.args) as unknown)).toEqual(
      runs[0]!.toolArguments.map((args) => JSON.parse(args) as unknown),
    );
    const responses = byPath('/ai/openai/v1/responses');
    expect(responses.protocol).toBe('openai-responses');
    expect(responses.text).toBe(runs[1]!.text);
    expect(runs[1]!.reasoning).toContain('I will think briefly');
    expect(responses.reasoning).toBe(runs[1]!.reasoning);
    const anthropic = byPath('/ai/anthropic');
    expect(anthropic.protocol).toBe('anthropic');
    expect(anthropic.text).toBe(runs[2]!.text);
    expect(anthropic.reasoning).toBe(runs[2]!.reasoning);
    for (const card of [chat, responses, anthropic]) {
      expect(card.status, card.url).toBe('conv-status-done');
      expect(card.ttft, card.url).toMatch(/\d/);
      expect(card.warnings, card.url).toEqual([]);
    }
  });
});
