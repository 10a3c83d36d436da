/** The array-backed metric families print what prom-client prints: cumulative `le` buckets, +Inf, _sum, _count. */
import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { CounterFamily, HistogramFamily } from '../../src/graph/metric-families.js';

describe('metric families', () => {
  it('expose counters and histograms in the Prometheus text format', async () => {
    const registry = new Registry();
    const calls = new CounterFamily(registry, 'demo_calls_total', 'Calls.', ['service', 'kind']);
    const latency = new HistogramFamily(registry, 'demo_latency_seconds', 'Latency.', ['service'], [0.1, 1]);
    calls.series(['api', 'server']).inc();
    calls.series(['api', 'server']).inc(2);
    calls.series(['db', 'client']).inc();
    const h = latency.series(['api']);
    for (const v of [0.05, 0.1, 0.5, 2, 3]) h.observe(v);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE demo_calls_total counter');
    expect(text).toContain('demo_calls_total{service="api",kind="server"} 3');
    expect(text).toContain('demo_calls_total{service="db",kind="client"} 1');
    expect(text).toContain('# TYPE demo_latency_seconds histogram');
    // `le` is inclusive: 0.1 falls in the 0.1 bucket.
    expect(text).toContain('demo_latency_seconds_bucket{service="api",le="0.1"} 2');
    expect(text).toContain('demo_latency_seconds_bucket{service="api",le="1"} 3');
    expect(text).toContain('demo_latency_seconds_bucket{service="api",le="+Inf"} 5');
    expect(text).toContain('demo_latency_seconds_sum{service="api"} 5.65');
    expect(text).toContain('demo_latency_seconds_count{service="api"} 5');
  });
});
