/**
 * Incidents: opened from firing alerts (deduplicated by fingerprint + startsAt), analysed in the background once
 * the data that had arrived by the alert is settled, re-analysed while the alert keeps firing (every minute for the
 * first 15, then every 5) and once more over the whole incident when it resolves. Every analysis is kept in the
 * report's history. Reports live in the store, so any replica serves them after a restart.
 */
import { alertDedupKey, incidentPeriods, newIncidentReport, reportDedupKey as dedupKeyOf } from './new-incident.js';
import type { Logger } from '../log.js';
import type { SelfMetrics } from '../self-metrics.js';
import type { Store } from '../store/clickhouse-store.js';
import { AnalysisQueue, moreUrgent, type AnalysisKind } from './analysis-queue.js';
import { BaselineCache } from './baseline-cache.js';
import { AlertFloods } from './alert-flood.js';
import { AnalysisClaims, claimKey } from './analysis-claims.js';
import { periodsFromData, withPeriods } from './data-periods.js';
import type { ParsedAlert } from './alertmanager-payload.js';
import { analyze, type AnalysisOptions, type AnalysisRequest } from './analyze.js';
import { joinGroup, withGroup } from './incident-grouping.js';
import { analysedReport, failedReport, requestedReport } from './analysis-outcome.js';
import { IncidentRepository, type IncidentFilter } from './incident-repository.js';
import { ReanalysisSchedule, type ReanalysisOptions } from './reanalysis-schedule.js';
import type { Report } from './report.js';
import { isoTime } from '../time-units.js';
import { StoreUnavailableError } from '../errors.js';
import type { IncidentSlos } from '../slo/incident-slo.js';

export interface IncidentServiceOptions {
  lookbackMs: number;
  baselineMs: number;
  concurrency: number;
  /** Share of the analysis time scheduled re-analyses may take (see analysis-queue.ts). */
  reanalysisShare: number;
  analysis: AnalysisOptions;
  reanalysis: ReanalysisOptions;
  /**
   * Waits until every span that had arrived by `arrivedBy` (ms) is settled and stored, within a bound; resolves to
   * the arrival time up to which the data is complete. Absent: the data is taken as complete.
   */
  awaitSettled?: (arrivedBy: number) => Promise<number>;
  /** Called with each report saved after an analysis or a resolution (notifications); must not throw or wait. */
  onReport?: (report: Report) => void;
  /** Records the SLO of burn-rate alerts on their incidents (absent: no SLO file). */
  slos?: IncidentSlos;
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

export class IncidentService {
  private readonly repo: IncidentRepository;
  private readonly queue: AnalysisQueue;
  private readonly schedule: ReanalysisSchedule;
  /** Incidents asked to analyse again while an analysis of theirs ran: one more of that kind runs after it. */
  private readonly again = new Map<string, AnalysisKind>();
  /**
   * Leaders that gained followers while their analysis ran: its own share may have been written before a follower's
   * first save (which would then stay `pending`), so the result is shared once more when the run ends.
   */
  private readonly shareAfterRun = new Set<string>();
  /** Baseline profiles of firing incidents: the baseline does not change while an incident fires. */
  private readonly baselines = new BaselineCache(512);
  private readonly floods: AlertFloods;
  private readonly claims: AnalysisClaims;

  constructor(
    private readonly store: Store,
    private readonly opts: IncidentServiceOptions,
    private readonly metrics: SelfMetrics,
    private readonly log: Logger,
  ) {
    this.repo = new IncidentRepository(store);
    this.claims = new AnalysisClaims(store);
    this.floods = new AlertFloods(this.repo);
    this.queue = new AnalysisQueue({ concurrency: opts.concurrency, scheduledShare: opts.reanalysisShare });
    this.schedule = new ReanalysisSchedule(opts.reanalysis, (id) => this.scheduledReanalysis(id));
  }

  get(id: string): Promise<Report | undefined> {
    return this.repo.get(id);
  }

  list(filter: IncidentFilter): Promise<Report[]> {
    return this.repo.list(filter);
  }

