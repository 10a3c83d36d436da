/** The RCA report (camelCase JSON), as the README's "API" section and docs/rca.md describe it. */
import type { ActionRecord } from '../incident-action.js';
import type { IncidentSloRecord } from '../slo/incident-slo-record.js';

export type AnalysisStatus = 'pending' | 'running' | 'done' | 'failed';
export type CandidateKind = 'service' | 'database' | 'messaging' | 'external' | 'edge';

export interface Pair {
  baseline: number | null;
  current: number | null;
}

export interface Evidence {
  spanCount: number;
  baselineSpanCount: number;
  p99Ms: Pair;
  p99ChangePct: number | null;
  p50Ms: Pair;
  errorRate: Pair;
  selfTimeP99Ms: Pair;
  /** For edges: the callee's own (server-side) P99, to compare with what the caller saw. */
  serverP99Ms?: Pair;
  /** Critical-path ms it adds to a request of the alerting service, on average and among the slowest tenth. */
  addedMsPerRequest?: Pair;
  tailMsPerRequest?: Pair;
  /** Calls into it per request of the alerting service (N+1 patterns show here). */
  callsPerRequest?: Pair;
  /** Share of the alerting service's requests whose failure starts here. */
  originErrorRate?: Pair;
  /** Deployments of this service between the baseline and the window (deployment-changes.ts). */
  changes?: DeploymentChange[];
  /**
   * Share of the routes below the alerting service that pass through this node (betweenness centrality over the
   * window's graph it reaches, graph-reach.ts): 0 for a leaf, near 1 for a chokepoint. Evidence only.
   */
  reach?: number;
  /** When the added time sits in one replica of the service (slow-replica.ts). */
  replica?: ReplicaEvidence;
  /** The operations whose time rose most: ms per request of the alerting service, baseline -> window. */
  topOperations?: OperationEvidence[];
  /** For a queue's consumer: per queue, the lag (publish -> process) of the messages the requests waited for. */
  queueLag?: QueueLagEvidence[];
  /** A load shift (load-origin.ts): the node that sent more calls, or the node those calls slowed. */
  load?: LoadEvidence;
}

/** One queue a candidate consumes: mean publish -> process delay per message, baseline -> window. */
export interface QueueLagEvidence {
  queue: string;
  msPerMessage: Pair;
  messagesPerRequest: Pair;
}

/** More calls per request into `loaded`, sent by `caller`, because of `origin` (the caller, or a dependency of it). */
export interface LoadEvidence {
  role: 'origin' | 'loaded';
  origin: string;
  loaded: string;
  caller: string;
  callsPerRequest: Pair;
  /** When the origin is a dependency of the caller: its ms per call, which fell (empty cache answers). */
  originMsPerCall?: Pair;
}

/** One operation (span name) of a candidate and the critical-path ms it took per request. */
export interface OperationEvidence {
  name: string;
  msPerRequest: Pair;
}

/** One slow instance of a service, its siblings normal. */
export interface ReplicaEvidence {
  /** service.instance.id, else k8s.pod.name, else host.name. */
  instance: string;
  /** Its share of the service's sampled requests in the window. */
  trafficShare: number;
  /** Its own ms per request it served, baseline -> window, and its siblings' in the window. */
  ownMsPerRequest: Pair;
  siblingsOwnMsPerRequest: number;
}

/** A deployment attribute of a service whose usual value changed: `service.version` 1.8.2 -> 1.9.0. */
export interface DeploymentChange {
  attribute: string;
  /** The baseline's most common value ('' when the baseline had none). */
  from: string;
  /** The window's most common value. */
  to: string;
  /** When `to` was first seen (ISO-8601). */
  firstSeen: string;
}

/**
 * How big the anomaly is, apart from how sure the ranking is of its origin: the candidates' summed rises beyond their
 * noise, relative to the alerting service's baseline (mean and slowest tenth), and in failures (percentage points).
 * `strength` is the share of a clearly noticeable anomaly (25% slower or 3 points more failures) it reaches, capped at 1.
 */
export interface AnomalySize {
  meanRisePct: number;
  tailRisePct: number;
  errorRisePoints: number;
  strength: number;
}

/** What the analysis could conclude: a named origin, two or more too close to call, or too little data. */
export type ReportVerdict = 'origin_found' | 'inconclusive' | 'insufficient_data';

