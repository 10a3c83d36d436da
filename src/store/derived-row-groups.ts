/**
 * Groups the pairer's rows by minute and rollup key (span timings by service, operation and kind; edge calls by
 * edge), so the store receives one row per group with the values as arrays: it converts a key's strings once per
 * group instead of once per span, and the rollup views reduce each array straight into a sketch state.
 */
import type { EdgeCall, SpanTiming } from '../graph/edge-call.js';
import { childMap } from '../nested-map.js';
import { latencyBucketCounts } from './latency-grid.js';
import { nativeBlock, nativeColumns } from './native-block.js';

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
    if (this.timings.length === 0) return undefined;
    const c = nativeColumns;
    // Exact counts on the latency grid for SLOs (latency-grid.ts), once per group.
    const buckets = new Map(this.timings.map((g) => [g, latencyBucketCounts(g.durations)]));
    return nativeBlock(this.timings, [
      ['Minute', 'DateTime', c.minutes((r) => r.minute)],
      ['ServiceName', 'String', c.strings((r) => r.serviceName)],
      ['SpanName', 'String', c.strings((r) => r.spanName)],
      ['SpanKind', 'String', c.strings((r) => r.spanKind)],
      ['Errors', 'UInt64', c.uint64s((r) => r.errors)],
      ['Durations', 'Array(UInt64)', c.uint64Arrays((r) => r.durations)],
      ['SelfTimes', 'Array(UInt64)', c.uint64Arrays((r) => r.selfTimes)],
      ['Environment', 'String', c.strings((r) => r.environment)],
      ['LatencyBucketIds', 'Array(UInt64)', c.uint64Arrays((r) => buckets.get(r)!.ids)],
      ['LatencyBucketCounts', 'Array(UInt64)', c.uint64Arrays((r) => buckets.get(r)!.counts)],
    ]);
  }

  /** edge_call_groups rows, in its column order; undefined when there are none. */
  edgeBlock(): Buffer | undefined {
    if (this.edges.length === 0) return undefined;
    const c = nativeColumns;
    return nativeBlock(this.edges, [
      ['Minute', 'DateTime', c.minutes((r) => r.minute)],
      ['Client', 'String', c.strings((r) => r.client)],
      ['Server', 'String', c.strings((r) => r.server)],
      ['ServerKind', 'String', c.strings((r) => r.serverKind)],
      ['ConnectionType', 'String', c.strings((r) => r.connectionType)],
      ['Errors', 'UInt64', c.uint64s((r) => r.errors)],
      ['ClientDurations', 'Array(UInt64)', c.uint64Arrays((r) => r.clientDurations)],
      ['ServerDurations', 'Array(UInt64)', c.uint64Arrays((r) => r.serverDurations)],
      ['Environment', 'String', c.strings((r) => r.environment)],
    ]);
  }
}