  /** Opens (or finds) one incident per firing alert, and marks incidents of resolved alerts resolved. */
  async handleAlerts(alerts: ParsedAlert[], now = Date.now()): Promise<{ incidents: OpenedIncident[]; skipped: SkippedAlert[] }> {
    const incidents: OpenedIncident[] = [];
    const skipped: SkippedAlert[] = [];
    // One read for the whole call, one presence check per service, one insert for the new incidents: a webhook with
    // a thousand alerts must answer well within Alertmanager's 10 s timeout.
    const known = await this.repo.findByDedupKeys(alerts.map((a) => alertDedupKey(a.info)));
    const presence = new Map<string, boolean>();
    const opened: { report: Report; dedupKey: string; alert: ParsedAlert }[] = [];
    const floodCache = new Map<string, Report[]>();
    for (const a of alerts) {
      const dedupKey = alertDedupKey(a.info);
      const existing = known.get(dedupKey) ?? opened.find((o) => o.dedupKey === dedupKey)?.report;
      if (a.info.status === 'resolved') {
        if (!existing) {
          this.skip(skipped, a, 'unknown_resolved', 'resolved alert with no open incident');
          continue;
        }
        if (existing.alertStatus !== 'resolved') await this.resolve(existing, a, now);
        incidents.push({ id: existing.id, status: existing.status, service: existing.service, alertStatus: 'resolved', created: false });
        continue;
      }
      if (!a.service) {
        this.skip(skipped, a, 'no_service_label', 'no service label (looked for the configured service labels)');
        continue;
      }
      if (existing) {
        incidents.push({
          id: existing.id,
          status: existing.status,
          service: existing.service,
          alertStatus: existing.alertStatus ?? 'firing',
          created: false,
        });
        continue;
      }
      const periods = incidentPeriods(a, now, this.opts.lookbackMs, this.opts.baselineMs);
      // From the start of the baseline's hour: alerts of one call share the check (and a wider range only helps).
      const searchFrom = Math.floor(Math.min(periods.baselineStartMs, periods.windowStartMs) / 3600_000) * 3600_000;
      const searchTo = Math.max(periods.windowEndMs, now);
      const presenceKey = `${a.service}\u0000${a.environment ?? ''}\u0000${searchFrom}`;
      let traced = presence.get(presenceKey);
      if (traced === undefined) {
        const [row] = await this.store.query('service_has_spans', {
          service: a.service,
          environment: a.environment ?? '',
          start: searchFrom,
          end: searchTo + 60_000,
        });
        traced = Number(row?.found ?? 0) > 0;
        presence.set(presenceKey, traced);
      }
      if (!traced) {
        const minutes = Math.round((searchTo - searchFrom) / 60_000);
        const where = a.environment ? ` in environment ${a.environment}` : '';
        this.skip(
          skipped,
          a,
          'no_spans',
          `no spans of ${a.service}${where} in the last ${minutes} minutes: not a traced service (route only trace alerts to faultline)`,
        );
        continue;
      }
      const own = newIncidentReport({ ...a, service: a.service }, dedupKey, periods, now);
      // The SLO's figures are context: an incident opens without them rather than not at all.
      const slo = await this.opts.slos?.atOpen(a.info.labels, a.info.annotations, now).catch((err: unknown) => {
        this.log.warn('SLO figures not recorded on the incident', { id: own.id, error: (err as Error).message });
        return undefined;
      });
      if (slo) own.slo = slo;
      const leader = await this.floods.leaderFor(
        { ...a, service: a.service },
        opened.map((o) => o.report),
        floodCache,
      );
      const report = leader ? this.floods.follow(leader, own) : own;
      opened.push({ report, dedupKey, alert: a });
      incidents.push({ id: report.id, status: report.status, service: report.service, alertStatus: 'firing', created: true });
    }
    await this.repo.saveMany(opened);
    let followers = 0;
    for (const { report, alert } of opened) {
      if (report.sharesAnalysisOf) {
        followers++;
        continue;
      }
      this.log.info('incident opened', {
        id: report.id,
        service: report.service,
        alertname: alert.info.alertname,
        startsAt: alert.info.startsAt,
      });
      this.enqueue(report.id, 'first');
    }
    if (followers > 0) {
      this.metrics.analysesSkipped.inc({ kind: 'flood' }, followers);
      this.log.info('incidents opened in an alert flood share their analysis', { count: followers });
    }
    // A leader read from the store may have finished since (or be analysed by another replica): catch up now.
    const leaders = new Set(opened.map((o) => o.report.sharesAnalysisOf).filter((l): l is string => l !== undefined));
    for (const leaderId of leaders) {
      if (opened.some((o) => o.report.id === leaderId)) continue;
      if (this.queue.isQueued(leaderId)) {
        this.shareAfterRun.add(leaderId);
        continue;
      }
      const leader = await this.repo.get(leaderId);
      if (leader && (leader.status === 'done' || leader.status === 'failed')) await this.floods.share(leader);
      else
        for (const o of opened.filter((x) => x.report.sharesAnalysisOf === leaderId)) {
          this.floods.unfollow(o.report.id);
          this.enqueue(o.report.id, 'first');
        }
    }
    return { incidents, skipped };
  }

