/**
 * How a URL is shown in a narrow column: path first, then the origin (dimmed). When it does not
 * fit, the middle of the path gives way: the path is cut into a `head` that may shrink to an
 * ellipsis and a `tail` (the last segment and the query, up to `TAIL_MAX` characters) that stays,
 * so `/api/v1/…/completions?stream=true` keeps the part that tells streams apart.
 */
import { splitUrl } from './format';

/** Characters of the path kept at its end, whatever the width. */
export const TAIL_MAX = 28;

export interface UrlDisplay {
  origin: string;
  head: string;
  tail: string;
}

export function urlDisplay(url: string): UrlDisplay {
  const { origin, path } = splitUrl(url);
  const query = path.indexOf('?');
  const pathname = query === -1 ? path : path.slice(0, query);
  // The last segment (with the query), or the last TAIL_MAX characters of a longer one.
  const lastSlash = pathname.lastIndexOf('/', pathname.length - 2);
  let cut = lastSlash <= 0 ? 0 : lastSlash + 1;
  if (path.length - cut > TAIL_MAX) cut = path.length - TAIL_MAX;
  // Never cut a surrogate pair in two.
  if (cut > 0 && cut < path.length && /[\udc00-\udfff]/.test(path[cut]!)) cut--;
  return { origin, head: path.slice(0, cut), tail: path.slice(cut) };
}
