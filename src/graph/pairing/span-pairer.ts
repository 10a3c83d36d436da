/**
 * Pairs client and server spans across services into edge calls, and computes each span's self time, whatever the
 * order spans arrive in. Each span waits up to `waitMs` (arrival time) for its parent and children; then it is
 * settled: its timing (duration, self time, error) is emitted, and a client span still without an instrumented
 * child becomes a call to a virtual node (when it names its peer) or counts as unpaired.
 *
 * Half a million spans wait at 50k spans/s with a 10 s wait, so the waiting spans live in typed arrays indexed by
 * numeric span keys (pending-spans.ts, span-key-table.ts), not in a Map of objects: the GC then has next to nothing
 * to trace or promote per span, which measured as the largest cost of the graph stage.
 */
import { SPAN_KIND_NAMES, SpanKind, StatusCode, type Span } from '../../span.js';
import type { PairingListener } from '../edge-call.js';
import { LinkPool, NIL } from './link-pool.js';
import { FAILED, ORPHAN, PAIRED, PendingSpans } from './pending-spans.js';
import { selfTime } from './self-time.js';
import { SpanKeyTable } from './span-key-table.js';
import { digestSpans, NO_PEER, PEER_KINDS, type SpanDigest } from './span-digest.js';
import { StringInterner } from './string-interner.js';
import { connectionTypeOf } from '../virtual-peer.js';

export interface SpanPairerOptions {
  waitMs: number;
  maxPending: number;
}

const NS_PER_MINUTE = 60_000_000_000;
const KIND_BITS = 7;
const INITIAL_CAPACITY_LIMIT = 1 << 19;

const isCaller = (k: number): boolean => k === SpanKind.CLIENT || k === SpanKind.PRODUCER;
const isCallee = (k: number): boolean => k === SpanKind.SERVER || k === SpanKind.CONSUMER;

export class SpanPairer {
  private readonly spans: PendingSpans;
  /** Waiting spans by span key -> arrival number. */
  private readonly bySpanKey: SpanKeyTable;
  /** Children that arrived before their parent: parent span key -> list (newest first) of their arrival numbers. */
  private readonly orphans: SpanKeyTable;
  /** Orphan lists (a = child seq) and child intervals (a, b = start, end offset from the parent's start). */
  private readonly links = new LinkPool();
  private readonly strings = new StringInterner();
  /** Services seen serving requests: a client span naming one of them (but unpaired) is a call to that service. */
  private readonly servingServices = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** Span starts are kept as ns offsets from this minute (set by the first span), so they fit a double exactly. */
  private epochNs: bigint | undefined;
  private epochMinute = 0;
  private readonly scratchStarts: number[] = [];
  private readonly scratchEnds: number[] = [];

  constructor(
    private readonly opts: SpanPairerOptions,
    private readonly listener: PairingListener,
    private readonly now: () => number = Date.now,
  ) {
    // Sized for maxPending up front (up to 512k spans, ~70 MB at most, mapped as it fills): growing while a burst
    // arrives measured ~0.5 us per span over a 600k-span load. Past that size the tables still grow by doubling.
    const capacity = Math.min(opts.maxPending, INITIAL_CAPACITY_LIMIT);
    this.spans = new PendingSpans(capacity);
    this.bySpanKey = new SpanKeyTable(capacity);
    this.orphans = new SpanKeyTable(capacity);
  }

  /** Settles expired spans every `intervalMs` until close(). */
  start(intervalMs = 1000): void {
    this.timer = setInterval(() => this.settleExpired(), intervalMs);
    this.timer.unref();
  }

  get pendingCount(): number {
    return this.spans.count;
  }

  /** When the span waiting longest arrived (every span that arrived before it is settled); undefined when none waits. */
  oldestPendingArrival(): number | undefined {
    const p = this.spans;
    return p.head < p.tail ? p.arrivedAt[p.head & p.mask] : undefined;
  }

  /** What the pairer holds: waiting spans, parent ids with children waiting for them, list nodes in use. */
  stats(): { pendingSpans: number; awaitedParents: number; linkNodes: number } {
    return { pendingSpans: this.spans.count, awaitedParents: this.orphans.size, linkNodes: this.links.live };
  }

  /** Adds committed spans (tests and benches; the service adds the digests it took when the spans were accepted). */
  add(spans: readonly Span[]): void {
    this.addDigest(digestSpans(spans));
  }

