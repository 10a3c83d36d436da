/**
 * The spans waiting in the pairer, as parallel arrays indexed by arrival number (`seq`) modulo a power-of-two
 * capacity. Spans settle in arrival order, so the waiting ones are always the contiguous range [head, tail): a ring
 * that doubles when full. Numbers live in typed arrays; the few strings are shared canonical copies (see
 * string-interner.ts), so the GC traces almost nothing per waiting span.
 */
import { NIL } from './link-pool.js';

/** Bits of `flags`: the OTLP span kind (0-5) in the low 3 bits, then: */
export const FAILED = 8;
export const PAIRED = 16;
/** Waiting in its parent's orphan list (arrived before its parent). */
export const ORPHAN = 32;

export class PendingSpans {
  head = 0;
  tail = 0;
  mask: number;
  spanKey: Float64Array;
  parentKey: Float64Array;
  traceFingerprint: Int32Array;
  /** Start, ns from the pairer's epoch (exact below 2^53 ns, ~104 days). */
  start: Float64Array;
  duration: Float64Array;
  arrivedAt: Float64Array;
  /** Head of the child-interval list in the LinkPool, or NIL. */
  children: Int32Array;
  flags: Uint8Array;
  service: string[];
  /** deployment.environment.name of the span's resource, or ''. */
  environment: string[];
  name: string[];
  /** The uninstrumented peer a client/producer span names (see virtual-peer.ts), or ''. */
  peerName: string[];
  /** Index into PEER_KINDS. */
  peerKind: Uint8Array;

  constructor(initialCapacity = 16_384) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.mask = cap - 1;
    this.spanKey = new Float64Array(cap);
    this.parentKey = new Float64Array(cap);
    this.traceFingerprint = new Int32Array(cap);
    this.start = new Float64Array(cap);
    this.duration = new Float64Array(cap);
    this.arrivedAt = new Float64Array(cap);
    this.children = new Int32Array(cap);
    this.flags = new Uint8Array(cap);
    this.service = new Array<string>(cap).fill('');
    this.environment = new Array<string>(cap).fill('');
    this.name = new Array<string>(cap).fill('');
    this.peerName = new Array<string>(cap).fill('');
    this.peerKind = new Uint8Array(cap);
  }

  get count(): number {
    return this.tail - this.head;
  }

  /** Reserves the next arrival number; its slot (`seq & mask`) holds stale values for the caller to overwrite. */
  append(): number {
    if (this.tail - this.head > this.mask) this.grow();
    const seq = this.tail++;
    this.children[seq & this.mask] = NIL;
    return seq;
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    const mask = cap - 1;
    const move = <T extends { [i: number]: number | string; length: number }>(from: T, to: T): T => {
      for (let seq = this.head; seq < this.tail; seq++) to[seq & mask] = from[seq & this.mask]!;
      return to;
    };
    this.spanKey = move(this.spanKey, new Float64Array(cap));
    this.parentKey = move(this.parentKey, new Float64Array(cap));
    this.traceFingerprint = move(this.traceFingerprint, new Int32Array(cap));
    this.start = move(this.start, new Float64Array(cap));
    this.duration = move(this.duration, new Float64Array(cap));
    this.arrivedAt = move(this.arrivedAt, new Float64Array(cap));
    this.children = move(this.children, new Int32Array(cap));
    this.flags = move(this.flags, new Uint8Array(cap));
    this.service = move(this.service, new Array<string>(cap).fill(''));
    this.environment = move(this.environment, new Array<string>(cap).fill(''));
    this.name = move(this.name, new Array<string>(cap).fill(''));
    this.peerName = move(this.peerName, new Array<string>(cap).fill(''));
    this.peerKind = move(this.peerKind, new Uint8Array(cap));
    this.mask = mask;
  }
}
