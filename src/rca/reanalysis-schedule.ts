/**
 * When a firing incident is analysed again: every `earlyIntervalMs` during its first `earlyPeriodMs`, then every
 * `lateIntervalMs`, until it resolves or is older than `maxAgeMs`. One timer per incident, never keeping the process
 * alive.
 */
export interface ReanalysisOptions {
  earlyIntervalMs: number;
  earlyPeriodMs: number;
  lateIntervalMs: number;
  maxAgeMs: number;
}

export const DEFAULT_REANALYSIS: ReanalysisOptions = {
  earlyIntervalMs: 60_000,
  earlyPeriodMs: 15 * 60_000,
  lateIntervalMs: 5 * 60_000,
  maxAgeMs: 24 * 3600_000,
};

export class ReanalysisSchedule {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly opts: ReanalysisOptions,
    private readonly run: (id: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Plans the next analysis of an incident that started firing at `startsAtMs` (replacing any planned one). */
  plan(id: string, startsAtMs: number): void {
    this.cancel(id);
    if (this.closed) return;
    const age = this.now() - startsAtMs;
    if (age > this.opts.maxAgeMs) return;
    const delay = age < this.opts.earlyPeriodMs ? this.opts.earlyIntervalMs : this.opts.lateIntervalMs;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      this.run(id);
    }, delay);
    timer.unref();
    this.timers.set(id, timer);
  }

  cancel(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  get planned(): number {
    return this.timers.size;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
