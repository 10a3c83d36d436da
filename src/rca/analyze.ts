/**
 * One analysis: sample the alerting service's requests (with their traces) in the window and the baseline, charge
 * their critical paths to candidates, and rank; the rollup graphs of both periods give the evidence and the graph.
 */
import type { Store } from '../store/clickhouse-store.js';
import { loadServiceGraph } from '../store/graph-queries.js';
import { loadDeploymentValues } from '../store/deployment-values.js';
import { loadRequestSample } from '../store/request-traces.js';
import { deploymentChanges, describeChange } from './deployment-changes.js';
import { rankCandidates } from './rank-candidates.js';
import type { AnomalySize, Candidate, ReportGraph, ReportVerdict } from './report.js';
import { profileRequests, type PeriodBlocks } from './request-profile.js';
import type { BaselineSlot } from './baseline-cache.js';
import { blastRadius, reachOf } from './graph-reach.js';

export interface AnalysisRequest {
  service: string;
  /** Scopes the analysis to this operation's requests (span name) of the service. */
  operation?: string;
  /** Scopes the analysis to one deployment environment (services, graph and requests). */
  environment?: string;
  windowStartMs: number;
  windowEndMs: number;
  baselineStartMs: number;
  baselineEndMs: number;
  /** When the alert started, to say how long before it a deployment was first seen. */
  alertStartsAtMs?: number;
}

export interface AnalysisOptions {
  minRequests: number;
  /** Requests sampled per period, and spans read per period at most. */
  sampleRequests: number;
  maxSpans: number;
}

export interface AnalysisResult {
  candidates: Candidate[];
  verdict: ReportVerdict;
  graph: ReportGraph;
  summary: string;
  blastRadius: string[];
  anomaly?: AnomalySize;
}

/** The baseline in stretches as long as the window (at least two, else none): a recurring level shows there. */
function baselineBlocks(req: AnalysisRequest): PeriodBlocks | undefined {
  const blockMs = req.windowEndMs - req.windowStartMs;
  const count = Math.floor((req.baselineEndMs - req.baselineStartMs) / blockMs);
  return blockMs > 0 && count >= 2 ? { startMs: req.baselineStartMs, blockMs, count } : undefined;
}

export async function analyze(
  store: Store,
  req: AnalysisRequest,
  opts: AnalysisOptions,
  now = Date.now(),
  baselineSlot?: BaselineSlot,
): Promise<AnalysisResult> {
  // Rollup windows take whole minutes by midpoint. A window that ends now would drop the current minute, which is
  // where a fresh incident is; nothing lies beyond now, so reach one minute further to keep it.
  const graphEnd = req.windowEndMs >= now - 1000 ? req.windowEndMs + 60_000 : req.windowEndMs;
  const sample = (startMs: number, endMs: number) =>
    loadRequestSample(store, {
      service: req.service,
      ...(req.operation ? { operation: req.operation } : {}),
      environment: req.environment ?? '',
      startMs,
      endMs,
      limit: opts.sampleRequests,
      maxSpans: opts.maxSpans,
    });
  // The window's length (the stretch size of the baseline's blocks) is left out of the key on purpose: a firing
  // incident's window grows at each re-analysis, and its baseline keeps the stretches cut at the first one.
  const baselineKey = JSON.stringify([req.service, req.operation, req.environment, req.baselineStartMs, req.baselineEndMs, opts]);
  const cached = baselineSlot?.get(baselineKey);
  const [currentGraph, current, baselinePeriod] = await Promise.all([
    loadServiceGraph(store, req.windowStartMs, graphEnd, req.environment ?? ''),
    sample(req.windowStartMs, req.windowEndMs),
    cached ??
      Promise.all([
        loadServiceGraph(store, req.baselineStartMs, req.baselineEndMs, req.environment ?? ''),
        sample(req.baselineStartMs, req.baselineEndMs),
      ]).then(async ([graph, spans]) => ({
        key: baselineKey,
        graph,
        profile: await profileRequests(spans, baselineBlocks(req)),
        truncated: spans.truncated === true,
      })),
  ]);
  if (!cached) baselineSlot?.set(baselinePeriod);
  const baselineGraph = baselinePeriod.graph;
  const ranking = rankCandidates({
    service: req.service,
    current: await profileRequests(current),
    baseline: baselinePeriod.profile,
    currentGraph,
    baselineGraph,
    minRequests: opts.minRequests,
  });
  // The report's graph: every node on a request's critical path, and the window's edges between them.
  const ids = new Set<string>();
  for (const path of ranking.paths.values()) for (const id of path) ids.add(id);
  const graph: ReportGraph = { nodes: [], edges: [] };
  for (const id of ids) {
    if (!currentGraph.hasNode(id)) continue;
    const a = currentGraph.getNodeAttributes(id);
    graph.nodes.push({ id, kind: a.kind, requests: a.requests, errorRate: a.errorRate, p99Ms: a.p99Ms, selfTimeP99Ms: a.selfTimeP99Ms });
    currentGraph.forEachOutEdge(id, (_e, e, source, target) => {
      if (ids.has(target)) graph.edges.push({ source, target, calls: e.calls, errors: e.errors, p50Ms: e.p50Ms, p99Ms: e.p99Ms });
    });
  }
  // The queues the requests waited on, with their lag (publish -> process) per message: the consumers' evidence.
  const queues = ranking.candidates.flatMap((c) =>
    (c.evidence.queueLag ?? []).map((q) => ({ queue: q.queue, consumer: c.service, lagMs: q.msPerMessage })),
  );
  if (queues.length > 0) graph.queues = queues;
  // What changed, for the services among the candidates (and the alerting one).
  const services = [...new Set([req.service, ...ranking.candidates.filter((c) => c.kind === 'service').map((c) => c.service)])];
  const changes = deploymentChanges(
    await loadDeploymentValues(store, {
      services,
      environment: req.environment ?? '',
      baselineStartMs: req.baselineStartMs,
      baselineEndMs: req.baselineEndMs,
      windowStartMs: req.windowStartMs,
      windowEndMs: req.windowEndMs,
    }),
  );
  const reach = reachOf(currentGraph, req.service);
  const candidates = ranking.candidates.map((c) => {
    const found = c.kind === 'service' ? changes.get(c.service) : undefined;
    const r = reach.get(c.service);
    return { ...c, evidence: { ...c.evidence, ...(found ? { changes: found } : {}), ...(r !== undefined ? { reach: r } : {}) } };
  });
  const top = candidates[0];
  // An edge's callers wait on it as they wait on its caller.
  const topNode = top ? (top.kind === 'edge' ? (top.path.at(-2) ?? top.service) : top.service) : undefined;
  const deployed = top?.evidence.changes?.[0];
  // Never a silent cut: say when the span budget left traces read in part.
  const cut = [current.truncated ? 'window' : '', baselinePeriod.truncated ? 'baseline' : ''].filter(Boolean);
  const budget = cut.length
    ? ` The span budget (FAULTLINE_RCA_MAX_SPANS, ${opts.maxSpans}) was reached in the ${cut.join(' and the ')}: some traces were read in part.`
    : '';
  const summary =
    (deployed ? `${ranking.summary} ${describeChange(top!.service, deployed, req.alertStartsAtMs)}.` : ranking.summary) + budget;
  return {
    candidates,
    verdict: ranking.verdict,
    graph,
    summary,
    blastRadius: topNode ? blastRadius(currentGraph, topNode) : [],
    ...(ranking.anomaly ? { anomaly: ranking.anomaly } : {}),
  };
}
