/**
 * Runs analyses with bounded concurrency, newest pages first. In an alert storm the incident nobody has seen yet
 * matters most, so jobs run by priority (first analysis > resolve > manual re-analysis > scheduled re-analysis), one
 * job per incident (a later request for a waiting incident only raises its priority), and scheduled re-analyses are
 * held back three ways: they never take the last free slot (a page arriving finds one), never start while a
 * higher-priority job waits, and take at most `scheduledShare` of the analysis time over the last minute.
 */
import { OverloadedError } from '../errors.js';

export type AnalysisKind = 'first' | 'resolve' | 'manual' | 'scheduled';

const PRIORITY: Record<AnalysisKind, number> = { first: 0, resolve: 1, manual: 2, scheduled: 3 };

/** Whether an analysis of kind `a` goes before one of kind `b`. */
export const moreUrgent = (a: AnalysisKind, b: AnalysisKind): boolean => PRIORITY[a] < PRIORITY[b];
/** How far back the scheduled re-analyses' share of the analysis time is measured. */
const SHARE_WINDOW_MS = 60_000;

export interface AnalysisQueueOptions {
  concurrency: number;
  /** Share (0..1] of the analysis time (concurrency x the last minute) that scheduled re-analyses may use. */
  scheduledShare: number;
  maxWaiting?: number;
  now?: () => number;
}

interface Job {
  id: string;
  kind: AnalysisKind;
  seq: number;
  run: (kind: AnalysisKind) => Promise<void>;
}

export class AnalysisQueue {
  private readonly waiting = new Map<string, Job>();
  private readonly running = new Map<string, AnalysisKind>();
  private runningScheduled = 0;
  private seq = 0;
  /** Finished scheduled runs: [end, duration] (for the share bound). */
  private readonly scheduledRuns: [number, number][] = [];
  private idleResolvers: (() => void)[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly maxWaiting: number;

  constructor(private readonly opts: AnalysisQueueOptions) {
    this.now = opts.now ?? Date.now;
    this.maxWaiting = opts.maxWaiting ?? 10_000;
  }

  get depth(): number {
    return this.waiting.size + this.running.size;
  }

  /** Jobs waiting of a kind more urgent than a scheduled re-analysis (a scheduled one is skipped while any do). */
  get urgentWaiting(): number {
    let n = 0;
    for (const j of this.waiting.values()) if (j.kind !== 'scheduled') n++;
    return n;
  }

  isQueued(id: string): boolean {
    return this.waiting.has(id) || this.running.has(id);
  }

  isWaiting(id: string): boolean {
    return this.waiting.has(id);
  }

  /**
   * Queues an analysis of incident `id`; if one is already waiting, keeps one job with the more urgent kind. Returns
   * false when the incident is running (the caller decides whether to queue it again afterwards).
   */
  push(id: string, kind: AnalysisKind, run: (kind: AnalysisKind) => Promise<void>): boolean {
    if (this.running.has(id)) return false;
    const existing = this.waiting.get(id);
    if (existing) {
      if (moreUrgent(kind, existing.kind)) existing.kind = kind;
      return true;
    }
    if (this.waiting.size >= this.maxWaiting) throw new OverloadedError(`${this.waiting.size} analyses already waiting; retry later`, 30);
    this.waiting.set(id, { id, kind, seq: this.seq++, run });
    this.pump();
    return true;
  }

  /** Drops the jobs that have not started (shutdown: their incidents stay pending and resume after a restart). */
  dropWaiting(): number {
    const n = this.waiting.size;
    this.waiting.clear();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.settleIdle();
    return n;
  }

  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void> {
    if (this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleResolvers.push(resolve));
  }

  /** The waiting job to start next, or undefined when none may start now. */
  private next(): Job | undefined {
    let best: Job | undefined;
    for (const j of this.waiting.values()) {
      if (!best || PRIORITY[j.kind] < PRIORITY[best.kind] || (PRIORITY[j.kind] === PRIORITY[best.kind] && j.seq < best.seq)) best = j;
    }
    if (!best || best.kind !== 'scheduled') return best;
    // Scheduled re-analyses leave one slot free for pages (when there is more than one) and stay within their share.
    const slotsForScheduled = Math.max(1, this.opts.concurrency - 1);
    if (this.runningScheduled >= slotsForScheduled) return undefined;
    if (this.scheduledShareUsed() >= this.opts.scheduledShare) {
      this.retryLater();
      return undefined;
    }
    return best;
  }

  private scheduledShareUsed(): number {
    const now = this.now();
    while (this.scheduledRuns.length > 0 && this.scheduledRuns[0]![0] < now - SHARE_WINDOW_MS) this.scheduledRuns.shift();
    const busy = this.scheduledRuns.reduce((s, [, d]) => s + d, 0);
    return busy / (this.opts.concurrency * SHARE_WINDOW_MS);
  }

  /** Pumps again once the oldest scheduled run has left the share window. */
  private retryLater(): void {
    if (this.retryTimer) return;
    const oldest = this.scheduledRuns[0]?.[0] ?? this.now();
    const delay = Math.max(100, oldest + SHARE_WINDOW_MS - this.now() + 10);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, delay);
    this.retryTimer.unref();
  }

  private pump(): void {
    while (this.running.size < this.opts.concurrency) {
      const job = this.next();
      if (!job) break;
      this.waiting.delete(job.id);
      this.running.set(job.id, job.kind);
      const scheduled = job.kind === 'scheduled';
      if (scheduled) this.runningScheduled++;
      const started = this.now();
      void job
        .run(job.kind)
        .catch(() => undefined) // jobs record their own failures
        .finally(() => {
          this.running.delete(job.id);
          if (scheduled) {
            this.runningScheduled--;
            this.scheduledRuns.push([this.now(), this.now() - started]);
          }
          this.pump();
          this.settleIdle();
        });
    }
  }

  private settleIdle(): void {
    if (this.depth === 0) for (const r of this.idleResolvers.splice(0)) r();
  }
}
