/** The service graph as a graphology directed graph: services and virtual nodes, edges with call stats. */
import { DirectedGraph } from 'graphology';
import type { NodeKind } from './virtual-peer.js';
import { nsToMs } from '../time-units.js';

export interface NodeStats {
  kind: NodeKind;
  /** Requests served (server/consumer spans) for services; calls received for virtual nodes. */
  requests: number;
  errors: number;
  errorRate: number;
  p50Ms: number;
  p99Ms: number;
  selfTimeP50Ms: number | null;
  selfTimeP99Ms: number | null;
}

export interface EdgeStats {
  calls: number;
  errors: number;
  connectionType: string;
  /** Client-side latency (what the caller waited). */
  p50Ms: number;
  p99Ms: number;
  /** Server-side latency, null for virtual nodes. */
  serverP50Ms: number | null;
  serverP99Ms: number | null;
}

export type ServiceGraph = DirectedGraph<NodeStats, EdgeStats>;

export interface EdgeRow {
  source: string;
  target: string;
  targetKind: string;
  connectionType: string;
  calls: number;
  errors: number;
  clientQuantilesNs: number[];
  serverQuantilesNs: number[];
}

export interface NodeRow {
  id: string;
  spans: number;
  requests: number;
  errors: number;
  latencyNs: number[];
  selfTimeNs: number[] | null;
}

export function buildServiceGraph(nodes: NodeRow[], edges: EdgeRow[]): ServiceGraph {
  const g: ServiceGraph = new DirectedGraph<NodeStats, EdgeStats>({ allowSelfLoops: true });
  for (const n of nodes) {
    const requests = Number(n.requests);
    g.addNode(n.id, {
      kind: 'service',
      requests,
      errors: Number(n.errors),
      errorRate: requests > 0 ? Number(n.errors) / requests : 0,
      p50Ms: nsToMs(n.latencyNs[0]),
      p99Ms: nsToMs(n.latencyNs[1]),
      selfTimeP50Ms: n.selfTimeNs && n.selfTimeNs.length > 1 ? nsToMs(n.selfTimeNs[0]) : null,
      selfTimeP99Ms: n.selfTimeNs && n.selfTimeNs.length > 1 ? nsToMs(n.selfTimeNs[1]) : null,
    });
  }
  // Self-loops stay (a service calling a peer it names after itself is worth seeing, not hiding).
  for (const e of edges) {
    if (!g.hasNode(e.source)) g.addNode(e.source, emptyNode('service'));
    if (!g.hasNode(e.target)) g.addNode(e.target, emptyNode(e.targetKind as NodeKind));
    const virtual = e.targetKind !== 'service';
    const calls = Number(e.calls);
    g.mergeEdge(e.source, e.target, {
      calls,
      errors: Number(e.errors),
      connectionType: e.connectionType,
      p50Ms: nsToMs(e.clientQuantilesNs[0]),
      p99Ms: nsToMs(e.clientQuantilesNs[1]),
      serverP50Ms: virtual ? null : nsToMs(e.serverQuantilesNs[0]),
      serverP99Ms: virtual ? null : nsToMs(e.serverQuantilesNs[1]),
    });
    if (virtual) {
      // A virtual node's stats are what its callers saw.
      const t = g.getNodeAttributes(e.target);
      t.requests += calls;
      t.errors += Number(e.errors);
      t.errorRate = t.requests > 0 ? t.errors / t.requests : 0;
      t.p99Ms = Math.max(t.p99Ms, nsToMs(e.clientQuantilesNs[1]));
      t.p50Ms = Math.max(t.p50Ms, nsToMs(e.clientQuantilesNs[0]));
    }
  }
  return g;
}

function emptyNode(kind: NodeKind): NodeStats {
  return { kind, requests: 0, errors: 0, errorRate: 0, p50Ms: 0, p99Ms: 0, selfTimeP50Ms: null, selfTimeP99Ms: null };
}

/** The JSON shape of GET /api/v1/graph. */
export function graphToJson(g: ServiceGraph) {
  return {
    nodes: g.mapNodes((id, a) => ({ id, ...a })),
    edges: g.mapEdges((_e, a, source, target) => ({ source, target, ...a })),
  };
}

/** Graphviz DOT, for `format=dot`. */
export function graphToDot(g: ServiceGraph): string {
  const quote = (s: string) => JSON.stringify(s);
  const shapes: Record<NodeKind, string> = { service: 'box', database: 'cylinder', messaging: 'cds', external: 'ellipse' };
  const lines = ['digraph faultline {', '  rankdir=LR;'];
  g.forEachNode((id, a) => lines.push(`  ${quote(id)} [shape=${shapes[a.kind]}, label=${quote(`${id}\np99 ${a.p99Ms} ms`)}];`));
  g.forEachEdge((_e, a, s, t) =>
    lines.push(`  ${quote(s)} -> ${quote(t)} [label=${quote(`${a.calls} calls, ${a.errors} err, p99 ${a.p99Ms} ms`)}];`),
  );
  lines.push('}');
  return lines.join('\n') + '\n';
}
