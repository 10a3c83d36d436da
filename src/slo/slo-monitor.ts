/**
 * Evaluates every SLO on a timer and keeps /metrics' SLO gauges current: the SLI per window, the budget left and the
 * burn rates. A window with no requests has no series (no data is not 100 %); a failed evaluation keeps the last
 * values and is counted.
 */
import type { Counter, Gauge, Registry } from 'prom-client';
import type { Logger } from '../log.js';
import { SELF_METRICS } from '../metric-catalog.js';
import { counterOf, gaugeOf } from '../self-metrics.js';
import type { Store } from '../store/clickhouse-store.js';
import { evaluateSlo, type SloStatus } from './evaluate-slo.js';
import type { SloRegistry } from './slo-registry.js';

export class SloMonitor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly sli: Gauge<'slo' | 'window'>;
  private readonly budget: Gauge<'slo'>;
  private readonly burn: Gauge<'slo' | 'window'>;
  private readonly failures: Counter;

  constructor(
    private readonly store: Store,
    private readonly registry: SloRegistry,
    metrics: Registry,
    private readonly log: Logger,
  ) {
    this.sli = gaugeOf(metrics, SELF_METRICS.sloSli);
    this.budget = gaugeOf(metrics, SELF_METRICS.sloBudgetRemaining);
    this.burn = gaugeOf(metrics, SELF_METRICS.sloBurnRate);
    this.failures = counterOf(metrics, SELF_METRICS.sloEvaluationFailures);
  }

  start(intervalMs: number): void {
    if (this.registry.slos.length === 0 && !this.registry.path) return;
    void this.evaluate();
    this.timer = setInterval(() => void this.evaluate(), intervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One round over every SLO, after the one running (rounds never overlap). */
  evaluate(nowMs?: number): Promise<void> {
    const next = (this.running ?? Promise.resolve()).then(() => this.round(nowMs ?? Date.now()));
    this.running = next.finally(() => {
      if (this.running === next) this.running = undefined;
    });
    return next;
  }

  private async round(nowMs: number): Promise<void> {
    const statuses: SloStatus[] = [];
    try {
      for (const slo of this.registry.slos) statuses.push(await evaluateSlo(this.store, slo, nowMs));
    } catch (err) {
      this.failures.inc();
      this.log.warn('SLO evaluation failed; the SLO metrics keep their last values', { error: (err as Error).message });
      return;
    }
    this.sli.reset();
    this.budget.reset();
    this.burn.reset();
    for (const s of statuses) {
      if (s.current.sli !== null) this.sli.set({ slo: s.name, window: s.window }, s.current.sli);
      if (s.errorBudgetRemaining !== null) this.budget.set({ slo: s.name }, s.errorBudgetRemaining);
      for (const [window, f] of Object.entries(s.burnRates)) {
        if (f.sli !== null) this.sli.set({ slo: s.name, window }, f.sli);
        if (f.burnRate !== null) this.burn.set({ slo: s.name, window }, f.burnRate);
      }
    }
  }
}
