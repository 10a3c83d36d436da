/** The RCA report shape of DESIGN.md "Contract: API" (camelCase JSON). */

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
}

export interface Candidate {
  rank: number;
  /** The node, or `client -> server` for an edge. */
  service: string;
  kind: CandidateKind;
  score: number;
  path: string[];
  evidence: Evidence;
  /** What the evidence says: `origin` (the anomaly starts here), `victim`, `insufficient_data` or `normal`. */
  verdict: 'origin' | 'victim' | 'insufficient_data' | 'normal';
  reason: string;
}

export interface ReportGraph {
  nodes: { id: string; kind: string; requests: number; errorRate: number; p99Ms: number; selfTimeP99Ms: number | null }[];
  edges: { source: string; target: string; calls: number; errors: number; p50Ms: number; p99Ms: number }[];
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
  window: TimeRange;
  baseline: TimeRange;
  candidates: Candidate[];
  graph: ReportGraph;
  /** One sentence for the pager: the top candidate, or why there is none. */
  summary?: string;
  alert?: AlertInfo;
  alertStatus?: 'firing' | 'resolved';
  error?: string;
  createdAt: string;
  updatedAt: string;
  analysisMs?: number;
}

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
