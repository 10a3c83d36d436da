/**
 * Configuration from FAULTLINE_* environment variables (DESIGN.md "Contract: running it").
 * Every value is validated; a bad one raises ConfigError naming the variable.
 */
import { readFileSync } from 'node:fs';
import { isLogLevel, type LogLevel } from './log.js';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface Config {
  dataDir: string;
  clickhouseUrl: string | undefined;
  /** Memory one store operation (read or insert) may use (the engine's max_memory_usage). */
  storeMaxMemoryBytes: number;
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
  ingest: {
    /** Largest accepted OTLP request, compressed or not. */
    maxMessageBytes: number;
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
  };
  rca: {
    lookbackMs: number;
    /** Baseline length: the baseline is this long period right before the window. */
    baselineMs: number;
    serviceLabels: string[];
    /** Alert labels that name the deployment environment, first present wins. */
    environmentLabels: string[];
    concurrency: number;
  };
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  return {
    dataDir: str(env, 'FAULTLINE_DATA_DIR', './data'),
    clickhouseUrl: optionalUrl(env, 'FAULTLINE_CLICKHOUSE_URL'),
    storeMaxMemoryBytes: int(env, 'FAULTLINE_STORE_MAX_MEMORY_BYTES', 2 * 1024 ** 3, 0, 1024 ** 4),
    clickhouseCluster: optionalIdentifier(env, 'FAULTLINE_CLICKHOUSE_CLUSTER'),
    tracesTable: tableName(env, 'FAULTLINE_TRACES_TABLE', 'otel_traces'),
    otlpGrpcAddr: address(env, 'FAULTLINE_OTLP_GRPC_ADDR', '0.0.0.0:4317'),
    otlpHttpAddr: address(env, 'FAULTLINE_OTLP_HTTP_ADDR', '0.0.0.0:4318'),
    apiAddr: address(env, 'FAULTLINE_API_ADDR', '0.0.0.0:8080'),
    apiToken: secret(env, 'FAULTLINE_API_TOKEN'),
    webhookToken: secret(env, 'FAULTLINE_WEBHOOK_TOKEN') ?? secret(env, 'FAULTLINE_API_TOKEN'),
    otlpToken: secret(env, 'FAULTLINE_OTLP_TOKEN'),
    tls: tlsFiles(env),
    retentionDays: int(env, 'FAULTLINE_RETENTION_DAYS', 7, 1, 3650),
    publicUrl: optionalUrl(env, 'FAULTLINE_PUBLIC_URL')?.replace(/\/+$/, ''),
    traceUrlTemplate: traceTemplate(env),
    logLevel: logLevel(env, 'FAULTLINE_LOG_LEVEL', 'info'),
    ingest: {
      maxMessageBytes: int(env, 'FAULTLINE_MAX_MESSAGE_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      batchMaxSpans: int(env, 'FAULTLINE_BATCH_MAX_SPANS', 20_000, 1, 1_000_000),
      batchMaxDelayMs: int(env, 'FAULTLINE_BATCH_MAX_DELAY_MS', 20, 0, 60_000),
      queueMaxSpans: int(env, 'FAULTLINE_QUEUE_MAX_SPANS', 200_000, 1, 100_000_000),
      queueMaxWaitMs: duration(env, 'FAULTLINE_QUEUE_MAX_WAIT', 2000),
    },
    graph: {
      pairWaitMs: int(env, 'FAULTLINE_PAIR_WAIT_MS', 10_000, 0, 600_000),
      pairMaxPending: int(env, 'FAULTLINE_PAIR_MAX_PENDING', 500_000, 1, 100_000_000),
      metricsMaxSeries: int(env, 'FAULTLINE_METRICS_MAX_SERIES', 2_000, 10, 1_000_000),
      metricsFlavor: oneOf(env, 'FAULTLINE_METRICS_FLAVOR', ['connector', 'tempo'] as const, 'connector'),
      latencyBucketsMs: bucketList(env, 'FAULTLINE_METRICS_LATENCY_BUCKETS'),
    },
    api: {
      maxBodyBytes: int(env, 'FAULTLINE_API_MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
      webhookMaxBodyBytes: int(env, 'FAULTLINE_WEBHOOK_MAX_BODY_BYTES', 16 * 1024 * 1024, 1024, 256 * 1024 * 1024),
      maxWindowMs: duration(env, 'FAULTLINE_API_MAX_WINDOW', 31 * 24 * 3600_000),
      rawMaxWindowMs: duration(env, 'FAULTLINE_RAW_QUERY_MAX_WINDOW', 6 * 3600_000),
    },
    rca: {
      lookbackMs: duration(env, 'FAULTLINE_RCA_LOOKBACK', 15 * 60_000),
      baselineMs: duration(env, 'FAULTLINE_RCA_BASELINE', 3600_000),
      serviceLabels: list(env, 'FAULTLINE_ALERT_SERVICE_LABELS', ['service', 'service_name', 'service.name', 'job']),
      environmentLabels: list(env, 'FAULTLINE_ALERT_ENVIRONMENT_LABELS', ['environment', 'env', 'deployment_environment', 'deployment_environment_name', 'deployment.environment.name']),
      concurrency: int(env, 'FAULTLINE_RCA_CONCURRENCY', 2, 1, 64),
    },
  };
}

/** A secret from `NAME` or from the file named by `NAME_FILE` (trimmed), never both. */
function secret(env: Env, name: string): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) throw new ConfigError(`set ${name} or ${name}_FILE, not both`);
  if (!file) return direct || undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(`${name}_FILE=${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (text === '') throw new ConfigError(`${name}_FILE=${file} is empty`);
  return text;
}

function tlsFiles(env: Env): { cert: Buffer; key: Buffer } | undefined {
  const certFile = env.FAULTLINE_TLS_CERT_FILE;
  const keyFile = env.FAULTLINE_TLS_KEY_FILE;
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new ConfigError('TLS needs both FAULTLINE_TLS_CERT_FILE and FAULTLINE_TLS_KEY_FILE');
  const read = (name: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new ConfigError(`${name}=${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  };
  return { cert: read('FAULTLINE_TLS_CERT_FILE', certFile), key: read('FAULTLINE_TLS_KEY_FILE', keyFile) };
}

function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a whole number`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name}=${raw} is out of range [${min}, ${max}]`);
  return n;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** Durations like `15m`, `90s`, `2h`, `7d`, `500ms`. */
