/**
 * The graph metrics follow one generator's names, labels and buckets (issue 15), so faultline's series sum with a
 * Collector's or Tempo's in one Prometheus. Expected values are those generators' documented defaults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsFlavor } from '../../src/graph/metrics-flavor.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

const les = (text: string, name: string): number[] =>
  [...new Set([...text.matchAll(new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"`, 'gm'))].map((m) => m[1]!))]
    .filter((v) => v !== '+Inf')
    .map(Number);

describe('metricsFlavor', () => {
  it("connector: the servicegraph and spanmetrics connectors' default buckets, 2 ms to 15 s", () => {
    const f = metricsFlavor('connector');
    expect(f.edgeBucketsSeconds).toEqual([0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.4, 2, 5, 10, 15]);
    expect([f.span.calls.name, f.span.duration.name, f.span.unit, f.span.serviceLabel]).toEqual([
      'traces_span_metrics_calls_total',
      'traces_span_metrics_duration_milliseconds',
      'ms',
      'service_name',
    ]);
  });

  it('a bucket override replaces both lists, in each histogram’s unit', () => {
    const f = metricsFlavor('tempo', [50, 1000, 60_000]);
    expect(f.edgeBucketsSeconds).toEqual([0.05, 1, 60]);
    expect(f.span.buckets).toEqual([0.05, 1, 60]);
    expect(metricsFlavor('connector', [50, 1000]).span.buckets).toEqual([50, 1000]);
  });
});

describe('FAULTLINE_METRICS_FLAVOR=tempo', () => {
  let h: Harness;
  let text: string;
  beforeAll(async () => {
    h = await startHarness({ FAULTLINE_METRICS_FLAVOR: 'tempo', FAULTLINE_PAIR_WAIT_MS: '0' });
    const sim = simulate(ciPipeline, { seed: 2, startMs: Date.now() - 5 * 60_000, durationMs: 60_000, requests: 20 });
    await sendSpans(h.otlpHttp, sim.spans);
    await h.app.settleGraph();
    text = await (await fetch(`${h.api}/metrics`)).text();
  });
  afterAll(() => h.stop());

  it("emits Tempo's span-metric names and labels, in seconds with Tempo's buckets", () => {
    expect(text).toMatch(
      /^traces_spanmetrics_calls_total\{service="builder",span_name="build",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_\w+"\} \d+$/m,
    );
    expect(les(text, 'traces_spanmetrics_latency')).toEqual([
      0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096,
    ]);
    expect(text).not.toMatch(/^traces_span_metrics_/m);
  });

  it("uses Tempo's service-graph buckets", () => {
    expect(les(text, 'traces_service_graph_request_server_seconds')).toEqual([0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8]);
    expect(text).toMatch(/^traces_service_graph_request_total\{client="user",server="ci-gateway",connection_type="virtual_node"\} 20$/m);
  });
});
