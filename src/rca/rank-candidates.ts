/**
 * Ranks root-cause candidates by **contribution**: how many milliseconds (and how many failures) each one adds to
 * the alerting service's requests now, compared with the baseline. Contributions come from the requests' critical
 * paths (critical-path.ts, request-profile.ts), so a callee made 30 times per request, a callee that times out and is
 * retried, or the one parallel child everyone waits for is charged what it actually costs the request, while a
 * fire-and-forget child or a parallel sibling that finishes early is charged nothing. A victim (a caller that only
 * waits longer) keeps its own time and scores ~0. Every delta is shrunk by its standard error, so a heavy-tailed or
 * chronically failing service that behaves the same in both periods does not stand out.
 * Pure: the store's part is done by analyze.ts. Method and limits: docs/rca.md.
 */
import { ARROW, fmtMs } from '../shown-figures.js';
import type { ServiceGraph } from '../graph/service-graph.js';
import type { CandidateRef } from './critical-path.js';
import { explain } from './explain-candidate.js';
import { graphEvidence } from './graph-evidence.js';
import { judgeRanking } from './judge-ranking.js';
import { attributeLoad } from './load-origin.js';
import { queueLagOf } from './queue-lag.js';
import { attributeSharedEdges } from './shared-node-edges.js';
import { findSlowReplica } from './slow-replica.js';
import { topOperations } from './top-operations.js';
import { describeLoad, describeSharedEdges, isClearLead, loadEvidence, summarize } from './ranking-summary.js';
import type { AnomalySize, Candidate, CandidateExemplar, Evidence, ReportVerdict } from './report.js';
import type { CandidateTotals, RequestProfile } from './request-profile.js';

export interface RankInput {
  service: string;
  current: RequestProfile;
  baseline: RequestProfile;
  currentGraph: ServiceGraph;
  baselineGraph: ServiceGraph;
  /** Fewer sampled requests than this in either period: too little data to name a cause. */
  minRequests: number;
}

export interface Ranking {
  candidates: Candidate[];
  verdict: ReportVerdict;
  /** Candidate keys with the path to each, for the report's graph. */
  paths: Map<string, string[]>;
  summary: string;
  /** How big the anomaly is, apart from how sure the attribution is (the candidates' confidence). */
  anomaly?: AnomalySize;
}

/** Latency rise of the alerting service's requests (relative) and failure-rate rise that count as a full anomaly. */
const FULL_LATENCY_RISE = 0.25;
const FULL_ERROR_RISE = 0.03;
/** Standard errors a candidate's delta is shrunk by before it counts. */
const SHRINK_SE = 2;
const MAX_WEIGHT = 10;

interface SymptomWeights {
  /** The candidates' summed rises: mean and tail relative to the symptom's baseline, failures as a share of requests. */
  meanRise: number;
  tailRise: number;
  errorRise: number;
  /** How much the mean and the tail of the symptom's requests rose, and its failures, each in [0, MAX_WEIGHT]. */
  meanWeight: number;
  tailWeight: number;
  latWeight: number;
  errWeight: number;
}

/**
 * How large the anomaly is, from what the candidates added (beyond their noise, for the shrunk rises): the sum of
 * their mean and tail rises relative to the symptom's baseline, and of the failures that start in them. Summing the
 * candidates' rises rather than taking the symptom's own change keeps noise elsewhere (a heavy tail that happened to
 * be quieter this time) from cancelling a real fault out.
 */