export function parseDuration(raw: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(raw.trim());
  if (!m) return undefined;
  return Number(m[1]) * DURATION_UNITS[m[2]!]!;
}

function duration(env: Env, name: string, fallbackMs: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallbackMs;
  const ms = parseDuration(raw);
  if (ms === undefined || ms <= 0) throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a duration like 15m, 90s or 2h`);
  return ms;
}

function list(env: Env, name: string, fallback: string[]): string[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new ConfigError(`${name} must list at least one name`);
  return items;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${name}=${JSON.stringify(raw)} must be one of ${allowed.join(', ')}`);
  return raw as T;
}

/** Histogram bounds as durations (`2ms,10ms,1s,1m`), strictly increasing. */
function bucketList(env: Env, name: string): number[] | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const ms = raw.split(',').map((s) => parseDuration(s));
  if (ms.some((v) => v === undefined || v <= 0) || ms.some((v, i) => i > 0 && v! <= ms[i - 1]!)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} must be increasing durations like 5ms,50ms,1s,1m`);
  }
  return ms as number[];
}

function logLevel(env: Env, name: string, fallback: LogLevel): LogLevel {
  const raw = str(env, name, fallback);
  if (!isLogLevel(raw)) throw new ConfigError(`${name}=${JSON.stringify(raw)} must be one of debug, info, warn, error`);
  return raw;
}

function optionalUrl(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL (expected http://user:pass@host:8123/db)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http:// or https:// URL, got ${url.protocol}`);
  }
  return raw;
}

function traceTemplate(env: Env): string | undefined {
  const raw = env.FAULTLINE_TRACE_URL_TEMPLATE;
  if (!raw) return undefined;
  if (!raw.includes('{traceId}') || !/^https?:\/\//.test(raw)) throw new ConfigError('FAULTLINE_TRACE_URL_TEMPLATE must be an http(s) URL containing {traceId}');
  return raw;
}

function optionalIdentifier(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(raw)) throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a valid cluster name`);
  return raw;
}

function tableName(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // Lowercase letters, digits and _: the tables named after it (<name>_trace_id_ts) stay plain identifiers.
  if (!/^[a-z_][a-z0-9_]{0,100}$/.test(raw)) throw new ConfigError(`${name}=${JSON.stringify(raw)} must be a table name of lowercase letters, digits and _`);
  return raw;
}

/** `host:port`, `[v6]:port` or `:port`. Port 0 asks the OS for a free port. */
export function parseListenAddress(raw: string): ListenAddress | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(raw.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

function address(env: Env, name: string, fallback: string): ListenAddress {
  const raw = str(env, name, fallback);
  const parsed = parseListenAddress(raw);
  if (!parsed) throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a listen address like 0.0.0.0:4317`);
  return parsed;
}

/** The address as one string, with IPv6 hosts bracketed. */
export function formatAddress(addr: ListenAddress): string {
  return addr.host.includes(':') ? `[${addr.host}]:${addr.port}` : `${addr.host}:${addr.port}`;
}
