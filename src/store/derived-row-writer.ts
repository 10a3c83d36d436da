/**
 * Writes what the graph pairer derives (edge calls, self times) in batches. These rows are not part of any export
 * ack, so a failed write is retried on the next flush; beyond `maxBuffered` rows the oldest are dropped and counted.
 */
import { Counter, type Registry } from 'prom-client';
import type { EdgeCall, SelfTime } from '../graph/edge-call.js';
import type { Logger } from '../log.js';
import type { Store } from './clickhouse-store.js';

export interface DerivedRowWriterOptions {
  flushIntervalMs: number;
  flushRows: number;
  maxBuffered: number;
}

const q = JSON.stringify;

export class DerivedRowWriter {
  private edges: string[] = [];
  private selfTimes: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly dropped: Counter<'table'>;

  constructor(
    private readonly store: Store,
    private readonly opts: DerivedRowWriterOptions,
    registry: Registry,
    private readonly log: Logger,
  ) {
    this.dropped = new Counter({ name: 'faultline_derived_rows_dropped_total', help: 'Derived graph rows dropped after the store stayed unavailable.', labelNames: ['table'], registers: [registry] });
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.opts.flushIntervalMs);
    this.timer.unref();
  }

  addEdge(c: EdgeCall): void {
    this.edges.push(
      `{"Timestamp":"${c.timestampNs}","TraceId":"${c.traceId}","Client":${q(c.client)},"Server":${q(c.server)},"ServerKind":"${c.serverKind}",` +
        `"ConnectionType":"${c.connectionType}","ClientDuration":${c.clientDurationNs},"ServerDuration":${c.serverDurationNs},"Failed":${c.failed ? 1 : 0}}\n`,
    );
    if (this.edges.length >= this.opts.flushRows) void this.flush();
  }

  addSelfTime(s: SelfTime): void {
    this.selfTimes.push(
      `{"Timestamp":"${s.timestampNs}","ServiceName":${q(s.serviceName)},"SpanName":${q(s.spanName)},"SpanKind":"${s.spanKind}","SelfTime":${s.selfTimeNs}}\n`,
    );
    if (this.selfTimes.length >= this.opts.flushRows) void this.flush();
  }

  /** Writes everything buffered; concurrent calls share one write. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.edges.length === 0 && this.selfTimes.length === 0) return;
    this.flushing = this.writeBuffered().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  private async writeBuffered(): Promise<void> {
    const edges = this.edges;
    const selfTimes = this.selfTimes;
    this.edges = [];
    this.selfTimes = [];
    try {
      await this.store.insertJsonLines('edge_calls', edges.join(''));
    } catch (err) {
      this.edges = this.requeue('edge_calls', edges, this.edges, err);
    }
    try {
      await this.store.insertJsonLines('span_self_times', selfTimes.join(''));
    } catch (err) {
      this.selfTimes = this.requeue('span_self_times', selfTimes, this.selfTimes, err);
    }
  }

  private requeue(table: string, failed: string[], arrivedSince: string[], err: unknown): string[] {
    const all = failed.concat(arrivedSince);
    const over = all.length - this.opts.maxBuffered;
    this.log.warn('derived rows not written; will retry', { table, rows: failed.length, err });
    if (over > 0) {
      this.dropped.inc({ table }, over);
      return all.slice(over);
    }
    return all;
  }
}