  /** Analyses an incident again now, over its window up to now while it fires (or its whole span once resolved). */
  async reanalyze(id: string): Promise<Report | undefined> {
    const report = await this.repo.get(id);
    if (!report) return undefined;
    this.enqueue(id, 'manual');
    return report;
  }

  /**
   * A firing incident's planned re-analysis. Skipped (and planned again) while pages wait for their first
   * analysis: in a storm the newest page goes first, and the next planned run catches up.
   */
  private scheduledReanalysis(id: string): void {
    if (this.queue.urgentWaiting > 0 || this.queue.isWaiting(id)) {
      this.metrics.analysesSkipped.inc({ kind: 'scheduled' });
      void this.repo
        .get(id)
        .then((r) => r && r.alertStatus !== 'resolved' && this.schedule.plan(id, Date.parse(r.alert?.startsAt ?? r.createdAt)))
        .catch((err: unknown) => this.log.warn('could not plan a re-analysis', { id, err }));
      return;
    }
    this.enqueue(id, 'scheduled');
  }

  /** Queues the analyses a previous run left unfinished, and the re-analyses of incidents still firing. */
  async resumeUnfinished(): Promise<number> {
    const open = await this.repo.unfinished();
    for (const r of open) {
      if (r.status === 'pending' || r.status === 'running') this.enqueue(r.id, (r.history ?? []).length === 0 ? 'first' : 'manual');
      else this.schedule.plan(r.id, Date.parse(r.alert?.startsAt ?? r.createdAt));
    }
    return open.length;
  }

  /** POST /api/v1/rca: the same analysis, synchronously, not stored. */
  async analyzeNow(req: AnalysisRequest): Promise<Report> {
    const started = performance.now();
    const complete = await this.settledUntil(Math.min(Date.now(), req.windowEndMs));
    return requestedReport(req, await analyze(this.store, req, this.opts.analysis), complete, performance.now() - started);
  }

  /** Resolves when every queued analysis has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Stops scheduled re-analyses and drops queued ones (shutdown); running analyses finish (see idle()). */
  close(): void {
    this.schedule.close();
    const dropped = this.queue.dropWaiting();
    this.again.clear();
    if (dropped > 0) this.log.info('queued analyses left for the next start', { count: dropped });
  }

  /** Counts (and logs) alerts a webhook call could not read, and those Alertmanager truncated from it. */
  noteInvalidAlerts(invalid: number, truncated: number): void {
    if (invalid > 0) {
      this.metrics.alertsSkipped.inc({ reason: 'invalid' }, invalid);
      this.log.warn('webhook alerts skipped as invalid', { count: invalid });
    }
    if (truncated > 0) {
      this.metrics.alertsSkipped.inc({ reason: 'truncated' }, truncated);
      this.log.warn('Alertmanager truncated alerts from a webhook call (max_alerts on its receiver)', { truncatedAlerts: truncated });
    }
  }

  private skip(skipped: SkippedAlert[], a: ParsedAlert, reason: string, message: string): void {
    skipped.push({ fingerprint: a.info.fingerprint, reason: message });
    this.metrics.alertsSkipped.inc({ reason });
    this.log.info('alert skipped', { alertname: a.info.alertname, service: a.service, reason });
  }

