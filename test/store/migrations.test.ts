/** Migrations on real chDB: idempotent, versioned, TTL set, data kept across a restart. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/log.js';
import type { Store } from '../../src/store/clickhouse-store.js';
import { openTestStore } from '../helpers/test-store.js';
import { runMigrations } from '../../src/store/migrations.js';
import { loadMigrationFiles, loadQuery } from '../../src/store/query-files.js';
import { renderDdl } from '../../src/store/render-ddl.js';
import { spansToNative } from '../helpers/spans-to-native.js';
import { loadTrace } from '../../src/store/trace-lookup.js';
import { SpanPairer } from '../../src/graph/pairing/index.js';
import { createSelfMetrics } from '../../src/self-metrics.js';
import { DerivedRowWriter } from '../../src/store/derived-row-writer.js';
import type { Span } from '../../src/span.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-migrate-'));
const oldDir = mkdtempSync(join(tmpdir(), 'faultline-migrate-old-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(oldDir, { recursive: true, force: true });
});

describe('store migrations', () => {
  it('apply once, set TTL, and keep data across a reopen of the same data dir', async () => {
    const spans = simulate(ciPipeline, { seed: 5, startMs: Date.now() - 120_000, durationMs: 60_000, requests: 10 }).spans;
    let store = await openTestStore(dir);
    const first = await runMigrations(store, { cluster: undefined, retentionDays: 3 }, silentLogger);
    expect(first.applied).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(first.applied).toEqual([...first.applied].sort((a, b) => a - b));
    await store.insertNative('otel_traces', spansToNative(spans));
    const [ddl] = await store.query('show_create_table', { table: 'otel_traces' });
    expect(ddl!.statement).toMatch(/TTL toDateTime\(Timestamp\) \+ toIntervalDay\(3\)/);
    expect(ddl!.statement).toMatch(/`TraceId` String CODEC\(ZSTD\(1\)\)/); // 0007
    expect(ddl!.statement).toMatch(/merge_selector_base = 12/); // 0014
    expect(ddl!.statement).toContain('INDEX idx_span_attr_key mapKeys(SpanAttributes)');
    expect(ddl!.statement).not.toContain('idx_res_attr'); // 0015
    const [rollupDdl] = await store.query('show_create_table', { table: 'span_rollup_1m' });
    expect(rollupDdl!.statement).toMatch(/TTL Minute \+ toIntervalDay\(3\)/);
    await store.close();

    store = await openTestStore(dir);
    const second = await runMigrations(store, { cluster: undefined, retentionDays: 3 }, silentLogger);
    expect(second.applied).toEqual([]);
    expect(second.current).toBe(first.current);
    const [row] = await store.query('span_count', { service: '' });
    expect(row!.count).toBe(spans.length);
    await store.close();
  });

  it('upgrade: a store left at version 4 with data is rebuilt (0005), switched to grouped derived rows (0006), the ingest codecs (0007), environment-keyed rollups (0008), events, links and the trace lookup (0009, 0010), latency buckets (0011) and the actions audit (0012) without losing a span or a rollup row', async () => {
    const spans = simulate(ciPipeline, { seed: 6, startMs: Date.now() - 600_000, durationMs: 300_000, requests: 200 }).spans;
    let store = await openTestStore(oldDir);
    // The tables as version 4 of the files created them (sorted by operation and time; rollups service first).
    const v4 = [
      [
        'PRIMARY KEY (ServiceName, toStartOfMinute(Timestamp))\nORDER BY (ServiceName, toStartOfMinute(Timestamp), TraceId)',
        'ORDER BY (ServiceName, SpanName, toStartOfMinute(Timestamp), Timestamp)',
      ],
      ['ORDER BY (toStartOfHour(Minute), ', 'ORDER BY ('],
    ] as const;
    for (const m of loadMigrationFiles().filter((f) => f.version <= 3)) {
      let sql = m.sql;
      for (const [now, then] of v4) sql = sql.replace(now, then);
      for (const stmt of renderDdl(sql, { cluster: undefined, retentionDays: 3 })) await store.command(stmt);
    }
    const [oldDdl] = await store.query('show_create_table', { table: 'otel_traces' });
    expect(oldDdl!.statement).toContain('ORDER BY (ServiceName, SpanName, toStartOfMinute(Timestamp), Timestamp)');
    // ... and recorded them, as that version did.
    await store.command(loadQuery('schema_migrations_create'));
    for (const m of loadMigrationFiles().filter((f) => f.version <= 3))
      await store.insertJson('faultline_schema_migrations', JSON.stringify({ Version: m.version, Name: m.name }) + '\n');
    const old = await runMigrations(store, { cluster: undefined, retentionDays: 3 }, silentLogger, 4);
    expect(old.applied).toEqual([4]);
    await store.insertNative('otel_traces', spansToNative(spans));
    // Version 4 took the pairer's rows one per span / call (span_timings, edge_calls); fill them as it did, here
    // straight from the raw spans (self time = duration, every client span a call to one peer).
    await store.command(
      `INSERT INTO span_timings SELECT Timestamp, ServiceName, SpanName, SpanKind, Duration, Duration, StatusCode = 'Error' FROM otel_traces`,
    );
    await store.command(
      `INSERT INTO edge_calls SELECT Timestamp, TraceId, ServiceName, 'peer', 'external', 'http', Duration, 0, StatusCode = 'Error' FROM otel_traces WHERE SpanKind = 'Client'`,
    );
    const before = await snapshot(store);
    expect(before.spans).toBe(spans.length);
    expect(before.rollupCalls).toBeGreaterThan(0);
    expect(before.edgeCalls).toBeGreaterThan(0);
    await store.close();

    store = await openTestStore(oldDir);
    const upgrade = await runMigrations(store, { cluster: undefined, retentionDays: 3 }, silentLogger);
    expect(upgrade.applied).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(await snapshot(store)).toEqual(before);
    const [ddl] = await store.query('show_create_table', { table: 'otel_traces' });
    expect(ddl!.statement).toContain('ORDER BY (ServiceName, toStartOfMinute(Timestamp), TraceId)');
    expect(ddl!.statement).toContain('INDEX idx_trace_id TraceId TYPE bloom_filter');
    expect(ddl!.statement).toMatch(/TTL toDateTime\(Timestamp\) \+ toIntervalDay\(3\)/);
    expect(ddl!.statement).toMatch(/`TraceId` String CODEC\(ZSTD\(1\)\)/); // 0007
    expect(ddl!.statement).toMatch(/`Events\.Attributes` Array\(Map\(LowCardinality\(String\), String\)\)/); // 0009
    expect(ddl!.statement).toContain('INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter');
    // 0010: a trace stored before the lookup table existed is found through it.
    const trace = spans[0]!.traceId;
    expect((await loadTrace(store, trace)).map((s) => s.spanId).sort()).toEqual(
      spans
        .filter((s) => s.traceId === trace)
        .map((s) => s.spanId)
        .sort(),
    );
    const [rollup] = await store.query('show_create_table', { table: 'span_rollup_1m' });
    expect(rollup!.statement).toContain('ORDER BY (toStartOfHour(Minute), ServiceName, SpanName, SpanKind, Minute, Environment)'); // 0008
    expect(rollup!.statement).toContain('`LatencyBuckets` SimpleAggregateFunction(sumMap, Map(UInt16, UInt64))'); // 0011
    // The new views feed the swapped-in rollups.
    await writeDerived(store, simulate(ciPipeline, { seed: 7, startMs: Date.now() - 120_000, durationMs: 60_000, requests: 20 }).spans);
    const after = await snapshot(store);
    expect(after.rollupCalls).toBeGreaterThan(before.rollupCalls as number);
    expect(after.edgeCalls).toBeGreaterThan(before.edgeCalls as number);
    await store.close();
  });
});

/** Pairs the spans and writes the edge calls and span timings they give (the rollups fill through the views). */
async function writeDerived(store: Store, spans: Span[]): Promise<void> {
  const derived = new DerivedRowWriter(
    store,
    { flushIntervalMs: 60_000, flushRows: 1_000_000, maxBuffered: 1_000_000 },
    createSelfMetrics().registry,
    silentLogger,
  );
  let clock = 0;
  const pairer = new SpanPairer(
    { waitMs: 0, maxPending: 100_000 },
    {
      onEdge: (c) => derived.addEdge(c),
      onSpanTiming: (t) => derived.addSpanTiming(t),
      onUnpaired: () => undefined,
      onEvicted: () => undefined,
    },
    () => clock,
  );
  pairer.add(spans);
  clock++;
  pairer.settleExpired();
  await derived.flush();
}

/** Counts that a rebuild must keep: spans, and the calls and p99s the rollups hold. */
async function snapshot(store: Store): Promise<Record<string, number | number[]>> {
  const [row] = await store.query('store_snapshot');
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Array.isArray(v) ? v.map(Number) : Number(v)]));
}
