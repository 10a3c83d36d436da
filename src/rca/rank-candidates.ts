/**
 * Ranks root-cause candidates downstream of the alerting service by where the anomaly *originates*:
 *  - a service whose own processing time (self time) rose, or whose errors rose more than its dependencies' did;
 *  - an uninstrumented dependency (virtual node) that got slower or started failing, as all its callers saw it;
 *  - an edge whose client-side latency rose while the callee's own latency did not (network, queueing, pool).
 * A node that is slower only because something below it is slower is a victim: its self time is unchanged.
 * Scores are in [0, ~1.2]; the method and its limits are in docs/rca.md.
 */
import type { EdgeStats, NodeStats, ServiceGraph } from '../graph/service-graph.js';
import type { Candidate, CandidateKind, Evidence } from './report.js';
import { explain } from './explain-candidate.js';

export interface RankInput {
  service: string;
  current: ServiceGraph;
  baseline: ServiceGraph;
  /** Fewer requests than this in either window: too little data to judge that node. */
  minRequests: number;
}

export interface Ranking {
  candidates: Candidate[];
  /** Nodes reachable from the alerting service in the window, with the path to each. */
  paths: Map<string, string[]>;
  summary: string;
}

/** Score at or above which a candidate is called the origin of the anomaly. */
export const ORIGIN_THRESHOLD = 0.15;

interface Scored {
  key: string;
  kind: CandidateKind;
  path: string[];
  score: number;
  lat: number;
  err: number;
  evidence: Evidence;
  insufficient: boolean;
  degraded: boolean;
  edge?: { source: string; target: string };
}

export function rankCandidates(input: RankInput): Ranking {
  const { service, current, baseline } = input;
  if (!current.hasNode(service)) {
    return { candidates: [], paths: new Map(), summary: `No spans of ${service} in the window: nothing to analyse (is the service name right, and is it sending traces?).` };
  }
  const paths = downstreamPaths(current, service);
  const sym = current.getNodeAttributes(service);
  const symBase = baseline.hasNode(service) ? baseline.getNodeAttributes(service) : undefined;
  // The slowdown the alert is about, in ms; candidates are weighed by how much of it they could explain.
  const symptomDeltaMs = Math.max(sym.p99Ms - (symBase?.p99Ms ?? sym.p99Ms), 0.05 * sym.p99Ms, 1);

  const scored: Scored[] = [];
  for (const [node, path] of paths) {
    const cur = current.getNodeAttributes(node);
    const base = baseline.hasNode(node) ? baseline.getNodeAttributes(node) : undefined;
    scored.push(scoreNode(node, path, cur, base, current, baseline, symptomDeltaMs, input.minRequests));
  }
  for (const [node, path] of paths) {
    current.forEachOutEdge(node, (_e, attrs, source, target) => {
      if (current.getNodeAttributes(target).kind !== 'service') return; // virtual nodes have no server side
      const base = baseline.hasEdge(source, target) ? baseline.getEdgeAttributes(source, target) : undefined;
      const s = scoreEdge(source, target, [...path, target], attrs, base, symptomDeltaMs, input.minRequests);
      if (s) scored.push(s);
    });
  }
  for (const s of scored) s.score *= pathSupport(s.path, current, baseline);

  scored.sort((a, b) => b.score - a.score || Number(b.degraded) - Number(a.degraded) || ratio(b.evidence.p99Ms) - ratio(a.evidence.p99Ms) || a.key.localeCompare(b.key));
  // When the alerting service itself has too few requests, nothing downstream can be convicted either.
  const symptomThin = sym.requests < input.minRequests || !symBase || symBase.requests < input.minRequests;
  for (const s of scored) if (symptomThin && s.score >= ORIGIN_THRESHOLD) s.insufficient = true;
  const topOrigin = scored.find((s) => s.score >= ORIGIN_THRESHOLD && !s.insufficient);
  const candidates = scored.map((s, i): Candidate => {
    const verdict = s.insufficient ? 'insufficient_data' : s.score >= ORIGIN_THRESHOLD ? 'origin' : s.degraded ? 'victim' : 'normal';
    return {
      rank: i + 1,
      service: s.key,
      kind: s.kind,
      score: Math.round(s.score * 1000) / 1000,
      path: s.path,
      evidence: s.evidence,
      verdict,
      reason: explain({ key: s.key, kind: s.kind, verdict, evidence: s.evidence, latencyScore: s.lat, errorScore: s.err, minRequests: input.minRequests, culprit: topOrigin?.key, edge: s.edge }),
    };
  });
  const top = candidates[0];
  const summary =
    top && top.verdict === 'origin'
      ? `${top.service} is the most likely root cause (score ${top.score}): ${top.reason}`
      : symptomThin
        ? `Only ${sym.requests} requests of ${service} in the window and ${symBase?.requests ?? 0} in the baseline: too little data to name a cause.`
        : `No anomaly that originates downstream of ${service} stands out between the baseline and the window.`;
  return { candidates, paths, summary };
}

