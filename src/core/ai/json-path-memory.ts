/**
 * The JSON path a user named for a stream that is no known AI protocol, remembered per URL pattern
 * (origin and path, with ids — numbers, UUIDs, long hex or base64-ish segments — as `*`, and no
 * query), so the next stream to the same endpoint is assembled the same way. Storage is injected
 * (localStorage in the panel, a Map in tests).
 */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const JSON_PATH_STORAGE_KEY = 'sse-devtools:ai-json-paths';
/** At most this many patterns are remembered (the oldest are forgotten first). */
const MAX_PATTERNS = 200;

/** `https://x.test/v1/chat/123/stream?a=1` → `https://x.test/v1/chat/*\/stream`. */
export function urlPattern(url: string): string {
  const noQuery = url.replace(/[?#].*$/s, '');
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)(.*)$/i.exec(noQuery);
  const origin = match?.[1] ?? '';
  const path = match?.[2] ?? noQuery;
  const segments = path
    .split('/')
    .map((segment) =>
      /^\d+$/.test(segment) ||
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment) ||
      /^[0-9a-f]{16,}$/i.test(segment) ||
      (/^[A-Za-z0-9_-]{20,}$/.test(segment) && /\d/.test(segment))
        ? '*'
        : segment,
    );
  return origin + segments.join('/');
}

export class JsonPathMemory {
  constructor(private readonly storage: KeyValueStorage | null) {}

  private read(): Record<string, string> {
    try {
      const value: unknown = JSON.parse(this.storage?.getItem(JSON_PATH_STORAGE_KEY) ?? '{}');
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  get(url: string): string | undefined {
    const path = this.read()[urlPattern(url)];
    return typeof path === 'string' && path.trim() !== '' ? path : undefined;
  }

  set(url: string, path: string | undefined): void {
    const all = this.read();
    const key = urlPattern(url);
    delete all[key];
    if (path !== undefined && path.trim() !== '') all[key] = path.trim();
    const keys = Object.keys(all);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PATTERNS))) delete all[old];
    try {
      this.storage?.setItem(JSON_PATH_STORAGE_KEY, JSON.stringify(all));
    } catch {
      // Storage full or refused: the path applies to this session only.
    }
  }
}
