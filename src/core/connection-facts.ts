/**
 * Facts about one connection that the panel states in words: its reconnect chain, the retry in
 * force, why a stream was captured although mislabelled. Pure, derived from the LogStore.
 */
import type { Connection, LoggedItem } from './log-store';

export interface Reconnect {
  /** When the connection dropped (epoch ms). */
  droppedAt: number;
  /** The Last-Event-ID the browser sends on this reconnect ('' when none). */
  lastEventId: string;
  /** When it was open again, if it was. */
  reopenedAt?: number;
}

/** The reconnects of an EventSource, in order, each with the Last-Event-ID it resumed from. */
export function reconnectChain(connection: Connection): Reconnect[] {
  const chain: Reconnect[] = [];
  for (const transition of connection.transitions) {
    if (transition.reason === 'reconnecting') {
      const lastEventId = transition.detail?.startsWith('Last-Event-ID: ') ? transition.detail.slice(15) : '';
      chain.push({ droppedAt: transition.time, lastEventId });
    } else if (transition.state === 'open' && chain.length > 0 && chain.at(-1)!.reopenedAt === undefined) {
      chain.at(-1)!.reopenedAt = transition.time;
    }
  }
  return chain;
}

/** The last `retry:` the stream sent (fetch/XHR: we see the bytes), or undefined. */
export function retryInForce(items: LoggedItem[], connectionId: string): number | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const { item, connectionId: id } = items[i]!;
    if (id === connectionId && item.kind === 'retry') return item.milliseconds;
  }
  return undefined;
}
