/**
 * One SLO's figures from the store, exactly: the SLI over its window, the error budget left, and the burn rate over
 * each window of the SRE workbook's multiwindow policy, from the per-minute rollup's counts (availability: spans and
 * errors; latency: the exact bucket counts of latency-grid.ts). Windows are whole minutes ending at the end of the
 * current minute, so the minute in progress counts as far as it has been stored.
 */
import type { Store } from '../store/clickhouse-store.js';
import type { SloCountRow } from '../store/query-catalog.js';
import type { SloDefinition } from './slo-file.js';
import type { SloHour, SloStatus, SloWindowFigures } from './slo-status.js';

export type { SloStatus };

/** The burn-rate windows: short and long of each pair the generated rules page or ticket on. */
export const BURN_WINDOWS = [
  { name: '5m', ms: 5 * 60_000 },
  { name: '30m', ms: 30 * 60_000 },
  { name: '1h', ms: 3600_000 },
  { name: '2h', ms: 2 * 3600_000 },
  { name: '6h', ms: 6 * 3600_000 },
  { name: '1d', ms: 86_400_000 },
  { name: '3d', ms: 3 * 86_400_000 },
] as const;

const LONGEST_BURN_WINDOW_MS = 3 * 86_400_000;

export function sloWindowName(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3600_000 === 0) return `${ms / 3600_000}h`;
  return `${ms / 60_000}m`;
}

function figures(total: number, good: number, objective: number): SloWindowFigures {
  if (total === 0) return { total, good, sli: null, burnRate: null };
  const sli = good / total;
  return { total, good, sli, burnRate: (1 - sli) / (1 - objective / 100) };
}

/** Evaluates `slo` at `nowMs`; `withSeries` adds the per-hour series over the window. */
export async function evaluateSlo(store: Store, slo: SloDefinition, nowMs: number, withSeries = false): Promise<SloStatus> {
  const end = Math.floor(nowMs / 60_000) * 60_000 + 60_000;
  const start = end - slo.windowMs;
  const params = {
    service: slo.service,
    operation: slo.operation ?? '',
    environment: slo.environment ?? '',
    bucketId: slo.sli.type === 'latency' ? slo.sli.bucketId : 0,
    end,
  };
  const counts = slo.sli.type === 'latency' ? 'slo_counts_latency' : 'slo_counts_availability';
  const [hours, minutes] = await Promise.all([
    store.query(counts, { ...params, start, stepMinutes: 60 }),
    // Burn windows are the policy's, whatever the SLO's own window (a 6h burn rate of a 1h SLO is still defined).
    store.query(counts, { ...params, start: end - LONGEST_BURN_WINDOW_MS, stepMinutes: 1 }),
  ]);
  const sum = (rows: SloCountRow[], from: number): { total: number; good: number } => {
    let total = 0;
    let good = 0;
    for (const r of rows)
      if (r.atMs >= from) {
        total += Number(r.total);
        good += Number(r.good);
      }
    return { total, good };
  };
  // The query bounds the minutes; the first hour may start before the window (its atMs is the hour's start).
  const whole = sum(hours, -Infinity);
  const current = figures(whole.total, whole.good, slo.objective);
  const burnRates: Record<string, SloWindowFigures> = {};
  for (const w of BURN_WINDOWS) {
    const inWindow = sum(minutes, end - w.ms);
    burnRates[w.name] = figures(inWindow.total, inWindow.good, slo.objective);
  }
  const status: SloStatus = {
    name: slo.name,
    service: slo.service,
    ...(slo.operation !== undefined ? { operation: slo.operation } : {}),
    ...(slo.environment !== undefined ? { environment: slo.environment } : {}),
    objective: slo.objective,
    sli: slo.sli.type === 'latency' ? { type: 'latency', thresholdMs: slo.sli.thresholdMs } : { type: 'availability' },
    window: sloWindowName(slo.windowMs),
    labels: slo.labels,
    evaluatedAt: new Date(nowMs).toISOString(),
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    noData: current.sli === null,
    current,
    errorBudgetRemaining: current.burnRate === null ? null : 1 - current.burnRate,
    burnRates,
  };
  if (withSeries) status.series = hourlySeries(hours, slo.objective);
  return status;
}

function hourlySeries(hours: SloCountRow[], objective: number): SloHour[] {
  let total = 0;
  let good = 0;
  return hours.map((r) => {
    total += Number(r.total);
    good += Number(r.good);
    return {
      at: new Date(r.atMs).toISOString(),
      total: Number(r.total),
      good: Number(r.good),
      sli: Number(r.good) / Number(r.total),
      budgetRemaining: 1 - (1 - good / total) / (1 - objective / 100),
    };
  });
}
