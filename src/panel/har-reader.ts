/**
 * Reading a HAR file into a LogStore of its own. The parse runs in a module worker
 * (`har-import.worker.ts`), so a big file does not freeze the panel; its records come back in
 * slices, each applied between two paints. Where no worker can be started (tests, a browser that
 * refuses) the same job runs here. Every failure becomes a message ready to show, and nothing is
 * shown of a file that failed: the log in view stays as it was.
 */
import { MAX_IMPORT_BYTES, type ImportSummary } from '../core/har-import';
import { LogStore } from '../core/log-store';
import { runImport, type ImportFailure, type ImportMessage, type ImportRequest } from './har-import-job';
import { t } from './i18n';

export interface ImportedFile {
  fileName: string;
  /** The file's streams, in a store of their own. */
  store: LogStore;
  summary: ImportSummary;
}

export type ReadHarResult = ({ ok: true } & ImportedFile) | { ok: false; message: string };

/** What the reader needs of a Worker (a test can pass a stand-in). */
export interface WorkerLike {
  onmessage: ((event: MessageEvent<ImportMessage>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
  postMessage(message: ImportRequest): void;
  terminate(): void;
}

export interface ReadOptions {
  /** Starts the import worker; null = parse on this thread. Default: the bundled module worker. */
  startWorker?: () => WorkerLike | null;
  /** Called as the store grows (items so far). */
  onProgress?: (items: number) => void;
}

const megabytes = (n: number) => `${Math.ceil(n / (1024 * 1024))} MB`;
const messageOf = (error: unknown): string => (error instanceof Error ? error.message || error.name : String(error));

function startImportWorker(): WorkerLike | null {
  if (typeof Worker === 'undefined') return null;
  // Written out in full so that vite bundles the worker (and its imports) as a file of its own.
  return new Worker(new URL('./har-import.worker.ts', import.meta.url), { type: 'module', name: 'har-import' }) as WorkerLike;
}

/** The messages of one import, from a worker, or from the job run here when there is none. */
async function* importMessages(request: ImportRequest, start: () => WorkerLike | null): AsyncGenerator<ImportMessage> {
  let worker: WorkerLike | null;
  try {
    worker = start();
  } catch {
    worker = null;
  }
  if (worker === null) {
    const messages: ImportMessage[] = [];
    await runImport(request, (message) => messages.push(message));
    yield* messages;
    return;
  }
  const queue: ImportMessage[] = [];
  let wake: (() => void) | null = null;
  const push = (message: ImportMessage) => {
    queue.push(message);
    wake?.();
    wake = null;
  };
  worker.onmessage = (event) => push(event.data);
  worker.onerror = (event) => {
    event.preventDefault?.();
    push({ type: 'failed', code: 'failed', detail: event.message || 'the import worker stopped' });
  };
  worker.onmessageerror = () => push({ type: 'failed', code: 'failed', detail: 'the import worker sent an unreadable message' });
  try {
    worker.postMessage(request);
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift()!;
      yield message;
      if (message.type !== 'records') return;
    }
  } finally {
    worker.terminate();
  }
}

/** Lets the panel paint (and answer the user) between two slices. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

function failureMessage(name: string, maxBytes: number, failure: ImportFailure): string {
  switch (failure.code) {
    case 'too-large':
      return t('importErrorTooLarge', [name, megabytes(maxBytes)]);
    case 'not-json':
      return t('importErrorNotJson', [name, failure.detail]);
    case 'not-har':
      return t('importErrorNotHar', [name]);
    case 'bad-field':
      return t('importErrorBadField', [name, failure.detail]);
    case 'no-sse':
      return t('importErrorNoSse', [name, failure.detail]);
    case 'read':
      return t('importErrorRead', [name, failure.detail]);
    case 'failed':
      return t('importErrorFailed', [name, failure.detail]);
  }
}

/** Whether a file's name or type says it may be a HAR (.har, or JSON). */
export function looksLikeHar(file: File): boolean {
  return /\.(har|json)$/i.test(file.name) || file.type === 'application/json';
}

/** Reads and imports a file. Never throws: a failure's message is ready to show (translated). */
export async function readHarFile(file: File, maxBytes = MAX_IMPORT_BYTES, options: ReadOptions = {}): Promise<ReadHarResult> {
  const name = file.name;
  if (file.size > maxBytes) return { ok: false, message: t('importErrorTooLarge', [name, megabytes(maxBytes)]) };
  try {
    // Let the "Reading..." status paint before anything else.
    await nextTask();
    // A store of the file's own: shown only once complete, dropped on any failure.
    const store = new LogStore();
    for await (const message of importMessages({ file, maxBytes }, options.startWorker ?? startImportWorker)) {
      if (message.type === 'failed') return { ok: false, message: failureMessage(name, maxBytes, message) };
      if (message.type === 'done') return { ok: true, fileName: name, store, summary: message.summary };
      store.apply(message.records);
      options.onProgress?.(store.items.length);
      await nextTask();
    }
    return { ok: false, message: t('importErrorFailed', [name, 'no answer from the import worker']) };
  } catch (error) {
    return { ok: false, message: t('importErrorFailed', [name, messageOf(error)]) };
  }
}
