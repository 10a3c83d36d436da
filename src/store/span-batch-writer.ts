/**
 * Commit-before-ack batching. Concurrent export requests are grouped into one insert (bounded by span count and
 * delay); each request's promise settles only when the insert holding its spans has committed or failed.
 * A bounded queue turns overload into OverloadedError instead of unbounded memory.
 *
 * A request's spans are encoded (span-columns.ts) and digested for the post-commit hook (`digest`) when they are
 * accepted; the queue holds only those, so the decoded span objects can die young instead of waiting for the commit.
 */
import { InputError, NotReadyError, OverloadedError, StoreRefusedError, StoreUnavailableError } from '../errors.js';
import type { Logger } from '../log.js';
import type { SelfMetrics } from '../self-metrics.js';
import type { Span } from '../span.js';
import type { Store } from './clickhouse-store.js';
import { ExportGaps } from './export-gaps.js';
import { encodeSpanColumns, joinSpanColumns, type SpanColumns } from './span-columns.js';

const MAX_CONCURRENT_WRITES = 2;
/** The longest a committed batch's post-commit hook waits for the next write to start (see deferHook). */
const HOOK_DEFER_MS = 200;

export interface SpanBatchWriterOptions<D> {
  batchMaxSpans: number;
  batchMaxDelayMs: number;
  queueMaxSpans: number;
  /**
   * Longest an export may expect to wait for its commit (queue ahead of it / recent commit rate); beyond it, or
   * beyond the client's own deadline, it is refused at once with a retry delay instead of queueing. 0: no bound.
   */
  queueMaxWaitMs?: number;
  /** What the post-commit hook needs of a request's spans (the graph's SpanDigest), taken when it is accepted. */
  digest?: (spans: readonly Span[]) => D;
  /**
   * Called with the digests of committed batches' requests, after their acks and off their clients' round trip (at
   * the next write's start or within HOOK_DEFER_MS): feeds the graph and span metrics.
   */
  onCommitted?: (digests: D[]) => void;
}

interface Pending<D> {
  rows: number;
  acceptedAt: number;
  /** The client's deadline (ms since the epoch), or Infinity. */
  deadlineMs: number;
  columns: SpanColumns;
  digest: D | undefined;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class SpanBatchWriter<D = never> {
  private queue: Pending<D>[] = [];
  private queuedSpans = 0;
  /** Spans in the queue, not yet handed to a write. */
  private waitingSpans = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly writes = new Set<Promise<void>>();
  /** The batches being written, for oldestUncommittedAt(). */
  private readonly writing = new Set<Pending<D>[]>();
  /** Committed batches whose post-commit hook has not run yet; uncommitted still for oldestUncommittedAt(). */
  private hooksDue: Pending<D>[][] = [];
  private hookTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly opts: SpanBatchWriterOptions<D>,
    private readonly metrics: SelfMetrics,
    private readonly log: Logger,
    private readonly table = 'otel_traces',
  ) {}

