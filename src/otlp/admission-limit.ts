/**
 * How many export calls may be in flight (admitted, not yet answered) at once: an AIMD limit steered by the latency
 * admitted calls see. While answers come back within the target the limit grows by up to one per round of calls;
 * each answer slower than the target shrinks it by 10% (at most once per target interval). Calls beyond the limit
 * are refused when their headers arrive, so overload reaches clients as a retryable signal instead of as every
 * call, admitted or not, slowing down together until deadlines pass.
 *
 * Why not a rate: the bottleneck moves (decoding on the event loop, the store's inserts, merges competing for the
 * same cores), and a concurrency limit finds it from latency alone, whichever it is.
 */
import { OverloadedError } from '../errors.js';
import type { SpanSink } from './span-sink.js';

export interface AdmissionLimitOptions {
  /** Latency an admitted call should see; slower answers shrink the limit. */
  targetMs: number;
  min?: number;
  max?: number;
  initial?: number;
}

export class AdmissionLimit {
  private limitValue: number;
  private inFlightCount = 0;
  private lastDecreaseAt = 0;
  private readonly min: number;
  private readonly max: number;

  constructor(private readonly opts: AdmissionLimitOptions) {
    this.min = opts.min ?? 4;
    this.max = opts.max ?? 1024;
    this.limitValue = Math.min(this.max, Math.max(this.min, opts.initial ?? 64));
  }

  get limit(): number {
    return Math.floor(this.limitValue);
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  /** Is there room now (without taking it)? For refusing on headers a call that would find none. */
  get hasRoom(): boolean {
    return this.inFlightCount < Math.floor(this.limitValue);
  }

  /** Admits a call when there is room; every admitted call must be released exactly once. */
  tryAcquire(): boolean {
    if (this.inFlightCount >= Math.floor(this.limitValue)) return false;
    this.inFlightCount++;
    return true;
  }

  /** A call admitted at `admittedAt` (performance.now()) was answered or abandoned now. */
  release(admittedAt: number, now = performance.now()): void {
    this.inFlightCount--;
    const latencyMs = now - admittedAt;
    if (latencyMs > this.opts.targetMs) {
      if (now - this.lastDecreaseAt < this.opts.targetMs) return;
      this.lastDecreaseAt = now;
      this.limitValue = Math.max(this.min, this.limitValue * 0.9);
    } else if (this.inFlightCount + 1 >= Math.floor(this.limitValue) / 2) {
      // Grow only while the limit is in use, so a quiet hour does not leave it at the maximum.
      this.limitValue = Math.min(this.max, this.limitValue + 1 / this.limitValue);
    }
  }
}

/**
 * Why an export is refused on arrival (its headers), if it is: the ingest queue's own reason first, then no room in
 * flight now. Nothing is taken: the slot is taken once the body is complete (`refusalOnBody`), so a client that sends
 * its headers and stalls, or trickles its body, holds none and cannot shrink the limit with its slowness.
 */
export function refusalOnArrival(sink: SpanSink, admission: AdmissionLimit | undefined, deadlineMs?: number): Error | undefined {
  const queued = sink.refusal?.(deadlineMs);
  if (queued) return queued;
  if (admission && !admission.hasRoom) return atCapacity(admission);
  return undefined;
}

/** Takes the slot of an export whose body is complete, or says why not (the room went to others meanwhile). */
export function refusalOnBody(admission: AdmissionLimit): Error | undefined {
  return admission.tryAcquire() ? undefined : atCapacity(admission);
}

const atCapacity = (admission: AdmissionLimit): Error =>
  new OverloadedError(`ingest is at capacity (${admission.inFlight} exports in flight); retry later`, 1);
