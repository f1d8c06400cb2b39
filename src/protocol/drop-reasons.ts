/**
 * Why a cap refused records, as it travels page → relay → background → panel: a code, and the cap's
 * size in bytes where it has one (`code` or `code:bytes`). The panel words it in the user's language
 * (src/panel/drop-reasons.ts); nothing on the way needs the words. Plain string arithmetic only: the
 * page world's log makes these, with nothing the page could have replaced.
 */
export const DROP_CODES = [
  /** The page world's log of a document reached its cap. */
  'page-log-full',
  /** The background's copy of one document's log reached its cap. */
  'frame-log-full',
  /** The iframes of a tab together reached theirs. */
  'iframes-full',
  /** A tab's log reached its cap. */
  'tab-log-full',
  /** Every tab's logs together reached the background's cap. */
  'all-tabs-full',
  /** The relay refused batches over its budget (the cap is bytes a second). */
  'relay-over-budget',
  /** The relay refused a batch over its size cap. */
  'relay-batch-too-large',
  /** The relay refused a batch that was not one. */
  'relay-malformed',
] as const;

export type DropCode = (typeof DROP_CODES)[number];

export function dropReason(code: DropCode, bytes?: number): string {
  return bytes === undefined ? code : `${code}:${bytes}`;
}

/** A reason's code and cap; undefined for a reason in another form (an older log's words). */
export function parseDropReason(reason: string): { code: DropCode; bytes?: number } | undefined {
  const colon = reason.indexOf(':');
  const code = (colon < 0 ? reason : reason.slice(0, colon)) as DropCode;
  if (!DROP_CODES.includes(code)) return undefined;
  if (colon < 0) return { code };
  const size = reason.slice(colon + 1);
  const bytes = Number(size);
  return /^\d+$/.test(size) && Number.isSafeInteger(bytes) ? { code, bytes } : undefined;
}