  /** Resolves when the spans are committed. */
  accept(spans: Span[], deadlineMs = Infinity): Promise<void> {
    const refused = this.refusal(deadlineMs, spans.length);
    if (refused) return Promise.reject(refused);
    const now = Date.now();
    const rows = spans.length;
    this.typicalRows = 0.9 * this.typicalRows + 0.1 * rows;
    this.gaps.arrived(performance.now());
    const columns = encodeSpanColumns(spans);
    const digest = this.opts.digest?.(spans);
    this.gaps.taken(performance.now());
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, columns, digest, resolve, reject, acceptedAt: now, deadlineMs });
      this.queuedSpans += rows;
      this.waitingSpans += rows;
      this.metrics.queueSpans.set(this.queuedSpans);
      this.schedule();
    });
  }

  /** Spans accepted and not yet committed. */
  get depth(): number {
    return this.queuedSpans;
  }

  /**
   * Why a request of `rows` spans would be refused now, if it would: shutting down, the queue full, or (overload as
   * a signal, not as latency) a commit expected later than the bound or than the client waits, so the client
   * retries with backoff instead of timing out and sending the same spans twice.
   */
  refusal(deadlineMs = Infinity, rows = this.typicalRows): Error | undefined {
    if (this.closed) return new NotReadyError('faultline is shutting down; retry against another instance');
    if (this.queuedSpans > 0 && this.queuedSpans + rows > this.opts.queueMaxSpans) {
      return new OverloadedError(`ingest queue is full (${this.queuedSpans} spans waiting for the store); retry later`, 1);
    }
    const now = Date.now();
    const expectedWaitMs = this.expectedWaitMs(rows);
    const configured = this.opts.queueMaxWaitMs ? this.opts.queueMaxWaitMs : Infinity;
    if (this.queuedSpans > 0 && expectedWaitMs > Math.min(configured, deadlineMs - now)) {
      const who = deadlineMs - now < configured ? 'the client waits' : 'the configured bound';
      return new OverloadedError(
        `ingest is overloaded: about ${Math.round(expectedWaitMs)} ms to commit, longer than ${who}; retry later`,
        Math.max(1, Math.ceil(expectedWaitMs / 1000)),
      );
    }
    return undefined;
  }

  /** Spans per request recently (an exponential average), for deciding on a request before its body is read. */
  private typicalRows = 0;

  /** Spans committed per ms recently (an exponential average over commits), for the expected wait. */
  private commitRate = 0;

  private expectedWaitMs(extra: number): number {
    return this.commitRate > 0 ? (this.queuedSpans + extra) / this.commitRate : 0;
  }

  private readonly gaps = new ExportGaps();

  /** When the oldest request not yet committed (queued or being written) was accepted; undefined when none is. */
  oldestUncommittedAt(): number | undefined {
    let oldest = this.queue[0]?.acceptedAt;
    for (const b of this.writing) if (oldest === undefined || b[0]!.acceptedAt < oldest) oldest = b[0]!.acceptedAt;
    for (const b of this.hooksDue) if (oldest === undefined || b[0]!.acceptedAt < oldest) oldest = b[0]!.acceptedAt;
    return oldest;
  }

  /** Stops accepting and waits until everything accepted so far is committed (or failed). */
  async close(graceMs = 25_000): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Shutdown is bounded: what is still queued (never acknowledged) after the grace period is refused as
    // retryable, so a backlog of large requests cannot hold SIGTERM for a minute; writes already running finish.
    const deadline = Date.now() + graceMs;
    while (this.queue.length > 0 || this.writes.size > 0) {
      if (Date.now() > deadline && this.queue.length > 0) {
        for (const p of this.queue.splice(0)) this.drop(p, new NotReadyError('faultline is shutting down; retry against another instance'));
      }
      while (this.queue.length > 0 && this.writes.size < MAX_CONCURRENT_WRITES) this.startWrite();
      if (this.writes.size > 0) await Promise.race(this.writes);
    }
    this.flushHooks();
  }

  /**
   * Starts a write when a batch is full, when the oldest waiting request has waited batchMaxDelayMs, when exports
   * stopped coming, or when as many came as the last write acknowledged (export-gaps.ts); also after a write, not at
   * once: a write slot freeing up is no reason for a small insert (each is a part to write and merge again, and a
   * faster insert would only mean more of them). Two writes may overlap (on chDB each on a connection of its own) when
   * a batch fills while the other inserts.
   */
  private schedule(): void {
    while (this.queue.length > 0 && this.writes.size < MAX_CONCURRENT_WRITES) {
      const full = this.waitingSpans >= this.opts.batchMaxSpans;
      if (!full && this.writes.size === 0 && this.opts.batchMaxDelayMs > 0 && !this.gaps.roundComplete()) {
        if (!this.timer) this.linger(this.queue[0]!.acceptedAt + this.opts.batchMaxDelayMs);
        return;
      }
      if (!full && this.writes.size > 0) return; // the running write's end will pick these up
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.startWrite();
    }
  }

  /** Waits for the batch to fill until `deadline` (ms since the epoch), or less while no exports come. */
  private linger(deadline: number): void {
    const untilQuiet = this.gaps.lastTakenAt + this.gaps.quietMs() - performance.now();
    const wait = Math.max(0, Math.min(deadline - Date.now(), untilQuiet));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.writes.size >= MAX_CONCURRENT_WRITES || this.queue.length === 0) return;
      const quietFor = performance.now() - this.gaps.lastTakenAt;
      if (Date.now() >= deadline || quietFor >= this.gaps.quietMs()) this.startWrite();
      else this.linger(deadline);
    }, wait);
  }

  /** Takes a request (already out of the queue) off the books and refuses it; it was never written. */
  private drop(p: Pending<D>, err: Error): void {
    this.queuedSpans -= p.rows;
    this.waitingSpans -= p.rows;
    this.metrics.queueSpans.set(this.queuedSpans);
    p.reject(err);
  }

  private startWrite(): void {
    if (this.queue.length === 0) return;
    // Whole requests only, so one request is never split across two inserts. A request whose client has given up
    // is dropped here, not committed: the client will resend it, and committing it too would store it twice.
    const batch: Pending<D>[] = [];
    let n = 0;
    const now = Date.now();
    while (this.queue.length > 0 && (batch.length === 0 || n + this.queue[0]!.rows <= this.opts.batchMaxSpans)) {
      const p = this.queue.shift()!;
      if (p.deadlineMs < now) {
        this.drop(p, new OverloadedError('the export waited past its deadline before it could be written; retry later', 1));
        continue;
      }
      batch.push(p);
      n += p.rows;
    }
    if (batch.length === 0) return;
    this.waitingSpans -= n;
    this.writing.add(batch);
    const write: Promise<void> = this.write(batch, n).finally(() => {
      this.writes.delete(write);
      this.writing.delete(batch);
      this.queuedSpans -= n;
      this.metrics.queueSpans.set(this.queuedSpans);
      if (this.queue.length > 0 && !this.closed) this.schedule();
    });
    this.writes.add(write);
    // The JS thread now waits for the engine: the time to run the hooks of earlier batches.
    if (this.hooksDue.length > 0) setImmediate(this.flushHooks);
  }

  /**
   * The post-commit hook (~1 us per span) runs after the acks have left, not before: a client that waits for its
   * acks before sending more (an SDK, a Collector's exporter) would otherwise wait for it on every round trip, and
   * its next exports would queue behind it. So it waits for the next write to start, or HOOK_DEFER_MS.
   */
  private deferHook(batch: Pending<D>[]): void {
    this.hooksDue.push(batch);
    this.hookTimer ??= setTimeout(this.flushHooks, HOOK_DEFER_MS);
  }

  /** Runs the post-commit hook of every committed batch now (close, and a caller that settles the graph). */
  readonly flushHooks = (): void => {
    if (this.hookTimer) clearTimeout(this.hookTimer);
    this.hookTimer = undefined;
    const due = this.hooksDue.splice(0);
    if (due.length === 0 || !this.opts.onCommitted) return;
    try {
      this.opts.onCommitted(due.flatMap((batch) => batch.map((p) => p.digest!)));
    } catch (err) {
      this.log.error('post-commit hook failed', { err });
    }
  };

  private async write(batch: Pending<D>[], n: number): Promise<void> {
    const started = performance.now();
    try {
      await this.store.insertNative(this.table, joinSpanColumns(batch.map((p) => p.columns)));
    } catch (err) {
      if (!(err instanceof StoreRefusedError)) {
        // Nothing acknowledged: no round to wait for, so a store outage is not retried at each export's arrival.
        this.gaps.acknowledged(0);
        this.log.warn('span insert failed; exporters will retry', { spans: n, err });
        const e = err instanceof StoreUnavailableError ? err : new StoreUnavailableError('store write failed; retry later', { cause: err });
        for (const p of batch) p.reject(e);
        return;
      }
      // The engine refused the data: find the request(s) it refused, so one poison request cannot fail the
      // honest requests batched with it (nor fail again with them on every retry).
      if (batch.length > 1) {
        this.log.warn('batch insert refused; retrying its requests one by one', { requests: batch.length, spans: n, err });
        await Promise.all(batch.map((p) => this.write([p], p.rows)));
        return;
      }
      this.log.error('the store refused the spans of one export request', { spans: n, err });
      batch[0]!.reject(new InputError('the store refused the spans of this request (see the faultline log); retrying it will not help'));
      return;
    }
    const tookMs = performance.now() - started;
    const rate = n / Math.max(1, tookMs);
    // Two writes overlap, so the store commits about twice what one write's rate says.
    this.commitRate = this.commitRate === 0 ? rate * MAX_CONCURRENT_WRITES : 0.8 * this.commitRate + 0.2 * rate * MAX_CONCURRENT_WRITES;
    this.metrics.storeWriteSeconds.observe({ table: this.table }, tookMs / 1000);
    this.metrics.batchSpans.observe(n);
    this.gaps.acknowledged(batch.length);
    for (const p of batch) p.resolve();
    if (this.opts.onCommitted) this.deferHook(batch);
  }
}
