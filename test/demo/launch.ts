/**
 * `npm run demo`: builds the extension if needed, starts the demo SSE server and opens Chromium with
 * the extension loaded and DevTools open on the demo page. Without a display, the browser runs
 * headless and the server stays up for use with your own Chrome. Runs until Ctrl+C.
 *
 * Options: --port N (server port, default: any free port). Env: CHROME_PATH (default /usr/bin/chromium).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { startServer } from '../server/sse-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXTENSION_DIR = path.join(ROOT, 'dist', 'chrome');
const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

function portOption(): number {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === '--port' || a.startsWith('--port='));
  if (i < 0) return 0;
  const raw = args[i]!.includes('=') ? args[i]!.slice('--port='.length) : args[i + 1];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid --port: ${raw}`);
    process.exit(2);
  }
  return port;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

if (!existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) {
  console.log('dist/chrome/manifest.json not found: running `npm run build` first…');
  await run('npm', ['run', 'build']);
  if (!existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) {
    console.error('The build finished but dist/chrome/manifest.json is still missing.');
    process.exit(1);
  }
}

const server = await startServer({ port: portOption() });
const demoUrl = `${server.url}/demo.html`;
const headed = Boolean(process.env.DISPLAY);
console.log(`SSE demo server listening at ${server.url}`);

let profileDir: string | undefined;
let context: BrowserContext | undefined;
let shuttingDown = false;

function printManualInstructions(): void {
  console.log(
    [
      '',
      `The demo server stays up at ${server.url}. To try the extension in your own Chrome:`,
      `  1. chrome://extensions → turn on Developer mode → Load unpacked → choose ${EXTENSION_DIR}`,
      `  2. open ${demoUrl}`,
      '  3. open DevTools (F12) → "SSE" panel, then press the buttons on the page.',
      '',
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );
}

async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) {
    console.log('Forced exit.');
    process.exit(1);
  }
  shuttingDown = true;
  console.log(`\n${signal}: shutting down…`);
  await context?.close().catch(() => {});
  await server.close().catch(() => {});
  if (profileDir) await rm(profileDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch(() => {});
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));

if (!headed) {
  console.log('No display found (DISPLAY is not set): Chromium runs headless, so there is nothing to see here.');
}

try {
  profileDir = await mkdtemp(path.join(os.tmpdir(), 'sse-devtools-profile-'));
  const args = [
    `--disable-extensions-except=${EXTENSION_DIR}`,
    `--load-extension=${EXTENSION_DIR}`,
    '--auto-open-devtools-for-tabs',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROME_PATH,
    headless: !headed,
    ignoreDefaultArgs: ['--disable-extensions'],
    args,
    viewport: null,
    // Our own handlers close the browser, the server and the profile; Playwright's would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const worker =
    context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
    (await context.waitForEvent('serviceworker', { timeout: 5000 }).catch(() => undefined));
  if (worker) console.log(`Extension loaded: ${new URL(worker.url()).host}`);
  else console.warn("Warning: the extension's service worker did not start within 5 s; is dist/chrome a valid build?");
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(demoUrl);
  console.log(`Chromium (${CHROME_PATH}) opened ${demoUrl} with the extension from ${EXTENSION_DIR}.`);
  if (headed) console.log('DevTools is open: pick the "SSE" panel (it may hide behind the » menu), then press the buttons.');
  context.on('close', () => {
    context = undefined;
    if (!shuttingDown) {
      console.log('Chromium was closed.');
      printManualInstructions();
    }
  });
} catch (err) {
  console.error(`Chromium (${CHROME_PATH}) failed: ${err instanceof Error ? err.message : String(err)}`);
  console.error('Set CHROME_PATH to use another Chrome/Chromium binary.');
}

if (!headed || !context) printManualInstructions();
else console.log('Press Ctrl+C to stop.');
