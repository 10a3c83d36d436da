/** Migrations on real chDB: idempotent, versioned, TTL set, data kept across a restart. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/log.js';
import { openStore } from '../../src/store/clickhouse-store.js';
import { runMigrations } from '../../src/store/migrations.js';
import { SPAN_COLUMNS, spansToTsv } from '../../src/store/span-rows.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('store migrations', () => {
  it('apply once, set TTL, and keep data across a reopen of the same data dir', async () => {
    const spans = simulate(ciPipeline, { seed: 5, startMs: Date.now() - 120_000, durationMs: 60_000, requests: 10 }).spans;
    let store = await openStore({ dataDir: dir, clickhouseUrl: undefined });
    const first = await runMigrations(store, { cluster: undefined, retentionDays: 3 }, silentLogger);
    expect(first.applied).toEqual([1, 2, 3, 4]);
    expect(first.applied).toEqual([...first.applied].sort((a, b) => a - b));
    await store.insert('otel_traces', 'TabSeparated', spansToTsv(spans), SPAN_COLUMNS);
    const [ddl] = await store.query<{ statement: string }>('show_create_table', { table: 'otel_traces' });
    expect(ddl!.statement).toMatch(/TTL toDateTime\(Timestamp\) \+ toIntervalDay\(3\)/);
    const [rollupDdl] = await store.query<{ statement: string }>('show_create_table', { table: 'span_rollup_1m' });
    expect(rollupDdl!.statement).toMatch(/TTL Minute \+ toIntervalDay\(3\)/);
    await store.close();

    store = await openStore({ dataDir: dir, clickhouseUrl: undefined });
    const second = await runMigrations(store, { cluster: undefined, retentionDays: 3 }, silentLogger);
    expect(second.applied).toEqual([]);
    expect(second.current).toBe(first.current);
    const [row] = await store.query<{ count: number }>('span_count', { service: '' });
    expect(row!.count).toBe(spans.length);
    await store.close();
  });
});
