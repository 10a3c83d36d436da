/**
 * Incidents: opened from firing alerts (deduplicated by fingerprint + startsAt), analysed in the background,
 * marked resolved when the alert resolves. Reports live in the store, so any replica serves them after a restart.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../log.js';
import type { SelfMetrics } from '../self-metrics.js';
import type { Store } from '../store/clickhouse-store.js';
import { AnalysisQueue } from './analysis-queue.js';
import type { ParsedAlert } from './alertmanager-payload.js';
import { analyze, type AnalysisOptions, type AnalysisRequest } from './analyze.js';
import { IncidentRepository } from './incident-repository.js';
import type { Report } from './report.js';

export interface IncidentServiceOptions {
  lookbackMs: number;
  baselineMs: number;
  concurrency: number;
  analysis: AnalysisOptions;
}

export interface OpenedIncident {
  id: string;
  status: Report['status'];
  service: string;
  alertStatus: 'firing' | 'resolved';
  created: boolean;
}

export interface SkippedAlert {
  fingerprint: string;
  reason: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export class IncidentService {
  readonly repo: IncidentRepository;
  private readonly queue: AnalysisQueue;
  /** Dedup keys of incidents whose analysis is queued or running here, so a re-sent webhook does not queue twice. */
  private readonly inFlight = new Map<string, string>();
  /** Incidents resolved while their analysis ran: the analysis's final save must keep the resolution. */
  private readonly resolvedWhileRunning = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly opts: IncidentServiceOptions,
    private readonly metrics: SelfMetrics,
    private readonly log: Logger,
  ) {
    this.repo = new IncidentRepository(store);
    this.queue = new AnalysisQueue(opts.concurrency);
  }

  /** Opens (or finds) one incident per firing alert, and marks incidents of resolved alerts resolved. */
  async handleAlerts(alerts: ParsedAlert[], now = Date.now()): Promise<{ incidents: OpenedIncident[]; skipped: SkippedAlert[] }> {
    const incidents: OpenedIncident[] = [];
    const skipped: SkippedAlert[] = [];
    for (const a of alerts) {
      const dedupKey = `${a.info.fingerprint}|${a.info.startsAt}`;
      if (a.info.status === 'resolved') {
        const existing = await this.repo.findByDedupKey(dedupKey);
        if (!existing) {
          skipped.push({ fingerprint: a.info.fingerprint, reason: 'resolved alert with no open incident' });
          continue;
        }
        if (existing.alertStatus !== 'resolved') {
          const updated: Report = { ...existing, alertStatus: 'resolved', alert: a.info, updatedAt: iso(now) };
          // An analysis still running will write its result later; resolution must not be lost then.
          if (this.inFlight.has(dedupKey)) this.resolvedWhileRunning.add(existing.id);
          await this.repo.save(updated, dedupKey);
        }
        incidents.push({ id: existing.id, status: existing.status, service: existing.service, alertStatus: 'resolved', created: false });
        continue;
      }
      if (!a.service) {
        skipped.push({ fingerprint: a.info.fingerprint, reason: 'no service label (looked for the configured service labels)' });
        continue;
      }
      const existing = await this.repo.findByDedupKey(dedupKey);
      if (existing) {
        incidents.push({ id: existing.id, status: existing.status, service: existing.service, alertStatus: existing.alertStatus ?? 'firing', created: false });
        continue;
      }
      const windowEnd = a.endsAtMs ?? now;
      const windowStart = Math.min(a.startsAtMs - this.opts.lookbackMs, windowEnd - 60_000);
      const baseline = a.baseline ?? { startMs: windowStart - this.opts.baselineMs, endMs: windowStart };
      const report: Report = {
        id: `inc_${createHash('sha256').update(dedupKey).digest('hex').slice(0, 16)}`,
        status: 'pending',
        service: a.service,
        ...(a.operation ? { operation: a.operation } : {}),
        window: { start: iso(windowStart), end: iso(windowEnd) },
        baseline: { start: iso(baseline.startMs), end: iso(baseline.endMs) },
        candidates: [],
        graph: { nodes: [], edges: [] },
        alert: a.info,
        alertStatus: 'firing',
        createdAt: iso(now),
        updatedAt: iso(now),
      };
      await this.repo.save(report, dedupKey);
      this.enqueue(report, dedupKey);
      incidents.push({ id: report.id, status: report.status, service: report.service, alertStatus: 'firing', created: true });
    }
    return { incidents, skipped };
  }

  /** Queues the analyses a previous run left unfinished. */
  async resumeUnfinished(): Promise<number> {
    const open = await this.repo.unfinished();
    for (const r of open) this.enqueue(r, `${r.alert?.fingerprint ?? r.id}|${r.alert?.startsAt ?? ''}`);
    return open.length;
  }

  /** POST /api/v1/rca: the same analysis, synchronously, not stored. */
  async analyzeNow(req: AnalysisRequest): Promise<Report> {
    const started = performance.now();
    const result = await analyze(this.store, req, this.opts.analysis);
    const now = iso(Date.now());
    return {
      id: `rca_${createHash('sha256').update(JSON.stringify(req) + Math.random()).digest('hex').slice(0, 16)}`,
      status: 'done',
      service: req.service,
      ...(req.operation ? { operation: req.operation } : {}),
      window: { start: iso(req.windowStartMs), end: iso(req.windowEndMs) },
      baseline: { start: iso(req.baselineStartMs), end: iso(req.baselineEndMs) },
      ...result,
      createdAt: now,
      updatedAt: now,
      analysisMs: Math.round(performance.now() - started),
    };
  }

  /** Resolves when every queued analysis has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private enqueue(report: Report, dedupKey: string): void {
    if (this.inFlight.has(dedupKey)) return;
    this.inFlight.set(dedupKey, report.id);
    this.queue.push(() => this.run(report, dedupKey).finally(() => this.inFlight.delete(dedupKey)));
  }

  private async run(initial: Report, dedupKey: string): Promise<void> {
    const started = performance.now();
    let report: Report = { ...initial, status: 'running', updatedAt: iso(Date.now()) };
    try {
      await this.repo.save(report, dedupKey);
      const result = await analyze(
        this.store,
        {
          service: report.service,
          ...(report.operation ? { operation: report.operation } : {}),
          windowStartMs: Date.parse(report.window.start),
          windowEndMs: Date.parse(report.window.end),
          baselineStartMs: Date.parse(report.baseline.start),
          baselineEndMs: Date.parse(report.baseline.end),
        },
        this.opts.analysis,
        // The window ended when the alert arrived: treat it as ending "now" even if the analysis waited in the queue.
        Math.min(Date.now(), Date.parse(report.window.end) + 1000),
      );
      report = { ...report, ...result, status: 'done' };
    } catch (err) {
      this.log.error('incident analysis failed', { id: report.id, err });
      report = { ...report, status: 'failed', error: err instanceof Error ? err.message : String(err) };
    }
    if (this.resolvedWhileRunning.delete(report.id)) report.alertStatus = 'resolved';
    report.updatedAt = iso(Date.now());
    report.analysisMs = Math.round(performance.now() - started);
    this.metrics.incidents.inc({ status: report.status });
    this.metrics.rcaSeconds.observe(report.analysisMs / 1000);
    try {
      await this.repo.save(report, dedupKey);
    } catch (err) {
      this.log.error('could not store incident report', { id: report.id, err });
    }
  }
}
