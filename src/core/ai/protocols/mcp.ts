/**
 * Model Context Protocol over HTTP: JSON-RPC 2.0 messages paired by id.
 *
 * - HTTP+SSE transport (2024-11-05): a long-lived GET answered with `event: endpoint` (the URL the
 *   client POSTs its messages to), then `event: message` events carrying the server's responses,
 *   requests and notifications. The client's requests travel in separate POSTs (answered 202), so
 *   they are paired only when fed with `client()`.
 * - Streamable HTTP (2025-03-26 and later): the client POSTs a message (or a batch) and the server
 *   answers with `text/event-stream` carrying notifications, requests and finally the responses;
 *   the session is named by the `Mcp-Session-Id` header; events may carry ids for resumption.
 */
import type { ConversationBuilder } from '../builder';
import { asText, isObject, num, obj, str, type Json } from '../json';
import type { McpExchange } from '../types';
import type { ProtocolHandler } from './handler';

export interface McpHandler extends ProtocolHandler {
  /** JSON-RPC messages the client sent (a request body), at `time`. */
  client(value: Json, time: number): void;
}

type Id = string | number;

function idOf(value: unknown): Id | undefined {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : undefined;
}

export function mcp(b: ConversationBuilder): McpHandler {
  const c = b.conversation;
  /** Requests waiting for their response, by `${from}:${id}`. */
  const pending = new Map<string, McpExchange>();
  const byKey = new Map<string, McpExchange>();
  let clientRequests = 0;

  const message = (from: 'client' | 'server', value: Json, time: number) => {
    if (Array.isArray(value)) {
      for (const one of value) message(from, one, time);
      return;
    }
    if (!isObject(value) || value.jsonrpc !== '2.0') {
      b.warn('unparsable', `Not a JSON-RPC 2.0 message: ${asText(value).slice(0, 80)}`, time);
      return;
    }
    const id = idOf(value.id);
    const method = str(value.method);
    if (method !== undefined) {
      const exchange: McpExchange = { from, method, requestTime: time, ...(id === undefined ? {} : { id }) };
      if (value.params !== undefined) exchange.params = value.params;
      c.mcp.push(exchange);
      if (id !== undefined) {
        pending.set(`${from}:${id}`, exchange);
        byKey.set(`${from}:${id}`, exchange);
        if (from === 'client') clientRequests++;
      }
      if (c.status === 'waiting') c.status = 'streaming';
      return;
    }
    if (id === undefined && value.error === undefined) {
      b.warn('unparsable', 'A JSON-RPC message with neither method nor id', time);
      return;
    }
    // A response: it answers a request of the other side.
    const asker = from === 'server' ? 'client' : 'server';
    const key = `${asker}:${id ?? 'null'}`;
    let exchange = pending.get(key);
    if (exchange === undefined) {
      if (byKey.has(key)) b.warn('unanswered', `A second response to request ${String(id)}`, time);
      else if (clientRequests > 0 || from === 'client')
        b.warn('unanswered', `A response to request ${String(id)}, which we did not see`, time);
      exchange = { from: asker, ...(id === undefined ? {} : { id }) };
      c.mcp.push(exchange);
    }
    pending.delete(key);
    exchange.responseTime = time;
    if (value.result !== undefined) exchange.result = value.result;
    const error = obj(value.error);
    if (error !== undefined) {
      exchange.error = {
        code: num(error.code),
        message: str(error.message) ?? asText(error),
        ...(error.data === undefined ? {} : { data: error.data }),
      };
      b.error({
        time,
        code: num(error.code)?.toString(),
        message: `${exchange.method ?? `request ${String(id)}`}: ${exchange.error.message}`,
      });
    }
    if (c.status === 'waiting') c.status = 'streaming';
    // Streamable HTTP: the POST's stream is complete once every request it carried is answered.
    if (clientRequests > 0 && ![...pending.keys()].some((k) => k.startsWith('client:'))) b.terminate(time);
  };

  return {
    client(value, time) {
      message('client', value, time);
      b.changed();
    },
    event(type, data, json, time) {
      if (type === 'endpoint') {
        c.mcpEndpoint = data;
        b.changed();
        return;
      }
      if (json === undefined) {
        b.warn('unparsable', `Data is not JSON: ${data.slice(0, 80)}`, time);
        return;
      }
      message('server', json, time);
      b.changed();
    },
    end(time) {
      let unanswered = 0;
      for (const [key, exchange] of pending) {
        if (!key.startsWith('client:')) continue;
        unanswered++;
        b.warn('unanswered', `Request ${String(exchange.id)} (${exchange.method ?? '?'}) was not answered`, time);
      }
      // A stream that answered everything it was asked (or a session stream that was simply closed) is complete.
      if (unanswered === 0 && !c.terminated) b.terminate(time);
    },
  };
}

/** Whether a JSON value is a JSON-RPC 2.0 message or a batch of them. */
export function isJsonRpc(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.every((one) => obj(one)?.jsonrpc === '2.0');
  return obj(value)?.jsonrpc === '2.0';
}
