/** Runs analyses with bounded concurrency; a storm of alerts waits in a FIFO instead of running all at once. */
import { OverloadedError } from '../errors.js';

export class AnalysisQueue {
  private readonly waiting: (() => Promise<void>)[] = [];
  private running = 0;
  private idleResolvers: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting = 10_000,
  ) {}

  get depth(): number {
    return this.waiting.length + this.running;
  }

  push(job: () => Promise<void>): void {
    if (this.waiting.length >= this.maxWaiting)
      throw new OverloadedError(`${this.waiting.length} analyses already waiting; retry later`, 30);
    this.waiting.push(job);
    this.pump();
  }

  /** Drops the jobs that have not started (shutdown: their incidents stay pending and resume after a restart). */
  dropWaiting(): number {
    const n = this.waiting.length;
    this.waiting.length = 0;
    if (this.depth === 0) for (const r of this.idleResolvers.splice(0)) r();
    return n;
  }

  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void> {
    if (this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleResolvers.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running++;
      void job()
        .catch(() => undefined) // jobs record their own failures
        .finally(() => {
          this.running--;
          this.pump();
          if (this.depth === 0) for (const r of this.idleResolvers.splice(0)) r();
        });
    }
  }
}
