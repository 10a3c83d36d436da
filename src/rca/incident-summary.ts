/** The short form of an incident for lists: what a pager, a chat bot or the incidents page needs at a glance. */
import type { Report } from './report.js';
import { verdictWords } from './verdict-words.js';

export interface IncidentSummary {
  id: string;
  status: Report['status'];
  alertStatus: Report['alertStatus'];
  service: string;
  alertname: string | undefined;
  startsAt: string | undefined;
  verdict: Report['verdict'];
  /** The verdict in words, as the incident page and the hand-offs say it (verdict-words.ts). */
  headline: string;
  /** The named origin (or leading suspect) and its confidence as people read it ("> 99 %"). */
  origin: string | null;
  confidence: string | null;
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
  const words = verdictWords(r);
  return {
    id: r.id,
    status: r.status,
    alertStatus: r.alertStatus,
    service: r.service,
    alertname: r.alert?.alertname,
    startsAt: r.alert?.startsAt,
    verdict: r.verdict,
    headline: words.headline,
    origin: words.origin ?? null,
    confidence: words.confidence ?? null,
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
