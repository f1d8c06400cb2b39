/**
 * One HAR import, as run in the import worker (`har-import.worker.ts`) or, where no worker can be
 * started, on the panel's thread: read the file, run `importHar`, and post the records in slices
 * (so the panel applies them between paints), then the summary. Every failure, expected or not,
 * ends in one `failed` message: the reader never waits forever.
 */
import type { StoredRecord } from '../protocol';
import { importHar, type ImportErrorCode, type ImportSummary } from '../core/har-import';

/** Records per `records` message: each is applied to the view in one go (~50 ms for 10k). */
export const IMPORT_SLICE = 10_000;

export interface ImportRequest {
  file: Blob;
  maxBytes: number;
}

export type ImportFailure =
  | { code: ImportErrorCode; detail: string }
  /** Reading the file failed. */
  | { code: 'read'; detail: string }
  /** Anything else (out of memory, a bug): the engine's message. */
  | { code: 'failed'; detail: string };

export type ImportMessage =
  { type: 'records'; records: StoredRecord[] } | { type: 'done'; summary: ImportSummary } | ({ type: 'failed' } & ImportFailure);

const messageOf = (error: unknown): string => (error instanceof Error ? error.message || error.name : String(error));

export async function runImport({ file, maxBytes }: ImportRequest, post: (message: ImportMessage) => void): Promise<void> {
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    post({ type: 'failed', code: 'read', detail: messageOf(error) });
    return;
  }
  try {
    const result = importHar(text, { maxLength: maxBytes });
    if (!result.ok) {
      post({ type: 'failed', code: result.code, detail: result.detail ?? result.error });
      return;
    }
    const { records } = result;
    for (let i = 0; i < records.length; i += IMPORT_SLICE) post({ type: 'records', records: records.slice(i, i + IMPORT_SLICE) });
    post({ type: 'done', summary: result.summary });
  } catch (error) {
    post({ type: 'failed', code: 'failed', detail: messageOf(error) });
  }
}
