/**
 * Counter and histogram families for the per-span and per-call graph metrics. A series is a plain object, so an
 * update is a few field writes; prom-client's own metrics hash the label set on every call, which cost ~2 µs per
 * span on the ingest path. The families register with a prom-client Registry as ordinary metrics (name, help,
 * type, get()), so /metrics prints them in the same text format as before.
 */
import type { Registry } from 'prom-client';

type Labels = Record<string, string>;

interface MetricValue {
  metricName?: string;
  labels: Labels;
  value: number;
}

export class CounterSeries {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(n = 1): void {
    this.value += n;
  }
}

export class HistogramSeries {
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Labels,
    private readonly upperBounds: readonly number[],
  ) {
    this.counts = new Float64Array(upperBounds.length + 1);
  }

  observe(v: number): void {
    const bounds = this.upperBounds;
    let i = 0;
    while (i < bounds.length && v > bounds[i]!) i++; // bucket `le` counts v <= le
    this.counts[i]!++;
    this.sum += v;
    this.count++;
  }
}

abstract class Family<S extends { labels: Labels }> {
  private readonly bySeriesKey = new Map<string, S>();

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    private readonly labelNames: readonly string[],
    /** Labels left out of a series when their value is '' (dimensions such as the deployment environment). */
    private readonly optionalLabels: readonly string[] = [],
  ) {
    registry.registerMetric(this as never);
  }

  /** The series for these label values (in labelNames order), created on first use. Callers keep the handle. */
  series(values: readonly string[]): S {
    const key = values.join('\u0000');
    let s = this.bySeriesKey.get(key);
    if (!s) {
      const pairs = this.labelNames.map((n, i): [string, string] => [n, values[i] ?? '']);
      s = this.create(Object.fromEntries(pairs.filter(([n, v]) => v !== '' || !this.optionalLabels.includes(n))));
      this.bySeriesKey.set(key, s);
    }
    return s;
  }

  /** What prom-client's registry reads when /metrics is scraped. */
  async get(): Promise<{ name: string; help: string; type: string; values: MetricValue[]; aggregator: string }> {
    const values: MetricValue[] = [];
    for (const s of this.bySeriesKey.values()) this.collect(s, values);
    return { name: this.name, help: this.help, type: this.type, values, aggregator: 'sum' };
  }

  /** Part of prom-client's metric contract: Registry.resetMetrics() calls it. */
  reset(): void {
    this.bySeriesKey.clear();
  }

  protected abstract create(labels: Labels): S;
  protected abstract collect(s: S, into: MetricValue[]): void;
}

export class CounterFamily extends Family<CounterSeries> {
  constructor(registry: Registry, name: string, help: string, labelNames: readonly string[], optionalLabels: readonly string[] = []) {
    super(registry, name, help, 'counter', labelNames, optionalLabels);
  }

  protected create(labels: Labels): CounterSeries {
    return new CounterSeries(labels);
  }

  protected collect(s: CounterSeries, into: MetricValue[]): void {
    into.push({ labels: s.labels, value: s.value });
  }
}

export class HistogramFamily extends Family<HistogramSeries> {
  constructor(
    registry: Registry,
    name: string,
    help: string,
    labelNames: readonly string[],
    private readonly buckets: readonly number[],
    optionalLabels: readonly string[] = [],
  ) {
    super(registry, name, help, 'histogram', labelNames, optionalLabels);
  }

  protected create(labels: Labels): HistogramSeries {
    return new HistogramSeries(labels, this.buckets);
  }

  protected collect(s: HistogramSeries, into: MetricValue[]): void {
    let cumulative = 0;
    for (let i = 0; i <= this.buckets.length; i++) {
      cumulative += s.counts[i]!;
      const le = i < this.buckets.length ? String(this.buckets[i]) : '+Inf';
      into.push({ metricName: `${this.name}_bucket`, labels: { ...s.labels, le }, value: cumulative });
    }
    into.push({ metricName: `${this.name}_sum`, labels: s.labels, value: s.sum });
    into.push({ metricName: `${this.name}_count`, labels: s.labels, value: s.count });
  }
}
