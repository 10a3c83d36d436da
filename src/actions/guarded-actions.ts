/**
 * Guarded actions (docs/slo.md): when an analysis of an SLO's burn-rate incident names an origin with enough
 * confidence (and, if asked, a version change of it in the window), POST an action request (suggesting a rollback to
 * the previous version when there is one) to the action's URL: once per incident and URL, with an idempotency key,
 * retried with backoff on 5xx, 429 and network errors; a 4xx is final. Dry-run (the default) records the request
 * and sends nothing. Every decision is appended to the incident_actions table, which is also the guard: a later
 * analysis that names another origin never sends a second action; it records `skipped` and waits for a person
 * (POST /api/v1/incidents/:id/actions).
 */
import type { Counter, Registry } from 'prom-client';
import type { Logger } from '../log.js';
import { SELF_METRICS } from '../metric-catalog.js';
import type { Candidate, IncidentAction, Report } from '../rca/report.js';
import { counterOf } from '../self-metrics.js';
import type { ActionSpec } from '../slo/slo-file.js';
import type { Store } from '../store/clickhouse-store.js';

export interface GuardedActionsOptions {
  /** Attempts per action (the first included) and the first retry delay (doubling, capped at 30 s). */
  attempts: number;
  firstRetryMs: number;
  timeoutMs: number;
  /** Where people open the incident (links in the request), if known. */
  publicUrl?: string;
}

export const DEFAULT_ACTION_OPTIONS: GuardedActionsOptions = { attempts: 5, firstRetryMs: 1000, timeoutMs: 10_000 };

/** The JSON an action's URL receives. */
export interface ActionRequest {
  idempotencyKey: string;
  dryRun: boolean;
  confirmedByPerson: boolean;
  incident: { id: string; service: string; environment?: string; url?: string; slo?: Report['slo'] };
  origin: { name: string; kind: string; confidence: number; reason: string; evidence: Candidate['evidence'] };
  suggestedAction: { type: 'rollback'; service: string; fromVersion: string; toVersion: string } | { type: 'investigate'; service: string };
}