function symptomWeights(
  contributions: Contribution[],
  base: RequestProfile,
  rises: (c: Contribution) => [number, number, number],
): SymptomWeights {
  const sums = [0, 0, 0];
  for (const c of contributions) rises(c).forEach((x, i) => (sums[i]! += Math.max(0, x)));
  const meanRise = relRise(sums[0]!, base.meanMs);
  const tailRise = relRise(sums[1]!, base.tailMeanMs);
  // In units of "clearly noticeable" (25% slower, 3 points more failures), capped at 10: a latency anomaly ten
  // times that size outweighs a failure rise just past it, rather than both counting as "full".
  return {
    meanRise,
    tailRise,
    errorRise: sums[2]!,
    meanWeight: clamp(meanRise / FULL_LATENCY_RISE, 0, MAX_WEIGHT),
    tailWeight: clamp(tailRise / FULL_LATENCY_RISE, 0, MAX_WEIGHT),
    latWeight: clamp(Math.max(meanRise, tailRise) / FULL_LATENCY_RISE, 0, MAX_WEIGHT),
    errWeight: clamp(sums[2]! / FULL_ERROR_RISE, 0, MAX_WEIGHT),
  };
}

/** Each candidate's share of the anomaly: its latency share (mean and tail) and error share, weighted by their size. */
function anomalyShare(
  contributions: Contribution[],
  w: SymptomWeights,
  rises: (c: Contribution) => [number, number, number],
): (c: Contribution) => number {
  const sums = [0, 0, 0];
  for (const c of contributions) rises(c).forEach((x, i) => (sums[i]! += Math.max(0, x)));
  return (c) => {
    if (w.latWeight + w.errWeight === 0) return 0;
    const [mean, tail, errors] = rises(c).map((x) => Math.max(0, x)) as [number, number, number];
    const latShare = share(mean / sums[0]!, w.meanWeight, tail / sums[1]!, w.tailWeight);
    const errShare = sums[2]! > 0 ? errors / sums[2]! : 0;
    return (latShare * w.latWeight + errShare * w.errWeight) / (w.latWeight + w.errWeight);
  };
}

export interface Contribution {
  key: string;
  ref: CandidateRef;
  /** ms per request, mean and among the slow tail; share of requests whose failure starts here. */
  mean: Pair;
  tail: Pair;
  errors: Pair;
  calls: Pair;
  /** Deltas after shrinking by their standard error (>= 0). */
  meanRise: number;
  tailRise: number;
  errorRise: number;
  /**
   * The same anomaly share before shrinking: orders candidates that no signal lifted above their noise (all score
   * 0), so the most-changed still comes first in a report that says nothing stands out.
   */
  rawScore: number;
  /** Share of the anomaly it explains, in [0, 1]. */
  score: number;
  exemplars: CandidateExemplar[];
}

type Pair = { baseline: number; current: number };