  addDigest(d: SpanDigest): void {
    const arrivedAt = this.now();
    if (d.count === 0) return;
    if (this.epochNs === undefined) {
      this.epochMinute = Number(d.epochNs / 60_000_000_000n);
      this.epochNs = BigInt(this.epochMinute) * 60_000_000_000n;
    }
    const shift = Number(d.epochNs - this.epochNs);
    for (let j = 0; j < d.count; j++) this.addOne(d, j, shift, arrivedAt);
    let evicted = 0;
    while (this.spans.count > this.opts.maxPending) {
      this.settle(this.spans.head++);
      evicted++;
    }
    if (evicted > 0) this.listener.onEvicted(evicted);
  }

  /** Settles every span whose wait is over. */
  settleExpired(): void {
    const cutoff = this.now() - this.opts.waitMs;
    const p = this.spans;
    while (p.head < p.tail && p.arrivedAt[p.head & p.mask]! <= cutoff) this.settle(p.head++);
  }

  /** Settles every waiting span now, expired or not (tests, benches; close() at shutdown). */
  settleAll(): void {
    const p = this.spans;
    while (p.head < p.tail) this.settle(p.head++);
  }

  /** Stops the timer and settles everything (shutdown). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.settleAll();
  }

  private addOne(d: SpanDigest, j: number, shift: number, arrivedAt: number): void {
    const key = d.spanKey[j]!;
    const trace = d.traceFingerprint[j]!;
    const p = this.spans;
    const known = this.bySpanKey.get(key);
    if (known !== -1 && p.traceFingerprint[known & p.mask] === trace) return; // a duplicate delivery (exporter retry) counts once

    const seq = p.append();
    const i = seq & p.mask;
    const parentKey = d.parentKey[j]!;
    const kind = d.kind[j]!;
    p.spanKey[i] = key;
    p.parentKey[i] = parentKey;
    p.traceFingerprint[i] = trace;
    p.start[i] = d.start[j]! + shift;
    p.duration[i] = d.duration[j]!;
    p.arrivedAt[i] = arrivedAt;
    p.flags[i] = kind | (d.statusCode[j] === StatusCode.ERROR ? FAILED : 0);
    p.service[i] = this.strings.intern(d.service[j]!);
    const env = d.environment[j]!;
    p.environment[i] = env === '' ? '' : this.strings.intern(env);
    p.name[i] = this.strings.intern(d.name[j]!);
    const peerName = d.peerName[j]!;
    p.peerName[i] = peerName === '' ? '' : this.strings.intern(peerName);
    p.peerKind[i] = d.peerKind[j]!;
    this.bySpanKey.set(key, seq);
    if (isCallee(kind)) this.servingServices.add(p.service[i]!);

    const waiting = this.orphans.get(key);
    if (waiting !== -1) {
      this.orphans.delete(key, waiting);
      for (let n = waiting; n !== NIL; n = this.links.next[n]!) {
        const child = this.links.a[n]!;
        const c = child & p.mask;
        if (child >= p.head && p.traceFingerprint[c] === trace) {
          p.flags[c]! &= ~ORPHAN;
          this.link(seq, child);
        }
      }
      this.links.release(waiting);
    }
    if (parentKey !== -1) {
      const parent = this.bySpanKey.get(parentKey);
      if (parent !== -1 && p.traceFingerprint[parent & p.mask] === trace) this.link(parent, seq);
      else {
        p.flags[i]! |= ORPHAN;
        this.orphans.set(parentKey, this.links.push(this.orphans.get(parentKey), seq, 0));
      }
    }
  }

  private link(parent: number, child: number): void {
    const p = this.spans;
    const ps = parent & p.mask;
    const cs = child & p.mask;
    const offset = p.start[cs]! - p.start[ps]!;
    p.children[ps] = this.links.push(p.children[ps]!, offset, offset + p.duration[cs]!);
    const parentKind = p.flags[ps]! & KIND_BITS;
    const childKind = p.flags[cs]! & KIND_BITS;
    if (isCaller(parentKind) && isCallee(childKind) && p.service[ps] !== p.service[cs] && (p.flags[ps]! & PAIRED) === 0) {
      p.flags[ps]! |= PAIRED;
      p.flags[cs]! |= PAIRED;
      const messaging = parentKind === SpanKind.PRODUCER || childKind === SpanKind.CONSUMER;
      this.listener.onEdge({
        minute: this.minuteOf(p.start[ps]!),
        client: p.service[ps]!,
        server: p.service[cs]!,
        clientEnvironment: p.environment[ps]!,
        serverEnvironment: p.environment[cs]!,
        serverKind: 'service',
        connectionType: connectionTypeOf('service', messaging),
        clientDurationNs: p.duration[ps]!,
        serverDurationNs: p.duration[cs]!,
        failed: ((p.flags[ps]! | p.flags[cs]!) & FAILED) !== 0,
      });
    }
  }

  private settle(seq: number): void {
    const p = this.spans;
    const i = seq & p.mask;
    const flags = p.flags[i]!;
    const kind = flags & KIND_BITS;
    this.bySpanKey.delete(p.spanKey[i]!, seq);
    if (flags & ORPHAN) {
      // Orphan lists are newest first and spans settle in arrival order: when the head settles, the list is done.
      const parentKey = p.parentKey[i]!;
      const list = this.orphans.get(parentKey);
      if (list !== -1 && this.links.a[list] === seq) {
        this.orphans.delete(parentKey, list);
        this.links.release(list);
      }
    }
    const duration = p.duration[i]!;
    const minute = this.minuteOf(p.start[i]!);
    const failed = (flags & FAILED) !== 0;
    this.listener.onSpanTiming({
      minute,
      serviceName: p.service[i]!,
      environment: p.environment[i]!,
      spanName: p.name[i]!,
      // A root span that is neither served nor consumed (a background job's INTERNAL root) is the service's own
      // unit of work: rolled up with the requests it serves, so its rate and latency show.
      spanKind:
        p.parentKey[i] === -1 && (kind === SpanKind.INTERNAL || kind === SpanKind.UNSPECIFIED)
          ? 'Server'
          : (SPAN_KIND_NAMES[kind] ?? 'Unspecified'),
      durationNs: duration,
      selfTimeNs: this.selfTimeOf(i, duration),
      failed,
    });
    const paired = (flags & PAIRED) !== 0;
    if (isCaller(kind) && !paired) {
      const peerIndex = p.peerKind[i]!;
      if (peerIndex !== NO_PEER) {
        const peerKind = PEER_KINDS[peerIndex]!;
        const server = p.peerName[i]!;
        // Only an HTTP-like peer that is known to serve requests is that service (its server span went missing);
        // a database or queue is never merged into a service of the same name, nor a caller into itself.
        const serverKind = peerKind === 'external' && server !== p.service[i] && this.servingServices.has(server) ? 'service' : peerKind;
        this.listener.onEdge({
          minute,
          client: p.service[i]!,
          server,
          clientEnvironment: p.environment[i]!,
          serverEnvironment: p.environment[i]!,
          serverKind,
          connectionType: connectionTypeOf(serverKind, kind === SpanKind.PRODUCER),
          clientDurationNs: duration,
          serverDurationNs: 0,
          failed,
        });
      } else this.listener.onUnpaired('client', p.service[i]!, { environment: p.environment[i]!, durationNs: duration, failed });
    } else if (isCallee(kind) && !paired && p.parentKey[i] !== -1) {
      this.listener.onUnpaired('server', p.service[i]!);
    }
    // Settled: nothing looks this slot up again. Let go of its strings now, not when the ring comes round to it
    // (500k slots of names from a client sending huge distinct names would otherwise stay alive).
    p.service[i] = '';
    p.environment[i] = '';
    p.name[i] = '';
    p.peerName[i] = '';
  }

  private selfTimeOf(i: number, duration: number): number {
    const head = this.spans.children[i]!;
    if (head === NIL) return duration;
    const starts = this.scratchStarts;
    const ends = this.scratchEnds;
    let count = 0;
    for (let n = head; n !== NIL; n = this.links.next[n]!, count++) {
      starts[count] = this.links.a[n]!;
      ends[count] = this.links.b[n]!;
    }
    this.links.release(head);
    this.spans.children[i] = NIL;
    return selfTime(duration, starts, ends, count);
  }

  /** Minutes since the Unix epoch of a start offset (exact integer arithmetic below 2^53 ns). */
  private minuteOf(startOffsetNs: number): number {
    let m = Math.floor(startOffsetNs / NS_PER_MINUTE);
    if (m * NS_PER_MINUTE > startOffsetNs) m--;
    else if ((m + 1) * NS_PER_MINUTE <= startOffsetNs) m++;
    return this.epochMinute + m;
  }
}
