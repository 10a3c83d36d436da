/**
 * Slow edges that share a node point at the node. A client span's time outside its server span is charged to the
 * edge `A -> B` (the network between them). That is right when one path alone slowed. When the calls into B slowed
 * from its other callers too while B's own server spans did not, requests queue before B's handler runs (a saturated
 * worker pool, a full accept queue): B is the origin. When every call out of A slowed, to callees that are fine for
 * their other callers, A's egress is (its resolver, connection setup, NAT table): A is the origin. The rollups of
 * both periods tell which edges slowed, for every caller, not only those on the sampled requests' paths.
 */
import type { EdgeStats, ServiceGraph } from '../graph/service-graph.js';
import { edgeKey, type CandidateRef } from './critical-path.js';
import { moveRise } from './move-rise.js';
import type { Contribution } from './rank-candidates.js';

export type SharedEdgeKind = 'saturation' | 'egress' | 'caller-process';

export interface SharedEdgeFinding {
  kind: SharedEdgeKind;
  /** The edges whose time moved to the node, and the other edges of the node that slowed too. */
  edges: string[];
}

/** The time an edge adds outside its server span (client p50 minus server p50; the client p50 for a virtual node). */
function edgeGapMs(e: EdgeStats): number {
  return e.serverP50Ms !== null ? Math.max(0, e.p50Ms - e.serverP50Ms) : e.p50Ms;
}

/** Did the edge's own time (outside its server) grow clearly between the periods? Undefined: not seen in both. */
function slowed(current: ServiceGraph, baseline: ServiceGraph, source: string, target: string): boolean | undefined {
  if (!current.hasEdge(source, target) || !baseline.hasEdge(source, target)) return undefined;
  const cur = edgeGapMs(current.getEdgeAttributes(source, target));
  const base = edgeGapMs(baseline.getEdgeAttributes(source, target));
  return cur - base > Math.max(2, 0.5 * base);
}

/** Of a node's other edges (seen in both periods), how many slowed and how many there are. */
function othersSlowed(
  current: ServiceGraph,
  baseline: ServiceGraph,
  edges: [string, string][],
  skip: string,
): { slowed: string[]; total: number } {
  const out = { slowed: [] as string[], total: 0 };
  for (const [s, t] of edges) {
    if (s === t || edgeKey(s, t) === skip) continue;
    const v = slowed(current, baseline, s, t);
    if (v === undefined) continue;
    out.total++;
    if (v) out.slowed.push(edgeKey(s, t));
  }
  return out;
}

/**
 * Moves the rises of edge contributions that a shared node explains onto that node (created when it has no
 * contribution yet); the edges keep their numbers as evidence but no longer compete. Returns what was moved.
 */
export function attributeSharedEdges(
  contributions: Contribution[],
  current: ServiceGraph,
  baseline: ServiceGraph,
  nodeKind: (node: string) => CandidateRef['kind'],
): Map<string, SharedEdgeFinding> {
  const findings = new Map<string, SharedEdgeFinding>();
  const byKey = new Map(contributions.map((c) => [c.key, c]));
  for (const c of [...contributions]) {
    if (c.meanRise + c.tailRise <= 0) continue;
    if (c.ref.kind !== 'edge' && c.ref.kind !== 'service') {
      callerOnly(c, current, baseline, byKey, contributions, findings);
      continue;
    }
    if (c.ref.kind !== 'edge') continue;
    const [source, target] = c.key.split(' -> ') as [string, string];
    if (!current.hasNode(source) || !current.hasNode(target)) continue;
    const into = othersSlowed(
      current,
      baseline,
      current.inNeighbors(target).map((s): [string, string] => [s, target]),
      c.key,
    );
    const outOf = othersSlowed(
      current,
      baseline,
      current.outNeighbors(source).map((t): [string, string] => [source, t]),
      c.key,
    );
    // Most of the node's edges, this one included, slowed (one other of two is enough; one alone never is).
    const most = (o: { slowed: string[]; total: number }): boolean => o.total > 0 && (o.slowed.length + 1) * 2 > o.total + 1;
    const saturated = most(into);
    const egress = most(outOf);
    // The caller's only call slowed, the callee is fine for its other callers, and the caller's own time rose too:
    // its process stretched (paused, throttled), as for a dependency in callerOnly.
    const own = byKey.get(source);
    if (
      !saturated &&
      !egress &&
      outOf.total === 0 &&
      into.total > 0 &&
      into.slowed.length === 0 &&
      own &&
      own.meanRise + own.tailRise > 0
    ) {
      moveRise(c, source, own.ref, contributions, byKey);
      note(findings, source, 'caller-process', [c.key]);
      continue;
    }
    if (saturated === egress) continue; // one path alone (or both ends at once: cannot tell) stays the edge's
    const node = saturated ? target : source;
    const ref = { kind: nodeKind(node), path: saturated ? c.ref.path : c.ref.path.slice(0, -1), pathWeights: new Map() };
    moveRise(c, node, ref, contributions, byKey);
    note(findings, node, saturated ? 'saturation' : 'egress', [c.key, ...(saturated ? into.slowed : outOf.slowed)]);
  }
  return findings;
}

/**
 * A dependency (database, queue, API) only one caller sees slower, while its other callers see it as before: the
 * time is in that caller's process (CPU throttling, GC pauses, a stopped process stretch every call it makes), so the
 * caller is the origin. With no other caller to compare, the dependency keeps it.
 */
function callerOnly(
  c: Contribution,
  current: ServiceGraph,
  baseline: ServiceGraph,
  byKey: Map<string, Contribution>,
  contributions: Contribution[],
  findings: Map<string, SharedEdgeFinding>,
): void {
  const caller = c.ref.path.at(-2);
  if (!caller || !current.hasNode(c.key)) return;
  if (slowed(current, baseline, caller, c.key) !== true) return;
  const others = othersSlowed(
    current,
    baseline,
    current.inNeighbors(c.key).map((s): [string, string] => [s, c.key]),
    edgeKey(caller, c.key),
  );
  if (others.total === 0 || others.slowed.length > 0) return;
  // ...and the rest of the caller's process stretched too: its own time rose, or its other calls slowed. (One slow
  // query of one caller, with the caller otherwise as before, stays the dependency's.)
  const own = byKey.get(caller);
  const outOthers = othersSlowed(
    current,
    baseline,
    current.outNeighbors(caller).map((t): [string, string] => [caller, t]),
    edgeKey(caller, c.key),
  );
  if (!(own && own.meanRise + own.tailRise > 0) && outOthers.slowed.length === 0) return;
  moveRise(c, caller, { kind: 'service', path: c.ref.path.slice(0, -1), pathWeights: new Map() }, contributions, byKey);
  note(findings, caller, 'caller-process', [edgeKey(caller, c.key)]);
}

function note(findings: Map<string, SharedEdgeFinding>, node: string, kind: SharedEdgeKind, edges: string[]): void {
  const f = findings.get(node) ?? { kind, edges: [] };
  f.edges = [...new Set([...f.edges, ...edges])];
  findings.set(node, f);
}