export function rankCandidates(input: RankInput): Ranking {
  const { service, current: cur, baseline: base } = input;
  if (cur.requests === 0) {
    return {
      candidates: [],
      verdict: 'insufficient_data',
      paths: new Map(),
      summary: `No requests of ${service} in the window: nothing to analyse (is the service name right, and is it sending traces?).`,
    };
  }
  const contributions = measureContributions(cur, base);
  const shared = attributeSharedEdges(contributions, input.currentGraph, input.baselineGraph, (node) =>
    input.currentGraph.hasNode(node) ? (input.currentGraph.getNodeAttributes(node).kind as CandidateRef['kind']) : 'service',
  );
  const load = attributeLoad(contributions, (caller, node) => {
    const [g0, g1] = [input.baselineGraph, input.currentGraph];
    if (!g0.hasEdge(caller, node) || !g1.hasEdge(caller, node)) return undefined;
    return { baseline: g0.getEdgeAttributes(caller, node).p50Ms, current: g1.getEdgeAttributes(caller, node).p50Ms };
  });
  // The mean and the slow tail can move apart (a fault on the common path, a slow rare path): each share counts as
  // much as the candidates' rises in that statistic add up to.
  const shrunkRises = (c: Contribution): [number, number, number] => [c.meanRise, c.tailRise, c.errorRise];
  const rawRises = (c: Contribution): [number, number, number] => [
    c.mean.current - c.mean.baseline,
    c.tail.current - c.tail.baseline,
    c.errors.current - c.errors.baseline,
  ];
  const shrunkWeights = symptomWeights(contributions, base, shrunkRises);
  const shrunk = anomalyShare(contributions, shrunkWeights, shrunkRises);
  const raw = anomalyShare(contributions, symptomWeights(contributions, base, rawRises), rawRises);
  for (const c of contributions) {
    c.score = shrunk(c);
    c.rawScore = raw(c);
  }
  const { latWeight, errWeight } = shrunkWeights;
  contributions.sort((a, b) => b.score - a.score || b.rawScore - a.rawScore || a.key.localeCompare(b.key));

  const thin = cur.requests < input.minRequests || base.requests < input.minRequests;
  const judgement = judgeRanking({
    contributions,
    latWeight,
    errWeight,
    thin,
    currentRequests: cur.requests,
    baselineRequests: base.requests,
  });
  const top = contributions[0];
  const paths = new Map(contributions.map((c) => [c.key, c.ref.path]));
  const candidates = contributions.map((c, i): Candidate => {
    const evidence: Evidence = {
      ...graphEvidence(c.key, c.ref.kind, input.currentGraph, input.baselineGraph),
      addedMsPerRequest: roundPair(c.mean),
      tailMsPerRequest: roundPair(c.tail),
      callsPerRequest: roundPair(c.calls, 2),
      originErrorRate: roundPair(c.errors, 4),
    };
    const replica = c.ref.kind === 'service' && c.score > 0 ? findSlowReplica(c.key, cur, base) : undefined;
    if (replica) evidence.replica = replica;
    const operations = topOperations(c.key, cur, base);
    if (operations.length > 0) evidence.topOperations = operations;
    const lag = queueLagOf(c.key, cur, base);
    if (lag.length > 0) evidence.queueLag = lag;
    const shift = load.get(c.key);
    if (shift) evidence.load = loadEvidence(c.key, shift);
    const verdict = candidateVerdict(i, c, contributions[1], judgement.verdict, judgement.confidences[i]!, evidence);
    const sharedEdges = shared.get(c.key);
    return {
      rank: i + 1,
      service: c.key,
      kind: c.ref.kind,
      score: Math.round(c.score * 1000) / 1000,
      confidence: judgement.confidences[i]!,
      exemplars: c.exemplars,
      path: c.ref.path,
      evidence,
      verdict,
      reason:
        explain({
          key: c.key,
          kind: c.ref.kind,
          verdict,
          evidence,
          service,
          culprit: judgement.verdict === 'origin_found' ? top?.key : undefined,
          minRequests: input.minRequests,
          latencyShare: c.meanRise + c.tailRise > 0,
          errorShare: c.errorRise > 0,
        }) +
        (sharedEdges ? ` ${describeSharedEdges(c.key, sharedEdges)}` : '') +
        (shift ? ` ${describeLoad(c.key, shift)}` : '') +
        (lag[0] && (lag[0].msPerMessage.current ?? 0) > 2 * (lag[0].msPerMessage.baseline ?? 0) + 5
          ? ` Messages waited longer in ${lag[0].queue} before ${c.key} took them (${lag[0].msPerMessage.baseline ?? 'none'} -> ${lag[0].msPerMessage.current} ms): too few consumers, or each too slow.`
          : '') +
        (replica
          ? ` The added time is in one replica, ${replica.instance} (${Math.round(replica.trafficShare * 100)}% of its requests: own time ${fmtMs(replica.ownMsPerRequest.baseline)} ${ARROW} ${fmtMs(replica.ownMsPerRequest.current)}, its siblings ${fmtMs(replica.siblingsOwnMsPerRequest)}): drain or restart that instance first.`
          : '') +
        (c.score > 0 && operations[0]
          ? ` Most of it in ${operations[0].name} (${fmtMs(operations[0].msPerRequest.baseline)} ${ARROW} ${fmtMs(operations[0].msPerRequest.current)} per request).`
          : ''),
    };
  });
  const anomaly: AnomalySize = {
    meanRisePct: round(shrunkWeights.meanRise * 100, 1),
    tailRisePct: round(shrunkWeights.tailRise * 100, 1),
    errorRisePoints: round(shrunkWeights.errorRise * 100, 2),
    strength: round(Math.min(1, latWeight + errWeight), 3),
  };
  return {
    candidates,
    verdict: judgement.verdict,
    paths,
    anomaly,
    summary: summarize(service, candidates, judgement.verdict, cur.requests, base.requests, anomaly),
  };
}

