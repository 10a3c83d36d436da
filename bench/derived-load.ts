/**
 * The graph pairer and the derived-row writer as the benches load history with them: spans in, each batch's pairs
 * settled at once and their rollup rows written (the same rows live ingest derives, without waiting for wall time).
 */
import { SpanPairer } from '../src/graph/pairing/index.js';
import { silentLogger } from '../src/log.js';
import { createSelfMetrics } from '../src/self-metrics.js';
import type { Span } from '../src/span.js';
import type { Store } from '../src/store/clickhouse-store.js';
import { DerivedRowWriter } from '../src/store/derived-row-writer.js';

export interface DerivedLoad {
  /** Pairs the batch (a batch holds whole traces) and writes what it derives. */
  add(spans: Span[]): Promise<void>;
  /** Settles whatever still waits for a counterpart and writes it. */
  finish(): Promise<void>;
}

export function derivedLoad(store: Store): DerivedLoad {
  const derived = new DerivedRowWriter(
    store,
    { flushIntervalMs: 1_000_000, flushRows: 200_000, maxBuffered: 10_000_000 },
    createSelfMetrics().registry,
    silentLogger,
  );
  // The pairer's clock moves one tick per batch: with no wait, every batch settles before the next.
  let clock = 0;
  const pairer = new SpanPairer(
    { waitMs: 0, maxPending: 5_000_000 },
    {
      onEdge: (c) => derived.addEdge(c),
      onSpanTiming: (t) => derived.addSpanTiming(t),
      onUnpaired: () => undefined,
      onEvicted: () => undefined,
    },
    () => clock,
  );
  return {
    async add(spans) {
      pairer.add(spans);
      clock++;
      pairer.settleExpired();
      await derived.flush();
    },
    async finish() {
      pairer.settleAll();
      await derived.flush();
    },
  };
}
