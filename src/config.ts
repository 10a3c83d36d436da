/**
 * Configuration from FAULTLINE_* environment variables, as settings.ts lists them. Every value is validated; a bad
 * one raises ConfigError naming the variable.
 */
import type { LogLevel } from './log.js';
import { ConfigError, type Env, type ListenAddress } from './setting-kinds.js';
import { SETTINGS, type SettingName } from './settings.js';

export { ConfigError, parseDuration, parseListenAddress, type ListenAddress } from './setting-kinds.js';

export interface Config {
  dataDir: string;
  clickhouseUrl: string | undefined;
  /** Memory one store operation (read or insert) may use (the engine's max_memory_usage). */
  storeMaxMemoryBytes: number;
  /** Nice value of the embedded engine's merge threads (default 5; 0: the engine's own; src/store/merge-priority.ts). */
  storeMergeNice: number;
  clickhouseCluster: string | undefined;
  /** The raw-span table's name (default otel_traces). */
  tracesTable: string;
  otlpGrpcAddr: ListenAddress;
  otlpHttpAddr: ListenAddress;
  apiAddr: ListenAddress;
  /** When set, /api/* (except the webhook when webhookToken differs) requires `Authorization: Bearer <token>`. */
  apiToken: string | undefined;
  /** The webhook's token: FAULTLINE_WEBHOOK_TOKEN, or the API token. */
  webhookToken: string | undefined;
  /** When set, OTLP exports (gRPC metadata or HTTP header `authorization: Bearer <token>`) must carry it. */
  otlpToken: string | undefined;
  /** Certificate and key (PEM) for TLS on every listener: OTLP gRPC and HTTP, and the API. */
  tls: { cert: Buffer; key: Buffer } | undefined;
  retentionDays: number;
  logLevel: LogLevel;
  /** Where people reach faultline's pages (links in hand-offs), e.g. https://faultline.example.com. */
  publicUrl: string | undefined;
  /** A trace UI URL with `{traceId}` (Grafana, Jaeger) that exemplar links point to. */
  traceUrlTemplate: string | undefined;
  /** SLOs: the file (none: no SLOs) and how often their metrics are recomputed. */
  slo: { file: string | undefined; evaluateIntervalMs: number };
  /** Where incident notifications go: faultline's JSON, and Slack incoming webhooks. */
  notify: { webhookUrls: string[]; slackUrls: string[] };
  ingest: {
    /** Largest accepted OTLP request, compressed or not. */
    maxMessageBytes: number;
    /** HTTP/2 receive window of the OTLP/gRPC server, per connection and per export. */
    grpcReceiveWindowBytes: number;
    /** Longest a client may take to send a whole request (HTTP) or an export's body after its headers (gRPC). */
    requestTimeoutMs: number;
    /** On shutdown, how long unfinished exports may go on before their connections are closed. */
    shutdownGraceMs: number;
    /** A store batch is written when it holds this many spans... */
    batchMaxSpans: number;
    /** ...or when its oldest request has waited this long. */
    batchMaxDelayMs: number;
    /** Spans accepted but not yet committed; above this, exports get RESOURCE_EXHAUSTED / 429. */
    queueMaxSpans: number;
    /** Longest expected wait for a commit before an export is refused (gRPC clients' own deadlines also count). */
    queueMaxWaitMs: number;
  };
  graph: {
    /** How long a client or server span waits for its counterpart before it counts as unpaired. */
    pairWaitMs: number;
    /** Most spans held for pairing; the oldest are evicted (and counted) beyond it. */
    pairMaxPending: number;
    /** The derived-row writer: flush interval, flush size, rows kept while the store is down. */
    derived: { flushIntervalMs: number; flushRows: number; maxBuffered: number };
    /** Most label combinations per Prometheus metric before new ones collapse into `other`. */
    metricsMaxSeries: number;
    /** Whose metric names and buckets the graph metrics follow (metrics-flavor.ts). */
    metricsFlavor: 'connector' | 'tempo';
    /** Replaces both latency bucket lists when set. */
    latencyBucketsMs: number[] | undefined;
  };
  api: {
    maxBodyBytes: number;
    /** The webhook's own limit: Alertmanager sends a whole group (thousands of alerts) in one call. */
    webhookMaxBodyBytes: number;
    /** Longest window a query may ask for. */
    maxWindowMs: number;
    /** Windows up to this long read raw spans (exact); longer ones read the per-minute rollups. */
    rawMaxWindowMs: number;
    /** The window of a query that names no start. */
    defaultWindowMs: number;
  };
  rca: {
    lookbackMs: number;
    /** Baseline length: the baseline is this long period right before the window. */
    baselineMs: number;
    serviceLabels: string[];
    /** Alert labels that name the deployment environment, first present wins. */
    environmentLabels: string[];
    concurrency: number;
    /** Share (0..1] of the analysis time scheduled re-analyses may take. */
    reanalysisShare: number;
    analysis: { minRequests: number; sampleRequests: number; maxSpans: number };
  };
}

