/**
 * Groups the pairer's rows by minute and rollup key (span timings by service, operation and kind; edge calls by
 * edge), so the store receives one row per group with the values as arrays: it converts a key's strings once per
 * group instead of once per span, and the rollup views reduce each array straight into a sketch state.
 */
import type { EdgeCall, SpanTiming } from '../graph/edge-call.js';
import { childMap } from '../nested-map.js';
import { NativeBlockWriter } from './native-block.js';

interface TimingGroup {
  minute: number;
  serviceName: string;
  environment: string;
  spanName: string;
  spanKind: string;
  errors: number;
  durations: number[];
  selfTimes: number[];
}

interface EdgeGroup {
  minute: number;
  client: string;
  /** The client's environment: an edge belongs to its caller's environment. */
  environment: string;
  server: string;
  serverKind: string;
  connectionType: string;
  errors: number;
  clientDurations: number[];
  /** Only calls with a server span (a virtual node has none). */
  serverDurations: number[];
}

/** Nested maps, one level per key part: no key string is built per row. */
type Nest<T> = Map<string, T>;

export class DerivedRowGroups {
  private readonly timingIndex = new Map<number, Nest<Nest<Nest<Nest<TimingGroup>>>>>();
  private readonly edgeIndex = new Map<number, Nest<Nest<Nest<Nest<Nest<EdgeGroup>>>>>>();
  private readonly timings: TimingGroup[] = [];
  private readonly edges: EdgeGroup[] = [];
  /** Span timings and edge calls added. */
  timingRows = 0;
  edgeRows = 0;

  get rows(): number {
    return this.timingRows + this.edgeRows;
  }

  addTiming(t: SpanTiming): void {
    const minute = t.minute;
    const byService = childMap(this.timingIndex, minute);
    const byEnvironment = childMap(byService, t.serviceName);
    const byName = childMap(byEnvironment, t.environment);
    const byKind = childMap(byName, t.spanName);
    let g = byKind.get(t.spanKind);
    if (!g) {
      g = {
        minute,
        serviceName: t.serviceName,
        environment: t.environment,
        spanName: t.spanName,
        spanKind: t.spanKind,
        errors: 0,
        durations: [],
        selfTimes: [],
      };
      byKind.set(t.spanKind, g);
      this.timings.push(g);
    }
    if (t.failed) g.errors++;
    g.durations.push(t.durationNs);
    g.selfTimes.push(t.selfTimeNs);
    this.timingRows++;
  }

  addEdge(c: EdgeCall): void {
    const minute = c.minute;
    const byClient = childMap(this.edgeIndex, minute);
    const byEnvironment = childMap(byClient, c.client);
    const byServer = childMap(byEnvironment, c.clientEnvironment);
    const byKind = childMap(byServer, c.server);
    const byConnection = childMap(byKind, c.serverKind);
    let g = byConnection.get(c.connectionType);
    if (!g) {
      g = {
        minute,
        client: c.client,
        environment: c.clientEnvironment,
        server: c.server,
        serverKind: c.serverKind,
        connectionType: c.connectionType,
        errors: 0,
        clientDurations: [],
        serverDurations: [],
      };
      byConnection.set(c.connectionType, g);
      this.edges.push(g);
    }
    if (c.failed) g.errors++;
    g.clientDurations.push(c.clientDurationNs);
    if (c.serverDurationNs > 0) g.serverDurations.push(c.serverDurationNs);
    this.edgeRows++;
  }

  /** span_timing_groups rows, in its column order; undefined when there are none. */
  timingBlock(): Buffer | undefined {
    const rows = this.timings;
    if (rows.length === 0) return undefined;
    const w = new NativeBlockWriter(8, rows.length, 64);
    w.column('Minute', 'DateTime');
    for (const r of rows) w.uint32(r.minute * 60);
    w.column('ServiceName', 'String');
    for (const r of rows) w.string(r.serviceName);
    w.column('SpanName', 'String');
    for (const r of rows) w.string(r.spanName);
    w.column('SpanKind', 'String');
    for (const r of rows) w.string(r.spanKind);
    w.column('Errors', 'UInt64');
    for (const r of rows) w.uint64(r.errors);
    w.column('Durations', 'Array(UInt64)');
    w.uint64Arrays(rows.map((r) => r.durations));
    w.column('SelfTimes', 'Array(UInt64)');
    w.uint64Arrays(rows.map((r) => r.selfTimes));
    w.column('Environment', 'String');
    for (const r of rows) w.string(r.environment);
    return w.finish();
  }

  /** edge_call_groups rows, in its column order; undefined when there are none. */
  edgeBlock(): Buffer | undefined {
    const rows = this.edges;
    if (rows.length === 0) return undefined;
    const w = new NativeBlockWriter(9, rows.length, 64);
    w.column('Minute', 'DateTime');
    for (const r of rows) w.uint32(r.minute * 60);
    w.column('Client', 'String');
    for (const r of rows) w.string(r.client);
    w.column('Server', 'String');
    for (const r of rows) w.string(r.server);
    w.column('ServerKind', 'String');
    for (const r of rows) w.string(r.serverKind);
    w.column('ConnectionType', 'String');
    for (const r of rows) w.string(r.connectionType);
    w.column('Errors', 'UInt64');
    for (const r of rows) w.uint64(r.errors);
    w.column('ClientDurations', 'Array(UInt64)');
    w.uint64Arrays(rows.map((r) => r.clientDurations));
    w.column('ServerDurations', 'Array(UInt64)');
    w.uint64Arrays(rows.map((r) => r.serverDurations));
    w.column('Environment', 'String');
    for (const r of rows) w.string(r.environment);
    return w.finish();
  }
}
