/**
 * The import worker: parses a HAR file off the panel's thread (a file of 200k events takes
 * seconds), and posts its records in slices. Started by `har-reader.ts` as a module worker.
 */
import { runImport, type ImportMessage, type ImportRequest } from './har-import-job';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ImportRequest>) => void) | null;
  postMessage(message: ImportMessage): void;
};

scope.onmessage = (event) => {
  void runImport(event.data, (message) => scope.postMessage(message));
};
