import { describe, expect, it } from 'vitest';
import { loadMigrationFiles } from '../../src/store/query-files.js';
import { renderDdl } from '../../src/store/render-ddl.js';

const all = (cluster: string | undefined) => loadMigrationFiles().flatMap((m) => renderDdl(m.sql, { cluster, retentionDays: 9 }));

describe('renderDdl', () => {
  it('single node: plain engines, no placeholders left, TTL from config', () => {
    const stmts = all(undefined);
    for (const s of stmts) {
      expect(s).not.toMatch(/\{\{|\}\}/);
      expect(s).not.toMatch(/ON CLUSTER|Replicated|Distributed|_local/);
    }
    const traces = stmts.find((s) => s.includes('CREATE TABLE IF NOT EXISTS otel_traces'))!;
    expect(traces).toMatch(/ENGINE = MergeTree/);
    expect(traces).toMatch(/toIntervalDay\(9\)/);
  });

  it('cluster: ON CLUSTER everywhere, Replicated engines on local tables, a Distributed table per table', () => {
    const stmts = all('prod');
    for (const s of stmts) expect(s).toContain("ON CLUSTER 'prod'");
    const local = stmts.find((s) => s.includes('CREATE TABLE IF NOT EXISTS otel_traces_local'))!;
    expect(local).toContain("ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/otel_traces_local', '{replica}')");
    const dist = stmts.find((s) => s.startsWith('CREATE TABLE IF NOT EXISTS otel_traces ON CLUSTER'))!;
    expect(dist).toContain("Distributed('prod', currentDatabase(), 'otel_traces_local', cityHash64(TraceId))");
    const incidents = stmts.find((s) => s.includes('CREATE TABLE IF NOT EXISTS incidents_local'))!;
    expect(incidents).toContain(
      "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/incidents_local', '{replica}', Version)",
    );
    // Materialized views read and write the shard-local tables, so each shard rolls up its own inserts.
    const mv = stmts.find((s) => s.includes('CREATE MATERIALIZED VIEW IF NOT EXISTS span_rollup_1m_groups_mv'))!;
    expect(mv).toContain('TO span_rollup_1m_local');
    expect(mv).toContain('FROM span_timing_groups_local');
    // Dropping a replaced table drops both its Distributed table and the shard-local one.
    expect(stmts).toContain("DROP TABLE IF EXISTS edge_calls ON CLUSTER 'prod'");
    expect(stmts).toContain("DROP TABLE IF EXISTS edge_calls_local ON CLUSTER 'prod'");
    for (const t of ['otel_traces', 'span_timing_groups', 'span_rollup_1m', 'edge_call_groups', 'edge_rollup_1m', 'incidents']) {
      expect(stmts.some((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${t} ON CLUSTER 'prod' AS ${t}_local`))).toBe(true);
    }
  });

  it('a single-node-only rebuild renders on one node and to nothing on a cluster', () => {
    const rebuild = loadMigrationFiles().find((m) => m.name === 'resort_tables')!;
    expect(renderDdl(rebuild.sql, { cluster: 'prod', retentionDays: 9 })).toEqual([]);
    const single = renderDdl(rebuild.sql, { cluster: undefined, retentionDays: 9 });
    expect(single.some((s) => s.startsWith('EXCHANGE TABLES otel_traces AND otel_traces_resorted'))).toBe(true);
    expect(single.join('\n')).toContain('toIntervalDay(9)');
  });
});
