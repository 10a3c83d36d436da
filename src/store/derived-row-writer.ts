/**
 * Writes what the graph pairer derives (edge calls, span timings) in batches. These rows are not part of any export
 * ack, so a failed write is retried on the next flush; beyond `maxBuffered` rows the oldest are dropped and counted.
 */
import { Counter, type Registry } from 'prom-client';
import type { EdgeCall, SpanTiming } from '../graph/edge-call.js';
import type { Logger } from '../log.js';
import type { Store } from './clickhouse-store.js';
import { tsvString } from './tsv.js';

export interface DerivedRowWriterOptions {
  flushIntervalMs: number;
  flushRows: number;
  maxBuffered: number;
}

const EDGE_COLUMNS = ['Timestamp', 'TraceId', 'Client', 'Server', 'ServerKind', 'ConnectionType', 'ClientDuration', 'ServerDuration', 'Failed'];
const TIMING_COLUMNS = ['Timestamp', 'ServiceName', 'SpanName', 'SpanKind', 'Duration', 'SelfTime', 'IsError'];

export class DerivedRowWriter {
  private edges: string[] = [];
  private timings: string[] = [];
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
      `${c.timestampNs}\t${c.traceId}\t${tsvString(c.client)}\t${tsvString(c.server)}\t${c.serverKind}\t${c.connectionType}\t` +
        `${c.clientDurationNs}\t${c.serverDurationNs}\t${c.failed ? 1 : 0}\n`,
    );
    if (this.edges.length >= this.opts.flushRows) void this.flush();
  }

  addSpanTiming(s: SpanTiming): void {
    this.timings.push(`${s.timestampNs}\t${tsvString(s.serviceName)}\t${tsvString(s.spanName)}\t${s.spanKind}\t${s.durationNs}\t${s.selfTimeNs}\t${s.failed ? 1 : 0}\n`);
    if (this.timings.length >= this.opts.flushRows) void this.flush();
  }

  /** Writes everything buffered; concurrent calls share one write. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.edges.length === 0 && this.timings.length === 0) return;
    this.flushing = this.writeBuffered().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  private async writeBuffered(): Promise<void> {
    const edges = this.edges;
    const timings = this.timings;
    this.edges = [];
    this.timings = [];
    try {
      await this.store.insert('edge_calls', 'TabSeparated', edges.join(''), EDGE_COLUMNS);
    } catch (err) {
      this.edges = this.requeue('edge_calls', edges, this.edges, err);
    }
    try {
      await this.store.insert('span_timings', 'TabSeparated', timings.join(''), TIMING_COLUMNS);
    } catch (err) {
      this.timings = this.requeue('span_timings', timings, this.timings, err);
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
