/**
 * How long AI assembly takes for a 100k-delta reply, per protocol: the stream goes through a
 * LogStore in batches of 100 deltas (as the panel receives it) and AiLogFeed brings the assembler up
 * to date after each batch, as a live Conversation view would. Run:
 * `node --import tsx test/bench/ai-assembly.ts [deltas]`.
 */
import type { PageRecord, StoredRecord } from '../../src/protocol';
import { LogStore } from '../../src/core/log-store';
import { AiLogFeed } from '../../src/core/ai/log-feed';
import { rechunk, type RechunkableProtocol } from '../../src/core/ai/rechunk';

const deltas = Number(process.argv[2] ?? 100_000);
const PROTOCOLS: RechunkableProtocol[] = [
  'openai-chat',
  'openai-responses',
  'anthropic',
  'gemini',
  'vercel-ui',
  'vercel-data',
  'ndjson',
];

let seq = 0;
const stored = (record: PageRecord): StoredRecord => ({ ...record, frameId: 0, seq: seq++ }) as StoredRecord;

for (const protocol of PROTOCOLS) {
  const wire = rechunk(
    { text: 'tok '.repeat(deltas) },
    { responseAt: 0, deltaTimes: Array.from({ length: deltas }, (_, i) => i), charsPerDelta: 4 },
    { protocol, usage: { input: 10, output: deltas } },
  );
  const store = new LogStore();
  const feed = new AiLogFeed(store);
  store.apply([
    stored({
      type: 'stream-open',
      stream: 's',
      kind: 'fetch',
      url: 'https://bench/',
      method: 'POST',
      requestHeaders: [],
      frameUrl: '',
      time: 0,
    }),
    stored({
      type: 'stream-response',
      stream: 's',
      status: 200,
      statusText: 'OK',
      responseHeaders: wire.headers,
      contentType: wire.contentType,
      time: 0,
    }),
  ]);
  const texts: string[] = [];
  for (let i = 0; i < wire.chunks.length; i += 100)
    texts.push(
      wire.chunks
        .slice(i, i + 100)
        .map((c) => c.text)
        .join(''),
    );
  let storeMs = 0;
  let feedMs = 0;
  let worstFeedMs = 0;
  texts.forEach((text, i) => {
    const t0 = performance.now();
    store.apply([stored({ type: 'stream-chunk', stream: 's', text, bytes: text.length, time: i })]);
    const t1 = performance.now();
    feed.update();
    const t2 = performance.now();
    storeMs += t1 - t0;
    feedMs += t2 - t1;
    worstFeedMs = Math.max(worstFeedMs, t2 - t1);
  });
  store.apply([stored({ type: 'stream-state', stream: 's', state: 'closed', reason: 'ended-by-server', time: texts.length })]);
  const t3 = performance.now();
  const assembler = feed.assembler('s')!;
  const summary = assembler.summary();
  const summaryMs = performance.now() - t3;
  const c = assembler.conversation;
  if (c.replies[0]?.text.length !== deltas * 4 || c.status !== 'done')
    throw new Error(`${protocol}: assembled ${c.replies[0]?.text.length} chars, ${c.status}`);
  console.log(
    `${protocol.padEnd(17)} ${deltas} deltas, ${(wire.chunks.reduce((n, ch) => n + ch.text.length, 0) / 1e6).toFixed(1)} MB: ` +
      `LogStore ${storeMs.toFixed(0)} ms, assembly ${feedMs.toFixed(0)} ms (${((feedMs * 1000) / deltas).toFixed(2)} µs/delta, worst batch ${worstFeedMs.toFixed(1)} ms), ` +
      `summary ${summaryMs.toFixed(1)} ms, ${summary.deltas} deltas timed`,
  );
}