  private async resolve(existing: Report, a: ParsedAlert, now: number): Promise<void> {
    this.schedule.cancel(existing.id);
    const endsAt = a.endsAtMs ?? now;
    const startsAt = Date.parse(existing.alert?.startsAt ?? existing.createdAt);
    const updated: Report = {
      ...existing,
      alertStatus: 'resolved',
      alert: a.info,
      durationSeconds: Math.max(0, Math.round((endsAt - startsAt) / 1000)),
      updatedAt: isoTime(now),
    };
    if (existing.slo && this.opts.slos)
      updated.slo = await this.opts.slos.atResolve(existing.slo, startsAt, endsAt).catch(() => existing.slo);
    this.metrics.incidentDuration.observe({ service: existing.service }, updated.durationSeconds!);
    await this.repo.save(updated, dedupKeyOf(existing));
    this.opts.onReport?.(updated);
    this.log.info('incident resolved', { id: existing.id, service: existing.service, durationSeconds: updated.durationSeconds });
    // Once more over the whole incident, now that it has an end (on its own, if it followed a flood's leader).
    this.floods.unfollow(existing.id);
    this.baselines.forget(existing.id);
    this.enqueue(existing.id, 'resolve');
  }

  private enqueue(id: string, kind: AnalysisKind): void {
    const queued = this.queue.push(id, kind, (k) =>
      this.run(id, k).finally(async () => {
        const again = this.again.get(id);
        this.again.delete(id);
        if (again) this.enqueue(id, again);
        if (this.shareAfterRun.delete(id)) await this.shareFinished(id);
      }),
    );
    if (!queued) {
      // Running now: one more after it, of the most urgent kind asked for (a scheduled one is not worth a rerun).
      const prev = this.again.get(id);
      if (kind !== 'scheduled' && (!prev || moreUrgent(kind, prev))) this.again.set(id, kind);
    }
  }

  /** Shares a leader's stored result with its followers again, if its analysis has one. */
  private async shareFinished(leaderId: string): Promise<void> {
    try {
      const leader = await this.repo.get(leaderId);
      if (leader && (leader.status === 'done' || leader.status === 'failed')) await this.floods.share(leader);
    } catch (err) {
      this.log.warn('could not share a finished analysis with its followers', { id: leaderId, err });
    }
  }

