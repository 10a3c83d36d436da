/** GET /api/v1/graph: the service graph of a window, read from the store so every replica answers the same. */
import { buildServiceGraph, graphToDot, graphToJson, type EdgeRow, type NodeRow, type ServiceGraph } from '../graph/service-graph.js';
import { InputError } from '../errors.js';
import type { Store } from '../store/clickhouse-store.js';
import type { Router } from './router.js';
import { toIso, windowFromQuery, type Window } from './time-window.js';

export async function loadServiceGraph(store: Store, w: Window): Promise<ServiceGraph> {
  const params = { start: w.startMs, end: w.endMs };
  const [nodes, edges] = await Promise.all([store.query<NodeRow>('graph_nodes', params), store.query<EdgeRow>('graph_edges', params)]);
  return buildServiceGraph(nodes, edges);
}

export function addGraphRoutes(router: Router, store: Store, maxWindowMs: number): void {
  router.get('/api/v1/graph', async ({ query, res }) => {
    const w = windowFromQuery(query, 15 * 60_000, maxWindowMs);
    const format = query.get('format') ?? 'json';
    if (format !== 'json' && format !== 'dot') throw new InputError('format must be json or dot');
    const g = await loadServiceGraph(store, w);
    if (format === 'dot') {
      res.writeHead(200, { 'Content-Type': 'text/vnd.graphviz; charset=utf-8' });
      res.end(graphToDot(g));
      return undefined;
    }
    return { window: { start: toIso(w.startMs), end: toIso(w.endMs) }, ...graphToJson(g) };
  });
}
