/**
 * The timeline's shared values: a time window, the theme, and the constants the other rooms use.
 * Times are epoch ms (sub-ms precision) as stamped by the parser. A window is inclusive at both ends.
 */

export interface TimeRange {
  from: number;
  to: number;
}

export type TimelineTheme = 'light' | 'dark';

/** Silences longer than this are highlighted as gaps, unless the caller says otherwise. */
export const DEFAULT_GAP_THRESHOLD_MS = 5000;
/** The narrowest window zooming in can reach. */
export const MIN_SPAN_MS = 1;
/** `fitAll` never returns a window narrower than this (a lone event still gets some context). */
export const FIT_MIN_SPAN_MS = 100;
/** `fitAll` pads the data's extent by this fraction of it on each side. */
export const FIT_PADDING = 0.02;