export interface AnalysisHistoryEntry {
  at: string;
  /** The top candidate then ('' when there was none). */
  top: string;
  confidence: number;
  verdict: ReportVerdict;
  window: TimeRange;
}

export interface Candidate {
  rank: number;
  /** The node, or `client -> server` for an edge. */
  service: string;
  kind: CandidateKind;
  score: number;
  /** Probability that this candidate is the origin, calibrated on the RCA bench (docs/rca.md). */
  confidence: number;
  /** Example requests from the window: where it cost most, and one whose failure started here. */
  exemplars: CandidateExemplar[];
  path: string[];
  evidence: Evidence;
  /**
   * What the evidence says: `origin` (the anomaly starts here), `suspect` (a close contender when the report is
   * inconclusive), `victim` (slower or failing only because of something it waits on), `insufficient_data`, `normal`.
   */
  verdict: 'origin' | 'suspect' | 'victim' | 'insufficient_data' | 'normal';
  reason: string;
}

export interface CandidateExemplar {
  traceId: string;
  /** The candidate's span in that trace (its own, or the client span that calls it). */
  spanId: string;
  /** The alerting service's request duration in that trace. */
  durationMs: number;
  /** The request failed, and the failure started at this candidate. */
  error: boolean;
}

export interface ReportGraph {
  nodes: { id: string; kind: string; requests: number; errorRate: number; p99Ms: number; selfTimeP99Ms: number | null }[];
  edges: { source: string; target: string; calls: number; errors: number; p50Ms: number; p99Ms: number }[];
  /** Queues the requests waited on (a reply over a queue): who consumes each, and its lag per message. */
  queues?: { queue: string; consumer: string; lagMs: Pair }[];
}

export interface TimeRange {
  start: string;
  end: string;
}

export interface Report {
  id: string;
  status: AnalysisStatus;
  service: string;
  operation?: string;
  /** The deployment environment analysed (from the alert's environment label); absent: all environments. */
  environment?: string;
  window: TimeRange;
  baseline: TimeRange;
  candidates: Candidate[];
  graph: ReportGraph;
  verdict?: ReportVerdict;
  /** How big the anomaly is (the candidates' confidence says how sure the attribution is). */
  anomaly?: AnomalySize;
  /** Spans that had arrived by this time were all settled and stored when the analysis read them. */
  dataCompleteUntil?: string;
  /** Every analysis of this incident, oldest first. */
  history?: AnalysisHistoryEntry[];
  /** From the alert's start to the first analysis that named an origin. */
  timeToRootCauseSeconds?: number | null;
  /** From the alert's start to its resolution (null while firing). */
  durationSeconds?: number | null;
  /**
   * Incidents that are one fault paging several services: alerts that fired within minutes of each other and whose
   * analyses name the same origin, or whose services lie on one call path. The group's id is the smallest id of
   * its incidents.
   */
  groupId?: string;
  /** The other services of the group ("also paging: checkout, frontend"). */
  alsoPaging?: string[];
  /** One sentence for the pager: the top candidate, or why there is none. */
  summary?: string;
  /** How the window and baseline were chosen, where they differ from the defaults (choose-periods.ts). */
  periodNotes?: string[];
  /** The nodes whose requests wait on the top candidate (its callers, transitively): who may page next. */
  blastRadius?: string[];
  /**
   * In an alert flood (one alert per pod of a rule), the incident whose analysis this one shares: an alert of the
   * same service, environment and operation that started within 5 minutes of it. Its results are copied here.
   */
  sharesAnalysisOf?: string;
  alert?: AlertInfo;
  /** When a burn-rate alert of an SLO opened the incident: the SLO, how fast it burned and the budget spent. */
  slo?: IncidentSloRecord;
  /** Guarded actions taken on the named origin (from the audit table; docs/slo.md). */
  actions?: IncidentAction[];
  alertStatus?: 'firing' | 'resolved';
  error?: string;
  createdAt: string;
  updatedAt: string;
  analysisMs?: number;
}

export type IncidentAction = ActionRecord & { at: string };

export interface AlertInfo {
  fingerprint: string;
  alertname: string;
  status: 'firing' | 'resolved';
  startsAt: string;
  endsAt: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generatorURL?: string;
}
