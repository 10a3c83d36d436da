/**
 * Prometheus metrics under the names Tempo's metrics-generator and the Collector's servicegraph / spanmetrics
 * connectors use, so Grafana's service graph and `histogram_quantile` rules work unchanged.
 */
import type { Counter, Registry } from 'prom-client';
import { counterOf } from '../self-metrics.js';
import { SpanKind } from '../span.js';
import type { SpanDigest } from './pairing/index.js';
import type { EdgeCall, UnpairedCall } from './edge-call.js';
import { LabelLimiter } from './label-limiter.js';
import { boundLabel, MAX_NAME_LABEL_CHARS, MAX_SPAN_NAME_LABEL_CHARS } from './label-value.js';
import { childMap } from '../nested-map.js';
import { CounterFamily, HistogramFamily, type CounterSeries, type HistogramSeries } from './metric-families.js';
import { metricsFlavor, type MetricsFlavor } from './metrics-flavor.js';
import { GRAPH_METRICS } from '../metric-catalog.js';

const SPAN_KIND_LABELS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const STATUS_LABELS = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
/** Tempo and the servicegraph connector name the client of an entry service's root server span `user`. */
const USER = 'user';
/** ...and the server of a client span that names no peer `unknown`, both with connection_type `virtual_node`. */
const UNKNOWN = 'unknown';
const VIRTUAL_NODE = 'virtual_node';
const OTHER = 'other';
// The deployment environment is a dimension, as the connectors' `dimensions` add it: present only when set.
const EDGE_ENV_LABELS = ['client_deployment_environment', 'server_deployment_environment'];
const EDGE_LABELS = ['client', 'server', 'connection_type', ...EDGE_ENV_LABELS];
const SPAN_ENV_LABELS = ['deployment_environment'];

interface SpanSeries {
  calls: CounterSeries;
  duration: HistogramSeries;
}

interface EdgeSeries {
  labels: string[];
  requests: CounterSeries;
  /** Created on the first failure, as Tempo does: an edge that never failed has no failed series. */
  failed: CounterSeries | undefined;
  client: HistogramSeries;
  /** Created on the first call with a server span (a virtual node has none). */
  server: HistogramSeries | undefined;
}

export class GraphMetrics {
  private readonly requests: CounterFamily;
  private readonly failed: CounterFamily;
  private readonly serverSeconds: HistogramFamily;
  private readonly clientSeconds: HistogramFamily;
  private readonly unpaired: Counter<'client' | 'server'>;
  private readonly dropped: Counter;
  private readonly spanCalls: CounterFamily;
  private readonly spanDuration: HistogramFamily;
  private readonly edgeLimit: LabelLimiter;
  private readonly spanLimit: LabelLimiter;
  /** Series handles by service, environment, span name and kind/status slot (admitted label sets only). */
  private readonly spanSeries = new Map<string, Map<string, Map<string, SpanSeries[]>>>();
  /** Series handles by client, client environment, server, server environment and connection type. */
  private readonly edgeSeries = new Map<string, Map<string, Map<string, Map<string, Map<string, EdgeSeries>>>>>();

  /** Span durations are observed in this unit's divisor of ns (1e6 for ms, 1e9 for s). */
  private readonly spanDurationDivisor: number;

  constructor(registry: Registry, maxSeries: number, flavor: MetricsFlavor = metricsFlavor('connector')) {
    const SECONDS_BUCKETS = [...flavor.edgeBucketsSeconds];
    const SPAN_LABELS = [flavor.span.serviceLabel, 'span_name', 'span_kind', 'status_code', ...SPAN_ENV_LABELS];
    this.spanDurationDivisor = flavor.span.unit === 'ms' ? 1e6 : 1e9;
    const G = GRAPH_METRICS;
    this.requests = new CounterFamily(registry, G.requests.name, G.requests.help, EDGE_LABELS, EDGE_ENV_LABELS);
    this.failed = new CounterFamily(registry, G.failed.name, G.failed.help, EDGE_LABELS, EDGE_ENV_LABELS);
    this.serverSeconds = new HistogramFamily(
      registry,
      G.serverSeconds.name,
      G.serverSeconds.help,
      EDGE_LABELS,
      SECONDS_BUCKETS,
      EDGE_ENV_LABELS,
    );
    this.clientSeconds = new HistogramFamily(
      registry,
      G.clientSeconds.name,
      G.clientSeconds.help,
      EDGE_LABELS,
      SECONDS_BUCKETS,
      EDGE_ENV_LABELS,
    );
    this.unpaired = counterOf<'client' | 'server'>(registry, G.unpaired);
    this.dropped = counterOf(registry, G.dropped);
    this.spanCalls = new CounterFamily(registry, flavor.span.calls.name, flavor.span.calls.help, SPAN_LABELS, SPAN_ENV_LABELS);
    this.spanDuration = new HistogramFamily(
      registry,
      flavor.span.duration.name,
      flavor.span.duration.help,
      SPAN_LABELS,
      [...flavor.span.buckets],
      SPAN_ENV_LABELS,
    );
    this.edgeLimit = new LabelLimiter(maxSeries);
    this.spanLimit = new LabelLimiter(maxSeries);
  }

