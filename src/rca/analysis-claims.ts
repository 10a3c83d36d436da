/**
 * One analysis per incident when several faultline instances share a ClickHouse server and Alertmanager pages all of
 * them (docs/scaling.md): each claims the analysis in the store and runs it only if its claim came first. The
 * embedded store belongs to one process, so there every claim is its own.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/clickhouse-store.js';
import { loadQuery } from '../store/query-files.js';

export class AnalysisClaims {
  /** This process, as its claims name it. */
  readonly instance = `${process.pid}-${randomUUID().slice(0, 8)}`;

  constructor(private readonly store: Store) {}

  /** The embedded store belongs to this process alone: every analysis is its own, no claim is needed. */
  get exclusive(): boolean {
    return this.store.kind === 'chdb';
  }

  /**
   * True when this instance is to run this analysis: `first` (a new page), `resolve`, or a scheduled round
   * (`scheduled:<minute>`, the same key on every instance that planned it). A claim older than the lease no longer
   * counts, so the survivors take over from an instance that died.
   */
  async claim(incidentId: string, kind: string, leaseSeconds = 300): Promise<boolean> {
    if (this.exclusive) return true;
    await this.store.command(loadQuery('analysis_claim'), { incidentId, kind, instance: this.instance });
    const [owner] = await this.store.query('analysis_claim_owner', { incidentId, kind, leaseSeconds });
    return owner?.instance === this.instance;
  }
}

/** What a claim is on: `first`, `resolve`, or a scheduled round named by the incident's minute it falls in (the same
 * on every instance that planned it). */
export function claimKey(kind: 'first' | 'resolve' | 'scheduled', startsAtMs: number, nowMs = Date.now()): string {
  return kind === 'scheduled' ? `scheduled:${Math.floor((nowMs - startsAtMs) / 60_000)}` : kind;
}
