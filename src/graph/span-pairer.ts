/**
 * Pairs client and server spans across services into edge calls, and computes each span's self time, whatever the
 * order spans arrive in. Each span waits up to `waitMs` (arrival time) for its parent and children; then it is
 * settled: its timing (duration, self time, error) is emitted, and a client span still without an instrumented child becomes a call to a
 * virtual node (when it names its peer) or counts as unpaired.
 */
import { SPAN_KIND_NAMES, SpanKind, StatusCode, type Span } from '../span.js';
import type { PairingListener, SpanTiming } from './edge-call.js';
import { connectionTypeOf, virtualPeerOf, type VirtualPeer } from './virtual-peer.js';

export interface SpanPairerOptions {
  waitMs: number;
  maxPending: number;
}

/** A waiting span. It is also the timing row it becomes when settled (one object per span, not two). */
interface Pending extends SpanTiming {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  kind: number;
  /** Set for client/producer spans that name a peer. */
  peer: VirtualPeer | undefined;
  /** Child intervals as [start, end) offsets from this span's start, flattened. */
  children: number[] | undefined;
  paired: boolean;
  arrivedAt: number;
  settled: boolean;
}

const isCaller = (k: number): boolean => k === SpanKind.CLIENT || k === SpanKind.PRODUCER;
const isCallee = (k: number): boolean => k === SpanKind.SERVER || k === SpanKind.CONSUMER;

export class SpanPairer {
  /** By span id (random 64 bits; the trace id is checked on match). */
  private readonly pending = new Map<string, Pending>();
  /** Children that arrived before their parent, by parent span id. */
  private readonly orphans = new Map<string, Pending[]>();
  /** Arrival order, for expiry and eviction. */
  private queue: Pending[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Services seen serving requests: a client span naming one of them (but unpaired) is a call to that service. */
  private readonly servingServices = new Set<string>();

  constructor(
    private readonly opts: SpanPairerOptions,
    private readonly listener: PairingListener,
    private readonly now: () => number = Date.now,
  ) {}

  /** Settles expired spans every `intervalMs` until close(). */
  start(intervalMs = 1000): void {
    this.timer = setInterval(() => this.settleExpired(), intervalMs);
    this.timer.unref();
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  add(spans: readonly Span[]): void {
    const arrivedAt = this.now();
    for (const s of spans) this.addOne(s, arrivedAt);
    let evicted = 0;
    while (this.pending.size > this.opts.maxPending && this.head < this.queue.length) {
      const p = this.queue[this.head++]!;
      if (!p.settled) {
        this.settle(p);
        evicted++;
      }
    }
    if (evicted > 0) this.listener.onEvicted(evicted);
  }

  /** Settles every span whose wait is over. */
  settleExpired(): void {
    const cutoff = this.now() - this.opts.waitMs;
    while (this.head < this.queue.length && this.queue[this.head]!.arrivedAt <= cutoff) {
      const p = this.queue[this.head++]!;
      if (!p.settled) this.settle(p);
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Settles everything now (shutdown). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    while (this.head < this.queue.length) {
      const p = this.queue[this.head++]!;
      if (!p.settled) this.settle(p);
    }
    this.queue = [];
    this.head = 0;
  }

  private addOne(s: Span, arrivedAt: number): void {
    if (this.pending.has(s.spanId)) return; // a duplicate delivery (exporter retry) counts once
    const p: Pending = {
      timestampNs: s.startNs,
      serviceName: s.serviceName,
      spanName: s.name,
      spanKind: SPAN_KIND_NAMES[s.kind] ?? 'Unspecified',
      durationNs: s.durationNs,
      selfTimeNs: 0,
      failed: s.statusCode === StatusCode.ERROR,
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      kind: s.kind,
      peer: isCaller(s.kind) ? virtualPeerOf(s.attributes) : undefined,
      children: undefined,
      paired: false,
      arrivedAt,
      settled: false,
    };
    this.pending.set(p.spanId, p);
    this.queue.push(p);
    if (isCallee(p.kind)) this.servingServices.add(p.serviceName);

    const waiting = this.orphans.get(p.spanId);
    if (waiting) {
      this.orphans.delete(p.spanId);
      for (const child of waiting) if (child.traceId === p.traceId) this.link(p, child);
    }
    if (p.parentSpanId !== '') {
      const parent = this.pending.get(p.parentSpanId);
      if (parent && parent.traceId === p.traceId) this.link(parent, p);
      else {
        const list = this.orphans.get(p.parentSpanId);
        if (list) list.push(p);
        else this.orphans.set(p.parentSpanId, [p]);
      }
    }
  }

  private link(parent: Pending, child: Pending): void {
    const offset = Number(child.timestampNs - parent.timestampNs);
    (parent.children ??= []).push(offset, offset + child.durationNs);
    if (isCaller(parent.kind) && isCallee(child.kind) && parent.serviceName !== child.serviceName && !parent.paired) {
      parent.paired = true;
      child.paired = true;
      const messaging = parent.kind === SpanKind.PRODUCER || child.kind === SpanKind.CONSUMER;
      this.listener.onEdge({
        timestampNs: parent.timestampNs,
        traceId: parent.traceId,
        client: parent.serviceName,
        server: child.serviceName,
        serverKind: 'service',
        connectionType: connectionTypeOf('service', messaging),
        clientDurationNs: parent.durationNs,
        serverDurationNs: child.durationNs,
        failed: parent.failed || child.failed,
      });
    }
  }

  private settle(p: Pending): void {
    p.settled = true;
    this.pending.delete(p.spanId);
    if (p.parentSpanId !== '') {
      const list = this.orphans.get(p.parentSpanId);
      if (list) {
        const i = list.indexOf(p);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) this.orphans.delete(p.parentSpanId);
      }
    }
    p.selfTimeNs = selfTime(p.durationNs, p.children);
    p.children = undefined;
    this.listener.onSpanTiming(p);
    if (isCaller(p.kind) && !p.paired) {
      if (p.peer) {
        const known = this.servingServices.has(p.peer.name);
        this.listener.onEdge({
          timestampNs: p.timestampNs,
          traceId: p.traceId,
          client: p.serviceName,
          server: p.peer.name,
          serverKind: known ? 'service' : p.peer.kind,
          connectionType: connectionTypeOf(known ? 'service' : p.peer.kind, p.kind === SpanKind.PRODUCER),
          clientDurationNs: p.durationNs,
          serverDurationNs: 0,
          failed: p.failed,
        });
      } else this.listener.onUnpaired('client', p.serviceName);
    } else if (isCallee(p.kind) && !p.paired && p.parentSpanId !== '') {
      this.listener.onUnpaired('server', p.serviceName);
    }
  }
}

/** Duration minus the union of the children's intervals (clipped to the span). */
export function selfTime(durationNs: number, children: number[] | undefined): number {
  if (!children || children.length === 0) return durationNs;
  const intervals: [number, number][] = [];
  for (let i = 0; i < children.length; i += 2) {
    const a = Math.max(0, children[i]!);
    const b = Math.min(durationNs, children[i + 1]!);
    if (b > a) intervals.push([a, b]);
  }
  intervals.sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let curStart = -1;
  let curEnd = -1;
  for (const [a, b] of intervals) {
    if (a > curEnd) {
      if (curEnd > curStart) covered += curEnd - curStart;
      curStart = a;
      curEnd = b;
    } else if (b > curEnd) curEnd = b;
  }
  if (curEnd > curStart) covered += curEnd - curStart;
  return Math.max(0, durationNs - covered);
}
