/** The graph end to end: OTLP in (shuffled, split), GET /api/v1/graph and /metrics out, equal to the simulator's truth. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { Span } from '../../src/span.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { encodeProto } from '../sim/otlp-encode.js';
import { Random } from '../sim/random.js';
import { simulate, type SimulationResult } from '../sim/simulate.js';
import { shop } from '../sim/topology.js';

let h: Harness;
let sim: SimulationResult;
let pendingBeforeSettle = 0;
beforeAll(async () => {
  h = await startHarness();
  sim = simulate(shop, {
    seed: 21,
    startMs: Date.now() - 5 * 60_000,
    durationMs: 60_000,
    requests: 400,
    faults: [{ kind: 'errors', service: 'payment', rate: 0.3 }],
  });
  const spans = new Random(8).shuffle([...sim.spans]);
  for (let i = 0; i < spans.length; i += 500) await send(spans.slice(i, i + 500));
  pendingBeforeSettle = await pendingSpans();
  await h.app.settleGraph();
});
afterAll(() => h.stop());

async function pendingSpans(): Promise<number> {
  const text = await (await fetch(`${h.api}/metrics`)).text();
  return Number(/^faultline_graph_pending_spans (\d+)$/m.exec(text)?.[1]);
}

async function send(spans: Span[]): Promise<void> {
  const res = await fetch(`${h.otlpHttp}/v1/traces`, {
    method: 'POST',
    body: encodeProto(spans),
    headers: { 'content-type': 'application/x-protobuf' },
  });
  expect(res.status).toBe(200);
}

interface GraphJson {
  nodes: { id: string; kind: string; requests: number; errors: number; p99Ms: number; selfTimeP99Ms: number | null }[];
  edges: { source: string; target: string; calls: number; errors: number; p50Ms: number; p99Ms: number }[];
}

async function graph(): Promise<GraphJson> {
  const res = await fetch(`${h.api}/api/v1/graph?start=${Date.now() - 3600_000}&end=${new Date().toISOString()}`);
  expect(res.status).toBe(200);
  return (await res.json()) as GraphJson;
}

function expectGraphMatchesTruth(g: GraphJson): void {
  const edges = Object.fromEntries(g.edges.map((e) => [`${e.source}->${e.target}`, { calls: e.calls, errors: e.errors }]));
  expect(edges).toEqual(Object.fromEntries(sim.edges));
  const kinds = Object.fromEntries(g.nodes.map((n) => [n.id, n.kind]));
  expect(kinds).toEqual(Object.fromEntries(sim.nodes));
}

describe('GET /api/v1/graph', () => {
  it('has exactly the simulated nodes (with kinds) and edges (with call and error counts)', async () => {
    const g = await graph();
    expectGraphMatchesTruth(g);
    expect(g.nodes.find((n) => n.id === 'redis-cart')?.kind).toBe('database');
    expect(g.nodes.find((n) => n.id === 'stripe-api')?.kind).toBe('external');
    expect(g.nodes.find((n) => n.id === 'orders')?.kind).toBe('messaging');
    expect(g.edges.filter((e) => e.target === 'redis-cart').map((e) => e.source)).toEqual(['cart']);
    const payment = g.nodes.find((n) => n.id === 'payment')!;
    expect(payment.errors).toBeGreaterThan(0);
    expect(payment.selfTimeP99Ms).toBeGreaterThan(0);
  });

  it('edge latency percentiles match an exact computation within the sketch bound', async () => {
    const g = await graph();
    const clientDurations = sim.spans
      .filter((s) => s.serviceName === 'payment' && s.kind === 3)
      .map((s) => s.durationNs / 1e6)
      .sort((a, b) => a - b);
    const edge = g.edges.find((e) => e.source === 'payment' && e.target === 'stripe-api')!;
    const p50 = clientDurations[Math.floor(0.5 * (clientDurations.length - 1))]!;
    expect(Math.abs(edge.p50Ms - p50) / p50).toBeLessThan(0.02);
  });

  it('answers DOT with format=dot and 400 for a bad window', async () => {
    const dot = await fetch(`${h.api}/api/v1/graph?format=dot&start=${Date.now() - 3600_000}`);
    expect(dot.headers.get('content-type')).toContain('text/vnd.graphviz');
    const text = await dot.text();
    expect(text).toMatch(/^digraph faultline \{/);
    expect(text).toContain('"checkout" -> "orders"');
    const bad = await fetch(`${h.api}/api/v1/graph?start=2026-01-02T00:00:00Z&end=2026-01-01T00:00:00Z`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_argument');
  });

  it('/metrics service-graph and span-metrics counters equal the truth', async () => {
    const text = await (await fetch(`${h.api}/metrics`)).text();
    const families = parsePrometheusTextFormat(text);
    const family = (name: string) => families.find((f) => f.name === name)!;
    const requests = Object.fromEntries(
      family('traces_service_graph_request_total').metrics.map((m) => [`${m.labels!.client}->${m.labels!.server}`, Number(m.value)]),
    );
    // Plus the edge from `user` to the entry service, one per trace (its root server span), as Tempo and the connector add.
    expect(requests).toEqual({ ...Object.fromEntries([...sim.edges].map(([k, v]) => [k, v.calls])), 'user->frontend': sim.traces });
    const failed = Object.fromEntries(
      family('traces_service_graph_request_failed_total')
        .metrics.filter((m) => m.labels!.client !== 'user')
        .map((m) => [`${m.labels!.client}->${m.labels!.server}`, Number(m.value)]),
    );
    expect(failed).toEqual(Object.fromEntries([...sim.edges].filter(([, v]) => v.errors > 0).map(([k, v]) => [k, v.errors])));
    const conn = family('traces_service_graph_request_total').metrics.find((m) => m.labels!.server === 'redis-cart')!.labels!
      .connection_type;
    expect(conn).toBe('database');
    const calls = family('traces_span_metrics_calls_total').metrics.reduce((s, m) => s + Number(m.value), 0);
    expect(calls).toBe(sim.spans.length);
    // The parser loses histogram labels, so histogram counts are read from the *_count lines directly.
    const histCount = (name: string, labels: string) => Number(new RegExp(`^${name}_count\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1]);
    expect(histCount('traces_service_graph_request_server_seconds', 'client="checkout",server="payment",connection_type=""')).toBe(
      sim.edges.get('checkout->payment')!.calls,
    );
    // The user edge has server-side latency only; a virtual node's server side is its callers' view.
    expect(histCount('traces_service_graph_request_server_seconds', 'client="user",server="frontend",connection_type="virtual_node"')).toBe(
      sim.traces,
    );
    expect(histCount('traces_service_graph_request_client_seconds', 'client="user",server="frontend",connection_type="virtual_node"')).toBe(
      0,
    );
    const [dbEdge, db] = [...sim.edges].find(([k]) => k.endsWith('->redis-cart'))!;
    const dbLabels = `client="${dbEdge.split('->')[0]}",server="redis-cart",connection_type="database"`;
    expect(histCount('traces_service_graph_request_server_seconds', dbLabels)).toBe(db.calls);
    expect(histCount('traces_service_graph_request_client_seconds', dbLabels)).toBe(db.calls);
    const frontendServer = [
      ...text.matchAll(
        /^traces_span_metrics_duration_milliseconds_count\{service_name="frontend",span_name="[^"]*",span_kind="SPAN_KIND_SERVER",status_code="[^"]*"\} (\d+)$/gm,
      ),
    ];
    expect(frontendServer.reduce((n, m) => n + Number(m[1]), 0)).toBe(sim.traces);
  });

  it('/metrics shows the spans waiting in the pairer, and none once settled', async () => {
    // Sent within the 5 s pair wait on any normal machine; a very slow one may have settled the first spans already.
    expect(pendingBeforeSettle).toBeGreaterThan(sim.spans.length / 2);
    expect(pendingBeforeSettle).toBeLessThanOrEqual(sim.spans.length);
    expect(await pendingSpans()).toBe(0);
  });

  it('is the same after a restart (read from the store)', async () => {
    await h.restart();
    expectGraphMatchesTruth(await graph());
  });
});
