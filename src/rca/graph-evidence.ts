/** A candidate's before/after numbers from the rollups (the report's evidence): P50/P99, errors, self time. */
import type { ServiceGraph } from '../graph/service-graph.js';
import type { CandidateKind, Evidence } from './report.js';

export type GraphEvidence = Omit<Evidence, 'addedMsPerRequest' | 'tailMsPerRequest' | 'callsPerRequest' | 'originErrorRate'>;

export function graphEvidence(key: string, kind: CandidateKind, current: ServiceGraph, baseline: ServiceGraph): GraphEvidence {
  if (kind === 'edge') {
    const [source, target] = key.split(' -> ') as [string, string];
    const cur = current.hasEdge(source, target) ? current.getEdgeAttributes(source, target) : undefined;
    const base = baseline.hasEdge(source, target) ? baseline.getEdgeAttributes(source, target) : undefined;
    const gap = (e: typeof cur) => (e && e.serverP99Ms !== null ? round(Math.max(0, e.p99Ms - e.serverP99Ms)) : null);
    return {
      spanCount: cur?.calls ?? 0,
      baselineSpanCount: base?.calls ?? 0,
      p99Ms: { baseline: base?.p99Ms ?? null, current: cur?.p99Ms ?? null },
      p99ChangePct: changePct(base?.p99Ms, cur?.p99Ms),
      p50Ms: { baseline: base?.p50Ms ?? null, current: cur?.p50Ms ?? null },
      errorRate: { baseline: base ? rate(base.errors, base.calls) : null, current: cur ? rate(cur.errors, cur.calls) : null },
      selfTimeP99Ms: { baseline: gap(base), current: gap(cur) },
      serverP99Ms: { baseline: base?.serverP99Ms ?? null, current: cur?.serverP99Ms ?? null },
    };
  }
  const cur = current.hasNode(key) ? current.getNodeAttributes(key) : undefined;
  const base = baseline.hasNode(key) ? baseline.getNodeAttributes(key) : undefined;
  return {
    spanCount: cur?.requests ?? 0,
    baselineSpanCount: base?.requests ?? 0,
    p99Ms: { baseline: base?.p99Ms ?? null, current: cur?.p99Ms ?? null },
    p99ChangePct: changePct(base?.p99Ms, cur?.p99Ms),
    p50Ms: { baseline: base?.p50Ms ?? null, current: cur?.p50Ms ?? null },
    errorRate: { baseline: base ? round(base.errorRate, 5) : null, current: cur ? round(cur.errorRate, 5) : null },
    selfTimeP99Ms: { baseline: base?.selfTimeP99Ms ?? null, current: cur?.selfTimeP99Ms ?? null },
  };
}

const changePct = (base: number | undefined, cur: number | undefined): number | null =>
  base !== undefined && cur !== undefined && base > 0 ? round(((cur - base) / base) * 100) : null;
const rate = (errors: number, calls: number): number => (calls > 0 ? round(errors / calls, 5) : 0);
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