  /** Reads the newest version of the incident, analyses it, and saves the result with its history. */
  private async run(id: string, kind: AnalysisKind): Promise<void> {
    // With several instances over one store, one of them runs each analysis (a person's `manual` runs where asked).
    if (kind !== 'manual' && !this.claims.exclusive) {
      const current = await this.repo.get(id).catch(() => undefined);
      const startsAt = Date.parse(current?.alert?.startsAt ?? current?.createdAt ?? '') || 0;
      if (!(await this.claims.claim(id, claimKey(kind, startsAt)).catch(() => true))) {
        this.log.info('incident analysed by another instance', { id, kind });
        // Still take part in the planned rounds: if the owner dies, the next round's claim falls to a survivor.
        if (kind !== 'resolve' && current && current.alertStatus !== 'resolved') this.schedule.plan(id, startsAt);
        return;
      }
    }
    this.metrics.analyses.inc({ kind });
    const started = performance.now();
    let retry = true;
    const stored = await this.repo.get(id);
    if (!stored) return;
    const firing = stored.alertStatus !== 'resolved';
    const startsAt = Date.parse(stored.alert?.startsAt ?? stored.createdAt);
    // While firing, the window grows to now; once resolved it ends with the alert.
    const endsAt = firing ? Math.max(Date.parse(stored.window.end), Date.now()) : Date.parse(stored.alert?.endsAt ?? stored.window.end);
    const first = (stored.history ?? []).length === 0;
    const windowEnd = first ? Date.parse(stored.window.end) : endsAt;
    let report: Report = {
      ...stored,
      status: 'running',
      window: { start: stored.window.start, end: isoTime(windowEnd) },
      updatedAt: isoTime(Date.now()),
    };
    try {
      if (first) await this.repo.save(report, dedupKeyOf(stored));
      const complete = await this.settledUntil(windowEnd);
      // Window and baseline from the data there is (onset, young install, earlier incidents), chosen again each run.
      const periods = await periodsFromData(this.store, this.repo, report, windowEnd, this.opts.lookbackMs, this.opts.baselineMs);
      if (periods) report = withPeriods(report, periods);
      const result = await analyze(
        this.store,
        {
          service: report.service,
          ...(report.operation ? { operation: report.operation } : {}),
          ...(report.environment ? { environment: report.environment } : {}),
          windowStartMs: Date.parse(report.window.start),
          windowEndMs: windowEnd,
          baselineStartMs: Date.parse(report.baseline.start),
          baselineEndMs: Date.parse(report.baseline.end),
          ...(report.alert?.startsAt ? { alertStartsAtMs: Date.parse(report.alert.startsAt) } : {}),
        },
        this.opts.analysis,
        // The window ended when the alert arrived: treat it as ending "now" even if the analysis waited in the queue.
        Math.min(Date.now(), windowEnd + 1000),
        firing ? this.baselines.for(id) : undefined,
      );
      const top = result.candidates[0];
      report = analysedReport(stored, report, result, complete, Date.now(), startsAt);
      if (stored.timeToRootCauseSeconds == null && report.timeToRootCauseSeconds != null)
        this.metrics.timeToRootCause.observe({ service: report.service }, report.timeToRootCauseSeconds);
      if (report.periodNotes?.length) report.summary = [report.summary, ...report.periodNotes].filter(Boolean).join(' ');
      delete report.sharesAnalysisOf; // analysed on its own now (a resolve, a reanalyze, or after a restart)
      const previous = stored.history?.at(-1);
      if (!previous || previous.top !== report.history!.at(-1)!.top || previous.verdict !== result.verdict) {
        this.log.info('incident analysed', {
          id,
          service: report.service,
          verdict: result.verdict,
          top: top?.service,
          confidence: top?.confidence,
        });
      }
    } catch (err) {
      // A store outage passes: the planned re-analyses try again. Anything else would fail the same way each
      // minute, so the incident says so once and waits for a person (reanalyze) instead of retrying forever.
      retry = err instanceof StoreUnavailableError;
      this.log.error('incident analysis failed', { id, err });
      report = failedReport(report, err);
    }
    // A resolution that arrived while this ran must not be lost: keep the newest alert state.
    const latest = await this.repo.get(id).catch(() => undefined);
    if (latest?.alertStatus === 'resolved' && report.alertStatus !== 'resolved') {
      report = { ...report, alertStatus: 'resolved', alert: latest.alert ?? report.alert, durationSeconds: latest.durationSeconds ?? null };
    }
    // A scheduled re-analysis that names what the last one named changes no group: skip reading every open incident.
    const last = stored.history?.at(-1);
    const sameAnswer = kind === 'scheduled' && last?.top === (report.candidates[0]?.service ?? '') && last?.verdict === report.verdict;
    if (report.status === 'done' && !sameAnswer)
      report = await joinGroup(report, this.repo, (other) => this.queue.isQueued(other), this.log);
    else if (report.status === 'done' && stored.groupId) report = withGroup(report, stored.groupId, stored.alsoPaging ?? []);
    report.updatedAt = isoTime(Date.now());
    report.analysisMs = Math.round(performance.now() - started);
    this.metrics.incidents.inc({ status: report.status });
    this.metrics.rcaSeconds.observe(report.analysisMs / 1000);
    try {
      await this.repo.save(report, dedupKeyOf(report));
      this.opts.onReport?.(report);
      await this.floods.share(report);
    } catch (err) {
      this.log.error('could not store incident report', { id, err });
    }
    if (report.alertStatus !== 'resolved' && retry) this.schedule.plan(id, startsAt);
    if (report.alertStatus === 'resolved') this.baselines.forget(id);
  }

  private async settledUntil(arrivedBy: number): Promise<number> {
    return this.opts.awaitSettled ? this.opts.awaitSettled(arrivedBy) : arrivedBy;
  }
}
