/** Commit-before-ack batching on a real chDB store. The only stand-in is a gate that holds inserts, to create a backlog. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotReadyError, OverloadedError, StoreUnavailableError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { createSelfMetrics } from '../../src/self-metrics.js';
import type { Store } from '../../src/store/clickhouse-store.js';
import { openTestStore } from '../helpers/test-store.js';
import { runMigrations } from '../../src/store/migrations.js';
import { SpanBatchWriter } from '../../src/store/span-batch-writer.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

let store: Store;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-writer-'));
  store = await openTestStore(dir);
  await runMigrations(store, { cluster: undefined, retentionDays: 7 }, silentLogger);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real store, with inserts held until `open()`: a slow store we can control. */
function gated(inner: Store) {
  let release!: () => void;
  let gate = new Promise<void>((r) => (release = r));
  let inserts = 0;
  const s: Store = {
    ...inner,
    async insertNative(table, block) {
      inserts++;
      await gate;
      return inner.insertNative(table, block);
    },
  };
  return {
    store: s,
    open: () => release(),
    close: () => (gate = new Promise<void>((r) => (release = r))),
    inserts: () => inserts,
  };
}

const spans = (seed: number, requests: number) =>
  simulate(ciPipeline, { seed, startMs: Date.now() - 60_000, durationMs: 30_000, requests }).spans;

/** A writer on the real store that counts its inserts, batching for up to `batchMaxDelayMs`. */
function lingeringWriter(batchMaxDelayMs: number) {
  let inserts = 0;
  const counting: Store = { ...store, insertNative: (t, b) => (inserts++, store.insertNative(t, b)) };
  const w = new SpanBatchWriter(
    counting,
    { batchMaxSpans: 1_000_000, batchMaxDelayMs, queueMaxSpans: 1_000_000 },
    createSelfMetrics(),
    silentLogger,
  );
  return { w, inserts: () => inserts };
}

/** `n` exports of `requests` simulated requests each, one every `gapMs`, without waiting for their acks. */
async function stream(w: SpanBatchWriter, n: number, gapMs: number, seed: number, requests: number): Promise<void> {
  const streamed: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    streamed.push(w.accept(spans(seed + i, requests)));
    await new Promise((r) => setTimeout(r, gapMs));
  }
  await Promise.all(streamed);
}

const count = async (traceIds: string[]) => (await store.query('spans_for_traces', { traceIds: [...new Set(traceIds)] })).length;

