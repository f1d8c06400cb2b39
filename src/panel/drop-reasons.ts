/**
 * The dropped-records notice in the user's language: each reason (protocol/drop-reasons.ts) worded
 * from _locales with its cap's size; a reason in another form (a log kept by an older version) is
 * shown as it came.
 */
import { parseDropReason, type DropCode } from '../protocol/drop-reasons';
import { limitLabel } from '../protocol/limit-label';
import type { LogStats } from '../protocol';
import { t, type MessageKey } from './i18n';

const MESSAGE: Record<DropCode, MessageKey> = {
  'page-log-full': 'dropPageLogFull',
  'frame-log-full': 'dropFrameLogFull',
  'iframes-full': 'dropIframesFull',
  'tab-log-full': 'dropTabLogFull',
  'all-tabs-full': 'dropAllTabsFull',
  'relay-over-budget': 'dropRelayOverBudget',
  'relay-batch-too-large': 'dropRelayTooLarge',
  'relay-malformed': 'dropRelayMalformed',
};

export function describeDrop(reason: string): string {
  const parsed = parseDropReason(reason);
  if (parsed === undefined) return reason;
  return t(MESSAGE[parsed.code], parsed.bytes === undefined ? undefined : [limitLabel(parsed.bytes)]);
}

/** "7 × a tab's log holds at most 512 MiB; 2 × …" */
export function describeDrops(drops: LogStats['droppedReasons']): string {
  return drops.map(({ reason, count }) => `${count} × ${describeDrop(reason)}`).join('; ');
}