function scoreNode(node: string, path: string[], cur: NodeStats, base: NodeStats | undefined, current: ServiceGraph, baseline: ServiceGraph, symptomDeltaMs: number, minRequests: number): Scored {
  const isService = cur.kind === 'service';
  const evidence: Evidence = {
    spanCount: cur.requests,
    baselineSpanCount: base?.requests ?? 0,
    p99Ms: { baseline: base ? base.p99Ms : null, current: cur.p99Ms },
    p99ChangePct: base && base.p99Ms > 0 ? round(((cur.p99Ms - base.p99Ms) / base.p99Ms) * 100) : null,
    p50Ms: { baseline: base ? base.p50Ms : null, current: cur.p50Ms },
    errorRate: { baseline: base ? round(base.errorRate, 5) : null, current: round(cur.errorRate, 5) },
    selfTimeP99Ms: { baseline: base?.selfTimeP99Ms ?? null, current: cur.selfTimeP99Ms },
  };
  const insufficient = cur.requests < minRequests || !base || base.requests < minRequests;
  const degraded = ratio(evidence.p99Ms) > 1.2 || cur.errorRate - (base?.errorRate ?? 0) > 0.005;
  if (!base || cur.requests < 3 || base.requests < 3) return { key: node, kind: cur.kind, path, score: 0, lat: 0, err: 0, evidence, insufficient: true, degraded };
  // Thin data still ranks, discounted by how thin it is, but is never called the origin (see verdicts).
  const confidence = insufficient ? Math.sqrt(Math.min(cur.requests, base.requests) / minRequests) : 1;

  // Latency that starts here: self time for services, what callers saw for uninstrumented dependencies.
  let r: number;
  let deltaMs: number;
  if (isService && cur.selfTimeP99Ms !== null && base.selfTimeP99Ms !== null) {
    r = Math.sqrt(growth(cur.selfTimeP50Ms ?? 0, base.selfTimeP50Ms ?? 0, 0.2) * growth(cur.selfTimeP99Ms, base.selfTimeP99Ms, 0.2));
    deltaMs = cur.selfTimeP99Ms - base.selfTimeP99Ms;
  } else {
    r = Math.sqrt(growth(cur.p50Ms, base.p50Ms, 0.2) * growth(cur.p99Ms, base.p99Ms, 0.2));
    deltaMs = cur.p99Ms - base.p99Ms;
    // A service without self-time data: its children may explain its slowdown; discount it.
    if (isService) r = 1 + (r - 1) * 0.5;
  }
  const lat = latencyScore(r) * (0.25 + 0.75 * Math.sqrt(clamp(deltaMs / symptomDeltaMs, 0, 1)));

  // Errors that start here: the rise in its error rate beyond the largest rise among its own outgoing calls.
  let childRise = 0;
  current.forEachOutEdge(node, (_e, a, _s, target) => {
    const b = baseline.hasEdge(node, target) ? baseline.getEdgeAttributes(node, target) : undefined;
    childRise = Math.max(childRise, rate(a.errors, a.calls) - (b ? rate(b.errors, b.calls) : 0));
  });
  const originErr = Math.max(0, cur.errorRate - base.errorRate - childRise);
  const err = cur.errors >= 3 ? clamp(originErr / 0.05, 0, 1) * 0.8 : 0;
  const score = (Math.max(lat, err) + 0.2 * Math.min(lat, err)) * confidence;
  return { key: node, kind: cur.kind, path, score, lat, err, evidence, insufficient, degraded };
}

