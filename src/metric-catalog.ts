/**
 * Every metric faultline puts on /metrics besides Node's process_* and nodejs_*: name, type, labels, meaning. The
 * code registers them from here and docs/metrics.md is generated from here (`npm run docs`; test/docs.test.ts fails
 * when it is stale, and checks that a running faultline exposes exactly these).
 */
export interface MetricSpec {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  labels: readonly string[];
  help: string;
  /** For the service-graph and span metrics: which FAULTLINE_METRICS_FLAVOR emits it (both when absent). */
  flavor?: 'connector' | 'tempo';
  /** Histogram buckets (faultline_* only; the graph histograms take the flavor's). */
  buckets?: readonly number[];
}

const LATENCY_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const EDGE = ['client', 'server', 'connection_type', 'client_deployment_environment', 'server_deployment_environment'];

const m = (
  name: string,
  type: MetricSpec['type'],
  labels: readonly string[],
  help: string,
  extra: Partial<MetricSpec> = {},
): MetricSpec => ({ name, type, labels, help, ...extra });

/** faultline's own health. */
export const SELF_METRICS = {
  buildInfo: m('faultline_build_info', 'gauge', ['version', 'node'], 'Always 1; the labels say which faultline runs.'),
  spansReceived: m('faultline_spans_received_total', 'counter', ['transport'], 'Spans received over OTLP, before validation.'),
  spansAccepted: m('faultline_spans_accepted_total', 'counter', ['transport'], 'Spans committed to the store and acknowledged.'),
  spansRejected: m(
    'faultline_spans_rejected_total',
    'counter',
    ['transport', 'reason'],
    'Spans not accepted: invalid (partial success) or refused (overload, store down, shutdown).',
  ),
  exportRequests: m(
    'faultline_export_requests_total',
    'counter',
    ['transport', 'outcome'],
    'OTLP export requests by outcome (refused_early: refused on the headers, before the body was read; refused_on_body: the room went to others while its body arrived; client_gone: the client left before sending its whole body; body_timeout: a gRPC export whose body did not arrive within FAULTLINE_REQUEST_TIMEOUT).',
  ),
  batchSpans: m('faultline_store_batch_spans', 'histogram', [], 'Spans per store insert batch.', {
    buckets: [1, 10, 100, 1000, 5000, 10000, 20000, 50000],
  }),
  storeWriteSeconds: m('faultline_store_write_seconds', 'histogram', ['table'], 'Latency of store inserts.', { buckets: LATENCY_S }),
  queueSpans: m('faultline_ingest_queue_spans', 'gauge', [], 'Spans accepted for writing but not yet committed.'),
  admissionLimit: m(
    'faultline_ingest_admission_limit',
    'gauge',
    [],
    'OTLP exports that may be in flight at once now (the adaptive limit; exports beyond it are refused as retryable). Absent when FAULTLINE_QUEUE_MAX_WAIT is 0s.',
  ),
  exportsInFlight: m('faultline_ingest_exports_in_flight', 'gauge', [], 'OTLP exports admitted and not yet answered.'),
  detachedParts: m(
    'faultline_store_detached_parts',
    'gauge',
    ['table', 'reason'],
    'Parts the engine set aside at start (reason broken, unexpected, ...: their rows are not readable), as counted at start.',
  ),
  activeParts: m(
    'faultline_store_active_parts',
    'gauge',
    ['table'],
    'Active parts per table, read at each scrape: flat when merges keep up with the inserts, growing when they do not.',
  ),
  graphPendingSpans: m('faultline_graph_pending_spans', 'gauge', [], 'Spans waiting in the pairer for their counterpart.'),
  derivedRowsDropped: m(
    'faultline_derived_rows_dropped_total',
    'counter',
    ['table'],
    'Derived graph rows dropped after the store stayed unavailable.',
  ),
  incidents: m('faultline_incidents_total', 'counter', ['status'], 'Incidents by final analysis status.'),
  analyses: m(
    'faultline_analyses_total',
    'counter',
    ['kind'],
    'Incident analyses started, by kind: first (a new page), resolve, manual (reanalyze), scheduled (a firing incident again).',
  ),
  analysesSkipped: m(
    'faultline_analyses_skipped_total',
    'counter',
    ['kind'],
    'Analyses not run: scheduled (re-analyses skipped while new pages waited; the next planned one catches up), flood (incidents of an alert flood that share one analysis).',
  ),
  alertsSkipped: m(
    'faultline_alerts_skipped_total',
    'counter',
    ['reason'],
    'Alerts that opened no incident: no_service_label, no_spans (not a traced service), unknown_resolved, invalid, truncated (by Alertmanager).',
  ),
  rcaSeconds: m('faultline_rca_seconds', 'histogram', [], 'Time to compute one root-cause report.', {
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  apiRequests: m(
    'faultline_api_requests_total',
    'counter',
    ['route', 'method', 'status'],
    'API, webhook and page requests by route pattern, method and status.',
  ),
  notifications: m(
    'faultline_notifications_total',
    'counter',
    ['kind', 'outcome'],
    'Incident notifications by target kind (webhook, slack) and outcome: sent, rejected (4xx, final), failed (retries used up), dropped (queue full or shutdown).',
  ),
  notificationQueue: m('faultline_notification_queue', 'gauge', [], 'Incident notifications waiting for delivery or a retry.'),
  sloSli: m(
    'faultline_slo_sli_ratio',
    'gauge',
    ['slo', 'window'],
    "An SLO's SLI (good requests / requests) over its own window and each burn-rate window; absent when the window had no requests.",
  ),
  sloBudgetRemaining: m(
    'faultline_slo_error_budget_remaining_ratio',
    'gauge',
    ['slo'],
    "Share of an SLO's error budget left over its window (1: untouched, 0: spent, below 0: overspent); absent with no requests.",
  ),
  sloBurnRate: m(
    'faultline_slo_burn_rate',
    'gauge',
    ['slo', 'window'],
    'How fast an SLO spends its error budget over a burn-rate window (1: exactly the budget over the whole window).',
  ),
  sloEvaluationFailures: m(
    'faultline_slo_evaluation_failures_total',
    'counter',
    [],
    'SLO evaluations that failed (the store was unavailable); the gauges keep their last values.',
  ),
  incidentDuration: m(
    'faultline_incident_duration_seconds',
    'histogram',
    ['service'],
    'Alert start to resolution, per resolved incident.',
    {
      buckets: [60, 300, 600, 1200, 1800, 3600, 7200, 14_400, 43_200, 86_400],
    },
  ),
  timeToRootCause: m(
    'faultline_time_to_root_cause_seconds',
    'histogram',
    ['service'],
    'Alert start to the first analysis that named an origin, per incident.',
    { buckets: [5, 10, 30, 60, 120, 300, 600, 1800, 3600] },
  ),
  actions: m(
    'faultline_actions_total',
    'counter',
    ['outcome'],
    'Guarded actions on a named origin: sent, dry_run, rejected (4xx), failed (retries used up), skipped (a person must confirm a second one).',
  ),
  apiRequestSeconds: m('faultline_api_request_seconds', 'histogram', ['route'], 'API, webhook and page request latency by route pattern.', {
    buckets: LATENCY_S,
  }),
} as const;

/** The service graph and span metrics, under the names of the generator FAULTLINE_METRICS_FLAVOR follows. */
export const GRAPH_METRICS = {
  requests: m(
    'traces_service_graph_request_total',
    'counter',
    EDGE,
    'Requests between two nodes (including user -> entry service, one per root server span).',
  ),
  failed: m('traces_service_graph_request_failed_total', 'counter', EDGE, 'Failed requests between two nodes.'),
  serverSeconds: m(
    'traces_service_graph_request_server_seconds',
    'histogram',
    EDGE,
    "Server-side latency of requests between two nodes (a virtual node's: its callers' view).",
  ),
  clientSeconds: m('traces_service_graph_request_client_seconds', 'histogram', EDGE, 'Client-side latency of requests between two nodes.'),
  unpaired: m(
    'traces_service_graph_unpaired_spans_total',
    'counter',
    ['client', 'server'],
    'Client or server spans that found no counterpart within the wait.',
  ),
  dropped: m('traces_service_graph_dropped_spans_total', 'counter', [], 'Spans evicted from pairing because too many were pending.'),
  spanCalls: m(
    'traces_span_metrics_calls_total',
    'counter',
    ['service_name', 'span_name', 'span_kind', 'status_code', 'deployment_environment'],
    'Spans by service, name, kind and status.',
    { flavor: 'connector' },
  ),
  spanDuration: m(
    'traces_span_metrics_duration_milliseconds',
    'histogram',
    ['service_name', 'span_name', 'span_kind', 'status_code', 'deployment_environment'],
    'Span durations in milliseconds.',
    { flavor: 'connector' },
  ),
  tempoSpanCalls: m(
    'traces_spanmetrics_calls_total',
    'counter',
    ['service', 'span_name', 'span_kind', 'status_code', 'deployment_environment'],
    'Spans by service, name, kind and status.',
    { flavor: 'tempo' },
  ),
  tempoSpanLatency: m(
    'traces_spanmetrics_latency',
    'histogram',
    ['service', 'span_name', 'span_kind', 'status_code', 'deployment_environment'],
    'Span durations in seconds.',
    { flavor: 'tempo' },
  ),
} as const;

/** docs/metrics.md. */
export function metricsMarkdown(): string {
  const table = (specs: readonly MetricSpec[]) => [
    '| metric | type | labels | meaning |',
    '|---|---|---|---|',
    ...specs.map(
      (s) =>
        `| \`${s.name}\` | ${s.type} | ${s.labels.map((l) => `\`${l}\``).join(', ') || '-'} | ${s.help}${s.flavor ? ` (flavor \`${s.flavor}\`)` : ''} |`,
    ),
  ];
  return [
    '# Metrics',
    '',
    '<!-- Generated from src/metric-catalog.ts by `npm run docs`; test/docs.test.ts fails when this file is stale. -->',
    '',
    "Everything on `/metrics` besides Node's own `process_*` and `nodejs_*` (CPU, memory, heap, event-loop lag, GC).",
    '',
    "## faultline's health",
    '',
    ...table(Object.values(SELF_METRICS)),
    '',
    '## Service graph and span metrics',
    '',
    "Named as the OpenTelemetry Collector's servicegraph and spanmetrics connectors name them (`FAULTLINE_METRICS_FLAVOR=connector`, the default) or as Grafana Tempo's metrics-generator does (`tempo`), with that generator's default buckets unless `FAULTLINE_METRICS_LATENCY_BUCKETS` is set. Environment labels appear only on series whose resources name a `deployment.environment.name`.",
    '',
    ...table(Object.values(GRAPH_METRICS)),
    '',
  ].join('\n');
}
