/**
 * The words of a ranking: the one-sentence summary for the pager, and the sentences that explain a shared-node or a
 * load finding on a candidate. "Too close to call" only when the runner-up is close; a clear leader of a small
 * anomaly is said to be one (how sure and how big are two different things).
 */
import { ARROW, fmtConfidence } from '../shown-figures.js';
import type { LoadFinding } from './load-origin.js';
import type { AnomalySize, Candidate, Evidence, Pair, ReportVerdict } from './report.js';
import type { SharedEdgeFinding } from './shared-node-edges.js';

/** A runner-up explaining at least this share of the anomaly is reported as a second cause. */
const SECOND_CAUSE_SHARE = 0.25;
/** A runner-up scoring under this share of the leader's score is not close. */
const CLOSE = 0.5;

export const isClearLead = (top: number, runnerUp: number): boolean => top > 0 && runnerUp < CLOSE * top;

export function summarize(
  service: string,
  candidates: Candidate[],
  verdict: ReportVerdict,
  requests: number,
  baselineRequests: number,
  anomaly: AnomalySize,
): string {
  const [a, b] = candidates;
  if (verdict === 'insufficient_data')
    return `Only ${requests} requests of ${service} in the window and ${baselineRequests} in the baseline: too little data to name a cause.`;
  if (!a || a.score === 0) return `Nothing downstream of ${service} adds more time or failures to its requests than in the baseline.`;
  if (verdict === 'origin_found') {
    // A runner-up that alone explains a quarter of the anomaly is a second cause, not noise: say there are two.
    const second =
      b && b.score >= SECOND_CAUSE_SHARE
        ? ` ${b.service} adds another ${Math.round(b.score * 100)}% of it: possibly a second cause (${b.reason})`
        : '';
    return `${a.service} is the most likely root cause (confidence ${fmtConfidence(a.confidence)}): ${a.reason}${second}`;
  }
  if (b && !isClearLead(a.score, b.score))
    return `Too close to call between ${a.service} (score ${a.score}) and ${b.service} (score ${b.score}); look at both. ${a.reason}`;
  return `${a.service} is what moved most (score ${a.score}${b ? `, next ${b.service} at ${b.score}` : ''}), but the anomaly itself is ${describeSize(anomaly)}, so the evidence is weak (confidence ${fmtConfidence(a.confidence)}): ${a.reason}`;
}

function describeSize(a: AnomalySize): string {
  const parts = [
    a.meanRisePct > 0 ? `mean +${a.meanRisePct}%` : '',
    a.tailRisePct > 0 ? `slowest tenth +${a.tailRisePct}%` : '',
    a.errorRisePoints > 0 ? `failures +${a.errorRisePoints} points` : '',
  ].filter(Boolean);
  return `small (${parts.length > 0 ? parts.join(', ') : 'within the noise'})`;
}

export function describeSharedEdges(node: string, f: SharedEdgeFinding): string {
  const list = f.edges.slice(0, 4).join(', ') + (f.edges.length > 4 ? ` and ${f.edges.length - 4} more` : '');
  if (f.kind === 'saturation')
    return `Calls into ${node} got slower from its callers (${list}) while its own spans did not: requests wait before its handler runs (saturated workers, a full accept queue).`;
  if (f.kind === 'egress')
    return `Every call out of ${node} got slower (${list}) while its callees are fine for their other callers: look at ${node}'s egress (DNS, connection setup, NAT).`;
  return `Only ${node}'s calls got slower (${list}); the same dependency's other callers see no change: the time is in ${node}'s own process (CPU throttling, GC pauses, a paused or starved process).`;
}

export function loadEvidence(key: string, f: LoadFinding): NonNullable<Evidence['load']> {
  return {
    role: f.role,
    origin: f.role === 'origin' ? key : f.other,
    loaded: f.role === 'loaded' ? key : f.other,
    caller: f.caller,
    callsPerRequest: roundPair(f.calls),
    ...(f.perCallMs ? { originMsPerCall: roundPair(f.perCallMs) } : {}),
  };
}

export function describeLoad(key: string, f: LoadFinding): string {
  const calls = `${round(f.calls.baseline)} ${ARROW} ${round(f.calls.current)} calls per request`;
  if (f.role === 'loaded')
    return `Its added time comes with more calls, not slower ones alone: ${f.caller} sends ${calls} to it; the load comes from ${f.other}.`;
  if (f.perCallMs)
    return `Its answers got faster (${round(f.perCallMs.baseline)} ${ARROW} ${round(f.perCallMs.current)} ms per call) while ${f.caller}'s calls to ${f.other} rose (${calls}): it stopped serving what it used to (a cache that stopped caching), and the misses load ${f.other}.`;
  if (f.caller !== key)
    return `${f.caller}'s calls to ${f.other} rose (${calls}) as ${key}'s answers stopped covering them: its misses load ${f.other} (a cache that stopped caching).`;
  return `${key} now sends ${calls} to ${f.other}, which slowed under them: a retry loop, a new code path or a lost batch in ${key}.`;
}

const round = (x: number): number => Math.round(x * 100) / 100;
const roundPair = (p: { baseline: number; current: number }): Pair => ({ baseline: round(p.baseline), current: round(p.current) });
