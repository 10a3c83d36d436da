/**
 * faultline's otel_traces as other tools use it (issue 15): the SQL Grafana's ClickHouse datasource sends for trace
 * search and for the trace view (OTel mode, with the trace-id lookup table), and the Collector clickhouseexporter's
 * INSERT, run on chDB against the tables faultline's migrations made. The SQL is in testdata/grafana/ (see its README).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../src/span.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

const sql = (name: string) => readFileSync(join(import.meta.dirname, 'testdata/grafana', `${name}.sql`), 'utf8').trim();

let h: Harness;
let spans: Span[];
const now = Date.now();
const fromS = Math.floor((now - 20 * 60_000) / 1000);
const toS = Math.ceil(now / 1000);

beforeAll(async () => {
  h = await startHarness();
  const sim = simulate(ciPipeline, {
    seed: 21,
    startMs: now - 10 * 60_000,
    durationMs: 5 * 60_000,
    requests: 60,
    faults: [{ kind: 'errors', service: 'storage-s3', rate: 0.3 }],
  }).spans;
  // Every tenth span also links to the span before it, as a batch consumer links its producers.
  spans = sim.map((s, i) =>
    i % 10 === 9
      ? {
          ...s,
          links: [{ traceId: sim[i - 1]!.traceId, spanId: sim[i - 1]!.spanId, traceState: 'k=v', attributes: { 'link.kind': 'producer' } }],
        }
      : s,
  );
  await sendSpans(h.otlpHttp, spans);
});
afterAll(() => h.stop());

// Grafana names the database it was configured with ("default" in the plugin's tests; the test store's here).
const grafana = async <T>(name: string, traceId = '') =>
  h.app.store.querySql<T>(
    sql(name)
      .replaceAll(
        '"default".',
        `"${(await h.app.store.querySql<{ db: string }>('SELECT currentDatabase() AS db', {}, 'database'))[0]!.db}".`,
      )
      .replaceAll('$__fromTime', `toDateTime(${fromS})`)
      .replaceAll('$__toTime', `toDateTime(${toS})`)
      .replaceAll('$traceId', traceId),
    {},
    name,
  );

describe("Grafana's ClickHouse datasource (OTel mode)", () => {
  it('trace search lists every root span of the window (a root is stored with an empty ParentSpanId)', async () => {
    const rows = await grafana<{ traceID: string; serviceName: string; duration: number }>('trace_search');
    const roots = spans.filter((s) => s.parentSpanId === '');
    expect(roots.length).toBeGreaterThan(10);
    expect(rows.map((r) => r.traceID).sort()).toEqual(roots.map((s) => s.traceId).sort());
    expect(rows.every((r) => r.duration > 0)).toBe(true);
  });

  it('the trace view returns every span of a trace, with its exception events as logs and its links as references', async () => {
    const failed = spans.find((s) => s.events?.length && spans.some((o) => o.traceId === s.traceId && o.links?.length));
    expect(failed).toBeDefined();
    const traceId = failed!.traceId;
    const rows = await grafana<{
      spanID: string;
      parentSpanID: string;
      statusCode: number;
      logs: { name: string; fields: Record<string, string>[] }[];
      references: { traceID: string; spanID: string; tags: Record<string, string>[] }[];
    }>('trace_by_id', traceId);
    const expected = spans.filter((s) => s.traceId === traceId);
    expect(rows.map((r) => r.spanID).sort()).toEqual(expected.map((s) => s.spanId).sort());
    const row = rows.find((r) => r.spanID === failed!.spanId)!;
    expect(row.statusCode).toBe(2);
    expect(row.logs[0]!.name).toBe('exception');
    expect(row.logs[0]!.fields).toContainEqual({ key: 'exception.type', value: 'SimulatedError' });
    const linked = expected.find((s) => s.links?.length)!;
    const refs = rows.find((r) => r.spanID === linked.spanId)!.references;
    expect(refs).toEqual([
      { traceID: linked.links![0]!.traceId, spanID: linked.links![0]!.spanId, tags: [{ key: 'link.kind', value: 'producer' }] },
    ]);
  });
});

describe("the Collector's clickhouseexporter", () => {
  it('its 22-column INSERT fits otel_traces, and what it wrote is found through the lookup table', async () => {
    const traceId = 'ab'.repeat(16);
    const at = new Date(now - 60_000).toISOString().replace('T', ' ').replace('Z', '');
    const row = (spanId: string, parent: string, events: boolean) => ({
      Timestamp: at,
      TraceId: traceId,
      SpanId: spanId,
      ParentSpanId: parent,
      TraceState: '',
      SpanName: 'GET /',
      SpanKind: 'Server',
      ServiceName: 'exported-by-collector',
      ResourceAttributes: { 'service.name': 'exported-by-collector' },
      ScopeName: 'otelcol',
      ScopeVersion: '0.135.0',
      SpanAttributes: { 'http.route': '/' },
      Duration: 1_500_000,
      StatusCode: 'Ok',
      StatusMessage: '',
      'Events.Timestamp': events ? [at] : [],
      'Events.Name': events ? ['cache miss'] : [],
      'Events.Attributes': events ? [{ key: 'k' }] : [],
      'Links.TraceId': [],
      'Links.SpanId': [],
      'Links.TraceState': [],
      'Links.Attributes': [],
    });
    const body = [row('00000000000000a1', '', true), row('00000000000000a2', '00000000000000a1', false)]
      .map((r) => JSON.stringify(r))
      .join('\n');
    await h.app.store.command(`${sql('exporter_insert')}\n${body}`);
    const rows = await grafana<{ spanID: string; logs: { name: string }[] }>('trace_by_id', traceId);
    expect(rows.map((r) => r.spanID).sort()).toEqual(['00000000000000a1', '00000000000000a2']);
    expect(rows.find((r) => r.spanID === '00000000000000a1')!.logs.map((l) => l.name)).toEqual(['cache miss']);
    // faultline's own trace API reads it too.
    const res = await fetch(`${h.api}/api/v1/traces/${traceId}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { spans: unknown[] }).spans).toHaveLength(2);
  });
});
