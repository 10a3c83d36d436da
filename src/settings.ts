/**
 * Every setting of faultline, once: its variable, kind (parse, bounds, default) and meaning. loadConfig (config.ts)
 * reads them, `faultline config` prints them, and the README's configuration table is generated from them
 * (`npm run docs`; test/settings.test.ts fails when the README is stale). A tunable in code comes from here.
 */
import type { LogLevel } from './log.js';
import {
  address,
  duration,
  durationList,
  fileContents,
  identifier,
  int,
  list,
  oneOf,
  optionalUrl,
  secret,
  text,
  urlList,
  type SettingKind,
} from './setting-kinds.js';

export interface Setting<T> {
  env: string;
  kind: SettingKind<T>;
  doc: string;
  /** The default as the README shows it, when the kind's own text would not say it (a derived default). */
  shownDefault?: string;
  /** Also read from the file named by `<env>_FILE`. */
  fileVariant?: boolean;
}

const s = <T>(env: string, kind: SettingKind<T>, doc: string, extra: Partial<Setting<T>> = {}): Setting<T> => ({
  env,
  kind,
  doc,
  ...extra,
});

const MiB = 1024 * 1024;
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export const SETTINGS = {
  dataDir: s('FAULTLINE_DATA_DIR', text('./data'), 'embedded ClickHouse (chDB) data directory'),
  clickhouseUrl: s(
    'FAULTLINE_CLICKHOUSE_URL',
    optionalUrl(),
    'use this ClickHouse server instead of chDB (`http://user:pass@host:8123/db`)',
  ),
  tracesTable: s(
    'FAULTLINE_TRACES_TABLE',
    identifier('otel_traces', /^[a-z_][a-z0-9_]{0,100}$/, 'must be a table name of lowercase letters, digits and _'),
    "the raw-span table's name (its lookup table is `<name>_trace_id_ts`). faultline refuses to start on a database where a table of this name exists that it did not create (say, the Collector's clickhouseexporter's): pick another name to share the database",
  ),
  storeMaxMemoryBytes: s(
    'FAULTLINE_STORE_MAX_MEMORY_BYTES',
    int(2 * 1024 * MiB, 0, 1024 ** 4),
    'memory one store operation (a read or an insert) may use in the engine (`max_memory_usage`); over it the operation fails as retryable (503 / `UNAVAILABLE`). `0`: no bound',
  ),
  storeMergeNice: s(
    'FAULTLINE_STORE_MERGE_NICE',
    int(5, -20, 19),
    "Linux nice value of the embedded engine's merge threads. `5` lets merges yield the CPU to ingest and catch up between bursts: steadier acks near capacity, and overload held as well as at `0` when exports come over several connections (docs/scaling.md, sessions 19-20). Applied only with CAP_SYS_NICE (root has it; a container needs `cap_add: [SYS_NICE]`; faultline says so at start without it). `0`: the engine's own priority. A ClickHouse server takes its own `os_threads_nice_value_merge_mutate`",
  ),
  clickhouseCluster: s(
    'FAULTLINE_CLICKHOUSE_CLUSTER',
    identifier(undefined, /^[A-Za-z_][A-Za-z0-9_-]*$/, 'is not a valid cluster name'),
    'create tables `ON CLUSTER` with Replicated/Distributed engines',
  ),
  otlpGrpcAddr: s('FAULTLINE_OTLP_GRPC_ADDR', address('0.0.0.0:4317'), 'OTLP/gRPC listen address'),
  otlpHttpAddr: s('FAULTLINE_OTLP_HTTP_ADDR', address('0.0.0.0:4318'), 'OTLP/HTTP listen address'),
  apiAddr: s('FAULTLINE_API_ADDR', address('0.0.0.0:8080'), 'JSON API, webhook, `/metrics`'),
  apiToken: s('FAULTLINE_API_TOKEN', secret(), 'when set, `/api/*` requires `Authorization: Bearer <token>`', { fileVariant: true }),
  webhookToken: s('FAULTLINE_WEBHOOK_TOKEN', secret(), "the Alertmanager webhook's own token, so Alertmanager cannot read incidents", {
    fileVariant: true,
    shownDefault: 'the API token',
  }),
  otlpToken: s(
    'FAULTLINE_OTLP_TOKEN',
    secret(),
    "when set, OTLP exports need `authorization: Bearer <token>` (gRPC metadata or HTTP header, as the Collector's `bearertokenauth` sends it)",
    { fileVariant: true },
  ),
  tlsCert: s(
    'FAULTLINE_TLS_CERT_FILE',
    fileContents(),
    'PEM certificate: with `FAULTLINE_TLS_KEY_FILE`, every listener (OTLP gRPC and HTTP, API) speaks TLS',
  ),
  tlsKey: s('FAULTLINE_TLS_KEY_FILE', fileContents(), "PEM key of `FAULTLINE_TLS_CERT_FILE`'s certificate"),
  retentionDays: s('FAULTLINE_RETENTION_DAYS', int(7, 1, 3650), 'TTL of raw spans and rollups'),
  notifyWebhookUrls: s(
    'FAULTLINE_NOTIFY_WEBHOOK_URLS',
    urlList(),
    "POST faultline's incident JSON (`{event, url, incident}`) to these URLs when an analysis finishes, when its top candidate changes and when the incident resolves",
  ),
  notifySlackUrls: s(
    'FAULTLINE_NOTIFY_SLACK_URLS',
    urlList(),
    'the same moments, as Slack messages (Block Kit) to these incoming-webhook URLs',
  ),
  sloFile: s(
    'FAULTLINE_SLO_FILE',
    identifier(undefined, /^.+$/, 'must be a file path'),
    'YAML file of SLOs and guarded actions (docs/slo.md). An invalid file stops the start; re-read on SIGHUP and when it changes (an invalid new version keeps the old)',
  ),
  sloEvaluateInterval: s(
    'FAULTLINE_SLO_EVALUATE_INTERVAL',
    duration(30_000, 1000),
    'how often the SLO metrics on `/metrics` are recomputed from the store (and the SLO file checked for changes)',
  ),
  publicUrl: s(
    'FAULTLINE_PUBLIC_URL',
    optionalUrl(),
    "faultline's address for people: links in notifications and hand-offs. Unset: a hand-off fetched from the API links from the address the request came to, and notifications say links need this",
  ),
  traceUrlTemplate: s(
    'FAULTLINE_TRACE_URL_TEMPLATE',
    identifier(undefined, /^https?:\/\/.*\{traceId\}/, 'must be an http(s) URL containing {traceId}'),
    "a trace UI URL with `{traceId}` (Grafana, Jaeger): exemplar links point there instead of faultline's trace page (`/traces/:traceId`)",
  ),
  logLevel: s('FAULTLINE_LOG_LEVEL', oneOf(LOG_LEVELS, 'info'), '`debug`, `info`, `warn`, `error` (JSON lines on stderr)'),
  maxMessageBytes: s(
    'FAULTLINE_MAX_MESSAGE_BYTES',
    int(16 * MiB, 1024, 1024 * MiB),
    'largest OTLP request, compressed or not (gRPC `RESOURCE_EXHAUSTED`, HTTP 413 beyond)',
  ),
  grpcReceiveWindowBytes: s(
    'FAULTLINE_OTLP_GRPC_WINDOW',
    int(4 * MiB, 65_535, 2 ** 31 - 1),
    "bytes an OTLP/gRPC client may send on a connection (and on one export) before faultline has read them; grpc-js's default, 64 KiB, held export bodies up to ~1 s at 100k spans/s",
  ),
  requestTimeoutMs: s(
    'FAULTLINE_REQUEST_TIMEOUT',
    duration(30_000),
    'longest a client may take to send a whole request (HTTP listeners: headers and body; OTLP/gRPC: the export body after its headers); a stalled or slow client is cut off then (it holds no admission slot meanwhile: one is taken once a body is complete)',
  ),
  shutdownGraceMs: s(
    'FAULTLINE_SHUTDOWN_GRACE',
    duration(20_000),
    "on SIGTERM, how long exports still sending their body may go on before their connections are closed (nothing they sent was acknowledged, so nothing acknowledged is lost); below Kubernetes' 30 s default grace",
  ),
  // Fewer, larger inserts: every insert is a part the engine writes and then merges again, so at 60k spans/s
  // 100 ms / 50k took a fifth of the CPU off 20 ms / 20k (docs/scaling.md); the cost is up to 100 ms more per ack.
  batchMaxSpans: s('FAULTLINE_BATCH_MAX_SPANS', int(50_000, 1, 1_000_000), 'spans per store insert'),
  batchMaxDelayMs: s('FAULTLINE_BATCH_MAX_DELAY_MS', int(100, 0, 60_000), 'longest an export waits for its batch to fill'),
  queueMaxSpans: s(
    'FAULTLINE_QUEUE_MAX_SPANS',
    int(200_000, 1, 100_000_000),
    'spans waiting for the store before exports get `RESOURCE_EXHAUSTED` / 429',
  ),
  queueMaxWaitMs: s(
    'FAULTLINE_QUEUE_MAX_WAIT',
    duration(2000, 0),
    'an export that would wait longer than this for its commit (or than its gRPC deadline) gets `RESOURCE_EXHAUSTED` / 429 at once; one whose client gave up before it was written is dropped, not committed; half of it is the latency target of the admission limit on exports in flight (`0s` turns both off)',
  ),
  pairWaitMs: s('FAULTLINE_PAIR_WAIT_MS', int(10_000, 0, 600_000), 'how long a client/server span waits for its counterpart'),
  pairMaxPending: s(
    'FAULTLINE_PAIR_MAX_PENDING',
    int(500_000, 1, 100_000_000),
    'spans held for pairing; oldest evicted (and counted) beyond',
  ),
  derivedFlushIntervalMs: s(
    'FAULTLINE_DERIVED_FLUSH_INTERVAL',
    duration(1000),
    'how often the graph writes its per-minute rows (edges, span timings) to the store',
  ),
  // High enough that a busy instance flushes on the interval: the rows are grouped per minute and key, so a flush
  // costs two inserts whatever it holds, and chDB runs one statement at a time per connection, so at 50k a flush
  // every ~0.3 s (100k spans/s) queued ~6 inserts a second beside the exports' (docs/scaling.md). ~16 bytes per
  // buffered row.
  derivedFlushRows: s(
    'FAULTLINE_DERIVED_FLUSH_ROWS',
    int(500_000, 1, 10_000_000),
    '...or sooner, once this many span timings and edge calls are buffered',
  ),
  derivedMaxBufferedRows: s(
    'FAULTLINE_DERIVED_MAX_BUFFERED_ROWS',
    int(2_000_000, 1000, 100_000_000),
    'rows kept while the store is down; beyond, the oldest are dropped and counted',
  ),
  metricsMaxSeries: s(
    'FAULTLINE_METRICS_MAX_SERIES',
    int(2_000, 10, 1_000_000),
    'label sets per metric before new ones collapse into `other`',
  ),
  metricsFlavor: s(
    'FAULTLINE_METRICS_FLAVOR',
    oneOf(['connector', 'tempo'] as const, 'connector'),
    "whose names and buckets the service-graph and span metrics follow: `connector` (the Collector's servicegraph and spanmetrics connectors: `traces_span_metrics_*` in ms) or `tempo` (Tempo's metrics-generator: `traces_spanmetrics_calls_total`, `traces_spanmetrics_latency` in s, label `service`; what Grafana's Tempo service table reads). Series from two generators sum correctly only when these match",
  ),
  latencyBucketsMs: s(
    'FAULTLINE_METRICS_LATENCY_BUCKETS',
    durationList(),
    'histogram bounds for both latency histograms, e.g. `100ms,1s,10s,1m,5m,15m` for builds that run for minutes (then set the same list in any other generator feeding the same Prometheus)',
    { shownDefault: "the flavor's (connector: 2 ms to 15 s)" },
  ),
  apiMaxBodyBytes: s('FAULTLINE_API_MAX_BODY_BYTES', int(MiB, 1024, 64 * MiB), 'largest API request body'),
  webhookMaxBodyBytes: s(
    'FAULTLINE_WEBHOOK_MAX_BODY_BYTES',
    int(16 * MiB, 1024, 256 * MiB),
    'largest Alertmanager webhook body (a group of ~10k alerts at ~1.5 KB each)',
  ),
  apiMaxWindowMs: s('FAULTLINE_API_MAX_WINDOW', duration(31 * 86_400_000), 'longest query window'),
  rawMaxWindowMs: s(
    'FAULTLINE_RAW_QUERY_MAX_WINDOW',
    duration(6 * 3600_000),
    'windows up to this read raw spans (exact); longer ones the per-minute rollups',
  ),
  defaultWindowMs: s(
    'FAULTLINE_API_DEFAULT_WINDOW',
    duration(15 * 60_000),
    'the window of a services, graph or latency query that names no start',
  ),
  lookbackMs: s('FAULTLINE_RCA_LOOKBACK', duration(15 * 60_000), "an alert's window starts this long before `startsAt`"),
  baselineMs: s(
    'FAULTLINE_RCA_BASELINE',
    duration(3600_000),
    "an alert's baseline is this long period right before its window (or the `faultline_baseline_start`/`_end` annotations)",
  ),
  serviceLabels: s(
    'FAULTLINE_ALERT_SERVICE_LABELS',
    list(['service', 'service_name', 'service.name', 'job']),
    'alert labels that name the service, first present wins',
  ),
  environmentLabels: s(
    'FAULTLINE_ALERT_ENVIRONMENT_LABELS',
    list(['environment', 'env', 'deployment_environment', 'deployment_environment_name', 'deployment.environment.name']),
    'alert labels that name the deployment environment to analyse (absent: all environments)',
  ),
  rcaConcurrency: s(
    'FAULTLINE_RCA_CONCURRENCY',
    int(2, 1, 64),
    'analyses running at once; more incidents queue, first analyses of new pages before re-analyses (which never take the last free slot)',
  ),
  rcaReanalysisShare: s(
    'FAULTLINE_RCA_REANALYSIS_SHARE',
    int(50, 1, 100),
    'percent of the analysis time (concurrency x the last minute) that scheduled re-analyses of firing incidents may take; beyond it they wait, and they are skipped while new pages wait',
  ),
  rcaMinRequests: s(
    'FAULTLINE_RCA_MIN_REQUESTS',
    int(20, 1, 100_000),
    'requests of the alerting service a period needs (window and baseline each) before a cause is named; fewer: `insufficient_data`',
  ),
  rcaSampleRequests: s(
    'FAULTLINE_RCA_SAMPLE_REQUESTS',
    int(600, 20, 10_000),
    'requests of the alerting service sampled per period for the critical-path walk (see docs/rca.md)',
  ),
  rcaMaxSpans: s('FAULTLINE_RCA_MAX_SPANS', int(400_000, 1000, 10_000_000), 'spans read per period for the sampled requests'),
} as const;

export type SettingName = keyof typeof SETTINGS;

/** The settings as a Markdown table (README's configuration section). */
export function settingsMarkdown(): string {
  const rows = Object.values(SETTINGS).map((setting: Setting<unknown>) => {
    const shown = setting.shownDefault ?? (setting.kind.shown === '' ? 'unset' : `\`${setting.kind.shown}\``);
    const file = setting.fileVariant ? ` (also \`${setting.env}_FILE\`)` : '';
    return `| \`${setting.env}\` | ${shown} | ${setting.doc}${file} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