/** Per candidate: window vs baseline contribution per request, and the deltas shrunk by their standard errors. */
export function measureContributions(cur: RequestProfile, base: RequestProfile): Contribution[] {
  const empty: CandidateTotals = {
    sum: 0,
    sumSq: 0,
    tailSum: 0,
    tailSumSq: 0,
    calls: 0,
    errorOrigins: 0,
    slowest: [],
    failedHere: undefined,
  };
  const keys = new Set([...cur.candidates.keys(), ...base.candidates.keys()]);
  const out: Contribution[] = [];
  for (const key of keys) {
    const c = cur.candidates.get(key) ?? empty;
    const b = base.candidates.get(key) ?? empty;
    // Every charged or counted key has a ref; one without (never expected) is still ranked, as a service.
    const ref = cur.refs.get(key) ?? base.refs.get(key) ?? { kind: 'service' as const, path: [key], pathWeights: new Map() };
    const m = meanAndSe(c.sum, c.sumSq, cur.requests);
    const mb = meanAndSe(b.sum, b.sumSq, base.requests);
    const t = meanAndSe(c.tailSum, c.tailSumSq, cur.tailCount);
    const tb = meanAndSe(b.tailSum, b.tailSumSq, base.tailCount);
    const e = rate(c.errorOrigins, cur.requests);
    const eb = rate(b.errorOrigins, base.requests);
    // A level it already reached for a stretch of the baseline as long as the window (a batch job each hour) is
    // no new anomaly: the rise counts from there.
    const recurring = recurringLevel(base, key);
    out.push({
      key,
      ref,
      mean: { baseline: mb.mean, current: m.mean },
      tail: { baseline: tb.mean, current: t.mean },
      errors: { baseline: eb, current: e },
      calls: { baseline: base.requests > 0 ? b.calls / base.requests : 0, current: cur.requests > 0 ? c.calls / cur.requests : 0 },
      meanRise: shrink(m.mean - Math.max(mb.mean, recurring.mean), Math.hypot(m.se, recurring.mean > mb.mean ? recurring.se : mb.se)),
      tailRise: shrink(t.mean - Math.max(tb.mean, recurring.tail), Math.hypot(t.se, recurring.tail > tb.mean ? recurring.tailSe : tb.se)),
      errorRise: shrink(e - eb, pooledSe(c.errorOrigins, cur.requests, b.errorOrigins, base.requests)),
      score: 0,
      rawScore: 0,
      exemplars: exemplarsOf(c),
    });
  }
  return out;
}

/** Stretches of the baseline with fewer sampled requests than this are too noisy to set a level. */
const MIN_BLOCK_REQUESTS = 30;

/**
 * The highest mean ms per request the candidate kept up over one stretch of the baseline (each as long as the
 * window), lowered by one standard error so that picking the highest of several noisy stretches does not raise
 * the bar by noise alone. 0 when the baseline was not cut into stretches.
 */
