/** Grouped derived rows reach the rollups intact (real chDB): minute boundaries, errors, sketches, retries, drops. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { EdgeCall, SpanTiming } from '../../src/graph/edge-call.js';
import { silentLogger } from '../../src/log.js';
import type { Store } from '../../src/store/clickhouse-store.js';
import { loadConfig } from '../../src/config.js';
import { openTestStore } from '../helpers/test-store.js';
import { DerivedRowWriter } from '../../src/store/derived-row-writer.js';
import { edgeLatency, serviceLatency } from '../../src/store/latency-queries.js';
import { runMigrations } from '../../src/store/migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-derived-'));
let store: Store;
beforeAll(async () => {
  store = await openTestStore(dir);
  await runMigrations(store, { cluster: undefined, retentionDays: 7 }, silentLogger);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const minute = Math.floor(Date.now() / 60_000) - 30; // minutes since the epoch, half an hour ago
const ms = (m: number) => m * 60_000;
const opts = { flushIntervalMs: 60_000, flushRows: 1_000_000, maxBuffered: 1_000_000 };

const timing = (service: string, m: number, durationMs: number, failed = false): SpanTiming => ({
  minute: m,
  serviceName: service,
  environment: '',
  spanName: 'GET /x',
  spanKind: 'Server',
  durationNs: durationMs * 1e6,
  selfTimeNs: (durationMs * 1e6) / 2,
  failed,
});

const call = (
  client: string,
  server: string,
  serverKind: EdgeCall['serverKind'],
  m: number,
  clientMs: number,
  serverMs: number,
  failed = false,
): EdgeCall => ({
  minute: m,
  client,
  server,
  clientEnvironment: '',
  serverEnvironment: '',
  serverKind,
  connectionType: serverKind === 'database' ? 'database' : '',
  clientDurationNs: clientMs * 1e6,
  serverDurationNs: serverMs * 1e6,
  failed,
});

const minuteLatency = (service: string, m: number) =>
  serviceLatency(store, { service, operation: '', startMs: ms(m), endMs: ms(m + 1), quantiles: [0.5] }, 0);

describe('DerivedRowWriter', () => {
  it('groups span timings by minute, with calls, errors and quantiles', async () => {
    const w = new DerivedRowWriter(store, opts, new Registry(), silentLogger);
    // 101 spans in the minute (10..109 ms with every 10th failed, and one of 1 s), one in the next.
    for (let i = 0; i < 100; i++) w.addSpanTiming(timing('grouped', minute, 10 + i, i % 10 === 0));
    w.addSpanTiming(timing('grouped', minute, 1000));
    w.addSpanTiming(timing('grouped', minute + 1, 2000, true));
    await w.flush();

    const first = await minuteLatency('grouped', minute);
    expect(first.count).toBe(101);
    expect(first.errors).toBe(10);
    expect(Math.abs(first.quantilesNs[0]! / 1e6 - 60) / 60).toBeLessThan(0.01); // the 51st of 10..109 and 1000
    const second = await minuteLatency('grouped', minute + 1);
    expect(second.count).toBe(1);
    expect(second.errors).toBe(1);
    expect(Math.abs(second.quantilesNs[0]! / 2e9 - 1)).toBeLessThan(0.01);
  });

  it('groups edge calls per edge; a virtual node has client-side latency only', async () => {
    const w = new DerivedRowWriter(store, opts, new Registry(), silentLogger);
    for (let i = 0; i < 40; i++) {
      w.addEdge(call('api', 'orders', 'service', minute, 30, 20, i < 4));
      w.addEdge(call('api', 'postgres', 'database', minute, 5, 0));
    }
    await w.flush();
    const window = [ms(minute), ms(minute + 1)] as const;
    const orders = await edgeLatency(store, 'api', 'orders', ...window);
    expect(orders.calls).toBe(40);
    expect(orders.errors).toBe(4);
    expect(Math.abs(orders.clientQuantilesNs[0]! / 30e6 - 1)).toBeLessThan(0.01);
    expect(Math.abs(orders.serverQuantilesNs[0]! / 20e6 - 1)).toBeLessThan(0.01);
    const db = await edgeLatency(store, 'api', 'postgres', ...window);
    expect(db.calls).toBe(40);
    expect(Math.abs(db.clientQuantilesNs[0]! / 5e6 - 1)).toBeLessThan(0.01);
    expect(db.serverQuantilesNs.every((q) => !Number.isFinite(q) || q === 0)).toBe(true);
  });

  it('with the default settings, a second of a busy instance (100k spans, 40k calls) is one insert per table', async () => {
    // Each flush is two inserts whatever it holds, and the embedded engine runs one statement at a time per
    // connection: flushing on a row count every fraction of a second queued these beside the exports' own inserts.
    const tables: string[] = [];
    const counting: Store = { ...store, insertNative: (t, b) => (tables.push(t), store.insertNative(t, b)) };
    const w = new DerivedRowWriter(counting, loadConfig({}).graph.derived, new Registry(), silentLogger);
    for (let i = 0; i < 100_000; i++) w.addSpanTiming(timing(`busy-${i % 20}`, minute, 1 + (i % 50)));
    for (let i = 0; i < 40_000; i++) w.addEdge(call(`busy-${i % 20}`, 'busy-db', 'database', minute, 2, 0));
    await w.flush();
    expect(tables.sort()).toEqual(['edge_call_groups', 'span_timing_groups']);
    expect((await minuteLatency('busy-7', minute)).count).toBe(5000);
  });

  it('keeps rows through a failed write and writes them on the next flush', async () => {
    let fail = true;
    const flaky: Store = {
      ...store,
      insertNative: (t, b) => (fail ? Promise.reject(new Error('connection reset')) : store.insertNative(t, b)),
    };
    const w = new DerivedRowWriter(flaky, opts, new Registry(), silentLogger);
    for (let i = 0; i < 7; i++) w.addSpanTiming(timing('retried', minute, 5));
    await w.flush();
    expect((await minuteLatency('retried', minute)).count).toBe(0);
    fail = false;
    await w.flush();
    expect((await minuteLatency('retried', minute)).count).toBe(7);
  });

  it('drops the oldest rows past maxBuffered while the store is down, and counts them', async () => {
    const registry = new Registry();
    const down: Store = { ...store, insertNative: () => Promise.reject(new Error('engine gone')) };
    const w = new DerivedRowWriter(down, { ...opts, maxBuffered: 10 }, registry, silentLogger);
    for (let i = 0; i < 8; i++) w.addSpanTiming(timing('dropped', minute, 5));
    await w.flush();
    for (let i = 0; i < 8; i++) w.addSpanTiming(timing('dropped', minute, 5));
    await w.flush();
    const metric = await registry.getSingleMetric('faultline_derived_rows_dropped_total')!.get();
    expect(metric.values.find((v) => v.labels.table === 'span_timing_groups')?.value).toBe(8);
  });
});
