/**
 * Which requests an armed mock answers: a URL pattern typed in the panel, matched in the page world.
 *
 * A pattern without `*` matches every URL that contains it; with `*`, it is a glob over the whole
 * URL (`*` is any text, possibly empty; every other character stands for itself).
 *
 * `matchesUrlPattern` runs in the page world on every fetch and EventSource while a mock is armed:
 * it reads only string lengths and characters (no method the page could replace).
 */

export function matchesUrlPattern(pattern: string, url: string): boolean {
  let star = false;
  for (let i = 0; i < pattern.length; i++) if (pattern[i] === '*') star = true;
  return star ? globMatches(pattern, url) : contains(url, pattern);
}

function contains(text: string, part: string): boolean {
  if (part.length === 0) return true;
  for (let start = 0; start + part.length <= text.length; start++) {
    let j = 0;
    while (j < part.length && text[start + j] === part[j]) j++;
    if (j === part.length) return true;
  }
  return false;
}

/** Whole-string glob match with `*` (greedy with backtracking to the last star: O(pattern × text)). */
function globMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      starAt = p++;
      resumeAt = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (starAt !== -1) {
      p = starAt + 1;
      t = ++resumeAt;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** The pattern the panel proposes for a recorded URL: the URL without its query and fragment. */
export function defaultUrlPattern(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}
