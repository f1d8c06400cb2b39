/** Formatting shared by the views. Pure. */

/** "12:34:56.789" in local time. */
export function clockTime(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** "+1.234 s" relative to a start time. */
export function relativeTime(epochMs: number, startMs: number): string {
  const seconds = (epochMs - startMs) / 1000;
  return `+${seconds.toFixed(3)} s`;
}

/** Splits a URL into a dimmed origin and an emphasised path+query. */
export function splitUrl(url: string): { origin: string; path: string } {
  try {
    const parsed = new URL(url);
    return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
  } catch {
    return { origin: '', path: url };
  }
}

export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A one-line preview of event data (newlines shown as ↵), cut at `max` characters. */
export function preview(data: string, max = 300): string {
  const head = data.length > max ? `${data.slice(0, max)}…` : data;
  return head.replace(/\r\n|\r|\n/g, '↵');
}
