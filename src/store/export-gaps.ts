/**
 * How export requests arrive, for the batch writer's decision to linger for more or to write what it has: the gaps
 * between them, and how many came since the last acknowledgement. A gap runs from when the writer had taken the
 * previous export (encoded its columns) to the next export's arrival (once decoded): the time the writer was left
 * waiting, not the time it spent on the previous export, so exports that queued up behind each other (a burst a client
 * sent at once) show as gaps of about one export's decoding.
 */

/** Gaps remembered to tell a stream (linger for more) from a closed loop (all sent, now waiting for acks). */
const GAP_SAMPLES = 32;
/** An idle writer stops lingering after this many typical gaps without an export (and never sooner than 2 ms). */
const QUIET_GAPS = 4;
const MIN_QUIET_MS = 2;

export class ExportGaps {
  private readonly gaps = new Float64Array(GAP_SAMPLES);
  private count = 0;
  /** performance.now() when the last export had been taken; 0 before the first. */
  lastTakenAt = 0;
  /** Exports the last commit acknowledged, and exports that arrived since. */
  private acked = 0;
  private arrivedSinceAck = 0;

  /** An export arrived at `at` (performance.now()). */
  arrived(at: number): void {
    if (this.lastTakenAt > 0) this.gaps[this.count++ % GAP_SAMPLES] = at - this.lastTakenAt;
    this.arrivedSinceAck++;
  }

  /** A write committed and acknowledged `exports` exports. */
  acknowledged(exports: number): void {
    this.acked = exports;
    this.arrivedSinceAck = 0;
  }

  /**
   * Whether as many exports have arrived since the last acknowledgement as it acknowledged. Clients that send again
   * only once acked (a closed loop) have then all sent, so an idle writer need not wait for quiet (measured: ~5 ms of
   * a ~90 ms round of bench:ingest's 16 exports in flight). In a stream, arrivals do not depend on acks, and a batch
   * cut by this rule holds at least as many exports as the last one plus those that came while it was written: the
   * rule never makes a batch smaller than the one before.
   */
  roundComplete(): boolean {
    return this.acked > 0 && this.arrivedSinceAck >= this.acked;
  }

  /** The writer has taken the export that last arrived. */
  taken(at: number): void {
    this.lastTakenAt = at;
  }

  /**
   * How long an idle writer waits for the next export before it writes what it has: a few typical (median) gaps.
   * Exports that stream in (open loop) keep coming within that, so the batch fills for up to the batching delay;
   * clients that send a few exports and wait for their acks (a closed loop: the Collector's exporter, an SDK) go
   * quiet at once, and lingering would only add the delay to every round trip. Without enough history: Infinity.
   */
  quietMs(): number {
    if (this.count < GAP_SAMPLES / 2) return Infinity;
    const recent = Array.from(this.gaps.subarray(0, Math.min(this.count, GAP_SAMPLES))).sort((a, b) => a - b);
    return Math.max(MIN_QUIET_MS, QUIET_GAPS * recent[recent.length >> 1]!);
  }
}
