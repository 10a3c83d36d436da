/** The short form of an incident for lists: what a pager, a chat bot or the incidents page needs at a glance. */
import type { Report } from './report.js';

export interface IncidentSummary {
  id: string;
  status: Report['status'];
  alertStatus: Report['alertStatus'];
  service: string;
  alertname: string | undefined;
  startsAt: string | undefined;
  verdict: Report['verdict'];
  top: { service: string; kind: string; confidence: number; reason: string } | null;
  summary: string | undefined;
  groupId: string | undefined;
  alsoPaging: string[];
  timeToRootCauseSeconds: number | null;
  durationSeconds: number | null;
  createdAt: string;
  updatedAt: string;
}

export function summarizeIncident(r: Report): IncidentSummary {
  const top = r.candidates[0];
  return {
    id: r.id,
    status: r.status,
    alertStatus: r.alertStatus,
    service: r.service,
    alertname: r.alert?.alertname,
    startsAt: r.alert?.startsAt,
    verdict: r.verdict,
    top: top ? { service: top.service, kind: top.kind, confidence: top.confidence, reason: top.reason } : null,
    summary: r.summary,
    groupId: r.groupId,
    alsoPaging: r.alsoPaging ?? [],
    timeToRootCauseSeconds: r.timeToRootCauseSeconds ?? null,
    durationSeconds: r.durationSeconds ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
