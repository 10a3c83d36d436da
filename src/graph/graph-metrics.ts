/**
 * Prometheus metrics under the names Tempo's metrics-generator and the Collector's servicegraph / spanmetrics
 * connectors use, so Grafana's service graph and `histogram_quantile` rules work unchanged.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import { SpanKind, type Span } from '../span.js';
import type { EdgeCall } from './edge-call.js';
import { LabelLimiter } from './label-limiter.js';

const SPAN_KIND_LABELS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_LABELS = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const SECONDS_BUCKETS = [0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384, 32.768, 65.536];
const MS_BUCKETS = [2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000];
const OTHER = 'other';

type EdgeLabels = 'client' | 'server' | 'connection_type';
type SpanLabels = 'service_name' | 'span_name' | 'span_kind' | 'status_code';

interface SpanSeries {
  calls: { inc(): void };
  duration: { observe(v: number): void };
}

export class GraphMetrics {
  private readonly requests: Counter<EdgeLabels>;
  private readonly failed: Counter<EdgeLabels>;
  private readonly serverSeconds: Histogram<EdgeLabels>;
  private readonly clientSeconds: Histogram<EdgeLabels>;
  private readonly unpaired: Counter<'client' | 'server'>;
  private readonly dropped: Counter;
  private readonly spanCalls: Counter<SpanLabels>;
  private readonly spanDuration: Histogram<SpanLabels>;
  private readonly edgeLimit: LabelLimiter;
  private readonly spanLimit: LabelLimiter;
  /** Bound children by service, span name and kind/status slot (admitted label sets only). */
  private readonly spanSeries = new Map<string, Map<string, SpanSeries[]>>();

  constructor(registry: Registry, maxSeries: number) {
    const registers = [registry];
    const edgeLabels: EdgeLabels[] = ['client', 'server', 'connection_type'];
    this.requests = new Counter({ name: 'traces_service_graph_request_total', help: 'Requests between two nodes.', labelNames: edgeLabels, registers });
    this.failed = new Counter({ name: 'traces_service_graph_request_failed_total', help: 'Failed requests between two nodes.', labelNames: edgeLabels, registers });
    this.serverSeconds = new Histogram({ name: 'traces_service_graph_request_server_seconds', help: 'Server-side latency of requests between two nodes.', labelNames: edgeLabels, buckets: SECONDS_BUCKETS, registers });
    this.clientSeconds = new Histogram({ name: 'traces_service_graph_request_client_seconds', help: 'Client-side latency of requests between two nodes.', labelNames: edgeLabels, buckets: SECONDS_BUCKETS, registers });
    this.unpaired = new Counter({ name: 'traces_service_graph_unpaired_spans_total', help: 'Client or server spans that found no counterpart within the wait.', labelNames: ['client', 'server'], registers });
    this.dropped = new Counter({ name: 'traces_service_graph_dropped_spans_total', help: 'Spans evicted from pairing because too many were pending.', registers });
    const spanLabels: SpanLabels[] = ['service_name', 'span_name', 'span_kind', 'status_code'];
    this.spanCalls = new Counter({ name: 'traces_span_metrics_calls_total', help: 'Spans by service, name, kind and status.', labelNames: spanLabels, registers });
    this.spanDuration = new Histogram({ name: 'traces_span_metrics_duration_milliseconds', help: 'Span durations in milliseconds.', labelNames: spanLabels, buckets: MS_BUCKETS, registers });
    this.edgeLimit = new LabelLimiter(maxSeries);
    this.spanLimit = new LabelLimiter(maxSeries);
  }

  observeEdge(call: EdgeCall): void {
    const admitted = this.edgeLimit.admit(`${call.client}\u0000${call.server}\u0000${call.connectionType}`);
    const labels = { client: admitted ? call.client : OTHER, server: admitted ? call.server : OTHER, connection_type: call.connectionType };
    this.requests.inc(labels);
    if (call.failed) this.failed.inc(labels);
    this.clientSeconds.observe(labels, call.clientDurationNs / 1e9);
    if (call.serverDurationNs > 0) this.serverSeconds.observe(labels, call.serverDurationNs / 1e9);
  }

  observeUnpaired(side: 'client' | 'server', service: string): void {
    const admitted = this.edgeLimit.admit(`unpaired\u0000${side}\u0000${service}`);
    const name = admitted ? service : OTHER;
    this.unpaired.inc(side === 'client' ? { client: name, server: '' } : { client: '', server: name });
  }

  observeEvicted(count: number): void {
    this.dropped.inc(count);
  }

  observeSpans(spans: readonly Span[]): void {
    for (const s of spans) {
      // service -> span name -> [kind * 3 + status]: no per-span key string to build and hash.
      const series = this.spanSeries.get(s.serviceName)?.get(s.name)?.[s.kind * 3 + s.statusCode] ?? this.bindSpanSeries(s);
      series.calls.inc();
      series.duration.observe(s.durationNs / 1e6);
    }
  }

  private bindSpanSeries(s: Span): SpanSeries {
    const admitted = this.spanLimit.admit(`${s.serviceName}\u0000${s.name}\u0000${s.kind}\u0000${s.statusCode}`);
    const labels = {
      service_name: s.serviceName,
      // Past the limit, keep the service but fold the span name: the per-service P99 rule still works.
      span_name: admitted ? s.name : OTHER,
      span_kind: SPAN_KIND_LABELS[s.kind] ?? SPAN_KIND_LABELS[SpanKind.UNSPECIFIED]!,
      status_code: STATUS_LABELS[s.statusCode] ?? STATUS_LABELS[0]!,
    };
    const series = { calls: this.spanCalls.labels(labels), duration: this.spanDuration.labels(labels) };
    // Only admitted label sets are cached, so unbounded names cannot grow the cache.
    if (admitted) {
      let byName = this.spanSeries.get(s.serviceName);
      if (!byName) this.spanSeries.set(s.serviceName, (byName = new Map()));
      let slots = byName.get(s.name);
      if (!slots) byName.set(s.name, (slots = []));
      slots[s.kind * 3 + s.statusCode] = series;
    }
    return series;
  }
}
