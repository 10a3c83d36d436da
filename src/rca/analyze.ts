/** One analysis: load the window's and the baseline's graphs with stats from the store, then rank candidates. */
import type { Store } from '../store/clickhouse-store.js';
import { loadServiceGraph } from '../store/graph-queries.js';
import { rankCandidates } from './rank-candidates.js';
import type { Candidate, ReportGraph } from './report.js';

export interface AnalysisRequest {
  service: string;
  operation?: string;
  windowStartMs: number;
  windowEndMs: number;
  baselineStartMs: number;
  baselineEndMs: number;
}

export interface AnalysisResult {
  candidates: Candidate[];
  graph: ReportGraph;
  summary: string;
}

export async function analyze(store: Store, req: AnalysisRequest, minRequests = 20, now = Date.now()): Promise<AnalysisResult> {
  // Rollup windows take whole minutes by midpoint. A window that ends now would drop the current minute, which is
  // where a fresh incident is; nothing lies beyond now, so reach one minute further to keep it.
  const windowEnd = req.windowEndMs >= now - 1000 ? req.windowEndMs + 60_000 : req.windowEndMs;
  const [current, baseline] = await Promise.all([
    loadServiceGraph(store, req.windowStartMs, windowEnd),
    loadServiceGraph(store, req.baselineStartMs, req.baselineEndMs),
  ]);
  const ranking = rankCandidates({ service: req.service, current, baseline, minRequests });
  const reachable = ranking.paths;
  const graph: ReportGraph = { nodes: [], edges: [] };
  for (const id of reachable.keys()) {
    const a = current.getNodeAttributes(id);
    graph.nodes.push({ id, kind: a.kind, requests: a.requests, errorRate: a.errorRate, p99Ms: a.p99Ms, selfTimeP99Ms: a.selfTimeP99Ms });
    current.forEachOutEdge(id, (_e, e, source, target) => {
      graph.edges.push({ source, target, calls: e.calls, errors: e.errors, p50Ms: e.p50Ms, p99Ms: e.p99Ms });
    });
  }
  return { candidates: ranking.candidates, graph, summary: ranking.summary };
}
