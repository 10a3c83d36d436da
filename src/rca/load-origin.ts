/**
 * Load has an origin. When a node's added time comes with many more calls per request than in the baseline (not
 * slower calls alone), the extra load explains its slowdown, and the question is who sends it: the caller whose calls
 * rose. What changed at that caller decides the origin:
 *  - one of its other dependencies answers clearly faster per call (a cache returning empty answers), or the loaded
 *    node used to be a rare fallback of it (called for a few of its calls, now for most: its misses fall through):
 *    that dependency is the origin (a cache that stopped caching);
 *  - otherwise the caller itself (a retry loop, a new code path after a deploy, a lost batch).
 * The loaded node's rise moves to the origin; it stays in the report as affected, with its calls as evidence.
 * Retried attempts and redelivered messages are not counted as calls (critical-path.ts): those are failures, and
 * their callee keeps them.
 */
import { moveRise } from './move-rise.js';
import type { Contribution } from './rank-candidates.js';

export interface LoadFinding {
  /** `origin`: the node the load comes from; `loaded`: the node it slowed. */
  role: 'origin' | 'loaded';
  /** The other end: the loaded node (for an origin) or the origin (for a loaded node). */
  other: string;
  /** The caller whose calls rose. */
  caller: string;
  /** Calls per request into the loaded node, baseline -> window. */
  calls: { baseline: number; current: number };
  /** For a dependency origin: its ms per call, baseline -> window (it got faster). */
  perCallMs?: { baseline: number; current: number };
}

/** Calls per request must at least double, by this many more calls per request, to count as a load shift. */
const LOAD_RATIO = 2;
const MIN_EXTRA_CALLS = 0.2;
/** Share of the added time the extra calls must explain at their old cost. */
const LOAD_SHARE = 0.3;
/** A dependency of the same caller this much faster per call is what the extra calls replace. */
const FASTER = 0.75;
const MIN_MS = 0.1;
/** A node called for at most this share of a sibling's calls in the baseline was that sibling's fallback. */
const FALLBACK_SHARE = 0.3;

const perCall = (c: Contribution, period: 'baseline' | 'current'): number => (c.calls[period] > 0 ? c.mean[period] / c.calls[period] : 0);

/** What one call from `caller` to `node` took (the edge's client P50), baseline and window; undefined when unseen. */
export type CallLatency = (caller: string, node: string) => { baseline: number; current: number } | undefined;

export function attributeLoad(contributions: Contribution[], latency: CallLatency): Map<string, LoadFinding> {
  const findings = new Map<string, LoadFinding>();
  const byKey = new Map(contributions.map((c) => [c.key, c]));
  for (const c of [...contributions]) {
    if (c.ref.kind === 'edge' || c.meanRise + c.tailRise <= 0) continue;
    const { baseline, current } = c.calls;
    if (!(baseline > 0 && current >= LOAD_RATIO * baseline && current - baseline >= MIN_EXTRA_CALLS)) continue;
    const caller = c.ref.path.at(-2);
    if (!caller) continue;
    // The extra calls at the old cost per call must be a real part of the added time (not a node that got 10x
    // slower per call while its calls also happened to rise). Per call from the edge: critical-path ms per call
    // would read a callee off the path in the baseline as free.
    const l = latency(caller, c.key);
    if (l) {
      const extra = (current - baseline) * l.baseline;
      if (extra < LOAD_SHARE * (extra + current * Math.max(0, l.current - l.baseline))) continue;
    }
    const siblings = contributions.filter(
      (s) =>
        s !== c &&
        s.ref.kind !== 'edge' &&
        s.ref.path.at(-2) === caller &&
        s.calls.baseline > 0 &&
        s.calls.current >= 0.5 * s.calls.baseline,
    );
    const speedUp = (s: Contribution): number => perCall(s, 'current') / perCall(s, 'baseline');
    const fellThrough = (s: Contribution): boolean => {
      const before = baseline / s.calls.baseline;
      return before <= FALLBACK_SHARE && current / s.calls.current >= 2 * before + 0.2;
    };
    // Faster per call only counts for a dependency (a cache is one) called in most requests that took measurable
    // time: a service's critical-path ms per call moves with its parallel siblings.
    const faster = siblings
      .filter((s) => s.ref.kind !== 'service' && s.calls.baseline >= 0.5 && s.mean.baseline >= MIN_MS && speedUp(s) <= FASTER)
      .sort((a, b) => speedUp(a) - speedUp(b))[0];
    const source = faster ?? siblings.filter(fellThrough).sort((a, b) => b.calls.current - a.calls.current)[0];
    const origin = source?.key ?? caller;
    const ref = source?.ref ??
      byKey.get(caller)?.ref ?? { kind: 'service' as const, path: c.ref.path.slice(0, -1), pathWeights: new Map() };
    moveRise(c, origin, ref, contributions, byKey, false);
    const calls = { baseline, current };
    findings.set(c.key, { role: 'loaded', other: origin, caller, calls });
    findings.set(origin, {
      role: 'origin',
      other: c.key,
      caller,
      calls,
      ...(faster ? { perCallMs: { baseline: perCall(faster, 'baseline'), current: perCall(faster, 'current') } } : {}),
    });
  }
  return findings;
}
