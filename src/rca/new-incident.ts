/**
 * The periods a new incident compares, and its first (pending) report. The window is [startsAt - lookback, endsAt
 * or now]; the baseline is the period of `baselineMs` right before it, unless the alert's annotations name one.
 */
import { createHash } from 'node:crypto';
import type { ParsedAlert } from './alertmanager-payload.js';
import type { Report } from './report.js';
import { isoTime } from '../time-units.js';

export interface IncidentPeriods {
  windowStartMs: number;
  windowEndMs: number;
  baselineStartMs: number;
  baselineEndMs: number;
}

/** What makes two alerts one incident: Alertmanager's fingerprint and the alert's start. */
export const alertDedupKey = (info: { fingerprint: string; startsAt: string }): string => `${info.fingerprint}|${info.startsAt}`;

/** The dedup key a stored incident was saved under (its id for incidents without an alert). */
export const reportDedupKey = (r: Report): string => (r.alert ? alertDedupKey(r.alert) : `${r.id}|`);

export function incidentPeriods(a: ParsedAlert, now: number, lookbackMs: number, baselineMs: number): IncidentPeriods {
  const windowEndMs = a.endsAtMs ?? now;
  const windowStartMs = Math.min(a.startsAtMs - lookbackMs, windowEndMs - 60_000);
  const baseline = a.baseline ?? { startMs: windowStartMs - baselineMs, endMs: windowStartMs };
  return { windowStartMs, windowEndMs, baselineStartMs: baseline.startMs, baselineEndMs: baseline.endMs };
}

/** A stable id from the dedup key, so a re-sent webhook (here or on another replica) names the same incident. */
export function newIncidentReport(a: ParsedAlert & { service: string }, dedupKey: string, p: IncidentPeriods, now: number): Report {
  return {
    id: `inc_${createHash('sha256').update(dedupKey).digest('hex').slice(0, 16)}`,
    status: 'pending',
    service: a.service,
    ...(a.operation ? { operation: a.operation } : {}),
    ...(a.environment ? { environment: a.environment } : {}),
    window: { start: isoTime(p.windowStartMs), end: isoTime(p.windowEndMs) },
    baseline: { start: isoTime(p.baselineStartMs), end: isoTime(p.baselineEndMs) },
    candidates: [],
    graph: { nodes: [], edges: [] },
    history: [],
    timeToRootCauseSeconds: null,
    durationSeconds: null,
    alert: a.info,
    alertStatus: 'firing',
    createdAt: isoTime(now),
    updatedAt: isoTime(now),
  };
}
