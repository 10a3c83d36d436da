/** Faultline's own Prometheus metrics (faultline_*), on one registry that /metrics also serves the graph metrics from. */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface SelfMetrics {
  registry: Registry;
  spansReceived: Counter<'transport'>;
  spansAccepted: Counter<'transport'>;
  spansRejected: Counter<'transport' | 'reason'>;
  exportRequests: Counter<'transport' | 'outcome'>;
  batchSpans: Histogram;
  storeWriteSeconds: Histogram<'table'>;
  queueSpans: Gauge;
  incidents: Counter<'status'>;
  alertsSkipped: Counter<'reason'>;
  rcaSeconds: Histogram;
  apiRequests: Counter<'route' | 'method' | 'status'>;
  apiRequestSeconds: Histogram<'route'>;
}

export interface BuildInfo {
  version: string;
}

export function createSelfMetrics(registry = new Registry(), build: BuildInfo = { version: 'dev' }): SelfMetrics {
  const r = [registry];
  // process_* and nodejs_* (CPU, memory, heap, event-loop lag, GC): what an operator checks first.
  collectDefaultMetrics({ register: registry });
  new Gauge({ name: 'faultline_build_info', help: 'Always 1; the labels say which faultline runs.', labelNames: ['version', 'node'], registers: r }).set({ version: build.version, node: process.version }, 1);
  return {
    registry,
    spansReceived: new Counter({ name: 'faultline_spans_received_total', help: 'Spans received over OTLP, before validation.', labelNames: ['transport'], registers: r }),
    spansAccepted: new Counter({ name: 'faultline_spans_accepted_total', help: 'Spans committed to the store and acknowledged.', labelNames: ['transport'], registers: r }),
    spansRejected: new Counter({
      name: 'faultline_spans_rejected_total',
      help: 'Spans not accepted: invalid (partial success) or refused (overload, store down, shutdown).',
      labelNames: ['transport', 'reason'],
      registers: r,
    }),
    exportRequests: new Counter({ name: 'faultline_export_requests_total', help: 'OTLP export requests by outcome.', labelNames: ['transport', 'outcome'], registers: r }),
    batchSpans: new Histogram({
      name: 'faultline_store_batch_spans',
      help: 'Spans per store insert batch.',
      buckets: [1, 10, 100, 1000, 5000, 10000, 20000, 50000],
      registers: r,
    }),
    storeWriteSeconds: new Histogram({
      name: 'faultline_store_write_seconds',
      help: 'Latency of store inserts.',
      labelNames: ['table'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: r,
    }),
    queueSpans: new Gauge({ name: 'faultline_ingest_queue_spans', help: 'Spans accepted for writing but not yet committed.', registers: r }),
    incidents: new Counter({ name: 'faultline_incidents_total', help: 'Incidents by final analysis status.', labelNames: ['status'], registers: r }),
    alertsSkipped: new Counter({
      name: 'faultline_alerts_skipped_total',
      help: 'Alerts that opened no incident: no_service_label, no_spans (not a traced service), unknown_resolved, invalid, truncated (by Alertmanager).',
      labelNames: ['reason'],
      registers: r,
    }),
    apiRequests: new Counter({
      name: 'faultline_api_requests_total',
      help: 'API, webhook and page requests by route pattern, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers: r,
    }),
    apiRequestSeconds: new Histogram({
      name: 'faultline_api_request_seconds',
      help: 'API, webhook and page request latency by route pattern.',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: r,
    }),
    rcaSeconds: new Histogram({
      name: 'faultline_rca_seconds',
      help: 'Time to compute one root-cause report.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: r,
    }),
  };
}