export class GuardedActions {
  /** Incident + URL pairs being decided or sent now: two reports in quick succession never both send. */
  private readonly busy = new Set<string>();
  private readonly outcomes: Counter<'outcome'>;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly specs: () => readonly ActionSpec[],
    private readonly opts: GuardedActionsOptions,
    registry: Registry,
    private readonly log: Logger,
  ) {
    this.outcomes = counterOf(registry, SELF_METRICS.actions);
  }

  /** A report was saved: act if it qualifies. Never throws, never waits. */
  noteReport(report: Report): void {
    if (this.closed || !report.slo || report.status !== 'done') return;
    for (const spec of this.specs()) {
      if (spec.slos.length > 0 && !spec.slos.includes(report.slo.name)) continue;
      if (!qualifies(report, spec)) continue;
      void this.decide(report, spec, false).catch((err: unknown) =>
        this.log.warn('guarded action not decided', { incident: report.id, error: (err as Error).message }),
      );
    }
  }

  /** A person confirmed an action on the incident's current origin: send it even if one was sent before. */
  async confirm(report: Report): Promise<IncidentAction[]> {
    const top = report.candidates[0];
    if (report.verdict !== 'origin_found' || top?.verdict !== 'origin') return [];
    const done: IncidentAction[] = [];
    for (const spec of this.specs()) {
      if (spec.slos.length > 0 && report.slo && !spec.slos.includes(report.slo.name)) continue;
      const recorded = await this.decide(report, spec, true);
      if (recorded) done.push(recorded);
    }
    return done;
  }

  /** The actions recorded for an incident, oldest first. */
  async recorded(incidentId: string): Promise<IncidentAction[]> {
    const rows = await this.store.query('incident_actions', { incidentId });
    return rows.map(({ atMs, ...r }) => ({ at: new Date(Number(atMs)).toISOString(), ...r }));
  }

  close(): void {
    this.closed = true;
  }

  private async decide(report: Report, spec: ActionSpec, confirmed: boolean): Promise<IncidentAction | undefined> {
    const key = `${report.id}\u0000${spec.url}`;
    if (this.busy.has(key)) return undefined;
    this.busy.add(key);
    try {
      const origin = report.candidates[0]!;
      const before = (await this.recorded(report.id)).filter((a) => a.url === spec.url);
      const acted = before.filter((a) => a.status !== 'skipped');
      if (!confirmed && acted.length > 0) {
        // Once per incident: the same origin again is nothing new; another origin waits for a person, said once.
        if (acted.some((a) => a.origin === origin.service) || before.some((a) => a.status === 'skipped' && a.origin === origin.service))
          return undefined;
        return await this.record(
          report,
          spec,
          origin,
          'skipped',
          actionName(origin),
          `faultline-${report.id}-${hashOf(spec.url)}-skipped`,
          '',
          {
            response: `an action was already taken on ${acted[0]!.origin}; a second one needs a person (POST /api/v1/incidents/${report.id}/actions)`,
          },
        );
      }
      const idempotencyKey = `faultline-${report.id}-${hashOf(spec.url)}${confirmed ? `-confirmed-${before.length}` : ''}`;
      const request = this.request(report, origin, idempotencyKey, spec.dryRun, confirmed);
      const body = JSON.stringify(request);
      if (spec.dryRun)
        return await this.record(report, spec, origin, 'dry_run', request.suggestedAction.type, idempotencyKey, body, {
          response: 'dry run: recorded, not sent',
        });
      const { status, response } = await this.send(spec.url, body, idempotencyKey);
      return await this.record(report, spec, origin, status, request.suggestedAction.type, idempotencyKey, body, { response });
    } finally {
      this.busy.delete(key);
    }
  }

  private request(report: Report, origin: Candidate, idempotencyKey: string, dryRun: boolean, confirmed: boolean): ActionRequest {
    const change = origin.evidence.changes?.find((c) => c.attribute === 'service.version' && c.from !== '');
    return {
      idempotencyKey,
      dryRun,
      confirmedByPerson: confirmed,
      incident: {
        id: report.id,
        service: report.service,
        ...(report.environment ? { environment: report.environment } : {}),
        ...(this.opts.publicUrl ? { url: `${this.opts.publicUrl}/incidents/${report.id}` } : {}),
        ...(report.slo ? { slo: report.slo } : {}),
      },
      origin: { name: origin.service, kind: origin.kind, confidence: origin.confidence, reason: origin.reason, evidence: origin.evidence },
      suggestedAction: change
        ? { type: 'rollback', service: origin.service, fromVersion: change.to, toVersion: change.from }
        : { type: 'investigate', service: origin.service },
    };
  }

  private async send(url: string, body: string, idempotencyKey: string): Promise<{ status: IncidentAction['status']; response: string }> {
    let last = '';
    for (let attempt = 1; attempt <= this.opts.attempts && !this.closed; attempt++) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body,
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        });
        const text = (await res.text().catch(() => '')).slice(0, 500);
        last = `HTTP ${res.status}${text ? `: ${text}` : ''}`;
        if (res.ok) return { status: 'sent', response: last };
        if (res.status < 500 && res.status !== 429) return { status: 'rejected', response: last };
      } catch (err) {
        last = (err as Error).name === 'TimeoutError' ? 'timeout' : (err as Error).message;
      }
      if (attempt < this.opts.attempts) await sleep(Math.min(30_000, this.opts.firstRetryMs * 2 ** (attempt - 1)));
    }
    return { status: 'failed', response: `gave up after ${this.opts.attempts} attempts: ${last}` };
  }

  private async record(
    report: Report,
    spec: ActionSpec,
    origin: Candidate,
    status: IncidentAction['status'],
    action: string,
    idempotencyKey: string,
    request: string,
    extra: { response: string },
  ): Promise<IncidentAction> {
    const at = new Date().toISOString();
    const row = {
      IncidentId: report.id,
      At: at,
      Url: spec.url,
      Status: status,
      Origin: origin.service,
      Action: action,
      IdempotencyKey: idempotencyKey,
      Response: extra.response,
      Request: request,
    };
    await this.store.insertJson('incident_actions', JSON.stringify(row) + '\n');
    this.outcomes.inc({ outcome: status });
    this.log.info('guarded action', { incident: report.id, origin: origin.service, status, action, target: new URL(spec.url).host });
    return { at, url: spec.url, status, origin: origin.service, action, idempotencyKey, response: extra.response };
  }
}

function qualifies(report: Report, spec: ActionSpec): boolean {
  const top = report.candidates[0];
  if (report.verdict !== 'origin_found' || !top || top.verdict !== 'origin' || top.confidence < spec.minConfidence) return false;
  return !spec.requireVersionChange || (top.evidence.changes ?? []).some((c) => c.attribute === 'service.version');
}

const actionName = (origin: Candidate): string =>
  origin.evidence.changes?.some((c) => c.attribute === 'service.version' && c.from !== '') ? 'rollback' : 'investigate';

function hashOf(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).padStart(8, '0');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());
