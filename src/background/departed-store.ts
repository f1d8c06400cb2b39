/**
 * The logs of documents that went away (an iframe that navigated or was removed; with Preserve log,
 * the pages a tab left), written to IndexedDB so that a stopped worker forgets none of them. Live
 * documents need no copy here: their page world holds their log and sends it again on request.
 * Entries are per tab and cleared with the tab's log, when the tab closes, and when the browser
 * starts (tab ids do not survive a restart).
 */
import type { PageRecord } from '../protocol';

const DB_NAME = 'sse-devtools';
const STORE = 'departed';

export interface DepartedDocument {
  /** `${tabId}/${documentId}` */
  key: string;
  tabId: number;
  frameId: number;
  documentId: string;
  frameUrl: string;
  isTop: boolean;
  records: PageRecord[];
  /** How many of the page's records it covers. */
  next: number;
  /** When it was written (documents are restored in this order). */
  time: number;
}

let opening: Promise<IDBDatabase> | undefined;

function database(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: 'key' });
      store.createIndex('tabId', 'tabId');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'));
  });
  return opening;
}

function done(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export async function saveDeparted(entry: DepartedDocument): Promise<void> {
  const transaction = (await database()).transaction(STORE, 'readwrite');
  transaction.objectStore(STORE).put(entry);
  await done(transaction);
}

export async function deleteDeparted(tabId: number, documentId: string): Promise<void> {
  const transaction = (await database()).transaction(STORE, 'readwrite');
  transaction.objectStore(STORE).delete(`${tabId}/${documentId}`);
  await done(transaction);
}

export async function loadDeparted(tabId: number): Promise<DepartedDocument[]> {
  const transaction = (await database()).transaction(STORE, 'readonly');
  const request = transaction.objectStore(STORE).index('tabId').getAll(tabId);
  await done(transaction);
  return (request.result as DepartedDocument[]).sort((a, b) => a.time - b.time);
}

export async function clearDeparted(tabId?: number): Promise<void> {
  const transaction = (await database()).transaction(STORE, 'readwrite');
  const store = transaction.objectStore(STORE);
  if (tabId === undefined) store.clear();
  else {
    const keys = store.index('tabId').getAllKeys(tabId);
    keys.onsuccess = () => {
      for (const key of keys.result) store.delete(key);
    };
  }
  await done(transaction);
}
