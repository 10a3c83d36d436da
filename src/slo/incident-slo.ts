/**
 * What an incident records of the SLO whose burn-rate alert opened it (the alert's `slo` label): the SLO, its burn
 * rate over the alert's long window and the budget left when it opened, and the budget spent while it lasted.
 */
import { parseDuration } from '../setting-kinds.js';
import type { Store } from '../store/clickhouse-store.js';
import type { SloCountRow } from '../store/query-catalog.js';
import { evaluateSlo, sloWindowName } from './evaluate-slo.js';
import type { SloDefinition } from './slo-file.js';
import type { SloRegistry } from './slo-registry.js';
import type { IncidentSloRecord } from './incident-slo-record.js';

export type { IncidentSloRecord };

/** Requests and good requests of `slo` in [startMs, endMs), whole minutes (the rollup's resolution). */
export async function sloCountsBetween(
  store: Store,
  slo: SloDefinition,
  startMs: number,
  endMs: number,
): Promise<{ total: number; good: number }> {
  const rows: SloCountRow[] = await store.query(slo.sli.type === 'latency' ? 'slo_counts_latency' : 'slo_counts_availability', {
    stepMinutes: 1,
    service: slo.service,
    operation: slo.operation ?? '',
    environment: slo.environment ?? '',
    bucketId: slo.sli.type === 'latency' ? slo.sli.bucketId : 0,
    start: Math.floor(startMs / 60_000) * 60_000,
    end: Math.ceil(endMs / 60_000) * 60_000,
  });
  let total = 0;
  let good = 0;
  for (const r of rows) {
    total += Number(r.total);
    good += Number(r.good);
  }
  return { total, good };
}

export class IncidentSlos {
  constructor(
    private readonly store: Store,
    private readonly registry: SloRegistry,
  ) {}

  /** The record for an alert's labels at `atMs`, or undefined when it names no SLO of the file. */
  async atOpen(labels: Record<string, string>, annotations: Record<string, string>, atMs: number): Promise<IncidentSloRecord | undefined> {
    const slo = labels.slo ? this.registry.find(labels.slo) : undefined;
    if (!slo) return undefined;
    const burnMs = parseDuration(labels.long_window ?? '') ?? 3600_000;
    const parsed = Number(annotations.burn_rate_observed);
    const observed = annotations.burn_rate_observed && Number.isFinite(parsed) ? parsed : undefined;
    // The store's minutes may trail the alert by the pairing wait: what paged is the better figure when it is given,
    // and then the store's burn rate is not read at all.
    const [status, burn] = await Promise.all([
      evaluateSlo(this.store, slo, atMs),
      observed === undefined ? sloCountsBetween(this.store, slo, atMs - burnMs, atMs) : undefined,
    ]);
    return {
      name: slo.name,
      objective: slo.objective,
      sli: slo.sli.type,
      ...(slo.sli.type === 'latency' ? { thresholdMs: slo.sli.thresholdMs } : {}),
      window: sloWindowName(slo.windowMs),
      burnWindow: sloWindowName(burnMs),
      burnRate: observed ?? (!burn || burn.total === 0 ? null : (1 - burn.good / burn.total) / (1 - slo.objective / 100)),
      budgetRemaining: status.errorBudgetRemaining,
      budgetSpentDuring: null,
    };
  }

  /** The share of the SLO window's budget spent between the alert's start and its end. */
  async atResolve(record: IncidentSloRecord, startMs: number, endMs: number): Promise<IncidentSloRecord> {
    const slo = this.registry.find(record.name);
    if (!slo) return record;
    const [during, status] = await Promise.all([sloCountsBetween(this.store, slo, startMs, endMs), evaluateSlo(this.store, slo, endMs)]);
    const allowedBad = (1 - slo.objective / 100) * status.current.total;
    return { ...record, budgetSpentDuring: allowedBad === 0 ? null : (during.total - during.good) / allowedBad };
  }
}