function recurringLevel(base: RequestProfile, key: string): { mean: number; se: number; tail: number; tailSe: number } {
  const blocks = base.blocks;
  const sums = blocks?.sums.get(key);
  const best = { mean: 0, se: 0, tail: 0, tailSe: 0 };
  if (!blocks || !sums) return best;
  for (let i = 0; i < blocks.requests.length; i++) {
    const n = blocks.requests[i]!;
    if (n < MIN_BLOCK_REQUESTS) continue;
    const m = meanAndSe(sums.sum[i]!, sums.sumSq[i]!, n);
    if (m.mean - m.se > best.mean) Object.assign(best, { mean: m.mean - m.se, se: m.se });
    const t = meanAndSe(sums.tailSum[i]!, sums.tailSumSq[i]!, blocks.tailCounts[i]!);
    if (t.mean - t.se > best.tail) Object.assign(best, { tail: t.mean - t.se, tailSe: t.se });
  }
  return best;
}

/** Up to three window requests: the slowest through it, and one whose failure started there (when there is one). */
function exemplarsOf(c: CandidateTotals): CandidateExemplar[] {
  const strip = ({ traceId, spanId, durationMs, error }: CandidateTotals['slowest'][number]): CandidateExemplar => ({
    traceId,
    spanId,
    durationMs,
    error,
  });
  const failed = c.failedHere;
  const slow = c.slowest.filter((e) => !failed || e.traceId !== failed.traceId).slice(0, failed ? 2 : 3);
  return [...slow, ...(failed ? [failed] : [])].map(strip);
}

function candidateVerdict(
  i: number,
  c: Contribution,
  runnerUp: Contribution | undefined,
  verdict: ReportVerdict,
  confidence: number,
  e: Evidence,
): Candidate['verdict'] {
  if (verdict === 'insufficient_data') return 'insufficient_data';
  if (i === 0 && verdict === 'origin_found') return 'origin';
  if (c.score >= 0.15 && confidence >= 0.2) return 'suspect';
  // A small anomaly with a clear leader: the leader is what moved, however unsure the whole is.
  if (i === 0 && c.score > 0 && isClearLead(c.score, runnerUp?.score ?? 0)) return 'suspect';
  const p99Rose = e.p99Ms.baseline !== null && e.p99Ms.current !== null && e.p99Ms.current > 1.2 * e.p99Ms.baseline;
  const errorsRose = (e.errorRate.current ?? 0) - (e.errorRate.baseline ?? 0) > 0.005;
  return p99Rose || errorsRose ? 'victim' : 'normal';
}

/** The two shares, each weighted by how much its statistic rose (NaN shares, of nothing, count for nothing). */
function share(meanShare: number, meanWeight: number, tailShare: number, tailWeight: number): number {
  const m = Number.isFinite(meanShare) ? meanWeight : 0;
  const t = Number.isFinite(tailShare) ? tailWeight : 0;
  return m + t > 0 ? ((m > 0 ? meanShare * m : 0) + (t > 0 ? tailShare * t : 0)) / (m + t) : 0;
}

function meanAndSe(sum: number, sumSq: number, n: number): { mean: number; se: number } {
  if (n === 0) return { mean: 0, se: 0 };
  const mean = sum / n;
  const variance = Math.max(0, sumSq / n - mean * mean);
  return { mean, se: Math.sqrt(variance / Math.max(1, n - 1)) };
}

const rate = (k: number, n: number): number => (n > 0 ? k / n : 0);

/**
 * Standard error of a difference of two rates under "nothing changed" (pooled): right for rare events, where the
 * unpooled error of a baseline with no failures at all would be zero and of a window with a few far too large.
 */
function pooledSe(k1: number, n1: number, k0: number, n0: number): number {
  if (n1 === 0 || n0 === 0) return 0;
  const p = (k1 + k0) / (n1 + n0);
  return Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n0));
}

const shrink = (delta: number, se: number): number => Math.max(0, delta - SHRINK_SE * se);
const relRise = (rise: number, base: number): number => (base > 0 ? rise / base : rise > 0 ? 1 : 0);
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const roundPair = (p: Pair, digits = 1): Pair => ({ baseline: round(p.baseline, digits), current: round(p.current, digits) });
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
