/**
 * Writes what the graph pairer derives (edge calls, span timings) in batches. These rows are not part of any export
 * ack, so a failed write is retried on the next flush; beyond `maxBuffered` rows the oldest are dropped and counted.
 */
import { Counter, type Registry } from 'prom-client';
import type { EdgeCall, SpanTiming } from '../graph/edge-call.js';
import type { Logger } from '../log.js';
import type { Store } from './clickhouse-store.js';
import { NativeBlockWriter } from './native-block.js';

export interface DerivedRowWriterOptions {
  flushIntervalMs: number;
  flushRows: number;
  maxBuffered: number;
}

export class DerivedRowWriter {
  private edges: EdgeCall[] = [];
  private timings: SpanTiming[] = [];
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
    this.edges.push(c);
    if (this.edges.length >= this.opts.flushRows) void this.flush();
  }

  addSpanTiming(s: SpanTiming): void {
    this.timings.push(s);
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
      if (edges.length > 0) await this.store.insertNative('edge_calls', edgeBlock(edges));
    } catch (err) {
      this.edges = this.requeue('edge_calls', edges, this.edges, err);
    }
    try {
      if (timings.length > 0) await this.store.insertNative('span_timings', timingBlock(timings));
    } catch (err) {
      this.timings = this.requeue('span_timings', timings, this.timings, err);
    }
  }

  private requeue<T>(table: string, failed: T[], arrivedSince: T[], err: unknown): T[] {
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

/** edge_calls, in its column order. */
function edgeBlock(rows: readonly EdgeCall[]): Buffer {
  const w = new NativeBlockWriter(9, rows.length, 96);
  w.column('Timestamp', 'DateTime64(9)');
  for (const r of rows) w.int64(r.timestampNs);
  w.column('TraceId', 'String');
  for (const r of rows) w.ascii(r.traceId);
  w.column('Client', 'String');
  for (const r of rows) w.string(r.client);
  w.column('Server', 'String');
  for (const r of rows) w.string(r.server);
  w.column('ServerKind', 'String');
  for (const r of rows) w.string(r.serverKind);
  w.column('ConnectionType', 'String');
  for (const r of rows) w.string(r.connectionType);
  w.column('ClientDuration', 'UInt64');
  for (const r of rows) w.uint64(r.clientDurationNs);
  w.column('ServerDuration', 'UInt64');
  for (const r of rows) w.uint64(r.serverDurationNs);
  w.column('Failed', 'UInt8');
  for (const r of rows) w.uint8(r.failed ? 1 : 0);
  return w.finish();
}

/** span_timings, in its column order. */
function timingBlock(rows: readonly SpanTiming[]): Buffer {
  const w = new NativeBlockWriter(7, rows.length, 64);
  w.column('Timestamp', 'DateTime64(9)');
  for (const r of rows) w.int64(r.timestampNs);
  w.column('ServiceName', 'String');
  for (const r of rows) w.string(r.serviceName);
  w.column('SpanName', 'String');
  for (const r of rows) w.string(r.spanName);
  w.column('SpanKind', 'String');
  for (const r of rows) w.string(r.spanKind);
  w.column('Duration', 'UInt64');
  for (const r of rows) w.uint64(r.durationNs);
  w.column('SelfTime', 'UInt64');
  for (const r of rows) w.uint64(r.selfTimeNs);
  w.column('IsError', 'UInt8');
  for (const r of rows) w.uint8(r.failed ? 1 : 0);
  return w.finish();
}
