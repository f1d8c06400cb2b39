/**
 * The timeline's model: one lane per connection, its items bucketed into pixel columns, silent
 * gaps, time to first event, an events/second series, axis ticks, and the zoom/pan/hover math.
 * Pure: no DOM, no browser APIs. Nothing here makes an object per item. The rooms:
 * - `types.ts`: the window type, theme, constants;  `colors.ts`: tick types and their colours;
 * - `lane-index.ts`: per-lane typed-array index, kept up to date incrementally;
 * - `buckets.ts`: pixel columns, gaps, the rate series, time <-> x;  `model.ts`: a frame's model;
 * - `hover.ts`: what is under the pointer;  `viewport.ts`: zoom, pan, fit;  `axis.ts`: ticks, labels.
 */
export * from './types';
export * from './colors';
export * from './lane-index';
export * from './buckets';
export * from './model';
export * from './hover';
export * from './viewport';
export * from './axis';
