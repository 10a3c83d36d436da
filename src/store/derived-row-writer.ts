/**
 * Writes what the graph pairer derives (span timings, edge calls), grouped per minute and key (derived-row-groups.ts),
 * once a second or every `flushRows` rows. These rows are not part of any export ack, so a failed write is kept and
 * retried on the next flush; beyond `maxBuffered` rows waiting, the oldest blocks are dropped and counted.
 */
import type { Counter, Registry } from 'prom-client';
import { SELF_METRICS } from '../metric-catalog.js';
import { counterOf } from '../self-metrics.js';
import type { EdgeCall, SpanTiming } from '../graph/edge-call.js';
import type { Logger } from '../log.js';
import type { Store } from './clickhouse-store.js';
import { DerivedRowGroups } from './derived-row-groups.js';

export interface DerivedRowWriterOptions {
  flushIntervalMs: number;
  flushRows: number;
  maxBuffered: number;
}

interface Block {
  table: 'span_timing_groups' | 'edge_call_groups';
  block: Buffer;
  /** Spans or calls it holds. */
  rows: number;
}

export class DerivedRowWriter {
  private groups = new DerivedRowGroups();
  /** Encoded blocks whose insert failed, oldest first. */
  private retry: Block[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly dropped: Counter<'table'>;

  constructor(
    private readonly store: Store,
    private readonly opts: DerivedRowWriterOptions,
    registry: Registry,
    private readonly log: Logger,
  ) {
    this.dropped = counterOf<'table'>(registry, SELF_METRICS.derivedRowsDropped);
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.opts.flushIntervalMs);
    this.timer.unref();
  }

  addEdge(c: EdgeCall): void {
    this.groups.addEdge(c);
    if (this.groups.rows >= this.opts.flushRows) void this.flush();
  }

  addSpanTiming(s: SpanTiming): void {
    this.groups.addTiming(s);
    if (this.groups.rows >= this.opts.flushRows) void this.flush();
  }

  /** Writes everything buffered; concurrent calls share one write. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.groups.rows === 0 && this.retry.length === 0) return;
    this.flushing = this.writeBuffered().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  private async writeBuffered(): Promise<void> {
    const groups = this.groups;
    this.groups = new DerivedRowGroups();
    const blocks = this.retry;
    this.retry = [];
    const timings = groups.timingBlock();
    const edges = groups.edgeBlock();
    if (timings) blocks.push({ table: 'span_timing_groups', block: timings, rows: groups.timingRows });
    if (edges) blocks.push({ table: 'edge_call_groups', block: edges, rows: groups.edgeRows });
    for (const b of blocks) {
      try {
        await this.store.insertNative(b.table, b.block);
      } catch (err) {
        this.log.warn('derived rows not written; will retry', { table: b.table, err });
        this.retry.push(b);
      }
    }
    let waiting = this.retry.reduce((n, b) => n + b.rows, 0);
    while (waiting > this.opts.maxBuffered && this.retry.length > 0) {
      const oldest = this.retry.shift()!;
      waiting -= oldest.rows;
      this.dropped.inc({ table: oldest.table }, oldest.rows);
    }
  }
}
