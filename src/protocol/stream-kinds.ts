import type { StreamKind } from './records';

export const STREAM_KINDS: readonly StreamKind[] = ['eventsource', 'fetch', 'xhr'];
