/** Moving a candidate's rise onto the node that explains it (a shared node, the origin of a load): one operation. */
import type { CandidateRef } from './critical-path.js';
import type { Contribution } from './rank-candidates.js';

/**
 * Moves a contribution's rises onto `node`'s contribution, created when it has none; with `numbers`, its ms per
 * request too (an edge's time that is really the node's). Without, the node keeps its own numbers as evidence.
 */
export function moveRise(
  c: Contribution,
  node: string,
  ref: CandidateRef,
  contributions: Contribution[],
  byKey: Map<string, Contribution>,
  numbers = true,
): void {
  let n = byKey.get(node);
  if (!n) {
    n = emptyLike(c, node, ref);
    contributions.push(n);
    byKey.set(node, n);
  }
  n.meanRise += c.meanRise;
  n.tailRise += c.tailRise;
  if (numbers) {
    n.mean = { baseline: n.mean.baseline + c.mean.baseline, current: n.mean.current + c.mean.current };
    n.tail = { baseline: n.tail.baseline + c.tail.baseline, current: n.tail.current + c.tail.current };
  }
  c.meanRise = 0;
  c.tailRise = 0;
}

function emptyLike(c: Contribution, key: string, ref: CandidateRef): Contribution {
  const zero = { baseline: 0, current: 0 };
  return {
    key,
    ref,
    mean: zero,
    tail: zero,
    errors: zero,
    calls: zero,
    meanRise: 0,
    tailRise: 0,
    errorRise: 0,
    rawScore: 0,
    score: 0,
    exemplars: c.exemplars,
  };
}