  observeEdge(edge: EdgeCall): void {
    const call = boundEdgeLabels(edge);
    const series =
      this.edgeSeries
        .get(call.client)
        ?.get(call.clientEnvironment)
        ?.get(call.server)
        ?.get(call.serverEnvironment)
        ?.get(call.connectionType) ?? this.bindEdgeSeries(call);
    series.requests.inc();
    if (call.failed) (series.failed ??= this.failed.series(series.labels)).inc();
    if (call.clientDurationNs > 0) series.client.observe(call.clientDurationNs / 1e9);
    // A virtual node (database, queue, external API) has no server span: its caller's view is the only latency
    // there is, and the generators record it on both sides, so Grafana's server-side panels are not NaN.
    const serverNs = call.serverDurationNs > 0 ? call.serverDurationNs : call.serverKind !== 'service' ? call.clientDurationNs : 0;
    if (serverNs > 0) (series.server ??= this.serverSeconds.series(series.labels)).observe(serverNs / 1e9);
  }

  private bindEdgeSeries(call: EdgeCall): EdgeSeries {
    const admitted = this.edgeLimit.admit(
      `${call.client}\u0000${call.clientEnvironment}\u0000${call.server}\u0000${call.serverEnvironment}\u0000${call.connectionType}`,
    );
    const labels = [
      admitted ? call.client : OTHER,
      admitted ? call.server : OTHER,
      call.connectionType,
      call.clientEnvironment,
      call.serverEnvironment,
    ];
    const series: EdgeSeries = {
      labels,
      requests: this.requests.series(labels),
      failed: undefined,
      client: this.clientSeconds.series(labels),
      server: undefined,
    };
    // Only admitted label sets are cached, so unbounded names cannot grow the cache.
    if (admitted)
      childMap(childMap(childMap(childMap(this.edgeSeries, call.client), call.clientEnvironment), call.server), call.serverEnvironment).set(
        call.connectionType,
        series,
      );
    return series;
  }

  observeUnpaired(side: 'client' | 'server', name0: string, call?: UnpairedCall): void {
    const service = boundLabel(name0, MAX_NAME_LABEL_CHARS);
    const admitted = this.edgeLimit.admit(`unpaired\u0000${side}\u0000${service}`);
    const name = admitted ? service : OTHER;
    this.unpaired.inc(side === 'client' ? { client: name, server: '' } : { client: '', server: name });
    // The connector and Tempo show a client span that names no peer as a call to the virtual node `unknown`. It
    // stays out of faultline's own graph: a node that names nothing cannot be a root cause anyone can act on.
    if (side === 'client' && call)
      this.observeEdge({
        minute: 0,
        client: service,
        server: UNKNOWN,
        clientEnvironment: call.environment,
        serverEnvironment: call.environment,
        serverKind: 'external',
        connectionType: VIRTUAL_NODE,
        clientDurationNs: call.durationNs,
        serverDurationNs: 0,
        failed: call.failed,
      });
  }

  observeEvicted(count: number): void {
    this.dropped.inc(count);
  }

  observeSpans(d: SpanDigest): void {
    for (let i = 0; i < d.count; i++) {
      const service = boundLabel(d.service[i]!, MAX_NAME_LABEL_CHARS);
      const env = boundLabel(d.environment[i]!, MAX_NAME_LABEL_CHARS);
      const name = boundLabel(d.name[i]!, MAX_SPAN_NAME_LABEL_CHARS);
      // service -> environment -> span name -> [kind * 3 + status]: no per-span key string to build and hash.
      const series =
        this.spanSeries.get(service)?.get(env)?.get(name)?.[d.kind[i]! * 3 + d.statusCode[i]!] ??
        this.bindSpanSeries(service, env, name, d.kind[i]!, d.statusCode[i]!);
      series.calls.inc();
      series.duration.observe(d.duration[i]! / this.spanDurationDivisor);
      // An entry service's root server span: the edge user -> service, server side only (there is no client span),
      // a virtual node as the connector labels it.
      if (d.parentKey[i] === -1 && d.kind[i] === SpanKind.SERVER) {
        this.observeEdge({
          minute: 0,
          client: USER,
          server: service,
          clientEnvironment: env,
          serverEnvironment: env,
          serverKind: 'service',
          connectionType: VIRTUAL_NODE,
          clientDurationNs: 0,
          serverDurationNs: d.duration[i]!,
          failed: d.statusCode[i] === 2,
        });
      }
    }
  }

  private bindSpanSeries(service: string, env: string, name: string, kind: number, statusCode: number): SpanSeries {
    const admitted = this.spanLimit.admit(`${service}\u0000${env}\u0000${name}\u0000${kind}\u0000${statusCode}`);
    const labels = [
      service,
      // Past the limit, keep the service but fold the span name: the per-service P99 rule still works.
      admitted ? name : OTHER,
      SPAN_KIND_LABELS[kind] ?? SPAN_KIND_LABELS[SpanKind.UNSPECIFIED]!,
      STATUS_LABELS[statusCode] ?? STATUS_LABELS[0]!,
      env,
    ];
    const series = { calls: this.spanCalls.series(labels), duration: this.spanDuration.series(labels) };
    // Only admitted label sets are cached, so unbounded names cannot grow the cache.
    if (admitted) {
      const byName = childMap(childMap(this.spanSeries, service), env);
      let slots = byName.get(name);
      if (!slots) byName.set(name, (slots = []));
      slots[kind * 3 + statusCode] = series;
    }
    return series;
  }
}

/** The call with its names cut to the label bound (the same object when none is too long). */
function boundEdgeLabels(call: EdgeCall): EdgeCall {
  const max = MAX_NAME_LABEL_CHARS;
  if (
    call.client.length <= max &&
    call.server.length <= max &&
    call.clientEnvironment.length <= max &&
    call.serverEnvironment.length <= max
  )
    return call;
  return {
    ...call,
    client: boundLabel(call.client, max),
    server: boundLabel(call.server, max),
    clientEnvironment: boundLabel(call.clientEnvironment, max),
    serverEnvironment: boundLabel(call.serverEnvironment, max),
  };
}
