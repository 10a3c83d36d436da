/**
 * Sharing a database with the Collector's clickhouseexporter (issue 15): faultline never alters a table it did not
 * create. On a store where the exporter already made otel_traces it refuses to start and says what to do;
 * with FAULTLINE_TRACES_TABLE it keeps its spans in its own table and leaves the exporter's as it was.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestStore } from '../helpers/test-store.js';
import { loadMigrationFiles } from '../../src/store/query-files.js';
import { renderDdl } from '../../src/store/render-ddl.js';
import { startHarness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

describe('a database the exporter already writes to', () => {
  it('a first start that stopped after creating its own otel_traces (before recording it) starts again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'faultline-interrupted-'));
    const store = await openTestStore(dataDir);
    const [first] = loadMigrationFiles();
    for (const stmt of renderDdl(first!.sql, { cluster: undefined, retentionDays: 7 })) await store.command(stmt);
    await store.close();
    const h = await startHarness({}, dataDir);
    expect((await h.app.store.query('schema_migrations_applied')).length).toBe(loadMigrationFiles().length);
    await h.stop();
  });

  it('refuses to start on an exporter-made otel_traces, then runs beside it under FAULTLINE_TRACES_TABLE', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'faultline-shared-'));
    const exporterDdl = readFileSync(join(import.meta.dirname, 'testdata/exporter/otel_traces.sql'), 'utf8');
    let store = await openTestStore(dataDir);
    await store.command(exporterDdl);
    const ddlOf = async (table: string) => (await store.query('show_create_table', { table }))[0]?.statement;
    const before = await ddlOf('otel_traces');
    await store.close();

    await expect(startHarness({}, dataDir)).rejects.toThrow(
      /otel_traces already exists and faultline did not create it.*FAULTLINE_TRACES_TABLE/,
    );

    const h = await startHarness({ FAULTLINE_TRACES_TABLE: 'faultline_traces' }, dataDir);
    const spans = simulate(ciPipeline, { seed: 4, startMs: Date.now() - 5 * 60_000, durationMs: 60_000, requests: 10 }).spans;
    await sendSpans(h.otlpHttp, spans);
    const trace = await fetch(`${h.api}/api/v1/traces/${spans[0]!.traceId}`);
    expect(trace.status).toBe(200);
    expect(((await trace.json()) as { spans: unknown[] }).spans.length).toBe(spans.filter((s) => s.traceId === spans[0]!.traceId).length);
    expect((await h.app.store.query('span_count', { service: '' }))[0]!.count).toBe(spans.length);
    // Table names passed as values are not renamed: these read the tables by their own names.
    store = h.app.store;
    try {
      expect(await ddlOf('otel_traces')).toBe(before);
      expect((await store.query('table_rows', { table: 'otel_traces' }))[0]!.count).toBe(0);
      expect(await ddlOf('faultline_traces_trace_id_ts')).toContain('ORDER BY (TraceId, Start)');
    } finally {
      await h.stop();
    }
  });
});
