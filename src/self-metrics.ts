/** Faultline's own Prometheus metrics (faultline_*), on one registry that /metrics also serves the graph metrics from. */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SELF_METRICS, type MetricSpec } from './metric-catalog.js';

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
  analyses: Counter<'kind'>;
  analysesSkipped: Counter<'kind'>;
  alertsSkipped: Counter<'reason'>;
  rcaSeconds: Histogram;
  incidentDuration: Histogram<'service'>;
  timeToRootCause: Histogram<'service'>;
  apiRequests: Counter<'route' | 'method' | 'status'>;
  apiRequestSeconds: Histogram<'route'>;
}

export interface BuildInfo {
  version: string;
}

export function createSelfMetrics(registry = new Registry(), build: BuildInfo = { version: 'dev' }): SelfMetrics {
  // process_* and nodejs_* (CPU, memory, heap, event-loop lag, GC): what an operator checks first.
  collectDefaultMetrics({ register: registry });
  const M = SELF_METRICS;
  gaugeOf(registry, M.buildInfo).set({ version: build.version, node: process.version }, 1);
  return {
    registry,
    spansReceived: counterOf(registry, M.spansReceived),
    spansAccepted: counterOf(registry, M.spansAccepted),
    spansRejected: counterOf(registry, M.spansRejected),
    exportRequests: counterOf(registry, M.exportRequests),
    batchSpans: histogramOf(registry, M.batchSpans),
    storeWriteSeconds: histogramOf(registry, M.storeWriteSeconds),
    queueSpans: gaugeOf(registry, M.queueSpans),
    incidents: counterOf(registry, M.incidents),
    analyses: counterOf(registry, M.analyses),
    analysesSkipped: counterOf(registry, M.analysesSkipped),
    alertsSkipped: counterOf(registry, M.alertsSkipped),
    apiRequests: counterOf(registry, M.apiRequests),
    apiRequestSeconds: histogramOf(registry, M.apiRequestSeconds),
    rcaSeconds: histogramOf(registry, M.rcaSeconds),
    incidentDuration: histogramOf(registry, M.incidentDuration),
    timeToRootCause: histogramOf(registry, M.timeToRootCause),
  };
}

/** A metric of the catalog, registered. (Label names are typed loosely here; SelfMetrics pins them.) */
export function counterOf<L extends string = string>(registry: Registry, spec: MetricSpec): Counter<L> {
  return new Counter<L>({ name: spec.name, help: spec.help, labelNames: spec.labels as L[], registers: [registry] });
}

export function gaugeOf<L extends string = string>(registry: Registry, spec: MetricSpec, collect?: (this: Gauge<L>) => void): Gauge<L> {
  return new Gauge<L>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labels as L[],
    registers: [registry],
    ...(collect ? { collect } : {}),
  });
}

export function histogramOf<L extends string = string>(registry: Registry, spec: MetricSpec): Histogram<L> {
  return new Histogram<L>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labels as L[],
    buckets: [...(spec.buckets ?? [])],
    registers: [registry],
  });
}
