/** A report candidate for tests of what is said about a ranking: plain evidence, everything else as given. */
import type { Candidate } from '../../src/rca/report.js';

export function candidateFixture(over: Partial<Candidate> & { service: string }): Candidate {
  return {
    rank: 1,
    kind: 'service',
    score: 0,
    confidence: 0,
    exemplars: [],
    path: ['frontend', over.service],
    evidence: {
      spanCount: 100,
      baselineSpanCount: 100,
      p99Ms: { baseline: 1, current: 2 },
      p99ChangePct: 100,
      p50Ms: { baseline: 1, current: 1 },
      errorRate: { baseline: 0, current: 0 },
      selfTimeP99Ms: { baseline: 1, current: 1 },
    },
    verdict: 'normal',
    reason: 'r',
    ...over,
  };
}
