/**
 * Where a candidate sits in the call graph below the alerting service, as graph measures (graphology-metrics):
 *  - `reach`: its betweenness centrality over the part of the window's graph the alerting service reaches, divided
 *    by the routes there that have a middle at all (node pairs two or more calls apart): the share of those routes
 *    whose shortest paths pass through it (split evenly between equally short ones). A chokepoint
 *    (storage every build path goes through) scores high, a leaf 0. Shown beside the evidence, not used in the score.
 *  - `blastRadius`: the nodes that call the origin, directly or through others, in the window's graph: the
 *    services whose requests wait on it, so may page next (or already page).
 * Plain functions over the ServiceGraph; the store's part is done by analyze.ts.
 */
import betweennessModule from 'graphology-metrics/centrality/betweenness.js';
import type { ServiceGraph } from '../graph/service-graph.js';

// A CommonJS module whose typings declare a default export: at run time the default import is the function itself.
const betweennessCentrality = betweennessModule as unknown as typeof betweennessModule.default;

/** Nodes reachable from `from` over the graph's edges (itself included). */
function reachable(graph: ServiceGraph, from: string, next: (node: string) => string[]): Set<string> {
  const seen = new Set<string>();
  if (!graph.hasNode(from)) return seen;
  const queue = [from];
  seen.add(from);
  while (queue.length > 0) {
    for (const n of next(queue.pop()!)) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  return seen;
}

/** Betweenness (normalised) of every node the alerting service reaches, computed over that subgraph. */
export function reachOf(graph: ServiceGraph, service: string): Map<string, number> {
  const nodes = reachable(graph, service, (n) => graph.outNeighbors(n));
  const sub = graph.emptyCopy();
  sub.clear();
  for (const n of nodes) sub.addNode(n, graph.getNodeAttributes(n));
  graph.forEachEdge((_e, attrs, source, target) => {
    if (source !== target && nodes.has(source) && nodes.has(target) && !sub.hasEdge(source, target)) sub.addEdge(source, target, attrs);
  });
  // Unweighted: a route is a route, whatever its traffic.
  let routes = 0;
  for (const n of nodes) {
    const dist = new Map([[n, 0]]);
    const queue = [n];
    for (let i = 0; i < queue.length; i++) {
      const d = dist.get(queue[i]!)! + 1;
      for (const m of sub.outNeighbors(queue[i]!)) {
        if (dist.has(m)) continue;
        dist.set(m, d);
        queue.push(m);
        if (d >= 2) routes++;
      }
    }
  }
  if (routes === 0) return new Map([...nodes].map((n) => [n, 0]));
  const scores = betweennessCentrality(sub, { normalized: false, getEdgeWeight: null });
  return new Map(Object.entries(scores).map(([n, v]) => [n, Math.round(Math.min(1, Math.max(0, v / routes)) * 1000) / 1000]));
}

/** The nodes whose requests wait on `origin`: everything that reaches it over call edges, nearest first. */
export function blastRadius(graph: ServiceGraph, origin: string): string[] {
  const callers = reachable(graph, origin, (n) => graph.inNeighbors(n));
  callers.delete(origin);
  return [...callers];
}