function scoreEdge(source: string, target: string, path: string[], cur: EdgeStats, base: EdgeStats | undefined, symptomDeltaMs: number, minRequests: number): Scored | undefined {
  if (!base || cur.serverP99Ms === null || base.serverP99Ms === null) return undefined;
  const gapCur = Math.max(0, cur.p99Ms - cur.serverP99Ms);
  const gapBase = Math.max(0, base.p99Ms - base.serverP99Ms);
  const gapCur50 = Math.max(0, cur.p50Ms - (cur.serverP50Ms ?? cur.p50Ms));
  const gapBase50 = Math.max(0, base.p50Ms - (base.serverP50Ms ?? base.p50Ms));
  const deltaMs = gapCur - gapBase;
  if (deltaMs <= 0) return undefined;
  if (cur.calls < 3 || base.calls < 3) return undefined;
  const insufficient = cur.calls < minRequests || base.calls < minRequests;
  const confidence = insufficient ? Math.sqrt(Math.min(cur.calls, base.calls) / minRequests) : 1;
  // The callee's own latency must not explain it: discount by how much the server side grew too.
  const serverGrowth = growth(cur.serverP99Ms, base.serverP99Ms, 1);
  // A slow network or pool delays most calls, so the median gap must grow too; the P99 gap alone is too noisy
  // (a difference of two tail estimates) to convict an edge.
  const r = Math.min(growth(gapCur, gapBase, 1), growth(gapCur50, gapBase50, 1)) / Math.max(1, serverGrowth);
  const lat = latencyScore(r) * (0.25 + 0.75 * Math.sqrt(clamp(deltaMs / symptomDeltaMs, 0, 1))) * confidence;
  const evidence: Evidence = {
    spanCount: cur.calls,
    baselineSpanCount: base.calls,
    p99Ms: { baseline: base.p99Ms, current: cur.p99Ms },
    p99ChangePct: base.p99Ms > 0 ? round(((cur.p99Ms - base.p99Ms) / base.p99Ms) * 100) : null,
    p50Ms: { baseline: base.p50Ms, current: cur.p50Ms },
    errorRate: { baseline: round(rate(base.errors, base.calls), 5), current: round(rate(cur.errors, cur.calls), 5) },
    selfTimeP99Ms: { baseline: round(gapBase), current: round(gapCur) },
    serverP99Ms: { baseline: base.serverP99Ms, current: cur.serverP99Ms },
  };
  return { key: `${source} -> ${target}`, kind: 'edge', path, score: lat, lat, err: 0, evidence, insufficient, degraded: lat > 0, edge: { source, target } };
}

/** An anomaly deep in the graph should show on the way up: discount candidates whose path to the symptom looks healthy. */
function pathSupport(path: string[], current: ServiceGraph, baseline: ServiceGraph): number {
  const between = path.slice(1, -1);
  if (between.length === 0) return 1;
  let anomalous = 0;
  for (const n of between) {
    const c = current.getNodeAttributes(n);
    const b = baseline.hasNode(n) ? baseline.getNodeAttributes(n) : undefined;
    if (!b || growth(c.p99Ms, b.p99Ms, 0.2) > 1.1 || c.errorRate - b.errorRate > 0.002) anomalous++;
  }
  return 0.6 + (0.4 * anomalous) / between.length;
}

/** Breadth-first from the alerting service over the window's edges: the shortest path to each reachable node. */
export function downstreamPaths(g: ServiceGraph, from: string): Map<string, string[]> {
  const paths = new Map<string, string[]>([[from, [from]]]);
  const queue = [from];
  while (queue.length > 0) {
    const n = queue.shift()!;
    const targets = g.outNeighbors(n).sort((a, b) => g.getEdgeAttributes(n, b).calls - g.getEdgeAttributes(n, a).calls || a.localeCompare(b));
    for (const t of targets) {
      if (paths.has(t)) continue;
      paths.set(t, [...paths.get(n)!, t]);
      queue.push(t);
    }
  }
  return paths;
}

/** Ratio of current to baseline with an additive floor, so sub-millisecond noise does not look like a 10x jump. */
function growth(current: number, baseline: number, floorMs: number): number {
  return (Math.max(0, current) + floorMs) / (Math.max(0, baseline) + floorMs);
}

/** 0 below a 1.2x rise (noise), 1 at 10x and above. */
function latencyScore(r: number): number {
  return r <= 1.2 ? 0 : clamp(Math.log(r) / Math.log(10), 0, 1);
}

function ratio(p: { baseline: number | null; current: number | null }): number {
  return p.baseline && p.current !== null ? p.current / p.baseline : 0;
}

const rate = (errors: number, calls: number): number => (calls > 0 ? errors / calls : 0);
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
