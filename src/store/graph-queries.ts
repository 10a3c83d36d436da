/** The service graph of a window, from the edge and span rollups (so it survives restarts and is the same on every replica). */
import { buildServiceGraph, type ServiceGraph } from '../graph/service-graph.js';
import type { Store } from './clickhouse-store.js';

/** `environment` '' reads every environment together; a name reads only that deployment environment. */
export async function loadServiceGraph(store: Store, startMs: number, endMs: number, environment = ''): Promise<ServiceGraph> {
  const params = { start: startMs, end: endMs, environment };
  const [nodes, edges] = await Promise.all([store.query('graph_nodes', params), store.query('graph_edges', params)]);
  return buildServiceGraph(nodes, edges);
}