describe('SpanBatchWriter', () => {
  it('groups concurrent requests into one insert and acks each only after commit', async () => {
    const g = gated(store);
    const committed: number[] = [];
    const w = new SpanBatchWriter(
      g.store,
      {
        batchMaxSpans: 10_000,
        batchMaxDelayMs: 5,
        queueMaxSpans: 100_000,
        digest: (s) => s.length,
        onCommitted: (counts) => committed.push(counts.reduce((a, b) => a + b, 0)),
      },
      createSelfMetrics(),
      silentLogger,
    );
    const batches = [spans(1, 5), spans(2, 5), spans(3, 5)];
    let acked = 0;
    const all = batches.map((b) => w.accept(b).then(() => acked++));
    await new Promise((r) => setTimeout(r, 50));
    expect(acked).toBe(0); // insert is held: nothing may be acked yet
    expect(g.inserts()).toBe(1);
    g.open();
    await Promise.all(all);
    expect(acked).toBe(3);
    expect(await count(batches.flat().map((s) => s.traceId))).toBe(batches.flat().length);
    // The post-commit hook runs after the acks, off the clients' round trip: until it has, the batch still counts
    // as uncommitted for an analysis that waits for everything received by now (pipeline-settlement.ts).
    expect(committed).toEqual([]);
    expect(w.oldestUncommittedAt()).toBeDefined();
    await new Promise((r) => setTimeout(r, 300)); // no other write comes: the hook's deferral is bounded (200 ms)
    expect(committed).toEqual([batches.flat().length]);
    expect(w.oldestUncommittedAt()).toBeUndefined();
  });

  it("runs the previous batch's post-commit hook when the next write starts, and on close()", async () => {
    const committed: number[] = [];
    const w = new SpanBatchWriter(
      store,
      {
        batchMaxSpans: 10_000,
        batchMaxDelayMs: 0,
        queueMaxSpans: 100_000,
        digest: (s) => s.length,
        onCommitted: (counts) => committed.push(...counts),
      },
      createSelfMetrics(),
      silentLogger,
    );
    const [a, b, c] = [spans(61, 3), spans(62, 3), spans(63, 3)];
    await w.accept(a);
    expect(committed).toEqual([]);
    await w.accept(b); // a few ms on this store: far from the 200 ms bound, so a's hook ran when b's write started
    expect(committed).toEqual([a.length]);
    await w.accept(c);
    expect(committed).toEqual([a.length, b.length]);
    await w.close();
    expect(committed).toEqual([a.length, b.length, c.length]);
  });

  it('lingers for a stream of exports, but not for clients that wait for their acks (a closed loop)', async () => {
    const { w, inserts } = lingeringWriter(1000);
    // A stream: an export every 5 ms keeps the idle writer waiting for more, so they share few inserts.
    await stream(w, 40, 5, 100, 2);
    expect(inserts()).toBeLessThanOrEqual(3);
    // A closed loop: 8 clients send, wait for the ack, send again. Once the writer has seen them go quiet after
    // each round, a round takes an insert, not the 1 s delay.
    const rounds: number[] = [];
    for (let r = 0; r < 8; r++) {
      const t0 = performance.now();
      await Promise.all(Array.from({ length: 8 }, (_, c) => w.accept(spans(1000 + r * 8 + c, 2))));
      rounds.push(performance.now() - t0);
    }
    expect(Math.max(...rounds.slice(-4)), `rounds took ${rounds.map(Math.round).join(', ')} ms`).toBeLessThan(500);
    await w.close();
  });

  it('does not wait for quiet once every client of a closed loop has sent again (as many as the last write acked)', async () => {
    const { w, inserts } = lingeringWriter(2000);
    // A slow stream first (an export every 100 ms): the writer learns to wait ~400 ms of quiet before it writes.
    await stream(w, 20, 100, 200, 1);
    // Then 6 clients in a closed loop, each sending again as soon as its own export is acked. After the round that
    // the stream's last batch size cut short, each round is written once all 6 have sent: no wait for quiet.
    const t0 = performance.now();
    const before = inserts();
    await Promise.all(
      Array.from({ length: 6 }, async (_, c) => {
        for (let r = 0; r < 6; r++) await w.accept(spans(2000 + r * 6 + c, 1));
      }),
    );
    const tookMs = performance.now() - t0;
    // Measured: ~0.5 s (the first round waits for quiet once). Waiting for quiet until the gaps of the closed loop
    // outnumber the stream's (two rounds of ~400 ms) took ~1.4 s.
    expect(tookMs, `${inserts() - before} inserts`).toBeLessThan(750);
    await w.close();
  });

  it('refuses with OverloadedError when the queue is full, and keeps what it accepted', async () => {
    const g = gated(store);
    const w = new SpanBatchWriter(
      g.store,
      { batchMaxSpans: 100, batchMaxDelayMs: 0, queueMaxSpans: 200 },
      createSelfMetrics(),
      silentLogger,
    );
    const first = spans(10, 5); // 75 spans
    const second = spans(11, 5);
    const third = spans(12, 5);
    const p1 = w.accept(first);
    const p2 = w.accept(second);
    await expect(w.accept(third)).rejects.toBeInstanceOf(OverloadedError);
    expect(w.depth).toBe(first.length + second.length);
    g.open();
    await Promise.all([p1, p2]);
    expect(await count([...first, ...second].map((s) => s.traceId))).toBe(first.length + second.length);
    expect(await count(third.map((s) => s.traceId))).toBe(0);
  });

  it('fails every waiting request with StoreUnavailableError when the insert fails', async () => {
    const broken: Store = { ...store, insertNative: () => Promise.reject(new Error('connection reset')) };
    const w = new SpanBatchWriter(
      broken,
      { batchMaxSpans: 1000, batchMaxDelayMs: 1, queueMaxSpans: 10_000 },
      createSelfMetrics(),
      silentLogger,
    );
    const results = await Promise.allSettled([w.accept(spans(20, 2)), w.accept(spans(21, 2))]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    }
    expect(w.depth).toBe(0);
  });

  it('close() flushes everything accepted and then refuses new spans', async () => {
    const w = new SpanBatchWriter(
      store,
      { batchMaxSpans: 50, batchMaxDelayMs: 10_000, queueMaxSpans: 100_000 },
      createSelfMetrics(),
      silentLogger,
    );
    const batches = [spans(30, 4), spans(31, 4), spans(32, 4)];
    const acks = batches.map((b) => w.accept(b));
    await w.close();
    await Promise.all(acks);
    expect(await count(batches.flat().map((s) => s.traceId))).toBe(batches.flat().length);
    await expect(w.accept(spans(33, 1))).rejects.toBeInstanceOf(NotReadyError);
  });

  it('drops a request whose client gave up while it waited, instead of committing it (the client will resend it)', async () => {
    const g = gated(store);
    const w = new SpanBatchWriter(
      g.store,
      { batchMaxSpans: 1000, batchMaxDelayMs: 0, queueMaxSpans: 100_000 },
      createSelfMetrics(),
      silentLogger,
    );
    // Two writes may run at once: fill both with requests that wait forever at the gate, then one with a deadline.
    const first = [w.accept(spans(40, 2)), w.accept(spans(41, 2))];
    const late = spans(42, 2);
    const doomed = w.accept(late, Date.now() + 100).then(
      () => 'committed',
      (err: unknown) => err,
    );
    await new Promise((r) => setTimeout(r, 250));
    g.open();
    await Promise.all(first);
    expect(await doomed).toBeInstanceOf(OverloadedError);
    expect(await count(late.map((s) => s.traceId))).toBe(0);
    expect(w.depth).toBe(0);
  });

  it('refuses at once what would wait longer than the bound, with a retry delay', async () => {
    const g = gated(store);
    g.open();
    const w = new SpanBatchWriter(
      g.store,
      { batchMaxSpans: 200, batchMaxDelayMs: 0, queueMaxSpans: 1_000_000, queueMaxWaitMs: 1 },
      createSelfMetrics(),
      silentLogger,
    );
    await w.accept(spans(50, 20)); // a commit teaches it the store's rate
    await new Promise((r) => setTimeout(r, 20)); // and the write has left the queue
    g.close();
    const waiting = w.accept(spans(51, 20)); // taken: nothing queued ahead of it
    const refused = await w.accept(spans(54, 200)).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(OverloadedError);
    expect((refused as OverloadedError).message).toMatch(/overloaded: about \d+ ms to commit/);
    expect((refused as OverloadedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    g.open();
    await waiting;
  });

  it('close() is bounded: after the grace period what is still queued (never acked) is refused as retryable', async () => {
    const g = gated(store);
    const w = new SpanBatchWriter(
      g.store,
      { batchMaxSpans: 50, batchMaxDelayMs: 0, queueMaxSpans: 100_000 },
      createSelfMetrics(),
      silentLogger,
    );
    const outcomes = [60, 61, 62, 63, 64].map((seed) =>
      w.accept(spans(seed, 4)).then(
        () => 'committed',
        (err: unknown) => (err instanceof NotReadyError ? 'refused' : 'other'),
      ),
    );
    const closing = w.close(100);
    await new Promise((r) => setTimeout(r, 300));
    g.open();
    await closing;
    const results = await Promise.all(outcomes);
    // Two writes were running when the grace period ended: they finish; the rest is refused, none lost silently.
    expect(results.filter((r) => r === 'committed')).toHaveLength(2);
    expect(results.filter((r) => r === 'refused')).toHaveLength(3);
    expect(w.depth).toBe(0);
  });
});
