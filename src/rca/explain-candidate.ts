/** One sentence an engineer can act on, from a candidate's verdict and evidence. */
import type { Candidate, CandidateKind, Evidence, Pair } from './report.js';

export interface ExplainInput {
  key: string;
  kind: CandidateKind;
  verdict: Candidate['verdict'];
  evidence: Evidence;
  /** Score parts: latency that starts here, errors that start here. */
  latencyScore: number;
  errorScore: number;
  minRequests: number;
  /** The top origin candidate, which victims wait on. */
  culprit: string | undefined;
  edge?: { source: string; target: string };
}

export function explain(c: ExplainInput): string {
  const e = c.evidence;
  if (c.verdict === 'insufficient_data') {
    const looks = c.latencyScore > 0.05 || c.errorScore > 0.05 ? ` It looks anomalous (P99 ${fmt(e.p99Ms)}, errors ${pct(e.errorRate)}): worth a look, not a conclusion.` : '';
    return `Too little data to judge ${c.key}: ${e.spanCount} requests in the window and ${e.baselineSpanCount} in the baseline (need ${c.minRequests} in each).${looks}`;
  }
  if (c.kind === 'edge' && c.edge) {
    return `Calls from ${c.edge.source} to ${c.edge.target} got slower on the client side (P99 ${fmt(e.p99Ms)}) while ${c.edge.target}'s own P99 stayed ${fmt(e.serverP99Ms!)}: look at the network, queueing or connection pool between them.`;
  }
  if (c.verdict === 'origin') {
    if (c.kind !== 'service') {
      const parts = [
        ...(c.latencyScore > 0.05 ? [`got slower as its callers see it (P99 ${fmt(e.p99Ms)})`] : []),
        ...(c.errorScore > 0.05 ? [`started failing (error rate ${pct(e.errorRate)})`] : []),
      ];
      const what = parts.length > 0 ? parts.join(' and ') : `changed (P99 ${fmt(e.p99Ms)}, errors ${pct(e.errorRate)})`;
      return `${c.key} (${c.kind}, seen only through its callers) ${what}; check that ${c.kind === 'database' ? 'database' : c.kind === 'messaging' ? 'broker' : 'dependency'} first.`;
    }
    const errors = `error rate ${pct(e.errorRate)}`;
    if (c.latencyScore >= c.errorScore) {
      const alsoErrors = c.errorScore > 0.05 ? `, and its ${errors}` : '';
      return `${c.key} itself got slower: its own processing time P99 went ${fmt(e.selfTimeP99Ms)} (request P99 ${fmt(e.p99Ms)})${alsoErrors}; nothing it calls explains it.`;
    }
    const alsoSlow = c.latencyScore > 0.05 ? ` and its own processing time P99 went ${fmt(e.selfTimeP99Ms)}` : '';
    return `${c.key} started failing: ${errors}${alsoSlow}, more than anything it calls explains.`;
  }
  if (c.verdict === 'victim') {
    const waits = c.culprit && c.culprit !== c.key ? `; it waits on ${c.culprit}` : '';
    return `${c.key} is affected (P99 ${fmt(e.p99Ms)}, errors ${pct(e.errorRate)}) but its own time did not change${waits}.`;
  }
  return `${c.key} looks normal: P99 ${fmt(e.p99Ms)}, errors ${pct(e.errorRate)}.`;
}

function fmt(p: Pair): string {
  return `${ms(p.baseline)} -> ${ms(p.current)}`;
}

function ms(v: number | null): string {
  if (v === null) return 'n/a';
  return v >= 1000 ? `${(v / 1000).toFixed(v >= 10_000 ? 1 : 2)} s` : `${v >= 10 ? Math.round(v) : v.toFixed(1)} ms`;
}

function pct(p: Pair): string {
  const f = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(v < 0.01 ? 2 : 1)}%`);
  return `${f(p.baseline)} -> ${f(p.current)}`;
}
