/**
 * Which generator's metric names and histogram buckets faultline's service-graph and span metrics follow. Series from
 * two generators can be summed in one Prometheus only when their names, labels and buckets are the same, so faultline
 * takes one generator's defaults whole instead of a mix:
 *
 * - `connector` (default): the OpenTelemetry Collector's servicegraph and spanmetrics connectors
 *   (`traces_service_graph_*` in seconds, `traces_span_metrics_*` in milliseconds, label `service_name`).
 * - `tempo`: Grafana Tempo's metrics-generator (`traces_service_graph_*` with Tempo's buckets,
 *   `traces_spanmetrics_calls_total` and `traces_spanmetrics_latency` in seconds, label `service`), which is what
 *   the service table of Grafana's Tempo datasource reads.
 */
import { GRAPH_METRICS, type MetricSpec } from '../metric-catalog.js';

export type MetricsFlavorName = 'connector' | 'tempo';

export interface MetricsFlavor {
  name: MetricsFlavorName;
  /** Service-graph latency histograms (client and server side), seconds. */
  edgeBucketsSeconds: readonly number[];
  span: {
    calls: MetricSpec;
    duration: MetricSpec;
    /** Unit of the duration histogram: its buckets and observations. */
    unit: 'ms' | 's';
    buckets: readonly number[];
    serviceLabel: 'service_name' | 'service';
  };
}

/** The connectors' defaults (servicegraph `latency_histogram_buckets`, spanmetrics explicit buckets, both 2 ms-15 s). */
const CONNECTOR_MS = [2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000];

/** Tempo's defaults: service graphs 0.1 s x 2^k (8 buckets), span metrics 0.002 s x 2^k (12 buckets). */
const exponential = (start: number, factor: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => Number((start * factor ** i).toFixed(6)));

export function metricsFlavor(name: MetricsFlavorName, latencyBucketsMs?: readonly number[]): MetricsFlavor {
  const flavor: MetricsFlavor =
    name === 'tempo'
      ? {
          name,
          edgeBucketsSeconds: exponential(0.1, 2, 8),
          span: {
            calls: GRAPH_METRICS.tempoSpanCalls,
            duration: GRAPH_METRICS.tempoSpanLatency,
            unit: 's',
            buckets: exponential(0.002, 2, 12),
            serviceLabel: 'service',
          },
        }
      : {
          name,
          edgeBucketsSeconds: CONNECTOR_MS.map((ms) => ms / 1000),
          span: {
            calls: GRAPH_METRICS.spanCalls,
            duration: GRAPH_METRICS.spanDuration,
            unit: 'ms',
            buckets: CONNECTOR_MS,
            serviceLabel: 'service_name',
          },
        };
  // FAULTLINE_METRICS_LATENCY_BUCKETS replaces both bucket lists (say, for builds that run for minutes), as the
  // generators' own settings do; set it to the same list there when both feed one Prometheus.
  if (!latencyBucketsMs) return flavor;
  return {
    ...flavor,
    edgeBucketsSeconds: latencyBucketsMs.map((ms) => ms / 1000),
    span: { ...flavor.span, buckets: flavor.span.unit === 'ms' ? latencyBucketsMs : latencyBucketsMs.map((ms) => ms / 1000) },
  };
}
