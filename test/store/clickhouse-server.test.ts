/**
 * The ClickHouse-server path (FAULTLINE_CLICKHOUSE_URL) end to end, through test/helpers/clickhouse-http-front.ts:
 * chDB behind ClickHouse's HTTP interface, standing in for a server that cannot be installed here. Everything goes
 * over HTTP as it would to a server: migrations (with their lock), Native span inserts, derived-row and incident
 * inserts, parameterised reads, retention, and the seed case's analysis. Also: replicas starting together apply
 * each migration once.
 */
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import type { Report } from '../../src/rca/report.js';
import { openStore } from '../../src/store/clickhouse-store.js';
import { runMigrations } from '../../src/store/migrations.js';
import { loadMigrationFiles } from '../../src/store/query-files.js';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import type { ClickHouseHttpFront } from '../helpers/clickhouse-http-front.js';
import { sharedFront } from '../helpers/test-store.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

let front: ClickHouseHttpFront;
let url: string;
let h: Harness;
const now = Date.now();

beforeAll(async () => {
  // The process's one front (chDB holds one data directory per process), in a database of this file's own.
  front = await sharedFront();
  url = `${front.url}/server_path_${process.pid}`;
});
afterAll(() => h?.stop());

describe('faultline on a ClickHouse server (HTTP interface)', () => {
  it('replicas starting together apply each migration once (the lock), and the second finds nothing to do', async () => {
    const stores = await Promise.all([0, 1, 2].map(() => openStore({ dataDir: tmpdir(), clickhouseUrl: url })));
    expect(stores.map((s) => s.kind)).toEqual(['server', 'server', 'server']);
    const results = await Promise.all(stores.map((s) => runMigrations(s, { cluster: undefined, retentionDays: 7 }, silentLogger)));
    const applied = results.flatMap((r) => r.applied).sort((a, b) => a - b);
    const latest = loadMigrationFiles().length;
    const all = Array.from({ length: latest }, (_, i) => i + 1);
    expect(latest).toBeGreaterThanOrEqual(15);
    expect(results.map((r) => r.current)).toEqual([latest, latest, latest]);
    expect(applied).toEqual(all);
    expect(new Set(applied).size).toBe(applied.length);
    // Every version is recorded once (no duplicate rows waiting for a merge).
    const rows = await stores[0]!.query('schema_migrations_applied');
    expect(rows.map((r) => Number(r.version))).toEqual(all);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('ingests over HTTP (Native inserts), reads back, and ranks the seed case as on chDB', async () => {
    h = await startHarness({ FAULTLINE_CLICKHOUSE_URL: url, FAULTLINE_PAIR_WAIT_MS: '2000' });
    expect(h.app.store.kind).toBe('server');
    const windowStart = now - 20 * 60_000;
    const baseline = simulate(ciPipeline, {
      seed: 1,
      startMs: windowStart - 60 * 60_000,
      durationMs: 60 * 60_000,
      requests: 800,
      errorPropagation: 0.1,
    });
    const incident = simulate(ciPipeline, {
      seed: 2,
      startMs: windowStart,
      durationMs: 19 * 60_000,
      requests: 300,
      errorPropagation: 0.1,
      faults: [{ kind: 'latency', service: 'storage-s3', factor: 13 }],
    });
    const spans = [...baseline.spans, ...incident.spans];
    await sendSpans(h.otlpHttp, spans);
    expect((await h.app.store.query('span_count', { service: '' }))[0]!.count).toBe(spans.length);
    expect(front.statements.some((s) => /^INSERT INTO otel_traces FORMAT Native$/.test(s))).toBe(true);

    const trace = await fetch(`${h.api}/api/v1/traces/${spans[0]!.traceId}`);
    expect(trace.status).toBe(200);
    const services = (await (await fetch(`${h.api}/api/v1/services?start=now-2h`)).json()) as { name: string }[];
    expect(services.map((s) => s.name)).toContain('storage-s3');

    const res = await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alertmanagerWebhook([{ service: 'builder', startsAt: new Date(now - 5 * 60_000) }])),
    });
    expect(res.status).toBe(202);
    const { incidents } = (await res.json()) as { incidents: { id: string }[] };
    let report: Report | undefined;
    for (let i = 0; i < 600 && report?.status !== 'done' && report?.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      report = (await (await fetch(`${h.api}/api/v1/incidents/${incidents[0]!.id}`)).json()) as Report;
    }
    expect(report!.status, report!.error).toBe('done');
    expect(report!.candidates[0]!.service).toBe('storage-s3');
    expect(report!.candidates[0]!.path).toEqual(['builder', 'git-proxy', 'storage-s3']);
  });

  it('an engine error over HTTP is recognised by its code (the store refused; not an outage)', async () => {
    await expect(h.app.store.querySql('SELECT * FROM no_such_table', {}, 'probe')).rejects.toThrow(/probe failed \(ClickHouse error 60\)/);
  });
});