export function loadConfig(env: Env = process.env): Config {
  const get = <K extends SettingName>(name: K): ReturnType<(typeof SETTINGS)[K]['kind']['read']> =>
    SETTINGS[name].kind.read(env, SETTINGS[name].env) as ReturnType<(typeof SETTINGS)[K]['kind']['read']>;
  const [cert, key] = [get('tlsCert'), get('tlsKey')];
  if ((cert === undefined) !== (key === undefined))
    throw new ConfigError('TLS needs both FAULTLINE_TLS_CERT_FILE and FAULTLINE_TLS_KEY_FILE');
  return {
    dataDir: get('dataDir'),
    clickhouseUrl: get('clickhouseUrl'),
    storeMaxMemoryBytes: get('storeMaxMemoryBytes'),
    storeMergeNice: get('storeMergeNice'),
    clickhouseCluster: get('clickhouseCluster'),
    tracesTable: get('tracesTable')!,
    otlpGrpcAddr: get('otlpGrpcAddr'),
    otlpHttpAddr: get('otlpHttpAddr'),
    apiAddr: get('apiAddr'),
    apiToken: get('apiToken'),
    webhookToken: get('webhookToken') ?? get('apiToken'),
    otlpToken: get('otlpToken'),
    tls: cert && key ? { cert, key } : undefined,
    retentionDays: get('retentionDays'),
    publicUrl: get('publicUrl')?.replace(/\/+$/, ''),
    traceUrlTemplate: get('traceUrlTemplate'),
    slo: { file: get('sloFile'), evaluateIntervalMs: get('sloEvaluateInterval') },
    notify: { webhookUrls: get('notifyWebhookUrls'), slackUrls: get('notifySlackUrls') },
    logLevel: get('logLevel'),
    ingest: {
      maxMessageBytes: get('maxMessageBytes'),
      grpcReceiveWindowBytes: get('grpcReceiveWindowBytes'),
      requestTimeoutMs: get('requestTimeoutMs'),
      shutdownGraceMs: get('shutdownGraceMs'),
      batchMaxSpans: get('batchMaxSpans'),
      batchMaxDelayMs: get('batchMaxDelayMs'),
      queueMaxSpans: get('queueMaxSpans'),
      queueMaxWaitMs: get('queueMaxWaitMs'),
    },
    graph: {
      pairWaitMs: get('pairWaitMs'),
      pairMaxPending: get('pairMaxPending'),
      derived: {
        flushIntervalMs: get('derivedFlushIntervalMs'),
        flushRows: get('derivedFlushRows'),
        maxBuffered: get('derivedMaxBufferedRows'),
      },
      metricsMaxSeries: get('metricsMaxSeries'),
      metricsFlavor: get('metricsFlavor'),
      latencyBucketsMs: get('latencyBucketsMs'),
    },
    api: {
      maxBodyBytes: get('apiMaxBodyBytes'),
      webhookMaxBodyBytes: get('webhookMaxBodyBytes'),
      maxWindowMs: get('apiMaxWindowMs'),
      rawMaxWindowMs: get('rawMaxWindowMs'),
      defaultWindowMs: get('defaultWindowMs'),
    },
    rca: {
      lookbackMs: get('lookbackMs'),
      baselineMs: get('baselineMs'),
      serviceLabels: get('serviceLabels'),
      environmentLabels: get('environmentLabels'),
      concurrency: get('rcaConcurrency'),
      reanalysisShare: get('rcaReanalysisShare') / 100,
      analysis: { minRequests: get('rcaMinRequests'), sampleRequests: get('rcaSampleRequests'), maxSpans: get('rcaMaxSpans') },
    },
  };
}

/** The address as one string, with IPv6 hosts bracketed. */
export function formatAddress(addr: ListenAddress): string {
  return addr.host.includes(':') ? `[${addr.host}]:${addr.port}` : `${addr.host}:${addr.port}`;
}
